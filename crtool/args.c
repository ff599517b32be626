/*
 * args.c - crtool's command-line helpers (see args.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

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

uint32_t args_parse_pid(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v == 0 || v > UINT32_MAX) {
		fprintf(stderr, "crtool: '%s' is not a pid (a number from 1 up)\n", s);
		return 0;
	}
	return (uint32_t)v;
}
