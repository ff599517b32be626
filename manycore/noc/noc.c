/*
 * noc.c - the mesh, its transfer model, residency and doorbells.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "noc/noc_priv.h"
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

void noc_free(struct noc *n)
{
	if (!n)
		return;
	for (uint32_t i = 0; n->node && i < n->nnodes; i++) {
		struct noc_node *nd = &n->node[i];
		for (uint32_t k = 0; nd->portal && k < n->prof->portal_ports; k++)
			free(nd->portal[k].data);
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

uint32_t noc_hops(const struct noc *n, uint32_t a, uint32_t b)
{
	uint32_t w = n->prof->mesh_width;
	uint32_t ax = a % w, ay = a / w, bx = b % w, by = b / w;

	return (ax > bx ? ax - bx : bx - ax) + (ay > by ? ay - by : by - ay);
}

uint64_t noc_transfer_ns(const struct noc *n, uint32_t a, uint32_t b, uint64_t bytes)
{
	uint64_t bw = n->prof->link_bandwidth;

	/* Rounded up: a transfer never takes less than its last byte. */
	return (uint64_t)noc_hops(n, a, b) * n->prof->hop_latency_ns +
	       (bytes * 1000000000ull + bw - 1) / bw;
}

uint64_t noc_account_locked(struct noc *n, uint32_t a, uint32_t b, uint64_t bytes)
{
	struct noc_stats *st = &n->node[a].stats;
	uint64_t ns = noc_transfer_ns(n, a, b, bytes);

	st->messages++;
	st->bytes += bytes;
	st->hops += noc_hops(n, a, b);
	st->model_ns += ns;
	return ns;
}

void noc_set_ring(struct noc *n, noc_ring_fn fn, void *ctx)
{
	pthread_mutex_lock(&n->lock);
	n->ring = fn;
	n->ring_ctx = ctx;
	pthread_mutex_unlock(&n->lock);
}

/* The calling thread's held wake-ups (noc_hold_rings). */
static _Thread_local struct {
	const struct noc *n;
	uint64_t keep, nodes;
} noc_held;

void noc_hold_rings(struct noc *n, uint64_t keep)
{
	noc_held.n = n;
	noc_held.keep = keep;
}

void noc_release_rings(struct noc *n)
{
	uint64_t w = noc_held.nodes;

	if (noc_held.n != n)
		return;
	noc_held.n = NULL;
	noc_held.nodes = 0;
	if (!w)
		return;
	pthread_mutex_lock(&n->lock);
	for (uint32_t i = 0; w; i++, w >>= 1)
		if ((w & 1) && n->ring)
			n->ring(n->ring_ctx, i);
	pthread_mutex_unlock(&n->lock);
}

void noc_ring_locked(struct noc *n, uint32_t node)
{
	if (n->node[node].rung)
		return;
	n->node[node].rung = 1;
	n->any_rung = 1;
	if (noc_held.n == n && !(noc_held.keep >> node & 1))
		noc_held.nodes |= 1ull << node;
	else if (n->ring)
		n->ring(n->ring_ctx, node);
}

void noc_changed_locked(struct noc *n, uint32_t node)
{
	uint64_t w = n->node[node].waiters;

	n->node[node].waiters = 0;
	noc_ring_locked(n, node);
	for (uint32_t i = 0; w; i++, w >>= 1)
		if (w & 1)
			noc_ring_locked(n, i);
}

void noc_wait_on_locked(struct noc *n, uint32_t node, uint32_t waiter)
{
	n->node[node].waiters |= 1ull << waiter;
}

int noc_take_doorbell(struct noc *n, uint32_t node)
{
	int r;

	pthread_mutex_lock(&n->lock);
	r = n->node[node].rung;
	n->node[node].rung = 0;
	if (r) {
		n->any_rung = 0;
		for (uint32_t i = 0; i < n->nnodes; i++)
			n->any_rung |= n->node[i].rung;
	}
	pthread_mutex_unlock(&n->lock);
	return r;
}

int noc_any_doorbell(struct noc *n)
{
	int r;

	pthread_mutex_lock(&n->lock);
	r = n->any_rung;
	pthread_mutex_unlock(&n->lock);
	return r;
}

int noc_resident_locked(struct noc *n, uint32_t node, uint32_t pid)
{
	struct noc_node *nd = &n->node[node];

	if (pid == NOC_KERNEL_PID)
		return 1;
	for (uint32_t i = 0; i < nd->npids; i++)
		if (nd->pids[i] == pid)
			return 1;
	return 0;
}

int noc_resident(struct noc *n, uint32_t node, uint32_t pid)
{
	int r;

	pthread_mutex_lock(&n->lock);
	r = node < n->nnodes && noc_resident_locked(n, node, pid);
	pthread_mutex_unlock(&n->lock);
	return r;
}

/* 1 if pid lives on some node (the kernel "process" always does). */
static int noc_attached_locked(struct noc *n, uint32_t pid)
{
	for (uint32_t i = 0; i < n->nnodes; i++)
		if (noc_resident_locked(n, i, pid))
			return 1;
	return 0;
}

int noc_is_attached(struct noc *n, uint32_t pid)
{
	int r;

	pthread_mutex_lock(&n->lock);
	r = pid != NOC_KERNEL_PID && noc_attached_locked(n, pid);
	pthread_mutex_unlock(&n->lock);
	return r;
}

int noc_attach(struct noc *n, uint32_t node, uint32_t pid)
{
	struct noc_node *nd = &n->node[node];
	int rc = 0;

	pthread_mutex_lock(&n->lock);
	if (noc_attached_locked(n, pid))
		rc = -EEXIST;
	if (!rc && nd->npids == n->prof->processes_per_cluster)
		rc = -EAGAIN;
	if (!rc) {
		nd->pids[nd->npids++] = pid;
		/* Senders that found no such process may have been told so
		 * already; those waiting for an endpoint retry. */
		noc_changed_locked(n, node);
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
		mailbox_detach_locked(n, node, pid);
		portal_detach_locked(n, node, pid);
		sync_detach_locked(n, node, pid);
		noc_changed_locked(n, node);
		break;
	}
	pthread_mutex_unlock(&n->lock);
}

void noc_get_stats(struct noc *n, uint32_t node, struct noc_stats *st)
{
	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&n->lock);
	for (uint32_t i = 0; i < n->nnodes; i++) {
		const struct noc_stats *s = &n->node[i].stats;
		if (node < n->nnodes && i != node)
			continue;
		st->messages += s->messages;
		st->bytes += s->bytes;
		st->hops += s->hops;
		st->model_ns += s->model_ns;
		st->kernel_messages += s->kernel_messages;
	}
	pthread_mutex_unlock(&n->lock);
}
