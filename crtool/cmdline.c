/*
 * cmdline.c - crtool's command line (see cmdline.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "cmdline"

#include "crtool/cmdline.h"
#include "diag/log.h"
#include "proto/nodelist.h"

/* Every option: its long name, short letter, whether it takes a value
 * (0 no, 1 yes, 2 optional: --opt=VALUE only), its value's name, help. */
static const struct {
	const char *name;
	char letter;
	int arg;
	const char *value;
	const char *help;
} cmdline_table[OPT_COUNT] = {
	[OPT_BOARD] = { "board", 0, 1, "PATH", "the board's socket (else $CRTOOL_BOARD)" },
	[OPT_VERBOSE] = { "verbose", 'v', 0, NULL,
	                  "say each step (the same as --log-level debug)" },
	[OPT_LOG_LEVEL] = { "log-level", 0, 1, "LEVEL", "error, warn, info (default) or debug" },
	[OPT_LOG_FILE] = { "log-file", 'o', 1, "FILE",
	                   "write what crtool says to FILE, not stderr" },
	[OPT_HELP] = { "help", 'h', 0, NULL, "this help" },
	[OPT_JSON] = { "json", 0, 0, NULL, "print the result as one JSON object (docs/json.md)" },
	[OPT_APP] = { "app", 0, 1, "NAME", "an application (1-31 of A-Z a-z 0-9 . _ -)" },
	[OPT_NODE] = { "node", 0, 1, "N", "a node number" },
	[OPT_NODES] = { "nodes", 0, 1, "LIST", "nodes such as 8-23 or 0,8,9" },
	[OPT_PID] = { "pid", 'p', 1, "PID", "a process (PID,PID,...: a group)" },
	[OPT_DIR] = { "images-dir", 'D', 1, "DIR", "the images' directory" },
	[OPT_PREV] = { "prev-images-dir", 0, 1, "PARENT", "the parent, relative to DIR (../pre)" },
	[OPT_COMPRESS] = { "compress", 0, 2, "LEVEL", "pages with zstd, level 3 or =LEVEL (1-22)" },
	[OPT_LEAVE_RUNNING] = { "leave-running", 0, 0, NULL, "the process runs on after the dump" },
	[OPT_TRACK_MEM] = { "track-mem", 0, 0, NULL, "a later dump may name this one as parent" },
	[OPT_STATS] = { "display-stats", 0, 0, NULL, "print the figures" },
	[OPT_NEW_PID] = { "new-pid", 0, 0, NULL, "a fresh pid (a second copy)" },
	[OPT_TO] = { "to", 0, 1, "LIST", "target nodes: one for all, or one each" },
	[OPT_MAP] = { "map", 0, 1, "OLD:NEW,...", "members on node OLD go to NEW" },
	[OPT_MODE] = { "mode", 0, 1, "MODE", "stop-copy (default), pre-copy or post-copy" },
	[OPT_MAX_ROUNDS] = { "max-rounds", 0, 1, "K", "pre-copy rounds at most (1-64; default 8)" },
	[OPT_FOLLOW] = { "follow", 'f', 0, NULL, "follow the output until the process ends" },
	[OPT_STDERR] = { "stderr", 0, 0, NULL, "its stderr, not its stdout" },
	[OPT_PRETTY] = { "pretty", 0, 0, NULL, "indented JSON" },
	[OPT_NO_PAYLOAD] = { "no-payload", 0, 0, NULL, "leave page contents out" },
	[OPT_RAW] = { "raw", 0, 0, NULL, "numbers as stored: no hex addresses, no flag names" },
	[OPT_OUTPUT] = { "output", 'o', 1, "FILE", "write to FILE, not stdout" },
};

/* The options every command takes. */
static const int cmdline_common[] = { OPT_BOARD,    OPT_VERBOSE, OPT_LOG_LEVEL,
	                              OPT_LOG_FILE, OPT_HELP,    -1 };

const char *cmdline_opt_name(int id)
{
	return cmdline_table[id].name;
}

void cmdline_print_opts(FILE *f, const int *ids)
{
	for (; *ids >= 0; ids++) {
		char head[64];
		int id = *ids;
		int n = snprintf(head, sizeof(head), "%s%c%s--%s",
		                 cmdline_table[id].letter ? "-" : "",
		                 cmdline_table[id].letter ? cmdline_table[id].letter : ' ',
		                 cmdline_table[id].letter ? ", " : " ", cmdline_table[id].name);
		if (cmdline_table[id].arg == 1)
			snprintf(head + n, sizeof(head) - (size_t)n, " %s",
			         cmdline_table[id].value);
		else if (cmdline_table[id].arg == 2)
			snprintf(head + n, sizeof(head) - (size_t)n, "[=%s]",
			         cmdline_table[id].value);
		fprintf(f, "  %-28s %s\n", cmdline_table[id].letter ? head : head + 1,
		        cmdline_table[id].help);
	}
}

/* getopt_long's value of long option id: above every letter and the
 * values it returns itself (1, '?', ':'). */
#define CMDLINE_LONG 256

/* Adds id to the getopt tables unless a letter or name is taken. */
static void cmdline_add(int id, struct option *lo, size_t *n, char *so)
{
	for (size_t i = 0; i < *n; i++)
		if (lo[i].val == CMDLINE_LONG + id)
			return;
	lo[*n] = (struct option){ cmdline_table[id].name,
		                  cmdline_table[id].arg == 2   ? optional_argument
		                  : cmdline_table[id].arg == 1 ? required_argument
		                                               : no_argument,
		                  NULL, CMDLINE_LONG + id };
	(*n)++;
	if (cmdline_table[id].letter && !strchr(so, cmdline_table[id].letter)) {
		size_t k = strlen(so);
		so[k++] = cmdline_table[id].letter;
		if (cmdline_table[id].arg == 1)
			so[k++] = ':';
		so[k] = 0;
	}
}

/* The id of short option letter among the command's. */
static int cmdline_letter(const int *ids, int letter)
{
	for (; *ids >= 0; ids++)
		if (cmdline_table[*ids].letter == letter)
			return *ids;
	for (ids = cmdline_common; *ids >= 0; ids++)
		if (cmdline_table[*ids].letter == letter)
			return *ids;
	return -1;
}

/* Takes the common options' effects (logging); CRT_OK or CRT_USAGE. */
static int cmdline_common_effects(struct cmdline *c)
{
	if (c->set[OPT_VERBOSE])
		log_set_level(LOG_LEVEL_DEBUG);
	if (c->set[OPT_LOG_LEVEL] && log_set_level_by_name(c->val[OPT_LOG_LEVEL])) {
		LOG_ERROR("--log-level '%s': error, warn, info or debug", c->val[OPT_LOG_LEVEL]);
		return CRT_USAGE;
	}
	if (c->set[OPT_LOG_FILE]) {
		FILE *f = fopen(c->val[OPT_LOG_FILE], "ae");
		if (!f) {
			LOG_ERROR("cannot open log file %s: %s", c->val[OPT_LOG_FILE],
			          strerror(errno));
			return CRT_IO;
		}
		log_set_file(f); /* closed at exit */
	}
	if (c->set[OPT_BOARD])
		c->board_path = c->val[OPT_BOARD];
	return CRT_OK;
}

int cmdline_parse(struct cmdline *c, const char *name, const int *ids, int stop_at_operand,
                  int argc, char **argv)
{
	struct option lo[OPT_COUNT + 1];
	char so[2 * OPT_COUNT + 4] = "+:";
	size_t n = 0;
	int o;

	if (!stop_at_operand)
		so[0] = '-'; /* operands in order among the options */
	for (const int *i = ids; *i >= 0; i++)
		cmdline_add(*i, lo, &n, so);
	for (const int *i = cmdline_common; *i >= 0; i++)
		cmdline_add(*i, lo, &n, so);
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	c->name = name;
	c->argv = calloc((size_t)argc + 1, sizeof(*c->argv));
	if (!c->argv) {
		LOG_ERROR("out of memory");
		return CRT_FAILED;
	}
	opterr = 0;
	optind = 0; /* 0, not 1: glibc then reads the ordering ("+" or "-") anew */
	while ((o = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (o == 1) { /* an operand, in order ('-') */
			c->argv[c->argc++] = optarg;
			continue;
		}
		if (o == ':') {
			LOG_ERROR("%s needs a value (try crtool %s --help)", argv[optind - 1],
			          name);
			return CRT_USAGE;
		}
		if (o == '?') {
			if (optopt >= CMDLINE_LONG)
				LOG_ERROR("--%s takes no value (try crtool %s --help)",
				          cmdline_table[optopt - CMDLINE_LONG].name, name);
			else if (optopt)
				LOG_ERROR("unknown option '-%c' (try crtool %s --help)", optopt,
				          name);
			else
				LOG_ERROR("unknown option '%s' (try crtool %s --help)",
				          argv[optind - 1], name);
			return CRT_USAGE;
		}
		o = o >= CMDLINE_LONG ? o - CMDLINE_LONG : cmdline_letter(ids, o);
		if (o < 0)
			return CRT_USAGE;
		if (c->set[o]) {
			LOG_ERROR("--%s given twice (try crtool %s --help)", cmdline_table[o].name,
			          name);
			return CRT_USAGE;
		}
		c->set[o] = 1;
		c->val[o] = optarg;
	}
	while (optind < argc) /* after "--", or the program's arguments */
		c->argv[c->argc++] = argv[optind++];
	return cmdline_common_effects(c);
}

crt_board *cmdline_board(struct cmdline *c)
{
	if (!c->board && crt_open(c->board_path, &c->board))
		LOG_ERROR("out of memory");
	return c->board;
}

int cmdline_fail(crt_board *b, int st)
{
	if (st && b && *crt_error(b))
		LOG_ERROR("%s", crt_error(b));
	return st;
}

int cmdline_operands(const struct cmdline *c, int n, const char *what)
{
	if (c->argc == n)
		return CRT_OK;
	if (c->argc > n)
		LOG_ERROR("unexpected '%s': %s %s (try crtool %s --help)", c->argv[n], c->name,
		          n ? "takes only" : "takes no operand", c->name);
	else
		LOG_ERROR("%s needed (try crtool %s --help)", what, c->name);
	if (c->argc > n && n)
		LOG_ERROR("%s takes %s", c->name, what);
	return CRT_USAGE;
}

int cmdline_pid(const char *opt, const char *s, uint32_t *pid)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || *s == '+' || v == 0 || v > UINT32_MAX) {
		LOG_ERROR("%s '%s' is not a pid (a number from 1 up)", opt, s);
		return -1;
	}
	*pid = (uint32_t)v;
	return 0;
}

int cmdline_pids(const char *opt, const char *s, uint32_t *pids, size_t max, size_t *n)
{
	char buf[1024], *save = NULL, *tok;

	*n = 0;
	if (strlen(s) >= sizeof(buf) || !*s) {
		LOG_ERROR("%s '%s': PID or PID,PID,...", opt, s);
		return -1;
	}
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*n == max) {
			LOG_ERROR("%s: at most %zu pids", opt, max);
			return -1;
		}
		if (cmdline_pid(opt, tok, &pids[*n]))
			return -1;
		for (size_t i = 0; i < *n; i++)
			if (pids[i] == pids[*n]) {
				LOG_ERROR("%s lists pid %u twice", opt, pids[i]);
				return -1;
			}
		(*n)++;
	}
	return *n ? 0 : (LOG_ERROR("%s '%s': PID or PID,PID,...", opt, s), -1);
}

int cmdline_node(const char *opt, const char *s, uint32_t *node)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 65535) {
		LOG_ERROR("%s '%s' is not a node (a number from 0 up)", opt, s);
		return -1;
	}
	*node = (uint32_t)v;
	return 0;
}

int cmdline_nodes(const char *opt, const char *s, uint32_t *nodes, size_t max, size_t *n)
{
	int k = nodelist_parse(s, nodes, max < NODELIST_MAX ? max : NODELIST_MAX);

	if (k < 0) {
		LOG_ERROR("%s '%s': a list of distinct nodes such as 8-23 or 0,8,9, at most %d",
		          opt, s, NODELIST_MAX);
		return -1;
	}
	*n = (size_t)k;
	return 0;
}

int cmdline_map(const char *opt, const char *s, uint32_t *from, uint32_t *to, size_t max, size_t *n)
{
	int k = nodelist_parse_map(s, from, to, max < NODELIST_MAX ? max : NODELIST_MAX);

	if (k < 0) {
		LOG_ERROR("%s '%s': OLD:NEW pairs of nodes, comma-separated (8:12,9:13)", opt, s);
		return -1;
	}
	*n = (size_t)k;
	return 0;
}

int cmdline_print_json(json_t *j)
{
	int rc;

	if (!j) {
		LOG_ERROR("out of memory");
		return CRT_FAILED;
	}
	rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (rc || putchar('\n') == EOF || fflush(stdout)) {
		LOG_ERROR("cannot write the JSON to stdout");
		return CRT_IO;
	}
	return CRT_OK;
}
