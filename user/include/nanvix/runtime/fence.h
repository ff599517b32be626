/*
 * nanvix/runtime/fence.h - a reusable barrier among the threads of a
 * process, as Nanvix's current runtime has it: threads sleep until the
 * last one arrives.
 */
#ifndef NANVIX_RUNTIME_FENCE_H
#define NANVIX_RUNTIME_FENCE_H

#include "nanvix/kernel/kernel.h"
#include "nanvix/sys/condvar.h"
#include "nanvix/sys/mutex.h"

struct nanvix_fence {
	int release;  /* flips each time all have reached it */
	int nthreads; /* threads that meet at it */
	int nreached;
	struct nanvix_mutex mutex;
	struct nanvix_cond_var cond;
};

/* 0, or -EINVAL (NULL, or nthreads not 1 .. THREAD_MAX). */
int nanvix_fence_init(struct nanvix_fence *b, int nthreads);
/* 0, or -EINVAL (NULL); the fence is unusable until initialised again. */
int nanvix_fence_destroy(struct nanvix_fence *b);
/* Sleeps until nthreads threads have reached it: 0, or -EINVAL (NULL or
 * not initialised). */
int nanvix_fence(struct nanvix_fence *b);


#endif /* NANVIX_RUNTIME_FENCE_H */
