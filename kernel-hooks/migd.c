/*
 * migd.c - the clusters' migration daemons (see migd.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel-hooks/capture.h"
#include "kernel-hooks/migd.h"
#include "kernel-hooks/postcopy.h"
#include "kernel-hooks/restore.h"
#include "kernel-hooks/transfer.h"
#include "noc/doorbell.h"
#include "noc/mailbox.h"
#include "noc/noc.h"

#define MIGD_ERR 512           /* bytes of a reason, with its NUL (crimg_error.msg) */
#define MIGD_LAST UINT32_MAX   /* an OFFER's round: the last, with the UArea */
#define MIGD_WATCH_NS 1000000u /* a daemon polls for a message due in a downtime this long */

/* Control messages, daemon to daemon (one mailbox payload). */
enum migd_op {
	MIGD_START = 1, /* requester -> source: move pid to node (mode, arg: max rounds) */
	MIGD_OFFER,     /* source -> target: a stream of pid waits (arg: round or MIGD_LAST) */
	MIGD_TAKEN,     /* target -> source: the round is in */
	MIGD_REFUSED,   /* target -> source: rc, the reason written into the source's job */
	MIGD_RUNNING,   /* target -> source: pid runs here since ns (host) */
	MIGD_PUSHED,    /* source -> target: every lazy page has left: land them */
	MIGD_LANDED,    /* target -> source: every lazy page is in (or never will be) */
	MIGD_ABORT,     /* source -> target: forget the rounds of pid */
	MIGD_ANSWER,    /* source -> requester: id reached stage arg with rc */
	MIGD_PREPARE,   /* source -> target: a stream of pid (arg pages) will come: get ready */
	MIGD_READY,     /* target -> source: ready for it (else REFUSED) */
};

struct migd_msg {
	uint32_t op;
	uint32_t id;
	uint32_t pid;
	uint32_t node;
	uint32_t mode;
	uint32_t arg;
	int32_t rc;
	uint32_t pad;
	uint64_t ns;
};
_Static_assert(sizeof(struct migd_msg) <= 128, "a control message is one mailbox payload");

/* A migration of one of this node's processes. */
enum out_state {
	OUT_START,   /* asked: nothing done yet */
	OUT_PREPARE, /* the target told, waiting for READY */
	OUT_ROUND,   /* pre-copy: a round offered, waiting for TAKEN */
	OUT_LAST,    /* the last offered (pid frozen), waiting for RUNNING */
	OUT_PUSH,    /* post-copy: it runs there; pushing the pages left */
	OUT_LAND,    /* post-copy: all pushed, copy freed; waiting for LANDED */
};

struct migd_out {
	uint32_t id, via; /* the requester's request and node */
	int self;         /* asked by the process (kmigrate_to): via is here */
	uint32_t pid, to;
	enum migd_mode mode;
	uint32_t max_rounds;
	enum out_state st;
	int moved;  /* it runs on the target: the source's copy is only a copy */
	int landed; /* post-copy: the target has every page it will have */
	uint64_t t_request, t_frozen;
	uint64_t t_prepare;   /* PREPARE sent: the target's READY is due */
	struct imgmem stream; /* what the target reads, across the portal */
	struct transfer t;    /* that portal: the stream's writes */
	uint32_t pages;       /* of the last capture */
	uint32_t last;        /* pre-copy: pages of the round before */
	uint64_t parent_id;   /* pre-copy: the last round's set; 0 none */
	uint64_t set_id;      /* of the last capture */
	struct imgset *spent; /* the last capture, freed once the stream is offered */
	uint64_t stop_at;     /* the process's stop point (kcr_set_stop), which travels */
	struct postcopy *pc;  /* post-copy: the pages left behind */
	struct migd_result r;
	char err[MIGD_ERR]; /* why it failed (a target writes it across the portal) */
	struct migd_out *next;
};

/* A migration to this node that spans messages: one being moved in
 * (pc NULL), or a post-copy's pages landing (pc). */
struct migd_in {
	uint32_t pid, from;
	uint64_t watch_until;        /* its next stream is due before (host ns) */
	struct restore_stage *stage; /* pre-copy: the rounds taken so far, landed */
	struct postcopy *pc;         /* post-copy: the pages still to land */
	struct migd_in *next;
};

struct migd {
	struct migd_net *m;
	struct cluster *c;
	uint32_t node;
	pthread_mutex_t lock; /* out: the targets look their streams up */
	struct migd_out *out;
	struct migd_in *in; /* this node's thread only */
	int hung;           /* fault injected: this node stopped answering */
};

/* A request of the board's, waiting for its answers. */
struct migd_ask {
	uint32_t id;
	struct migd_result r;
	char err[MIGD_ERR];
	struct migd_ask *next;
};

struct migd_net {
	struct migd_env env;
	uint32_t n;
	uint32_t pace;        /* post-copy pages a source pushes a step */
	struct migd *d;       /* by node */
	pthread_mutex_t lock; /* asks, next_id */
	struct migd_ask *asks;
	uint32_t next_id;
};

static void migd_send(struct migd *d, uint32_t dst, const struct migd_msg *msg)
{
	/* Only host memory can fail here (the queue grows): the peer then
	 * never hears, as if the NoC had lost the message. */
	(void)mailbox_kernel_send(d->m->env.noc, d->node, dst, MAILBOX_KS_MIGRATE, msg,
	                          sizeof(*msg), 0);
}

/* Writes len bytes at src into dst on node to, across the portal. */
static void migd_write(struct migd *d, uint32_t to, void *dst, const void *src, size_t len)
{
	struct transfer t;

	transfer_init(&t, d->m->env.noc, d->node, to, d->m->env.portal_max, 0);
	if (transfer_move(&t, dst, src, len) < 0)
		memcpy(dst, src, len); /* the report still arrives: only a stream write may fail */
	transfer_fini(&t);
}

/* ---- the requester's side ---- */

static struct migd_ask *migd_ask_find(struct migd_net *m, uint32_t id)
{
	struct migd_ask *a = m->asks;

	while (a && a->id != id)
		a = a->next;
	return a;
}

int migd_request(struct migd_net *m, uint32_t via, uint32_t pid, uint32_t from, uint32_t to,
                 enum migd_mode mode, uint32_t max_rounds, uint32_t *id)
{
	struct migd_ask *a = calloc(1, sizeof(*a));
	struct migd_msg msg = { MIGD_START, 0, pid, to, mode, max_rounds ? max_rounds : MIGD_ROUNDS,
		                0,          0, 0 };

	if (!a)
		return -ENOMEM;
	pthread_mutex_lock(&m->lock);
	a->id = *id = msg.id = ++m->next_id;
	a->next = m->asks;
	m->asks = a;
	pthread_mutex_unlock(&m->lock);
	migd_send(&m->d[via], from, &msg);
	return 0;
}

/* An ANSWER came to the requester: tells the board. */
static void migd_answered(struct migd *d, const struct migd_msg *msg)
{
	struct migd_net *m = d->m;
	struct migd_result r;
	char err[MIGD_ERR];
	struct migd_ask *a, **pp;

	pthread_mutex_lock(&m->lock);
	for (pp = &m->asks; *pp && (*pp)->id != msg->id; pp = &(*pp)->next)
		;
	if (!(a = *pp)) {
		pthread_mutex_unlock(&m->lock);
		return;
	}
	r = a->r;
	memcpy(err, a->err, sizeof(err));
	if (msg->arg == MIGD_DONE) {
		*pp = a->next;
		free(a);
	}
	pthread_mutex_unlock(&m->lock);
	if (m->env.answered)
		m->env.answered(m->env.ctx, msg->id, (enum migd_stage)msg->arg, msg->rc, &r, err);
}

/* ---- the source's side ---- */

/* o's outcome (the figures and reason across the portal, then a message)
 * to its requester; a process that asked itself hears only of failure. */
static void migd_answer(struct migd *d, struct migd_out *o, enum migd_stage stage, int rc)
{
	struct migd_net *m = d->m;
	struct migd_msg msg = { MIGD_ANSWER, o->id, o->pid, d->node, o->mode, stage, rc, 0, 0 };
	struct migd_ask *a;

	if (o->self) {
		if (stage == MIGD_DONE && rc && !o->moved)
			kcr_migrate_failed(d->c, o->pid, rc);
		return;
	}
	pthread_mutex_lock(&m->lock);
	if ((a = migd_ask_find(m, o->id))) {
		migd_write(d, o->via, &a->r, &o->r, sizeof(o->r));
		migd_write(d, o->via, a->err, o->err, strlen(o->err) + 1);
	}
	pthread_mutex_unlock(&m->lock);
	migd_send(d, o->via, &msg);
}

/* Job of pid; d's lock held. */
static struct migd_out *migd_out_find(struct migd *d, uint32_t pid)
{
	struct migd_out *o = d->out;

	while (o && o->pid != pid)
		o = o->next;
	return o;
}

/* Job of pid, looked up from any thread: only d's thread ends it, and
 * not while the caller may use it (it waits for the caller's word). */
static struct migd_out *migd_out_lookup(struct migd *d, uint32_t pid)
{
	struct migd_out *o;

	pthread_mutex_lock(&d->lock);
	o = migd_out_find(d, pid);
	pthread_mutex_unlock(&d->lock);
	return o;
}

/* Why pid cannot go to node to from d (0 if it can). */
static int migd_check(struct migd *d, uint32_t pid, uint32_t to, char *err, size_t errlen)
{
	struct migd_net *m = d->m;

	if (to >= m->n || to < m->env.first_compute) {
		snprintf(err, errlen, "node %u is not a compute cluster of the %s board (%u to %u)",
		         to, m->env.profile, m->env.first_compute, m->n - 1);
		return -EINVAL;
	}
	if (to == d->node) {
		snprintf(err, errlen, "pid %u already runs on node %u", pid, to);
		return -EINVAL;
	}
	if (migd_out_lookup(d, pid)) {
		snprintf(err, errlen, "pid %u is being migrated already", pid);
		return -EBUSY;
	}
	/* A post-copy from there still drains: its frozen copy holds the pid. */
	if (migd_out_lookup(&m->d[to], pid)) {
		snprintf(err, errlen,
		         "pid %u: node %u still holds its copy until the pages of a "
		         "post-copy have left it; try again",
		         pid, to);
		return -EBUSY;
	}
	return 0;
}

static struct migd_out *migd_out_new(struct migd *d, uint32_t via, uint32_t id, uint32_t pid,
                                     uint32_t to, enum migd_mode mode, uint32_t max_rounds,
                                     int self)
{
	struct migd_env *env = &d->m->env;
	struct migd_out *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->id = id;
	o->via = via;
	o->self = self;
	o->pid = pid;
	o->to = to;
	o->mode = mode;
	o->max_rounds = max_rounds;
	o->t_request = kcr_now_ns();
	o->r.from = d->node;
	o->r.to = to;
	transfer_init(&o->t, env->noc, d->node, to, env->portal_max, 0);
	o->t.fail_at = env->fault.transfer_fail;
	o->t.drop_at = env->fault.noc_drop;
	o->t.corrupt_at = env->fault.noc_corrupt;
	o->t.delay_ns = env->fault.noc_delay_ns;
	pthread_mutex_lock(&d->lock);
	o->next = d->out;
	d->out = o;
	pthread_mutex_unlock(&d->lock);
	return o;
}

static void migd_out_free(struct migd_out *o)
{
	imgset_free(o->spent);
	free(o->stream.p);
	transfer_fini(&o->t);
	postcopy_put(o->pc);
	free(o);
}

/* Ends o with rc: the requester hears, and a process that did not move
 * runs on where it was. */
static void migd_out_end(struct migd *d, struct migd_out *o, int rc)
{
	struct migd_out **pp;

	if (o->pc) {
		struct postcopy_stats st;
		postcopy_get_stats(o->pc, &st);
		o->r.faults = st.fetched;
		o->r.pushed = st.pushed;
		o->r.pages += st.fetched + st.pushed;
		o->r.bytes += st.bytes;
		o->r.model_ns += st.model_ns;
		if (o->moved && (o->r.lost = st.pages - st.fetched - st.pushed) != 0) {
			snprintf(o->err, sizeof(o->err),
			         "pid %u: node %u was lost during the post-copy: %u of its %u "
			         "pages did "
			         "not reach node %u; the process dies if it touches one",
			         o->pid, d->node, o->r.lost, st.pages, o->to);
			rc = -EHOSTDOWN;
		}
	}
	if (rc && !o->moved) {
		kcr_thaw(d->c, o->pid);
		/* the target forgets the rounds and the watch (PREPARE) */
		struct migd_msg abort = { MIGD_ABORT, 0, o->pid, 0, 0, 0, 0, 0, 0 };
		migd_send(d, o->to, &abort);
	}
	migd_answer(d, o, MIGD_DONE, rc);
	pthread_mutex_lock(&d->lock);
	for (pp = &d->out; *pp != o; pp = &(*pp)->next)
		;
	*pp = o->next;
	pthread_mutex_unlock(&d->lock);
	migd_out_free(o);
}

/* The process's mapped pages (0 if it is gone). */
static uint32_t migd_pages_of(struct migd *d, uint32_t pid)
{
	const struct uarea *ua = kcr_uarea(d->c, pid);

	return ua ? ua->pages : 0;
}

/* Room in o->stream for all of o's process, its host memory backed
 * before the process freezes: a fresh buffer's first touches would
 * otherwise fall in the downtime (tens of microseconds). */
static void migd_ready_stream(struct migd *d, struct migd_out *o)
{
	size_t want = ((size_t)migd_pages_of(d, o->pid) + 16) * CRIMG_PAGE_SIZE;

	if (imgmem_reserve(&o->stream, want))
		return; /* then it grows as it is written */
	for (size_t off = o->stream.len; off < o->stream.cap; off += CRIMG_PAGE_SIZE)
		o->stream.p[off] = 0;
}

/*
 * Captures o's process into o->stream. A pre-copy round (pre) takes the
 * pages written since the last round (all of them at first) while it is
 * frozen, clears their dirty bits and thaws it, then encodes them while
 * it runs. Otherwise it stays frozen, its pages read in place (after a
 * pre-copy, only those written since the last round).
 */
static int migd_capture(struct migd *d, struct migd_out *o, int pre)
{
	struct migd_env *env = &d->m->env;
	struct capture_opts co = { env->profile, d->node, pre,  o->parent_id,
		                   "../round",   NULL,    !pre, o->pc ? postcopy_add : NULL,
		                   o->pc };
	struct crimg_error e = { "", 0, NULL, NULL };
	struct imgchan ch;
	struct imgset *set = NULL;
	int rc;

	o->stream.len = o->stream.pos = 0;
	ch = imgchan_mem(&o->stream);
	migd_ready_stream(d, o);
	if (kcr_freeze(d->c, o->pid)) {
		snprintf(o->err, sizeof(o->err), "pid %u: no such running process", o->pid);
		return -ESRCH;
	}
	o->t_frozen = kcr_now_ns();
	o->stop_at = kcr_stop_point(d->c, o->pid);
	rc = capture_process(d->c, o->pid, &co, &set, &e);
	if (rc == 0 && pre)
		kcr_clean_pages(d->c, o->pid);
	if (pre)
		kcr_thaw(d->c, o->pid);
	if (rc == 0) {
		set->stats->freeze_ns = o->t_frozen - o->t_request;
		o->pages = set->npages;
		o->set_id = set->inventory->id;
		rc = imgset_write_stream(set, &ch, "migration stream", NULL, &e);
	}
	imgset_free(o->spent);
	o->spent = set; /* freed after the offer: the target reads meanwhile */
	if (rc)
		snprintf(o->err, sizeof(o->err), "%s", e.msg);
	return rc;
}

static void migd_offer(struct migd *d, struct migd_out *o, uint32_t round)
{
	struct migd_msg msg = { MIGD_OFFER, o->id, o->pid, d->node, o->mode, round, 0, 0, 0 };

	migd_send(d, o->to, &msg);
	imgset_free(o->spent);
	o->spent = NULL;
}

/* Pre-copy: the next round of pages, offered while the process runs. */
static void migd_round(struct migd *d, struct migd_out *o)
{
	int rc = migd_capture(d, o, 1);

	if (rc)
		return migd_out_end(d, o, rc);
	o->st = OUT_ROUND;
	migd_offer(d, o, o->r.rounds + 1);
}

/* The last stream, the process frozen until the target answers. */
static void migd_last(struct migd *d, struct migd_out *o)
{
	int rc;

	o->t_request = kcr_now_ns(); /* the freeze of this capture, not the rounds' */
	if ((rc = migd_capture(d, o, 0)))
		return migd_out_end(d, o, rc);
	o->r.freeze_ns = o->t_frozen - o->t_request;
	o->st = OUT_LAST;
	migd_offer(d, o, MIGD_LAST);
}

/* The target gets ready (its frames backed, its thread watching for the
 * stream) before anything freezes: nothing of that falls in the
 * downtime. */
static void migd_prepare(struct migd *d, struct migd_out *o)
{
	struct migd_msg prepare = {
		MIGD_PREPARE, o->id, o->pid, d->node, o->mode, migd_pages_of(d, o->pid), 0, 0, 0
	};

	o->st = OUT_PREPARE;
	o->t_prepare = kcr_now_ns();
	migd_send(d, o->to, &prepare);
}

static void migd_begin(struct migd *d, struct migd_out *o)
{
	struct migd_net *m = d->m;

	if (o->mode == MIGD_PRE_COPY) {
		if (m->env.untracked)
			m->env.untracked(m->env.ctx, o->pid);
		return migd_round(d, o);
	}
	if (o->mode == MIGD_POST_COPY) {
		o->pc = postcopy_new(m->env.noc, o->pid, d->node, o->to, m->env.portal_max);
		if (!o->pc) {
			snprintf(o->err, sizeof(o->err), "out of host memory");
			return migd_out_end(d, o, -ENOMEM);
		}
		if (m->env.fault.source_lost)
			postcopy_cut_after(o->pc, m->env.fault.source_lost_after);
	}
	migd_last(d, o);
}

/* A requester asks: the job starts at this node's next step. */
static void migd_start(struct migd *d, const struct migd_msg *msg, uint32_t via)
{
	struct migd_out ask = { .id = msg->id,
		                .via = via,
		                .pid = msg->pid,
		                .to = msg->node,
		                .mode = (enum migd_mode)msg->mode };
	int rc = -EINVAL;

	if (msg->mode > MIGD_POST_COPY)
		snprintf(ask.err, sizeof(ask.err), "unknown migration mode %u", msg->mode);
	else
		rc = migd_check(d, msg->pid, msg->node, ask.err, sizeof(ask.err));
	if (rc == 0 && !migd_out_new(d, via, msg->id, msg->pid, msg->node,
	                             (enum migd_mode)msg->mode, msg->arg, 0)) {
		snprintf(ask.err, sizeof(ask.err), "out of host memory");
		rc = -ENOMEM;
	}
	if (rc) {
		ask.r.from = d->node;
		ask.r.to = msg->node;
		migd_answer(d, &ask, MIGD_DONE, rc);
	}
}

/* The target's word on the stream it was offered. */
static void migd_heard(struct migd *d, const struct migd_msg *msg)
{
	struct migd_out *o = migd_out_lookup(d, msg->pid);

	if (!o)
		return;
	switch (msg->op) {
	case MIGD_READY:
		if (o->st == OUT_PREPARE)
			migd_begin(d, o);
		return;
	case MIGD_TAKEN:
		if (o->st != OUT_ROUND)
			return;
		o->parent_id = o->set_id;
		o->r.pages += o->pages;
		o->r.rounds++;
		if (o->pages < MIGD_PRE_SMALL || o->pages >= o->last ||
		    o->r.rounds >= o->max_rounds)
			return migd_last(d, o);
		o->last = o->pages;
		return migd_round(d, o);
	case MIGD_REFUSED:
		if (o->st == OUT_PREPARE || o->st == OUT_ROUND || o->st == OUT_LAST)
			migd_out_end(d, o, msg->rc);
		return;
	case MIGD_RUNNING:
		if (o->st != OUT_LAST)
			return;
		o->moved = 1;
		o->r.downtime_ns = msg->ns - o->t_frozen;
		o->r.pages += o->pages;
		o->r.rounds++;
		o->r.bytes = o->t.bytes;
		o->r.model_ns = o->t.model_ns;
		free(o->stream.p);
		o->stream = (struct imgmem){ 0 };
		if (!o->pc) {
			/* It runs on the target: this copy goes. */
			kcr_release_moved(d->c, o->pid);
			return migd_out_end(d, o, 0);
		}
		struct postcopy_stats st;
		postcopy_get_stats(o->pc, &st);
		o->r.lazy_pages = st.pages;
		o->st = OUT_PUSH;
		migd_answer(d, o, MIGD_RUNS, 0);
		return;
	case MIGD_LANDED: o->landed = 1; return;
	default: return;
	}
}

/* Moves o on between rounds: 1 if it did anything. */
static int migd_out_step(struct migd *d, struct migd_out *o)
{
	struct migd_msg pushed = { MIGD_PUSHED, 0, o->pid, 0, 0, 0, 0, 0, 0 };

	switch (o->st) {
	case OUT_START: migd_prepare(d, o); return 1;
	case OUT_PREPARE:
		/* Nothing is frozen or sent yet: a target that does not answer
		 * in time is given up, and the process runs on here. (Later a
		 * target reads the stream where it lies, so a wait then is not
		 * cut short: see migrate-target-lost.) */
		if (!d->m->env.answer_timeout_ns ||
		    kcr_now_ns() - o->t_prepare < d->m->env.answer_timeout_ns)
			return 0;
		snprintf(
			o->err, sizeof(o->err),
			"node %u stopped answering: no word in %.1f s; pid %u runs on where it was",
			o->to, d->m->env.answer_timeout_ns / 1e9, o->pid);
		migd_out_end(d, o, -EHOSTDOWN);
		return 1;
	case OUT_PUSH:
		if (postcopy_push(o->pc, d->m->pace))
			return 1;
		/* every page has left (or is not wanted): the copy goes */
		kcr_release_moved(d->c, o->pid);
		o->st = OUT_LAND;
		migd_send(d, o->to, &pushed);
		return 1;
	case OUT_LAND:
		if (!o->landed && !postcopy_is_cut(o->pc))
			return 0;
		migd_out_end(d, o, 0);
		return 1;
	default: return 0;
	}
}

/* kmigrate_to (kcr_set_migrate): the job starts at the next step. */
static int migd_self(void *ctx, uint32_t pid, uint32_t node, uint32_t mode)
{
	struct migd *d = ctx;
	char err[MIGD_ERR];
	int rc = migd_check(d, pid, node, err, sizeof(err));

	if (rc)
		return rc;
	return migd_out_new(d, d->node, 0, pid, node, (enum migd_mode)mode, MIGD_ROUNDS, 1)
	               ? 0
	               : -ENOMEM;
}

int migd_moving(struct migd_net *m, uint32_t pid)
{
	int moving = 0;

	for (uint32_t i = 0; i < m->n && !moving; i++) {
		struct migd_out *o;
		pthread_mutex_lock(&m->d[i].lock);
		o = migd_out_find(&m->d[i], pid);
		moving = o && !o->moved;
		pthread_mutex_unlock(&m->d[i].lock);
	}
	return moving;
}

/* ---- the target's side ---- */

static struct migd_in *migd_in_find(struct migd *d, uint32_t pid, uint32_t from)
{
	struct migd_in *in = d->in;

	while (in && !(in->pid == pid && in->from == from && !in->pc))
		in = in->next;
	return in;
}

static void migd_in_drop(struct migd *d, struct migd_in *in)
{
	struct migd_in **pp;

	if (!in)
		return;
	for (pp = &d->in; *pp != in; pp = &(*pp)->next)
		;
	*pp = in->next;
	restore_stage_free(in->stage);
	postcopy_put(in->pc);
	free(in);
}

static struct migd_in *migd_in_new(struct migd *d, uint32_t pid, uint32_t from)
{
	struct migd_in *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	in->pid = pid;
	in->from = from;
	in->next = d->in;
	d->in = in;
	return in;
}

/* Refuses o's stream with rc: the reason goes back across the portal. */
static void migd_refuse(struct migd *d, struct migd_out *o, uint32_t from, int rc, const char *why)
{
	struct migd_msg msg = { MIGD_REFUSED, o->id, o->pid, d->node, o->mode, 0, rc, 0, 0 };
	char text[MIGD_ERR];

	snprintf(text, sizeof(text), "%s", why);
	migd_write(d, from, o->err, text, strlen(text) + 1);
	migd_send(d, from, &msg);
}

/* A stream's read failed with rc (e saying why): refused. */
static void migd_refuse_stream(struct migd *d, struct migd_out *o, uint32_t from, int rc,
                               const char *why)
{
	char text[MIGD_ERR];

	if (rc == -EIO)
		snprintf(text, sizeof(text),
		         "the NoC transfer from node %u to node %u failed (%.400s)", from, d->node,
		         why);
	else if (rc != -ENOMEM)
		/* a source sends only valid streams: this one changed on the way */
		snprintf(text, sizeof(text),
		         "the stream from node %u could not be read on node %u "
		         "(damaged on the NoC?), and was refused: %.400s",
		         from, d->node, why);
	else
		snprintf(text, sizeof(text), "%s", why);
	migd_refuse(d, o, from, rc == -ENOMEM || rc == -EIO ? rc : -EPROTO, text);
}

/* The options of a restore on d of o's process, moved from node from. */
static struct restore_opts migd_restore_opts(struct migd *d, struct migd_out *o, uint32_t from)
{
	return (struct restore_opts){ d->m->env.profile,
		                      o->pid,
		                      0,
		                      transfer_restore_move,
		                      &o->t,
		                      (int)from,
		                      o->pc ? postcopy_fill : NULL,
		                      o->pc,
		                      NULL };
}

/*
 * A pre-copy round: read in place across the portal (the source's job
 * waits for TAKEN before it touches the stream again) and its pages
 * landed in the frames kept for the process, while it runs.
 */
static void migd_take_round(struct migd *d, struct migd_out *o, uint32_t from, uint32_t round,
                            const struct imgchan *ch)
{
	struct migd_msg msg = { MIGD_TAKEN, o->id, o->pid, d->node, o->mode, round, 0, 0, 0 };
	struct restore_opts ro = migd_restore_opts(d, o, from);
	struct crimg_error e = { "", 0, NULL, NULL };
	struct migd_in *in = migd_in_find(d, o->pid, from);
	struct imgset *set = NULL;
	char name[32], err[MIGD_ERR];
	int rc = 0;

	if (in && round == 1 && in->stage) { /* left of a move that failed */
		restore_stage_free(in->stage);
		in->stage = NULL;
	}
	if ((!in && !(in = migd_in_new(d, o->pid, from))) ||
	    (!in->stage && !(in->stage = restore_stage_new(d->c)))) {
		migd_in_drop(d, in);
		return migd_refuse(d, o, from, -ENOMEM, "out of host memory or frames");
	}
	snprintf(name, sizeof(name), "round %u", round);
	if ((rc = imgset_read_inplace(ch, name, &set, &e)) < 0) {
		migd_in_drop(d, in);
		return migd_refuse_stream(d, o, from, rc, e.msg);
	}
	if ((rc = restore_stage_round(in->stage, set, &ro, err, sizeof(err))) < 0) {
		migd_in_drop(d, in);
		return migd_refuse(d, o, from, rc == -ENOMEM || rc == -EIO ? rc : -EPROTO, err);
	}
	in->watch_until = kcr_now_ns() + MIGD_WATCH_NS;
	migd_send(d, from, &msg);
}

/*
 * The last stream: read across the portal and checked, the process
 * rebuilt; it takes over the NoC presence and runs here, one step of this
 * thread, so the downtime holds no thread hand-off but the source's to
 * this one.
 */
static void migd_take_last(struct migd *d, struct migd_out *o, uint32_t from,
                           const struct imgchan *ch)
{
	struct migd_net *m = d->m;
	struct restore_opts ro = migd_restore_opts(d, o, from);
	struct migd_msg msg = { MIGD_RUNNING, o->id, o->pid, d->node, o->mode, 0, 0, 0, 0 };
	struct crimg_error e = { "", 0, NULL, NULL };
	struct migd_in *in = migd_in_find(d, o->pid, from);
	struct imgset *set = NULL;
	char err[MIGD_ERR];
	int rc;

	rc = imgset_read_inplace(ch, "migration stream", &set, &e);
	/* The last round completes the pages landed before, while the
	 * process ran: only its own land now. */
	ro.stage = in ? in->stage : NULL;
	if (rc < 0) {
		migd_in_drop(d, in);
		return migd_refuse_stream(d, o, from, rc, e.msg);
	}
	if (m->env.fault.target_lost) {
		imgset_free(set);
		migd_in_drop(d, in);
		snprintf(err, sizeof(err),
		         "node %u stopped answering before it took pid %u over (fault injected)",
		         d->node, o->pid);
		return migd_refuse(d, o, from, -EHOSTDOWN, err);
	}
	/* Sleeping nodes (the name service's, a waiter's) are woken once
	 * the process has run a slice (migd_step); the source and this
	 * node poll. */
	doorbell_hold(m->env.noc, 1ull << from | 1ull << d->node);
	rc = restore_process(d->c, set, &ro, err, sizeof(err));
	if (rc) {
		imgset_free(set);
		migd_in_drop(d, in);
		return migd_refuse(d, o, from, rc == -EINVAL || rc == -EBADMSG ? -EPROTO : rc, err);
	}
	if (o->stop_at)
		kcr_set_stop(d->c, o->pid, o->stop_at);
	if (o->pc) {
		/* before it runs: it runs when this step ends */
		struct migd_in *pin = migd_in_new(d, o->pid, from);
		postcopy_bind(o->pc, d->c);
		if (pin) {
			postcopy_hold(o->pc);
			pin->pc = o->pc;
		}
	}
	msg.ns = kcr_now_ns();
	if (m->env.moved)
		m->env.moved(m->env.ctx, o->pid, from, d->node);
	migd_send(d, from, &msg);
	/* The process runs: what is left to free is out of its downtime. */
	imgset_free(set);
	migd_in_drop(d, in);
}

/* A source is about to move pid here: refused if its pages cannot fit;
 * else the frames it will take are warmed, and the thread watches for
 * the stream. */
static void migd_prepared(struct migd *d, const struct migd_msg *msg, uint32_t from)
{
	struct migd_msg ready = { MIGD_READY, msg->id, msg->pid, d->node, msg->mode, 0, 0, 0, 0 };
	struct migd_out *o = migd_out_lookup(&d->m->d[from], msg->pid);
	struct migd_in *in = migd_in_find(d, msg->pid, from);
	char err[MIGD_ERR];

	if (!o)
		return;
	if (restore_check_room(d->c, msg->arg, err, sizeof(err))) {
		migd_in_drop(d, in);
		return migd_refuse(d, o, from, -ENOMEM, err);
	}
	if (!in && !(in = migd_in_new(d, msg->pid, from)))
		return migd_refuse(d, o, from, -ENOMEM, "out of host memory");
	kcr_warm_frames(d->c, msg->arg);
	in->watch_until = kcr_now_ns() + MIGD_WATCH_NS;
	migd_send(d, from, &ready);
}

int migd_hung(struct migd_net *m, uint32_t node)
{
	return m->d[node].hung;
}

uint64_t migd_deadline(struct migd_net *m, uint32_t node)
{
	uint64_t first = 0, at;

	if (!m->env.answer_timeout_ns)
		return 0;
	for (struct migd_out *o = m->d[node].out; o; o = o->next)
		if (o->st == OUT_PREPARE && (at = o->t_prepare + m->env.answer_timeout_ns) &&
		    (!first || at < first))
			first = at;
	return first;
}

int migd_watching(struct migd_net *m, uint32_t node)
{
	uint64_t now = kcr_now_ns();

	for (struct migd_in *in = m->d[node].in; in; in = in->next)
		if (!in->pc && in->watch_until > now)
			return 1;
	/* A source whose process is frozen waits for the target's word:
	 * awake, the target's commit need not wake it (a host wake-up is
	 * a system call in the downtime). */
	for (struct migd_out *o = m->d[node].out; o; o = o->next)
		if (o->st == OUT_LAST && o->t_frozen + MIGD_WATCH_NS > now)
			return 1;
	return 0;
}

/* A source offers a stream: it lies in the source's job, which waits. */
static void migd_offered(struct migd *d, const struct migd_msg *msg, uint32_t from)
{
	struct migd_out *o = migd_out_lookup(&d->m->d[from], msg->pid);
	struct imgseg seg;
	struct transfer_source ts;
	struct imgchan ch;

	if (!o)
		return;
	seg = (struct imgseg){ o->stream.p, o->stream.len };
	ts = (struct transfer_source){ &o->t, { &seg, 1, 0, 0 } };
	ch = transfer_source_chan(&ts);
	if (msg->arg == MIGD_LAST)
		migd_take_last(d, o, from, &ch);
	else
		migd_take_round(d, o, from, msg->arg, &ch);
}

/* Post-copy pages landing here: 1 if a migration finished landing. */
static int migd_land(struct migd *d)
{
	struct migd_in *in, *next;
	int did = 0;

	for (in = d->in; in; in = next) {
		next = in->next;
		if (!in->pc || postcopy_land(in->pc, d->c))
			continue;
		struct migd_msg msg = {
			MIGD_LANDED, 0, in->pid, d->node, MIGD_POST_COPY, 0, 0, 0, 0
		};
		migd_send(d, in->from, &msg);
		migd_in_drop(d, in);
		did = 1;
	}
	return did;
}

/* ---- the daemons ---- */

int migd_step(struct migd_net *m, uint32_t node)
{
	struct migd *d = &m->d[node];
	uint8_t buf[NOC_MAILBOX_MAX];
	struct migd_msg msg;
	struct migd_out *o, *next;
	uint64_t arrival;
	uint32_t src;
	int did = 0;

	/* what a take held, now that the process it moved has run */
	doorbell_release(m->env.noc);
	if (d->hung)
		return 0;
	while (mailbox_kernel_recv(m->env.noc, node, MAILBOX_KS_MIGRATE, buf, &src, &arrival) ==
	       0) {
		memcpy(&msg, buf, sizeof(msg));
		did = 1;
		if (msg.op == MIGD_PREPARE && m->env.fault.hang_node == node + 1) {
			d->hung = 1; /* fault injected: from now on, silence */
			return 1;
		}
		switch (msg.op) {
		case MIGD_START: migd_start(d, &msg, src); break;
		case MIGD_OFFER: migd_offered(d, &msg, src); break;
		case MIGD_READY:
		case MIGD_TAKEN:
		case MIGD_REFUSED:
		case MIGD_RUNNING:
		case MIGD_LANDED: migd_heard(d, &msg); break;
		case MIGD_ABORT: migd_in_drop(d, migd_in_find(d, msg.pid, src)); break;
		case MIGD_PREPARE: migd_prepared(d, &msg, src); break;
		case MIGD_ANSWER: migd_answered(d, &msg); break;
		default: break; /* MIGD_PUSHED: only to wake this node to land */
		}
	}
	/* Only this thread adds to or takes from its own list, but for the
	 * targets' lookups: walk it without the lock. */
	for (o = d->out; o; o = next) {
		next = o->next;
		did |= migd_out_step(d, o);
	}
	return migd_land(d) | did;
}

int migd_step_all(struct migd_net *m)
{
	int did = 0;

	for (uint32_t i = 0; i < m->n; i++)
		did |= migd_step(m, i);
	return did;
}

struct migd_net *migd_net_new(const struct migd_env *env, struct cluster *const *c, uint32_t n)
{
	struct migd_net *m = calloc(1, sizeof(*m));

	if (!m || !(m->d = calloc(n, sizeof(*m->d)))) {
		free(m);
		return NULL;
	}
	m->env = *env;
	m->n = n;
	m->pace = 1;
	pthread_mutex_init(&m->lock, NULL);
	for (uint32_t i = 0; i < n; i++) {
		m->d[i] = (struct migd){ m, c[i], i, PTHREAD_MUTEX_INITIALIZER, NULL, NULL, 0 };
		pthread_mutex_init(&m->d[i].lock, NULL);
		kcr_set_migrate(c[i], migd_self, &m->d[i]);
	}
	return m;
}

void migd_set_pace(struct migd_net *m, uint32_t pages)
{
	m->pace = pages ? pages : 1;
}

void migd_net_free(struct migd_net *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->n; i++) {
		struct migd *d = &m->d[i];
		while (d->out) {
			struct migd_out *o = d->out;
			d->out = o->next;
			migd_out_free(o);
		}
		while (d->in)
			migd_in_drop(d, d->in);
		pthread_mutex_destroy(&d->lock);
	}
	while (m->asks) {
		struct migd_ask *a = m->asks;
		m->asks = a->next;
		free(a);
	}
	pthread_mutex_destroy(&m->lock);
	free(m->d);
	free(m);
}
