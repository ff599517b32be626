/*
 * nanvix/kernel/kernel.h - what a Nanvix user program gets from the
 * kernel's headers: base types, the small runtime (nanvix/ulib.h), the
 * processor's constants (nanvix/kernel/config.h) and spinlocks.
 *
 * Written for crtool's board from what Nanvix's public headers specify;
 * see docs/abi.md, "Nanvix API".
 */
#ifndef NANVIX_KERNEL_KERNEL_H
#define NANVIX_KERNEL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nanvix/kernel/config.h"
#include "nanvix/ulib.h"
#include "posix/errno.h"

typedef uint32_t word_t;
typedef uint64_t dword_t;
typedef uint32_t vaddr_t;
typedef uint32_t paddr_t;

/* Spinlocks: a word, 0 free; busy-waits with a yield between tries. */
typedef volatile int spinlock_t;
#define SPINLOCK_UNLOCKED 0
#define SPINLOCK_LOCKED 1

static inline void spinlock_init(spinlock_t *l)
{
	__atomic_store_n(l, SPINLOCK_UNLOCKED, __ATOMIC_RELEASE);
}

/* 1 if taken, 0 if held by another. */
static inline int spinlock_trylock(spinlock_t *l)
{
	return __atomic_exchange_n(l, SPINLOCK_LOCKED, __ATOMIC_ACQUIRE) == SPINLOCK_UNLOCKED;
}

int kthread_yield(void);

static inline void spinlock_lock(spinlock_t *l)
{
	while (!spinlock_trylock(l))
		kthread_yield(); /* threads of a core share it: let the holder run */
}

static inline void spinlock_unlock(spinlock_t *l)
{
	__atomic_store_n(l, SPINLOCK_UNLOCKED, __ATOMIC_RELEASE);
}

/* Reads of the model's clock, in cycles (the core's cycle counter). */
int kclock(uint64_t *t);

/* The model's clock, in cycles, as the HAL's clock_read() gives it. */
static inline uint64_t clock_read(void)
{
	uint64_t t = 0;

	kclock(&t);
	return t;
}

/* The core the calling thread runs on (0 .. CORES_NUM-1). */
int core_get_id(void);

/* The HAL's names for the caller's cluster (I/O clusters first, master
 * PROCESSOR_CLUSTERNUM_MASTER) and node (its virtual node, whatever
 * core asks). */
int kcluster_get_num(void);
int knode_get_num(void);
static inline int cluster_get_num(void)
{
	return kcluster_get_num();
}
static inline int processor_node_get_num(int coreid)
{
	(void)coreid;
	return knode_get_num();
}

#endif /* NANVIX_KERNEL_KERNEL_H */
