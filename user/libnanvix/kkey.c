/*
 * kkey.c - thread-specific data (Nanvix's kthread keys, nanvix/sys/thread.h):
 * THREAD_KEY_MAX keys a process, a value per thread in its TLS block,
 * destructors run by kthread_exit.
 */
#include <errno.h>
#include <stdint.h>

#include "nanvix/kthread.h"
#include "nanvix/sync.h"

void kthread_keys_exit(void);

static struct {
	int used;
	void (*destructor)(void *);
} keys[THREAD_KEY_MAX];
static struct nanvix_mutex keys_lock = NANVIX_MUTEX_INIT;
static __thread void *key_values[THREAD_KEY_MAX];

/* 1 if key names a key in use. */
static int kthread_key_ok(kthread_key_t key)
{
	int ok;

	if (key < 0 || key >= THREAD_KEY_MAX)
		return 0;
	nanvix_mutex_lock(&keys_lock);
	ok = keys[key].used;
	nanvix_mutex_unlock(&keys_lock);
	return ok;
}

int kthread_key_create(kthread_key_t *key, void (*destructor)(void *))
{
	if (!key)
		return -EINVAL;
	nanvix_mutex_lock(&keys_lock);
	for (int k = 0; k < THREAD_KEY_MAX; k++)
		if (!keys[k].used) {
			keys[k].used = 1;
			keys[k].destructor = destructor;
			nanvix_mutex_unlock(&keys_lock);
			*key = k;
			return 0;
		}
	nanvix_mutex_unlock(&keys_lock);
	return -EAGAIN;
}

int kthread_key_delete(kthread_key_t key)
{
	int used;

	if (key < 0 || key >= THREAD_KEY_MAX)
		return -EINVAL;
	/* checked and freed under one hold: of two deletes, one fails */
	nanvix_mutex_lock(&keys_lock);
	used = keys[key].used;
	keys[key].used = 0;
	keys[key].destructor = NULL;
	nanvix_mutex_unlock(&keys_lock);
	if (!used)
		return -EINVAL;
	key_values[key] = NULL; /* the caller's; as POSIX, others' are left */
	return 0;
}

int kthread_setspecific(kthread_key_t key, void *value)
{
	if (!kthread_key_ok(key))
		return -EINVAL;
	key_values[key] = value;
	return 0;
}

int kthread_getspecific(kthread_key_t key, void **value)
{
	if (!value || !kthread_key_ok(key))
		return -EINVAL;
	*value = key_values[key];
	return 0;
}

/* Calls the destructors of the exiting thread's values, each value
 * cleared first; values set again by a destructor get more rounds. */
void kthread_keys_exit(void)
{
	for (int round = 0, again = 1; again && round < 4; round++) {
		again = 0;
		for (int k = 0; k < THREAD_KEY_MAX; k++) {
			void (*d)(void *);
			void *v = key_values[k];
			if (!v)
				continue;
			key_values[k] = NULL;
			nanvix_mutex_lock(&keys_lock);
			d = keys[k].used ? keys[k].destructor : NULL;
			nanvix_mutex_unlock(&keys_lock);
			if (d) {
				d(v);
				again = 1;
			}
		}
	}
}
