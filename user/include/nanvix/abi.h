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
#define NR_brk 214

/* Clocks of clock_gettime. */
#define ABI_CLOCK_REALTIME 0
#define ABI_CLOCK_MONOTONIC 1

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

#endif /* NANVIX_ABI_H */
