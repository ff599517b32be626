/*
 * nanvix/kthread.h - Nanvix kernel threads for hosted (picolibc) guests.
 *
 * Each thread gets its own stack (the kernel's, one slot per thread, with a
 * guard page) and its own TLS block (errno and other __thread variables),
 * so C library calls work in every thread. At most the profile's
 * threads-per-process threads, the main one included.
 */
#ifndef NANVIX_KTHREAD_H
#define NANVIX_KTHREAD_H

typedef unsigned kthread_t;

/* Starts start(arg) in a new thread; stores its id in *tid. 0, -EAGAIN
 * (thread limit), -ENOMEM. */
int kthread_create(kthread_t *tid, void *(*start)(void *), void *arg);

/* Waits for tid to end and frees it; its return value goes to *ret (if
 * ret). 0, -ESRCH, -EDEADLK, -EINVAL (another thread joins it). */
int kthread_join(kthread_t tid, void **ret);

/* Ends the calling thread with value ret; stdout is flushed first. */
__attribute__((noreturn)) void kthread_exit(void *ret);

/* Gives the core to the next ready thread. */
int kthread_yield(void);

/* The calling thread's id. */
kthread_t kthread_self(void);

#endif /* NANVIX_KTHREAD_H */
