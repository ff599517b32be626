/*
 * cmdline.h - crtool's command line, as getopt_long reads it: one table
 * of every option, each command naming the ones it takes. Options come
 * in any order, as --opt=VALUE or --opt VALUE, the common ones (--board,
 * -v, -o, --log-level, --help) anywhere; an unknown or repeated option
 * is a usage error (exit status 2); `--` ends the options; for run,
 * everything after the program belongs to the program.
 */
#ifndef CMDLINE_H
#define CMDLINE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "libcrtool/libcrtool.h"

/* Every option of every command. */
enum opt {
	OPT_BOARD,
	OPT_VERBOSE,
	OPT_LOG_LEVEL,
	OPT_LOG_FILE,
	OPT_HELP,
	OPT_JSON,
	OPT_APP,
	OPT_NODE,
	OPT_NODES,
	OPT_PID,
	OPT_DIR,
	OPT_PREV,
	OPT_COMPRESS,
	OPT_LEAVE_RUNNING,
	OPT_TRACK_MEM,
	OPT_STATS,
	OPT_NEW_PID,
	OPT_TO,
	OPT_MAP,
	OPT_MODE,
	OPT_MAX_ROUNDS,
	OPT_FOLLOW,
	OPT_STDERR,
	OPT_PRETTY,
	OPT_NO_PAYLOAD,
	OPT_RAW,
	OPT_OUTPUT,
	OPT_COUNT
};

/* A command line read: options given (set, value) and operands. */
struct cmdline {
	const char *name; /* the command */
	int set[OPT_COUNT];
	const char *val[OPT_COUNT]; /* an option's value, if it takes one */
	int argc;                   /* operands */
	char **argv;
	const char *board_path;
	crt_board *board; /* opened at the first cmdline_board */
};

/* Option ids a command takes, ended by -1 (the common ones are implied). */
typedef const int cmdline_opts[];

/* The help lines of the options listed, for a command's --help. */
void cmdline_print_opts(FILE *f, const int *ids);

/* The long option's name of id ("images-dir"), and its short letter or 0. */
const char *cmdline_opt_name(int id);

/*
 * Reads argv[1..argc) of command name, which takes the options ids; run
 * 1 stops at the first operand (a program's arguments follow it). Fills
 * c; CRT_OK, or CRT_USAGE after saying what is wrong.
 */
int cmdline_parse(struct cmdline *c, const char *name, const int *ids, int stop_at_operand,
                  int argc, char **argv);

/* The board's handle (opened once); NULL after saying why. */
crt_board *cmdline_board(struct cmdline *c);

/* Says the library's failure on b, status st: returns st. */
int cmdline_fail(crt_board *b, int st);

/* Checks the operand count is n (what names them): CRT_OK or CRT_USAGE. */
int cmdline_operands(const struct cmdline *c, int n, const char *what);

/* Parsers of values, each saying what is wrong (opt names the option):
 * 0, or -1. */
int cmdline_pid(const char *opt, const char *s, uint32_t *pid);
int cmdline_pids(const char *opt, const char *s, uint32_t *pids, size_t max, size_t *n);
int cmdline_node(const char *opt, const char *s, uint32_t *node);
int cmdline_nodes(const char *opt, const char *s, uint32_t *nodes, size_t max, size_t *n);
int cmdline_map(const char *opt, const char *s, uint32_t *from, uint32_t *to, size_t max,
                size_t *n);

/* Prints j indented on stdout and frees it: CRT_OK, or CRT_FAILED. */
int cmdline_print_json(json_t *j);

#endif /* CMDLINE_H */
