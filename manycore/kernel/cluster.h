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

#include "core/mmu.h"

struct cluster;
struct crerr;
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
	/* Process pid reached its stop point (kcr_set_stop) and is
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
	uint64_t jit_blocks;     /* ... their blocks translated to host code, */
	uint64_t jit_bytes;      /* the host code emitted for them, and */
	uint64_t jit_cache_max;  /* the largest code cache one held at its end */
	uint64_t blocks_dropped; /* blocks dropped alone, their code rewritten */
	uint64_t name_hits;      /* pids found in the name cache */
	uint64_t name_lookups;   /* questions to the name service */
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
 * -ENOEXEC (not a valid program; e says why), -E2BIG (arguments too
 * large) or -ENOMEM (no memory: e says how much was wanted). On error
 * the cluster is left as it was. The pid must be unique on the board.
 */
int cluster_spawn(struct cluster *c, uint32_t pid, const uint8_t *img, size_t len,
                  char *const argv[], char *const envp[], struct crerr *e);

/*
 * Runs one round. Returns 1 if anything ran or the clock moved, 0 if the
 * cluster is idle: no ready thread and no sleeper (processes may still be
 * blocked, waiting on each other or on the outside).
 */
int cluster_round(struct cluster *c);

/* 1 when a round would do nothing now: no process runs and nothing rang
 * the cluster's doorbell (so a board driving many clusters skips it). */
int cluster_idle(const struct cluster *c);

/* Stops any process at total instructions retired (0: no limit); it is
 * then killed with KILL_LIMIT. */
void cluster_set_insn_limit(struct cluster *c, uint64_t limit);

/* Instructions a thread runs per turn (0: the profile's). */
void cluster_set_quantum(struct cluster *c, uint32_t quantum);

/* How the cluster's harts run: the interpreter alone or with translation
 * (CORE_TIER_DEFAULT: the build's best). The results are the same either
 * way. 0, or -ENOTSUP for CORE_TIER_JIT where this build cannot translate. */
int cluster_set_core(struct cluster *c, enum core_tier tier);

/* The pool the code of the cluster's processes is translated into
 * (codepool.h; it outlives the cluster). NULL: no bound but each
 * address space's own. */
void cluster_set_code_pool(struct cluster *c, struct codepool *pool);

/* Kills process pid with reason why (KILL_REQUEST, KILL_DEADLOCK) and
 * status; its memory is freed, its UArea kept until reaped. 0 or -ESRCH. */
int cluster_kill(struct cluster *c, uint32_t pid, enum cluster_kill why, int status);

/* The UArea of pid (running or ended), or NULL. Valid until the next
 * call that runs the cluster. */
const struct uarea *cluster_uarea(const struct cluster *c, uint32_t pid);

/* Tags process pid with application app ("": none; at most
 * UAREA_APP_MAX - 1 bytes, longer is cut): it goes with its UArea. 0 or
 * -ESRCH. */
int cluster_set_app(struct cluster *c, uint32_t pid, const char *app);

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

/* Fault injection: the n-th frame every later build (restore, the
 * commit of a migration) takes fails as if memory had run out; 0: none. */
void cluster_set_build_fault(struct cluster *c, uint32_t n);

#endif /* CLUSTER_H */
