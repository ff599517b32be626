/*
 * mesh.c - the NoC's 2D mesh and its transfer model: hops, modelled
 * time, and the counters of every node's traffic (see mesh.h).
 */
#include <string.h>

#include "noc/mesh.h"
#include "noc/noc_priv.h"
#include "params/profile.h"

uint32_t mesh_hops(const struct noc *n, uint32_t a, uint32_t b)
{
	uint32_t w = n->prof->mesh_width;
	uint32_t ax = a % w, ay = a / w, bx = b % w, by = b / w;

	return (ax > bx ? ax - bx : bx - ax) + (ay > by ? ay - by : by - ay);
}

uint64_t mesh_transfer_ns(const struct noc *n, uint32_t a, uint32_t b, uint64_t bytes)
{
	uint64_t bw = n->prof->link_bandwidth;

	/* Rounded up: a transfer never takes less than its last byte. */
	return (uint64_t)mesh_hops(n, a, b) * n->prof->hop_latency_ns +
	       (bytes * 1000000000ull + bw - 1) / bw;
}

uint64_t mesh_account_locked(struct noc *n, uint32_t a, uint32_t b, uint64_t bytes)
{
	struct noc_stats *st = &n->node[a].stats;
	uint64_t ns = mesh_transfer_ns(n, a, b, bytes);

	st->messages++;
	st->bytes += bytes;
	st->hops += mesh_hops(n, a, b);
	st->model_ns += ns;
	return ns;
}

void mesh_get_stats(struct noc *n, uint32_t node, struct noc_stats *st)
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
