/*
 * kernel_priv.h - what the parts of the cluster kernel share: the cluster
 * itself, its process table, and the calls between scheduler, process
 * management and kernel calls. Not for use outside manycore/kernel/.
 */
#ifndef KERNEL_PRIV_H
#define KERNEL_PRIV_H

#include <stdint.h>
#include <stdio.h>

#include "kernel/cluster.h"
#include "kernel/uarea.h"

struct vm;
struct noc;

/* Entries of a cluster's cache of the name service (pid -> node). */
#define KNAME_CACHE 64
/* The node of the name service: the first I/O cluster. */
#define KNAME_NODE 0u
/* Lookups a cluster keeps in flight at once. */
#define KNAME_PENDING 32

struct kname {
	uint32_t pid; /* 0: empty */
	uint32_t node;
};

/*
 * An entry of the process table. The process is its UArea; vm is the
 * hardware context of its address space (the page tables it names live
 * in the cluster's frames, their root in ua->root; vm adds the MMU's TLB
 * and decoded-code cache, which can always be rebuilt).
 */
struct kproc {
	struct uarea *ua; /* NULL: entry free */
	struct vm *vm;    /* NULL once the process ended */
	uint64_t stop_at; /* freeze once it retired this many instructions (0: never) */
};

/* A thread that ran this round and goes back to its ready queue at the
 * end of it (so that no thread runs twice in one round). */
struct krequeue {
	uint32_t proc;
	uint32_t slot;
	uint32_t tid;
};

struct cluster {
	const struct profile *prof;
	uint32_t node;
	struct physmem *pm;
	struct frames *fa;
	struct cluster_hooks hooks;
	FILE *log;
	struct kproc *procs; /* prof->processes_per_cluster entries */
	uint32_t nprocs;
	uint32_t nrunning;        /* processes not ended */
	uint32_t rr;              /* next process the scheduler looks at */
	struct krequeue *requeue; /* cores_per_cluster entries */
	uint32_t nrequeue;
	uint64_t clock; /* modelled cycles */
	uint64_t insn_limit;
	uint32_t quantum;
	uint64_t boot_realtime_ns; /* host wall clock at boot */
	struct cluster_stats stats;
	/* IKC (ikc.c). */
	struct noc *noc;                 /* NULL: a cluster on its own, no IKC */
	uint64_t ikc_until;              /* cycles a thread waited for the NoC until, this round */
	struct kname names[KNAME_CACHE]; /* cache, indexed by pid % KNAME_CACHE */
	uint32_t pending[KNAME_PENDING]; /* pids asked about, not answered */
	struct kname *ns;                /* the name service's table (node KNAME_NODE) */
	uint32_t ns_len, ns_cap;
	cluster_migrate_fn migrate; /* kmigrate_to's daemon (NULL: none) */
	void *migrate_ctx;
	struct vm *spare_vm;        /* an empty address space made ahead (cluster_warm_frames) */
	uint32_t build_frame_fault; /* fault injection (cluster_set_build_fault) */
};

/* The context of one kernel call. */
struct kctx {
	struct cluster *c;
	uint32_t pi;
	unsigned s;
	struct uarea *ua;
	struct vm *vm;
	struct uthread *t;
};

/* Argument i of the call (a0 + i). */
#define KARG(k, i) ((k)->t->hart.x[HART_REG_A0 + (i)])

/* What a kernel call did to the calling thread. */
enum kcall_result {
	KCALL_DONE = 0, /* completed: the thread goes on */
	KCALL_YIELD,    /* completed, and the thread gives up its core */
	KCALL_OFF_CORE, /* the thread blocked or exited, or the process ended */
};

/* Table entry of pid (running or ended), or -1. */
int cluster_find(const struct cluster *c, uint32_t pid);

/* A free table entry, or -1 if the table is full. */
int cluster_free_entry(const struct cluster *c);

/* Puts process ua with address space vm in free entry pi, runnable. */
void cluster_install(struct cluster *c, uint32_t pi, struct uarea *ua, struct vm *vm);

/* Blocks the caller for reason w; its pc stays on the ecall. */
enum kcall_result kcall_block(struct kctx *k, enum uwait w, uint32_t a0, uint32_t a1, uint32_t a2);

/* Serves IKC call nr (NR_kmailbox_* .. NR_kname_lookup) of k (ikc.c);
 * *ret gets its result when it completes. */
enum kcall_result ikc_dispatch(struct kctx *k, uint32_t nr, int32_t *ret);

/* If the cluster's doorbell rang: serves kernel messages (the name
 * service and its answers) and retries every thread blocked on the NoC.
 * Called before each round. */
void ikc_poll(struct cluster *c);

/* Process pid starts on (ends on) the cluster: residency on the NoC and
 * registration with the name service. ikc_process_start returns 0 or
 * -EEXIST (pid lives on another node). */
int ikc_process_start(struct cluster *c, uint32_t pid);
void ikc_process_end(struct cluster *c, uint32_t pid);
/* A migration's handover: pid's NoC presence moves from node from to
 * c's (endpoints_move) and the name service learns it; the source then
 * only forgets it (ikc_process_moved_out). */
int ikc_process_move_in(struct cluster *c, uint32_t pid, uint32_t from);
void ikc_process_moved_out(struct cluster *c, uint32_t pid);

/* Serves the kernel call thread slot s of process table entry pi trapped
 * on (kcall.c). The UArea may move: reload it from c->procs[pi]. */
enum kcall_result kcall_dispatch(struct cluster *c, uint32_t pi, unsigned s);

/* Ends process pi: every thread gone, memory freed, UArea kept with state
 * and status; wakes nothing (no other process waits on it here). */
void proc_end(struct cluster *c, uint32_t pi, enum uproc_state state, int status,
              enum cluster_kill why);
/* Frees process pi, which moved to another cluster: as proc_end, but
 * without touching the NoC or the name service, nor reporting an exit. */
void proc_release_moved(struct cluster *c, uint32_t pi);

/* Kills pi for trap t of its thread s and reports it on c->log. */
void proc_fault(struct cluster *c, uint32_t pi, unsigned s, const struct hart_trap *t);
/* Thread s of pi touched a page whose bytes are lost (its post-copy
 * source failed): the process dies of SIGBUS, as Linux's lazy pages do. */
void proc_lost_page(struct cluster *c, uint32_t pi, unsigned s, const struct hart_trap *t);

/*
 * Creates a thread in process pi starting at pc with a0 = arg0, a1 =
 * arg1, tp = tls, gp copied from thread `parent`; maps its stack and queues
 * it. Returns its slot, or -EAGAIN (thread limit) or -ENOMEM.
 */
int proc_thread_create(struct cluster *c, uint32_t pi, unsigned parent, uint32_t pc, uint32_t arg0,
                       uint32_t arg1, uint32_t tls);

/* Ends thread s of pi with value v (a zombie until joined); wakes its
 * joiner; ends the process with status & 0xff if no thread is left. */
void proc_thread_exit(struct cluster *c, uint32_t pi, unsigned s, uint32_t v, int status);

/* Reaps zombie thread s of pi: unmaps its stack, frees its slot. */
void proc_thread_reap(struct cluster *c, uint32_t pi, unsigned s);

/* Makes blocked thread s of pi ready; it re-issues its call. */
void proc_thread_wake(struct cluster *c, uint32_t pi, unsigned s);

/* Modelled monotonic time of thread t, in ns, and the cycle at which a
 * deadline in ns is reached. */
uint64_t kclock_ns(const struct uthread *t);
uint64_t kclock_cycles_ns(uint64_t cycles);
uint64_t kclock_cycles_at(uint64_t ns);

#endif /* KERNEL_PRIV_H */
