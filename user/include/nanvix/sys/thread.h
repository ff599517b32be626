/*
 * nanvix/sys/thread.h - Nanvix's kernel threads (libnanvix's API): each
 * thread has its own stack and TLS block. Calls return 0 or a negative
 * errno as the microkernel does.
 */
#ifndef NANVIX_SYS_THREAD_H
#define NANVIX_SYS_THREAD_H

#include "nanvix/kernel/kernel.h"

typedef int kthread_t;

#define KTHREAD_NULL_TID (-1)
#define KTHREAD_MASTER_TID 0
#define KTHREAD_LEADER_TID SYS_THREAD_MAX /* the main thread: 1 */
#define KTHREAD_MAX (SYS_THREAD_MAX + THREAD_MAX)
#define KTHREAD_AFFINITY_DEFAULT ((1 << CORES_NUM) - 1)
#define KTHREAD_AFFINITY_MASTER 1
#define KTHREAD_STATS_EXEC_TIME 0

kthread_t kthread_self(void);
/* 0; -EINVAL (no start routine), -EAGAIN (THREAD_MAX threads run),
 * -ENOMEM (no memory for its stack). */
int kthread_create(kthread_t *tid, void *(*start)(void *), void *arg);
/* Ends the calling thread with retval; returns only on error. */
int kthread_exit(void *retval);
/* 0; -EINVAL (not a thread's id, or itself), -ESRCH (no such thread). */
int kthread_join(kthread_t tid, void **retval);
int kthread_yield(void);
/* The old affinity (a mask of cores); -EINVAL for 0 or a core past
 * CORES_NUM. The board's scheduler places threads itself: the mask is
 * kept and reported, as Nanvix reports it. */
int kthread_set_affinity(int affinity);
/* KTHREAD_STATS_EXEC_TIME: cycles the thread ran since its last reset
 * (buffer NULL: reset). -EINVAL for another stat or thread. */
int kthread_stats(kthread_t tid, uint64_t *buffer, int stat);

/* Sleeps until a kwakeup(tid of this thread); a wakeup that comes first
 * is kept. 0. */
int ksleep(void);
/* 0, -EINVAL (no such thread). */
int kwakeup(kthread_t tid);

/* Thread-specific data: THREAD_KEY_MAX keys a process, each with a
 * value per thread (NULL until set) and an optional destructor, called
 * with a thread's non-NULL value when it exits. -EINVAL for a NULL
 * pointer or a key not created; create: -EAGAIN when all are taken. */
typedef int kthread_key_t;
#define THREAD_KEY_MAX 32
int kthread_key_create(kthread_key_t *key, void (*destructor)(void *));
int kthread_key_delete(kthread_key_t key);
int kthread_setspecific(kthread_key_t key, void *value);
int kthread_getspecific(kthread_key_t key, void **value);

/* Ends the process with status 0 (the cluster's kernel stays up). */
int kshutdown(void);
/* Ends the process with status. */
NORETURN void _kexit(int status);

#endif /* NANVIX_SYS_THREAD_H */
