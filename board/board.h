/*
 * board.h - a board: every cluster of a profile on one NoC, the
 * board-wide process table, and two ways to drive it.
 *
 * Run mode (board_run): one host thread steps every cluster a round in
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
	uint64_t insn_limit; /* per process; 0: none */
	int host_console;    /* 1: guest fds 0-2 are the host's (run mode) */
	FILE *log;           /* fault and kill reports; may be NULL */
	/* Run mode: called between rounds for a process that reached its
	 * stop point (board_set_stop), frozen; may be NULL. */
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
	char name[32];
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

/* Boots the board (clusters idle, no thread started). NULL on failure,
 * with the reason in err. */
struct board *board_new(const struct board_config *cfg, char *err, size_t errlen);

/* Stops the cluster threads if started and frees everything. */
void board_free(struct board *b);

const struct profile *board_profile(const struct board *b);

/*
 * Starts process img (len bytes) with argv, envp on node (or
 * BOARD_NODE_ANY: the compute cluster running fewest processes). Sets
 * *pid. Returns 0; -EINVAL (no such node); -EAGAIN (the cluster runs
 * its limit of processes); -ENOEXEC, -E2BIG, -ENOMEM as cluster_spawn;
 * err says what went wrong.
 */
int board_spawn(struct board *b, int node, const uint8_t *img, size_t len, char *const argv[],
                char *const envp[], uint32_t *pid, char *err, size_t errlen);

/* Run mode: runs until every process has ended; processes left blocked
 * for good are killed (KILL_DEADLOCK), their threads listed on the log.
 * Not with board_start. */
void board_run(struct board *b);

/* The UArea of pid, in run mode once board_run returned; else NULL. */
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

/* ---- checkpoint and restore (checkpoint.c) ---- */

struct imgchan;

struct board_dump_opts {
	int pre_dump;           /* pages only; the process runs on */
	int leave_running;      /* a dump: thaw it after, rather than end it */
	int track_mem;          /* clean dirty bits: a later dump may name this one as parent */
	uint64_t parent_id;     /* 0: none; else the pid's last tracked capture */
	const char *parent_dir; /* the parent's directory, relative to the new one */
	int level;              /* zstd level of the pages; 0: raw */
};

struct board_dump_result {
	uint32_t node;      /* where the process ran */
	uint64_t id;        /* of the image set */
	uint64_t freeze_ns; /* host: request to every thread stopped */
	uint64_t frozen_ns; /* host: stopped until thawed or ended */
	uint64_t stream_bytes;
	uint64_t model_ns; /* the NoC model's time for the stream */
};

/*
 * Checkpoints process pid: freezes it between two instructions, captures
 * it, and streams the image set over the NoC's kernel portal from its
 * node to the I/O node, which writes each file of the set to files[k]
 * (IMGKIND_COUNT descriptors, by kind, open for writing; the kinds a set
 * does not have are left empty). Then commit(ctx, bytes written) says if
 * the images are stored (0) or not (a negative errno): once stored, a
 * dump ends the process (killed_by "dumped") unless leave_running; a
 * pre-dump runs on in any case (thawed as soon as its pages are copied);
 * if anything fails the process runs on as before and the error is
 * returned. Errors: -ESRCH (no such running process), -ESTALE (parent_id
 * is not its last tracked capture), -ENOMEM, or what out or commit gave;
 * err says what happened.
 */
int board_dump(struct board *b, uint32_t pid, const struct board_dump_opts *o, const int *files,
               int (*commit)(void *ctx, uint64_t stream_bytes), void *ctx,
               struct board_dump_result *r, char *err, size_t errlen);

struct board_restore_result {
	uint32_t pid, node;
	uint64_t stream_bytes;
	uint64_t model_ns;   /* the NoC model's time for the stream */
	uint64_t restore_ns; /* host: decoding, checking and rebuilding */
};

/*
 * Restores the image set whose stream is the contents of files (n
 * descriptors, read back to back: a dump set that stands alone, see
 * imgchain_stream_files; at most BOARD_RESTORE_MAX bytes) on node
 * (BOARD_NODE_ANY: the compute cluster running fewest processes). The
 * I/O node maps the files; the node reads the set from there over the
 * kernel portal and validates all of it against itself and its profile
 * before it takes anything, then maps the process's pages and has each
 * block of pages.img moved by the portal straight into its frames,
 * checked as it lands; then thaws the process. The pid is the image's,
 * or with new_pid a fresh one. All or nothing. Errors: -EINVAL (no such
 * node), -EBADF (a descriptor is not a readable file), -EFBIG (too
 * large), -EBADMSG (the stream is not a valid image set), -EPROTO (it
 * does not fit this board: profile, layout), -EEXIST (pid in use),
 * -EAGAIN (the node runs its limit of processes), -ENOMEM, -ENOSPC (no
 * free NoC endpoints).
 */
int board_restore(struct board *b, int node, const int *files, size_t n, int new_pid,
                  struct board_restore_result *r, char *err, size_t errlen);

/* Bytes a restore stream may have. */
#define BOARD_RESTORE_MAX (1ull << 30)

/* Migration modes and figures: the migration daemons' (kernel-hooks/migd.h). */

/*
 * Moves running process pid to compute node to: the request goes from
 * the board's I/O node to the migration daemon of pid's node, which moves
 * it to to's daemon cluster to cluster over the NoC, no files and no
 * crtool in the data path (kernel-hooks/migd.h): the same capture and
 * image stream as a dump, read and checked on to, each page block moved
 * into the new frames there. Pre-copy sends rounds of its pages while it
 * runs first, at most max_rounds (0: MIGD_ROUNDS), until few are written
 * between two rounds; then the rest as stop-copy. Post-copy sends its
 * UArea and the pages of its stacks, and it runs on to at once; the
 * other pages follow (kernel-hooks/postcopy.h), and the source's copy is
 * freed once they are all there. The target takes over the process's NoC
 * presence, with whatever was queued for it meanwhile, and the name
 * service learns the new node; it runs there, and only then is the
 * source's copy freed. With node threads this returns when the whole
 * move is over, with its figures; in run mode as soon as the process
 * runs on to (post-copy's pages follow as the board runs). If anything
 * fails before it runs there, it runs on where it was, nothing lost.
 * Errors: -ESRCH (no such running process), -EINVAL (to is not a compute
 * node or is where pid runs), -EBUSY (pid is being migrated already),
 * -EAGAIN (to runs its limit of processes), -ENOMEM (not enough memory
 * there), -ENOSPC (no free NoC endpoints there), -EPROTO (the process
 * does not fit to), -EIO (a transfer failed), -EHOSTDOWN (a node was
 * lost), -ECANCELED (the board stopped); err says what happened.
 */
int board_migrate(struct board *b, uint32_t pid, uint32_t to, enum migd_mode mode,
                  uint32_t max_rounds, struct migd_result *r, char *err, size_t errlen);

/* Freezes pid once it has retired insns instructions (a checkpoint point;
 * run mode calls cfg.on_stop then). 0 or -ESRCH. */
int board_set_stop(struct board *b, uint32_t pid, uint64_t insns);

/* Thaws a frozen process. 0 or -ESRCH. */
int board_thaw(struct board *b, uint32_t pid);

/* The I/O node that talks to crtool (streams go through it). */
#define BOARD_IO_NODE 0u

#endif /* BOARD_H */
