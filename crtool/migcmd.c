/*
 * migcmd.c - crtool migrate (see migcmd.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "migrate"

#include "crtool/args.h"
#include "crtool/client.h"
#include "crtool/groupcmd.h"
#include "crtool/migcmd.h"
#include "crtool/progress.h"
#include "diag/log.h"
#include "proto/nodelist.h"

struct migcmd_opts {
	uint32_t pid;
	uint32_t pids[NODELIST_MAX]; /* -p PID,PID...: a group */
	size_t npids;
	const char *app; /* --app NAME: a group */
	const char *to_list, *map;
	int to; /* -1: not given, or a list */
	Crtool__MigrateMode mode;
	uint32_t max_rounds; /* 0: the board's */
	int json;
};

static const char *const migcmd_modes[] = { "stop-copy", "pre-copy", "post-copy" };

int migcmd_mode_of(const char *name)
{
	for (int m = 0; m < 3; m++)
		if (!strcmp(name, migcmd_modes[m]))
			return m;
	return -1;
}

static int migcmd_parse(int argc, char **argv, struct migcmd_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->to = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes_value = !strcmp(a, "-p") || !strcmp(a, "--pid") || !strcmp(a, "--to") ||
		                  !strcmp(a, "--mode") || !strcmp(a, "--max-rounds") ||
		                  !strcmp(a, "--app") || !strcmp(a, "--map");
		if (takes_value && !v) {
			LOG_ERROR("%s needs a value (try --help)", a);
			return CRT_USAGE;
		}
		if (!strcmp(a, "-p") || !strcmp(a, "--pid")) {
			if (args_parse_pids(v, o->pids, NODELIST_MAX, &o->npids) < 0)
				return CRT_USAGE;
		} else if (!strcmp(a, "--to")) {
			o->to_list = v;
			if (!strpbrk(v, ",-") && (o->to = args_parse_node(v)) < 0)
				return CRT_USAGE;
		} else if (!strcmp(a, "--app")) {
			if (!args_app_name(v))
				return CRT_USAGE;
			o->app = v;
		} else if (!strcmp(a, "--map")) {
			o->map = v;
		} else if (!strcmp(a, "--mode")) {
			int m = migcmd_mode_of(v);
			if (m < 0) {
				LOG_ERROR("mode '%s': stop-copy, pre-copy "
				          "or post-copy",
				          v);
				return CRT_USAGE;
			}
			o->mode = (Crtool__MigrateMode)m;
		} else if (!strcmp(a, "--max-rounds")) {
			char *end;
			unsigned long k = strtoul(v, &end, 10);
			if (*end || end == v || k < 1 || k > 64) {
				LOG_ERROR("--max-rounds '%s' (1 to 64)", v);
				return CRT_USAGE;
			}
			o->max_rounds = (uint32_t)k;
		} else if (!strcmp(a, "--json")) {
			o->json = 1;
			continue;
		} else {
			LOG_ERROR("unexpected '%s' (try --help)", a);
			return CRT_USAGE;
		}
		i++;
	}
	if (!o->npids && !o->app) {
		LOG_ERROR("-p PID (or PID,PID,...) or --app NAME is needed (try --help)");
		return CRT_USAGE;
	}
	if (!o->to_list == !o->map) {
		LOG_ERROR("%s (try --help)",
		          o->map ? "--to or --map, not both"
		                 : "--to NODE is needed (or --to LIST, or --map OLD:NEW,...)");
		return CRT_USAGE;
	}
	if (o->npids == 1 && !o->app && !o->map && o->to >= 0)
		o->pid = o->pids[0]; /* one process, as ever */
	return CRT_OK;
}

const char *migcmd_mode_name(Crtool__MigrateMode mode)
{
	return (unsigned)mode < 3 ? migcmd_modes[mode] : "?";
}

void migcmd_print_reply(uint32_t pid, const Crtool__MigrateReply *m, Crtool__MigrateMode mode)
{
	printf("pid %u moved from node %u to node %u (%s)\n", pid, m->from, m->to,
	       migcmd_mode_name(mode));
	printf("downtime     %10.3f ms\n", (double)m->downtime_ns / 1e6);
	printf("total        %10.3f ms\n", (double)m->total_ns / 1e6);
	printf("freeze       %10.3f ms\n", (double)m->freeze_ns / 1e6);
	printf("bytes        %10" PRIu64 "\n", m->bytes);
	printf("pages        %10u\n", m->pages);
	printf("rounds       %10u\n", m->rounds);
	printf("NoC model    %10.3f ms\n", (double)m->model_ns / 1e6);
	if (mode == CRTOOL__MIGRATE_MODE__POST_COPY) {
		printf("lazy pages   %10u\n", m->lazy_pages);
		printf("  faulted    %10u\n", m->faults);
		printf("  pushed     %10u\n", m->pushed);
	}
}

json_t *migcmd_reply_json(uint32_t pid, const Crtool__MigrateReply *m, Crtool__MigrateMode mode)
{
	json_t *j = json_pack("{s:I, s:I, s:I, s:s, s:f, s:f, s:f, s:I, s:I, s:I, s:f}", "pid",
	                      (json_int_t)pid, "from", (json_int_t)m->from, "to", (json_int_t)m->to,
	                      "mode", migcmd_mode_name(mode), "downtime_us",
	                      (double)m->downtime_ns / 1e3, "total_us", (double)m->total_ns / 1e3,
	                      "freeze_us", (double)m->freeze_ns / 1e3, "bytes",
	                      (json_int_t)m->bytes, "pages", (json_int_t)m->pages, "rounds",
	                      (json_int_t)m->rounds, "model_ms", (double)m->model_ns / 1e6);

	if (j && mode == CRTOOL__MIGRATE_MODE__POST_COPY &&
	    json_object_update_new(j, json_pack("{s:I, s:I, s:I}", "lazy_pages",
	                                        (json_int_t)m->lazy_pages, "faults",
	                                        (json_int_t)m->faults, "pushed",
	                                        (json_int_t)m->pushed))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

int migcmd_migrate(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__MigrateRequest mq = CRTOOL__MIGRATE_REQUEST__INIT;
	Crtool__Reply *rp = NULL;
	struct migcmd_opts o;
	char what[96];
	int rc = migcmd_parse(argc, argv, &o);

	if (rc)
		return rc;
	if (!o.pid) {
		struct groupcmd_where w = { o.map ? NULL : o.to_list, o.map };
		return groupcmd_migrate(cl, o.app, o.pids, o.npids, &w, o.mode, o.max_rounds,
		                        o.json);
	}
	mq.pid = o.pid;
	mq.to = (uint32_t)o.to;
	mq.mode = o.mode;
	mq.max_rounds = o.max_rounds;
	mq.has_mode = mq.has_max_rounds = 1;
	rq.req_case = CRTOOL__REQUEST__REQ_MIGRATE;
	rq.migrate = &mq;
	snprintf(what, sizeof(what), "migration of pid %u to node %d (%s)", o.pid, o.to,
	         migcmd_mode_name(o.mode));
	if ((rc = client_send(cl, &rq)) ||
	    (rc = progress_next(cl, what, NULL, 0, CRTOOL__REPLY__REP_MIGRATE, &rp)))
		return rc;
	if (o.json)
		rc = args_print_json(migcmd_reply_json(o.pid, rp->migrate, o.mode));
	else
		migcmd_print_reply(o.pid, rp->migrate, o.mode);
	crtool__reply__free_unpacked(rp, NULL);
	return rc;
}
