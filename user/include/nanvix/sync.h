/*
 * nanvix/sync.h - user-level mutexes, semaphores and condition variables
 * on the kernel's futex calls: uncontended operations stay in user space,
 * contended ones block in the kernel instead of spinning.
 *
 * All are plain words, initialised by zeroing (or the *_INIT macros), and
 * need no destroy. Deadlines are on the monotonic clock, in ns (0: none).
 */
#ifndef NANVIX_SYNC_H
#define NANVIX_SYNC_H

#include <stdint.h>

#include "nanvix/sys/mutex.h"
#include "nanvix/sys/semaphore.h"

/* A sequence number bumped by every signal. */
struct nanvix_cond {
	volatile uint32_t seq;
};
#define NANVIX_COND_INIT { 0 }

void nanvix_cond_init(struct nanvix_cond *c);
/* Releases m, waits for a signal (or the deadline), retakes m. 0 or
 * -ETIMEDOUT. Like POSIX, it may wake spuriously: wait in a loop. */
int nanvix_cond_wait(struct nanvix_cond *c, struct nanvix_mutex *m, uint64_t deadline_ns);
void nanvix_cond_signal(struct nanvix_cond *c);
void nanvix_cond_broadcast(struct nanvix_cond *c);

#endif /* NANVIX_SYNC_H */
