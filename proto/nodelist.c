/*
 * nodelist.c - node lists as users write them (see nodelist.h).
 */
#include <stdlib.h>

#include "proto/nodelist.h"

/* Larger than any board's node number, small enough for an int. */
#define NODELIST_NODE_LIMIT 1000000L

int nodelist_parse(const char *s, uint32_t *nodes, unsigned max)
{
	unsigned n = 0;

	while (*s) {
		char *end;
		long a, z;

		/* digits first: strtol would take a sign or blanks */
		if (*s < '0' || *s > '9' || (a = strtol(s, &end, 10)) > NODELIST_NODE_LIMIT)
			return -1;
		z = a;
		if (*end == '-') {
			s = end + 1;
			if (*s < '0' || *s > '9' || (z = strtol(s, &end, 10)) < a ||
			    z > NODELIST_NODE_LIMIT)
				return -1;
		}
		for (long v = a; v <= z; v++) {
			for (unsigned k = 0; k < n; k++)
				if (nodes[k] == (uint32_t)v)
					return -1; /* a node twice */
			if (n == max)
				return -1;
			nodes[n++] = (uint32_t)v;
		}
		if (*end == ',' && end[1])
			end++;
		else if (*end)
			return -1;
		s = end;
	}
	return n ? (int)n : -1;
}

int nodelist_parse_map(const char *s, uint32_t *from, uint32_t *to, unsigned max)
{
	unsigned n = 0;

	if (!*s)
		return -1;
	while (*s) {
		char *end;
		unsigned long f = strtoul(s, &end, 10), t;
		if (end == s || *end != ':' || n == max)
			return -1;
		s = end + 1;
		t = strtoul(s, &end, 10);
		if (end == s || (*end && *end != ',') || f > 1000000 || t > 1000000)
			return -1;
		from[n] = (uint32_t)f;
		to[n++] = (uint32_t)t;
		s = *end ? end + 1 : end;
	}
	return (int)n;
}
