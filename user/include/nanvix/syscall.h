/*
 * nanvix/syscall.h - raw kernel calls for guest programs (see abi.h).
 *
 * Each returns the kernel's a0: a result, or a negative errno.
 */
#ifndef NANVIX_SYSCALL_H
#define NANVIX_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#include "nanvix/abi.h"

static inline long nv_syscall5(long nr, long a0, long a1, long a2, long a3, long a4)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a3 __asm__("a3") = a3;
	register long r_a4 __asm__("a4") = a4;
	register long r_a7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(r_a0)
			 : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a7)
			 : "memory");
	return r_a0;
}

static inline long nv_syscall4(long nr, long a0, long a1, long a2, long a3)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a3 __asm__("a3") = a3;
	register long r_a7 __asm__("a7") = nr;

	__asm__ volatile("ecall"
			 : "+r"(r_a0)
			 : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a7)
			 : "memory");
	return r_a0;
}

static inline long nv_syscall3(long nr, long a0, long a1, long a2)
{
	return nv_syscall4(nr, a0, a1, a2, 0);
}

/* The C library's errno value for ABI error e (positive). Freestanding
 * guests compare with ABI_E* directly. */
#ifdef __PICOLIBC__
#include <errno.h>
static inline int nv_errno(long e)
{
	switch (e) {
	case ABI_EDEADLK: return EDEADLK;
	case ABI_ENOSYS: return ENOSYS;
	case ABI_ETIMEDOUT: return ETIMEDOUT;
	case ABI_EMSGSIZE: return EMSGSIZE;
	case ABI_EPROTO: return EPROTO;
	case ABI_EHOSTDOWN: return EHOSTDOWN;
	default: return (int)e; /* the same number below 35 */
	}
}
#endif

/* write(2): bytes written or -errno. */
static inline long nv_write(int fd, const void *buf, size_t len)
{
	return nv_syscall3(NR_write, fd, (long)buf, (long)len);
}

/* read(2): bytes read or -errno. */
static inline long nv_read(int fd, void *buf, size_t len)
{
	return nv_syscall3(NR_read, fd, (long)buf, (long)len);
}

/* Linux brk: the new break, or the old one if it could not move. */
static inline uintptr_t nv_brk(uintptr_t addr)
{
	return (uintptr_t)nv_syscall3(NR_brk, (long)addr, 0, 0);
}

/* clock_gettime into ts[0] = seconds, ts[1] = nanoseconds. */
static inline long nv_clock_gettime(int clk, int64_t ts[2])
{
	return nv_syscall3(NR_clock_gettime, clk, (long)ts, 0);
}

/* The process's id (board-wide). */
static inline int nv_getpid(void)
{
	return (int)nv_syscall3(NR_getpid, 0, 0, 0);
}

/* Starts a thread at pc with a0 = arg0, a1 = arg1 and tp = tls, on a
 * stack of the kernel's; returns its tid, or -EAGAIN (thread limit) or
 * -ENOMEM. libnanvix's kthread_create is the usual way in. */
static inline long nv_kthread_create(uintptr_t pc, uintptr_t arg0, uintptr_t arg1,
				     uintptr_t tls)
{
	return nv_syscall4(NR_kthread_create, (long)pc, (long)arg0, (long)arg1, (long)tls);
}

/* Ends the calling thread with value v; the process ends with its last
 * thread. */
static inline __attribute__((noreturn)) void nv_kthread_exit(uintptr_t v)
{
	nv_syscall3(NR_kthread_exit, (long)v, 0, 0);
	__builtin_unreachable();
}

/* Waits for thread tid to end, stores its value in *v (if v), frees it.
 * 0, -ESRCH (no such thread), -EDEADLK (itself), -EINVAL (another thread
 * joins it), -EFAULT. */
static inline long nv_kthread_join(unsigned tid, uint32_t *v)
{
	return nv_syscall3(NR_kthread_join, (long)tid, (long)v, 0);
}

/* Gives up the core to the next ready thread. */
static inline long nv_kthread_yield(void)
{
	return nv_syscall3(NR_kthread_yield, 0, 0, 0);
}

/* The calling thread's id. */
static inline unsigned nv_kthread_self(void)
{
	return (unsigned)nv_syscall3(NR_kthread_self, 0, 0, 0);
}

/* Blocks while *addr == expected, until a futex_wake on addr or the
 * monotonic deadline (ns, 0: none). 0 when woken, -EAGAIN if *addr !=
 * expected, -ETIMEDOUT, -EFAULT, -EINVAL (addr not 4-aligned). */
static inline long nv_futex_wait(volatile uint32_t *addr, uint32_t expected,
				 uint64_t deadline_ns)
{
	return nv_syscall4(NR_futex_wait, (long)addr, (long)expected, (long)(uint32_t)deadline_ns,
			   (long)(uint32_t)(deadline_ns >> 32));
}

/* Wakes up to n threads waiting on addr, oldest first; returns how many. */
static inline long nv_futex_wake(volatile uint32_t *addr, uint32_t n)
{
	return nv_syscall3(NR_futex_wake, (long)addr, (long)n, 0);
}

/* Sleeps until the monotonic clock reaches deadline_ns. */
static inline long nv_sleep_until(uint64_t deadline_ns)
{
	return nv_syscall3(NR_sleep_until, (long)(uint32_t)deadline_ns,
			   (long)(uint32_t)(deadline_ns >> 32), 0);
}

/* The monotonic clock in ns (modelled, deterministic). */
static inline uint64_t nv_now_ns(void)
{
	int64_t t[2];

	nv_clock_gettime(ABI_CLOCK_MONOTONIC, t);
	return (uint64_t)t[0] * 1000000000ull + (uint64_t)t[1];
}

/* The host's monotonic clock in ns: real time, not deterministic. */
static inline uint64_t nv_host_ns(void)
{
	int64_t t[2];

	nv_clock_gettime(ABI_CLOCK_HOST, t);
	return (uint64_t)t[0] * 1000000000ull + (uint64_t)t[1];
}

/* The process's and thread's counters. */
static inline long nv_counters(struct nv_counters *nc)
{
	return nv_syscall3(NR_nv_counters, (long)nc, 0, 0);
}

/* Ends the process with status & 0xff. */
static inline __attribute__((noreturn)) void nv_exit(int status)
{
	nv_syscall3(NR_exit_group, status, 0, 0);
	__builtin_unreachable();
}

#endif /* NANVIX_SYSCALL_H */
