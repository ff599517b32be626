/*
 * collective.c - collective communication in Nanvix's style, on every
 * cluster of the processor: it starts at the runtime's __main2, meets
 * at the runtime's standard fence (nanvix/runtime/stdikc.h), and each
 * round gathers on the master through its standard input mailbox and
 * input portal, then broadcasts the total back to each node's standard
 * inbox, and meets at a runtime barrier. Only the master prints (the same lines whatever the timing, and
 * however the processes are moved, dumped or restored); a node that sees
 * wrong data says so and the run's status is non-zero.
 *
 *   collective [ROUNDS]   (default 4), on all clusters:
 *   --nodes 0,4,8-23 on mppa256, --nodes 0-19 on the default profile
 */
#include <nanvix/runtime/barrier.h>
#include <nanvix/runtime/stdikc.h>
#include <nanvix/sys/mailbox.h>
#include <nanvix/sys/noc.h>
#include <nanvix/sys/portal.h>
#include <nanvix/sys/thread.h>
#include <nanvix/ulib.h>
#include <posix/errno.h>
#include <posix/stddef.h>
#include <stdlib.h>

#define PORTAL_BYTES (2 * KB) /* more than one mailbox message */

/* What a node sends the master in a round. */
struct report {
	int node;
	int round;
	uint64_t value; /* node * round, to check the sums */
};

PRIVATE int nodes[PROCESSOR_CLUSTERS_NUM];
PRIVATE uint64_t nodesum; /* of every node but the master's */
PRIVATE char block[PORTAL_BYTES];
PRIVATE int failures;

#define CHECK(what, x)                                                       \
	do {                                                                 \
		if (!(x)) {                                                  \
			uprintf("node %d: FAILED %s (%s)", knode_get_num(), what, #x); \
			failures++;                                          \
		}                                                            \
	} while (0)

/* The clusters by node, as the standard fence has them. */
PRIVATE void collective_nodes(void)
{
	int n = 0;

	for (int i = 0; i < PROCESSOR_IOCLUSTERS_NUM; i++)
		nodes[n++] = i * (PROCESSOR_NOC_IONODES_NUM / PROCESSOR_IOCLUSTERS_NUM);
	for (int i = 0; i < PROCESSOR_CCLUSTERS_NUM; i++)
		nodes[n++] = PROCESSOR_NOC_IONODES_NUM + i;
	for (int i = 1; i < n; i++)
		nodesum += (uint64_t)nodes[i];
}

PRIVATE char pattern(int node, int round, int i)
{
	return (char)(node * 7 + round * 3 + i);
}

/* The master's round: a gather by mailbox and one by portal, checked,
 * then the total broadcast. */
PRIVATE void master_round(int round, uint64_t *total)
{
	struct report r;
	uint64_t sum = 0, seen = 0;
	int out;

	for (int i = 1; i < PROCESSOR_CLUSTERS_NUM; i++) {
		CHECK("gather read", kmailbox_read(stdinbox_get(), &r, sizeof(r)) == sizeof(r));
		CHECK("gather round", r.round == round && r.value == (uint64_t)r.node * round);
		seen |= 1ull << r.node;
		sum += r.value;
	}
	for (int i = 1; i < PROCESSOR_CLUSTERS_NUM; i++)
		CHECK("gather from every node", seen & (1ull << nodes[i]));
	CHECK("gather sum", sum == nodesum * round);
	stdsync_fence();
	for (int i = 1; i < PROCESSOR_CLUSTERS_NUM; i++) {
		umemset(block, 0, sizeof(block));
		CHECK("portal allow", kportal_allow(stdinportal_get(), nodes[i], 0) == 0);
		CHECK("portal read", kportal_read(stdinportal_get(), block, sizeof(block)) == sizeof(block));
		for (int k = 0; k < PORTAL_BYTES; k++)
			if (block[k] != pattern(nodes[i], round, k)) {
				CHECK("portal data", 0);
				break;
			}
	}
	*total += sum;
	for (int i = 1; i < PROCESSOR_CLUSTERS_NUM; i++) {
		CHECK("broadcast open", (out = kmailbox_open(nodes[i], 0)) >= 0);
		CHECK("broadcast write", kmailbox_write(out, total, sizeof(*total)) == sizeof(*total));
		CHECK("broadcast close", kmailbox_close(out) == 0);
	}
	uprintf("round %d: gathered %d nodes by mailbox (sum %l) and %d x %d bytes by portal", round,
	        PROCESSOR_CLUSTERS_NUM - 1, sum, PROCESSOR_CLUSTERS_NUM - 1, PORTAL_BYTES);
}

PRIVATE void slave_round(int round, uint64_t *total)
{
	int me = knode_get_num(), out;
	struct report r = { me, round, (uint64_t)me * round };
	uint64_t got = 0;

	CHECK("report open", (out = kmailbox_open(PROCESSOR_NODENUM_MASTER, 0)) >= 0);
	CHECK("report write", kmailbox_write(out, &r, sizeof(r)) == sizeof(r));
	CHECK("report close", kmailbox_close(out) == 0);
	stdsync_fence();
	for (int k = 0; k < PORTAL_BYTES; k++)
		block[k] = pattern(me, round, k);
	CHECK("portal open", (out = kportal_open(me, PROCESSOR_NODENUM_MASTER, 0)) >= 0);
	CHECK("portal write", kportal_write(out, block, sizeof(block)) == sizeof(block));
	CHECK("portal close", kportal_close(out) == 0);
	CHECK("broadcast read", kmailbox_read(stdinbox_get(), &got, sizeof(got)) == sizeof(got));
	*total += nodesum * round;
	CHECK("broadcast total", got == *total);
}

int __main2(int argc, const char *argv[])
{
	int rounds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 4;
	int master = knode_get_num() == PROCESSOR_NODENUM_MASTER;
	uint64_t total = 0;

	collective_nodes();
	if (rounds < 1) {
		uprintf("usage: collective [ROUNDS] (ROUNDS >= 1)");
		return 2;
	}
	if (master)
		uprintf("collective: %d clusters, %d rounds (cluster %d is the master)",
		        PROCESSOR_CLUSTERS_NUM, rounds, cluster_get_num());
	CHECK("standard mailbox", __stdmailbox_setup() == 0 && stdinbox_get() >= 0);
	CHECK("standard portal", __stdportal_setup() == 0 && stdinportal_get() >= 0);
	CHECK("standard inbox port", stdinbox_get_port() == 0 && stdinportal_get_port() == 0);
	CHECK("standard fence", __stdsync_setup() == 0 && stdsync_get() >= 0);
	CHECK("fence", stdsync_fence() == 0);
	for (int round = 1; round <= rounds; round++) {
		if (master)
			master_round(round, &total);
		else
			slave_round(round, &total);
		CHECK("round fence", stdsync_fence() == 0);
	}
	CHECK("fence cleanup", __stdsync_cleanup() == 0);
	CHECK("fence gone", stdsync_fence() == -EINVAL);
	{
		/* the runtime's barrier, which the standard fence is made of:
		 * as on Nanvix, the fence's syncs go first (a process holds the
		 * member lists of 64 nodes' worth of syncs) */
		barrier_t b = barrier_create(nodes, PROCESSOR_CLUSTERS_NUM);
		CHECK("barrier", BARRIER_IS_VALID(b));
		CHECK("barrier wait", barrier_wait(b) == 0 && barrier_wait(b) == 0);
		CHECK("barrier destroy", barrier_destroy(b) == 0);
		CHECK("barrier of no list", !BARRIER_IS_VALID(barrier_create(NULL, 2)));
		CHECK("barrier of one node", !BARRIER_IS_VALID(barrier_create(nodes, 1)));
		CHECK("no barrier wait", barrier_wait(BARRIER_NULL) == -EINVAL);
		CHECK("no barrier destroy", barrier_destroy(BARRIER_NULL) == -EINVAL);
	}
	CHECK("portal cleanup", __stdportal_cleanup() == 0);
	CHECK("mailbox cleanup", __stdmailbox_cleanup() == 0);
	if (master) {
		/* once a node's process has ended, naming it is -ESRCH (it
		 * does not wait for a process that will not come) */
		int id;
		while ((id = kmailbox_open(nodes[1], 0)) >= 0) {
			kmailbox_close(id);
			kthread_yield();
		}
		CHECK("ended node", id == -ESRCH);
		uprintf("collective: %s, total %l", failures ? "FAILED" : "passed", total);
	}
	return failures ? 1 : 0;
}
