/*
 * noc.c - a board's NoC: its nodes made and freed, and the processes that
 * live on them (see noc.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "noc/mailbox.h"
#include "noc/noc_priv.h"
#include "noc/portal.h"
#include "noc/sync.h"
#include "params/profile.h"

struct noc *noc_new(const struct profile *p)
{
	struct noc *n = calloc(1, sizeof(*n));
	uint32_t nodes = profile_clusters(p);

	if (!n)
		return NULL;
	n->prof = p;
	n->nnodes = nodes;
	if (pthread_mutex_init(&n->lock, NULL)) {
		free(n);
		return NULL;
	}
	n->node = nodes <= NOC_NODES_MAX ? calloc(nodes, sizeof(*n->node)) : NULL;
	if (!n->node)
		goto fail;
	for (uint32_t i = 0; i < nodes; i++) {
		struct noc_node *nd = &n->node[i];
		nd->pids = calloc(p->processes_per_cluster, sizeof(*nd->pids));
		nd->mbx = calloc(p->mailbox_ports, sizeof(*nd->mbx));
		nd->portal = calloc(p->portal_ports, sizeof(*nd->portal));
		nd->sync = calloc(p->mailbox_ports, sizeof(*nd->sync));
		if (!nd->pids || !nd->mbx || !nd->portal || !nd->sync)
			goto fail;
	}
	return n;
fail:
	noc_free(n);
	return NULL;
}

void noc_set_hold_fault(struct noc *n, uint32_t nth)
{
	pthread_mutex_lock(&n->lock);
	n->hold_fail_at = nth;
	n->holds = 0;
	pthread_mutex_unlock(&n->lock);
}

void noc_free(struct noc *n)
{
	if (!n)
		return;
	for (uint32_t i = 0; n->node && i < n->nnodes; i++) {
		struct noc_node *nd = &n->node[i];
		for (uint32_t k = 0; nd->portal && k < n->prof->portal_ports; k++)
			for (uint32_t w = 0; w < nd->portal[k].nwrites; w++)
				free(nd->portal[k].w[w].data);
		free(nd->pids);
		free(nd->mbx);
		free(nd->portal);
		free(nd->sync);
		for (unsigned k = 0; k < MAILBOX_KSERVICES; k++)
			free(nd->kq[k].msgs);
	}
	free(n->node);
	pthread_mutex_destroy(&n->lock);
	free(n);
}

int noc_resident(struct noc *n, uint32_t node, uint32_t pid)
{
	int r;

	pthread_mutex_lock(&n->lock);
	r = node < n->nnodes && resident_on_locked(n, node, pid);
	pthread_mutex_unlock(&n->lock);
	return r;
}

int noc_is_attached(struct noc *n, uint32_t pid)
{
	int r;

	pthread_mutex_lock(&n->lock);
	r = pid != NOC_KERNEL_PID && resident_anywhere_locked(n, pid);
	pthread_mutex_unlock(&n->lock);
	return r;
}

int noc_seal(struct noc *n, uint32_t node, uint32_t pid, int on)
{
	int rc = 0;

	pthread_mutex_lock(&n->lock);
	resident_unseal_locked(n, pid);
	if (on && n->nsealed == NOC_SEALED_MAX)
		rc = -ENOSPC;
	else if (on)
		n->sealed[n->nsealed++] = pid;
	else
		doorbell_changed_locked(n, node); /* its senders go on */
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int noc_attach(struct noc *n, uint32_t node, uint32_t pid)
{
	struct noc_node *nd = &n->node[node];
	int rc = 0;

	pthread_mutex_lock(&n->lock);
	if (resident_anywhere_locked(n, pid))
		rc = -EEXIST;
	if (!rc && nd->npids == n->prof->processes_per_cluster)
		rc = -EAGAIN;
	if (!rc) {
		nd->pids[nd->npids++] = pid;
		/* Senders that found no such process may have been told so
		 * already; those waiting for an endpoint retry. */
		doorbell_changed_locked(n, node);
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

void noc_detach(struct noc *n, uint32_t node, uint32_t pid)
{
	struct noc_node *nd = &n->node[node];

	pthread_mutex_lock(&n->lock);
	for (uint32_t i = 0; i < nd->npids; i++) {
		if (nd->pids[i] != pid)
			continue;
		nd->pids[i] = nd->pids[--nd->npids];
		resident_unseal_locked(n, pid);
		mailbox_detach_locked(n, node, pid);
		portal_detach_locked(n, node, pid);
		sync_detach_locked(n, node, pid);
		doorbell_changed_locked(n, node);
		break;
	}
	pthread_mutex_unlock(&n->lock);
}
