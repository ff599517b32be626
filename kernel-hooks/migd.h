/*
 * migd.h - the migration daemon of every cluster (design.md §5): it moves
 * a running process from its cluster to another, kernel to kernel, with
 * control messages over the kernel's mailboxes (MAILBOX_KS_MIGRATE) and
 * data over its portals: the image stream (the capture, encoder and
 * decoder of a dump and a restore), post-copy pages and reports. No disk
 * and no crtool in the data path.
 *
 * A migration is a message protocol between the daemons of its source
 * and its target (migwire.h draws it): the source's state machine is
 * migsrc.c, the target's migdst.c. The requester is the board's I/O
 * node speaking for crtool (migd_request), or the process itself
 * (kmigrate_to, through kcr_set_migrate), whose waiting threads get the
 * outcome.
 *
 * Each daemon runs on its cluster's host thread between the cluster's
 * rounds (migd_step). Daemons share nothing but the NoC: its messages,
 * and the memory its portal moves (a stream, a table of pages, a
 * reason) where a message says it lies.
 */
#ifndef MIGD_H
#define MIGD_H

#include <stdint.h>

#include "kernel/kcr.h"

struct noc;
struct migd_net;

/* The modes, numbered as kmigrate_to's NV_MIGRATE_*. */
enum migd_mode {
	MIGD_STOP_COPY = 0, /* freeze, send everything, resume there */
	MIGD_PRE_COPY,      /* rounds of pages while it runs, then stop-copy the rest */
	MIGD_POST_COPY,     /* UArea and stacks, resume there, pages follow */
};

/* Pre-copy rounds at most when none is asked for. */
#define MIGD_ROUNDS 8u

/* A pre-copy round's pages fewer than this, or not fewer than the last
 * round's: the rest goes frozen. */
#define MIGD_PRE_SMALL 16u

/* What a migration did. Host times from the source's clock reads. */
struct migd_result {
	uint32_t from, to;
	uint64_t freeze_ns;   /* host: request to every thread stopped */
	uint64_t downtime_ns; /* host: frozen on from to runnable on to */
	uint64_t total_ns;    /* host: the request to the answer, timed by the
	                         requester (migration_run; the daemons leave 0) */
	uint64_t bytes;       /* of the stream (and post-copy pages), across the NoC */
	uint32_t pages;       /* pages sent */
	uint32_t rounds;      /* rounds of pages sent */
	uint64_t model_ns;    /* the NoC model's time for them */
	/* post-copy: the pages that followed (also in bytes, pages, model_ns) */
	uint32_t lazy_pages; /* left on the source at the move */
	uint32_t faults;     /* of which fetched when the target touched them */
	uint32_t pushed;     /* of which pushed by the source */
	uint32_t lost;       /* of which lost with the source */
};

/* Faults injected at named points (docs/kernel.md, "Fault injection"). */
struct migd_faults {
	uint32_t transfer_fail;     /* a stream's portal write number N fails (0: none) */
	int target_lost;            /* the target stops answering before it commits */
	int source_lost;            /* a post-copy's source fails ... */
	uint32_t source_lost_after; /* ... once this many pages have left it */
	uint32_t noc_drop;          /* a stream's portal write number N is lost (0: none) */
	uint32_t noc_corrupt;       /* ... lands with a byte changed */
	uint32_t noc_delay_ns;      /* every portal write of a stream is late by this */
	uint32_t hang_node;         /* node + 1 stops answering once a move targets it */
};

/* The stages a requester hears of. */
enum migd_stage {
	MIGD_RUNS = 1, /* post-copy: it runs on the target, pages follow */
	MIGD_DONE,     /* finished (rc 0: moved, source copy freed) or failed */
};

/* What the daemons need of the board they run on. */
struct migd_env {
	struct noc *noc;
	const char *profile;    /* the board profile's name */
	uint32_t portal_max;    /* bytes of one portal write */
	uint32_t first_compute; /* nodes first_compute .. n-1 run processes */
	struct migd_faults fault;
	uint64_t answer_timeout_ns; /* a source waits this long for a target's READY; 0: for ever */
	/* pid now runs on node to (the target's thread, at once after the
	 * commit, before it runs there). */
	void (*moved)(void *ctx, uint32_t pid, uint32_t from, uint32_t to);
	/* A pre-copy round cleared pid's dirty bits: a capture that relied on
	 * them can no longer (the source's thread). */
	void (*untracked)(void *ctx, uint32_t pid);
	/* Request id (migd_request) reached stage with rc (0 or -errno), its
	 * figures so far and, if it failed, why (the requester node's
	 * thread). */
	void (*answered)(void *ctx, uint32_t id, enum migd_stage stage, int rc,
	                 const struct migd_result *r, const char *err);
	void *ctx;
};

/* The daemons of clusters c[0 .. n-1] (node i is c[i]), each also
 * serving its cluster's kmigrate_to. NULL if out of memory. */
struct migd_net *migd_net_new(const struct migd_env *env, struct cluster *const *c, uint32_t n);

/* Frees the daemons and whatever migrations they still hold, after the
 * clusters have stopped running (and may be gone). NULL is ignored. */
void migd_net_free(struct migd_net *m);

/* Post-copy pages a source pushes in one step (1 at first: a board
 * driven by one thread gives its processes time to touch pages between). */
void migd_set_pace(struct migd_net *m, uint32_t pages);

/* Node's daemon, on node's thread between two rounds of its cluster:
 * takes its messages and moves its migrations on. Returns 1 if it did
 * anything (more may follow at once), 0 if it waits for messages. */
int migd_step(struct migd_net *m, uint32_t node);

/* 1 when migd_step would do nothing now: no migration in or out of node
 * and no message for its daemon. */
int migd_idle(struct migd_net *m, uint32_t node);

/* 1 if node's daemon expects a message soon in a migration's downtime
 * (a stream a source said would come, or the word of a target on a
 * process frozen here): its thread should poll for messages rather than
 * sleep, since a host thread's wake-up (tens of microseconds) would fall
 * in the downtime. Node's thread. */
int migd_watching(struct migd_net *m, uint32_t node);

/* The host time (CLOCK_MONOTONIC ns) by which node's daemon must step
 * again even if nothing wakes it (a target's answer falls due); 0: none. */
uint64_t migd_deadline(struct migd_net *m, uint32_t node);

/* Has node stopped answering (fault injected, node-hang)? Its thread
 * then does nothing more until the board stops. */
int migd_hung(struct migd_net *m, uint32_t node);

/* Every node's daemon steps once, in node order, on the one thread that
 * drives the board (run mode, tests): 1 if any did anything. */
int migd_step_all(struct migd_net *m);

/* 1 if a daemon is moving pid and it does not run on its target yet
 * (its source's copy is the process): a dump must wait. Any thread; on
 * pid's node's thread the answer holds until that thread steps again. */
int migd_moving(struct migd_net *m, uint32_t pid);

/*
 * Asks, from node via (the board's I/O node), node from's daemon to move
 * pid to node to in mode (pre-copy: at most max_rounds rounds, 0:
 * MIGD_ROUNDS); the answers come to env.answered with *id. Any thread.
 * 0, or -ENOMEM (nothing was sent).
 */
int migd_request(struct migd_net *m, uint32_t via, uint32_t pid, uint32_t from, uint32_t to,
                 enum migd_mode mode, uint32_t max_rounds, uint32_t *id);

#endif /* MIGD_H */
