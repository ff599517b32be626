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
#define NR_clock_gettime64 403 /* rv32 Linux's only one; the same 16-byte layout */
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
/* a0 node, a1 mode (NV_MIGRATE_*) -> 0 once the process runs on node (at
 * once if it does already); on failure it runs on where it was. */
#define NR_kmigrate_to 0x1009

/* Migration modes of NR_kmigrate_to (crtool migrate --mode). */
#define NV_MIGRATE_STOP_COPY 0  /* freeze, send everything, resume there */
#define NV_MIGRATE_PRE_COPY 1   /* rounds of pages first (other threads run) */
#define NV_MIGRATE_POST_COPY 2  /* resume there at once, pages follow */

/*
 * Inter-cluster communication (IKC) over the NoC. Processes are named by
 * pid, board-wide; ports are per process. Calls return an endpoint id
 * (>= 0) or use one. Reads, writes and waits block until they can
 * complete (restartable, as above); a peer that does not exist, or ends,
 * gives -ESRCH.
 */
#define NR_kmailbox_create 0x1010 /* a0 port -> id (input mailbox) */
#define NR_kmailbox_open 0x1011   /* a0 pid, a1 port -> id (output mailbox) */
#define NR_kmailbox_unlink 0x1012 /* a0 id (input) -> 0 */
#define NR_kmailbox_close 0x1013  /* a0 id (output) -> 0 */
#define NR_kmailbox_read 0x1014   /* a0 id, a1 buf, a2 size (1..payload) -> size */
#define NR_kmailbox_write 0x1015  /* a0 id, a1 buf, a2 size (1..payload) -> size */
#define NR_kmailbox_pending 0x1016 /* a0 id (input) -> messages it holds, unread */
/* a0 id, a1 buf, a2 size, a3 tag (0..NV_TAG_MAX: Nanvix's sender port) -> size */
#define NR_kmailbox_write_tagged 0x1017
/* a0 id, a1 buf, a2 size, a3 pid (0: any), a4 tag (NV_TAG_ANY: any) -> size:
 * the oldest message from pid with that tag; waits for one */
#define NR_kmailbox_read_from 0x1026
#define NR_kportal_create 0x1018  /* a0 port -> id (input portal) */
#define NR_kportal_allow 0x1019   /* a0 id, a1 pid of the one sender -> 0 */
#define NR_kportal_open 0x101a    /* a0 pid, a1 port -> id (output portal) */
#define NR_kportal_unlink 0x101b  /* a0 id (input) -> 0 */
#define NR_kportal_close 0x101c   /* a0 id (output) -> 0 */
#define NR_kportal_read 0x101d    /* a0 id, a1 buf, a2 size -> bytes written */
#define NR_kportal_write 0x101e   /* a0 id, a1 buf, a2 size (1..portal max) -> size */
/* a0 id, a1 pid, a2 tag (NV_TAG_ANY: any) -> 0: the next read takes pid's
 * write with that tag */
#define NR_kportal_allow_tagged 0x101f
/* a0 id, a1 buf, a2 size, a3 tag -> size: held by the receiver at once,
 * not waiting for its allow (Nanvix's portal writes) */
#define NR_kportal_write_tagged 0x1027
#define NR_kportal_pending 0x102b /* a0 id (input) -> writes it holds, unread */
#define NR_IKC_FIRST NR_kmailbox_create /* the IKC calls' range */
#define NR_IKC_LAST NR_kportal_pending
#define NR_ksync_create 0x1020    /* a0 pids, a1 n, a2 type -> id (input: the waiter) */
#define NR_ksync_open 0x1021      /* a0 pids, a1 n, a2 type -> id (output: a signaller) */
#define NR_ksync_unlink 0x1022    /* a0 id (input) -> 0 */
#define NR_ksync_close 0x1023     /* a0 id (output) -> 0 */
#define NR_ksync_wait 0x1024      /* a0 id -> 0 */
#define NR_ksync_signal 0x1025    /* a0 id -> 0 */
#define NR_kname_lookup 0x1028    /* a0 pid -> node it runs on */
#define NR_knode_get_num 0x1029   /* -> the caller's virtual node (the node it started on) */
#define NR_kname_vnode 0x102a     /* a0 virtual node -> pid holding it; waits for one */

/* IKC limits (those of every shipped profile; the kernel checks its own). */
#define NV_USER_BASE 0x80000000u /* user addresses: NV_USER_BASE .. NV_USER_END */
#define NV_USER_END 0xF0000000u
#define NV_MAILBOX_SIZE 128     /* bytes of a mailbox message */
#define NV_PORTS 32             /* mailbox and portal ports of a process */
#define NV_PORTAL_MAX (1u << 20) /* bytes one portal write moves at most */
#define NV_IKC_MAX 64           /* endpoints a process holds at once */
#define NV_SYNC_MAX 32          /* processes in a sync set */
#define NV_TAG_MAX 0xffff       /* message tags: 0 .. NV_TAG_MAX */
#define NV_TAG_ANY 0xffffffffu  /* a read's or allow's filter: any tag */
/* Sync types: the set's first pid is the master. */
#define NV_SYNC_ONE_TO_ALL 0    /* the master signals, every other waits */
#define NV_SYNC_ALL_TO_ONE 1    /* every other signals, the master waits */

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
#define ABI_EACCES 13 /* libnanvix's: a Nanvix portal read with no allow */
#define ABI_EFAULT 14
#define ABI_EBUSY 16
#define ABI_EEXIST 17
#define ABI_EINVAL 22
#define ABI_EMFILE 24
#define ABI_ENOSPC 28
#define ABI_EDEADLK 35
#define ABI_EPROTO 71
#define ABI_ENOSYS 38
#define ABI_EMSGSIZE 90
#define ABI_ETIMEDOUT 110
#define ABI_EHOSTDOWN 112

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
