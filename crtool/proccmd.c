/*
 * proccmd.c - crtool's commands on processes: run, ps, kill, wait, logs
 * (see proccmd.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_MODULE "process"

#include "crtool/args.h"
#include "crtool/client.h"
#include "crtool/proccmd.h"
#include "diag/log.h"
#include "proto/nodelist.h"
#include "proto/rpcwire.h"

/* Largest ELF crtool sends (the protocol's limit, less room for args). */
#define CRTOOL_ELF_MAX (RPCWIRE_MAX - (1u << 20))

static int proccmd_read_elf(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		LOG_ERROR("cannot read %s: %s", path,
		          fd < 0 || errno ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return CRT_USAGE;
	}
	if ((uint64_t)st.st_size > CRTOOL_ELF_MAX) {
		LOG_ERROR("%s is %lld bytes; the limit is %u", path, (long long)st.st_size,
		          CRTOOL_ELF_MAX);
		close(fd);
		return CRT_USAGE;
	}
	*buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	while (*buf && got < (size_t)st.st_size) {
		ssize_t r = read(fd, *buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!*buf || got != (size_t)st.st_size) {
		LOG_ERROR("cannot read %s", path);
		free(*buf);
		return CRT_USAGE;
	}
	*len = got;
	return CRT_OK;
}

/* Parses crtool run's options (before FILE) into run; nodes holds an
 * SPMD list. The index of FILE, or -1 (said). */
static int proccmd_run_opts(int argc, char **argv, Crtool__RunRequest *run, uint32_t *nodes)
{
	int i = 1, n;

	run->has_node = 1;
	run->node = -1;
	while (i + 1 < argc && (!strcmp(argv[i], "--node") || !strcmp(argv[i], "--nodes") ||
	                        !strcmp(argv[i], "--app"))) {
		if (!strcmp(argv[i], "--app")) {
			if (!args_app_name(argv[i + 1]))
				return -1;
			run->app = argv[i + 1];
		} else if (!strcmp(argv[i], "--nodes")) {
			if ((n = nodelist_parse(argv[i + 1], nodes, NODELIST_MAX)) < 0) {
				LOG_ERROR(
					"invalid value '%s' for --nodes: a list of distinct nodes "
					"such as 8-23 or 0,8,9, at most %d",
					argv[i + 1], NODELIST_MAX);
				return -1;
			}
			run->n_nodes = (size_t)n;
			run->nodes = nodes;
		} else {
			char *end;
			long v = strtol(argv[i + 1], &end, 10);
			if (strcmp(argv[i + 1], "any") && (*end || end == argv[i + 1] || v < 0)) {
				LOG_ERROR("--node takes a node number or 'any'");
				return -1;
			}
			run->node = strcmp(argv[i + 1], "any") ? (int32_t)v : -1;
		}
		i += 2;
	}
	if (run->n_nodes && run->node >= 0) {
		LOG_ERROR("--nodes starts one process on each node listed: not with --node");
		return -1;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		LOG_ERROR("no program given (try crtool run --help)");
		return -1;
	}
	return i;
}

int proccmd_run(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__RunRequest run = CRTOOL__RUN_REQUEST__INIT;
	Crtool__Reply *rp;
	uint32_t nodes[NODELIST_MAX];
	int i, rc;
	uint8_t *elf;
	size_t len;

	if ((i = proccmd_run_opts(argc, argv, &run, nodes)) < 0)
		return CRT_USAGE;
	if ((rc = proccmd_read_elf(argv[i], &elf, &len)))
		return rc;
	run.elf.data = elf;
	run.elf.len = len;
	run.n_argv = (size_t)(argc - i);
	run.argv = argv + i;
	rq.req_case = CRTOOL__REQUEST__REQ_RUN;
	rq.run = &run;
	rc = client_call(cl, &rq, CRTOOL__REPLY__REP_RUN, &rp);
	free(elf);
	if (rc)
		return rc;
	if (rp->run->n_pids) /* SPMD: a pid a line, in the order of the nodes */
		for (size_t k = 0; k < rp->run->n_pids; k++)
			printf("%u\n", rp->run->pids[k]);
	else
		printf("%u\n", rp->run->pid);
	crtool__reply__free_unpacked(rp, NULL);
	return CRT_OK;
}

static const char *proccmd_state_name(Crtool__ProcState s)
{
	return s == CRTOOL__PROC_STATE__RUNNING  ? "running"
	       : s == CRTOOL__PROC_STATE__EXITED ? "exited"
	                                         : "killed";
}

static json_t *proccmd_json(const Crtool__ProcInfo *p)
{
	json_t *o = json_pack(
		"{s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "pid",
		(json_int_t)p->pid, "node", (json_int_t)p->node, "name", p->name, "state",
		proccmd_state_name(p->state), "threads", (json_int_t)p->threads, "pages",
		(json_int_t)p->pages, "uarea_bytes", (json_int_t)p->uarea_bytes, "instructions",
		(json_int_t)p->instructions, "kernel_calls", (json_int_t)p->kernel_calls,
		"ikc_messages", (json_int_t)p->ikc_messages, "ikc_bytes", (json_int_t)p->ikc_bytes);
	if (o && p->has_vnode)
		json_object_set_new(o, "vnode", json_integer(p->vnode));
	if (o)
		json_object_set_new(o, "ns_pid", json_integer(p->has_ns_pid ? p->ns_pid : p->pid));
	if (o && p->app)
		json_object_set_new(o, "app", json_string(p->app));
	if (o && p->has_status)
		json_object_set_new(o, "status", json_integer(p->status));
	if (o && p->killed_by)
		json_object_set_new(o, "killed_by", json_string(p->killed_by));
	return o;
}

static void proccmd_end_text(const Crtool__ProcInfo *p, char *buf, size_t n)
{
	if (p->state == CRTOOL__PROC_STATE__RUNNING)
		snprintf(buf, n, "running");
	else if (p->state == CRTOOL__PROC_STATE__EXITED)
		snprintf(buf, n, "exited %d", p->status);
	else
		snprintf(buf, n, "killed %d (%s)", p->status, p->killed_by ? p->killed_by : "?");
}

/* 1 if p belongs to application app (NULL: any process). */
static int proccmd_in_app(const Crtool__ProcInfo *p, const char *app)
{
	return !app || (p->app && !strcmp(p->app, app));
}

int proccmd_ps(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__PsRequest ps = CRTOOL__PS_REQUEST__INIT;
	int json = args_take_flag(&argc, argv, "--json"), rc;
	const char *app = NULL;
	Crtool__Reply *rp;

	if ((rc = args_take_value(&argc, argv, "--app", &app)) < 0 || (app && !args_app_name(app)))
		return CRT_USAGE;
	if ((rc = args_none(argc, argv)))
		return rc;
	rq.req_case = CRTOOL__REQUEST__REQ_PS;
	rq.ps = &ps;
	if ((rc = client_call(cl, &rq, CRTOOL__REPLY__REP_PS, &rp)))
		return rc;
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < rp->ps->n_procs; i++)
			if (proccmd_in_app(rp->ps->procs[i], app))
				json_array_append_new(a, proccmd_json(rp->ps->procs[i]));
		rc = args_print_json(a);
	} else {
		printf("%6s %4s %-18s %7s %6s %12s %6s %5s %6s  %-16s %s\n", "PID", "NODE", "STATE",
		       "THREADS", "PAGES", "INSNS", "UAREA", "VNODE", "NSPID", "NAME", "APP");
		for (size_t i = 0; i < rp->ps->n_procs; i++) {
			const Crtool__ProcInfo *p = rp->ps->procs[i];
			char st[64];
			if (!proccmd_in_app(p, app))
				continue;
			proccmd_end_text(p, st, sizeof(st));
			printf("%6u %4u %-18s %7u %6u %12" PRIu64 " %6u %5u %6u  %-16s %s\n",
			       p->pid, p->node, st, p->threads, p->pages, p->instructions,
			       p->uarea_bytes, p->vnode, p->has_ns_pid ? p->ns_pid : p->pid,
			       p->name, p->app ? p->app : "-");
		}
	}
	crtool__reply__free_unpacked(rp, NULL);
	return rc;
}

int proccmd_kill(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__KillRequest k = CRTOOL__KILL_REQUEST__INIT;
	Crtool__Reply *rp;
	int rc;

	if (!(k.pid = args_pid(argc, argv)))
		return CRT_USAGE;
	rq.req_case = CRTOOL__REQUEST__REQ_KILL;
	rq.kill = &k;
	if ((rc = client_call(cl, &rq, CRTOOL__REPLY__REP__NOT_SET, &rp)))
		return rc;
	crtool__reply__free_unpacked(rp, NULL);
	return CRT_OK;
}

int proccmd_wait(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__WaitRequest w = CRTOOL__WAIT_REQUEST__INIT;
	int json = args_take_flag(&argc, argv, "--json"), rc;
	Crtool__Reply *rp;
	char st[64];

	if (!(w.pid = args_pid(argc, argv)))
		return CRT_USAGE;
	rq.req_case = CRTOOL__REQUEST__REQ_WAIT;
	rq.wait = &w;
	if ((rc = client_call(cl, &rq, CRTOOL__REPLY__REP_WAIT, &rp)))
		return rc;
	if (json) {
		rc = args_print_json(proccmd_json(rp->wait->proc));
	} else {
		proccmd_end_text(rp->wait->proc, st, sizeof(st));
		printf("%s\n", st);
	}
	crtool__reply__free_unpacked(rp, NULL);
	return rc;
}

int proccmd_logs(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__OutputRequest o = CRTOOL__OUTPUT_REQUEST__INIT;
	Crtool__Reply *rp;
	int i, rc, eof = 0;
	FILE *out = stdout;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--follow")) {
			o.has_follow = 1;
			o.follow = 1;
		} else if (!strcmp(argv[i], "--stderr")) {
			o.has_stream = 1;
			o.stream = 2;
			out = stderr;
		} else {
			LOG_ERROR("unknown option '%s' (try --help)", argv[i]);
			return CRT_USAGE;
		}
	}
	if (i + 1 != argc) {
		LOG_ERROR("one pid please (try --help)");
		return CRT_USAGE;
	}
	if (!(o.pid = args_parse_pid(argv[i])))
		return CRT_USAGE;
	rq.req_case = CRTOOL__REQUEST__REQ_OUTPUT;
	rq.output = &o;
	rc = client_call(cl, &rq, CRTOOL__REPLY__REP_OUTPUT, &rp);
	while (!rc) {
		if (rp->output->has_lost && rp->output->lost)
			LOG_WARN("%" PRIu64 " earlier bytes are no longer kept", rp->output->lost);
		if (rp->output->data.len)
			fwrite(rp->output->data.data, 1, rp->output->data.len, out);
		fflush(out);
		eof = rp->output->eof;
		crtool__reply__free_unpacked(rp, NULL);
		if (eof)
			break;
		rc = client_next(cl, CRTOOL__REPLY__REP_OUTPUT, &rp);
	}
	return rc;
}
