/*
 * nanvix/kthread.h - kernel threads for hosted (picolibc) guests: Nanvix's
 * API (nanvix/sys/thread.h), under the board's older header name.
 *
 * Each thread gets its own stack (the kernel's, one slot per thread, with a
 * guard page) and its own TLS block (errno and other __thread variables),
 * so C library calls work in every thread. At most the profile's
 * threads-per-process threads, the main one included.
 */
#ifndef NANVIX_KTHREAD_H
#define NANVIX_KTHREAD_H

#include "nanvix/sys/thread.h"

#endif /* NANVIX_KTHREAD_H */
