/*
 * crcmd.c - dump, pre-dump and restore (see crcmd.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "checkpoint"

#include "crtool/crcmd.h"
#include "crtool/progress.h"
#include "diag/log.h"
#include "libcrtool/lcjson.h"
#include "proto/nodelist.h"

cmdline_opts crcmd_dump_opts = {
	OPT_PID,           OPT_APP,       OPT_DIR,   OPT_PREV, OPT_COMPRESS,
	OPT_LEAVE_RUNNING, OPT_TRACK_MEM, OPT_STATS, OPT_JSON, -1
};
cmdline_opts crcmd_pre_dump_opts = { OPT_PID,      OPT_APP,   OPT_DIR,  OPT_PREV,
	                             OPT_COMPRESS, OPT_STATS, OPT_JSON, -1 };
cmdline_opts crcmd_restore_opts = { OPT_DIR,     OPT_NODE,  OPT_NODES, OPT_MAP,
	                            OPT_NEW_PID, OPT_STATS, OPT_JSON,  -1 };

static double crcmd_ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

static void crcmd_print_one(const struct crt_dump_result *r)
{
	const struct crt_dump_member *m = &r->members[0];

	printf("freeze time      %10.3f ms\n", crcmd_ms(m->freeze_ns));
	printf("frozen time      %10.3f ms\n", crcmd_ms(m->frozen_ns));
	printf("pages scanned    %10u\n", m->pages_scanned);
	printf("pages written    %10u\n", m->pages_written);
	printf("pages zero       %10u\n", m->pages_zero);
	printf("pages in parent  %10u\n", m->pages_in_parent);
	printf("bytes raw        %10" PRIu64 "\n", m->bytes_raw);
	printf("bytes stored     %10" PRIu64 " (page blocks as written)\n", m->bytes_stored);
	printf("stream bytes     %10" PRIu64 " (NoC model %.3f ms)\n", m->stream_bytes,
	       crcmd_ms(m->model_ns));
	printf("storing          %10.3f ms\n", crcmd_ms(r->store_ns));
	printf("total            %10.3f ms\n", crcmd_ms(r->total_ns));
}

static void crcmd_print_group(const struct crt_dump_result *r)
{
	printf("%6s %5s %10s %12s %12s\n", "PID", "NODE", "PAGES", "FROZEN_MS", "BYTES");
	for (size_t i = 0; i < r->n; i++)
		printf("%6u %5u %10u %12.3f %12" PRIu64 "\n", r->members[i].pid, r->members[i].node,
		       r->members[i].pages_written, crcmd_ms(r->members[i].frozen_ns),
		       r->members[i].stream_bytes);
	printf("cut              %10.3f us (first member frozen to last)\n",
	       (double)r->cut_ns / 1e3);
	printf("stream bytes     %10" PRIu64 "\n", r->stream_bytes);
	printf("storing          %10.3f ms\n", crcmd_ms(r->store_ns));
	printf("total            %10.3f ms\n", crcmd_ms(r->total_ns));
}

/* The zstd level of --compress[=LEVEL]: 0 if not given; -1 said. */
static int crcmd_level(const struct cmdline *c)
{
	const char *v = c->val[OPT_COMPRESS];
	char *end;
	long l;

	if (!c->set[OPT_COMPRESS])
		return 0;
	if (!v)
		return 3;
	l = strtol(v, &end, 10);
	if (*end || end == v || l < 1 || l > 22) {
		LOG_ERROR("--compress=%s: a zstd level from 1 to 22", v);
		return -1;
	}
	return (int)l;
}

static int crcmd_do_dump(struct cmdline *c, int pre)
{
	struct crt_dump_opts o = CRT_DUMP_OPTS_INIT;
	struct crt_dump_result *r;
	uint32_t pids[NODELIST_MAX];
	crt_board *b;
	int rc;

	if ((rc = cmdline_operands(c, 0, "")))
		return rc;
	if (!c->set[OPT_PID] && !c->set[OPT_APP]) {
		LOG_ERROR("-p PID (or PID,PID,...) or --app NAME is needed (try --help)");
		return CRT_USAGE;
	}
	if (!c->set[OPT_DIR]) {
		LOG_ERROR("-D DIR is needed (try --help)");
		return CRT_USAGE;
	}
	if (c->set[OPT_PID] && cmdline_pids("-p", c->val[OPT_PID], pids, NODELIST_MAX, &o.n_pids))
		return CRT_USAGE;
	if ((o.level = crcmd_level(c)) < 0)
		return CRT_USAGE;
	o.pids = pids;
	o.app = c->val[OPT_APP];
	o.dir = c->val[OPT_DIR];
	o.prev_dir = c->val[OPT_PREV];
	o.pre_dump = pre;
	o.leave_running = c->set[OPT_LEAVE_RUNNING];
	o.track_mem = c->set[OPT_TRACK_MEM];
	if (!(b = cmdline_board(c)))
		return CRT_FAILED;
	progress_attach(b);
	rc = crt_dump(b, &o, &r);
	progress_end();
	if (rc)
		return cmdline_fail(b, rc);
	if (c->set[OPT_JSON])
		rc = cmdline_print_json(lcjson_dump(r, o.dir));
	else if (c->set[OPT_STATS] && r->group)
		crcmd_print_group(r);
	else if (c->set[OPT_STATS])
		crcmd_print_one(r);
	crt_free(r);
	return rc;
}

int crcmd_dump(struct cmdline *c)
{
	return crcmd_do_dump(c, 0);
}

int crcmd_pre_dump(struct cmdline *c)
{
	return crcmd_do_dump(c, 1);
}

static void crcmd_print_restore(const struct crt_restore_result *r)
{
	if (!r->group) {
		printf("node             %10u\n", r->members[0].node);
		printf("opening images   %10.3f ms\n", crcmd_ms(r->open_ns));
		printf("stream bytes     %10" PRIu64 " (NoC model %.3f ms)\n",
		       r->members[0].stream_bytes, crcmd_ms(r->members[0].model_ns));
		printf("restoring        %10.3f ms\n", crcmd_ms(r->restore_ns));
		printf("total            %10.3f ms\n", crcmd_ms(r->total_ns));
		return;
	}
	for (size_t i = 0; i < r->n; i++)
		printf("pid %-6u node %-3u stream %10" PRIu64 " bytes\n", r->members[i].pid,
		       r->members[i].node, r->members[i].stream_bytes);
	printf("opening images   %10.3f ms\n", crcmd_ms(r->open_ns));
	printf("restoring        %10.3f ms\n", crcmd_ms(r->restore_ns));
	printf("resume           %10.3f us (first member thawed to last)\n",
	       (double)r->resume_ns / 1e3);
	printf("total            %10.3f ms\n", crcmd_ms(r->total_ns));
}

/* --node N|any or --nodes LIST|any into o->nodes (room for max). */
static int crcmd_where(const struct cmdline *c, struct crt_restore_opts *o, int32_t *nodes,
                       size_t max)
{
	uint32_t list[NODELIST_MAX];
	int which = c->set[OPT_NODE] ? OPT_NODE : OPT_NODES;
	const char *v = c->val[which];

	if (c->set[OPT_NODE] && c->set[OPT_NODES]) {
		LOG_ERROR("--node or --nodes, not both (try --help)");
		return CRT_USAGE;
	}
	if (!c->set[which])
		return CRT_OK;
	if (!strcmp(v, "any")) {
		nodes[0] = -1;
		o->n_nodes = 1;
	} else if (which == OPT_NODE) {
		if (cmdline_node("--node", v, list))
			return CRT_USAGE;
		nodes[0] = (int32_t)list[0];
		o->n_nodes = 1;
	} else {
		if (cmdline_nodes("--nodes", v, list, max, &o->n_nodes))
			return CRT_USAGE;
		for (size_t i = 0; i < o->n_nodes; i++)
			nodes[i] = (int32_t)list[i];
	}
	o->nodes = nodes;
	return CRT_OK;
}

int crcmd_restore(struct cmdline *c)
{
	struct crt_restore_opts o = CRT_RESTORE_OPTS_INIT;
	struct crt_restore_result *r;
	uint32_t from[NODELIST_MAX], to[NODELIST_MAX];
	int32_t nodes[NODELIST_MAX];
	crt_board *b;
	int rc;

	if ((rc = cmdline_operands(c, 0, "")))
		return rc;
	if (!c->set[OPT_DIR]) {
		LOG_ERROR("-D DIR is needed (try --help)");
		return CRT_USAGE;
	}
	if ((rc = crcmd_where(c, &o, nodes, NODELIST_MAX)))
		return rc;
	if (c->set[OPT_MAP] &&
	    cmdline_map("--map", c->val[OPT_MAP], from, to, NODELIST_MAX, &o.n_map))
		return CRT_USAGE;
	o.map_from = from;
	o.map_to = to;
	o.dir = c->val[OPT_DIR];
	o.new_pid = c->set[OPT_NEW_PID];
	if (!(b = cmdline_board(c)))
		return CRT_FAILED;
	progress_attach(b);
	rc = crt_restore(b, &o, &r);
	progress_end();
	if (rc)
		return cmdline_fail(b, rc);
	if (c->set[OPT_JSON]) {
		rc = cmdline_print_json(lcjson_restore(r, o.dir));
	} else {
		for (size_t i = 0; i < r->n; i++)
			printf("%u\n", r->members[i].pid);
		if (c->set[OPT_STATS])
			crcmd_print_restore(r);
	}
	crt_free(r);
	return rc;
}
