/*
 * nanvix/sys/semaphore.h - Nanvix's user counting semaphores, on futexes.
 */
#ifndef NANVIX_SYS_SEMAPHORE_H
#define NANVIX_SYS_SEMAPHORE_H

#include "nanvix/kernel/kernel.h"

struct nanvix_semaphore {
	volatile uint32_t value;
	volatile uint32_t waiters;
};
#define NANVIX_SEMAPHORE_INIT(n) { (n), 0 }

/* 0, -EINVAL (NULL or a negative value). */
int nanvix_semaphore_init(struct nanvix_semaphore *s, int value);
int nanvix_semaphore_down(struct nanvix_semaphore *s);    /* blocks while 0 */
int nanvix_semaphore_trydown(struct nanvix_semaphore *s); /* -EAGAIN while 0 */
int nanvix_semaphore_up(struct nanvix_semaphore *s);
int nanvix_semaphore_destroy(struct nanvix_semaphore *s);

#endif /* NANVIX_SYS_SEMAPHORE_H */
