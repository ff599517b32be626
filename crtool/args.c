/*
 * args.c - crtool's command-line helpers (see args.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_MODULE "args"

#include "crtool/args.h"
#include "crtool/client.h"
#include "diag/log.h"
#include "images/imgcheck.h"
#include "images/imgparams.h"

uint64_t args_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

int args_take_flag(int *argc, char **argv, const char *flag)
{
	for (int i = 1; i < *argc; i++)
		if (!strcmp(argv[i], flag)) {
			memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof(*argv));
			(*argc)--;
			return 1;
		}
	return 0;
}

int args_take_value(int *argc, char **argv, const char *opt, const char **value)
{
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], opt))
			continue;
		if (i + 1 >= *argc) {
			LOG_ERROR("%s needs a value", opt);
			return -1;
		}
		*value = argv[i + 1];
		memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 1) * sizeof(*argv));
		*argc -= 2;
		return 1;
	}
	return 0;
}

int args_app_name(const char *s)
{
	if (imgcheck_app_name(s))
		return 1;
	LOG_ERROR("'%s' is no application name: 1 to %u letters, digits, '.', '_' or '-'", s,
	          CRIMG_APP_MAX);
	return 0;
}

uint32_t args_parse_pid(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v == 0 || v > UINT32_MAX) {
		LOG_ERROR("'%s' is not a pid (a number from 1 up)", s);
		return 0;
	}
	return (uint32_t)v;
}

int args_parse_node(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*end || end == s || n < 0 || n > 1000000) {
		LOG_ERROR("'%s' is not a node", s);
		return -1;
	}
	return (int)n;
}

int args_print_json(json_t *j)
{
	char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) : NULL;

	json_decref(j);
	if (!s)
		return CRT_FAILED;
	puts(s);
	free(s);
	return CRT_OK;
}

/* CRT_OK if command argv[0] got no arguments, else CRT_USAGE, said. */
int args_none(int argc, char **argv)
{
	if (argc <= 1)
		return CRT_OK;
	LOG_ERROR("unexpected '%s': it takes no arguments (try --help)", argv[1]);
	return CRT_USAGE;
}

/* The one pid argument of command argv[0]; 0 after saying what is wrong. */
uint32_t args_pid(int argc, char **argv)
{
	if (argc != 2) {
		LOG_ERROR("one pid please (try --help)");
		return 0;
	}
	return args_parse_pid(argv[1]);
}

int args_parse_pids(const char *v, uint32_t *pids, size_t max, size_t *n)
{
	char buf[512];

	*n = 0;
	if (strlen(v) >= sizeof(buf)) {
		LOG_ERROR("-p '%.40s...': too long", v);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", v);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (*n == max) {
			LOG_ERROR("-p lists more than %zu pids", max);
			return -1;
		}
		if (!(pids[(*n)++] = args_parse_pid(t)))
			return -1;
	}
	if (!*n || v[strlen(v) - 1] == ',') {
		LOG_ERROR("-p '%s': a pid, or pids separated by commas", v);
		return -1;
	}
	return 0;
}
