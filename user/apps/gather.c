/*
 * gather.c - every worker sends its own data to one master over a portal
 * and reports over a mailbox (Nanvix's gather benchmark); the master
 * checks every byte from every worker.
 *
 *   gather master|worker MASTER FIRST N [ROUNDS [SIZE]]
 *
 * MASTER is the master's pid; workers are the N processes with pids
 * FIRST .. FIRST+N-1; all get the same arguments. The master's one input
 * portal takes one writer at a time: it allows each worker in turn. Each
 * worker then mails a 128-byte report (N-to-1) and, once all are in, the
 * master releases them with a one-to-all sync.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanvix/ikc.h"
#include "collective.h"
#include "nanvix/syscall.h"

#define PORTAL_PORT 4
#define MAILBOX_PORT 5

struct report {
	int pid;
	int node;
	unsigned sum;
	char text[NV_MAILBOX_SIZE - 12];
};

static void die(const char *what, int rc)
{
	fprintf(stderr, "gather %d: %s: error %d\n", (int)nv_getpid(), what, rc);
	exit(1);
}

static unsigned char pattern(int pid, int round, size_t i)
{
	return (unsigned char)(pid * 11 + round * 3 + i * 7 + (i >> 9));
}

int main(int argc, char **argv)
{
	struct collective co;
	int release, rc;
	unsigned char *buf;

	if ((rc = collective_parse(&co, "gather", argc, argv, 2, 8192)))
		return rc;
	if (!(buf = malloc(co.size)))
		die("malloc", 0);

	if (co.is_master) {
		int in = nv_portal_create(PORTAL_PORT), mbx = nv_mailbox_create(MAILBOX_PORT);
		int seen[NV_SYNC_MAX] = { 0 };
		struct report rep;
		if (in < 0 || mbx < 0)
			die("create", in < 0 ? in : mbx);
		if ((release = nv_sync_open(co.set, co.n + 1, NV_SYNC_ONE_TO_ALL)) < 0)
			die("nv_sync_open", release);
		for (int r = 0; r < co.rounds; r++)
			for (int w = 0; w < co.n; w++) {
				int pid = co.set[w + 1];
				if ((rc = nv_portal_allow(in, pid)) < 0)
					die("nv_portal_allow", rc);
				if ((rc = nv_portal_read(in, buf, co.size)) != (int)co.size)
					die("nv_portal_read", rc);
				for (size_t i = 0; i < co.size; i++)
					if (buf[i] != pattern(pid, r, i)) {
						fprintf(stderr, "gather: worker %d round %d byte %u "
							"wrong\n", pid, r, (unsigned)i);
						return 1;
					}
			}
		for (int w = 0; w < co.n; w++) {
			if ((rc = nv_mailbox_read(mbx, &rep, sizeof(rep))) != (int)sizeof(rep))
				die("nv_mailbox_read", rc);
			int k = rep.pid - co.set[1]; /* which worker */
			if (k < 0 || k >= co.n || seen[k]++ ||
			    rep.node != nv_name_lookup(rep.pid)) {
				fprintf(stderr, "gather: bad report from %d (node %d)\n", rep.pid,
					rep.node);
				return 1;
			}
		}
		if ((rc = nv_sync_signal(release)) < 0)
			die("nv_sync_signal", rc);
		printf("gather: %d workers x %d rounds x %u bytes: every byte checked, "
		       "%d reports\n", co.n, co.rounds, (unsigned)co.size, co.n);
		nv_portal_unlink(in);
		nv_mailbox_unlink(mbx);
		nv_sync_close(release);
		return 0;
	}

	int me = (int)nv_getpid(), out = nv_portal_open(co.set[0], PORTAL_PORT);
	int mbx = nv_mailbox_open(co.set[0], MAILBOX_PORT);
	struct report rep;
	unsigned sum = 0;
	if (out < 0 || mbx < 0)
		die("open", out < 0 ? out : mbx);
	if ((release = nv_sync_create(co.set, co.n + 1, NV_SYNC_ONE_TO_ALL)) < 0)
		die("nv_sync_create", release);
	for (int r = 0; r < co.rounds; r++) {
		for (size_t i = 0; i < co.size; i++)
			sum += buf[i] = pattern(me, r, i);
		if ((rc = nv_portal_write(out, buf, co.size)) != (int)co.size)
			die("nv_portal_write", rc);
	}
	memset(&rep, 0, sizeof(rep));
	rep.pid = me;
	rep.node = nv_name_lookup(me);
	rep.sum = sum;
	snprintf(rep.text, sizeof(rep.text), "worker %d done", me);
	if ((rc = nv_mailbox_write(mbx, &rep, sizeof(rep))) != (int)sizeof(rep))
		die("nv_mailbox_write", rc);
	if ((rc = nv_sync_wait(release)) < 0)
		die("nv_sync_wait", rc);
	return 0;
}
