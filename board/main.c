/*
 * main.c - the `manycore` command: the emulated board.
 *
 *   manycore run [OPTIONS] FILE.elf [ARGS...]
 *
 * boots one cluster of a board profile in-process, runs guests on it to
 * their end and exits with the first one's status. Exit statuses are listed in usage() and
 * docs/cli.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOG_MODULE "main"

#include "board/board.h"
#include "board/checkpoint.h"
#include "board/mcargs.h"
#include "board/migration.h"
#include "board/runcr.h"
#include "board/runmode.h"
#include "board/runstats.h"
#include "board/server.h"
#include "board/spawn.h"
#include "core/codepool.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "diag/version.h"
#include "kernel/cluster.h"
#include "kernel/uarea.h"
#include "params/core_params.h"
#include "params/kparams.h"
#include "params/profile.h"
#include "proto/nodelist.h"
#include "proto/rpcwire.h"

extern char **environ;

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		int e = S_ISREG(st.st_mode) ? errno : EISDIR;
		close(fd);
		return -e;
	}
	if ((uint64_t)st.st_size > KELF_MAX) {
		close(fd);
		return -EFBIG;
	}
	*buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!*buf) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, *buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;
			free(*buf);
			close(fd);
			return -e;
		}
		got += (size_t)r;
	}
	close(fd);
	*len = got;
	return 0;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One program of the command line. */
struct run_prog {
	char **argv; /* NULL-terminated, inside main's argv */
	int node;
	uint32_t pid;
};

/* Reports how process pid ended (if it did not simply exit) and returns
 * the exit status manycore should give for it. */
static int run_outcome(struct board *b, uint32_t pid, const char *file)
{
	const struct uarea *ua = board_uarea(b, pid);

	switch (ua->killed_by) {
	case KILL_LIMIT:
		LOG_WARN("%s: stopped after %" PRIu64 " instructions (--max-instructions)", file,
		         uarea_instret(ua));
		return EXIT_LIMIT;
	case KILL_DEADLOCK: return EXIT_DEADLOCK;
	default: return ua->status; /* exit status, or 128+signal (reported already) */
	}
}

static int cmd_run(int argc, char **argv)
{
	static struct runcr cr;
	struct run_args a = { .cr = &cr };
	int i, rc, status = EXIT_USAGE, node;
	struct board *b = NULL;
	struct board_config cfg;
	struct run_prog progs[RUN_MAX_PROGRAMS];
	unsigned nprogs = 0, p;
	struct crerr e = CRERR_INIT;
	FILE *json = NULL;
	double t0, t1;

	if ((rc = mcargs_run(argc, argv, &a)))
		return rc == 1 ? 0 : rc;
	i = a.first;
	node = a.node;
	/* Split the rest into programs at each --and [--node N]. */
	while (i < argc) {
		if (nprogs == RUN_MAX_PROGRAMS) {
			LOG_ERROR("at most %d programs", RUN_MAX_PROGRAMS);
			return EXIT_USAGE;
		}
		if (nprogs && i + 1 < argc && !strcmp(argv[i], "--node")) {
			if ((node = mcargs_node(argv[i + 1])) < 0) {
				LOG_ERROR("invalid value '%s' for --node", argv[i + 1]);
				return EXIT_USAGE;
			}
			i += 2;
		} else if (nprogs) {
			node = -1;
		}
		progs[nprogs].argv = argv + i;
		progs[nprogs].node = node < 0 ? (int)profile_first_compute(a.board.prof) : node;
		while (i < argc && strcmp(argv[i], "--and"))
			i++;
		if (i < argc)
			argv[i++] = NULL; /* ends this program's argv */
		if (!progs[nprogs].argv[0]) {
			LOG_ERROR("--and must be followed by a program");
			return EXIT_USAGE;
		}
		nprogs++;
	}
	if (nprogs == 0) {
		LOG_ERROR("no guest program given (try --help)");
		return EXIT_USAGE;
	}
	if (a.nspmd && (nprogs > 1 || node >= 0)) {
		LOG_ERROR("--nodes runs one program on every node it lists: not with --node or "
		          "--and");
		return EXIT_USAGE;
	}
	/* SPMD: the program once per node, in the order listed. */
	for (p = 0; p < (unsigned)a.nspmd; p++) {
		progs[p].argv = progs[0].argv;
		progs[p].node = (int)a.spmd[p];
	}
	if (a.nspmd)
		nprogs = (unsigned)a.nspmd;
	/* opened first: a file that cannot take the figures is said before the run */
	if (a.json_path && !(json = fopen(a.json_path, "we"))) {
		LOG_ERROR("cannot write %s (--json): %s", a.json_path, strerror(errno));
		return EXIT_NOFILE;
	}
	cfg = (struct board_config){ .prof = a.board.prof,
		                     .memory = (uint32_t)a.board.memory,
		                     .quantum = (uint32_t)a.board.quantum,
		                     .core = a.board.core,
		                     .code_cache = a.board.code_cache,
		                     .insn_limit = a.max_insns,
		                     .host_console = 1,
		                     .console_prefix = a.nspmd > 1,
		                     .log = stderr,
		                     .on_stop = cr.n ? runcr_on_stop : NULL,
		                     .stop_ctx = &cr,
		                     .node_sched = BOARD_NODES_IDLE };
	if (cr.n && (rc = runcr_setup(&cr, a.cr_dir))) {
		LOG_ERROR("cannot make the image directory %s: %s",
		          a.cr_dir ? a.cr_dir : "in TMPDIR", strerror(-rc));
		goto out;
	}
	b = board_new(&cfg, &e);
	if (!b) {
		LOG_ERROR("%s", e.msg);
		goto out;
	}
	for (p = 0; p < nprogs; p++) {
		const char *file = progs[p].argv[0];
		uint8_t *img = NULL;
		size_t len = 0;
		rc = read_file(file, &img, &len);
		if (rc) {
			LOG_ERROR("cannot read %s: %s", file, strerror(-rc));
			status = EXIT_NOFILE;
			goto out;
		}
		rc = spawn_process(b, progs[p].node, img, len, progs[p].argv, environ, NULL,
		                   &progs[p].pid, &e);
		free(img);
		if (rc) {
			LOG_ERROR("%s: %s", file, e.msg);
			status = rc == -EINVAL ? EXIT_USAGE : EXIT_NOEXEC;
			goto out;
		}
	}

	if (cr.n)
		checkpoint_set_stop(b, progs[0].pid, cr.point[0].at);
	t0 = now_seconds();
	runmode_run(b);
	t1 = now_seconds();
	status = run_outcome(b, progs[0].pid, progs[0].argv[0]);
	for (p = 1; p < nprogs; p++) {
		int st = run_outcome(b, progs[p].pid, progs[p].argv[0]);
		if (a.nspmd && !status)
			status = st; /* SPMD: the first non-zero status */
	}
	if (a.stats || json) {
		uint32_t pids[RUN_MAX_PROGRAMS];
		for (p = 0; p < nprogs; p++)
			pids[p] = progs[p].pid;
		if (a.stats)
			runstats_print(b, pids, nprogs, t1 - t0, NULL);
		if (json)
			runstats_print(b, pids, nprogs, t1 - t0, json);
	}
	if (cr.failed)
		status = EXIT_CR;
out:
	board_free(b);
	runcr_cleanup(&cr);
	if (json && fclose(json)) {
		LOG_ERROR("cannot write %s (--json): %s", a.json_path, strerror(errno));
		status = status ? status : EXIT_NOFILE;
	}
	return status;
}

/* A serving board's start: what serve_ready tells. */
struct serve_start {
	struct board *b;
	int ready_fd; /* --daemon: the parent waits for a byte here; else -1 */
};

/* Says the board serves, once its socket listens (server_run's hook);
 * a daemon's parent then returns. */
static void serve_ready(void *ctx, const char *path)
{
	struct serve_start *st = ctx;

	printf("manycore serve: board '%s' (%u clusters, core %s) serving on %s\n",
	       board_profile(st->b)->name, profile_clusters(board_profile(st->b)),
	       mmu_tier_name(board_core(st->b)), path);
	fflush(stdout);
	if (st->ready_fd >= 0) {
		if (write(st->ready_fd, "R", 1) != 1) {
			/* the parent is gone: nobody waits */
		}
		close(st->ready_fd);
		st->ready_fd = -1;
	}
}

/*
 * --daemon: forks; the parent waits until the child serves (a byte on a
 * pipe) and exits 0, or with the child's status if it could not start.
 * In the child: a session of its own, stdin from /dev/null. Returns the
 * pipe's write end in the child, -1 after saying why it cannot fork.
 */
static int serve_daemonize(void)
{
	int p[2], st, null;
	char c;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		LOG_ERROR("--daemon: cannot fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &c, 1) == 1)
			_exit(0); /* it serves */
		if (waitpid(pid, &st, 0) == pid && WIFEXITED(st))
			_exit(WEXITSTATUS(st) ? WEXITSTATUS(st) : 1);
		_exit(1);
	}
	close(p[0]);
	setsid();
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	return p[1];
}

/* Sends stdout and stderr to fd (the --log-file, open), or for a daemon
 * without one to /dev/null. */
static void serve_output(int fd, int daemon)
{
	if (fd < 0 && daemon)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	fflush(stdout);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Writes this process's pid to path (--pidfile). 0, or -1 said. */
static int serve_pidfile(const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f)) {
		LOG_ERROR("cannot write pid file %s: %s", path, strerror(errno));
		if (f)
			unlink(path);
		return -1;
	}
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	struct serve_args a = { 0 };
	struct serve_start st = { NULL, -1 };
	struct crerr e = CRERR_INIT;
	struct board_config cfg;
	struct server_hooks hooks;
	int rc, held = -1, logfd = -1;

	if ((rc = mcargs_serve(argc, argv, &a)))
		return rc == 1 ? 0 : rc;
	/* opened before a daemon forks: its failure is said where the
	 * command was typed */
	if (a.log_file &&
	    (logfd = open(a.log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) {
		LOG_ERROR("cannot open log file %s: %s", a.log_file, strerror(errno));
		return EXIT_NOFILE;
	}
	if (a.daemon && (st.ready_fd = serve_daemonize()) < 0)
		return 1;
	serve_output(logfd, a.daemon);
	if (a.pidfile && serve_pidfile(a.pidfile))
		return EXIT_NOFILE;
	server_block_signals();
	cfg = (struct board_config){ .prof = a.board.prof,
		                     .memory = (uint32_t)a.board.memory,
		                     .quantum = (uint32_t)a.board.quantum,
		                     .core = a.board.core,
		                     .code_cache = a.board.code_cache,
		                     .log = stderr,
		                     .node_sched = a.sched };
	if (!(st.b = board_new(&cfg, &e))) {
		LOG_ERROR("%s", e.msg);
		rc = 1;
	} else if ((rc = board_start(st.b))) {
		LOG_ERROR("cannot start cluster threads: %s", strerror(-rc));
		rc = 1;
	} else {
		hooks = (struct server_hooks){ serve_ready, &st, &held };
		if ((rc = server_run(st.b, a.path, &hooks, &e)))
			LOG_ERROR("%s", e.msg);
		else
			LOG_INFO("shut down");
		rc = rc ? 1 : 0;
	}
	board_free(st.b);
	if (a.pidfile)
		unlink(a.pidfile);
	if (held >= 0)
		close(held); /* the client that asked for the shutdown: the board is gone */
	return rc;
}

int main(int argc, char **argv)
{
	log_set_program("manycore");
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		mcargs_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("manycore %s\n", CRTOOL_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "run")) {
		log_set_command("run");
		return cmd_run(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "serve")) {
		log_set_command("serve");
		return cmd_serve(argc - 1, argv + 1);
	}
	LOG_ERROR("unknown command '%s' (try --help)", argv[1]);
	return EXIT_USAGE;
}
