/*
 * barrier.c - the runtime's barrier among nodes (nanvix/runtime/barrier.h).
 */
#include "nanvix/runtime/barrier.h"
#include "nanvix/sys/noc.h"

barrier_t barrier_create(const int *nodes, int nnodes)
{
	barrier_t b = BARRIER_NULL;
	int leader;

	if (!nodes || nnodes < 2)
		return BARRIER_NULL;
	leader = nodes[0] == knode_get_num();
	/* the leader waits for all, then signals them; the others the other
	 * way round */
	b.syncs[0] = leader ? ksync_create(nodes, nnodes, SYNC_ALL_TO_ONE)
	                    : ksync_open(nodes, nnodes, SYNC_ALL_TO_ONE);
	if (b.syncs[0] < 0)
		return BARRIER_NULL;
	b.syncs[1] = leader ? ksync_open(nodes, nnodes, SYNC_ONE_TO_ALL)
	                    : ksync_create(nodes, nnodes, SYNC_ONE_TO_ALL);
	if (b.syncs[1] < 0) {
		if (leader)
			ksync_unlink(b.syncs[0]);
		else
			ksync_close(b.syncs[0]);
		return BARRIER_NULL;
	}
	b.leader = nodes[0];
	return b;
}

int barrier_destroy(barrier_t b)
{
	int leader = b.leader == knode_get_num(), r0, r1;

	if (!BARRIER_IS_VALID(b))
		return -EINVAL;
	r0 = leader ? ksync_unlink(b.syncs[0]) : ksync_close(b.syncs[0]);
	r1 = leader ? ksync_close(b.syncs[1]) : ksync_unlink(b.syncs[1]);
	return r0 < 0 ? r0 : r1;
}

int barrier_wait(barrier_t b)
{
	int r;

	if (!BARRIER_IS_VALID(b))
		return -EINVAL;
	if (b.leader == knode_get_num()) {
		if ((r = ksync_wait(b.syncs[0])) < 0)
			return r;
		return ksync_signal(b.syncs[1]);
	}
	if ((r = ksync_signal(b.syncs[0])) < 0)
		return r;
	return ksync_wait(b.syncs[1]);
}
