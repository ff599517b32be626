/*
 * args.h - crtool's command-line helpers shared by its commands (and the
 * clock they time their steps with).
 */
#ifndef ARGS_H
#define ARGS_H

/* Removes flag (e.g. "--json") from argv[1..*argc), shifting the rest
 * down; 1 if it was there, else 0. */
int args_take_flag(int *argc, char **argv, const char *flag);

/* Removes "opt VALUE" from argv[1..*argc) the same way: 1 with *value
 * set, 0 if opt is not there, -1 after saying VALUE is missing. */
int args_take_value(int *argc, char **argv, const char *opt, const char **value);

/* 1 if s names an application (crtool run --app); else 0, said. */
int args_app_name(const char *s);

#include <stdint.h>

/* Monotonic host time in ns, for a command's figures and its progress. */
uint64_t args_now_ns(void);

/* Parses a pid; 0 after saying on stderr that s is not one. */
uint32_t args_parse_pid(const char *s);

/* Parses -p's PID or PID,PID,... into pids (at most max), *n of them:
 * 0, or -1 after saying why. */
int args_parse_pids(const char *v, uint32_t *pids, size_t max, size_t *n);

/* Node number s (0 up), or -1 after saying why. */
int args_parse_node(const char *s);

#include <jansson.h>

/* Prints j indented and frees it: CRT_OK, or CRT_FAILED (out of memory). */
int args_print_json(json_t *j);

/* CRT_OK if command argv[0] got no arguments, else CRT_USAGE, said. */
int args_none(int argc, char **argv);

/* The one pid argument of command argv[0]; 0 after saying what is wrong. */
uint32_t args_pid(int argc, char **argv);

#endif /* ARGS_H */
