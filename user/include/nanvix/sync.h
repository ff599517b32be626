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

/* 0 free, 1 held, 2 held with waiters. */
struct nanvix_mutex {
	volatile uint32_t state;
};
#define NANVIX_MUTEX_INIT { 0 }

struct nanvix_semaphore {
	volatile uint32_t value;
	volatile uint32_t waiters;
};
#define NANVIX_SEMAPHORE_INIT(n) { (n), 0 }

/* A sequence number bumped by every signal. */
struct nanvix_cond {
	volatile uint32_t seq;
};
#define NANVIX_COND_INIT { 0 }

void nanvix_mutex_init(struct nanvix_mutex *m);
void nanvix_mutex_lock(struct nanvix_mutex *m);
/* 0 if taken, -EBUSY if held. */
int nanvix_mutex_trylock(struct nanvix_mutex *m);
void nanvix_mutex_unlock(struct nanvix_mutex *m);

void nanvix_semaphore_init(struct nanvix_semaphore *s, uint32_t value);
/* Takes one unit, blocking while there is none. */
void nanvix_semaphore_down(struct nanvix_semaphore *s);
/* 0 if a unit was taken, -EAGAIN if none. */
int nanvix_semaphore_trydown(struct nanvix_semaphore *s);
void nanvix_semaphore_up(struct nanvix_semaphore *s);

void nanvix_cond_init(struct nanvix_cond *c);
/* Releases m, waits for a signal (or the deadline), retakes m. 0 or
 * -ETIMEDOUT. Like POSIX, it may wake spuriously: wait in a loop. */
int nanvix_cond_wait(struct nanvix_cond *c, struct nanvix_mutex *m, uint64_t deadline_ns);
void nanvix_cond_signal(struct nanvix_cond *c);
void nanvix_cond_broadcast(struct nanvix_cond *c);

#endif /* NANVIX_SYNC_H */
