/*
 * main.c - the crtool command, a thin command line over libcrtool: it
 * reads options (cmdline.c), calls the library and prints the results.
 * Its commands are grouped by what they act on: processes (proccmd.c),
 * the board (boardcmd.c), checkpoints (crcmd.c), migrations (migcmd.c)
 * and image sets offline (imgcmd.c).
 *
 *   crtool [OPTIONS] COMMAND [OPTIONS] [ARGS]
 *
 * Commands and exit statuses are listed in crtool_usage() and docs/cli.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "main"

#include "crtool/boardcmd.h"
#include "crtool/cmdline.h"
#include "crtool/crcmd.h"
#include "crtool/diffcmd.h"
#include "crtool/imgcmd.h"
#include "crtool/migcmd.h"
#include "crtool/proccmd.h"
#include "crtool/showcmd.h"
#include "diag/log.h"
#include "libcrtool/libcrtool.h"

struct cmd {
	const char *name;
	const char *usage; /* after "crtool NAME " */
	const char *summary;
	const char *help;
	const int *opts;
	int (*fn)(struct cmdline *c);
};

static const struct cmd crtool_cmds[] = {
	{ "run", "[--node N|any | --nodes LIST] [--app NAME] [--json] FILE.elf [ARGS...]",
	  "start a program (one per node: SPMD); prints its pids",
	  "Starts FILE.elf (an rv32imac ELF) with ARGS on node N, or on the compute\n"
	  "cluster running fewest processes; prints the new pid. Everything after\n"
	  "FILE.elf is the program's (crtool run prog.elf --help passes --help to it).\n"
	  "--nodes LIST (such as 8-23 or 0,8,9) is an SPMD launch, as Nanvix runs a\n"
	  "program: one process on each node listed, all or none, each holding its\n"
	  "node as its virtual node; prints their pids, a line each, in the order of\n"
	  "LIST. --app NAME tags what it starts as members of application NAME; an\n"
	  "SPMD launch without one is named after the program and its first pid\n"
	  "(nvapi.7). The tag goes with each process wherever it is moved, dumped or\n"
	  "restored.",
	  proccmd_run_opts, proccmd_run },
	{ "ps", "[--json] [--app NAME]", "list processes (of one application)",
	  "Lists the board's processes, running and recently ended, with the\n"
	  "application of each (APP, - for none); --app NAME lists its members only.",
	  proccmd_ps_opts, proccmd_ps },
	{ "kill", "[--json] PID", "kill a process", "Kills process PID (its status becomes 137).",
	  proccmd_kill_opts, proccmd_kill },
	{ "wait", "[--json] PID", "wait for a process to end; exits with its status",
	  "Waits for PID to end and prints 'exited N' or 'killed N (why)'; a fault\n"
	  "adds the trap, its pc, the address and the thread. Exits with the\n"
	  "process's status, as the shell's wait: N, or 128+signal if it was killed.",
	  proccmd_wait_opts, proccmd_wait },
	{ "logs", "[-f] [--stderr] PID", "print a process's output (-f: follow)",
	  "Prints what PID wrote to stdout (--stderr: stderr); the board keeps the\n"
	  "last 64 KiB of each. -f follows the output until the process ends.",
	  proccmd_logs_opts, proccmd_logs },
	{ "stats", "[--json]", "host and modelled figures, per cluster",
	  "Host and modelled time, NoC traffic, and figures per cluster.", boardcmd_stats_opts,
	  boardcmd_stats },
	{ "check", "[--json]", "does the board offer what crtool needs?",
	  "Checks that the board offers every feature crtool needs, one line each,\n"
	  "then 'Looks good.'; exits 1 if anything is missing.",
	  boardcmd_check_opts, boardcmd_check },
	{ "shutdown", "", "stop the board",
	  "Stops the board (its processes are killed) and returns once it has exited.",
	  boardcmd_shutdown_opts, boardcmd_shutdown },
	{ "dump",
	  "(-p PID[,PID...] | --app NAME) -D DIR [--leave-running] [--compress[=LEVEL]]\n"
	  "       [--track-mem] [--prev-images-dir PARENT] [--display-stats] [--json]",
	  "checkpoint a process, or a group at one cut",
	  "Freezes process PID, writes it as an image set to DIR (new or empty) and\n"
	  "ends it; with --leave-running it runs on. --compress stores pages with\n"
	  "zstd (level 3, or LEVEL). --track-mem lets a later dump name this one as\n"
	  "parent; --prev-images-dir (relative to DIR, e.g. ../pre) stores only\n"
	  "pages written since that pre-dump. --display-stats prints the figures\n"
	  "(freeze: the request to every thread stopped; frozen: stopped to running\n"
	  "again or ended), --json as an object. DIR is checked before anything is\n"
	  "frozen; if anything fails the process runs on and DIR is left as it was.\n"
	  "A group (--app NAME: its running members; or -p PID,PID,...) is dumped\n"
	  "at one cut: every member frozen at once, with the messages, portal writes,\n"
	  "allows and signals among them; DIR then holds app.img and a set per member\n"
	  "(pid-N), all or none. --prev-images-dir names a group pre-dump.",
	  crcmd_dump_opts, crcmd_dump },
	{ "pre-dump",
	  "(-p PID[,PID...] | --app NAME) -D DIR [--compress[=LEVEL]]\n"
	  "       [--prev-images-dir PARENT] [--display-stats] [--json]",
	  "its pages only; it runs on",
	  "Writes the pages of PID to DIR while it runs on (frozen only while they\n"
	  "are copied) and starts tracking the pages it writes, for a following\n"
	  "`dump --prev-images-dir`. --json prints the figures as an object. A group\n"
	  "(--app, or several pids) is pre-dumped member by member, all at once.",
	  crcmd_pre_dump_opts, crcmd_pre_dump },
	{ "restore",
	  "-D DIR [--node N|any] [--new-pid] [--display-stats] [--json]\n"
	  "       -D GROUP [--node N|any | --nodes LIST | --map OLD:NEW,...] [...]",
	  "rebuild a process, or a group, from images",
	  "Rebuilds the process dumped in DIR (with its parents' pages) on node N or\n"
	  "on the compute cluster running fewest processes, and prints its pid: the\n"
	  "dumped one, or with --new-pid a fresh one (a second copy); --json prints\n"
	  "an object with the pids, nodes and figures instead. Exits 6 if the\n"
	  "images are invalid or do not fit the board; nothing changes then.\n"
	  "A group's directory (a group dump) is restored whole: every set and pid\n"
	  "checked first, every member rebuilt, then all resumed together; each\n"
	  "member where it ran, or on --node (all on one; any: each on the least\n"
	  "busy), --nodes (one each, in pid order), or moved by --map. If one\n"
	  "member cannot be restored none is. Prints the pids, a line each.",
	  crcmd_restore_opts, crcmd_restore },
	{ "migrate",
	  "(-p PID[,PID...] | --app NAME) (--to NODE[,NODE...] | --map OLD:NEW,...)\n"
	  "       [--mode stop-copy|pre-copy|post-copy] [--max-rounds K] [--json]",
	  "move a process, or a group at once, to other clusters",
	  "Moves running process PID to compute cluster NODE, cluster to cluster\n"
	  "over the NoC: no files. Its peers keep talking to it by pid. Prints the\n"
	  "downtime (its frozen time: every thread stopped on the source to runnable\n"
	  "on the target, host time), the freeze (request to stopped), the total, the\n"
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
	  migcmd_migrate_opts, migcmd_migrate },
	{ "drain", "--node N [--to LIST] [--mode stop-copy|pre-copy|post-copy] [--json]",
	  "move every process off cluster N",
	  "Moves every process running on cluster N elsewhere, all at once: to the\n"
	  "nodes of LIST in turn, else each to the compute cluster running fewest\n"
	  "processes. Prints each one's figures and the total (--json: an object);\n"
	  "a process that cannot move runs on on N and the exit status is 1.",
	  migcmd_drain_opts, migcmd_drain },
	{ "show", "[--json] DIR", "summary of an image set and its parents (offline)",
	  "Summarises the image set in DIR: process, threads, regions, pages, sizes\n"
	  "raw and stored, endpoints and its parent chain (--json: as an object).\n"
	  "Of a group dump: its members and the channels among them at the cut.\n"
	  "Exits 6 if it is invalid.",
	  showcmd_show_opts, showcmd_show },
	{ "decode", "[--pretty] [--no-payload] [--raw] [-o FILE] FILE|-",
	  "an image file as JSON (offline)",
	  "Prints image file FILE (e.g. DIR/pages.img; - for stdin) as JSON, to stdout\n"
	  "or -o FILE: addresses in hex, protections (rwx) and page flags by name\n"
	  "(--raw: every field a number), page payloads in base64 unless\n"
	  "--no-payload. `crtool encode` turns either form back into the same bytes.",
	  imgcmd_decode_opts, imgcmd_decode },
	{ "encode", "JSON FILE", "JSON (- for stdin) back into the image file (offline)",
	  "Writes the image file that JSON (as decode prints it; - for stdin)\n"
	  "describes to FILE, atomically. Refuses unknown fields, missing fields,\n"
	  "wrong types, payloads that do not match their block header, and JSON of\n"
	  "one kind of file written to a file named as another kind's.",
	  imgcmd_encode_opts, imgcmd_encode },
	{ "verify", "[--json] DIR", "check every rule, through the parents (offline)",
	  "Checks the image set in DIR and its parents against every rule of\n"
	  "docs/image-format.md (of a group: app.img and every member's set, each\n"
	  "the one app.img names). Exits 0, or prints one line per problem and exits 6\n"
	  "(7 if a file cannot be read at all); --json: an object with every problem.",
	  imgcmd_verify_opts, imgcmd_verify },
	{ "diff", "[--json] DIR1 DIR2", "what changed between two dumps (offline)",
	  "Lists what changed from the dump in DIR1 to the one in DIR2: process\n"
	  "fields, threads, regions and pages (through parents); of two groups, each\n"
	  "member's, and the members only one has; a thread's registers one by one,\n"
	  "those that changed. --json: one object. Exits 0 if nothing did, 1 if\n"
	  "something did.",
	  diffcmd_diff_opts, diffcmd_diff },
};
#define CRTOOL_NCMDS (sizeof(crtool_cmds) / sizeof(crtool_cmds[0]))

static const char crtool_statuses[] =
	"exit status: 0 done; 1 the board refused (the message says why), check\n"
	"found something missing, diff found differences, or a group member did not\n"
	"move; 2 usage error; 3 no board answers at the socket; 4 the board's reply\n"
	"made no sense; 5 no such process; 6 an image is invalid; 7 a host file or\n"
	"directory cannot be read or written; 8 the board serves another user.\n"
	"crtool wait exits with the process's own status.\n";

static const int crtool_global_opts[] = { OPT_BOARD,    OPT_VERBOSE, OPT_LOG_LEVEL,
	                                  OPT_LOG_FILE, OPT_HELP,    -1 };

static void crtool_usage(FILE *f)
{
	fprintf(f, "usage: crtool [OPTIONS] COMMAND [OPTIONS] [ARGS]\n"
	           "\n"
	           "Checkpoint/restore toolkit for processes of an emulated Nanvix manycore.\n"
	           "Talks to a board started with `manycore serve`, at --board PATH, else\n"
	           "$CRTOOL_BOARD, else $XDG_RUNTIME_DIR/crtool.sock (or /tmp/crtool-UID.sock).\n"
	           "\n"
	           "options (also after the command):\n");
	cmdline_print_opts(f, crtool_global_opts);
	fprintf(f, "  %-28s %s\n", "-V, --version", "print crtool's version");
	fprintf(f, "\ncommands:\n");
	for (size_t i = 0; i < CRTOOL_NCMDS; i++)
		fprintf(f, "  %-10s %s\n", crtool_cmds[i].name, crtool_cmds[i].summary);
	fprintf(f, "  %-10s %s\n", "help", "this, or a command's help (crtool help dump)");
	fprintf(f, "\n%s", crtool_statuses);
}

static void crtool_cmd_help(const struct cmd *c)
{
	printf("usage: crtool %s %s\n\n%s\n\noptions:\n", c->name, c->usage, c->help);
	cmdline_print_opts(stdout, c->opts);
	cmdline_print_opts(stdout, crtool_global_opts);
	printf("\n%s", crtool_statuses);
}

static const struct cmd *crtool_find(const char *name)
{
	for (size_t i = 0; i < CRTOOL_NCMDS; i++)
		if (!strcmp(name, crtool_cmds[i].name))
			return &crtool_cmds[i];
	return NULL;
}

/* crtool help [COMMAND] */
static int crtool_help(struct cmdline *c)
{
	const struct cmd *cmd;

	if (c->argc == 0) {
		crtool_usage(stdout);
		return CRT_OK;
	}
	if (c->argc > 1 || !(cmd = crtool_find(c->argv[0]))) {
		LOG_ERROR("no command '%s' (crtool help lists them)", c->argv[0]);
		return CRT_USAGE;
	}
	crtool_cmd_help(cmd);
	return CRT_OK;
}

int main(int argc, char **argv)
{
	struct cmdline g = { 0 }, c = { 0 };
	const struct cmd *cmd;
	int i, rc;

	log_set_program("crtool");
	/* the options before the command: the common ones, -V */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("crtool %s\n", crt_version());
			return CRT_OK;
		}
		if (argv[i][0] != '-' || !strcmp(argv[i], "--"))
			break;
		/* an option that takes a value, given apart */
		if ((!strcmp(argv[i], "--board") || !strcmp(argv[i], "--log-level") ||
		     !strcmp(argv[i], "-o") || !strcmp(argv[i], "--log-file")) &&
		    i + 1 < argc)
			i++;
	}
	if ((rc = cmdline_parse(&g, "crtool", crtool_global_opts, 1, i, argv))) {
		free(g.argv);
		return rc;
	}
	free(g.argv);
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (g.set[OPT_HELP]) {
		crtool_usage(stdout);
		return CRT_OK;
	}
	if (i >= argc) {
		crtool_usage(stderr);
		return CRT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		static const int none[] = { -1 };
		rc = cmdline_parse(&c, "help", none, 0, argc - i, argv + i);
		rc = rc ? rc : crtool_help(&c);
		free(c.argv);
		return rc;
	}
	if (!(cmd = crtool_find(argv[i]))) {
		LOG_ERROR("unknown command '%s' (try crtool help)", argv[i]);
		return CRT_USAGE;
	}
	log_set_command(cmd->name);
	c.board_path = g.board_path;
	rc = cmdline_parse(&c, cmd->name, cmd->opts, cmd->fn == proccmd_run, argc - i, argv + i);
	if (rc == CRT_OK && c.set[OPT_HELP])
		crtool_cmd_help(cmd);
	else if (rc == CRT_OK)
		rc = cmd->fn(&c);
	crt_close(c.board);
	free(c.argv);
	return rc;
}
