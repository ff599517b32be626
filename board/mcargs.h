/*
 * mcargs.h - the `manycore` command's command lines: its exit statuses,
 * its help, and the options of `run` and `serve` as getopt_long reads
 * them (--opt=VALUE or --opt VALUE, in any order before the program; an
 * unknown or repeated option, or a stray argument, is a usage error).
 */
#ifndef MCARGS_H
#define MCARGS_H

#include <stdint.h>
#include <stdio.h>

#include "board/board.h"
#include "board/runcr.h"
#include "params/profile.h"

/* Exit statuses of manycore besides a guest's own 0-255: its own
 * failures live at 122-127 (as env's and timeout's do), so that `run`
 * can pass a guest's status through; serve uses the same. */
enum {
	EXIT_CR = 122,       /* a --cr dump or restore failed */
	EXIT_DEADLOCK = 123, /* every thread blocked for good */
	EXIT_LIMIT = 124,    /* --max-instructions reached */
	EXIT_USAGE = 125,    /* bad command line, or manycore itself failed */
	EXIT_NOEXEC = 126,   /* the guest cannot be loaded */
	EXIT_NOFILE = 127,   /* the guest file (or another host file) cannot be read */
};

/* Processes one `manycore run` may start on its cluster. */
#define RUN_MAX_PROGRAMS 64

/* The options of the board both commands take. */
struct board_args {
	const struct profile *prof;
	uint64_t memory, quantum, code_cache;
	enum core_tier core;
};

/* manycore run's options. */
struct run_args {
	struct board_args board;
	uint64_t max_insns;
	int stats;             /* --stats */
	const char *json_path; /* --json FILE */
	int node;              /* --node, -1: the first compute cluster */
	uint32_t spmd[RUN_MAX_PROGRAMS];
	int nspmd; /* --nodes */
	struct runcr *cr;
	const char *cr_dir;
	int first; /* argv's index of the first program */
};

/* manycore serve's options. */
struct serve_args {
	struct board_args board;
	char path[256];
	enum board_node_sched sched;
	int daemon;
	const char *pidfile, *log_file;
};

/* The whole help of manycore (f: stdout, or stderr after a mistake). */
void mcargs_usage(FILE *f);
void mcargs_serve_usage(FILE *f);

/* Reads run's options (argv[0] is "run") into a, whose cr is set:
 * 0, 1 if it printed the help or the version (exit 0), or EXIT_USAGE
 * after saying why. */
int mcargs_run(int argc, char **argv, struct run_args *a);

/* Reads serve's options into a: as mcargs_run. */
int mcargs_serve(int argc, char **argv, struct serve_args *a);

/* Parses a node number; -2 if s is not one. */
int mcargs_node(const char *s);

#endif /* MCARGS_H */
