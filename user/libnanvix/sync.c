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

int nanvix_mutexattr_init(struct nanvix_mutexattr *mattr)
{
	if (!mattr)
		return -EINVAL;
	mattr->type = NANVIX_MUTEX_DEFAULT;
	return 0;
}

int nanvix_mutexattr_destroy(struct nanvix_mutexattr *mattr)
{
	return mattr ? 0 : -EINVAL;
}

int nanvix_mutexattr_settype(struct nanvix_mutexattr *mattr, int type)
{
	if (!mattr || type < NANVIX_MUTEX_NORMAL || type > NANVIX_MUTEX_RECURSIVE)
		return -EINVAL;
	mattr->type = type;
	return 0;
}

int nanvix_mutexattr_gettype(struct nanvix_mutexattr *mattr)
{
	return mattr ? mattr->type : -EINVAL;
}

int nanvix_mutex_init(struct nanvix_mutex *m, struct nanvix_mutexattr *mattr)
{
	if (!m || (mattr && (mattr->type < NANVIX_MUTEX_NORMAL || mattr->type > NANVIX_MUTEX_RECURSIVE)))
		return -EINVAL;
	m->state = 0;
	m->type = mattr ? mattr->type : NANVIX_MUTEX_DEFAULT;
	m->owner = 0;
	m->count = 0;
	m->locked = false;
	return 0;
}

/* Records the caller as the holder, once it has the word. */
static void mutex_own(struct nanvix_mutex *m)
{
	m->owner = (int)nv_kthread_self();
	m->count = 1;
	m->locked = true;
}

/* Takes the futex word (Drepper's three states). */
static void mutex_take(struct nanvix_mutex *m)
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

/* The holder's checks of the error-checking and recursive types: 1 if
 * the call is done (*rc set), 0 to go on. */
static int mutex_held_by_me(struct nanvix_mutex *m, int busy, int *rc)
{
	if (m->type == NANVIX_MUTEX_NORMAL || m->state == 0 || m->owner != (int)nv_kthread_self())
		return 0;
	if (m->type == NANVIX_MUTEX_RECURSIVE) {
		m->count++;
		*rc = 0;
	} else {
		*rc = busy ? -EBUSY : -EDEADLK;
	}
	return 1;
}

int nanvix_mutex_lock(struct nanvix_mutex *m)
{
	int rc;

	if (!m)
		return -EINVAL;
	if (mutex_held_by_me(m, 0, &rc))
		return rc;
	mutex_take(m);
	mutex_own(m);
	return 0;
}

int nanvix_mutex_trylock(struct nanvix_mutex *m)
{
	int rc;

	if (!m)
		return -EINVAL;
	if (mutex_held_by_me(m, 1, &rc))
		return rc;
	if (cas(&m->state, 0, 1) != 0)
		return -EBUSY;
	mutex_own(m);
	return 0;
}

int nanvix_mutex_unlock(struct nanvix_mutex *m)
{
	if (!m)
		return -EINVAL;
	if (m->type != NANVIX_MUTEX_NORMAL) {
		if (m->state == 0 || m->owner != (int)nv_kthread_self())
			return -EPERM;
		if (--m->count > 0)
			return 0;
	}
	m->owner = 0;
	m->locked = false;
	if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(&m->state, 0, __ATOMIC_RELEASE);
		nv_futex_wake(&m->state, 1);
	}
	return 0;
}

int nanvix_mutex_destroy(struct nanvix_mutex *m)
{
	if (!m)
		return -EINVAL;
	return m->state ? -EBUSY : 0;
}

int nanvix_semaphore_init(struct nanvix_semaphore *s, int value)
{
	if (!s || value < 0)
		return -EINVAL;
	s->value = (uint32_t)value;
	s->waiters = 0;
	return 0;
}

int nanvix_semaphore_trydown(struct nanvix_semaphore *s)
{
	uint32_t v;

	if (!s)
		return -EINVAL;
	v = __atomic_load_n(&s->value, __ATOMIC_RELAXED);
	while (v > 0) {
		uint32_t seen = cas(&s->value, v, v - 1);
		if (seen == v)
			return 0;
		v = seen;
	}
	return -EAGAIN;
}

int nanvix_semaphore_down(struct nanvix_semaphore *s)
{
	if (!s)
		return -EINVAL;
	while (nanvix_semaphore_trydown(s)) {
		__atomic_fetch_add(&s->waiters, 1, __ATOMIC_ACQ_REL);
		/* Returns at once if an up() came in between. */
		nv_futex_wait(&s->value, 0, 0);
		__atomic_fetch_sub(&s->waiters, 1, __ATOMIC_ACQ_REL);
	}
	return 0;
}

int nanvix_semaphore_up(struct nanvix_semaphore *s)
{
	if (!s)
		return -EINVAL;
	__atomic_fetch_add(&s->value, 1, __ATOMIC_RELEASE);
	if (__atomic_load_n(&s->waiters, __ATOMIC_ACQUIRE))
		nv_futex_wake(&s->value, 1);
	return 0;
}

int nanvix_semaphore_destroy(struct nanvix_semaphore *s)
{
	if (!s)
		return -EINVAL;
	return s->waiters ? -EBUSY : 0;
}

int nanvix_cond_init(struct nanvix_cond_var *c)
{
	if (!c)
		return -EINVAL;
	c->seq = 0;
	return 0;
}

int nanvix_cond_timedwait(struct nanvix_cond_var *c, struct nanvix_mutex *m, uint64_t deadline_ns)
{
	uint32_t seq;
	long r;

	if (!c || !m)
		return -EINVAL;
	seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	nanvix_mutex_unlock(m);
	r = nv_futex_wait(&c->seq, seq, deadline_ns);
	/* Retake it as contended: other waiters may be queued behind us. */
	while (__atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE) != 0)
		nv_futex_wait(&m->state, 2, 0);
	mutex_own(m);
	return r == -ABI_ETIMEDOUT ? -ETIMEDOUT : 0;
}

int nanvix_cond_wait(struct nanvix_cond_var *c, struct nanvix_mutex *m)
{
	return nanvix_cond_timedwait(c, m, 0);
}

int nanvix_cond_signal(struct nanvix_cond_var *c)
{
	if (!c)
		return -EINVAL;
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
	nv_futex_wake(&c->seq, 1);
	return 0;
}

int nanvix_cond_broadcast(struct nanvix_cond_var *c)
{
	if (!c)
		return -EINVAL;
	__atomic_fetch_add(&c->seq, 1, __ATOMIC_RELEASE);
	nv_futex_wake(&c->seq, UINT32_MAX);
	return 0;
}

int nanvix_cond_destroy(struct nanvix_cond_var *c)
{
	/* Waiters are not counted (the futex holds them): one woken by a
	 * signal could not tell a destroyed variable, so only check it. */
	return c ? 0 : -EINVAL;
}

int nanvix_condvar_destroy(struct nanvix_cond_var *c)
{
	return nanvix_cond_destroy(c);
}
