/*
 * cluster.h - one cluster of the board: its memory, its microkernel and
 * the processes it runs.
 *
 * A cluster owns its physical frames (the profile's cluster memory, of
 * which the profile's user memory may back user pages), a table of
 * processes (each a UArea, see uarea.h) and its cores. One call to
 * cluster_round() is one scheduling round: each core in turn takes the
 * next ready thread (round robin over processes, FIFO within one) and runs
 * it for up to a quantum of instructions; kernel calls run atomically in
 * between. Time is modelled: the cluster clock advances by the longest
 * turn of the round (cores run in parallel), or jumps to the next sleeper
 * when every thread waits. Same programs, same profile: same results.
 *
 * Not thread-safe: one host thread drives a cluster.
 */
#ifndef CLUSTER_H
#define CLUSTER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel/vm.h"

struct cluster;
struct noc;
struct profile;
struct uarea;

/* What a cluster tells its board: processes' console I/O (fds 0, 1, 2)
 * and their ends. Called on the cluster's host thread. */
struct cluster_hooks {
	/* Writes n bytes of process pid's fd (1 or 2); returns bytes taken or
	 * a negative errno. */
	long (*write)(void *ctx, uint32_t pid, int fd, const void *buf, size_t n);
	/* Reads up to n bytes for pid's fd 0; returns bytes, 0 at end, or a
	 * negative errno. May be NULL: stdin is then empty. */
	long (*read)(void *ctx, uint32_t pid, void *buf, size_t n);
	/* Process ua ended (exited or killed); may be NULL. */
	void (*ended)(void *ctx, const struct uarea *ua);
	/* Process pid reached its stop point (cluster_set_stop) and is
	 * frozen; may be NULL. */
	void (*stopped)(void *ctx, uint32_t pid);
	void *ctx;
};

/* How a process ended (uarea.killed_by). */
enum cluster_kill {
	KILL_NONE = 0, /* exited by itself */
	KILL_FAULT,    /* a trap the kernel does not serve */
	KILL_LIMIT,    /* the cluster's instruction limit */
	KILL_DEADLOCK, /* every thread blocked with nothing to wake it */
	KILL_REQUEST,  /* killed from outside (cluster_kill) */
	KILL_DUMPED,   /* checkpointed, then ended (crtool dump) */
	KILL_MIGRATED, /* moved to another cluster: this copy released */
	KILL_LOST,     /* touched a page lost with its post-copy source */
};

/* Counters of a cluster, for --stats and benchmarks. */
struct cluster_stats {
	uint64_t clock; /* modelled cycles since boot */
	uint64_t rounds;
	uint64_t turns;        /* threads put on a core */
	uint64_t idle_jumps;   /* clock jumps to a sleeper's deadline */
	uint64_t walks;        /* MMU page walks, blocks decoded and */
	uint64_t blocks_built; /* code flushes of processes that ended */
	uint64_t code_flushes;
	uint64_t name_hits;    /* pids found in the name cache */
	uint64_t name_lookups; /* questions to the name service */
	uint32_t frames_total, frames_free;
	uint32_t user_frames_used, user_frames_limit, user_frames_peak;
};

/*
 * Boots cluster `node` of profile p with memory bytes of physical memory
 * (0: the profile's), on the NoC noc (NULL: a cluster on its own, whose
 * IKC calls fail with -ENOSYS). Process reports (faults, kills) go to log
 * (may be NULL). Returns NULL when host memory is short.
 */
struct cluster *cluster_new(const struct profile *p, uint32_t node, uint32_t memory,
                            struct noc *noc, const struct cluster_hooks *hooks, FILE *log);

/* Frees c with every process on it. NULL is ignored. */
void cluster_free(struct cluster *c);

/*
 * Loads the ELF image img (len bytes) as process pid, named after argv[0],
 * with argv and envp (NULL-terminated) on its main stack, ready to run.
 * Returns 0, or -EEXIST (pid in use), -EAGAIN (process table full),
 * -ENOEXEC (not a valid program; err says why), -E2BIG (arguments too
 * large) or -ENOMEM (no memory: err says how much was wanted). On error
 * the cluster is left as it was. The pid must be unique on the board.
 */
int cluster_spawn(struct cluster *c, uint32_t pid, const uint8_t *img, size_t len,
                  char *const argv[], char *const envp[], char *err, size_t errlen);

/*
 * Runs one round. Returns 1 if anything ran or the clock moved, 0 if the
 * cluster is idle: no ready thread and no sleeper (processes may still be
 * blocked, waiting on each other or on the outside).
 */
int cluster_round(struct cluster *c);

/* Stops any process at total instructions retired (0: no limit); it is
 * then killed with KILL_LIMIT. */
void cluster_set_insn_limit(struct cluster *c, uint64_t limit);

/* Instructions a thread runs per turn (0: the profile's). */
void cluster_set_quantum(struct cluster *c, uint32_t quantum);

/* Kills process pid with reason why (KILL_REQUEST, KILL_DEADLOCK) and
 * status; its memory is freed, its UArea kept until reaped. 0 or -ESRCH. */
int cluster_kill(struct cluster *c, uint32_t pid, enum cluster_kill why, int status);

/* The UArea of pid (running or ended), or NULL. Valid until the next
 * call that runs the cluster. */
const struct uarea *cluster_uarea(const struct cluster *c, uint32_t pid);

/* Forgets an ended process. 0, -ESRCH, or -EBUSY if it still runs. */
int cluster_reap(struct cluster *c, uint32_t pid);

/* Processes in the table (running or not reaped). */
uint32_t cluster_processes(const struct cluster *c);

/* Copies the pids in the table (at most max) to pids; returns how many. */
size_t cluster_list(const struct cluster *c, uint32_t *pids, size_t max);

/* Copies c's counters into *st. */
void cluster_get_stats(const struct cluster *c, struct cluster_stats *st);

/* Writes a line per thread of pid (tid, state, wait, pc) to f. */
void cluster_dump_threads(const struct cluster *c, uint32_t pid, FILE *f);

/*
 * ---- The checkpoint/restore interface (kernel-hooks/ uses only this) ----
 *
 * Between two rounds every thread is between two instructions: ready,
 * blocked in a kernel call with its pc on the ecall (restartable), or a
 * zombie. A frozen process is simply not scheduled; timers and the NoC
 * may still make its threads ready, which it sees when thawed.
 */

/* Freezes (thaws) running process pid. 0, or -ESRCH (no such running
 * process). Freezing a frozen process, or thawing a thawed one, is 0. */
int cluster_freeze(struct cluster *c, uint32_t pid);
int cluster_thaw(struct cluster *c, uint32_t pid);

/* Freezes pid as soon as it has retired insns instructions (all its
 * threads, gone and live), exactly, and calls hooks.stopped. 0 clears
 * it. 0 or -ESRCH. */
int cluster_set_stop(struct cluster *c, uint32_t pid, uint64_t insns);
/* pid's stop point (0: none, or no such process): a migration carries it. */
uint64_t cluster_stop_point(const struct cluster *c, uint32_t pid);

/* Copies the user page at va (page-aligned) of process pid to buf (a
 * page), leaving its A and D bits and the TLB alone; *dirty (if not
 * NULL) gets 1 if the page was written since it was mapped or since the
 * last cluster_clean_pages. 0, -ESRCH (no such live process) or -EFAULT
 * (not mapped). */
int cluster_read_page(struct cluster *c, uint32_t pid, uint32_t va, void *buf, int *dirty);
/* As cluster_read_page, but the page where it lies, to read in place
 * while the process stays frozen on c (and c does nothing else): NULL if
 * there is no such process or page. *zero (if not NULL) gets 1 if the
 * page is known to be all zero without reading it (never written since
 * it was mapped zeroed). */
const uint8_t *cluster_page(struct cluster *c, uint32_t pid, uint32_t va, int *dirty, int *zero);

/* Clears the dirty bit of every user page of pid and flushes its TLB,
 * so that later writes set them again. 0 or -ESRCH. */
int cluster_clean_pages(struct cluster *c, uint32_t pid);

/* The process's monotonic time now, in cycles (its clock goes on across
 * clusters: see cluster_build_commit). 0 if there is no such process. */
uint64_t cluster_process_clock(const struct cluster *c, uint32_t pid);

/* Frees user pages (and the page tables they need) on c now. */
uint32_t cluster_free_user_pages(const struct cluster *c);

/* Readies the host memory of the frames a restore of pages user pages
 * (and their page tables) would take next, and makes the empty address
 * space the next build takes: an emulation matter, so that a
 * migration's frozen step does not wait for the host to back fresh
 * memory (tens of microseconds for a small process). */
void cluster_warm_frames(struct cluster *c, uint32_t pages);

/*
 * Rebuilding a process (restore): begin reserves a table entry and an
 * empty address space for pid; the caller fills the UArea (header and
 * nslots slots: the page-table root and page count are set at commit),
 * maps and writes pages, then commits, which attaches pid to this node
 * on the NoC with its input endpoints eps (noc.h: their queued messages
 * and signals), registers it with the name service and makes it runnable
 * (frozen if asked), with its clock going on from clock (cycles). Abort
 * (or any failed step followed by abort) leaves the cluster exactly as
 * it was. Errors: -EEXIST (pid in use on this cluster or on the NoC),
 * -EAGAIN (process table full), -ENOMEM, -EINVAL (bad address); err
 * says which.
 */
struct cluster_build;
int cluster_build_begin(struct cluster *c, uint32_t pid, unsigned nslots,
                        struct cluster_build **out, char *err, size_t errlen);
/* A migration's build: pid still lives on node from (frozen), and commit
 * takes it over from there: the NoC moves its endpoints, with whatever
 * was queued on them meanwhile, and the name service learns the new node
 * (endpoints_move); eps are then ignored. The source copy must then be
 * released with cluster_release_moved. */
int cluster_build_begin_move(struct cluster *c, uint32_t pid, unsigned nslots, uint32_t from,
                             struct cluster_build **out, char *err, size_t errlen);
struct uarea *cluster_build_uarea(struct cluster_build *b);
/* How cluster_build_map takes pages: zeroed; filled (the caller will
 * write every byte through cluster_build_page before commit, so they are
 * not zeroed first); or remote (post-copy: their bytes come later,
 * through the build's filler, see vm.h). */
enum cluster_map { CLUSTER_MAP_ZERO, CLUSTER_MAP_FILLED, CLUSTER_MAP_REMOTE };
int cluster_build_map(struct cluster_build *b, uint32_t va, uint32_t len, unsigned prot,
                      enum cluster_map how);
/* The filler of the build's remote pages (vm_set_fill). */
void cluster_build_fill(struct cluster_build *b, vm_fill_fn fn, void *ctx);
/* The host address of the mapped page at va (CORE_PAGE_SIZE bytes), for
 * the restore to write into directly; NULL if not mapped. */
uint8_t *cluster_build_page(struct cluster_build *b, uint32_t va);

/*
 * An address space filled ahead of its process: a pre-copy migration's
 * rounds land in it while the process still runs on its source, so that
 * the rebuild finds them in place (cluster_build_adopt). Its frames come
 * out of c's user memory as they are mapped; free gives them back. Only
 * c's own thread may use it.
 */
struct cluster_space;
/* NULL if out of memory. */
struct cluster_space *cluster_space_new(struct cluster *c);
void cluster_space_free(struct cluster_space *sp);
/* As cluster_build_map (zeroed or filled; not remote). */
int cluster_space_map(struct cluster_space *sp, uint32_t va, uint32_t len, unsigned prot,
                      enum cluster_map how);
/* Unmaps [va, va + len), giving its frames back; unmapped pages skipped. */
int cluster_space_unmap(struct cluster_space *sp, uint32_t va, uint32_t len);
/* Sets the permissions of the mapped pages of [va, va + len). */
int cluster_space_protect(struct cluster_space *sp, uint32_t va, uint32_t len, unsigned prot);
/* The host address of mapped page va, to be rewritten whole; NULL if
 * not mapped. */
uint8_t *cluster_space_page(struct cluster_space *sp, uint32_t va);
/* Is page va mapped in sp? */
int cluster_space_mapped(struct cluster_space *sp, uint32_t va);
/* Pages mapped in sp. */
uint32_t cluster_space_pages(const struct cluster_space *sp);
/* b, with nothing mapped yet, takes sp's pages as its own, and sp is
 * freed: -EINVAL (b has pages or sp is of another cluster) leaves both. */
int cluster_build_adopt(struct cluster_build *b, struct cluster_space *sp);

struct noc_ep;
int cluster_build_commit(struct cluster_build *b, uint64_t clock, int frozen,
                         const struct noc_ep *eps, uint32_t neps, char *err, size_t errlen);
void cluster_build_abort(struct cluster_build *b);
/* Fault injection: the n-th frame every later build (restore, the
 * commit of a migration) takes fails as if memory had run out; 0: none. */
void cluster_set_build_fault(struct cluster *c, uint32_t n);

/* Host address of the frame of pid's remote page va, where its bytes
 * may land before cluster_fill_page maps it; NULL if it is not one. */
uint8_t *cluster_remote_frame(struct cluster *c, uint32_t pid, uint32_t va);

/* Makes pid's page va present (vm_fill): 1 (it was remote), 0 (it was
 * present), -ESRCH, -EFAULT (not mapped) or -EIO (its bytes are lost). */
int cluster_fill_page(struct cluster *c, uint32_t pid, uint32_t va);

/* Frees the copy of pid that moved to another cluster (its NoC presence
 * went with it): no exit is reported (the process lives on elsewhere).
 * 0 or -ESRCH. */
int cluster_release_moved(struct cluster *c, uint32_t pid);

/*
 * The migration daemon's door (kernel-hooks/migd.h), for kmigrate_to: a
 * thread of pid asks to move the process to node in mode (NV_MIGRATE_*).
 * fn returns 0 if it took the request (the thread waits, UWAIT_MIGRATE,
 * until the process runs on node, where the call returns 0, or until
 * cluster_migrate_failed) or a negative errno the call returns at once.
 * Called on the cluster's host thread, inside cluster_round: fn must not
 * call back into the cluster. Without one, kmigrate_to gives -ENOSYS.
 */
typedef int (*cluster_migrate_fn)(void *ctx, uint32_t pid, uint32_t node, uint32_t mode);
void cluster_set_migrate(struct cluster *c, cluster_migrate_fn fn, void *ctx);

/* pid's move failed with err (a negative errno): its threads waiting in
 * kmigrate_to get err and run on. */
void cluster_migrate_failed(struct cluster *c, uint32_t pid, int err);

/* The NoC the cluster is on (NULL: alone) and its node. */
struct noc *cluster_noc(const struct cluster *c);
uint32_t cluster_node(const struct cluster *c);

#endif /* CLUSTER_H */
