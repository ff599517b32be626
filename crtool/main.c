/*
 * main.c - the crtool command: talks to a serving board (manycore serve).
 *
 *   crtool [--board PATH] COMMAND [OPTIONS] [ARGS]
 *
 * Commands and exit statuses are listed in crtool_usage() and docs/cli.md.
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

#include "crtool/args.h"
#include "crtool/client.h"
#include "crtool/crcmd.h"
#include "crtool/imgcmd.h"
#include "crtool/migcmd.h"
#include "proto/rpcwire.h"

/* Largest ELF crtool sends (the protocol's limit, less room for args). */
#define CRTOOL_ELF_MAX (RPCWIRE_MAX - (1u << 20))

/* Features the board must offer for crtool's commands (see check). */
static const struct {
	const char *name;
	const char *what;
} crtool_needs[] = {
	{ "run", "start programs" },
	{ "ps", "list processes" },
	{ "kill", "kill processes" },
	{ "wait", "wait for a process to end" },
	{ "output", "keep and stream each process's output" },
	{ "stats", "report host and modelled figures" },
	{ "shutdown", "shut down on request" },
	{ "noc.mailbox", "NoC mailboxes (128-byte messages, N-to-1)" },
	{ "noc.portal", "NoC portals (allow, write, read; up to 1 MiB)" },
	{ "noc.sync", "NoC syncs (one-to-all, all-to-one)" },
	{ "noc.naming", "board-wide pids through the name service" },
	{ "noc.model", "a mesh model of NoC time" },
	{ "dump", "checkpoints: freeze, capture, stream the images" },
	{ "pre-dump", "incremental checkpoints with dirty-page tracking" },
	{ "restore", "rebuild a process from images on any cluster" },
	{ "migrate.stop-copy", "move a process cluster to cluster, stopped while it moves" },
	{ "migrate.pre-copy", "move a process while it runs, stopping it only for the rest" },
	{ "migrate.post-copy", "move a process at once, its pages following on demand" },
};

static void crtool_usage(FILE *f)
{
	char path[256];

	fprintf(f,
	        "usage: crtool [--board PATH] COMMAND [OPTIONS] [ARGS]\n"
	        "\n"
	        "Checkpoint/restore toolkit for processes of an emulated Nanvix manycore.\n"
	        "Talks to a board started with `manycore serve`, at PATH, else\n"
	        "$CRTOOL_BOARD, else %s.\n"
	        "\n"
	        "commands:\n"
	        "  run [--node N|any] FILE.elf [ARGS]  start a program; prints its pid\n"
	        "  ps [--json]                     list processes\n"
	        "  kill PID                        kill a process\n"
	        "  wait [--json] PID               wait for a process to end; prints how\n"
	        "  logs [-f] [--stderr] PID        print a process's output (-f: follow)\n"
	        "  stats [--json]                  host and modelled figures, per cluster\n"
	        "  check                           does the board offer what crtool needs?\n"
	        "  shutdown                        stop the board\n"
	        "  dump -p PID -D DIR [...]        checkpoint a process to an image set\n"
	        "  pre-dump -p PID -D DIR [...]    its pages only; it runs on\n"
	        "  restore -D DIR [...]            rebuild a process from an image set\n"
	        "  migrate -p PID --to NODE [...]  move a process to another cluster\n"
	        "offline, on image sets (no board needed):\n"
	        "  show [--json] DIR               summary of an image set and its parents\n"
	        "  decode [--pretty] [--no-payload] FILE   an image file as JSON\n"
	        "  encode JSON FILE                JSON (- for stdin) back into the image file\n"
	        "  verify DIR                      check every rule, through the parents\n"
	        "  diff DIR1 DIR2                  what changed between two dumps\n"
	        "Every command takes --help.\n"
	        "\n"
	        "exit status: 0 done; 1 the board refused (the message says why), check\n"
	        "found something missing, or diff found differences; 2 usage error; 3 no\n"
	        "board answers at the socket; 4 the board's reply made no sense; 5 no such\n"
	        "process; 6 an image is invalid; 7 a host file cannot be read or written;\n"
	        "8 the board serves another user.\n",
	        rpcwire_default_path(path, sizeof(path)));
}

struct cmd {
	const char *name;
	const char *usage; /* after "crtool NAME " */
	const char *help;
	int (*fn)(struct client *cl, int argc, char **argv);
};

/* CRT_OK if command argv[0] got no arguments, else CRT_USAGE, said. */
static int no_args(int argc, char **argv)
{
	if (argc <= 1)
		return CRT_OK;
	fprintf(stderr, "crtool %s: unexpected '%s': it takes no arguments (try --help)\n", argv[0],
	        argv[1]);
	return CRT_USAGE;
}

/* The one pid argument of command argv[0]; 0 after saying what is wrong. */
static uint32_t pid_arg(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "crtool %s: one pid please (try --help)\n", argv[0]);
		return 0;
	}
	return args_parse_pid(argv[1]);
}

static int read_elf(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "crtool run: cannot read %s: %s\n", path,
		        fd < 0 || errno ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return CRT_USAGE;
	}
	if ((uint64_t)st.st_size > CRTOOL_ELF_MAX) {
		fprintf(stderr, "crtool run: %s is %lld bytes; the limit is %u\n", path,
		        (long long)st.st_size, CRTOOL_ELF_MAX);
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
		fprintf(stderr, "crtool run: cannot read %s\n", path);
		free(*buf);
		return CRT_USAGE;
	}
	*len = got;
	return CRT_OK;
}

static int cmd_run(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__RunRequest run = CRTOOL__RUN_REQUEST__INIT;
	Crtool__Reply *rp;
	int i = 1, rc;
	uint8_t *elf;
	size_t len;

	run.has_node = 1;
	run.node = -1;
	if (i + 1 < argc && !strcmp(argv[i], "--node")) {
		char *end;
		long v = strtol(argv[i + 1], &end, 10);
		if (strcmp(argv[i + 1], "any") && (*end || end == argv[i + 1] || v < 0)) {
			fprintf(stderr, "crtool run: --node takes a node number or 'any'\n");
			return CRT_USAGE;
		}
		run.node = strcmp(argv[i + 1], "any") ? (int32_t)v : -1;
		i += 2;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		fprintf(stderr, "crtool run: no program given (try crtool run --help)\n");
		return CRT_USAGE;
	}
	if ((rc = read_elf(argv[i], &elf, &len)))
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
	printf("%u\n", rp->run->pid);
	crtool__reply__free_unpacked(rp, NULL);
	return CRT_OK;
}

static const char *state_name(Crtool__ProcState s)
{
	return s == CRTOOL__PROC_STATE__RUNNING  ? "running"
	       : s == CRTOOL__PROC_STATE__EXITED ? "exited"
	                                         : "killed";
}

static json_t *proc_json(const Crtool__ProcInfo *p)
{
	json_t *o = json_pack(
		"{s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "pid",
		(json_int_t)p->pid, "node", (json_int_t)p->node, "name", p->name, "state",
		state_name(p->state), "threads", (json_int_t)p->threads, "pages",
		(json_int_t)p->pages, "uarea_bytes", (json_int_t)p->uarea_bytes, "instructions",
		(json_int_t)p->instructions, "kernel_calls", (json_int_t)p->kernel_calls,
		"ikc_messages", (json_int_t)p->ikc_messages, "ikc_bytes", (json_int_t)p->ikc_bytes);
	if (o && p->has_status)
		json_object_set_new(o, "status", json_integer(p->status));
	if (o && p->killed_by)
		json_object_set_new(o, "killed_by", json_string(p->killed_by));
	return o;
}

static void proc_end_text(const Crtool__ProcInfo *p, char *buf, size_t n)
{
	if (p->state == CRTOOL__PROC_STATE__RUNNING)
		snprintf(buf, n, "running");
	else if (p->state == CRTOOL__PROC_STATE__EXITED)
		snprintf(buf, n, "exited %d", p->status);
	else
		snprintf(buf, n, "killed %d (%s)", p->status, p->killed_by ? p->killed_by : "?");
}

static int cmd_ps(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__PsRequest ps = CRTOOL__PS_REQUEST__INIT;
	int json = args_take_flag(&argc, argv, "--json"), rc;
	Crtool__Reply *rp;

	if ((rc = no_args(argc, argv)))
		return rc;
	rq.req_case = CRTOOL__REQUEST__REQ_PS;
	rq.ps = &ps;
	if ((rc = client_call(cl, &rq, CRTOOL__REPLY__REP_PS, &rp)))
		return rc;
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < rp->ps->n_procs; i++)
			json_array_append_new(a, proc_json(rp->ps->procs[i]));
		rc = args_print_json(a);
	} else {
		printf("%6s %4s %-18s %7s %6s %12s %6s  %s\n", "PID", "NODE", "STATE", "THREADS",
		       "PAGES", "INSNS", "UAREA", "NAME");
		for (size_t i = 0; i < rp->ps->n_procs; i++) {
			const Crtool__ProcInfo *p = rp->ps->procs[i];
			char st[64];
			proc_end_text(p, st, sizeof(st));
			printf("%6u %4u %-18s %7u %6u %12" PRIu64 " %6u  %s\n", p->pid, p->node, st,
			       p->threads, p->pages, p->instructions, p->uarea_bytes, p->name);
		}
	}
	crtool__reply__free_unpacked(rp, NULL);
	return rc;
}

static int cmd_kill(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__KillRequest k = CRTOOL__KILL_REQUEST__INIT;
	Crtool__Reply *rp;
	int rc;

	if (!(k.pid = pid_arg(argc, argv)))
		return CRT_USAGE;
	rq.req_case = CRTOOL__REQUEST__REQ_KILL;
	rq.kill = &k;
	if ((rc = client_call(cl, &rq, CRTOOL__REPLY__REP__NOT_SET, &rp)))
		return rc;
	crtool__reply__free_unpacked(rp, NULL);
	return CRT_OK;
}

static int cmd_wait(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__WaitRequest w = CRTOOL__WAIT_REQUEST__INIT;
	int json = args_take_flag(&argc, argv, "--json"), rc;
	Crtool__Reply *rp;
	char st[64];

	if (!(w.pid = pid_arg(argc, argv)))
		return CRT_USAGE;
	rq.req_case = CRTOOL__REQUEST__REQ_WAIT;
	rq.wait = &w;
	if ((rc = client_call(cl, &rq, CRTOOL__REPLY__REP_WAIT, &rp)))
		return rc;
	if (json) {
		rc = args_print_json(proc_json(rp->wait->proc));
	} else {
		proc_end_text(rp->wait->proc, st, sizeof(st));
		printf("%s\n", st);
	}
	crtool__reply__free_unpacked(rp, NULL);
	return rc;
}

static int cmd_logs(struct client *cl, int argc, char **argv)
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
			fprintf(stderr, "crtool logs: unknown option '%s' (try --help)\n", argv[i]);
			return CRT_USAGE;
		}
	}
	if (i + 1 != argc) {
		fprintf(stderr, "crtool logs: one pid please (try --help)\n");
		return CRT_USAGE;
	}
	if (!(o.pid = args_parse_pid(argv[i])))
		return CRT_USAGE;
	rq.req_case = CRTOOL__REQUEST__REQ_OUTPUT;
	rq.output = &o;
	rc = client_call(cl, &rq, CRTOOL__REPLY__REP_OUTPUT, &rp);
	while (!rc) {
		if (rp->output->has_lost && rp->output->lost)
			fprintf(stderr,
			        "crtool logs: %" PRIu64 " earlier bytes are no longer kept\n",
			        rp->output->lost);
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

static int cmd_stats(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__StatsRequest sr = CRTOOL__STATS_REQUEST__INIT;
	int json = args_take_flag(&argc, argv, "--json"), rc;
	Crtool__StatsReply *s;
	Crtool__Reply *rp;

	if ((rc = no_args(argc, argv)))
		return rc;
	rq.req_case = CRTOOL__REQUEST__REQ_STATS;
	rq.stats = &sr;
	if ((rc = client_call(cl, &rq, CRTOOL__REPLY__REP_STATS, &rp)))
		return rc;
	s = rp->stats;
	if (json) {
		json_t *o = json_pack(
			"{s:s, s:s, s:f, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I}}", "version",
			s->version, "profile", s->profile, "host_seconds", s->host_seconds,
			"model_ns", (json_int_t)s->model_ns, "spawned", (json_int_t)s->spawned,
			"running", (json_int_t)s->running, "noc", "messages",
			(json_int_t)s->noc_messages, "bytes", (json_int_t)s->noc_bytes, "hops",
			(json_int_t)s->noc_hops, "model_ns", (json_int_t)s->noc_model_ns);
		json_t *a = json_array();
		for (size_t i = 0; i < s->n_clusters; i++) {
			const Crtool__ClusterStats *c = s->clusters[i];
			json_array_append_new(
				a, json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
			                     "s:I, s:I, s:I}",
			                     "node", (json_int_t)c->node, "kind",
			                     c->io ? "io" : "compute", "processes",
			                     (json_int_t)c->processes, "model_ns",
			                     (json_int_t)c->model_ns, "instructions",
			                     (json_int_t)c->instructions, "user_kib_used",
			                     (json_int_t)c->user_kib_used, "user_kib_limit",
			                     (json_int_t)c->user_kib_limit, "noc_messages",
			                     (json_int_t)c->noc_messages, "noc_bytes",
			                     (json_int_t)c->noc_bytes, "noc_hops",
			                     (json_int_t)c->noc_hops, "noc_model_ns",
			                     (json_int_t)c->noc_model_ns, "name_hits",
			                     (json_int_t)c->name_hits, "name_lookups",
			                     (json_int_t)c->name_lookups));
		}
		if (o)
			json_object_set_new(o, "clusters", a);
		else
			json_decref(a);
		rc = args_print_json(o);
	} else {
		printf("board: profile %s, manycore %s, up %.3f s host, %.6f s modelled\n",
		       s->profile, s->version, s->host_seconds, (double)s->model_ns * 1e-9);
		printf("processes: %" PRIu64 " started, %u running\n", s->spawned, s->running);
		printf("noc: %" PRIu64 " messages, %" PRIu64 " bytes, %" PRIu64
		       " hops, %.6f s modelled transfer time\n",
		       s->noc_messages, s->noc_bytes, s->noc_hops, (double)s->noc_model_ns * 1e-9);
		printf("%4s %-7s %5s %12s %14s %14s %10s %12s %8s\n", "NODE", "KIND", "PROCS",
		       "MODEL_S", "INSNS", "USER_KIB", "NOC_MSGS", "NOC_BYTES", "LOOKUPS");
		for (size_t i = 0; i < s->n_clusters; i++) {
			const Crtool__ClusterStats *c = s->clusters[i];
			char mem[32];
			snprintf(mem, sizeof(mem), "%u/%u", c->user_kib_used, c->user_kib_limit);
			printf("%4u %-7s %5u %12.6f %14" PRIu64 " %14s %10" PRIu64 " %12" PRIu64
			       " %8" PRIu64 "\n",
			       c->node, c->io ? "io" : "compute", c->processes,
			       (double)c->model_ns * 1e-9, c->instructions, mem, c->noc_messages,
			       c->noc_bytes, c->name_lookups);
		}
	}
	crtool__reply__free_unpacked(rp, NULL);
	return rc;
}

static int cmd_check(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__StatsRequest sr = CRTOOL__STATS_REQUEST__INIT;
	Crtool__Reply *rp;
	int rc, missing = 0;

	if ((rc = no_args(argc, argv)))
		return rc;
	rq.req_case = CRTOOL__REQUEST__REQ_STATS;
	rq.stats = &sr;
	if ((rc = client_call(cl, &rq, CRTOOL__REPLY__REP_STATS, &rp)))
		return rc;
	printf("%-12s ok: manycore %s, profile %s, %zu clusters answering\n", "board",
	       rp->stats->version, rp->stats->profile, rp->stats->n_clusters);
	for (size_t i = 0; i < sizeof(crtool_needs) / sizeof(crtool_needs[0]); i++) {
		int have = 0;
		for (size_t k = 0; k < rp->stats->n_features; k++)
			have |= !strcmp(rp->stats->features[k], crtool_needs[i].name);
		printf("%-12s %s: %s\n", crtool_needs[i].name, have ? "ok" : "MISSING",
		       crtool_needs[i].what);
		missing += !have;
	}
	if (missing)
		printf("%d feature%s missing: this board is older than crtool; rebuild it\n",
		       missing, missing == 1 ? " is" : "s are");
	else
		printf("Looks good.\n");
	crtool__reply__free_unpacked(rp, NULL);
	return missing ? CRT_FAILED : CRT_OK;
}

static int cmd_shutdown(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__ShutdownRequest sd = CRTOOL__SHUTDOWN_REQUEST__INIT;
	Crtool__Reply *rp;
	int rc;

	if ((rc = no_args(argc, argv)))
		return rc;
	rq.req_case = CRTOOL__REQUEST__REQ_SHUTDOWN;
	rq.shutdown = &sd;
	if ((rc = client_call(cl, &rq, CRTOOL__REPLY__REP__NOT_SET, &rp)))
		return rc;
	crtool__reply__free_unpacked(rp, NULL);
	return CRT_OK;
}

static const struct cmd crtool_cmds[] = {
	{ "run", "[--node N|any] FILE.elf [ARGS...]",
	  "Starts FILE.elf (an rv32imac ELF) with ARGS on node N, or on the compute\n"
	  "cluster running fewest processes; prints the new pid.",
	  cmd_run },
	{ "ps", "[--json]", "Lists the board's processes, running and recently ended.", cmd_ps },
	{ "kill", "PID", "Kills process PID (its status becomes 137).", cmd_kill },
	{ "wait", "[--json] PID", "Waits for PID to end and prints 'exited N' or 'killed N (why)'.",
	  cmd_wait },
	{ "logs", "[-f] [--stderr] PID",
	  "Prints what PID wrote to stdout (--stderr: stderr); the board keeps the\n"
	  "last 64 KiB of each. -f follows the output until the process ends.",
	  cmd_logs },
	{ "stats", "[--json]", "Host and modelled time, NoC traffic, and figures per cluster.",
	  cmd_stats },
	{ "check", "",
	  "Checks that the board offers every feature crtool needs, one line each,\n"
	  "then 'Looks good.'; exits 1 if anything is missing.",
	  cmd_check },
	{ "shutdown", "", "Stops the board (its processes are killed).", cmd_shutdown },
	{ "dump",
	  "-p PID -D DIR [--leave-running] [--compress[=LEVEL]] [--track-mem]\n"
	  "       [--prev-images-dir PARENT] [--display-stats] [--json]",
	  "Freezes process PID, writes it as an image set to DIR (new or empty) and\n"
	  "ends it; with --leave-running it runs on. --compress stores pages with\n"
	  "zstd (level 3, or LEVEL). --track-mem lets a later dump name this one as\n"
	  "parent; --prev-images-dir (relative to DIR, e.g. ../pre) stores only\n"
	  "pages written since that pre-dump. --display-stats prints the figures,\n"
	  "--json prints them as an object. If anything fails the process runs\n"
	  "on and DIR is left as it was.",
	  crcmd_dump },
	{ "pre-dump",
	  "-p PID -D DIR [--compress[=LEVEL]] [--prev-images-dir PARENT]\n"
	  "       [--display-stats] [--json]",
	  "Writes the pages of PID to DIR while it runs on (frozen only while they\n"
	  "are copied) and starts tracking the pages it writes, for a following\n"
	  "`dump --prev-images-dir`. --json prints the figures as an object.",
	  crcmd_pre_dump },
	{ "restore", "-D DIR [--node N] [--new-pid] [--display-stats] [--json]",
	  "Rebuilds the process dumped in DIR (with its parents' pages) on node N or\n"
	  "on the compute cluster running fewest processes, and prints its pid: the\n"
	  "dumped one, or with --new-pid a fresh one (a second copy); --json prints\n"
	  "an object with the pid, node and figures instead. Exits 6 if the\n"
	  "images are invalid or do not fit the board; nothing changes then.",
	  crcmd_restore },
	{ "migrate",
	  "-p PID --to NODE [--mode stop-copy|pre-copy|post-copy] [--max-rounds K] [--json]",
	  "Moves running process PID to compute cluster NODE, cluster to cluster\n"
	  "over the NoC: no files. Its peers keep talking to it by pid. Prints the\n"
	  "downtime (stopped to running again, host time), the total time, the\n"
	  "bytes and pages sent and the NoC model's time. If anything fails it\n"
	  "runs on where it was. Modes: stop-copy (freeze, send everything,\n"
	  "resume); pre-copy (rounds of pages while it runs, at most K, default 8,\n"
	  "until few are written between two; then the rest stopped); post-copy\n"
	  "(the UArea and stacks, then it runs on NODE at once: each other page\n"
	  "comes on first touch or is pushed by the source).",
	  migcmd_migrate },
	{ "show", "[--json] DIR",
	  "Summarises the image set in DIR: process, threads, regions, pages, sizes\n"
	  "raw and stored, endpoints and its parent chain (--json: as an object).\n"
	  "Exits 6 if it is invalid.",
	  imgcmd_show },
	{ "decode", "[--pretty] [--no-payload] FILE",
	  "Prints image file FILE (e.g. DIR/pages.img) as JSON, page payloads in\n"
	  "base64 unless --no-payload. `crtool encode` turns it back into the same bytes.",
	  imgcmd_decode },
	{ "encode", "JSON FILE",
	  "Writes the image file that JSON (as decode prints it; - for stdin)\n"
	  "describes to FILE, atomically. Refuses unknown fields, missing fields,\n"
	  "wrong types and payloads that do not match their block header.",
	  imgcmd_encode },
	{ "verify", "DIR",
	  "Checks the image set in DIR and its parents against every rule of\n"
	  "docs/image-format.md. Exits 0, or prints one line per problem and exits 6\n"
	  "(7 if a file cannot be read at all).",
	  imgcmd_verify },
	{ "diff", "DIR1 DIR2",
	  "Lists what changed from the dump in DIR1 to the one in DIR2: process\n"
	  "fields, threads, regions and pages (through parents). Exits 0 if nothing\n"
	  "did, 1 if something did.",
	  imgcmd_diff },
};

int main(int argc, char **argv)
{
	const char *board = getenv("CRTOOL_BOARD");
	char path[256];
	struct client cl = { NULL, -1 };
	int i = 1, rc;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			crtool_usage(stdout);
			return CRT_OK;
		} else if (!strcmp(argv[i], "--board") && i + 1 < argc) {
			board = argv[i + 1];
			i += 2;
		} else {
			fprintf(stderr, "crtool: unknown option '%s' (try crtool --help)\n",
			        argv[i]);
			return CRT_USAGE;
		}
	}
	if (i >= argc) {
		crtool_usage(stderr);
		return CRT_USAGE;
	}
	if (!board || !*board)
		board = rpcwire_default_path(path, sizeof(path));
	cl.path = board;
	for (size_t k = 0; k < sizeof(crtool_cmds) / sizeof(crtool_cmds[0]); k++) {
		const struct cmd *c = &crtool_cmds[k];
		if (strcmp(argv[i], c->name))
			continue;
		for (int j = i + 1; j < argc && strcmp(argv[j], "--"); j++)
			if (!strcmp(argv[j], "-h") || !strcmp(argv[j], "--help")) {
				printf("usage: crtool [--board PATH] %s %s\n\n%s\n", c->name,
				       c->usage, c->help);
				return CRT_OK;
			}
		rc = c->fn(&cl, argc - i, argv + i);
		client_close(&cl);
		return rc;
	}
	fprintf(stderr, "crtool: unknown command '%s' (try crtool --help)\n", argv[i]);
	return CRT_USAGE;
}
