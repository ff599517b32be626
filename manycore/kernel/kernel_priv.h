/*
 * kernel_priv.h - the state of a cluster, which the files of the cluster
 * kernel share: the cluster itself, its process table and its name
 * cache. Only data: what each file offers the others is in the header
 * named after it. Private to manycore/kernel/.
 */
#ifndef KERNEL_PRIV_H
#define KERNEL_PRIV_H

#include <stdint.h>
#include <stdio.h>

#include "kernel/cluster.h"
#include "kernel/kcr.h"
#include "kernel/uarea.h"

struct vm;
struct pidns;
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
	uint32_t vnode; /* the name service's table only */
};

/* A pending lookup names a pid, or a virtual node with this bit set. */
#define KNAME_VNODE_TAG 0x80000000u

/* A lookup the name service answers later (node KNAME_NODE only): of
 * a virtual node (tag KNAME_VNODE_TAG | vnode) once a process holds it,
 * or of a dumped pid (tag pid) once it is restored. */
struct kname_wait {
	uint32_t tag;
	uint32_t src;
};

/* The name service's node for a pid that was dumped and not restored
 * yet: lookups of it wait. */
#define KNAME_AWAY 0xffffffffu

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
	struct pidns *ns; /* its pid name space (pidns.h), NULL: the board's */
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
	uint64_t *occupied;  /* bit pi set while procs[pi].ua is: what a scan visits */
	uint32_t nprocs;
	uint32_t nrunning;        /* processes not ended */
	uint32_t rr;              /* next process the scheduler looks at */
	struct krequeue *requeue; /* cores_per_cluster entries */
	uint32_t nrequeue;
	uint64_t clock; /* modelled cycles */
	uint64_t insn_limit;
	uint32_t quantum;
	enum core_tier core;        /* how its harts run (mmu_set_tier) */
	struct codepool *code_pool; /* the board's bound on translated code, or NULL */
	struct codegroup *groups;   /* code shared by the processes of a program */
	uint64_t boot_realtime_ns;  /* host wall clock at boot */
	struct cluster_stats stats;
	/* IKC (ikc.c) and names (names.c). */
	struct noc *noc;                 /* NULL: a cluster on its own, no IKC */
	uint64_t ikc_until;              /* cycles a thread waited for the NoC until, this round */
	struct kname names[KNAME_CACHE]; /* cache, indexed by pid % KNAME_CACHE */
	uint32_t pending[KNAME_PENDING]; /* pids asked about, not answered */
	struct kname *ns;                /* the name service's table (node KNAME_NODE) */
	struct kname_wait *ns_waits;     /* its lookups of unheld virtual nodes */
	uint32_t ns_nwaits, ns_waits_cap;
	uint32_t ns_len, ns_cap;
	uint64_t ns_ended;      /* virtual nodes whose last holder ended */
	kcr_migrate_fn migrate; /* kmigrate_to's daemon (NULL: none) */
	void *migrate_ctx;
	struct vm *spare_vm;        /* an empty address space made ahead (kcr_warm_frames) */
	uint32_t build_frame_fault; /* fault injection (cluster_set_build_fault) */
};

#endif /* KERNEL_PRIV_H */
