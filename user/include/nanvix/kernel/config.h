/*
 * nanvix/kernel/config.h - the processor and the build configuration a
 * Nanvix program sees, per board profile: nanvix-cc defines __mppa256__
 * for the mppa256 profile (Kalray MPPA-256 as Nanvix numbers it) and
 * __crtool_default__ for the default one.
 *
 * NoC nodes are numbered I/O first: on mppa256, 0-7 are the I/O
 * clusters' and 8-23 the compute clusters'; node 0 is the master and the
 * first compute node the leader.
 */
#ifndef NANVIX_KERNEL_CONFIG_H
#define NANVIX_KERNEL_CONFIG_H

#if defined(__mppa256__)
#define PROCESSOR_IOCLUSTERS_NUM 2
#define PROCESSOR_CCLUSTERS_NUM 16
#define PROCESSOR_NOC_IONODES_NUM 8
#define PROCESSOR_NOC_CNODES_NUM 16
#define CORES_NUM 16
/* User threads of a process, the leader included: as Nanvix's thread
 * tests count them (the leader and THREAD_MAX - 1 more; one more fails).
 * The profile's 18, where Nanvix's MPPA-256 build reserves 23. */
#define THREAD_MAX 18
#define K1BDP_CORES_NUM 16 /* cores of a compute cluster */
#define K1BIO_CORES_NUM 4  /* of an I/O cluster */
#define UMEM_SIZE (512 * 1024)
#else
#ifndef __crtool_default__
#define __crtool_default__ 1
#endif
#define PROCESSOR_IOCLUSTERS_NUM 4
#define PROCESSOR_CCLUSTERS_NUM 16
#define PROCESSOR_NOC_IONODES_NUM 4
#define PROCESSOR_NOC_CNODES_NUM 16
#define CORES_NUM 16
#define THREAD_MAX 64 /* the leader included: the profile's 64 */
#define UMEM_SIZE (224 * 1024 * 1024)
#endif

#define PROCESSOR_CLUSTERS_NUM (PROCESSOR_IOCLUSTERS_NUM + PROCESSOR_CCLUSTERS_NUM)
#define PROCESSOR_NOC_NODES_NUM (PROCESSOR_NOC_IONODES_NUM + PROCESSOR_NOC_CNODES_NUM)
#define PROCESSOR_NODENUM_MASTER 0
#define PROCESSOR_CLUSTERNUM_MASTER 0
#define PROCESSOR_NODENUM_LEADER PROCESSOR_NOC_IONODES_NUM
#define PROCESSOR_IS_MULTICLUSTER 1
#define PROCESSOR_HAS_NOC 1
#define CORE_SUPPORTS_MULTITHREADING 1
#define CLUSTER_IS_MULTICORE 1
#define PAGE_SIZE 4096
#define PAGE_SHIFT 12
#define BYTE_BIT 8
#define WORD_SIZE 4  /* bytes of a word_t (32-bit cores) */
#define DWORD_SIZE 8 /* of a dword_t */
#define CACHE_LINE_SIZE 64
#define CLUSTER_FREQ 400000000 /* cycles a second: the model's 400 MHz */
#define __NANVIX_CONDVAR_SLEEP 1

/* What the board has, as a Nanvix build for the target configures it.
 * The task dispatcher is not there: configured off, as Nanvix allows. */
#define __TARGET_HAS_MAILBOX 1
#define __TARGET_HAS_PORTAL 1
#define __TARGET_HAS_SYNC 1
#define __NANVIX_HAS_NETWORK 0
#define __NANVIX_IKC_USES_ONLY_MAILBOX 0
#define __NANVIX_USE_COMM_WITH_TASKS 0
#define __NANVIX_USE_TASKS 0
#define __NANVIX_MICROKERNEL_DYNAMIC_SCHED 1
#define __NANVIX_MICROKERNEL_STATIC_SCHED 0
#define __NANVIX_MICROKERNEL_THREAD_STATS 1
#define __NANVIX_MUTEX_SLEEP 1
#define __NANVIX_SEMAPHORE_SLEEP 1

/* Kernel threads: only the master; the user's first thread, the leader,
 * comes next. */
#define SYS_THREAD_MAX 1

/* IKC sizes as the HAL states them. The board carries a mailbox
 * message of up to 128 bytes and a portal transfer of up to 1 MiB in one
 * piece (docs/abi.md); on mppa256 the sizes a program reads are the
 * Kalray HAL's (a 120-byte mailbox frame, 4-KiB portal fragments), so
 * that a program sizing its messages from them behaves as on Nanvix. */
#if defined(__mppa256__)
#define HAL_MAILBOX_MSG_SIZE 120
#define HAL_MAILBOX_RESERVED_SIZE 4 /* Nanvix's header: the sender's port */
#else
#define HAL_MAILBOX_MSG_SIZE 128
#define HAL_MAILBOX_RESERVED_SIZE 0 /* the board's envelope carries it */
#endif
#define HAL_MAILBOX_DATA_SIZE (HAL_MAILBOX_MSG_SIZE - HAL_MAILBOX_RESERVED_SIZE)
#define HAL_PORTAL_RESERVED_SIZE 16
#define HAL_PORTAL_DATA_SIZE PAGE_SIZE
#define HAL_PORTAL_MAX_SIZE (HAL_PORTAL_RESERVED_SIZE + HAL_PORTAL_DATA_SIZE)

#endif /* NANVIX_KERNEL_CONFIG_H */
