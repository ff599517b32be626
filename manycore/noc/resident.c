/*
 * resident.c - which processes live on which node: what every NoC
 * operation checks of its ends. NoC-internal, with the NoC's lock held
 * (noc_priv.h).
 */
#include <errno.h>

#include "noc/noc_priv.h"

int resident_on_locked(struct noc *n, uint32_t node, uint32_t pid)
{
	struct noc_node *nd = &n->node[node];

	if (pid == NOC_KERNEL_PID)
		return 1;
	for (uint32_t i = 0; i < nd->npids; i++)
		if (nd->pids[i] == pid)
			return 1;
	return 0;
}

int resident_anywhere_locked(struct noc *n, uint32_t pid)
{
	for (uint32_t i = 0; i < n->nnodes; i++)
		if (resident_on_locked(n, i, pid))
			return 1;
	return 0;
}

static int resident_sealed_locked(const struct noc *n, uint32_t pid)
{
	for (uint32_t i = 0; i < n->nsealed; i++)
		if (n->sealed[i] == pid)
			return 1;
	return 0;
}

int resident_takes_locked(struct noc *n, uint32_t node, uint32_t pid, uint32_t waiter)
{
	if (!resident_on_locked(n, node, pid))
		return -ESRCH;
	if (pid != NOC_KERNEL_PID && resident_sealed_locked(n, pid)) {
		doorbell_wait_on_locked(n, node, waiter);
		return -EAGAIN;
	}
	return 0;
}

void resident_unseal_locked(struct noc *n, uint32_t pid)
{
	for (uint32_t i = 0; i < n->nsealed; i++)
		if (n->sealed[i] == pid) {
			n->sealed[i] = n->sealed[--n->nsealed];
			return;
		}
}
