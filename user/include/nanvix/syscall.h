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

static inline long nv_syscall3(long nr, long a0, long a1, long a2)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a7 __asm__("a7") = nr;

	__asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
	return r_a0;
}

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

/* Ends the process with status & 0xff. */
static inline __attribute__((noreturn)) void nv_exit(int status)
{
	nv_syscall3(NR_exit_group, status, 0, 0);
	__builtin_unreachable();
}

#endif /* NANVIX_SYSCALL_H */
