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

#include "nanvix/sys/condvar.h"
#include "nanvix/sys/mutex.h"
#include "nanvix/sys/semaphore.h"

#endif /* NANVIX_SYNC_H */
