/*
 * board_priv.h - what board.c shares with the other parts of the board
 * (checkpoint.c): the process table, the nodes and their command queues.
 * Not for use outside manycore/board/.
 */
#ifndef BOARD_PRIV_H
#define BOARD_PRIV_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "board/board.h"

/* A bounded output stream: the last BOARD_OUTPUT_MAX bytes, as a ring. */
struct bout {
	uint8_t *buf;
	uint32_t len;   /* bytes held, <= BOARD_OUTPUT_MAX */
	uint32_t head;  /* index of the oldest byte held */
	uint64_t total; /* bytes ever written */
};

struct bproc {
	struct board_proc_info info;
	struct bout out[2]; /* stdout, stderr */
	/* The image set id of the last capture that cleaned its dirty bits
	 * (pre-dump, dump --track-mem), while nothing else did: an
	 * incremental dump may name it as parent. 0: none. */
	uint64_t track_id;
};

struct bnode;
struct bmig;

/* The faults injected on a board (MANYCORE_FAULT, docs/kernel.md). */
struct board_faults {
	struct migd_faults mig;    /* the daemons' */
	uint32_t build_frame_fail; /* the N-th frame of a cluster's build fails (cluster.h) */
	uint32_t image_write_at;   /* a dump's image write number N fails (0: none) */
	int image_write_err;       /* ... with this errno (ENOSPC, EIO) */
	int image_write_short;     /* ... after writing half of it */
};

/* Parses spec, a comma-separated list of fault points (docs/kernel.md,
 * "Fault injection"), into f. 0, or -EINVAL with err saying why. */
int board_faults_parse(const char *spec, struct board_faults *f, char *err, size_t errlen);

/* A request run by a node's own thread between two rounds. */
struct bcmd {
	int (*fn)(struct board *b, struct bnode *nd, void *arg);
	void *arg;
	int rc;
	int done;
	struct bcmd *next;
};

struct bnode {
	struct board *b;
	struct cluster *c;
	uint32_t node;
	pthread_t thread;
	int started;
	pthread_mutex_t lock; /* wake, cmds */
	pthread_cond_t cv;
	int wake;
	struct bcmd *cmds;
	int lost;               /* a call found it not answering (board lock) */
	uint32_t running;       /* processes running here (board lock) */
	uint64_t instret_ended; /* of processes that ended here (board lock) */
};

struct board {
	struct board_config cfg;
	const struct profile *prof;
	struct noc *noc;
	uint32_t nnodes;
	struct bnode *nodes;
	pthread_mutex_t lock;
	pthread_cond_t cv;    /* a process ended, output came, a command is done */
	struct bproc **procs; /* by pid, ascending */
	size_t nprocs, cap, nended;
	uint32_t next_pid;
	uint64_t spawned;
	int threaded;
	int stopping;
	int interrupted;   /* board_interrupt was called: waits end */
	uint32_t *stopped; /* run mode: pids frozen at their stop point */
	uint32_t nstopped, stopped_cap;
	struct timespec boot;
	struct migd_net *migd;     /* the clusters' migration daemons */
	struct bmig *migs;         /* migrations waiting for answers (migrate.c) */
	struct board_faults fault; /* injected (MANYCORE_FAULT) */
	uint64_t node_timeout_ns;  /* a node silent this long is lost (MANYCORE_NODE_TIMEOUT_MS) */
};

/* The process record of pid, or NULL; board lock held. */
struct bproc *board_find(struct board *b, uint32_t pid);

/* Adds record p to the table, in pid order. 0 or -ENOMEM. Board lock held. */
int board_insert(struct board *b, struct bproc *p);

/* Takes record p out of the table and frees it. Board lock held. */
void board_remove(struct board *b, struct bproc *p);

/* Frees a record. NULL is ignored. */
void board_proc_free(struct bproc *p);

/* Forgets the oldest ended processes beyond BOARD_ENDED_KEPT; board lock. */
void board_prune(struct board *b);

/* Runs fn on node's thread (directly in run mode) and returns its code. */
int board_call(struct board *b, uint32_t node, int (*fn)(struct board *, struct bnode *, void *),
               void *arg);

/* ---- shared by checkpoint.c and migrate.c ---- */

/* Host monotonic time in ns. */
uint64_t board_now_ns(void);

/* Node of running process pid (and its last tracked capture), or -ESRCH. */
int board_node_of(struct board *b, uint32_t pid, uint64_t *track_id);

/* Sets pid's last tracked capture (0: none). */
void board_set_track(struct board *b, uint32_t pid, uint64_t id);

/* Wakes node's thread (it sleeps when it has nothing to run). */
void board_wake(struct board *b, uint32_t node);

/* Post-copy pages a source pushes between two of its rounds with node
 * threads (run mode: 1, so a run goes on long enough meanwhile to touch
 * pages not yet in). */
#define BOARD_PUSH_BATCH 8u

/* Starts the clusters' migration daemons (b->migd). 0 or -ENOMEM. */
int board_migrate_init(struct board *b);

#endif /* BOARD_PRIV_H */
