/*
 * nanvix/abi.h - the kernel-call ABI shared by the cluster kernel (host C)
 * and guest programs (rv32). See docs/abi.md.
 *
 * A call is `ecall` with its number in a7 and arguments in a0-a5; the
 * result comes back in a0, a negative errno on failure. The POSIX subset
 * uses the Linux RISC-V numbers, so bare programs and picolibc glue work
 * unchanged; Nanvix's own calls live in a separate range from 0x1000.
 */
#ifndef NANVIX_ABI_H
#define NANVIX_ABI_H

/* POSIX subset (Linux RISC-V numbers). */
#define NR_read 63
#define NR_write 64
#define NR_exit 93
#define NR_exit_group 94
#define NR_clock_gettime 113
#define NR_sched_yield 124
#define NR_getpid 172
#define NR_gettid 178
#define NR_brk 214

/*
 * Nanvix calls. Blocking ones (join, futex_wait, sleep_until) leave pc on
 * their ecall until they complete, so a thread frozen in one re-issues it
 * when thawed; their arguments say everything the call needs (absolute
 * deadlines, not durations).
 */
#define NR_kthread_create 0x1000 /* a0 pc, a1 arg0, a2 arg1, a3 tp -> tid */
#define NR_kthread_exit 0x1001   /* a0 value; does not return */
#define NR_kthread_join 0x1002   /* a0 tid, a1 uint32_t *value or 0 -> 0 */
#define NR_kthread_yield 0x1003  /* -> 0 */
#define NR_kthread_self 0x1004   /* -> tid */
#define NR_futex_wait 0x1005     /* a0 addr, a1 expected, a2:a3 deadline ns (0: none) */
#define NR_futex_wake 0x1006     /* a0 addr, a1 how many -> woken */
#define NR_sleep_until 0x1007    /* a0:a1 monotonic deadline ns -> 0 */
#define NR_nv_counters 0x1008    /* a0 struct nv_counters * -> 0 */

/*
 * Error numbers kernel calls return (negated), Linux's. They match
 * picolibc's up to 34; above, libnanvix translates (nv_errno()).
 */
#define ABI_ESRCH 3
#define ABI_EIO 5
#define ABI_E2BIG 7
#define ABI_ENOEXEC 8
#define ABI_EBADF 9
#define ABI_EAGAIN 11
#define ABI_ENOMEM 12
#define ABI_EFAULT 14
#define ABI_EBUSY 16
#define ABI_EEXIST 17
#define ABI_EINVAL 22
#define ABI_ENOSPC 28
#define ABI_EDEADLK 35
#define ABI_ENOSYS 38
#define ABI_ETIMEDOUT 110

/* Clocks of clock_gettime. */
#define ABI_CLOCK_REALTIME 0
#define ABI_CLOCK_MONOTONIC 1
#define ABI_CLOCK_PROCESS_CPUTIME 2 /* the process's instructions, as time */
#define ABI_CLOCK_THREAD_CPUTIME 3  /* the thread's */
#define ABI_CLOCK_HOST 0x100        /* the host's monotonic clock: not
				       deterministic, for benchmarks only */

/* The timespec clock_gettime writes: 16 bytes, two little-endian 64-bit
 * fields (tv_nsec's upper half is zero), which matches both the rv32
 * picolibc struct timespec (64-bit time_t, 32-bit long) and Linux's
 * struct __kernel_timespec. */
#define ABI_TIMESPEC_SIZE 16

/* Initial process stack, as on Linux: argc, argv[], NULL, envp[], NULL,
 * then auxv pairs ending in AT_NULL. */
#define ABI_AT_NULL 0
#define ABI_AT_PHDR 3
#define ABI_AT_PHENT 4
#define ABI_AT_PHNUM 5
#define ABI_AT_PAGESZ 6
#define ABI_AT_ENTRY 9
#define ABI_AT_RANDOM 25

/* What NR_nv_counters writes: 48 bytes, little-endian. */
struct nv_counters {
	unsigned long long process_instret; /* every thread's, gone or alive */
	unsigned long long thread_instret;  /* the caller's */
	unsigned long long kernel_calls;    /* the process's */
	unsigned long long switches;        /* its threads put on a core */
	unsigned int threads;               /* alive, zombies included */
	unsigned int pages;                 /* user pages mapped */
	unsigned int uarea_bytes;           /* size of its UArea */
	unsigned int node;                  /* the cluster it runs on */
};
#define ABI_COUNTERS_SIZE 48

/* Status of a process that dies of a fault: 128 + the signal a Linux
 * process would get (SIGILL 4, SIGTRAP 5, SIGBUS 7, SIGSEGV 11). */

#endif /* NANVIX_ABI_H */
