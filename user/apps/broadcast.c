/*
 * broadcast.c - one master sends the same data to every worker over
 * portals, round after round (Nanvix's broadcast benchmark); the workers
 * check it.
 *
 *   broadcast master|worker MASTER FIRST N [ROUNDS [SIZE]]
 *
 * MASTER is the master's pid; workers are the N processes with pids
 * FIRST .. FIRST+N-1; all get the same arguments. Syncs pace
 * the rounds: one-to-all "go" from the master, all-to-one "done" back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanvix/ikc.h"
#include "nanvix/syscall.h"

#define PORT 3

static void die(const char *what, int rc)
{
	fprintf(stderr, "broadcast %d: %s: error %d\n", (int)nv_getpid(), what, rc);
	exit(1);
}

static unsigned char pattern(int round, size_t i)
{
	return (unsigned char)(round * 5 + i * 3 + (i >> 8));
}

int main(int argc, char **argv)
{
	int set[NV_SYNC_MAX], n, first, master, rounds = 4, go, done, rc;
	size_t size = 16384;
	unsigned char *buf;

	if (argc < 5 || (strcmp(argv[1], "master") && strcmp(argv[1], "worker"))) {
		fprintf(stderr, "usage: broadcast master|worker MASTER FIRST N [ROUNDS [SIZE]]\n");
		return 2;
	}
	master = atoi(argv[2]);
	first = atoi(argv[3]);
	n = atoi(argv[4]);
	if (argc > 5)
		rounds = atoi(argv[5]);
	if (argc > 6)
		size = strtoul(argv[6], NULL, 0);
	if (n < 1 || n + 1 > NV_SYNC_MAX || rounds < 1 || size < 1 || size > NV_PORTAL_MAX) {
		fprintf(stderr, "broadcast: bad arguments\n");
		return 2;
	}
	set[0] = master;
	for (int i = 0; i < n; i++)
		set[i + 1] = first + i;
	if (!(buf = malloc(size)))
		die("malloc", 0);

	if (!strcmp(argv[1], "master")) {
		int out[NV_SYNC_MAX];
		if ((go = ksync_open(set, n + 1, NV_SYNC_ONE_TO_ALL)) < 0)
			die("ksync_open", go);
		if ((done = ksync_create(set, n + 1, NV_SYNC_ALL_TO_ONE)) < 0)
			die("ksync_create", done);
		for (int r = 0; r < rounds; r++) {
			for (size_t i = 0; i < size; i++)
				buf[i] = pattern(r, i);
			if ((rc = ksync_signal(go)) < 0)
				die("ksync_signal", rc);
			for (int w = 0; w < n; w++) {
				/* Reopened each round: an endpoint is cheap, and
				 * closing exercises the call. */
				if ((out[w] = kportal_open(set[w + 1], PORT)) < 0)
					die("kportal_open", out[w]);
				if ((rc = kportal_write(out[w], buf, size)) != (int)size)
					die("kportal_write", rc);
				if ((rc = kportal_close(out[w])) < 0)
					die("kportal_close", rc);
			}
			if ((rc = ksync_wait(done)) < 0)
				die("ksync_wait", rc);
		}
		printf("broadcast: %d rounds of %u bytes to %d workers: every worker checked "
		       "every byte\n", rounds, (unsigned)size, n);
		ksync_close(go);
		ksync_unlink(done);
		return 0;
	}

	int in = kportal_create(PORT);
	if (in < 0)
		die("kportal_create", in);
	if ((go = ksync_create(set, n + 1, NV_SYNC_ONE_TO_ALL)) < 0)
		die("ksync_create", go);
	if ((done = ksync_open(set, n + 1, NV_SYNC_ALL_TO_ONE)) < 0)
		die("ksync_open", done);
	for (int r = 0; r < rounds; r++) {
		if ((rc = ksync_wait(go)) < 0)
			die("ksync_wait", rc);
		if ((rc = kportal_allow(in, master)) < 0)
			die("kportal_allow", rc);
		if ((rc = kportal_read(in, buf, size)) != (int)size)
			die("kportal_read", rc);
		for (size_t i = 0; i < size; i++)
			if (buf[i] != pattern(r, i)) {
				fprintf(stderr, "broadcast worker %d: round %d byte %u wrong\n",
					(int)nv_getpid(), r, (unsigned)i);
				return 1;
			}
		if ((rc = ksync_signal(done)) < 0)
			die("ksync_signal", rc);
	}
	return 0;
}
