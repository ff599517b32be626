/*
 * kthread.c - kernel threads with a TLS block each.
 *
 * A thread's start record and its TLS block share one allocation, kept in
 * a table by tid until the thread is joined. The start record also holds
 * the thread's words for ksleep/kwakeup, affinity and stats (the main
 * thread's are static).
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

/* A thread's own words (Nanvix's per-thread state beyond the kernel's). */
struct kthread_words {
	volatile uint32_t wakeups; /* kwakeups not yet slept off */
	int affinity;              /* 0: the default */
	int core;                  /* 1 + the core it runs on; 0: tid % CORES_NUM */
	uint64_t stats_base;       /* instructions at the last stats reset */
};

struct kthread_start {
	void *(*fn)(void *);
	void *arg;
	struct kthread_words w;
};

static struct {
	kthread_t tid;
	void *block;
} table[KTHREAD_TABLE];
static struct nanvix_mutex table_lock = NANVIX_MUTEX_INIT;

static struct kthread_words main_words;

/* The words of thread tid, or NULL if it is not one of ours. */
static struct kthread_words *kthread_words_of(kthread_t tid)
{
	struct kthread_words *w = NULL;

	if (tid == KTHREAD_LEADER_TID)
		return &main_words;
	nanvix_mutex_lock(&table_lock);
	for (unsigned i = 0; i < KTHREAD_TABLE && !w; i++)
		if (table[i].block && table[i].tid == tid)
			w = &((struct kthread_start *)table[i].block)->w;
	nanvix_mutex_unlock(&table_lock);
	return w;
}

static __attribute__((noreturn, used)) void kthread_entry(struct kthread_start *st)
{
	kthread_exit(st->fn(st->arg));
	__builtin_unreachable();
}

int kthread_create(kthread_t *tid, void *(*start)(void *), void *arg)
{
	size_t hdr = (sizeof(struct kthread_start) + TLS_ALIGN - 1) & ~(size_t)(TLS_ALIGN - 1);
	char *block = aligned_alloc(TLS_ALIGN, hdr + ((_tls_size() + TLS_ALIGN - 1) & ~(size_t)(TLS_ALIGN - 1)) + TLS_ALIGN);
	struct kthread_start *st = (struct kthread_start *)block;
	long r;
	unsigned i;

	if (!start) {
		free(block);
		return -EINVAL;
	}
	if (!block)
		return -ENOMEM;
	st->fn = start;
	st->arg = arg;
	st->w = (struct kthread_words){ 0, 0, 0, 0 };
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
	long r;

	/* Nanvix: the master, the caller itself and ids below the leader
	 * are not threads one joins. */
	if (tid < KTHREAD_LEADER_TID || tid == kthread_self())
		return -EINVAL;
	r = nv_kthread_join((unsigned)tid, &v);
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

/* Runs the exiting thread's key destructors (kkey.c): weak, so that a
 * program that uses no keys does not carry them. */
void kthread_keys_exit(void) __attribute__((weak));

int kthread_exit(void *ret)
{
	if (kthread_keys_exit)
		kthread_keys_exit();
	fflush(stdout);
	nv_kthread_exit((uintptr_t)ret);
}

int kthread_yield(void)
{
	return (int)nv_kthread_yield();
}

kthread_t kthread_self(void)
{
	return (kthread_t)nv_kthread_self();
}

/* The core w's thread runs on: where affinity last put it, else its
 * slot's (the board's scheduler does not show its choice). */
static int kthread_core_of(const struct kthread_words *w)
{
	return w && w->core ? w->core - 1 : kthread_self() % CORES_NUM;
}

int kthread_set_affinity(int affinity)
{
	struct kthread_words *w = kthread_words_of(kthread_self());
	int old, core;

	if (!w || affinity <= 0 || affinity > KTHREAD_AFFINITY_DEFAULT)
		return -EINVAL;
	old = w->affinity ? w->affinity : KTHREAD_AFFINITY_DEFAULT;
	w->affinity = affinity == KTHREAD_AFFINITY_DEFAULT ? 0 : affinity;
	/* as Nanvix moves a thread: only off a core the mask leaves out,
	 * to the first one it allows */
	core = kthread_core_of(w);
	if (!(affinity & (1 << core)))
		w->core = 1 + __builtin_ctz((unsigned)affinity);
	return old;
}

int core_get_id(void)
{
	return kthread_core_of(kthread_words_of(kthread_self()));
}

int kthread_stats(kthread_t tid, uint64_t *buffer, int stat)
{
	struct nv_counters c;
	struct kthread_words *w = kthread_words_of(tid);

	if (stat != KTHREAD_STATS_EXEC_TIME || tid != kthread_self() || !w)
		return -EINVAL;
	if (nv_counters(&c) < 0)
		return -EFAULT;
	if (!buffer)
		w->stats_base = c.thread_instret;
	else
		*buffer = c.thread_instret - w->stats_base;
	return 0;
}

int ksleep(void)
{
	volatile uint32_t *w = &kthread_words_of(kthread_self())->wakeups; /* ours: never NULL */

	for (;;) {
		uint32_t v = __atomic_load_n(w, __ATOMIC_ACQUIRE);
		if (v && __atomic_compare_exchange_n(w, &v, v - 1, 0, __ATOMIC_ACQ_REL,
		                                     __ATOMIC_RELAXED))
			return 0;
		if (!v)
			nv_futex_wait(w, 0, 0);
	}
}

int kwakeup(kthread_t tid)
{
	struct kthread_words *w = kthread_words_of(tid);

	if (!w)
		return -EINVAL;
	__atomic_fetch_add(&w->wakeups, 1, __ATOMIC_RELEASE);
	nv_futex_wake(&w->wakeups, UINT32_MAX);
	return 0;
}

void _kexit(int status)
{
	exit(status);
}

int kshutdown(void)
{
	exit(0);
}
