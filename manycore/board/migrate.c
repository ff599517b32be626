/*
 * migrate.c - live migration on a board (see board.h): the kernel hooks
 * capture the process on its node, the target node reads the stream
 * across the NoC's kernel portal and rebuilds it, taking over its NoC
 * presence; the source frees its copy only once the target runs it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "board_priv.h"
#include "images/imgchain.h"
#include "kernel-hooks/capture.h"
#include "kernel-hooks/postcopy.h"
#include "kernel-hooks/restore.h"
#include "kernel-hooks/transfer.h"
#include "kernel/cluster.h"
#include "profile.h"

/* ---- on the source node ---- */

struct mig_source {
	uint32_t pid;
	uint64_t t_request, t_frozen;
	struct imgmem stream;   /* the source kernel's copy of the stream */
	uint32_t pages;
	uint64_t parent_id;     /* pre-copy: the last round's set; 0 none */
	uint64_t id;            /* of the set captured */
	struct postcopy *pc;    /* post-copy: where the lazy pages go */
	char *err;
	size_t errlen;
};

/*
 * Captures pid into the source's stream buffer. A pre-copy round (pre)
 * takes the pages written since the last round (all of them at first)
 * while pid is frozen, clears their dirty bits and thaws it, then
 * encodes them while it runs. Otherwise pid stays frozen, its pages read
 * in place (after a pre-copy, only those written since its last round).
 */
static int mig_take(struct board *b, struct bnode *nd, struct mig_source *ms, int pre)
{
	struct capture_opts co = { b->prof->name, nd->node, pre, ms->parent_id, "../round", NULL,
				   !pre, ms->pc ? postcopy_add : NULL, ms->pc };
	struct crimg_error e = { "", 0, NULL, NULL };
	struct imgchan ch = imgchan_mem(&ms->stream);
	struct imgset *set = NULL;
	int rc = cluster_freeze(nd->c, ms->pid);

	if (rc) {
		snprintf(ms->err, ms->errlen, "pid %u: no such running process", ms->pid);
		return rc;
	}
	ms->t_frozen = board_now_ns();
	rc = capture_process(nd->c, ms->pid, &co, &set, &e);
	if (rc == 0 && pre)
		cluster_clean_pages(nd->c, ms->pid);
	if (pre)
		cluster_thaw(nd->c, ms->pid);
	if (rc == 0) {
		set->stats->freeze_ns = ms->t_frozen - ms->t_request;
		ms->pages = set->npages;
		ms->id = set->inventory->id;
		rc = imgset_write_stream(set, &ch, "migration stream", NULL, &e);
	}
	imgset_free(set);
	if (rc) {
		snprintf(ms->err, ms->errlen, "%s", e.msg);
		cluster_thaw(nd->c, ms->pid);
	}
	return rc;
}

static int mig_pre_capture(struct board *b, struct bnode *nd, void *arg)
{
	return mig_take(b, nd, arg, 1);
}

static int mig_capture(struct board *b, struct bnode *nd, void *arg)
{
	return mig_take(b, nd, arg, 0);
}

static int mig_release(struct board *b, struct bnode *nd, void *arg)
{
	(void)b;
	return cluster_release_moved(nd->c, *(uint32_t *)arg);
}

/* ---- on the target node ---- */

struct mig_target {
	uint32_t pid, from;
	struct transfer_source *src;    /* the stream, on the source node */
	struct imgchain *chain;         /* pre-copy: the rounds received so far */
	struct postcopy *pc;            /* post-copy: the pages left behind */
	uint64_t t_running;             /* host time it runs on the target */
	char *err;
	size_t errlen;
};

/* What reading a stream from node from on node to failed of (rc, msg). */
static void mig_stream_error(char *err, size_t errlen, int rc, uint32_t from, uint32_t to,
			     const char *msg)
{
	if (rc == -EIO)
		snprintf(err, errlen, "the NoC transfer from node %u to node %u failed (%s)", from,
			 to, msg);
	else
		snprintf(err, errlen, "%s", msg);
}

/* pid now runs on to. Board lock held. */
static void mig_record(struct board *b, uint32_t pid, uint32_t from, uint32_t to)
{
	struct bproc *p = board_find(b, pid);

	if (p) {
		p->info.node = to;
		p->track_id = 0; /* dirty bits do not travel */
	}
	b->nodes[from].running--;
	b->nodes[to].running++;
}

/* Reads the stream across the portal, checks all of it, rebuilds the
 * process, takes over its NoC presence and lets it run: one step of the
 * target's thread, so the downtime holds no more thread handoffs. */
static int mig_build(struct board *b, struct bnode *nd, void *arg)
{
	struct mig_target *mt = arg;
	struct restore_opts ro = { b->prof->name, mt->pid, 0, board_portal_move, mt->src->t,
				   (int)mt->from, mt->pc ? postcopy_fill : NULL, mt->pc };
	struct crimg_error e = { "", 0, NULL, NULL };
	struct imgchan ch = transfer_source_chan(mt->src);
	struct imgset *set = NULL;
	int rc;

	if (!mt->chain) {
		rc = imgset_read_inplace(&ch, "migration stream", &set, &e);
	} else {
		/* the last round completes the pages received before */
		rc = imgset_read_stream(&ch, "migration stream", &set, &e);
		if (rc == 0 && (rc = imgchain_push(mt->chain, set, "last round", &e)) == 0)
			rc = imgchain_flatten(mt->chain, &e);
		set = NULL;
		ro.move = NULL; /* the pages crossed already: here they are copied */
	}
	if (rc < 0) {
		mig_stream_error(mt->err, mt->errlen, rc, mt->from, nd->node, e.msg);
		return rc == -ENOMEM || rc == -EIO ? rc : -EPROTO;
	}
	if (b->fault.target_lost) {
		imgset_free(set);
		snprintf(mt->err, mt->errlen,
			 "node %u stopped answering before it took pid %u over (fault injected)",
			 nd->node, mt->pid);
		return -EHOSTDOWN;
	}
	rc = restore_process(nd->c, mt->chain ? mt->chain->set[0] : set, &ro, mt->err, mt->errlen);
	imgset_free(set);
	if (rc == 0 && mt->pc)
		postcopy_bind(mt->pc, nd->c); /* before it runs: it runs when this returns */
	if (rc == 0) {
		mt->t_running = board_now_ns();
		pthread_mutex_lock(&b->lock);
		mig_record(b, mt->pid, mt->from, nd->node);
		pthread_mutex_unlock(&b->lock);
	}
	return rc == -EINVAL || rc == -EBADMSG ? -EPROTO : rc;
}

/* ---- the board's part ---- */

static int mig_check(struct board *b, uint32_t pid, uint32_t to, int from, char *err,
		     size_t errlen)
{
	if (from < 0) {
		snprintf(err, errlen, "pid %u: no such running process", pid);
		return -ESRCH;
	}
	if (to >= b->nnodes || to < profile_first_compute(b->prof)) {
		snprintf(err, errlen, "node %u is not a compute cluster of the %s board (%u to %u)",
			 to, b->prof->name, profile_first_compute(b->prof), b->nnodes - 1);
		return -EINVAL;
	}
	if ((uint32_t)from == to) {
		snprintf(err, errlen, "pid %u already runs on node %u", pid, to);
		return -EINVAL;
	}
	return 0;
}

/* A pre-copy round's pages fewer than this, or not fewer than the last
 * round's: the rest goes frozen. */
#define MIG_PRE_SMALL 16u

/*
 * Pre-copy: rounds of pages sent while pid runs (all of them, then those
 * written meanwhile), read on the target into chain, until few are left,
 * they stop shrinking or max_rounds is reached. 0 with ms->parent_id the
 * last round's set, or an error (pid runs on; its dirty bits tracked
 * nothing anybody else relies on: the board's tracking is reset).
 */
static int mig_pre_rounds(struct board *b, uint32_t from, struct mig_source *ms,
			  struct transfer *t, struct imgchain *chain, uint32_t max_rounds,
			  struct board_migrate_result *r)
{
	struct crimg_error e = { "", 0, NULL, NULL };
	uint32_t last = UINT32_MAX;
	int rc = 0;

	board_set_track(b, ms->pid, 0);
	for (uint32_t k = 0; k < max_rounds && rc == 0; k++) {
		struct transfer_source src;
		struct imgseg seg;
		struct imgchan ch;
		struct imgset *set = NULL;
		char name[32];
		ms->stream.len = ms->stream.pos = 0;
		if ((rc = board_call(b, from, mig_pre_capture, ms)) < 0)
			break;
		seg = (struct imgseg){ ms->stream.p, ms->stream.len };
		src = (struct transfer_source){ t, { &seg, 1, 0, 0 } };
		ch = transfer_source_chan(&src);
		snprintf(name, sizeof(name), "round %u", k + 1);
		rc = imgset_read_stream(&ch, name, &set, &e);
		if (rc == 0)
			rc = imgchain_push(chain, set, name, &e);
		if (rc < 0) {
			mig_stream_error(ms->err, ms->errlen, rc, from, t->dst, e.msg);
			break;
		}
		ms->parent_id = ms->id;
		r->pages += ms->pages;
		r->rounds++;
		if (ms->pages < MIG_PRE_SMALL || ms->pages >= last)
			break;
		last = ms->pages;
	}
	return rc;
}

/* ---- post-copy: the pages that follow ---- */

/* A post-copy under way: both nodes' threads work on it between their
 * rounds (board_postcopy_step). Freed by whoever drops the last ref. */
struct bpostcopy {
	struct postcopy *pc;
	uint32_t pid, from, to;
	int refs;               /* the source's, the target's, the caller's (board lock) */
	int src_done;           /* the source released its copy (board lock) */
	int tgt_done;           /* the target needs nothing more (board lock) */
	uint64_t done_ns;       /* host time src_done came */
	struct bpostcopy *next;
};

/* Pages the source pushes between two of its rounds; in run mode one, so
 * that a run goes on long enough meanwhile to touch pages not yet in. */
#define MIG_PUSH_BATCH 8u

/* Drops a ref to bp; the last frees it. Board lock held. */
static void mig_pc_put(struct board *b, struct bpostcopy *bp)
{
	if (--bp->refs)
		return;
	for (struct bpostcopy **pp = &b->postcopy; *pp; pp = &(*pp)->next)
		if (*pp == bp) {
			*pp = bp->next;
			break;
		}
	postcopy_free(bp->pc);
	free(bp);
}

int board_postcopy_step(struct board *b, struct bnode *nd)
{
	struct bpostcopy *mine[16];
	int src[16], busy = 0;
	unsigned n = 0;

	pthread_mutex_lock(&b->lock);
	for (struct bpostcopy *bp = b->postcopy; bp && n < 16; bp = bp->next) {
		if ((bp->from == nd->node && !bp->src_done) || (bp->to == nd->node && !bp->tgt_done)) {
			src[n] = bp->from == nd->node && !bp->src_done;
			mine[n++] = bp;
		}
	}
	pthread_mutex_unlock(&b->lock);
	for (unsigned k = 0; k < n; k++) {
		struct bpostcopy *bp = mine[k];
		if (src[k] && postcopy_push(bp->pc, b->threaded ? MIG_PUSH_BATCH : 1)) {
			busy = 1;
			continue;
		}
		if (src[k]) {
			/* every page has left (or is not wanted): the copy goes */
			cluster_release_moved(nd->c, bp->pid);
			board_wake(b, bp->to);
		} else if (postcopy_land(bp->pc, nd->c)) {
			continue; /* pages to come: the source wakes us */
		}
		pthread_mutex_lock(&b->lock);
		if (src[k]) {
			bp->src_done = 1;
			bp->done_ns = board_now_ns();
		} else {
			bp->tgt_done = 1;
		}
		mig_pc_put(b, bp);
		pthread_cond_broadcast(&b->cv);
		pthread_mutex_unlock(&b->lock);
	}
	return busy;
}

static void mig_pc_free(struct bpostcopy *bp)
{
	if (bp)
		postcopy_free(bp->pc);
	free(bp);
}

void board_postcopy_free_all(struct board *b)
{
	while (b->postcopy) {
		struct bpostcopy *bp = b->postcopy;
		b->postcopy = bp->next;
		mig_pc_free(bp);
	}
}

/* Hands bp over to the nodes' threads. With them, waits until the pages
 * have followed (or the source was cut off) and adds their figures to r;
 * in run mode they follow as the board runs. */
static int mig_post_follow(struct board *b, struct bpostcopy *bp, uint64_t t0,
			   struct board_migrate_result *r, char *err, size_t errlen)
{
	struct postcopy_stats st;

	postcopy_get_stats(bp->pc, &st);
	r->lazy_pages = st.pages;
	pthread_mutex_lock(&b->lock);
	bp->next = b->postcopy;
	b->postcopy = bp;
	if (!b->threaded) {
		mig_pc_put(b, bp);
		pthread_mutex_unlock(&b->lock);
		return 0;
	}
	pthread_mutex_unlock(&b->lock);
	board_wake(b, bp->from);
	board_wake(b, bp->to);
	pthread_mutex_lock(&b->lock);
	while ((!bp->src_done || !(bp->tgt_done || postcopy_is_cut(bp->pc))) && !b->stopping)
		pthread_cond_wait(&b->cv, &b->lock);
	postcopy_get_stats(bp->pc, &st);
	r->total_ns = bp->done_ns - t0;
	mig_pc_put(b, bp); /* bp may be gone now */
	pthread_mutex_unlock(&b->lock);
	r->faults = st.fetched;
	r->pushed = st.pushed;
	r->pages += st.fetched + st.pushed;
	r->lost = st.pages - st.fetched - st.pushed;
	r->bytes += st.bytes;
	r->model_ns += st.model_ns;
	if (r->lost) {
		snprintf(err, errlen,
			 "pid %u: node %u was lost during the post-copy: %u of its %u pages did not "
			 "reach node %u; the process dies if it touches one",
			 st.pid, r->from, r->lost, st.pages, r->to);
		return -EHOSTDOWN;
	}
	return 0;
}

/* A post-copy's parts, taken before anything moves. */
static struct bpostcopy *mig_pc_new(struct board *b, uint32_t pid, uint32_t from, uint32_t to)
{
	struct bpostcopy *bp = calloc(1, sizeof(*bp));

	if (!bp || !(bp->pc = postcopy_new(b->noc, pid, from, to, b->prof->portal_max))) {
		free(bp);
		return NULL;
	}
	if (b->fault.source_lost)
		postcopy_cut_after(bp->pc, b->fault.source_lost_after);
	bp->pid = pid;
	bp->from = from;
	bp->to = to;
	bp->refs = 3;
	return bp;
}


int board_migrate(struct board *b, uint32_t pid, uint32_t to, enum board_migrate_mode mode,
		  uint32_t max_rounds, struct board_migrate_result *r, char *err, size_t errlen)
{
	uint64_t t0 = board_now_ns();
	struct mig_source ms = { pid, t0, 0, { 0 }, 0, 0, 0, NULL, err, errlen };
	struct imgchain *chain = NULL;
	struct bpostcopy *bp = NULL;
	struct mig_target mt;
	struct transfer t;
	struct transfer_source src;
	struct imgseg seg;
	int from = board_node_of(b, pid, NULL), rc;

	memset(r, 0, sizeof(*r));
	*err = 0;
	if (mode != BOARD_MIGRATE_STOP_COPY && mode != BOARD_MIGRATE_PRE_COPY &&
	    mode != BOARD_MIGRATE_POST_COPY) {
		snprintf(err, errlen, "unknown migration mode %d", (int)mode);
		return -EINVAL;
	}
	if ((rc = mig_check(b, pid, to, from, err, errlen)) < 0)
		return rc;
	r->from = (uint32_t)from;
	r->to = to;
	/* The target reads each stream where the source holds it, across the
	 * portal, and checks all of it before it takes anything. */
	transfer_init(&t, b->noc, (uint32_t)from, to, b->prof->portal_max, 0);
	t.fail_at = b->fault.transfer_fail;
	if (mode == BOARD_MIGRATE_PRE_COPY) {
		if (!(chain = imgchain_new())) {
			snprintf(err, errlen, "out of host memory");
			rc = -ENOMEM;
		} else {
			rc = mig_pre_rounds(b, (uint32_t)from, &ms, &t, chain,
					    max_rounds ? max_rounds : BOARD_MIGRATE_ROUNDS, r);
		}
		ms.stream.len = ms.stream.pos = 0;
		ms.t_request = board_now_ns();
	} else if (mode == BOARD_MIGRATE_POST_COPY) {
		if (!(bp = mig_pc_new(b, pid, (uint32_t)from, to))) {
			snprintf(err, errlen, "out of host memory");
			rc = -ENOMEM;
		} else {
			ms.pc = bp->pc;
		}
	}
	if (rc == 0)
		rc = board_call(b, (uint32_t)from, mig_capture, &ms);
	if (rc < 0) {
		transfer_fini(&t);
		imgchain_free(chain);
		mig_pc_free(bp);
		free(ms.stream.p);
		return rc;
	}
	r->freeze_ns = ms.t_frozen - ms.t_request;
	r->pages += ms.pages;
	r->rounds++;
	seg = (struct imgseg){ ms.stream.p, ms.stream.len };
	src = (struct transfer_source){ &t, { &seg, 1, 0, 0 } };
	mt = (struct mig_target){ pid, (uint32_t)from, &src, chain, ms.pc, 0, err, errlen };
	rc = board_call(b, to, mig_build, &mt);
	imgchain_free(chain);
	/* from the last instruction there to the first one here can run */
	r->downtime_ns = mt.t_running - ms.t_frozen;
	r->bytes = t.bytes;
	r->model_ns = t.model_ns;
	transfer_fini(&t);
	free(ms.stream.p);
	if (rc) {
		/* nothing moved: the process goes on where it was */
		mig_pc_free(bp);
		board_thaw(b, pid);
		r->downtime_ns = 0;
		return rc;
	}
	r->total_ns = board_now_ns() - t0;
	if (bp)
		return mig_post_follow(b, bp, t0, r, err, errlen);
	/* It runs on the target: the source's copy goes. */
	board_call(b, (uint32_t)from, mig_release, &pid);
	r->total_ns = board_now_ns() - t0;
	return 0;
}
