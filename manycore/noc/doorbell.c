/*
 * doorbell.c - the doorbells that wake a node's kernel, and who waits on
 * whom (see doorbell.h).
 */
#include "noc/doorbell.h"
#include "noc/noc_priv.h"

void doorbell_set_ring(struct noc *n, noc_ring_fn fn, void *ctx)
{
	pthread_mutex_lock(&n->lock);
	n->ring = fn;
	n->ring_ctx = ctx;
	pthread_mutex_unlock(&n->lock);
}

/* The calling thread's held wake-ups (doorbell_hold). */
static _Thread_local struct {
	const struct noc *n;
	uint64_t keep, nodes;
} doorbell_held;

void doorbell_hold(struct noc *n, uint64_t keep)
{
	doorbell_held.n = n;
	doorbell_held.keep = keep;
}

void doorbell_release(struct noc *n)
{
	uint64_t w = doorbell_held.nodes;

	if (doorbell_held.n != n)
		return;
	doorbell_held.n = NULL;
	doorbell_held.nodes = 0;
	if (!w)
		return;
	pthread_mutex_lock(&n->lock);
	for (uint32_t i = 0; w; i++, w >>= 1)
		if ((w & 1) && n->ring)
			n->ring(n->ring_ctx, i);
	pthread_mutex_unlock(&n->lock);
}

void doorbell_ring_locked(struct noc *n, uint32_t node)
{
	if (n->node[node].rung)
		return;
	/* atomic: doorbell_take looks without the lock */
	__atomic_store_n(&n->node[node].rung, 1, __ATOMIC_RELEASE);
	n->any_rung = 1;
	if (doorbell_held.n == n && !(doorbell_held.keep >> node & 1))
		doorbell_held.nodes |= 1ull << node;
	else if (n->ring)
		n->ring(n->ring_ctx, node);
}

void doorbell_changed_locked(struct noc *n, uint32_t node)
{
	uint64_t w = n->node[node].waiters;

	n->node[node].waiters = 0;
	doorbell_ring_locked(n, node);
	for (uint32_t i = 0; w; i++, w >>= 1)
		if (w & 1)
			doorbell_ring_locked(n, i);
}

void doorbell_wait_on_locked(struct noc *n, uint32_t node, uint32_t waiter)
{
	n->node[node].waiters |= 1ull << waiter;
}

int doorbell_take(struct noc *n, uint32_t node)
{
	int r;

	/* Not rung: nothing to take, and no lock (every node asks each
	 * round). A ring that comes after this look calls n->ring, so it is
	 * not lost. */
	if (!__atomic_load_n(&n->node[node].rung, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&n->lock);
	r = n->node[node].rung;
	__atomic_store_n(&n->node[node].rung, 0, __ATOMIC_RELAXED);
	if (r) {
		n->any_rung = 0;
		for (uint32_t i = 0; i < n->nnodes; i++)
			n->any_rung |= n->node[i].rung;
	}
	pthread_mutex_unlock(&n->lock);
	return r;
}

int doorbell_rung(struct noc *n, uint32_t node)
{
	return __atomic_load_n(&n->node[node].rung, __ATOMIC_ACQUIRE);
}

int doorbell_any(struct noc *n)
{
	int r;

	pthread_mutex_lock(&n->lock);
	r = n->any_rung;
	pthread_mutex_unlock(&n->lock);
	return r;
}
