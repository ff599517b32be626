/*
 * migration.c - live migration on a board (see migration.h): the board's I/O
 * node asks the migration daemon of the process's node (kernel-hooks/
 * migd.h), which moves it cluster to cluster; the board only keeps its
 * records and waits for the answer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "migration"

#include "board/board.h"
#include "board/board_priv.h"
#include "board/bproc.h"
#include "board/migration.h"
#include "board/node.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "kernel/kcr.h"
#include "params/profile.h"

/* A request of the board waiting for the daemons' answers (board lock). */
struct bmig {
	uint32_t id;
	enum migd_stage stage; /* 0 until the first answer */
	int rc;
	struct migd_result r;
	char err[512];
	struct bmig *next;
};

/* pid now runs on to (the target's thread). */
static void migration_moved(void *ctx, uint32_t pid, uint32_t from, uint32_t to)
{
	struct board *b = ctx;
	struct bproc *p;

	pthread_mutex_lock(&b->lock);
	if ((p = bproc_find(b, pid))) {
		p->info.node = to;
		p->track_id = 0; /* dirty bits do not travel */
	}
	b->nodes[from].running--;
	b->nodes[to].running++;
	pthread_mutex_unlock(&b->lock);
}

static void migration_untracked(void *ctx, uint32_t pid)
{
	bproc_set_track(ctx, pid, 0);
}

/* A daemon answered request id (the I/O node's thread). */
static void migration_answered(void *ctx, uint32_t id, enum migd_stage stage, int rc,
                               const struct migd_result *r, const char *err)
{
	struct board *b = ctx;

	pthread_mutex_lock(&b->lock);
	for (struct bmig *w = b->migs; w; w = w->next)
		if (w->id == id) {
			w->stage = stage;
			w->rc = rc;
			w->r = *r;
			snprintf(w->err, sizeof(w->err), "%s", err);
			pthread_cond_broadcast(&b->cv);
			break;
		}
	pthread_mutex_unlock(&b->lock);
}

int migration_init(struct board *b)
{
	struct cluster **c = calloc(b->nnodes, sizeof(*c));
	struct migd_env env = { .noc = b->noc,
		                .profile = b->prof->name,
		                .portal_max = b->prof->portal_max,
		                .first_compute = profile_first_compute(b->prof),
		                .fault = b->fault.mig,
		                .answer_timeout_ns = b->node_timeout_ns,
		                .moved = migration_moved,
		                .untracked = migration_untracked,
		                .answered = migration_answered,
		                .ctx = b };

	if (!c)
		return -ENOMEM;
	for (uint32_t i = 0; i < b->nnodes; i++)
		c[i] = b->nodes[i].c;
	b->migd = migd_net_new(&env, c, b->nnodes);
	free(c);
	return b->migd ? 0 : -ENOMEM;
}

/* Waits until w has reached stage want: with node threads, as they
 * answer; in run mode, stepping the daemons (the processes stay put). */
static int migration_wait(struct board *b, struct bmig *w, enum migd_stage want)
{
	int did = 1;

	if (b->threaded) {
		while (w->stage < want && !b->stopping)
			pthread_cond_wait(&b->cv, &b->lock);
		return w->stage >= want ? 0 : -ECANCELED;
	}
	while (w->stage < want && did) {
		pthread_mutex_unlock(&b->lock);
		did = migd_step_all(b->migd);
		pthread_mutex_lock(&b->lock);
	}
	return w->stage >= want ? 0 : -ECANCELED;
}

int migration_run(struct board *b, uint32_t pid, uint32_t to, enum migd_mode mode,
                  uint32_t max_rounds, struct migd_result *r, struct crerr *e)
{
	uint64_t t0 = kcr_now_ns();
	struct bmig w = { 0 }, **pp;
	int from = bproc_node_of(b, pid, NULL), rc;
	/* In run mode a post-copy's pages follow as the board runs. */
	enum migd_stage want = !b->threaded && mode == MIGD_POST_COPY ? MIGD_RUNS : MIGD_DONE;

	memset(r, 0, sizeof(*r));
	/* The request goes to pid's node, whose daemon checks the rest. */
	if (from < 0)
		return crerr_fail(e, -ESRCH, "pid %u: no such running process", pid);
	r->from = (uint32_t)from;
	r->to = to;
	LOG_DEBUG("pid %u: node %d -> node %u, %s, asked of node %d's daemon", pid, from, to,
	          mode == MIGD_PRE_COPY    ? "pre-copy"
	          : mode == MIGD_POST_COPY ? "post-copy"
	                                   : "stop-copy",
	          from);
	pthread_mutex_lock(&b->lock);
	/* under the lock: the answer cannot come before w is listed */
	rc = migd_request(b->migd, BOARD_IO_NODE, pid, (uint32_t)from, to, mode, max_rounds, &w.id);
	if (rc < 0) {
		pthread_mutex_unlock(&b->lock);
		return crerr_fail(e, rc, "out of host memory");
	}
	w.next = b->migs;
	b->migs = &w;
	/* the nodes the move goes through take their turns at once */
	node_boost(b, BOARD_IO_NODE, 1);
	node_boost(b, (uint32_t)from, 1);
	node_boost(b, to, 1);
	rc = migration_wait(b, &w, want);
	node_boost(b, BOARD_IO_NODE, 0);
	node_boost(b, (uint32_t)from, 0);
	node_boost(b, to, 0);
	for (pp = &b->migs; *pp != &w; pp = &(*pp)->next)
		;
	*pp = w.next;
	pthread_mutex_unlock(&b->lock);
	if (rc < 0)
		return crerr_fail(e, rc, "the board stopped before node %d answered", from);
	*r = w.r;
	r->total_ns = kcr_now_ns() - t0;
	if (w.rc)
		return crerr_fail(e, w.rc, "%s", w.err);
	LOG_DEBUG("pid %u: on node %u after %.3f ms (downtime %.3f ms, %u rounds)", pid, to,
	          (double)r->total_ns / 1e6, (double)r->downtime_ns / 1e6, r->rounds);
	return 0;
}
