/*
 * kparams.h - limits and layout of the cluster kernel.
 *
 * User virtual memory map (as Nanvix on MPPA-256):
 *
 *   0xF0000000  USER_END  ------------------------------------------------
 *               main thread stack (grows down), KSTACK_DEFAULT bytes
 *               guard page (never mapped)
 *               ...
 *               heap (brk), growing up from the end of the last segment
 *               bss, data (rw), text and rodata (rx): the ELF's PT_LOAD
 *   0x80000000  USER_BASE ------------------------------------------------
 */
#ifndef KPARAMS_H
#define KPARAMS_H

#define USER_BASE 0x80000000u
#define USER_END 0xF0000000u

/* Default physical memory of a cluster for the one-shot runner. */
#define KMEM_DEFAULT (64u * 1024 * 1024)
/* Main-thread stack size, and the unmapped guard page below it. */
#define KSTACK_DEFAULT (256u * 1024)
#define KSTACK_GUARD 4096u
/* Room reserved at the top of the stack for argv, envp, auxv and strings. */
#define KARGS_MAX (64u * 1024)
/* Instructions a hart runs before the kernel looks again (a quantum). */
#define KQUANTUM_DEFAULT 10000u
/* Largest ELF file the loader reads. */
#define KELF_MAX (64u * 1024 * 1024)

#endif /* KPARAMS_H */
