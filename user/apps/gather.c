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
	int set[NV_SYNC_MAX], n, first, master, rounds = 2, release, rc;
	size_t size = 8192;
	unsigned char *buf;

	if (argc < 5 || (strcmp(argv[1], "master") && strcmp(argv[1], "worker"))) {
		fprintf(stderr, "usage: gather master|worker MASTER FIRST N [ROUNDS [SIZE]]\n");
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
		fprintf(stderr, "gather: bad arguments\n");
		return 2;
	}
	set[0] = master;
	for (int i = 0; i < n; i++)
		set[i + 1] = first + i;
	if (!(buf = malloc(size)))
		die("malloc", 0);

	if (!strcmp(argv[1], "master")) {
		int in = kportal_create(PORTAL_PORT), mbx = kmailbox_create(MAILBOX_PORT);
		int seen[NV_SYNC_MAX] = { 0 };
		struct report rep;
		if (in < 0 || mbx < 0)
			die("create", in < 0 ? in : mbx);
		if ((release = ksync_open(set, n + 1, NV_SYNC_ONE_TO_ALL)) < 0)
			die("ksync_open", release);
		for (int r = 0; r < rounds; r++)
			for (int w = 0; w < n; w++) {
				int pid = set[w + 1];
				if ((rc = kportal_allow(in, pid)) < 0)
					die("kportal_allow", rc);
				if ((rc = kportal_read(in, buf, size)) != (int)size)
					die("kportal_read", rc);
				for (size_t i = 0; i < size; i++)
					if (buf[i] != pattern(pid, r, i)) {
						fprintf(stderr, "gather: worker %d round %d byte %u "
							"wrong\n", pid, r, (unsigned)i);
						return 1;
					}
			}
		for (int w = 0; w < n; w++) {
			if ((rc = kmailbox_read(mbx, &rep, sizeof(rep))) != (int)sizeof(rep))
				die("kmailbox_read", rc);
			if (rep.pid < first || rep.pid >= first + n || seen[rep.pid - first]++ ||
			    rep.node != kname_lookup(rep.pid)) {
				fprintf(stderr, "gather: bad report from %d (node %d)\n", rep.pid,
					rep.node);
				return 1;
			}
		}
		if ((rc = ksync_signal(release)) < 0)
			die("ksync_signal", rc);
		printf("gather: %d workers x %d rounds x %u bytes: every byte checked, "
		       "%d reports\n", n, rounds, (unsigned)size, n);
		kportal_unlink(in);
		kmailbox_unlink(mbx);
		ksync_close(release);
		return 0;
	}

	int me = (int)nv_getpid(), out = kportal_open(master, PORTAL_PORT);
	int mbx = kmailbox_open(master, MAILBOX_PORT);
	struct report rep;
	unsigned sum = 0;
	if (out < 0 || mbx < 0)
		die("open", out < 0 ? out : mbx);
	if ((release = ksync_create(set, n + 1, NV_SYNC_ONE_TO_ALL)) < 0)
		die("ksync_create", release);
	for (int r = 0; r < rounds; r++) {
		for (size_t i = 0; i < size; i++)
			sum += buf[i] = pattern(me, r, i);
		if ((rc = kportal_write(out, buf, size)) != (int)size)
			die("kportal_write", rc);
	}
	memset(&rep, 0, sizeof(rep));
	rep.pid = me;
	rep.node = kname_lookup(me);
	rep.sum = sum;
	snprintf(rep.text, sizeof(rep.text), "worker %d done", me);
	if ((rc = kmailbox_write(mbx, &rep, sizeof(rep))) != (int)sizeof(rep))
		die("kmailbox_write", rc);
	if ((rc = ksync_wait(release)) < 0)
		die("ksync_wait", rc);
	return 0;
}
