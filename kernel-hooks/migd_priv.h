/*
 * migd_priv.h - the state of the migration daemons, which migd.c (the
 * daemons and the requester), migsrc.c (a source's migrations) and
 * migdst.c (a target's) share: only data, and each daemon's own. A
 * daemon touches another's state never: what crosses between them is
 * the protocol's (migwire.h). Private to kernel-hooks/.
 */
#ifndef MIGD_PRIV_H
#define MIGD_PRIV_H

#include <pthread.h>
#include <stdint.h>

#include "images/imgchan.h"
#include "kernel-hooks/migd.h"
#include "kernel-hooks/migwire.h"
#include "kernel-hooks/postcopy.h"
#include "kernel-hooks/transfer.h"

/* A daemon polls for a message due in a migration's downtime this long. */
#define MIGD_WATCH_NS 1000000u

/* The states of a source's migration (migsrc.c). */
enum src_state {
	SRC_START,   /* asked: nothing done yet */
	SRC_PREPARE, /* the target told, waiting for READY */
	SRC_ROUND,   /* pre-copy: a round offered, waiting for TAKEN */
	SRC_LAST,    /* the last offered (pid frozen), waiting for RUNNING */
	SRC_LAND,    /* post-copy: it runs there, waiting for LANDED */
	SRC_STATES
};

/* A migration of one of this node's processes. */
struct migd_out {
	uint32_t id, via; /* the requester's request and node */
	int self;         /* asked by the process (kmigrate_to): via is here */
	uint64_t result;  /* where the requester's result lies (its node) */
	uint64_t reason;  /* and its reason buffer */
	uint32_t pid, to;
	enum migd_mode mode;
	uint32_t max_rounds;
	enum src_state st;
	int moved; /* it runs on the target: the source's copy is only a copy */
	uint64_t t_request, t_frozen;
	uint64_t t_prepare;         /* PREPARE sent: the target's READY is due */
	struct imgmem stream;       /* what the target reads, across the portal */
	uint32_t pages;             /* of the last capture */
	uint32_t last;              /* pre-copy: pages of the round before */
	uint64_t parent_id;         /* pre-copy: the last round's set; 0 none */
	uint64_t set_id;            /* of the last capture */
	struct imgset *spent;       /* the last capture, freed once the stream is read */
	uint64_t stop_at;           /* the process's stop point, which travels */
	struct postcopy_table lazy; /* post-copy: the pages left behind */
	struct migd_result r;
	char err[MIGWIRE_REASON]; /* why it failed (a target writes it across the portal) */
	struct migd_out *next;
};

/* The states of a target's migration (migdst.c). */
enum dst_state {
	DST_READY,   /* said READY: the stream is due */
	DST_ROUNDS,  /* pre-copy: rounds landed ahead */
	DST_LANDING, /* post-copy: it runs here, its pages coming */
	DST_STATES
};

/* A migration to this node that spans messages. */
struct migd_in {
	uint32_t pid, from, id;
	enum migd_mode mode;
	enum dst_state st;
	uint64_t watch_until;        /* its next stream is due before (host ns) */
	struct transfer t;           /* the streams' portal reads and page moves */
	struct pages_rounds *rounds; /* pre-copy: the rounds taken so far, landed */
	struct postcopy *pc;         /* post-copy: the pages still to land */
	int landed;                  /* post-copy: LANDED was sent */
	struct migd_in *next;
};

struct migd {
	struct migd_net *m;
	struct cluster *c;
	uint32_t node;
	pthread_mutex_t lock; /* out: migd_moving looks from any thread */
	struct migd_out *out;
	struct migd_in *in; /* this node's thread only */
	int hung;           /* fault injected: this node stopped answering */
};

/* A request of the board's, waiting for its answers: where the source
 * writes its figures and reason. */
struct migd_ask {
	uint32_t id;
	struct migd_result r[2]; /* at RUNS, at DONE */
	char err[MIGWIRE_REASON];
	struct migd_ask *next;
};

struct migd_net {
	struct migd_env env;
	uint32_t n;
	uint32_t pace;        /* post-copy pages a target pulls a step */
	struct migd *d;       /* by node */
	pthread_mutex_t lock; /* asks, next_id */
	struct migd_ask *asks;
	uint32_t next_id;
};

#endif /* MIGD_PRIV_H */
