/*
 * pthread.c - POSIX threads on libnanvix (see pthread.h).
 */
#include <errno.h>
#include <pthread.h>

#include "nanvix/syscall.h"

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
	(void)attr;
	return -kthread_create(t, start, arg);
}

int pthread_join(pthread_t t, void **ret)
{
	return -kthread_join(t, ret);
}

void pthread_exit(void *ret)
{
	kthread_exit(ret);
	__builtin_unreachable(); /* kthread_exit returns only on error, never here */
}

pthread_t pthread_self(void)
{
	return kthread_self();
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

int pthread_attr_init(pthread_attr_t *a)
{
	a->stacksize = 0;
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *a)
{
	(void)a;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *a, size_t size)
{
	a->stacksize = size;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	(void)attr;
	nanvix_mutex_init(&m->m, NULL);
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return m->m.state ? EBUSY : 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	nanvix_mutex_lock(&m->m);
	return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	return -nanvix_mutex_trylock(&m->m);
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	nanvix_mutex_unlock(&m->m);
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
	(void)attr;
	nanvix_cond_init(&c->c);
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	(void)c;
	return 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return -nanvix_cond_timedwait(&c->c, &m->m, 0);
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	int64_t real[2], mono[2];
	int64_t abs_ns, offset, deadline;

	if (abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000)
		return EINVAL;
	/* The kernel's deadlines are monotonic: shift by realtime - monotonic. */
	nv_clock_gettime(ABI_CLOCK_REALTIME, real);
	nv_clock_gettime(ABI_CLOCK_MONOTONIC, mono);
	offset = (real[0] - mono[0]) * 1000000000ll + (real[1] - mono[1]);
	abs_ns = (int64_t)abstime->tv_sec * 1000000000ll + abstime->tv_nsec;
	deadline = abs_ns - offset;
	if (deadline <= 0)
		deadline = 1; /* already past; 0 would mean no deadline */
	return -nanvix_cond_timedwait(&c->c, &m->m, (uint64_t)deadline);
}

int pthread_cond_signal(pthread_cond_t *c)
{
	nanvix_cond_signal(&c->c);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	nanvix_cond_broadcast(&c->c);
	return 0;
}

/* 0: not run, 1: running, 2: done. */
int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	uint32_t expect = 0;

	if (__atomic_load_n(&once->state, __ATOMIC_ACQUIRE) == 2)
		return 0;
	if (__atomic_compare_exchange_n(&once->state, &expect, 1, 0, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		fn();
		__atomic_store_n(&once->state, 2, __ATOMIC_RELEASE);
		nv_futex_wake(&once->state, UINT32_MAX);
		return 0;
	}
	while (__atomic_load_n(&once->state, __ATOMIC_ACQUIRE) != 2)
		nv_futex_wait(&once->state, 1, 0);
	return 0;
}
