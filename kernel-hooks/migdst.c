/*
 * migdst.c - the target's side of a migration (see migdst.h): a state
 * machine, one per process moving onto this node, driven by the source's
 * messages through a table of state x message, and by the daemon's
 * steps between them (a post-copy's pages).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/crerr.h"
#include "kernel-hooks/migd_priv.h"
#include "kernel-hooks/migdst.h"
#include "kernel-hooks/migsrc.h"
#include "kernel-hooks/pages.h"
#include "kernel-hooks/restore.h"
#include "noc/doorbell.h"

static void migdst_send(struct migd *d, uint32_t dst, const struct migwire_msg *msg)
{
	migwire_send(d->m->env.noc, d->node, dst, msg);
}

/* The job of pid coming from node from, or NULL. */
static struct migd_in *migdst_find(struct migd *d, uint32_t pid, uint32_t from)
{
	struct migd_in *in = d->in;

	while (in && !(in->pid == pid && in->from == from && in->st != DST_LANDING))
		in = in->next;
	return in;
}

static void migdst_drop(struct migd *d, struct migd_in *in)
{
	struct migd_in **pp;

	if (!in)
		return;
	for (pp = &d->in; *pp != in; pp = &(*pp)->next)
		;
	*pp = in->next;
	migdst_free(in);
}

void migdst_free(struct migd_in *in)
{
	pages_rounds_free(in->rounds);
	postcopy_free(in->pc);
	transfer_fini(&in->t);
	free(in);
}

/* The stream's portal: its writes counted across the whole migration,
 * faults injected as the board says. */
static void migdst_transfer(struct migd *d, struct migd_in *in)
{
	const struct migd_env *env = &d->m->env;

	transfer_fini(&in->t);
	transfer_init(&in->t, env->noc, in->from, d->node, env->portal_max, 0);
	in->t.fail_at = env->fault.transfer_fail;
	in->t.drop_at = env->fault.noc_drop;
	in->t.corrupt_at = env->fault.noc_corrupt;
	in->t.delay_ns = env->fault.noc_delay_ns;
}

/* A job for msg's migration from node from; NULL if out of memory. */
static struct migd_in *migdst_new(struct migd *d, const struct migwire_msg *msg, uint32_t from)
{
	struct migd_in *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	in->pid = msg->pid;
	in->from = from;
	in->id = msg->id;
	in->mode = (enum migd_mode)msg->mode;
	in->st = DST_READY;
	migdst_transfer(d, in);
	in->next = d->in;
	d->in = in;
	return in;
}

/* Refuses msg with rc: the reason goes into the source's buffer (its
 * reply, on node from) across the portal, then the word. */
static void migdst_refuse(struct migd *d, const struct migwire_msg *msg, uint32_t from, int rc,
                          const char *why)
{
	struct migwire_msg no = { .op = MIGWIRE_REFUSED,
		                  .id = msg->id,
		                  .pid = msg->pid,
		                  .node = d->node,
		                  .mode = msg->mode,
		                  .rc = rc };
	char text[MIGWIRE_REASON];

	snprintf(text, sizeof(text), "%s", why);
	migwire_write(d->m->env.noc, d->node, d->m->env.portal_max, from, migwire_ptr(msg->reply),
	              text, strlen(text) + 1);
	migdst_send(d, from, &no);
}

/* A stream's read failed with rc (why): refused. */
static void migdst_refuse_stream(struct migd *d, const struct migwire_msg *msg, struct migd_in *in,
                                 int rc, const char *why)
{
	char text[MIGWIRE_REASON];

	if (rc == -EIO)
		snprintf(text, sizeof(text),
		         "the NoC transfer from node %u to node %u failed (%.400s)", in->from,
		         d->node, why);
	else if (rc != -ENOMEM)
		/* a source sends only valid streams: this one changed on the way */
		snprintf(text, sizeof(text),
		         "the stream from node %u could not be read on node %u "
		         "(damaged on the NoC?), and was refused: %.400s",
		         in->from, d->node, why);
	else
		snprintf(text, sizeof(text), "%s", why);
	migdst_refuse(d, msg, in->from, rc == -ENOMEM || rc == -EIO ? rc : -EPROTO, text);
}

/* The options of a restore here of in's process. */
static struct restore_opts migdst_restore_opts(struct migd_in *in)
{
	return (struct restore_opts){ .pid = in->pid,
		                      .move_from = (int)in->from,
		                      .xfer = &in->t.x,
		                      .lazy = in->pc ? postcopy_xfer(in->pc) : NULL,
		                      .rounds = in->rounds };
}

/* ---- the source's words, a handler a state and message ---- */

typedef void (*migdst_fn)(struct migd *d, struct migd_in *in, const struct migwire_msg *msg,
                          const struct imgchan *ch);

/*
 * A pre-copy round: read in place across the portal (the source waits
 * for TAKEN before it touches the stream again) and its pages landed in
 * the frames kept for the process, while it runs.
 */
static void migdst_round(struct migd *d, struct migd_in *in, const struct migwire_msg *msg,
                         const struct imgchan *ch)
{
	struct migwire_msg taken = { .op = MIGWIRE_TAKEN,
		                     .id = msg->id,
		                     .pid = msg->pid,
		                     .node = d->node,
		                     .mode = msg->mode,
		                     .arg = msg->arg };
	struct crerr e = CRERR_INIT;
	struct restore_opts ro;
	struct imgset *set = NULL;
	char name[32];
	int rc;

	if (msg->arg == 1 && in->rounds) { /* left of a move that failed */
		pages_rounds_free(in->rounds);
		in->rounds = NULL;
	}
	if (!in->rounds && !(in->rounds = pages_rounds_new(d->c))) {
		migdst_refuse(d, msg, in->from, -ENOMEM, "out of host memory or frames");
		return migdst_drop(d, in);
	}
	snprintf(name, sizeof(name), "round %u", msg->arg);
	if ((rc = imgset_read_inplace(ch, name, &set, &e)) < 0) {
		migdst_refuse_stream(d, msg, in, rc, e.msg);
		return migdst_drop(d, in);
	}
	ro = migdst_restore_opts(in);
	if ((rc = pages_rounds_take(in->rounds, set, &ro, &e)) < 0) {
		migdst_refuse(d, msg, in->from, rc == -ENOMEM || rc == -EIO ? rc : -EPROTO, e.msg);
		return migdst_drop(d, in);
	}
	in->st = DST_ROUNDS;
	in->watch_until = kcr_now_ns() + MIGD_WATCH_NS;
	migdst_send(d, in->from, &taken);
}

/*
 * The last stream: read across the portal and checked, the process
 * rebuilt; it takes over the NoC presence and runs here, one step of
 * this thread, so the downtime holds no thread hand-off but the source's
 * to this one. Post-copy: the table of the pages left behind is read
 * too, and they come as the process touches them or this thread pulls
 * them.
 */
static void migdst_last(struct migd *d, struct migd_in *in, const struct migwire_msg *msg,
                        const struct imgchan *ch)
{
	struct migd_net *m = d->m;
	struct migwire_msg running = { .op = MIGWIRE_RUNNING,
		                       .id = msg->id,
		                       .pid = msg->pid,
		                       .node = d->node,
		                       .mode = msg->mode };
	struct crerr e = CRERR_INIT;
	struct restore_opts ro;
	struct imgset *set = NULL;
	int rc;

	if ((rc = imgset_read_inplace(ch, "migration stream", &set, &e)) < 0) {
		migdst_refuse_stream(d, msg, in, rc, e.msg);
		return migdst_drop(d, in);
	}
	if (m->env.fault.target_lost) {
		imgset_free(set);
		crerr_fail(&e, -EHOSTDOWN,
		           "node %u stopped answering before it took pid %u over (fault injected)",
		           d->node, in->pid);
		migdst_refuse(d, msg, in->from, e.code, e.msg);
		return migdst_drop(d, in);
	}
	if (msg->mode == MIGD_POST_COPY &&
	    (!(in->pc = postcopy_new(m->env.noc, in->pid, in->from, d->node, m->env.portal_max)) ||
	     postcopy_read_table(in->pc, msg->addr2, msg->arg2) < 0)) {
		imgset_free(set);
		migdst_refuse(d, msg, in->from, -ENOMEM, "out of host memory");
		return migdst_drop(d, in);
	}
	if (in->pc && m->env.fault.source_lost)
		postcopy_cut_after(in->pc, m->env.fault.source_lost_after);
	/* Sleeping nodes (the name service's, a waiter's) are woken once
	 * the process has run a slice (migd_step); the source and this
	 * node poll. */
	doorbell_hold(m->env.noc, 1ull << in->from | 1ull << d->node);
	ro = migdst_restore_opts(in);
	if ((rc = restore_process(d->c, set, &ro, &e))) {
		imgset_free(set);
		migdst_refuse(d, msg, in->from, rc == -EINVAL || rc == -EBADMSG ? -EPROTO : rc,
		              e.msg);
		return migdst_drop(d, in);
	}
	if (msg->stop_at)
		kcr_set_stop(d->c, in->pid, msg->stop_at);
	if (in->pc) {
		/* before it runs: it runs when this step ends */
		postcopy_bind(in->pc, d->c);
		in->st = DST_LANDING;
	}
	running.ns = kcr_now_ns();
	running.bytes = in->t.bytes;
	running.model_ns = in->t.model_ns;
	if (m->env.moved)
		m->env.moved(m->env.ctx, in->pid, in->from, d->node);
	migdst_send(d, in->from, &running);
	/* The process runs: what is left to free is out of its downtime. */
	imgset_free(set);
	if (!in->pc)
		migdst_drop(d, in);
}

/* An OFFER: the stream lies on the source, where the target reads it. */
static void migdst_offer(struct migd *d, struct migd_in *in, const struct migwire_msg *msg,
                         const struct imgchan *ch)
{
	if (msg->arg == MIGWIRE_LAST)
		migdst_last(d, in, msg, ch);
	else
		migdst_round(d, in, msg, ch);
}

static const migdst_fn migdst_table[DST_STATES][MIGWIRE_OPS] = {
	[DST_READY] = { [MIGWIRE_OFFER] = migdst_offer },
	[DST_ROUNDS] = { [MIGWIRE_OFFER] = migdst_offer },
};

void migdst_offered(struct migd *d, const struct migwire_msg *msg, uint32_t from)
{
	struct migd_in *in = migdst_find(d, msg->pid, from);
	struct imgseg seg = { migwire_ptr(msg->addr), msg->len };
	struct pagexfer_in src;
	struct imgchan ch;
	migdst_fn fn;

	if (!in && !(in = migdst_new(d, msg, from)))
		return; /* out of host memory: the source's wait ends with the board */
	src = (struct pagexfer_in){ &in->t.x, { &seg, 1, 0, 0 } };
	ch = pagexfer_chan_in(&src);
	if ((fn = migdst_table[in->st][msg->op]))
		fn(d, in, msg, &ch);
}

void migdst_prepared(struct migd *d, const struct migwire_msg *msg, uint32_t from)
{
	struct migwire_msg ready = { .op = MIGWIRE_READY,
		                     .id = msg->id,
		                     .pid = msg->pid,
		                     .node = d->node,
		                     .mode = msg->mode };
	struct migd_in *in = migdst_find(d, msg->pid, from);
	struct crerr e = CRERR_INIT;

	/* A post-copy from here still drains: its frozen copy holds the pid. */
	if (migsrc_holds(d, msg->pid))
		crerr_fail(&e, -EBUSY,
		           "pid %u: node %u still holds its copy until the pages of a "
		           "post-copy have left it; try again",
		           msg->pid, d->node);
	else
		restore_check_room(d->c, msg->arg, &e);
	if (e.code) {
		migdst_drop(d, in);
		return migdst_refuse(d, msg, from, e.code, e.msg);
	}
	if (in) /* left of a move that failed: this one starts afresh */
		migdst_drop(d, in);
	if (!(in = migdst_new(d, msg, from)))
		return migdst_refuse(d, msg, from, -ENOMEM, "out of host memory");
	kcr_warm_frames(d->c, msg->arg);
	in->watch_until = kcr_now_ns() + MIGD_WATCH_NS;
	migdst_send(d, from, &ready);
}

void migdst_aborted(struct migd *d, const struct migwire_msg *msg, uint32_t from)
{
	migdst_drop(d, migdst_find(d, msg->pid, from));
}

/* ---- a post-copy's pages, between rounds ---- */

int migdst_step(struct migd *d)
{
	struct migd_in *in, *next;
	int did = 0;

	for (in = d->in; in; in = next) {
		next = in->next;
		if (in->st != DST_LANDING)
			continue;
		if (!in->landed) {
			did |= postcopy_pull(in->pc, d->c, d->m->pace) != 0;
			if (postcopy_settled(in->pc)) {
				struct postcopy_stats st;
				struct migwire_msg landed = { .op = MIGWIRE_LANDED,
					                      .id = in->id,
					                      .pid = in->pid,
					                      .node = d->node,
					                      .mode = MIGD_POST_COPY };
				postcopy_get_stats(in->pc, &st);
				landed.arg = st.fetched;
				landed.arg2 = st.pulled;
				landed.arg3 = st.lost;
				landed.bytes = st.bytes;
				landed.model_ns = st.model_ns;
				migdst_send(d, in->from, &landed);
				in->landed = 1;
				did = 1;
			}
		}
		/* the process's pages ask nothing more of it: it goes */
		if (in->landed && postcopy_released(in->pc)) {
			migdst_drop(d, in);
			did = 1;
		}
	}
	return did;
}

int migdst_watching(struct migd *d, uint64_t now)
{
	for (struct migd_in *in = d->in; in; in = in->next)
		if (in->st != DST_LANDING && in->watch_until > now)
			return 1;
	return 0;
}
