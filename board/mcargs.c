/*
 * mcargs.c - the `manycore` command's command lines (see mcargs.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "main"

#include "board/mcargs.h"
#include "core/codepool.h"
#include "diag/log.h"
#include "diag/version.h"
#include "proto/nodelist.h"
#include "proto/rpcwire.h"

void mcargs_usage(FILE *f)
{
	fprintf(f,
	        "usage: manycore run [OPTIONS] FILE.elf [ARGS...] [--and [--node N] FILE.elf "
	        "[ARGS...]]...\n"
	        "       manycore serve [OPTIONS]   (the board as a service: manycore serve "
	        "--help)\n"
	        "       manycore -V|--version\n"
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
	        "  --json FILE           the same figures as a JSON object (docs/json.md) in\n"
	        "                        FILE (/dev/fd/N: a descriptor), apart from the guest's\n"
	        "                        output\n"
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
	        "program, or no memory for it); 127 FILE (or --json's) cannot be read or\n"
	        "written; 128+N the guest\n"
	        "faulted, N as the signal a Linux process would get: 132 illegal instruction,\n"
	        "133 breakpoint, 135 misaligned access, 139 page or access fault.\n"
	        "\n"
	        "profiles:\n");
	for (unsigned i = 0; profile_at(i); i++)
		fprintf(f, "  %-10s %s\n", profile_at(i)->name, profile_at(i)->summary);
}

void mcargs_serve_usage(FILE *f)
{
	char path[256];

	fprintf(f,
	        "usage: manycore serve [--profile NAME] [--socket PATH] [--memory SIZE] [--quantum "
	        "N]\n"
	        "                      [--core interp|jit] [--code-cache SIZE] [--node-sched "
	        "idle|normal]\n"
	        "                      [--log-level L] [--daemon] [--pidfile FILE] [--log-file "
	        "FILE]\n"
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
	        "  --daemon        run in the background: returns once the board serves\n"
	        "                  (or has failed to start, with its status)\n"
	        "  --pidfile FILE  write the board's pid to FILE (removed at its end)\n"
	        "  --log-file FILE append what the board says to FILE, not stdout and stderr\n"
	        "  -V, --version   print manycore's version\n"
	        "\n"
	        "exit status: 0 after a clean shutdown; 1 the socket cannot be set up (or a\n"
	        "board serves there already, or the board cannot start); 125 usage error;\n"
	        "127 the pid or log file cannot be written.\n",
	        rpcwire_default_path(path, sizeof(path)));
}

/* Parses a size with an optional K/M/G suffix; 0 on error. */
static uint64_t mcargs_size(const char *s)
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

int mcargs_node(const char *s)
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
static int mcargs_code_cache(const char *v, uint64_t *bytes)
{
	uint64_t n = mcargs_size(v);

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
static int mcargs_core(const char *v, enum core_tier *tier)
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

/* Options of run and serve, one value each (an id above every letter). */
enum {
	MC_HELP = 'h',
	MC_VERSION = 'V',
	MC_PROFILE = 256,
	MC_STATS,
	MC_JSON,
	MC_NODE,
	MC_NODES,
	MC_MAX_INSNS,
	MC_MEMORY,
	MC_QUANTUM,
	MC_CORE,
	MC_CODE_CACHE,
	MC_CR,
	MC_CR_DIR,
	MC_CR_LEVEL,
	MC_LOG_LEVEL,
	MC_SOCKET,
	MC_NODE_SCHED,
	MC_DAEMON,
	MC_PIDFILE,
	MC_LOG_FILE,
	MC_END
};

/* The options both commands take: 0 if o was one of them (applied), 1 if
 * it is another, 2 if it printed the help (usage) or the version, -1
 * after saying what is wrong with optarg. */
static int mcargs_board(int o, const char *name, void (*usage)(FILE *f), struct board_args *a)
{
	switch (o) {
	case MC_HELP: usage(stdout); return 2;
	case MC_VERSION: printf("manycore %s\n", CRTOOL_VERSION); return 2;
	case MC_PROFILE:
		if ((a->prof = profile_find(optarg)))
			return 0;
		LOG_ERROR("no profile '%s' (try manycore --help)", optarg);
		return -1;
	case MC_MEMORY:
		a->memory = mcargs_size(optarg);
		if (a->memory >= 1024 * 1024 && a->memory <= 0x80000000ull && !(a->memory % 4096))
			return 0;
		break;
	case MC_QUANTUM:
		a->quantum = mcargs_size(optarg);
		if (a->quantum && a->quantum <= 0xffffffffull)
			return 0;
		break;
	case MC_CORE: return mcargs_core(optarg, &a->core);
	case MC_CODE_CACHE: return mcargs_code_cache(optarg, &a->code_cache);
	case MC_LOG_LEVEL:
		if (!log_set_level_by_name(optarg))
			return 0;
		break;
	default: return 1;
	}
	LOG_ERROR("invalid value '%s' for --%s (try --help)", optarg, name);
	return -1;
}

/* What mcargs_next gives once it printed the help or the version. */
#define MC_PRINTED (-2)

/* Reads the next option of argv as getopt_long does, saying what is
 * wrong with it, and takes in the ones both commands have (into b; the
 * help printed with usage): the id of the command's own next option, -1
 * at the end, MC_PRINTED, or 0 after a mistake. seen counts each (--cr
 * alone may repeat). */
static int mcargs_next(int argc, char **argv, const char *what, const struct option *lo,
                       unsigned char *seen, void (*usage)(FILE *f), struct board_args *b)
{
	int o, rc, idx;

again:
	idx = -1;
	o = getopt_long(argc, argv, "+:hV", lo, &idx);
	if (o == -1)
		return -1;
	if (o == ':') {
		LOG_ERROR("%s needs a value (try manycore %s --help)", argv[optind - 1], what);
		return 0;
	}
	if (o == '?') {
		if (optopt >= 256)
			LOG_ERROR("%s takes no value (try manycore %s --help)", argv[optind - 1],
			          what);
		else if (optopt)
			LOG_ERROR("unknown option '-%c' (try manycore %s --help)", optopt, what);
		else
			LOG_ERROR("unknown option '%s' (try manycore %s --help)", argv[optind - 1],
			          what);
		return 0;
	}
	if (o >= 256 && o < MC_END && o != MC_CR && seen[o - 256]++) {
		LOG_ERROR("--%s given twice (try manycore %s --help)", lo[idx].name, what);
		return 0;
	}
	if ((rc = mcargs_board(o, idx >= 0 ? lo[idx].name : "?", usage, b)) == 0)
		goto again;
	return rc == 1 ? o : rc == 2 ? MC_PRINTED : 0;
}

#define MC_OPT(name, arg, id)       \
	{                           \
		name, arg, NULL, id \
	}

int mcargs_run(int argc, char **argv, struct run_args *a)
{
	static const struct option lo[] = {
		MC_OPT("help", no_argument, MC_HELP),
		MC_OPT("version", no_argument, MC_VERSION),
		MC_OPT("profile", required_argument, MC_PROFILE),
		MC_OPT("stats", no_argument, MC_STATS),
		MC_OPT("json", required_argument, MC_JSON),
		MC_OPT("node", required_argument, MC_NODE),
		MC_OPT("nodes", required_argument, MC_NODES),
		MC_OPT("max-instructions", required_argument, MC_MAX_INSNS),
		MC_OPT("memory", required_argument, MC_MEMORY),
		MC_OPT("quantum", required_argument, MC_QUANTUM),
		MC_OPT("core", required_argument, MC_CORE),
		MC_OPT("code-cache", required_argument, MC_CODE_CACHE),
		MC_OPT("cr", required_argument, MC_CR),
		MC_OPT("cr-dir", required_argument, MC_CR_DIR),
		MC_OPT("cr-level", required_argument, MC_CR_LEVEL),
		MC_OPT("log-level", required_argument, MC_LOG_LEVEL),
		{ NULL, 0, NULL, 0 },
	};
	unsigned char seen[MC_END - 256] = { 0 };
	uint64_t l;
	int o;

	a->board.prof = profile_default();
	a->node = -1;
	opterr = 0;
	optind = 0; /* 0, not 1: glibc then reads the ordering ("+" or "-") anew */
	while ((o = mcargs_next(argc, argv, "run", lo, seen, mcargs_usage, &a->board)) > 0) {
		switch (o) {
		case MC_STATS: a->stats = 1; break;
		case MC_JSON: a->json_path = optarg; break;
		case MC_NODE:
			if ((a->node = mcargs_node(optarg)) < 0)
				goto bad;
			break;
		case MC_NODES:
			if ((a->nspmd = nodelist_parse(optarg, a->spmd, RUN_MAX_PROGRAMS)) < 0) {
				LOG_ERROR(
					"invalid value '%s' for --nodes: a list of distinct nodes "
					"such as 0,8-23, at most %d",
					optarg, RUN_MAX_PROGRAMS);
				return EXIT_USAGE;
			}
			break;
		case MC_MAX_INSNS:
			if (!(a->max_insns = mcargs_size(optarg)))
				goto bad;
			break;
		case MC_CR:
			if (runcr_add(a->cr, optarg))
				goto bad;
			break;
		case MC_CR_DIR: a->cr_dir = optarg; break;
		case MC_CR_LEVEL:
			if (!(l = mcargs_size(optarg)) || l > 22)
				goto bad;
			a->cr->level = (int)l;
			break;
		default: return EXIT_USAGE;
		}
	}
	if (o == 0 || o == MC_PRINTED)
		return o ? 1 : EXIT_USAGE;
	a->first = optind;
	return 0;
bad:
	LOG_ERROR("invalid value '%s' for %s (try manycore --help)", optarg, argv[optind - 1]);
	return EXIT_USAGE;
}

int mcargs_serve(int argc, char **argv, struct serve_args *a)
{
	static const struct option lo[] = {
		MC_OPT("help", no_argument, MC_HELP),
		MC_OPT("version", no_argument, MC_VERSION),
		MC_OPT("profile", required_argument, MC_PROFILE),
		MC_OPT("socket", required_argument, MC_SOCKET),
		MC_OPT("memory", required_argument, MC_MEMORY),
		MC_OPT("quantum", required_argument, MC_QUANTUM),
		MC_OPT("core", required_argument, MC_CORE),
		MC_OPT("code-cache", required_argument, MC_CODE_CACHE),
		MC_OPT("node-sched", required_argument, MC_NODE_SCHED),
		MC_OPT("log-level", required_argument, MC_LOG_LEVEL),
		MC_OPT("daemon", no_argument, MC_DAEMON),
		MC_OPT("pidfile", required_argument, MC_PIDFILE),
		MC_OPT("log-file", required_argument, MC_LOG_FILE),
		{ NULL, 0, NULL, 0 },
	};
	unsigned char seen[MC_END - 256] = { 0 };
	int o;

	a->board.prof = profile_default();
	a->sched = BOARD_NODES_IDLE;
	rpcwire_default_path(a->path, sizeof(a->path));
	opterr = 0;
	optind = 0; /* 0, not 1: glibc then reads the ordering ("+" or "-") anew */
	while ((o = mcargs_next(argc, argv, "serve", lo, seen, mcargs_serve_usage, &a->board)) >
	       0) {
		switch (o) {
		case MC_SOCKET:
			if (strlen(optarg) >= 108) {
				LOG_ERROR("--socket %s: a socket path has at most 107 bytes",
				          optarg);
				return EXIT_USAGE;
			}
			snprintf(a->path, sizeof(a->path), "%s", optarg);
			break;
		case MC_NODE_SCHED:
			if (strcmp(optarg, "idle") && strcmp(optarg, "normal")) {
				LOG_ERROR("--node-sched is idle or normal, not '%s'", optarg);
				return EXIT_USAGE;
			}
			a->sched = strcmp(optarg, "idle") ? BOARD_NODES_NORMAL : BOARD_NODES_IDLE;
			break;
		case MC_DAEMON: a->daemon = 1; break;
		case MC_PIDFILE: a->pidfile = optarg; break;
		case MC_LOG_FILE: a->log_file = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (o == 0 || o == MC_PRINTED)
		return o ? 1 : EXIT_USAGE;
	if (optind < argc) {
		LOG_ERROR("unexpected '%s': serve takes options only (try manycore serve --help)",
		          argv[optind]);
		return EXIT_USAGE;
	}
	return 0;
}
