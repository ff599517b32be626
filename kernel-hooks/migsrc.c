/*
 * migsrc.c - the source's side of a migration (see migsrc.h): a state
 * machine, one per process moving off this node, driven by the target's
 * messages through a table of state x message, and by the daemon's steps
 * between them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/crerr.h"
#include "images/imgparams.h"
#include "kernel-hooks/capture.h"
#include "kernel-hooks/migd_priv.h"
#include "kernel-hooks/migsrc.h"

static void migsrc_send(struct migd *d, uint32_t dst, const struct migwire_msg *msg)
{
	migwire_send(d->m->env.noc, d->node, dst, msg);
}

/* Writes len bytes into dst on node to, across the portal. */
static void migsrc_write(struct migd *d, uint32_t to, uint64_t dst, const void *src, size_t len)
{
	migwire_write(d->m->env.noc, d->node, d->m->env.portal_max, to, migwire_ptr(dst), src, len);
}

/* o's outcome to its requester (its figures and, when it is done, its
 * reason, written into the requester's buffers first); a process that
 * asked itself hears only of failure. */
static void migsrc_answer(struct migd *d, struct migd_out *o, enum migd_stage stage, int rc)
{
	struct migwire_msg msg = { .op = MIGWIRE_ANSWER,
		                   .id = o->id,
		                   .pid = o->pid,
		                   .node = d->node,
		                   .mode = o->mode,
		                   .arg = stage,
		                   .rc = rc };

	if (o->self) {
		if (stage == MIGD_DONE && rc && !o->moved)
			kcr_migrate_failed(d->c, o->pid, rc);
		return;
	}
	/* a slot a stage: the requester may still read the one before */
	migsrc_write(d, o->via, o->result + (stage == MIGD_DONE) * sizeof(o->r), &o->r,
	             sizeof(o->r));
	if (stage == MIGD_DONE)
		migsrc_write(d, o->via, o->reason, o->err, strlen(o->err) + 1);
	migsrc_send(d, o->via, &msg);
}

/* Job of pid; d's lock held. */
static struct migd_out *migsrc_find(struct migd *d, uint32_t pid)
{
	struct migd_out *o = d->out;

	while (o && o->pid != pid)
		o = o->next;
	return o;
}

int migsrc_holds(struct migd *d, uint32_t pid)
{
	int holds;

	pthread_mutex_lock(&d->lock);
	holds = migsrc_find(d, pid) != NULL;
	pthread_mutex_unlock(&d->lock);
	return holds;
}

int migsrc_moving(struct migd *d, uint32_t pid)
{
	struct migd_out *o;
	int moving;

	pthread_mutex_lock(&d->lock);
	o = migsrc_find(d, pid);
	moving = o && !o->moved;
	pthread_mutex_unlock(&d->lock);
	return moving;
}

/* Why pid cannot go from d to node to, as far as d knows (0 if it can;
 * the target says the rest). */
static int migsrc_check(struct migd *d, uint32_t pid, uint32_t to, struct crerr *e)
{
	struct migd_net *m = d->m;

	/* I/O clusters run programs too, as in Nanvix: a process may be
	 * started, restored and moved onto any node alike. */
	if (to >= m->n)
		return crerr_fail(e, -EINVAL, "node %u is not a node of the %s board (0 to %u)", to,
		                  m->env.profile, m->n - 1);
	if (to == d->node)
		return crerr_fail(e, -EINVAL, "pid %u already runs on node %u", pid, to);
	if (migsrc_holds(d, pid))
		return crerr_fail(e, -EBUSY, "pid %u is being migrated already", pid);
	return 0;
}

static struct migd_out *migsrc_new(struct migd *d, const struct migd_out *ask)
{
	struct migd_out *o = malloc(sizeof(*o));

	if (!o)
		return NULL;
	*o = *ask;
	o->t_request = kcr_now_ns();
	o->r.from = d->node;
	o->r.to = o->to;
	pthread_mutex_lock(&d->lock);
	o->next = d->out;
	d->out = o;
	pthread_mutex_unlock(&d->lock);
	return o;
}

void migsrc_free(struct migd_out *o)
{
	imgset_free(o->spent);
	free(o->stream.p);
	postcopy_table_free(&o->lazy);
	free(o);
}

/* Ends o with rc: the requester hears, and a process that did not move
 * runs on where it was. */
static void migsrc_end(struct migd *d, struct migd_out *o, int rc)
{
	struct migd_out **pp;

	if (rc && !o->moved) {
		kcr_thaw(d->c, o->pid);
		/* the target forgets the rounds and the watch (PREPARE) */
		struct migwire_msg abort = { .op = MIGWIRE_ABORT, .pid = o->pid, .node = d->node };
		migsrc_send(d, o->to, &abort);
	}
	migsrc_answer(d, o, MIGD_DONE, rc);
	pthread_mutex_lock(&d->lock);
	for (pp = &d->out; *pp != o; pp = &(*pp)->next)
		;
	*pp = o->next;
	pthread_mutex_unlock(&d->lock);
	migsrc_free(o);
}

/* The process's mapped pages (0 if it is gone). */
static uint32_t migsrc_pages_of(struct migd *d, uint32_t pid)
{
	const struct uarea *ua = kcr_uarea(d->c, pid);

	return ua ? ua->pages : 0;
}

/* Room in o->stream for all of o's process, its host memory backed
 * before the process freezes: a fresh buffer's first touches would
 * otherwise fall in the downtime (tens of microseconds). */
static void migsrc_ready_stream(struct migd *d, struct migd_out *o)
{
	size_t want = ((size_t)migsrc_pages_of(d, o->pid) + 16) * CRIMG_PAGE_SIZE;

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
 * pre-copy, only those written since the last round; post-copy: those
 * outside the stacks listed in o->lazy, not taken).
 */
static int migsrc_capture(struct migd *d, struct migd_out *o, int pre)
{
	struct capture_opts co = { .pre_dump = pre,
		                   .parent_id = o->parent_id,
		                   .parent_dir = "../round",
		                   .in_place = !pre,
		                   .lazy = o->mode == MIGD_POST_COPY ? postcopy_table_add : NULL,
		                   .lazy_ctx = &o->lazy };
	struct crerr e = CRERR_INIT;
	struct imgchan ch;
	struct imgset *set = NULL;
	int rc;

	o->stream.len = o->stream.pos = 0;
	ch = imgchan_mem(&o->stream);
	migsrc_ready_stream(d, o);
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

/* Tells the target where the stream lies: round (or MIGWIRE_LAST, with
 * the stop point and the pages left behind). */
static void migsrc_offer(struct migd *d, struct migd_out *o, uint32_t round)
{
	struct migwire_msg msg = { .op = MIGWIRE_OFFER,
		                   .id = o->id,
		                   .pid = o->pid,
		                   .node = d->node,
		                   .mode = o->mode,
		                   .arg = round,
		                   .reply = migwire_addr(o->err),
		                   .addr = migwire_addr(o->stream.p),
		                   .len = o->stream.len };

	if (round == MIGWIRE_LAST) {
		msg.stop_at = o->stop_at;
		msg.addr2 = migwire_addr(o->lazy.page);
		msg.arg2 = o->lazy.n;
	}
	migsrc_send(d, o->to, &msg);
	imgset_free(o->spent);
	o->spent = NULL;
}

/* Pre-copy: the next round of pages, offered while the process runs. */
static void migsrc_round(struct migd *d, struct migd_out *o)
{
	int rc = migsrc_capture(d, o, 1);

	if (rc)
		return migsrc_end(d, o, rc);
	o->st = SRC_ROUND;
	migsrc_offer(d, o, o->r.rounds + 1);
}

/* The last stream, the process frozen until the target answers. */
static void migsrc_last(struct migd *d, struct migd_out *o)
{
	int rc;

	o->t_request = kcr_now_ns(); /* the freeze of this capture, not the rounds' */
	if ((rc = migsrc_capture(d, o, 0)))
		return migsrc_end(d, o, rc);
	o->r.freeze_ns = o->t_frozen - o->t_request;
	o->st = SRC_LAST;
	migsrc_offer(d, o, MIGWIRE_LAST);
}

/* The target gets ready (its frames backed, its thread watching for the
 * stream) before anything freezes: nothing of that falls in the
 * downtime. */
static void migsrc_prepare(struct migd *d, struct migd_out *o)
{
	struct migwire_msg prepare = { .op = MIGWIRE_PREPARE,
		                       .id = o->id,
		                       .pid = o->pid,
		                       .node = d->node,
		                       .mode = o->mode,
		                       .arg = migsrc_pages_of(d, o->pid),
		                       .reply = migwire_addr(o->err) };

	o->st = SRC_PREPARE;
	o->t_prepare = kcr_now_ns();
	migsrc_send(d, o->to, &prepare);
}

/* ---- the target's words, a handler a state and message ---- */

typedef void (*migsrc_fn)(struct migd *d, struct migd_out *o, const struct migwire_msg *msg);

/* READY: the first round (pre-copy), or the last. */
static void migsrc_ready(struct migd *d, struct migd_out *o, const struct migwire_msg *msg)
{
	struct migd_net *m = d->m;

	(void)msg;
	if (o->mode == MIGD_PRE_COPY) {
		if (m->env.untracked)
			m->env.untracked(m->env.ctx, o->pid);
		return migsrc_round(d, o);
	}
	migsrc_last(d, o);
}

/* TAKEN: another round while the rounds shrink, else the last. */
static void migsrc_taken(struct migd *d, struct migd_out *o, const struct migwire_msg *msg)
{
	(void)msg;
	o->parent_id = o->set_id;
	o->r.pages += o->pages;
	o->r.rounds++;
	if (o->pages < MIGD_PRE_SMALL || o->pages >= o->last || o->r.rounds >= o->max_rounds)
		return migsrc_last(d, o);
	o->last = o->pages;
	migsrc_round(d, o);
}

/* REFUSED: the reason is in o->err already; the process runs on here. */
static void migsrc_refused(struct migd *d, struct migd_out *o, const struct migwire_msg *msg)
{
	migsrc_end(d, o, msg->rc);
}

/* RUNNING: it runs on the target; this copy goes (post-copy: once the
 * pages left behind have landed). */
static void migsrc_running(struct migd *d, struct migd_out *o, const struct migwire_msg *msg)
{
	o->moved = 1;
	o->r.downtime_ns = msg->ns - o->t_frozen;
	o->r.pages += o->pages;
	o->r.rounds++;
	o->r.bytes = msg->bytes;
	o->r.model_ns = msg->model_ns;
	free(o->stream.p);
	o->stream = (struct imgmem){ 0 };
	if (o->mode != MIGD_POST_COPY) {
		kcr_release_moved(d->c, o->pid);
		return migsrc_end(d, o, 0);
	}
	o->r.lazy_pages = o->lazy.n;
	o->st = SRC_LAND;
	migsrc_answer(d, o, MIGD_RUNS, 0);
}

/* LANDED: every page left behind is on the target, or never will be. */
static void migsrc_landed(struct migd *d, struct migd_out *o, const struct migwire_msg *msg)
{
	int rc = 0;

	o->r.faults = msg->arg;
	o->r.pushed = msg->arg2;
	o->r.pages += msg->arg + msg->arg2;
	o->r.bytes += msg->bytes;
	o->r.model_ns += msg->model_ns;
	kcr_release_moved(d->c, o->pid);
	if ((o->r.lost = msg->arg3) != 0) {
		snprintf(o->err, sizeof(o->err),
		         "pid %u: node %u was lost during the post-copy: %u of its %u pages did "
		         "not reach node %u; the process dies if it touches one",
		         o->pid, d->node, o->r.lost, o->lazy.n, o->to);
		rc = -EHOSTDOWN;
	}
	migsrc_end(d, o, rc);
}

static const migsrc_fn migsrc_table[SRC_STATES][MIGWIRE_OPS] = {
	[SRC_PREPARE] = { [MIGWIRE_READY] = migsrc_ready, [MIGWIRE_REFUSED] = migsrc_refused },
	[SRC_ROUND] = { [MIGWIRE_TAKEN] = migsrc_taken, [MIGWIRE_REFUSED] = migsrc_refused },
	[SRC_LAST] = { [MIGWIRE_RUNNING] = migsrc_running, [MIGWIRE_REFUSED] = migsrc_refused },
	[SRC_LAND] = { [MIGWIRE_LANDED] = migsrc_landed },
};

void migsrc_heard(struct migd *d, const struct migwire_msg *msg)
{
	struct migd_out *o;
	migsrc_fn fn;

	pthread_mutex_lock(&d->lock);
	o = migsrc_find(d, msg->pid);
	pthread_mutex_unlock(&d->lock);
	if (o && msg->op < MIGWIRE_OPS && (fn = migsrc_table[o->st][msg->op]))
		fn(d, o, msg);
}

/* ---- requests, and the steps between messages ---- */

void migsrc_start(struct migd *d, const struct migwire_msg *msg, uint32_t via)
{
	struct migd_out ask = { .id = msg->id,
		                .via = via,
		                .result = msg->addr,
		                .reason = msg->reply,
		                .pid = msg->pid,
		                .to = msg->node,
		                .mode = (enum migd_mode)msg->mode,
		                .max_rounds = msg->arg };
	struct crerr e = CRERR_INIT;
	int rc;

	if (msg->mode > MIGD_POST_COPY)
		rc = crerr_fail(&e, -EINVAL, "unknown migration mode %u", msg->mode);
	else
		rc = migsrc_check(d, msg->pid, msg->node, &e);
	if (rc == 0 && !migsrc_new(d, &ask))
		rc = crerr_fail(&e, -ENOMEM, "out of host memory");
	if (rc) {
		snprintf(ask.err, sizeof(ask.err), "%s", e.msg);
		ask.r.from = d->node;
		ask.r.to = msg->node;
		migsrc_answer(d, &ask, MIGD_DONE, rc);
	}
}

int migsrc_self(void *ctx, uint32_t pid, uint32_t node, uint32_t mode)
{
	struct migd *d = ctx;
	struct migd_out ask = { .via = d->node,
		                .self = 1,
		                .pid = pid,
		                .to = node,
		                .mode = (enum migd_mode)mode,
		                .max_rounds = MIGD_ROUNDS };
	struct crerr e = CRERR_INIT;
	int rc = migsrc_check(d, pid, node, &e);

	if (rc)
		return rc;
	return migsrc_new(d, &ask) ? 0 : -ENOMEM;
}

int migsrc_step(struct migd *d)
{
	uint64_t timeout = d->m->env.answer_timeout_ns;
	struct migd_out *o, *next;
	int did = 0;

	/* Only this thread adds to or takes from its own list, but for the
	 * lookups of migd_moving: walk it without the lock. */
	for (o = d->out; o; o = next) {
		next = o->next;
		if (o->st == SRC_START) {
			migsrc_prepare(d, o);
			did = 1;
		} else if (o->st == SRC_PREPARE && timeout &&
		           kcr_now_ns() - o->t_prepare >= timeout) {
			/* Nothing is frozen or sent yet: a target that does
			 * not answer in time is given up, and the process runs
			 * on here. (Later a target reads the stream where it
			 * lies, so a wait then is not cut short: see
			 * migrate-target-lost.) */
			snprintf(o->err, sizeof(o->err),
			         "node %u stopped answering: no word in %.1f s; pid %u runs on "
			         "where it "
			         "was",
			         o->to, timeout / 1e9, o->pid);
			migsrc_end(d, o, -EHOSTDOWN);
			did = 1;
		}
	}
	return did;
}

int migsrc_watching(struct migd *d, uint64_t now)
{
	/* A source whose process is frozen waits for the target's word:
	 * awake, the target's commit need not wake it (a host wake-up is
	 * a system call in the downtime). */
	for (struct migd_out *o = d->out; o; o = o->next)
		if (o->st == SRC_LAST && o->t_frozen + MIGD_WATCH_NS > now)
			return 1;
	return 0;
}

uint64_t migsrc_deadline(struct migd *d)
{
	uint64_t first = 0, at, timeout = d->m->env.answer_timeout_ns;

	if (!timeout)
		return 0;
	for (struct migd_out *o = d->out; o; o = o->next)
		if (o->st == SRC_PREPARE && (at = o->t_prepare + timeout) && (!first || at < first))
			first = at;
	return first;
}
