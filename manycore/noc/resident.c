/*
 * resident.c - which processes live on which node: what every NoC
 * operation checks of its ends. NoC-internal, with the NoC's lock held
 * (noc_priv.h).
 */
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
