/*
 * migcmd.c - crtool migrate and drain (see migcmd.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "migrate"

#include "crtool/migcmd.h"
#include "crtool/progress.h"
#include "diag/log.h"
#include "libcrtool/lcjson.h"
#include "proto/nodelist.h"

cmdline_opts migcmd_migrate_opts = { OPT_PID,  OPT_APP,        OPT_TO,   OPT_MAP,
	                             OPT_MODE, OPT_MAX_ROUNDS, OPT_JSON, -1 };
cmdline_opts migcmd_drain_opts = { OPT_NODE, OPT_TO, OPT_MODE, OPT_JSON, -1 };

static void migcmd_print_one(const struct crt_migration *m, int mode)
{
	printf("pid %u moved from node %u to node %d (%s)\n", m->pid, m->from, m->to,
	       crt_mode_name(mode));
	printf("downtime     %10.3f ms\n", (double)m->downtime_ns / 1e6);
	printf("total        %10.3f ms\n", (double)m->total_ns / 1e6);
	printf("freeze       %10.3f ms\n", (double)m->freeze_ns / 1e6);
	printf("bytes        %10" PRIu64 "\n", m->bytes);
	printf("pages        %10u\n", m->pages);
	printf("rounds       %10u\n", m->rounds);
	printf("NoC model    %10.3f ms\n", (double)m->model_ns / 1e6);
	if (mode == CRT_POST_COPY) {
		printf("lazy pages   %10u\n", m->lazy_pages);
		printf("  faulted    %10u\n", m->faults);
		printf("  pushed     %10u\n", m->pushed);
	}
}

/* Prints r (text or JSON): the exit status, rc unless printing fails. */
static int migcmd_report(const struct cmdline *c, const struct crt_migrate_result *r, int rc)
{
	if (c->set[OPT_JSON]) {
		int prc = cmdline_print_json(lcjson_migrate(r));
		return prc ? prc : rc;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct crt_migration *m = &r->members[i];
		if (m->to >= 0 && m->status == CRT_OK)
			migcmd_print_one(m, r->mode);
		else if (m->to >= 0)
			LOG_ERROR("pid %u runs on on node %u: %s", m->pid, m->from, m->error);
	}
	if (!r->group)
		return rc;
	printf("%zu of %zu processes moved (%s) in %.3f ms, all at once; longest downtime %.3f ms",
	       r->moved, r->moved + r->failed, crt_mode_name(r->mode), (double)r->total_ns / 1e6,
	       (double)r->downtime_max_ns / 1e6);
	if (r->failed)
		printf("; %zu could not move and run on where they were", r->failed);
	printf("\n");
	return rc;
}

/* --mode into *mode: CRT_OK or CRT_USAGE. */
static int migcmd_mode(const struct cmdline *c, int *mode)
{
	*mode = c->set[OPT_MODE] ? crt_mode_of(c->val[OPT_MODE]) : CRT_STOP_COPY;
	if (*mode >= 0)
		return CRT_OK;
	LOG_ERROR("--mode '%s': stop-copy, pre-copy or post-copy", c->val[OPT_MODE]);
	return CRT_USAGE;
}

int migcmd_migrate(struct cmdline *c)
{
	struct crt_migrate_opts o = CRT_MIGRATE_OPTS_INIT;
	struct crt_migrate_result *r = NULL;
	uint32_t pids[NODELIST_MAX], to[NODELIST_MAX], from[NODELIST_MAX], map_to[NODELIST_MAX];
	crt_board *b;
	int rc;

	if ((rc = cmdline_operands(c, 0, "")) || (rc = migcmd_mode(c, &o.mode)))
		return rc;
	if (!c->set[OPT_PID] && !c->set[OPT_APP]) {
		LOG_ERROR("-p PID (or PID,PID,...) or --app NAME is needed (try --help)");
		return CRT_USAGE;
	}
	if (c->set[OPT_TO] == c->set[OPT_MAP]) {
		LOG_ERROR("%s (try --help)", c->set[OPT_MAP] ? "--to or --map, not both"
		                                             : "--to NODE is needed (or --to LIST, "
		                                               "or --map OLD:NEW,...)");
		return CRT_USAGE;
	}
	if ((c->set[OPT_PID] &&
	     cmdline_pids("-p", c->val[OPT_PID], pids, NODELIST_MAX, &o.n_pids)) ||
	    (c->set[OPT_TO] && cmdline_nodes("--to", c->val[OPT_TO], to, NODELIST_MAX, &o.n_to)) ||
	    (c->set[OPT_MAP] &&
	     cmdline_map("--map", c->val[OPT_MAP], from, map_to, NODELIST_MAX, &o.n_map)))
		return CRT_USAGE;
	if (c->set[OPT_MAX_ROUNDS]) {
		char *end;
		unsigned long k = strtoul(c->val[OPT_MAX_ROUNDS], &end, 10);
		if (*end || end == c->val[OPT_MAX_ROUNDS] || k < 1 || k > 64) {
			LOG_ERROR("--max-rounds '%s' (1 to 64)", c->val[OPT_MAX_ROUNDS]);
			return CRT_USAGE;
		}
		o.max_rounds = (uint32_t)k;
	}
	o.pids = pids;
	o.app = c->val[OPT_APP];
	o.to = to;
	o.map_from = from;
	o.map_to = map_to;
	if (!(b = cmdline_board(c)))
		return CRT_FAILED;
	progress_attach(b);
	rc = crt_migrate(b, &o, &r);
	progress_end();
	if (!r)
		return cmdline_fail(b, rc);
	rc = migcmd_report(c, r, rc);
	crt_free(r);
	return rc;
}

int migcmd_drain(struct cmdline *c)
{
	struct crt_migrate_result *r = NULL;
	uint32_t node, to[NODELIST_MAX];
	size_t n_to = 0;
	crt_board *b;
	int rc, mode;

	if ((rc = cmdline_operands(c, 0, "")) || (rc = migcmd_mode(c, &mode)))
		return rc;
	if (!c->set[OPT_NODE]) {
		LOG_ERROR("--node N is needed (try --help)");
		return CRT_USAGE;
	}
	if (cmdline_node("--node", c->val[OPT_NODE], &node) ||
	    (c->set[OPT_TO] && cmdline_nodes("--to", c->val[OPT_TO], to, NODELIST_MAX, &n_to)))
		return CRT_USAGE;
	if (!(b = cmdline_board(c)))
		return CRT_FAILED;
	rc = crt_drain(b, node, to, n_to, mode, &r);
	if (!r)
		return cmdline_fail(b, rc);
	if (!r->n && !c->set[OPT_JSON])
		printf("node %u runs no process: nothing to move\n", node);
	else
		rc = migcmd_report(c, r, rc);
	crt_free(r);
	return rc;
}
