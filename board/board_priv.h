/*
 * board_priv.h - the state of a board, which its files share: the board
 * itself and its nodes. Only data: what each file offers the others is
 * in the header named after it. Private to board/.
 */
#ifndef BOARD_PRIV_H
#define BOARD_PRIV_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "board/board.h"
#include "board/faults.h"
#include "core/codepool.h"

struct bnode;
struct bmig;

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
	uint32_t boosts;        /* migrations under way through it (board lock) */
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
	struct bmig *migs;         /* migrations waiting for answers (migration.c) */
	struct board_faults fault; /* injected (MANYCORE_FAULT) */
	uint32_t spawn_tries;      /* spawns asked for, for fault.spawn_fail */
	uint64_t node_timeout_ns;  /* a node silent this long is lost (MANYCORE_NODE_TIMEOUT_MS) */
	struct codepool code_pool; /* the bound of every cluster's translated code */
};

#endif /* BOARD_PRIV_H */
