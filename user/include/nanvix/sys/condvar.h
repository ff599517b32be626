/*
 * nanvix/sys/condvar.h - Nanvix's condition variables, on the board's
 * futexes: a waiter sleeps in the kernel until a signal, never spins.
 *
 * Zeroed (or NANVIX_COND_INIT) is initialised. Like POSIX's, a wait may
 * end without a signal: wait in a loop on the condition.
 */
#ifndef NANVIX_SYS_CONDVAR_H
#define NANVIX_SYS_CONDVAR_H

#include "nanvix/kernel/kernel.h"
#include "nanvix/sys/mutex.h"

/* A sequence number bumped by every signal. */
struct nanvix_cond_var {
	volatile uint32_t seq;
};
#define NANVIX_COND_INIT { 0 }

/* Each returns 0, or -EINVAL for a NULL argument. */
int nanvix_cond_init(struct nanvix_cond_var *cond);
/* Releases mutex (which the caller holds), sleeps until a signal, and
 * takes mutex again. */
int nanvix_cond_wait(struct nanvix_cond_var *cond, struct nanvix_mutex *mutex);
int nanvix_cond_signal(struct nanvix_cond_var *cond);    /* wakes one waiter */
int nanvix_cond_broadcast(struct nanvix_cond_var *cond); /* wakes them all */
/* 0, or -EINVAL for NULL. */
int nanvix_cond_destroy(struct nanvix_cond_var *cond);
int nanvix_condvar_destroy(struct nanvix_cond_var *cond); /* its older name */

/* Ours beside Nanvix's: a wait with a deadline on the monotonic clock,
 * in ns (0: none); 0 or -ETIMEDOUT. */
int nanvix_cond_timedwait(struct nanvix_cond_var *cond, struct nanvix_mutex *mutex,
                          uint64_t deadline_ns);

#endif /* NANVIX_SYS_CONDVAR_H */
