/*
 * proccmd.c - crtool's commands on processes (see proccmd.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define LOG_MODULE "process"

#include "crtool/proccmd.h"
#include "diag/log.h"
#include "libcrtool/lcjson.h"
#include "proto/nodelist.h"

cmdline_opts proccmd_run_opts = { OPT_NODE, OPT_NODES, OPT_APP, OPT_JSON, -1 };
cmdline_opts proccmd_ps_opts = { OPT_JSON, OPT_APP, -1 };
cmdline_opts proccmd_kill_opts = { OPT_JSON, -1 };
cmdline_opts proccmd_wait_opts = { OPT_JSON, -1 };
cmdline_opts proccmd_logs_opts = { OPT_FOLLOW, OPT_STDERR, -1 };

int proccmd_run(struct cmdline *c)
{
	struct crt_run_opts o = CRT_RUN_OPTS_INIT;
	uint32_t nodes[NODELIST_MAX], node, *pids;
	crt_board *b;
	size_t n;
	int rc;

	if (c->set[OPT_NODE] && strcmp(c->val[OPT_NODE], "any")) {
		if (cmdline_node("--node", c->val[OPT_NODE], &node))
			return CRT_USAGE;
		o.node = (int)node;
	}
	if (c->set[OPT_NODES] &&
	    cmdline_nodes("--nodes", c->val[OPT_NODES], nodes, NODELIST_MAX, &o.n_nodes))
		return CRT_USAGE;
	if (c->set[OPT_NODE] && c->set[OPT_NODES]) {
		LOG_ERROR("--nodes starts one process on each node listed: not with --node");
		return CRT_USAGE;
	}
	if (!c->argc) {
		LOG_ERROR("no program given (try crtool run --help)");
		return CRT_USAGE;
	}
	o.nodes = nodes;
	o.app = c->val[OPT_APP];
	o.path = c->argv[0];
	o.argv = (const char *const *)c->argv;
	o.argc = (size_t)c->argc;
	if (!(b = cmdline_board(c)))
		return CRT_FAILED;
	if ((rc = crt_run(b, &o, &pids, &n)))
		return cmdline_fail(b, rc);
	if (c->set[OPT_JSON]) {
		rc = cmdline_print_json(lcjson_run(pids, n));
	} else {
		for (size_t i = 0; i < n; i++) /* a pid a line, in the order of the nodes */
			printf("%u\n", pids[i]);
	}
	crt_free(pids);
	return rc;
}

/* How p ended (or "running"), into buf. */
static void proccmd_end_text(const struct crt_proc *p, char *buf, size_t n)
{
	if (p->state == CRT_RUNNING)
		snprintf(buf, n, "running");
	else if (p->state == CRT_EXITED)
		snprintf(buf, n, "exited %d", p->status);
	else
		snprintf(buf, n, "killed %d (%s)", p->status, p->killed_by[0] ? p->killed_by : "?");
}

int proccmd_ps(struct cmdline *c)
{
	struct crt_proc *p;
	crt_board *b;
	size_t n;
	int rc;

	if ((rc = cmdline_operands(c, 0, "")))
		return rc;
	if (!(b = cmdline_board(c)))
		return CRT_FAILED;
	if ((rc = crt_ps(b, c->val[OPT_APP], &p, &n)))
		return cmdline_fail(b, rc);
	if (c->set[OPT_JSON]) {
		rc = cmdline_print_json(lcjson_ps(p, n));
		crt_free(p);
		return rc;
	}
	printf("%6s %4s %-18s %7s %6s %12s %6s %5s %6s  %-16s %s\n", "PID", "NODE", "STATE",
	       "THREADS", "PAGES", "INSNS", "UAREA", "VNODE", "NSPID", "NAME", "APP");
	for (size_t i = 0; i < n; i++) {
		char st[64];
		proccmd_end_text(&p[i], st, sizeof(st));
		printf("%6u %4u %-18s %7u %6u %12" PRIu64 " %6u %5u %6u  %-16s %s\n", p[i].pid,
		       p[i].node, st, p[i].threads, p[i].pages, p[i].instructions, p[i].uarea_bytes,
		       p[i].vnode, p[i].ns_pid, p[i].name, p[i].app[0] ? p[i].app : "-");
	}
	crt_free(p);
	return CRT_OK;
}

/* The one pid operand of c into *pid, and the board's handle into *b:
 * CRT_OK, CRT_USAGE or CRT_FAILED (said). */
static int proccmd_pid(struct cmdline *c, uint32_t *pid, crt_board **b)
{
	int rc = cmdline_operands(c, 1, "one pid");

	if (rc == CRT_OK && cmdline_pid("pid", c->argv[0], pid))
		rc = CRT_USAGE;
	if (rc == CRT_OK && !(*b = cmdline_board(c)))
		rc = CRT_FAILED;
	return rc;
}

int proccmd_kill(struct cmdline *c)
{
	uint32_t pid;
	crt_board *b;
	int rc;

	if ((rc = proccmd_pid(c, &pid, &b)))
		return rc;
	if ((rc = crt_kill(b, pid)))
		return cmdline_fail(b, rc);
	if (c->set[OPT_JSON]) {
		json_t *o = lcjson_object("kill");
		if (o)
			json_object_set_new(o, "pid", json_integer(pid));
		return cmdline_print_json(o);
	}
	return CRT_OK;
}

int proccmd_wait(struct cmdline *c)
{
	struct crt_proc p;
	uint32_t pid;
	crt_board *b;
	char st[64];
	int rc;

	if ((rc = proccmd_pid(c, &pid, &b)))
		return rc;
	if ((rc = crt_wait(b, pid, &p)))
		return cmdline_fail(b, rc);
	if (c->set[OPT_JSON]) {
		if ((rc = cmdline_print_json(lcjson_wait(&p))))
			return rc;
	} else {
		proccmd_end_text(&p, st, sizeof(st));
		if (p.has_fault)
			printf("%s: %s at pc 0x%08" PRIx32 ", address 0x%08" PRIx32 ", thread %u\n",
			       st, p.fault, p.fault_pc, p.fault_addr, p.fault_tid);
		else
			printf("%s\n", st);
	}
	/* as the shell's wait: the process's status (128+signal if killed) */
	return p.status;
}

/* Writes a piece of a process's output to the FILE in ctx. */
static int proccmd_put(void *ctx, const void *data, size_t len, uint64_t lost)
{
	if (lost)
		LOG_WARN("%" PRIu64 " earlier bytes are no longer kept", lost);
	if (len && fwrite(data, 1, len, ctx) != len)
		return 1;
	return fflush(ctx) != 0;
}

int proccmd_logs(struct cmdline *c)
{
	FILE *out = c->set[OPT_STDERR] ? stderr : stdout;
	uint32_t pid;
	crt_board *b;
	int rc;

	if ((rc = proccmd_pid(c, &pid, &b)))
		return rc;
	rc = crt_logs(b, pid, c->set[OPT_STDERR] ? 2 : 1, c->set[OPT_FOLLOW], proccmd_put, out);
	return cmdline_fail(b, rc);
}
