/*
 * uarea.h - the UArea: all of the kernel's state for one process, in one
 * pointer-free block (design.md §3).
 *
 * The block is a fixed header (process, regions, heap, ready queue,
 * counters) followed by a table of thread slots. It is allocated with as
 * many slots as the process needs and grows by whole slots, up to the
 * profile's threads-per-process, when threads are created; so a
 * one-thread process's UArea is the header plus one slot (uarea_bytes()).
 * Nothing in it is a host pointer: thread links are slot indices, memory
 * is named by user virtual addresses, and the page table by the physical
 * address of its root in the cluster's memory. Copying the block (and
 * the pages it names) is copying the process.
 *
 * Since growing may move the block, a struct uthread pointer is valid
 * only until the next uarea_add_thread on the same UArea.
 */
#ifndef UAREA_H
#define UAREA_H

#include <stddef.h>
#include <stdint.h>

#include "core/hart.h"

#define UAREA_NAME_MAX 32     /* process name, NUL included */
#define UAREA_APP_MAX 32      /* application name, NUL included */
#define UAREA_REGIONS_MAX 12  /* ELF segments and the heap */
#define UAREA_NO_SLOT 0xffu   /* end of a slot list */
#define UAREA_THREADS_MAX 254 /* slots are bytes; UAREA_NO_SLOT excluded */
#define UAREA_IKC_MAX 64      /* IKC endpoints a process holds at once */
#define UAREA_SYNC_POOL 64    /* pids of all its syncs' member sets */

/* Process states. */
enum uproc_state {
	UPROC_RUNNING = 1, /* has live threads */
	UPROC_EXITED,      /* exited: see status */
	UPROC_KILLED,      /* killed by a fault or a kill: see status, fault */
};

/* Thread states. */
enum uthread_state {
	UTHREAD_FREE = 0, /* slot unused */
	UTHREAD_READY,    /* in the ready queue */
	UTHREAD_RUNNING,  /* on a core now */
	UTHREAD_BLOCKED,  /* in a blocking call: see wait */
	UTHREAD_ZOMBIE,   /* exited, not joined yet: see exit_value */
};

/* Why a blocked thread waits; its pc is on the ecall of that call. */
enum uwait {
	UWAIT_NONE = 0,
	UWAIT_JOIN,    /* arg[0]: the tid joined */
	UWAIT_FUTEX,   /* arg[0]: user address; arg[1..2]: deadline (ns, 0: none) */
	UWAIT_SLEEP,   /* arg[1..2]: deadline, monotonic ns */
	UWAIT_IKC,     /* arg[0]: endpoint; retried when the NoC changes */
	UWAIT_LOOKUP,  /* arg[0]: pid the name service is asked about */
	UWAIT_MIGRATE, /* arg[0]: node, arg[1]: mode of its kmigrate_to */
};

/* Kinds of IKC endpoint. */
enum uikc_kind {
	UIKC_FREE = 0,
	UIKC_MAILBOX_IN,  /* port: ours */
	UIKC_MAILBOX_OUT, /* to (pid, port) */
	UIKC_PORTAL_IN,   /* port: ours */
	UIKC_PORTAL_OUT,  /* to (pid, port) */
	UIKC_SYNC_IN,     /* members in the sync pool; key */
	UIKC_SYNC_OUT,
};

/*
 * An IKC endpoint. Peers are named by pid, never by node: the kernel
 * resolves pids through the name service at each use (with a cache), so
 * an endpoint stays valid when either end moves.
 */
struct uikc {
	uint8_t kind;     /* enum uikc_kind */
	uint8_t type;     /* syncs: NV_SYNC_ONE_TO_ALL or NV_SYNC_ALL_TO_ONE */
	uint8_t nmembers; /* syncs: members, master first */
	uint8_t pool;     /* syncs: index of the first in sync_pool */
	uint32_t port;    /* ours (inputs) or the peer's (outputs) */
	uint32_t pid;     /* the peer (outputs) */
	uint32_t key;     /* syncs: names the set at the receivers */
};

/* Kinds of memory region. */
enum uregion_kind {
	UREGION_TEXT = 1, /* executable, from the ELF */
	UREGION_DATA,     /* writable, from the ELF (data and bss) */
	UREGION_RODATA,   /* read-only, from the ELF */
	UREGION_HEAP,     /* from the end of the ELF to brk */
	UREGION_STACK,    /* a thread's stack (kept in its slot, see below) */
};

struct uregion {
	uint32_t start; /* page-aligned user address */
	uint32_t len;   /* bytes, page multiple */
	uint8_t prot;   /* VM_R | VM_W | VM_X */
	uint8_t kind;   /* enum uregion_kind */
	uint8_t pad[2];
};

struct uthread {
	struct hart hart; /* x1-x31, pc, reservation, counters */
	uint32_t tid;     /* unique in the process, never reused */
	uint8_t state;    /* enum uthread_state */
	uint8_t wait;     /* enum uwait */
	uint8_t next;     /* next slot in the ready queue */
	uint8_t joined;   /* 1 once a thread waits in join for this one */
	uint32_t wait_arg[3];
	uint32_t wait_seq; /* futex waiters wake in this order */
	uint32_t exit_value;
	uint32_t stack_top; /* the stack region: [top - size, top) */
	uint32_t stack_size;
};

/* What killed a process. */
struct ufault {
	uint32_t cause; /* enum hart_cause */
	uint32_t pc;
	uint32_t tval;
	uint32_t tid;
};

struct uarea {
	uint32_t pid;
	char name[UAREA_NAME_MAX];
	uint8_t state;      /* enum uproc_state */
	uint8_t nslots;     /* thread slots allocated after the header */
	uint8_t ready_head; /* ready queue, FIFO of slots */
	uint8_t ready_tail;
	uint8_t killed_by; /* enum cluster_kill, once killed */
	uint8_t frozen;    /* 1: not scheduled (checkpoint, restore) */
	uint8_t pad[2];
	int32_t status;      /* exit status once exited or killed */
	struct ufault fault; /* once killed by a fault (cause valid) */
	uint32_t root;       /* page table root, physical */
	uint32_t pages;      /* user pages mapped */
	uint32_t heap_start; /* end of the ELF, page-aligned */
	uint32_t brk;
	uint32_t brk_limit; /* lowest stack slot's guard page */
	uint32_t entry;     /* ELF entry point */
	uint32_t nregions;
	struct uregion regions[UAREA_REGIONS_MAX];
	uint32_t threads_max; /* the profile's limit */
	uint32_t nthreads;    /* slots not free */
	uint32_t next_tid;
	uint32_t futex_seq;
	uint32_t main_stack;   /* bytes, the main thread's */
	uint32_t thread_stack; /* bytes, every other thread's */
	uint64_t instret;      /* of threads gone; add the live ones' */
	uint64_t syscalls;
	uint64_t switches; /* threads put on a core */
	uint64_t threads_created;
	uint64_t ikc_messages; /* mailbox messages, portal writes, signals sent */
	uint64_t ikc_bytes;    /* payload bytes sent */
	struct uikc ikc[UAREA_IKC_MAX];
	uint32_t sync_pool[UAREA_SYNC_POOL];
	uint32_t sync_used; /* entries of sync_pool in use, packed */
	/* The NoC node the process is known by (knode_get_num): the one it
	 * started on, kept across restores and migrations (docs/noc.md). */
	uint32_t vnode;
	/* The application it belongs to ("": none), kept across restores and
	 * migrations: crtool run --app, or an SPMD launch. */
	char app[UAREA_APP_MAX];
	/* Cycles from the cluster's clock to the process's: its monotonic
	 * time goes on across a restore on a cluster with another clock. */
	int64_t clock_offset;
	/* Once ended: the process's time then, in cycles (the latest of its
	 * threads'), for figures that outlive it (manycore run --stats). */
	uint64_t end_clock;
	struct uthread slot[];
};

/*
 * A new UArea with one free slot for process pid named name, that may
 * have up to threads_max threads with stacks of the given sizes (bytes,
 * page multiples). NULL if out of host memory.
 */
struct uarea *uarea_new(uint32_t pid, const char *name, uint32_t threads_max, uint32_t main_stack,
                        uint32_t thread_stack);

/* Frees ua. NULL is ignored. */
void uarea_free(struct uarea *ua);

/* Bytes the UArea occupies: the header and its slots. */
size_t uarea_bytes(const struct uarea *ua);

/*
 * Takes a free slot for a new thread (growing *ua if needed), gives it the
 * next tid and its stack region, state UTHREAD_READY but not queued.
 * Returns the slot index, or -EAGAIN at the thread limit or -ENOMEM.
 */
int uarea_add_thread(struct uarea **ua);

/* Frees slot s (the thread has been reaped). */
void uarea_drop_thread(struct uarea *ua, unsigned s);

/* Gives back trailing free slots (keeping one), so that a process back to
 * few threads has a small UArea again. May move *ua. */
void uarea_shrink(struct uarea **ua);

/* Instructions the process has retired: its ended threads' and its live ones'. */
uint64_t uarea_retired(const struct uarea *ua);

/* The slot of thread tid, or -1. */
int uarea_find_tid(const struct uarea *ua, uint32_t tid);

/* Stack region of slot s: main thread at the top of the user range, the
 * others below it, each with an unmapped guard page under it. */
void uarea_stack_of(const struct uarea *ua, unsigned s, uint32_t *top, uint32_t *size);

/* Lowest address any stack slot may use (the heap must stay under). */
uint32_t uarea_stacks_floor(const struct uarea *ua);

/* Ready queue: append slot s, take the head (or -1), remove s if queued. */
void uarea_ready_push(struct uarea *ua, unsigned s);
int uarea_ready_pop(struct uarea *ua);
void uarea_ready_remove(struct uarea *ua, unsigned s);

/* Adds a region; -ENOSPC if the table is full. */
int uarea_add_region(struct uarea *ua, uint32_t start, uint32_t len, unsigned prot, unsigned kind);

/* The heap region, or NULL. */
struct uregion *uarea_heap(struct uarea *ua);

/* Instructions retired by every thread, gone or alive. */
uint64_t uarea_instret(const struct uarea *ua);

/* Threads that are neither free nor zombie. */
uint32_t uarea_live_threads(const struct uarea *ua);

/* Names of states, for reports. */
const char *uarea_thread_state_name(unsigned state);
const char *uarea_wait_name(unsigned wait);

#endif /* UAREA_H */
