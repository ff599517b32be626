/*
 * sync.c - futex-based mutexes (Drepper's three-state mutex), counting
 * semaphores and sequence-number condition variables.
 */
#include <errno.h>

#include "nanvix/sync.h"
#include "nanvix/syscall.h"

static uint32_t cas(volatile uint32_t *w, uint32_t expect, uint32_t desired)
{
	__atomic_compare_exchange_n(w, &expect, desired, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
	return expect; /* the value seen */
}

void nanvix_mutex_init(struct nanvix_mutex *m)
{
	m->state = 0;
}

void nanvix_mutex_lock(struct nanvix_mutex *m)
{
	uint32_t c = cas(&m->state, 0, 1);

	if (c == 0)
		return;
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		nv_futex_wait(&m->state, 2, 0);
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
}

int nanvix_mutex_trylock(struct nanvix_mutex *m)
{
	return cas(&m->state, 0, 1) == 0 ? 0 : -EBUSY;
}

void nanvix_mutex_unlock(struct nanvix_mutex *m)
{
	if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&m->state, 0, __ATOMIC_RELEASE);
		nv_futex_wake(&m->state, 1);
	}
}

void nanvix_semaphore_init(struct nanvix_semaphore *s, uint32_t value)
{
	s->value = value;
	s->waiters = 0;
}

int nanvix_semaphore_trydown(struct nanvix_semaphore *s)
{
	uint32_t v = __atomic_load_n(&s->value, __ATOMIC_RELAXED);

	while (v > 0) {
		uint32_t seen = cas(&s->value, v, v - 1);
		if (seen == v)
			return 0;
		v = seen;
	}
	return -EAGAIN;
}

void nanvix_semaphore_down(struct nanvix_semaphore *s)
{
	while (nanvix_semaphore_trydown(s)) {
		__atomic_fetch_add(&s->waiters, 1, __ATOMIC_ACQ_REL);
		/* Returns at once if an up() came in between. */
		nv_futex_wait(&s->value, 0, 0);
		__atomic_fetch_sub(&s->waiters, 1, __ATOMIC_ACQ_REL);
	}
}

void nanvix_semaphore_up(struct nanvix_semaphore *s)
{
	__atomic_fetch_add(&s->value, 1, __ATOMIC_RELEASE);
	if (__atomic_load_n(&s->waiters, __ATOMIC_ACQUIRE))
		nv_futex_wake(&s->value, 1);
}

void nanvix_cond_init(struct nanvix_cond *c)
{
	c->seq = 0;
}

int nanvix_cond_wait(struct nanvix_cond *c, struct nanvix_mutex *m, uint64_t deadline_ns)
{
	uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	long r;

	nanvix_mutex_unlock(m);
	r = nv_futex_wait(&c->seq, seq, deadline_ns);
	/* Retake it as contended: other waiters may be queued behind us. */
	while (__atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE) != 0)
		nv_futex_wait(&m->state, 2, 0);
	return r == -ABI_ETIMEDOUT ? -ETIMEDOUT : 0;
}

void nanvix_cond_signal(struct nanvix_cond *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
	nv_futex_wake(&c->seq, 1);
}

void nanvix_cond_broadcast(struct nanvix_cond *c)
{
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
	nv_futex_wake(&c->seq, UINT32_MAX);
}
