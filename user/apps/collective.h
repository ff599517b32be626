/*
 * collective.h - the command line shared by broadcast and gather:
 *
 *   PROG master|worker MASTER FIRST N [ROUNDS [SIZE]]
 *
 * MASTER is the master's pid; workers are the N processes with pids
 * FIRST .. FIRST+N-1; every process gets the same arguments.
 */
#ifndef COLLECTIVE_H
#define COLLECTIVE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanvix/abi.h"

struct collective {
	int is_master;          /* this process is the master */
	int n;                  /* workers */
	int rounds;
	size_t size;            /* bytes a transfer */
	int set[NV_SYNC_MAX];   /* the master's pid, then the workers' */
};

/* Fills c from argv, with defaults rounds and size; 0, or 2 after saying
 * on stderr what is wrong. */
static inline int collective_parse(struct collective *c, const char *prog, int argc,
				   char **argv, int rounds, size_t size)
{
	int first;

	if (argc < 5 || (strcmp(argv[1], "master") && strcmp(argv[1], "worker"))) {
		fprintf(stderr, "usage: %s master|worker MASTER FIRST N [ROUNDS [SIZE]]\n", prog);
		return 2;
	}
	c->is_master = !strcmp(argv[1], "master");
	c->set[0] = atoi(argv[2]);
	first = atoi(argv[3]);
	c->n = atoi(argv[4]);
	c->rounds = argc > 5 ? atoi(argv[5]) : rounds;
	c->size = argc > 6 ? strtoul(argv[6], NULL, 0) : size;
	if (c->n < 1 || c->n + 1 > NV_SYNC_MAX || c->rounds < 1 || c->size < 1 ||
	    c->size > NV_PORTAL_MAX) {
		fprintf(stderr, "%s: bad arguments\n", prog);
		return 2;
	}
	for (int i = 0; i < c->n; i++)
		c->set[i + 1] = first + i;
	return 0;
}

#endif /* COLLECTIVE_H */
