/*
 * nanvix/runtime/barrier.h - a barrier among processes on several nodes
 * (Nanvix's runtime barrier), made of two syncs: all signal the leader
 * (the first node listed), then the leader releases all.
 */
#ifndef NANVIX_RUNTIME_BARRIER_H
#define NANVIX_RUNTIME_BARRIER_H

#include "nanvix/sys/sync.h"

typedef struct {
	int leader;   /* node whose process gathers and releases */
	int syncs[2]; /* arrivals (to the leader), release (from it) */
} barrier_t;

#define BARRIER_NULL ((barrier_t){ .leader = -1, .syncs = { -1, -1 } })
#define BARRIER_IS_VALID(x) ((x).leader >= 0 && (x).syncs[0] >= 0 && (x).syncs[1] >= 0)

/* A barrier among nodes[0 .. nnodes-1], the caller's node among them;
 * every one of them creates it. BARRIER_NULL if it cannot be made (the
 * syncs' errors: a bad list, a node whose process ended). */
barrier_t barrier_create(const int *nodes, int nnodes);
/* 0, or -EINVAL (not a barrier) or the syncs' error. */
int barrier_destroy(barrier_t barrier);
/* Returns once every node has reached it: 0, or -EINVAL or the syncs'. */
int barrier_wait(barrier_t barrier);

#endif /* NANVIX_RUNTIME_BARRIER_H */
