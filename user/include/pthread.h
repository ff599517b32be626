/*
 * pthread.h - the POSIX threads subset of libnanvix: create, join, exit,
 * self, equal, mutexes, condition variables and once, on Nanvix kernel
 * threads and futexes, so that portable C programs build unchanged.
 *
 * Functions return 0 or a positive error number, as POSIX says. Attributes
 * are accepted but change nothing: stacks are the profile's size, threads
 * are joinable, mutexes are normal (not recursive or error-checking).
 */
#ifndef NANVIX_PTHREAD_H
#define NANVIX_PTHREAD_H

#include <stddef.h>
#include <time.h>

#include "nanvix/kthread.h"
#include "nanvix/sync.h"

typedef kthread_t pthread_t;
typedef struct { size_t stacksize; } pthread_attr_t;
typedef struct { struct nanvix_mutex m; } pthread_mutex_t;
typedef struct { int type; } pthread_mutexattr_t;
typedef struct { struct nanvix_cond_var c; } pthread_cond_t;
typedef struct { int clock; } pthread_condattr_t;
typedef struct { volatile uint32_t state; } pthread_once_t;

#define PTHREAD_MUTEX_INITIALIZER { NANVIX_MUTEX_INIT }
#define PTHREAD_COND_INITIALIZER { NANVIX_COND_INIT }
#define PTHREAD_ONCE_INIT { 0 }

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*start)(void *), void *arg);
int pthread_join(pthread_t t, void **ret);
__attribute__((noreturn)) void pthread_exit(void *ret);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
int pthread_attr_init(pthread_attr_t *a);
int pthread_attr_destroy(pthread_attr_t *a);
int pthread_attr_setstacksize(pthread_attr_t *a, size_t size);

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
/* abstime is on CLOCK_REALTIME, as POSIX's default. */
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);

int pthread_once(pthread_once_t *once, void (*fn)(void));

#endif /* NANVIX_PTHREAD_H */
