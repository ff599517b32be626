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
#include "collective.h"
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
	struct collective co;
	int go, done, rc;
	unsigned char *buf;

	if ((rc = collective_parse(&co, "broadcast", argc, argv, 4, 16384)))
		return rc;
	if (!(buf = malloc(co.size)))
		die("malloc", 0);

	if (co.is_master) {
		int out[NV_SYNC_MAX];
		if ((go = nv_sync_open(co.set, co.n + 1, NV_SYNC_ONE_TO_ALL)) < 0)
			die("nv_sync_open", go);
		if ((done = nv_sync_create(co.set, co.n + 1, NV_SYNC_ALL_TO_ONE)) < 0)
			die("nv_sync_create", done);
		for (int r = 0; r < co.rounds; r++) {
			for (size_t i = 0; i < co.size; i++)
				buf[i] = pattern(r, i);
			if ((rc = nv_sync_signal(go)) < 0)
				die("nv_sync_signal", rc);
			for (int w = 0; w < co.n; w++) {
				/* Reopened each round: an endpoint is cheap, and
				 * closing exercises the call. */
				if ((out[w] = nv_portal_open(co.set[w + 1], PORT)) < 0)
					die("nv_portal_open", out[w]);
				if ((rc = nv_portal_write(out[w], buf, co.size)) != (int)co.size)
					die("nv_portal_write", rc);
				if ((rc = nv_portal_close(out[w])) < 0)
					die("nv_portal_close", rc);
			}
			if ((rc = nv_sync_wait(done)) < 0)
				die("nv_sync_wait", rc);
		}
		printf("broadcast: %d rounds of %u bytes to %d workers: every worker checked "
		       "every byte\n", co.rounds, (unsigned)co.size, co.n);
		nv_sync_close(go);
		nv_sync_unlink(done);
		return 0;
	}

	int in = nv_portal_create(PORT);
	if (in < 0)
		die("nv_portal_create", in);
	if ((go = nv_sync_create(co.set, co.n + 1, NV_SYNC_ONE_TO_ALL)) < 0)
		die("nv_sync_create", go);
	if ((done = nv_sync_open(co.set, co.n + 1, NV_SYNC_ALL_TO_ONE)) < 0)
		die("nv_sync_open", done);
	for (int r = 0; r < co.rounds; r++) {
		if ((rc = nv_sync_wait(go)) < 0)
			die("nv_sync_wait", rc);
		if ((rc = nv_portal_allow(in, co.set[0])) < 0)
			die("nv_portal_allow", rc);
		if ((rc = nv_portal_read(in, buf, co.size)) != (int)co.size)
			die("nv_portal_read", rc);
		for (size_t i = 0; i < co.size; i++)
			if (buf[i] != pattern(r, i)) {
				fprintf(stderr, "broadcast worker %d: round %d byte %u wrong\n",
					(int)nv_getpid(), r, (unsigned)i);
				return 1;
			}
		if ((rc = nv_sync_signal(done)) < 0)
			die("nv_sync_signal", rc);
	}
	return 0;
}
