/*
 * kthread.c - kernel threads with a TLS block each.
 *
 * A thread's start record and its TLS block share one allocation, kept in
 * a table by tid until the thread is joined.
 */
#include <errno.h>
#include <picolibc.h>
#include <picotls.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "nanvix/kthread.h"
#include "nanvix/sync.h"
#include "nanvix/syscall.h"

#define KTHREAD_TABLE 256
#define TLS_ALIGN 64

struct kthread_start {
	void *(*fn)(void *);
	void *arg;
};

static struct {
	kthread_t tid;
	void *block;
} table[KTHREAD_TABLE];
static struct nanvix_mutex table_lock = NANVIX_MUTEX_INIT;

static __attribute__((noreturn, used)) void kthread_entry(struct kthread_start *st)
{
	kthread_exit(st->fn(st->arg));
}

int kthread_create(kthread_t *tid, void *(*start)(void *), void *arg)
{
	size_t hdr = (sizeof(struct kthread_start) + TLS_ALIGN - 1) & ~(size_t)(TLS_ALIGN - 1);
	char *block = aligned_alloc(TLS_ALIGN, hdr + ((_tls_size() + TLS_ALIGN - 1) & ~(size_t)(TLS_ALIGN - 1)) + TLS_ALIGN);
	struct kthread_start *st = (struct kthread_start *)block;
	long r;
	unsigned i;

	if (!block)
		return -ENOMEM;
	st->fn = start;
	st->arg = arg;
	_init_tls(block + hdr);
	nanvix_mutex_lock(&table_lock);
	for (i = 0; i < KTHREAD_TABLE && table[i].block; i++)
		;
	if (i == KTHREAD_TABLE) {
		nanvix_mutex_unlock(&table_lock);
		free(block);
		return -EAGAIN;
	}
	r = nv_kthread_create((uintptr_t)kthread_entry, (uintptr_t)st, 0, (uintptr_t)(block + hdr));
	if (r < 0) {
		nanvix_mutex_unlock(&table_lock);
		free(block);
		return -nv_errno(-r);
	}
	table[i].tid = (kthread_t)r;
	table[i].block = block;
	nanvix_mutex_unlock(&table_lock);
	if (tid)
		*tid = (kthread_t)r;
	return 0;
}

int kthread_join(kthread_t tid, void **ret)
{
	uint32_t v;
	long r = nv_kthread_join(tid, &v);

	if (r < 0)
		return -nv_errno(-r);
	if (ret)
		*ret = (void *)(uintptr_t)v;
	nanvix_mutex_lock(&table_lock);
	for (unsigned i = 0; i < KTHREAD_TABLE; i++)
		if (table[i].block && table[i].tid == tid) {
			free(table[i].block);
			table[i].block = NULL;
			break;
		}
	nanvix_mutex_unlock(&table_lock);
	return 0;
}

void kthread_exit(void *ret)
{
	fflush(stdout);
	nv_kthread_exit((uintptr_t)ret);
}

int kthread_yield(void)
{
	return (int)nv_kthread_yield();
}

kthread_t kthread_self(void)
{
	return nv_kthread_self();
}
