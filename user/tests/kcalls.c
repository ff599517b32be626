/*
 * kcalls.c - every Nanvix kernel call, on success and on each error path.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nanvix/kthread.h"
#include "nanvix/syscall.h"

static volatile uint32_t word = 7;
static volatile uint32_t gate;

#define CHECK(what, got, want)                                                          \
	printf("%-44s %s\n", what, (long)(got) == (long)(want) ? "ok" : "WRONG")

static void *ret_arg(void *arg)
{
	return arg;
}

static void *wait_gate(void *arg)
{
	(void)arg;
	while (__atomic_load_n(&gate, __ATOMIC_ACQUIRE) == 0)
		nv_futex_wait(&gate, 0, 0);
	return (void *)(uintptr_t)gate;
}

static void *joiner(void *arg)
{
	return (void *)(intptr_t)kthread_join((kthread_t)(uintptr_t)arg, NULL);
}

static void *sleeper(void *arg)
{
	uint64_t t0 = nv_now_ns();

	nv_sleep_until(t0 + (uintptr_t)arg);
	return (void *)(uintptr_t)(nv_now_ns() - t0 >= (uintptr_t)arg);
}

int main(void)
{
	kthread_t t, u, many[256];
	void *v;
	int n;
	long r;

	CHECK("getpid is 1 for the first program", nv_getpid(), 1);
	CHECK("kthread_self of main is 1", kthread_self(), 1);
	CHECK("kthread_create", kthread_create(&t, ret_arg, (void *)42), 0);
	CHECK("kthread_create gives a new tid", t, 2);
	CHECK("kthread_join gets the value", kthread_join(t, &v) == 0 && v == (void *)42, 1);
	CHECK("join of a joined thread: ESRCH", kthread_join(t, NULL), -ESRCH);
	CHECK("join of no such thread: ESRCH", kthread_join(999, NULL), -ESRCH);
	CHECK("join of itself: EINVAL", kthread_join(kthread_self(), NULL), -EINVAL);
	kthread_create(&t, ret_arg, (void *)1);
	CHECK("join with a bad pointer: EFAULT", nv_kthread_join(t, (uint32_t *)16), -ABI_EFAULT);
	CHECK("the thread is still joinable after", kthread_join(t, NULL), 0);

	/* Two joiners of one thread: the second gets EINVAL. */
	gate = 0;
	kthread_create(&t, wait_gate, NULL);
	kthread_create(&u, joiner, (void *)(uintptr_t)t);
	kthread_yield();
	kthread_yield();
	CHECK("second joiner of a thread: EINVAL", kthread_join(t, NULL), -EINVAL);
	__atomic_store_n(&gate, 5, __ATOMIC_RELEASE);
	CHECK("futex_wake wakes the one waiter", nv_futex_wake(&gate, 10), 1);
	CHECK("first joiner completes", kthread_join(u, &v) == 0 && v == 0, 1);

	/* Thread limit: create until refused. */
	for (n = 0; n < 256 && kthread_create(&many[n], ret_arg, NULL) == 0; n++)
		;
	CHECK("creation past the limit: EAGAIN", kthread_create(&t, ret_arg, NULL), -EAGAIN);
	printf("%-44s %d\n", "threads created up to the limit", n);
	while (n-- > 0)
		kthread_join(many[n], NULL);
	CHECK("a slot is free again after joins", kthread_create(&t, ret_arg, NULL), 0);
	kthread_join(t, NULL);

	/* Futexes. */
	CHECK("futex_wait with a stale value: EAGAIN", nv_futex_wait(&word, 8, 0), -ABI_EAGAIN);
	CHECK("futex_wait misaligned: EINVAL", nv_futex_wait((uint32_t *)((uintptr_t)&word + 1), 7, 0),
	      -ABI_EINVAL);
	CHECK("futex_wait on a bad address: EFAULT", nv_futex_wait((uint32_t *)16, 0, 0), -ABI_EFAULT);
	CHECK("futex_wait past its deadline: ETIMEDOUT",
	      nv_futex_wait(&word, 7, nv_now_ns() + 1000000), -ABI_ETIMEDOUT);
	CHECK("futex_wake with no waiter: 0", nv_futex_wake(&word, 1), 0);
	CHECK("futex_wake misaligned: EINVAL", nv_futex_wake((uint32_t *)((uintptr_t)&word + 2), 1),
	      -ABI_EINVAL);

	/* Sleep. */
	kthread_create(&t, sleeper, (void *)5000000);
	CHECK("sleep_until lasts at least its time", kthread_join(t, &v) == 0 && v == (void *)1, 1);
	CHECK("sleep_until in the past returns at once", nv_sleep_until(1), 0);

	/* The POSIX subset. */
	CHECK("write to fd 0: EBADF", nv_write(0, "x", 1), -ABI_EBADF);
	CHECK("write to fd 9: EBADF", nv_write(9, "x", 1), -ABI_EBADF);
	CHECK("write from a bad pointer: EFAULT", nv_write(1, (void *)16, 4), -ABI_EFAULT);
	CHECK("read from fd 1: EBADF", nv_read(1, (void *)&word, 1), -ABI_EBADF);
	{
		int64_t ts[2];
		CHECK("clock_gettime of clock 42: EINVAL", nv_clock_gettime(42, ts), -ABI_EINVAL);
		volatile uintptr_t bad = 16;
		CHECK("clock_gettime to a bad pointer: EFAULT",
		      nv_clock_gettime(ABI_CLOCK_MONOTONIC, (int64_t *)bad), -ABI_EFAULT);
		CHECK("thread cputime", nv_clock_gettime(ABI_CLOCK_THREAD_CPUTIME, ts), 0);
		CHECK("process cputime", nv_clock_gettime(ABI_CLOCK_PROCESS_CPUTIME, ts), 0);
	}
	r = nv_syscall3(0x1fff, 0, 0, 0);
	CHECK("unknown call: ENOSYS", r, -ABI_ENOSYS);
	{
		struct nv_counters nc;
		CHECK("nv_counters", nv_counters(&nc), 0);
		CHECK("nv_counters sees one thread", nc.threads, 1);
		CHECK("nv_counters to a bad pointer: EFAULT", nv_counters((void *)16), -ABI_EFAULT);
	}
	return 0;
}
