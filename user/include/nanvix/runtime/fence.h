/*
 * nanvix/runtime/fence.h - a reusable barrier among the threads of a
 * process (Nanvix's runtime fence).
 */
#ifndef NANVIX_RUNTIME_FENCE_H
#define NANVIX_RUNTIME_FENCE_H

#include "nanvix/kernel/kernel.h"

struct fence {
	int ncores;          /* threads that meet at it */
	volatile int nreached;
	volatile int release; /* flips each time all have reached it */
	spinlock_t lock;
};
typedef struct fence fence_t;

void fence_init(struct fence *b, int ncores);
void fence(struct fence *b);

#endif /* NANVIX_RUNTIME_FENCE_H */
