/*
 * appcr.c - checkpoints of a group of processes (see appcr.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board/appcr.h"
#include "board/board.h"
#include "board/board_priv.h"
#include "board/node.h"
#include "board/rebuild.h"
#include "diag/crerr.h"
#include "kernel/kcr.h"
#include "params/profile.h"

/* ---- together ---- */

/*
 * An act done to every member at one instant of the group: each node
 * holding members parks at a barrier between two of its rounds; the last
 * to park does the act to every member, while the other nodes' threads
 * wait in the barrier holding nothing of their clusters (the board lock
 * orders their last step before it and their next after it), and none
 * goes on until all is done. So no member runs between the first act
 * and the last, and the acts follow one another at host speed.
 */
struct appcr_barrier {
	size_t k;                 /* nodes taking part */
	size_t arrived;           /* parked so far (board lock) */
	int done;                 /* every member acted on (board lock) */
	struct appcr_park *parks; /* the k nodes' parts */
	int abort;                /* a node did not come in time: nobody acts */
	uint64_t timeout;         /* ns a node waits for the others */
	int (*act)(struct board *, struct bnode *, void *);
};

/* One node's part: its members, and when each was acted on. */
struct appcr_park {
	struct appcr_barrier *bar;
	void **m;
	uint64_t *at;
	size_t n;
	size_t failed;    /* the index of the member whose act failed */
	struct bnode *nd; /* its node, once parked */
	int rc;           /* its members' acts */
};

/* Acts on pk's members (on node nd). */
static int appcr_act(struct board *b, struct bnode *nd, struct appcr_park *pk)
{
	int rc = 0;

	for (size_t i = 0; i < pk->n && rc == 0; i++) {
		if ((rc = pk->bar->act(b, nd, pk->m[i])))
			pk->failed = i;
		pk->at[i] = kcr_now_ns();
	}
	return rc;
}

static int appcr_do_park(struct board *b, struct bnode *nd, void *arg)
{
	struct appcr_park *pk = arg;
	struct appcr_barrier *bar = pk->bar;
	struct timespec until;
	int rc = 0;

	if (!b->threaded)
		return appcr_act(b, nd, pk); /* run mode: nothing else runs */
	until = node_realtime_in(bar->timeout);
	pthread_mutex_lock(&b->lock);
	pk->nd = nd;
	if (++bar->arrived == bar->k) {
		/* The last to park acts for all: every other node's thread
		 * waits below, holding nothing of its cluster, so none runs
		 * until all is done, and the acts follow one another at once
		 * instead of waiting for each thread to get a host core. */
		pthread_mutex_unlock(&b->lock);
		for (size_t j = 0; j < bar->k; j++)
			bar->parks[j].rc = appcr_act(b, bar->parks[j].nd, &bar->parks[j]);
		pthread_mutex_lock(&b->lock);
		bar->done = 1;
		pthread_cond_broadcast(&b->cv);
	}
	while (!bar->abort && !bar->done)
		if (pthread_cond_timedwait(&b->cv, &b->lock, &until) == ETIMEDOUT &&
		    bar->arrived < bar->k) {
			bar->abort = 1; /* a node did not come: nobody acts */
			pthread_cond_broadcast(&b->cv);
		}
	rc = bar->abort ? -EHOSTDOWN : pk->rc;
	pthread_mutex_unlock(&b->lock);
	return rc;
}

/*
 * Does act to the n members m (on node node_of(m[i])) together, as
 * above; *spread_ns gets the host time from the first act to the last.
 * 0, or the first failure: *bad is then the member whose act failed
 * (or -1 if a node did not come: -EHOSTDOWN), and others may have been
 * acted on.
 */
static int appcr_together(struct board *b, void *const *m, size_t n,
                          uint32_t (*node_of)(const void *),
                          int (*act)(struct board *, struct bnode *, void *), uint64_t *spread_ns,
                          long *bad)
{
	struct appcr_park *pk = calloc(n ? n : 1, sizeof(*pk));
	void **by = calloc(n ? n : 1, sizeof(*by));
	size_t *idx = calloc(n ? n : 1, sizeof(*idx));
	uint64_t *at = calloc(n ? n : 1, sizeof(*at));
	uint32_t *nodes = calloc(n ? n : 1, sizeof(*nodes));
	void **args = calloc(n ? n : 1, sizeof(*args));
	int *rcs = calloc(n ? n : 1, sizeof(*rcs)), rc = 0;
	struct appcr_barrier bar = { 0, 0, 0, NULL, 0, b->node_timeout_ns, act };
	uint64_t first = UINT64_MAX, last = 0;
	size_t used = 0;

	*bad = -1;
	*spread_ns = 0;
	if (!pk || !by || !idx || !at || !nodes || !args || !rcs) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t node = node_of(m[i]);
		size_t j = 0;
		while (j < bar.k && nodes[j] != node)
			j++;
		if (j == bar.k)
			nodes[bar.k++] = node;
	}
	/* members grouped by node, in their order */
	for (size_t j = 0; j < bar.k; j++) {
		pk[j] = (struct appcr_park){ &bar, by + used, at + used, 0, 0, NULL, 0 };
		for (size_t i = 0; i < n; i++)
			if (node_of(m[i]) == nodes[j]) {
				idx[used + pk[j].n] = i;
				by[used + pk[j].n++] = m[i];
			}
		used += pk[j].n;
		args[j] = &pk[j];
	}
	bar.parks = pk;
	node_call_many(b, bar.k, nodes, appcr_do_park, args, rcs);
	for (size_t j = 0; j < bar.k && rc == 0; j++)
		if ((rc = rcs[j]) && rc != -EHOSTDOWN)
			*bad = (long)idx[pk[j].m - by + pk[j].failed];
	for (size_t i = 0; i < n && rc == 0; i++) {
		first = at[i] < first ? at[i] : first;
		last = at[i] > last ? at[i] : last;
	}
	if (rc == 0 && n)
		*spread_ns = last - first;
out:
	free(pk);
	free(by);
	free(idx);
	free(at);
	free(nodes);
	free(args);
	free(rcs);
	return rc;
}

/* A member of a dump or of a restore, as appcr_each reaches it. */
struct appcr_member_ops {
	uint32_t (*node)(const void *m);
	struct crerr *(*err)(void *m);
	uint32_t (*pid)(const void *m); /* NULL: its sentences name it already */
};

/* Runs fn on every member's node, all at once; the first error (its
 * member's sentence) into e unless e has one. */
static int appcr_each(struct board *b, void *const *m, size_t n, const struct appcr_member_ops *ops,
                      int (*fn)(struct board *, struct bnode *, void *), struct crerr *e)
{
	uint32_t *nodes = calloc(n ? n : 1, sizeof(*nodes));
	int *rcs = calloc(n ? n : 1, sizeof(*rcs)), rc = 0;

	if (!nodes || !rcs) {
		free(nodes);
		free(rcs);
		return crerr_fail(e, -ENOMEM, "out of host memory");
	}
	for (size_t i = 0; i < n; i++)
		nodes[i] = ops->node(m[i]);
	node_call_many(b, n, nodes, fn, m, rcs);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct crerr *me = ops->err(m[i]);
		if (!(rc = rcs[i]) || e->count)
			continue;
		if (me->count && ops->pid)
			crerr_fail(e, me->code, "pid %u on node %u: %s", ops->pid(m[i]), nodes[i],
			           me->msg);
		else if (me->count)
			crerr_fail(e, me->code, "%s", me->msg);
		else if (rc == -EHOSTDOWN)
			crerr_fail(e, rc, "node %u does not answer (taken as lost)", nodes[i]);
		else
			crerr_fail(e, rc, "node %u: %s", nodes[i], strerror(-rc));
	}
	free(nodes);
	free(rcs);
	return rc;
}

/* ---- dump ---- */

static uint32_t appcr_dump_node(const void *m)
{
	return checkpoint_member_node(m);
}

static struct crerr *appcr_dump_err(void *m)
{
	return checkpoint_member_err(m);
}

static const struct appcr_member_ops appcr_dump_ops = { appcr_dump_node, appcr_dump_err, NULL };

static int appcr_freeze(struct board *b, struct bnode *nd, void *m)
{
	return checkpoint_member_freeze(b, nd, m);
}

/* Freezes every member at one cut: 0, or the first error (said in e),
 * some members frozen (checkpoint_member_end thaws them). */
static int appcr_cut(struct board *b, struct checkpoint_member **m, size_t n, uint64_t *cut_ns,
                     struct crerr *e)
{
	long bad;
	int rc =
		appcr_together(b, (void *const *)m, n, appcr_dump_node, appcr_freeze, cut_ns, &bad);

	if (rc == 0)
		return 0;
	if (bad >= 0 && checkpoint_member_err(m[bad])->count)
		return crerr_fail(e, rc, "%s", checkpoint_member_err(m[bad])->msg);
	if (rc == -EHOSTDOWN)
		return crerr_fail(e, rc,
		                  "the group's nodes did not all stop for the cut within %.1f s "
		                  "(a node is lost)",
		                  b->node_timeout_ns / 1e9);
	return crerr_fail(e, rc, "the cut failed: %s", strerror(-rc));
}

int appcr_dump(struct board *b, const uint32_t *pids, size_t n, const struct appcr_dump_opts *o,
               const int (*files)[IMGKIND_COUNT], int (*commit)(void *ctx, uint64_t stream_bytes),
               void *ctx, struct appcr_dump_result *r, struct crerr *e)
{
	struct checkpoint_member **m = calloc(n ? n : 1, sizeof(*m));
	struct checkpoint_dump_opts *mo = calloc(n ? n : 1, sizeof(*mo));
	uint64_t spread;
	size_t k;
	long bad;
	int rc = 0, rc2, ok;

	r->cut_ns = r->stream_bytes = 0;
	if (!m || !mo) {
		rc = crerr_fail(e, -ENOMEM, "out of host memory");
		goto out;
	}
	if (!n)
		rc = crerr_fail(e, -EINVAL, "a group dump names at least one process");
	for (size_t i = 0; i < n && rc == 0; i++)
		for (size_t j = 0; j < i; j++)
			if (pids[j] == pids[i])
				rc = crerr_fail(e, -EINVAL, "pid %u is listed twice", pids[i]);
	for (size_t i = 0; i < n && rc == 0; i++) {
		mo[i] = o->base;
		mo[i].parent_id = o->parent_ids ? o->parent_ids[i] : 0;
		mo[i].parent_dir = o->parent_dirs ? o->parent_dirs[i] : NULL;
		rc = checkpoint_member_new(b, pids[i], &mo[i], files[i], &m[i], e);
	}
	if (rc == 0 && !o->base.pre_dump)
		rc = appcr_cut(b, m, n, &r->cut_ns, e);
	if (rc == 0)
		rc = appcr_each(b, (void *const *)m, n, &appcr_dump_ops, checkpoint_member_capture,
		                e);
	for (size_t i = 0; i < n && m[i]; i++)
		r->stream_bytes += checkpoint_member_stream_bytes(m[i]);
	if (rc == 0 && (rc = commit(ctx, r->stream_bytes)) < 0 && !e->count)
		crerr_fail(e, rc, "the images were not stored");
	/* Stored: a dump ends them all, unless they run on. Not: every
	 * member frozen runs on as before. */
	ok = rc == 0;
	for (size_t i = 0; i < n && m[i]; i++)
		checkpoint_member_set_end(m[i], ok,
		                          ok && !o->base.pre_dump && !o->base.leave_running);
	for (k = 0; k < n && m[k];)
		k++;
	/* together, as they were frozen: once one runs again, it competes
	 * with the others' nodes for the host's cores */
	rc2 = appcr_together(b, (void *const *)m, k, appcr_dump_node, checkpoint_member_end,
	                     &spread, &bad);
	if (rc == 0 && rc2)
		rc = crerr_fail(e, rc2, "ending or thawing the members failed: %s",
		                bad >= 0 && checkpoint_member_err(m[bad])->count
		                        ? checkpoint_member_err(m[bad])->msg
		                        : strerror(-rc2));
out:
	for (size_t i = 0; m && i < n; i++)
		checkpoint_member_free(m[i], r->m ? &r->m[i] : NULL);
	free(m);
	free(mo);
	return rc;
}

/* ---- restore ---- */

static uint32_t appcr_restore_node(const void *m)
{
	return rebuild_member_node(m);
}

static struct crerr *appcr_restore_err(void *m)
{
	return rebuild_member_err(m);
}

static uint32_t appcr_restore_pid(const void *m)
{
	return rebuild_member_pid(m);
}

static const struct appcr_member_ops appcr_restore_ops = { appcr_restore_node, appcr_restore_err,
	                                                   appcr_restore_pid };

/* Where each member goes: nodes[i], or for BOARD_NODE_ANY the compute
 * cluster running fewest, counting the members placed before it; each
 * node's processes within its limit. 0, or -EINVAL / -EAGAIN said. */
static int appcr_place(struct board *b, size_t n, const int *nodes, uint32_t *at, struct crerr *e)
{
	uint32_t *placed = calloc(b->nnodes, sizeof(*placed));
	uint32_t max = b->prof->processes_per_cluster;
	int rc = 0;

	if (!placed)
		return crerr_fail(e, -ENOMEM, "out of host memory");
	pthread_mutex_lock(&b->lock);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((rc = node_check(b, nodes[i], e)) < 0)
			break;
		if (nodes[i] == BOARD_NODE_ANY) {
			uint32_t best = profile_first_compute(b->prof);
			for (uint32_t k = best; k < b->nnodes; k++)
				if (b->nodes[k].running + placed[k] <
				    b->nodes[best].running + placed[best])
					best = k;
			at[i] = best;
		} else {
			at[i] = (uint32_t)nodes[i];
		}
		if (b->nodes[at[i]].running + ++placed[at[i]] > max)
			rc = crerr_fail(e, -EAGAIN,
			                "node %u would run %u processes with the group's; it runs "
			                "at most %u",
			                at[i], b->nodes[at[i]].running + placed[at[i]], max);
	}
	pthread_mutex_unlock(&b->lock);
	free(placed);
	return rc;
}

int appcr_restore(struct board *b, size_t n, const int *nodes, const int *const *files,
                  const size_t *counts, int new_pid, struct appcr_restore_result *r,
                  struct crerr *e)
{
	struct rebuild_member **m = calloc(n ? n : 1, sizeof(*m));
	uint32_t *at = calloc(n ? n : 1, sizeof(*at));
	uint64_t t0 = kcr_now_ns();
	size_t recorded = 0;
	long bad;
	int rc = 0;

	r->restore_ns = r->resume_ns = 0;
	if (!m || !at) {
		rc = crerr_fail(e, -ENOMEM, "out of host memory");
		goto out;
	}
	if (!n)
		rc = crerr_fail(e, -EINVAL, "a group restore names at least one image set");
	if (rc == 0)
		rc = appcr_place(b, n, nodes, at, e);
	/* every set read and checked on the way to its node */
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = rebuild_member_open(b, at[i], files[i], counts[i], &m[i], e);
	for (size_t i = 0; i < n && rc == 0; i++)
		for (size_t j = 0; j < i; j++)
			if (rebuild_member_pid(m[j]) == rebuild_member_pid(m[i]))
				rc = crerr_fail(e, -EINVAL, "two members are pid %u",
				                rebuild_member_pid(m[i]));
	if (rc == 0) {
		pthread_mutex_lock(&b->lock);
		for (; recorded < n && rc == 0; recorded++)
			if ((rc = rebuild_member_record(
				     b, m[recorded], new_pid ? REBUILD_PID_FRESH : REBUILD_PID_KEEP,
				     e)))
				break;
		pthread_mutex_unlock(&b->lock);
	}
	if (rc == 0)
		rc = rebuild_members_copy(b, m, n, e);
	if (rc == 0 && (rc = appcr_each(b, (void *const *)m, n, &appcr_restore_ops,
	                                rebuild_member_build, e)) == -EINVAL)
		rc = crerr_recode(e, -EPROTO); /* a set that does not fit its node */
	if (rc == 0) {
		rc = appcr_together(b, (void *const *)m, n, appcr_restore_node, rebuild_member_thaw,
		                    &r->resume_ns, &bad);
		if (rc)
			crerr_fail(e, rc, "the group could not be resumed together (%s)",
			           rc == -EHOSTDOWN ? "a node is lost" : strerror(-rc));
	}
	if (rc && recorded) {
		/* all or nothing: the members built are ended without a trace */
		struct crerr undo = CRERR_INIT;
		(void)appcr_each(b, (void *const *)m, n, &appcr_restore_ops, rebuild_member_undo,
		                 &undo);
		for (size_t i = 0; i < recorded; i++)
			rebuild_member_unrecord(b, m[i]);
	}
	r->restore_ns = kcr_now_ns() - t0;
out:
	for (size_t i = 0; m && i < n; i++)
		rebuild_member_free(m[i], r->m ? &r->m[i] : NULL);
	free(m);
	free(at);
	return rc;
}
