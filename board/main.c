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
#include <time.h>
#include <unistd.h>

#define LOG_MODULE "main"

#include "board/board.h"
#include "board/checkpoint.h"
#include "board/migration.h"
#include "board/runcr.h"
#include "board/runmode.h"
#include "board/runstats.h"
#include "board/server.h"
#include "board/spawn.h"
#include "core/codepool.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "kernel/cluster.h"
#include "kernel/uarea.h"
#include "params/core_params.h"
#include "params/kparams.h"
#include "params/profile.h"
#include "proto/nodelist.h"
#include "proto/rpcwire.h"

/* Exit statuses of `manycore run` besides the guest's own 0-255. */
enum {
	EXIT_DEADLOCK = 123, /* every thread blocked for good */
	EXIT_LIMIT = 124,    /* --max-instructions reached */
	EXIT_CR = 122,       /* a --cr dump or restore failed */
	EXIT_USAGE = 125,    /* bad command line, or manycore itself failed */
	EXIT_NOEXEC = 126,   /* the guest cannot be loaded */
	EXIT_NOFILE = 127,   /* the guest file cannot be read */
};

/* Processes one `manycore run` may start on its cluster. */
#define RUN_MAX_PROGRAMS 64

extern char **environ;

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: manycore run [OPTIONS] FILE.elf [ARGS...] [--and [--node N] FILE.elf "
	        "[ARGS...]]...\n"
	        "       manycore serve [OPTIONS]   (the board as a service: manycore serve "
	        "--help)\n"
	        "\n"
	        "Boots every cluster of the board profile on its NoC, runs the rv32imac\n"
	        "guest FILE.elf with ARGS on the first compute cluster (and, after each\n"
	        "--and, another program as a separate process, on the same cluster or on\n"
	        "node N) and exits with the first program's status. Programs get pids 1,\n"
	        "2, ... in order. Guest stdout and stderr go to manycore's.\n"
	        "\n"
	        "options:\n"
	        "  --profile NAME        board profile (default: default); see below\n"
	        "  --node N              node of the first program (default: first compute)\n"
	        "  --nodes LIST          SPMD: one process of the program on each node of LIST\n"
	        "                        (e.g. 0,8-23; I/O nodes too), each known by its node;\n"
	        "                        lines prefixed [node N]; status: the first non-zero\n"
	        "  --max-instructions N  kill a guest after N instructions retired\n"
	        "  --stats               print instructions, time, UArea size and more on stderr\n"
	        "  --json                the same figures as a JSON object on stderr\n"
	        "  --memory SIZE         cluster memory instead of the profile's (suffixes K, M)\n"
	        "  --quantum N           instructions per scheduling turn (default: the "
	        "profile's)\n"
	        "  --core interp|jit     run guest code in the interpreter alone, or translate\n"
	        "                        hot blocks to host code (default: jit on x86-64 hosts);\n"
	        "                        the results are the same\n"
	        "  --code-cache SIZE     host memory all translated code may take (default: the\n"
	        "                        profile's, 64M); past it, code caches are flushed\n"
	        "  --cr dump@N           when the first program has retired N instructions, dump\n"
	        "                        it to an image directory and restore it from there on\n"
	        "                        the next compute cluster (repeatable)\n"
	        "  --cr pre@N            pre-dump it there instead; the next dump is incremental\n"
	        "  --cr mig@N            migrate it there (stop-copy) to the next compute cluster\n"
	        "  --cr premig@N         the same, pre-copy (the rounds run while it goes on)\n"
	        "  --cr postmig@N        the same, post-copy (its pages follow as it runs)\n"
	        "  --cr appdump@N        dump every running process as one group at one cut,\n"
	        "                        end them, restore the group where it ran\n"
	        "  --cr appmove@N        the same, each restored on the next compute cluster\n"
	        "  --cr appcopy@N        dump them as one group, leave them running, and run a\n"
	        "                        copy beside them (its output marked [copy node V])\n"
	        "  --cr appmig@N         migrate every running process, each to the next\n"
	        "                        compute cluster (stop-copy, pre-copy, post-copy in turn)\n"
	        "  --cr drain@N          the same for every process on the first program's\n"
	        "                        cluster, spread over the ones after it\n"
	        "  --cr-dir DIR          keep the image sets in DIR (default: a temporary "
	        "directory)\n"
	        "  --cr-level N          zstd level of their pages (default: 0, raw)\n"
	        "  --log-level L         what manycore says on stderr: error, warn, info\n"
	        "                        (default) or debug (each line names its module)\n"
	        "  -h, --help            this text\n"
	        "\n"
	        "exit status: the guest's (0-255) when it exits; 122 a --cr dump, restore or\n"
	        "migration failed (the run goes on as far as it can); 123 every thread of the\n"
	        "guest blocked with nothing left to wake it (deadlock); 124 instruction limit\n"
	        "reached; 125 usage or internal error; 126 the guest cannot be loaded (not a\n"
	        "program, or no memory for it); 127 FILE cannot be read; 128+N the guest\n"
	        "faulted, N as the signal a Linux process would get: 132 illegal instruction,\n"
	        "133 breakpoint, 135 misaligned access, 139 page or access fault.\n"
	        "\n"
	        "profiles:\n");
	for (unsigned i = 0; profile_at(i); i++)
		fprintf(f, "  %-10s %s\n", profile_at(i)->name, profile_at(i)->summary);
}

/* Parses a size with an optional K/M/G suffix; 0 on error. */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return 0;
	switch (*end) {
	case 'k':
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'm':
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'g':
	case 'G':
		v <<= 30;
		end++;
		break;
	default: break;
	}
	return *end ? 0 : v;
}

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

/* Parses a node number for --node; -2 if it is not one. */
static int parse_node(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 1000000)
		return -2;
	return (int)v;
}

/* --code-cache: at least one chunk of code, at most 64 GiB. */
static int parse_code_cache(const char *v, uint64_t *bytes)
{
	uint64_t n = parse_size(v);

	if (n < CODEPOOL_CHUNK_COST || n > (64ull << 30)) {
		LOG_ERROR("invalid value '%s' for --code-cache: a size from %uK to 64G "
		          "(suffixes K, M, G)",
		          v, CODEPOOL_CHUNK_COST / 1024);
		return -1;
	}
	*bytes = n;
	return 0;
}

/* --core interp|jit: 0 with *tier set, or -1 after saying why not. */
static int parse_core(const char *v, enum core_tier *tier)
{
	if (!strcmp(v, "interp")) {
		*tier = CORE_TIER_INTERP;
		return 0;
	}
	if (strcmp(v, "jit")) {
		LOG_ERROR("--core is interp or jit, not '%s'", v);
		return -1;
	}
	if (!mmu_jit_available()) {
		LOG_ERROR("--core jit: this build has no translator on this host (x86-64 only); "
		          "use --core interp");
		return -1;
	}
	*tier = CORE_TIER_JIT;
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	uint64_t max_insns = 0, memory = 0, quantum = 0, code_cache = 0;
	const struct profile *prof = profile_default();
	enum core_tier core = CORE_TIER_DEFAULT;
	int stats = 0, i, rc, status = EXIT_USAGE, node = -1, nspmd = 0;
	uint32_t spmd[RUN_MAX_PROGRAMS];
	struct board *b = NULL;
	struct board_config cfg;
	struct run_prog progs[RUN_MAX_PROGRAMS];
	static struct runcr cr;
	const char *cr_dir = NULL;
	unsigned nprogs = 0, p;
	struct crerr e = CRERR_INIT;
	double t0, t1;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(o, "--stats")) {
			stats = stats ? stats : 1;
		} else if (!strcmp(o, "--json")) {
			stats = 2;
		} else if (!strcmp(o, "--")) {
			i++;
			break;
		} else if (!v) {
			LOG_ERROR("%s needs a value (try --help)", o);
			return EXIT_USAGE;
		} else if (!strcmp(o, "--profile")) {
			if (!(prof = profile_find(v))) {
				LOG_ERROR("no profile '%s' (try --help)", v);
				return EXIT_USAGE;
			}
			i++;
		} else if (!strcmp(o, "--node")) {
			if ((node = parse_node(v)) < 0)
				goto bad_value;
			i++;
		} else if (!strcmp(o, "--nodes")) {
			if ((nspmd = nodelist_parse(v, spmd, RUN_MAX_PROGRAMS)) < 0) {
				LOG_ERROR(
					"invalid value '%s' for --nodes: a list of distinct nodes "
					"such as 0,8-23, at most %d",
					v, RUN_MAX_PROGRAMS);
				return EXIT_USAGE;
			}
			i++;
		} else if (!strcmp(o, "--max-instructions")) {
			max_insns = parse_size(v);
			if (!max_insns)
				goto bad_value;
			i++;
		} else if (!strcmp(o, "--memory")) {
			memory = parse_size(v);
			if (memory < 1024 * 1024 || memory > 0x80000000ull || memory % 4096)
				goto bad_value;
			i++;
		} else if (!strcmp(o, "--quantum")) {
			quantum = parse_size(v);
			if (!quantum || quantum > 0xffffffffull)
				goto bad_value;
			i++;
		} else if (!strcmp(o, "--core")) {
			if (parse_core(v, &core))
				return EXIT_USAGE;
			i++;
		} else if (!strcmp(o, "--code-cache")) {
			if (parse_code_cache(v, &code_cache))
				return EXIT_USAGE;
			i++;
		} else if (!strcmp(o, "--cr")) {
			if (runcr_add(&cr, v))
				goto bad_value;
			i++;
		} else if (!strcmp(o, "--cr-dir")) {
			cr_dir = v;
			i++;
		} else if (!strcmp(o, "--log-level")) {
			if (log_set_level_by_name(v))
				goto bad_value;
			i++;
		} else if (!strcmp(o, "--cr-level")) {
			uint64_t l = parse_size(v);
			if (!l || l > 22)
				goto bad_value;
			cr.level = (int)l;
			i++;
		} else {
			LOG_ERROR("unknown option '%s' (try --help)", o);
			return EXIT_USAGE;
		}
		continue;
	bad_value:
		LOG_ERROR("invalid value '%s' for %s (try --help)", v, o);
		return EXIT_USAGE;
	}
	/* Split the rest into programs at each --and [--node N]. */
	while (i < argc) {
		if (nprogs == RUN_MAX_PROGRAMS) {
			LOG_ERROR("at most %d programs", RUN_MAX_PROGRAMS);
			return EXIT_USAGE;
		}
		if (nprogs && i + 1 < argc && !strcmp(argv[i], "--node")) {
			if ((node = parse_node(argv[i + 1])) < 0) {
				LOG_ERROR("invalid value '%s' for --node", argv[i + 1]);
				return EXIT_USAGE;
			}
			i += 2;
		} else if (nprogs) {
			node = -1;
		}
		progs[nprogs].argv = argv + i;
		progs[nprogs].node = node < 0 ? (int)profile_first_compute(prof) : node;
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
	if (nspmd && (nprogs > 1 || node >= 0)) {
		LOG_ERROR("--nodes runs one program on every node it lists: not with --node or "
		          "--and");
		return EXIT_USAGE;
	}
	/* SPMD: the program once per node, in the order listed. */
	for (p = 0; p < (unsigned)nspmd; p++) {
		progs[p].argv = progs[0].argv;
		progs[p].node = (int)spmd[p];
	}
	if (nspmd)
		nprogs = (unsigned)nspmd;
	cfg = (struct board_config){ .prof = prof,
		                     .memory = (uint32_t)memory,
		                     .quantum = (uint32_t)quantum,
		                     .core = core,
		                     .code_cache = code_cache,
		                     .insn_limit = max_insns,
		                     .host_console = 1,
		                     .console_prefix = nspmd > 1,
		                     .log = stderr,
		                     .on_stop = cr.n ? runcr_on_stop : NULL,
		                     .stop_ctx = &cr,
		                     .node_sched = BOARD_NODES_IDLE };
	if (cr.n && (rc = runcr_setup(&cr, cr_dir))) {
		LOG_ERROR("cannot make the image directory %s: %s", cr_dir ? cr_dir : "in TMPDIR",
		          strerror(-rc));
		return EXIT_USAGE;
	}
	b = board_new(&cfg, &e);
	if (!b) {
		LOG_ERROR("%s", e.msg);
		return EXIT_USAGE;
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
		if (nspmd && !status)
			status = st; /* SPMD: the first non-zero status */
	}
	if (stats) {
		uint32_t pids[RUN_MAX_PROGRAMS];
		for (p = 0; p < nprogs; p++)
			pids[p] = progs[p].pid;
		runstats_print(b, pids, nprogs, t1 - t0, stats == 2);
	}
	if (cr.failed)
		status = EXIT_CR;
out:
	board_free(b);
	runcr_cleanup(&cr);
	return status;
}

static void serve_usage(FILE *f)
{
	char path[256];

	fprintf(f,
	        "usage: manycore serve [--profile NAME] [--socket PATH] [--memory SIZE] [--quantum "
	        "N]\n"
	        "                      [--core interp|jit] [--code-cache SIZE] [--node-sched "
	        "idle|normal]\n"
	        "                      [--log-level L]\n"
	        "\n"
	        "Boots every cluster of the board profile, one host thread each, and serves\n"
	        "the control protocol (proto/rpc.proto) on a Unix socket of mode 0600, for\n"
	        "crtool. Runs until `crtool shutdown`, SIGTERM or SIGINT.\n"
	        "\n"
	        "  --profile NAME  board profile (default: default)\n"
	        "  --socket PATH   where to listen (default: %s)\n"
	        "  --memory SIZE   cluster memory instead of the profile's\n"
	        "  --quantum N     instructions per scheduling turn\n"
	        "  --core interp|jit  the interpreter alone, or hot blocks translated to host\n"
	        "                  code (default: jit on x86-64 hosts)\n"
	        "  --code-cache SIZE  host memory all translated code may take (default: the\n"
	        "                  profile's, 64M)\n"
	        "  --node-sched P  host scheduling of the cluster threads: idle (default;\n"
	        "                  SCHED_IDLE, so crtool and every other host task get a\n"
	        "                  core at once) or normal (the host's default policy)\n"
	        "  --log-level L   what the board says on stderr: error, warn, info (default)\n"
	        "                  or debug (every request and migration step, by module)\n"
	        "\n"
	        "exit status: 0 after a clean shutdown; 1 the socket cannot be set up (or a\n"
	        "board serves there already); 125 usage error.\n",
	        rpcwire_default_path(path, sizeof(path)));
}

/* Says the board serves, once its socket listens (server_run's hook). */
static void serve_ready(void *ctx, const char *path)
{
	struct board *b = ctx;

	printf("manycore serve: board '%s' (%u clusters, core %s) serving on %s\n",
	       board_profile(b)->name, profile_clusters(board_profile(b)),
	       mmu_tier_name(board_core(b)), path);
	fflush(stdout);
}

static int cmd_serve(int argc, char **argv)
{
	const struct profile *prof = profile_default();
	uint64_t memory = 0, quantum = 0, code_cache = 0;
	enum board_node_sched sched = BOARD_NODES_IDLE;
	enum core_tier core = CORE_TIER_DEFAULT;
	char path[256];
	struct crerr e = CRERR_INIT;
	struct board_config cfg;
	struct server_hooks hooks;
	struct board *b;
	int rc, held = -1;

	rpcwire_default_path(path, sizeof(path));
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			serve_usage(stdout);
			return 0;
		}
		if (!v) {
			LOG_ERROR("%s needs a value (try --help)", o);
			return EXIT_USAGE;
		}
		i++;
		if (!strcmp(o, "--profile")) {
			if (!(prof = profile_find(v))) {
				LOG_ERROR("no profile '%s' (try manycore --help)", v);
				return EXIT_USAGE;
			}
		} else if (!strcmp(o, "--socket")) {
			snprintf(path, sizeof(path), "%s", v);
		} else if (!strcmp(o, "--log-level")) {
			if (log_set_level_by_name(v)) {
				LOG_ERROR("invalid value '%s' for --log-level (error, warn, info, "
				          "debug)",
				          v);
				return EXIT_USAGE;
			}
		} else if (!strcmp(o, "--memory")) {
			memory = parse_size(v);
			if (memory < 1024 * 1024 || memory > 0x80000000ull || memory % 4096) {
				LOG_ERROR("invalid value '%s' for --memory", v);
				return EXIT_USAGE;
			}
		} else if (!strcmp(o, "--quantum")) {
			quantum = parse_size(v);
			if (!quantum || quantum > 0xffffffffull) {
				LOG_ERROR("invalid value '%s' for --quantum", v);
				return EXIT_USAGE;
			}
		} else if (!strcmp(o, "--core")) {
			if (parse_core(v, &core))
				return EXIT_USAGE;
		} else if (!strcmp(o, "--code-cache")) {
			if (parse_code_cache(v, &code_cache))
				return EXIT_USAGE;
		} else if (!strcmp(o, "--node-sched")) {
			if (strcmp(v, "idle") && strcmp(v, "normal")) {
				LOG_ERROR("--node-sched is idle or normal, not "
				          "'%s'",
				          v);
				return EXIT_USAGE;
			}
			sched = strcmp(v, "idle") ? BOARD_NODES_NORMAL : BOARD_NODES_IDLE;
		} else {
			LOG_ERROR("unknown option '%s' (try --help)", o);
			return EXIT_USAGE;
		}
	}
	server_block_signals();
	cfg = (struct board_config){ .prof = prof,
		                     .memory = (uint32_t)memory,
		                     .quantum = (uint32_t)quantum,
		                     .core = core,
		                     .code_cache = code_cache,
		                     .log = stderr,
		                     .node_sched = sched };
	b = board_new(&cfg, &e);
	if (!b) {
		LOG_ERROR("%s", e.msg);
		return 1;
	}
	if ((rc = board_start(b))) {
		LOG_ERROR("cannot start cluster threads: %s", strerror(-rc));
		board_free(b);
		return 1;
	}
	hooks = (struct server_hooks){ serve_ready, b, &held };
	rc = server_run(b, path, &hooks, &e);
	if (rc)
		LOG_ERROR("%s", e.msg);
	else
		LOG_INFO("shut down");
	board_free(b);
	if (held >= 0)
		close(held); /* the client that asked for the shutdown: the board is gone */
	return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
	log_set_program("manycore");
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
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
