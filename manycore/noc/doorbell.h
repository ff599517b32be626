/*
 * doorbell.h - the doorbells of the NoC's nodes: what wakes a node's
 * kernel when the IKC state it waits on changes (noc.h).
 */
#ifndef DOORBELL_H
#define DOORBELL_H

#include <stdint.h>

struct noc;

/* Called, with the NoC lock held, when node's doorbell rings; must not
 * call back into the NoC. */
typedef void (*noc_ring_fn)(void *ctx, uint32_t node);

/* Sets who is told when a doorbell rings (the board wakes the node's host
 * thread); before any cluster runs. */
void doorbell_set_ring(struct noc *n, noc_ring_fn fn, void *ctx);

/*
 * Holds the host wake-ups of the doorbells the calling thread rings on n
 * from now on, but those of the nodes in keep (a bitmap), until
 * doorbell_release makes them; the bells themselves still ring. A
 * migration's commit holds them so that waking sleeping host threads (a
 * system call each, tens of microseconds here, where a real NoC
 * interrupt costs next to nothing) falls after the moved process runs,
 * not in its downtime; it keeps the nodes that poll.
 */
void doorbell_hold(struct noc *n, uint64_t keep);
void doorbell_release(struct noc *n);

/* 1 if node's doorbell rang since the last call, and clears it. */
int doorbell_take(struct noc *n, uint32_t node);

/* 1 if node's doorbell is rung now; leaves it so (no lock: a look). */
int doorbell_rung(struct noc *n, uint32_t node);

/* 1 if any node's doorbell is rung (the board is not quiet). */
int doorbell_any(struct noc *n);

#endif /* DOORBELL_H */
