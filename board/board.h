/*
 * board.h - a board: every cluster of a profile on one NoC, the
 * board-wide process table, and two ways to drive it.
 *
 * Run mode (runmode_run): one host thread steps every cluster a round in
 * turn until the processes end; deterministic, for `manycore run` and
 * tests. If every cluster is idle and no message is on its way, the
 * blocked processes can never go on: they are killed as deadlocked.
 *
 * Serve mode (board_start): one host thread per cluster, each running
 * rounds while it has work and sleeping on its doorbell otherwise;
 * requests (spawn, kill, ps, stats) are carried out by the cluster's own
 * thread between rounds, so no cluster state is ever shared. Guest
 * output goes to a bounded buffer per process (board_output).
 *
 * Pids are the board's: 1, 2, 3, ... in spawn order, never reused.
 * All functions are thread-safe unless noted.
 */
#ifndef BOARD_H
#define BOARD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/mmu.h"
#include "kernel-hooks/migd.h"
#include "noc/mesh.h"
#include "noc/noc.h"

struct board;
struct cluster_stats;
struct profile;
struct uarea;

#define BOARD_OUTPUT_MAX (64u * 1024) /* bytes kept of each stream of a process */
#define BOARD_ENDED_KEPT 256          /* ended processes remembered for wait/logs */
#define BOARD_NODE_ANY (-1)

struct board;

/* How serve mode's cluster threads are scheduled on the host. */
enum board_node_sched {
	BOARD_NODES_IDLE,   /* SCHED_IDLE: any other host task goes first */
	BOARD_NODES_NORMAL, /* the host's default policy */
};

struct board_config {
	const struct profile *prof;
	uint32_t memory;     /* per cluster; 0: the profile's */
	uint32_t quantum;    /* 0: the profile's */
	enum core_tier core; /* how harts run; CORE_TIER_DEFAULT: the build's best */
	uint64_t code_cache; /* host bytes for all translated code; 0: the profile's */
	uint64_t insn_limit; /* per process; 0: none */
	int host_console;    /* 1: guest fds 0-2 are the host's (run mode) */
	/* With host_console: each line of a process's output goes out whole,
	 * after "[node N] " (the node it started on), for several processes
	 * sharing a terminal (manycore run --nodes). */
	int console_prefix;
	FILE *log; /* fault and kill reports; may be NULL */
	/* Run mode: called between rounds for a process that reached its
	 * stop point (checkpoint_set_stop), frozen; may be NULL. */
	void (*on_stop)(void *ctx, struct board *b, uint32_t pid);
	void *stop_ctx;
	enum board_node_sched node_sched; /* serve mode */
};

enum board_state {
	BOARD_RUNNING = 1,
	BOARD_EXITED,
	BOARD_KILLED,
};

/* What the board knows of a process. */
struct board_proc_info {
	uint32_t pid;
	uint32_t node;
	uint32_t vnode;  /* its virtual node: where it started (docs/abi.md) */
	uint32_t ns_pid; /* the pid it sees (getpid) in its pid name space; 0: pid */
	char name[32];
	char app[32];     /* the application it belongs to ("": none) */
	int state;        /* enum board_state */
	int status;       /* exit status, or 128+signal when killed */
	int killed_by;    /* enum cluster_kill */
	uint32_t threads; /* live (running processes) */
	uint32_t pages;   /* user pages mapped */
	uint32_t uarea_bytes;
	uint64_t instret;
	uint64_t kernel_calls;
	uint64_t ikc_messages;
	uint64_t ikc_bytes;
	int has_fault; /* killed by a fault: the trap below */
	uint32_t fault_cause, fault_pc, fault_addr, fault_tid;
};

/* One cluster's figures. */
struct board_cluster_stats {
	uint32_t node;
	int io; /* an I/O cluster */
	uint32_t processes;
	uint64_t clock;    /* modelled cycles */
	uint64_t model_ns; /* the same, in ns */
	uint64_t rounds, turns;
	uint64_t instret; /* by processes that ran here */
	uint32_t user_kib_used, user_kib_limit;
	uint64_t name_hits, name_lookups;
	struct noc_stats noc; /* sent from this node */
};

struct board_stats {
	double host_seconds; /* since boot */
	uint64_t model_ns;   /* the furthest cluster clock */
	uint64_t spawned;
	uint32_t running;
	struct noc_stats noc; /* the whole board */
	uint32_t nclusters;
	struct board_cluster_stats *cluster; /* nclusters; free() it */
};

/* Post-copy pages a target pulls in the background between two of its
 * rounds with node threads (run mode: 1, so a run goes on long enough
 * meanwhile to touch pages not yet in). */
#define BOARD_PULL_BATCH 8u

/* Boots the board (clusters idle, no thread started). NULL on failure,
 * with the reason in err. */
struct board *board_new(const struct board_config *cfg, struct crerr *e);

/* Stops the cluster threads if started and frees everything. */
void board_free(struct board *b);

const struct profile *board_profile(const struct board *b);

/* How the board's harts run: CORE_TIER_INTERP or CORE_TIER_JIT. */
enum core_tier board_core(const struct board *b);

/* The pool the board's translated code takes its memory from. */
const struct codepool *board_code_pool(const struct board *b);

/* The UArea of pid, in run mode once runmode_run returned; else NULL. */
const struct uarea *board_uarea(struct board *b, uint32_t pid);

/* Serve mode: one host thread per cluster. 0 or -errno. */
int board_start(struct board *b);

/* Kills process pid (status 128+9, as SIGKILL). 0 or -ESRCH. */
int board_kill(struct board *b, uint32_t pid);

/* Info about pid, waiting until it ends if wait is set. 0 or -ESRCH.
 * A wait ends early with -EINTR when board_interrupt is called. */
int board_info(struct board *b, uint32_t pid, int wait, struct board_proc_info *out);

/* Every process known (running, and ended ones kept), by pid. *list is
 * malloc'd. 0 or -ENOMEM. */
int board_ps(struct board *b, struct board_proc_info **list, size_t *n);

/*
 * Copies output of pid's stream (1 stdout, 2 stderr) from byte *offset on
 * into buf (at most n bytes); returns bytes copied and moves *offset.
 * Bytes already dropped from the bounded buffer are skipped (*lost gets
 * how many). With follow, waits for output while the process runs.
 * Returns 0 at the end (process ended, all read), -ESRCH, or -EINTR.
 */
long board_output(struct board *b, uint32_t pid, int stream, uint64_t *offset, void *buf, size_t n,
                  int follow, uint64_t *lost);

/* Copies node's cluster counters into *cs. 0 or -EINVAL (no such node). */
int board_cluster_stats(struct board *b, uint32_t node, struct cluster_stats *cs);

/* Fills st (st->cluster malloc'd). 0 or -ENOMEM. */
int board_stats(struct board *b, struct board_stats *st);

/* Makes every wait of board_info and board_output, now and later, end
 * with -EINTR (the board is shutting down). */
void board_interrupt(struct board *b);

/* The I/O node that talks to crtool (streams go through it). */
#define BOARD_IO_NODE 0u

#endif /* BOARD_H */
