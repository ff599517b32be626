/*
 * main.c - the crtool command: talks to a serving board (manycore serve).
 * Its commands are grouped by what they act on: processes (proccmd.c),
 * the board (boardcmd.c), checkpoints (crcmd.c), migrations (migcmd.c)
 * and image sets offline (imgcmd.c).
 *
 *   crtool [--board PATH] COMMAND [OPTIONS] [ARGS]
 *
 * Commands and exit statuses are listed in crtool_usage() and docs/cli.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_MODULE "main"

#include "crtool/args.h"
#include "crtool/boardcmd.h"
#include "crtool/client.h"
#include "crtool/crcmd.h"
#include "crtool/groupcmd.h"
#include "crtool/imgcmd.h"
#include "crtool/migcmd.h"
#include "crtool/proccmd.h"
#include "diag/log.h"
#include "proto/rpcwire.h"

static void crtool_usage(FILE *f)
{
	char path[256];

	fprintf(f,
	        "usage: crtool [--board PATH] [-v] [--log-level L] COMMAND [OPTIONS] [ARGS]\n"
	        "\n"
	        "Checkpoint/restore toolkit for processes of an emulated Nanvix manycore.\n"
	        "Talks to a board started with `manycore serve`, at PATH, else\n"
	        "$CRTOOL_BOARD, else %s.\n"
	        "\n"
	        "  -v, --verbose      say each step on stderr (the same as --log-level debug)\n"
	        "  --log-level L      error, warn, info (default) or debug\n"
	        "\n"
	        "commands:\n"
	        "  run [--node N|any|--nodes LIST] [--app NAME] FILE.elf [ARGS]\n"
	        "                                  start a program (one per node: SPMD);\n"
	        "                                  prints its pid (a pid a line)\n"
	        "  ps [--json] [--app NAME]        list processes (of one application)\n"
	        "  kill PID                        kill a process\n"
	        "  wait [--json] PID               wait for a process to end; prints how\n"
	        "  logs [-f] [--stderr] PID        print a process's output (-f: follow)\n"
	        "  stats [--json]                  host and modelled figures, per cluster\n"
	        "  check                           does the board offer what crtool needs?\n"
	        "  shutdown                        stop the board\n"
	        "  dump -p PID -D DIR [...]        checkpoint a process to an image set\n"
	        "  dump --app NAME -D DIR [...]    a group at one cut (or -p PID,PID,...)\n"
	        "  pre-dump -p PID -D DIR [...]    its pages only; it runs on\n"
	        "  restore -D DIR [...]            rebuild a process, or a group, from images\n"
	        "  migrate -p PID --to NODE [...]  move a process to another cluster\n"
	        "  migrate --app NAME --to LIST    move a group at once (or -p PID,PID, --map)\n"
	        "  drain --node N [...]            move every process off cluster N\n"
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

static const struct cmd crtool_cmds[] = {
	{ "run", "[--node N|any | --nodes LIST] [--app NAME] FILE.elf [ARGS...]",
	  "Starts FILE.elf (an rv32imac ELF) with ARGS on node N, or on the compute\n"
	  "cluster running fewest processes; prints the new pid. --nodes LIST (such\n"
	  "as 8-23 or 0,8,9) is an SPMD launch, as Nanvix runs a program: one process\n"
	  "on each node listed, all or none, each holding its node as its virtual\n"
	  "node; prints their pids, a line each, in the order of LIST. --app NAME\n"
	  "(1-31 letters, digits, '.', '_', '-') tags what it starts as members of\n"
	  "application NAME; an SPMD launch without one is named after the program\n"
	  "and its first pid (nvapi.7). The tag goes with each process wherever it\n"
	  "is moved, dumped or restored.",
	  proccmd_run },
	{ "ps", "[--json] [--app NAME]",
	  "Lists the board's processes, running and recently ended, with the\n"
	  "application of each (APP, - for none); --app NAME lists its members only.",
	  proccmd_ps },
	{ "kill", "PID", "Kills process PID (its status becomes 137).", proccmd_kill },
	{ "wait", "[--json] PID", "Waits for PID to end and prints 'exited N' or 'killed N (why)'.",
	  proccmd_wait },
	{ "logs", "[-f] [--stderr] PID",
	  "Prints what PID wrote to stdout (--stderr: stderr); the board keeps the\n"
	  "last 64 KiB of each. -f follows the output until the process ends.",
	  proccmd_logs },
	{ "stats", "[--json]", "Host and modelled time, NoC traffic, and figures per cluster.",
	  boardcmd_stats },
	{ "check", "",
	  "Checks that the board offers every feature crtool needs, one line each,\n"
	  "then 'Looks good.'; exits 1 if anything is missing.",
	  boardcmd_check },
	{ "shutdown", "", "Stops the board (its processes are killed).", boardcmd_shutdown },
	{ "dump",
	  "(-p PID[,PID...] | --app NAME) -D DIR [--leave-running] [--compress[=LEVEL]]\n"
	  "       [--track-mem] [--prev-images-dir PARENT] [--display-stats] [--json]",
	  "Freezes process PID, writes it as an image set to DIR (new or empty) and\n"
	  "ends it; with --leave-running it runs on. --compress stores pages with\n"
	  "zstd (level 3, or LEVEL). --track-mem lets a later dump name this one as\n"
	  "parent; --prev-images-dir (relative to DIR, e.g. ../pre) stores only\n"
	  "pages written since that pre-dump. --display-stats prints the figures,\n"
	  "--json prints them as an object. If anything fails the process runs\n"
	  "on and DIR is left as it was.\n"
	  "A group (--app NAME: its running members; or -p PID,PID,...) is dumped\n"
	  "at one cut: every member frozen at once, with the messages, portal writes,\n"
	  "allows and signals among them; DIR then holds app.img and a set per member\n"
	  "(pid-N), all or none. --prev-images-dir names a group pre-dump.",
	  crcmd_dump },
	{ "pre-dump",
	  "(-p PID[,PID...] | --app NAME) -D DIR [--compress[=LEVEL]]\n"
	  "       [--prev-images-dir PARENT] [--display-stats] [--json]",
	  "Writes the pages of PID to DIR while it runs on (frozen only while they\n"
	  "are copied) and starts tracking the pages it writes, for a following\n"
	  "`dump --prev-images-dir`. --json prints the figures as an object. A group\n"
	  "(--app, or several pids) is pre-dumped member by member, all at once.",
	  crcmd_pre_dump },
	{ "restore",
	  "-D DIR [--node N] [--new-pid] [--display-stats] [--json]\n"
	  "       -D GROUP [--nodes LIST|any | --map OLD:NEW,...] [--display-stats] [--json]",
	  "Rebuilds the process dumped in DIR (with its parents' pages) on node N or\n"
	  "on the compute cluster running fewest processes, and prints its pid: the\n"
	  "dumped one, or with --new-pid a fresh one (a second copy); --json prints\n"
	  "an object with the pid, node and figures instead. Exits 6 if the\n"
	  "images are invalid or do not fit the board; nothing changes then.\n"
	  "A group's directory (a group dump) is restored whole: every set and pid\n"
	  "checked first, every member rebuilt, then all resumed together; each\n"
	  "member where it ran, or on --nodes (one for all or one each, in pid\n"
	  "order; any: the least busy), or moved by --map. If one member cannot be\n"
	  "restored none is. Prints the pids, a line each.",
	  crcmd_restore },
	{ "migrate",
	  "(-p PID[,PID...] | --app NAME) (--to NODE[,NODE...] | --map OLD:NEW,...)\n"
	  "       [--mode stop-copy|pre-copy|post-copy] [--max-rounds K] [--json]",
	  "Moves running process PID to compute cluster NODE, cluster to cluster\n"
	  "over the NoC: no files. Its peers keep talking to it by pid. Prints the\n"
	  "downtime (stopped to running again, host time), the total time, the\n"
	  "bytes and pages sent and the NoC model's time. If anything fails it\n"
	  "runs on where it was. Modes: stop-copy (freeze, send everything,\n"
	  "resume); pre-copy (rounds of pages while it runs, at most K, default 8,\n"
	  "until few are written between two; then the rest stopped); post-copy\n"
	  "(the UArea and stacks, then it runs on NODE at once: each other page\n"
	  "comes on first touch or is pushed by the source).\n"
	  "A group moves at once, every member in parallel: --app NAME (its running\n"
	  "members) or -p PID,PID,...; --to LIST gives one node for all or one per\n"
	  "member (in pid order), --map OLD:NEW,... moves the members on node OLD to\n"
	  "NEW. Prints each one's figures, then the total; a member that cannot\n"
	  "move runs on where it was and the exit status is 1.",
	  migcmd_migrate },
	{ "drain", "--node N [--to LIST] [--mode stop-copy|pre-copy|post-copy] [--json]",
	  "Moves every process running on cluster N elsewhere, all at once: to the\n"
	  "nodes of LIST in turn, else each to the compute cluster running fewest\n"
	  "processes. Prints each one's figures and the total (--json: an object);\n"
	  "a process that cannot move runs on on N and the exit status is 1.",
	  groupcmd_drain },
	{ "show", "[--json] DIR",
	  "Summarises the image set in DIR: process, threads, regions, pages, sizes\n"
	  "raw and stored, endpoints and its parent chain (--json: as an object).\n"
	  "Of a group dump: its members and the channels among them at the cut.\n"
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
	  "docs/image-format.md (of a group: app.img and every member's set, each\n"
	  "the one app.img names). Exits 0, or prints one line per problem and exits 6\n"
	  "(7 if a file cannot be read at all).",
	  imgcmd_verify },
	{ "diff", "DIR1 DIR2",
	  "Lists what changed from the dump in DIR1 to the one in DIR2: process\n"
	  "fields, threads, regions and pages (through parents); of two groups, each\n"
	  "member's, and the members only one has. Exits 0 if nothing did, 1 if\n"
	  "something did.",
	  imgcmd_diff },
};

int main(int argc, char **argv)
{
	const char *board = getenv("CRTOOL_BOARD");
	char path[256];
	struct client cl = { NULL, -1 };
	static const struct option opts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "log-level", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	int i, o, rc;

	log_set_program("crtool");
	opterr = 0; /* our own messages, in our own words */
	/* "+": options up to the command; the rest are the command's */
	while ((o = getopt_long(argc, argv, "+:hv", opts, NULL)) != -1) {
		switch (o) {
		case 'h': crtool_usage(stdout); return CRT_OK;
		case 'b': board = optarg; break;
		case 'v': log_set_level(LOG_LEVEL_DEBUG); break;
		case 'l':
			if (log_set_level_by_name(optarg)) {
				LOG_ERROR("invalid value '%s' for --log-level (error, warn, info, "
				          "debug)",
				          optarg);
				return CRT_USAGE;
			}
			break;
		case ':':
			LOG_ERROR("%s needs a value (try crtool --help)", argv[optind - 1]);
			return CRT_USAGE;
		default:
			if (optopt)
				LOG_ERROR("unknown option '-%c' (try crtool --help)", optopt);
			else
				LOG_ERROR("unknown option '%s' (try crtool --help)",
				          argv[optind - 1]);
			return CRT_USAGE;
		}
	}
	i = optind;
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
		log_set_command(c->name);
		LOG_DEBUG("board socket %s", cl.path);
		rc = c->fn(&cl, argc - i, argv + i);
		client_close(&cl);
		return rc;
	}
	LOG_ERROR("unknown command '%s' (try crtool --help)", argv[i]);
	return CRT_USAGE;
}
