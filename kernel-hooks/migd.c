/*
 * migd.c - the clusters' migration daemons (see migd.h): each daemon
 * takes its messages and hands each to the side it is for, the source's
 * (migsrc.c) or the target's (migdst.c); and the requester's side, the
 * board's I/O node asking and hearing the answers.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kernel-hooks/migd_priv.h"
#include "kernel-hooks/migdst.h"
#include "kernel-hooks/migsrc.h"
#include "noc/doorbell.h"
#include "noc/mailbox.h"

/* ---- the requester's side ---- */

int migd_request(struct migd_net *m, uint32_t via, uint32_t pid, uint32_t from, uint32_t to,
                 enum migd_mode mode, uint32_t max_rounds, uint32_t *id)
{
	struct migd_ask *a = calloc(1, sizeof(*a));
	struct migwire_msg msg = { .op = MIGWIRE_START,
		                   .pid = pid,
		                   .node = to,
		                   .mode = mode,
		                   .arg = max_rounds ? max_rounds : MIGD_ROUNDS };

	if (!a)
		return -ENOMEM;
	msg.addr = migwire_addr(a->r);
	msg.reply = migwire_addr(a->err);
	pthread_mutex_lock(&m->lock);
	a->id = *id = msg.id = ++m->next_id;
	a->next = m->asks;
	m->asks = a;
	pthread_mutex_unlock(&m->lock);
	migwire_send(m->env.noc, via, from, &msg);
	return 0;
}

/* An ANSWER came to the requester (its figures and reason written into
 * the ask first): tells the board. */
static void migd_answered(struct migd *d, const struct migwire_msg *msg)
{
	struct migd_net *m = d->m;
	struct migd_result r;
	char err[MIGWIRE_REASON];
	struct migd_ask *a, **pp;

	pthread_mutex_lock(&m->lock);
	for (pp = &m->asks; *pp && (*pp)->id != msg->id; pp = &(*pp)->next)
		;
	if (!(a = *pp)) {
		pthread_mutex_unlock(&m->lock);
		return;
	}
	/* a slot a stage, the reason only once done: the source may be
	 * writing the next while this one is read */
	r = a->r[msg->arg == MIGD_DONE];
	if (msg->arg == MIGD_DONE)
		memcpy(err, a->err, sizeof(err));
	else
		err[0] = 0;
	if (msg->arg == MIGD_DONE) {
		*pp = a->next;
		free(a);
	}
	pthread_mutex_unlock(&m->lock);
	if (m->env.answered)
		m->env.answered(m->env.ctx, msg->id, (enum migd_stage)msg->arg, msg->rc, &r, err);
}

/* ---- the daemons ---- */

int migd_step(struct migd_net *m, uint32_t node)
{
	struct migd *d = &m->d[node];
	struct migwire_msg msg;
	uint32_t src;
	int did = 0;

	/* what a take held, now that the process it moved has run */
	doorbell_release(m->env.noc);
	if (d->hung)
		return 0;
	while (migwire_recv(m->env.noc, node, &msg, &src)) {
		did = 1;
		if (msg.op == MIGWIRE_PREPARE && m->env.fault.hang_node == node + 1) {
			d->hung = 1; /* fault injected: from now on, silence */
			return 1;
		}
		switch (msg.op) {
		case MIGWIRE_START: migsrc_start(d, &msg, src); break;
		case MIGWIRE_PREPARE: migdst_prepared(d, &msg, src); break;
		case MIGWIRE_OFFER: migdst_offered(d, &msg, src); break;
		case MIGWIRE_ABORT: migdst_aborted(d, &msg, src); break;
		case MIGWIRE_ANSWER: migd_answered(d, &msg); break;
		default: migsrc_heard(d, &msg); break; /* READY, REFUSED, TAKEN, RUNNING, LANDED */
		}
	}
	did |= migsrc_step(d);
	return migdst_step(d) | did;
}

int migd_idle(struct migd_net *m, uint32_t node)
{
	const struct migd *d = &m->d[node];

	return d->hung ||
	       (!d->in && !d->out && !mailbox_kernel_pending(m->env.noc, node, MAILBOX_KS_MIGRATE));
}

int migd_step_all(struct migd_net *m)
{
	int did = 0;

	for (uint32_t i = 0; i < m->n; i++)
		did |= migd_step(m, i);
	return did;
}

int migd_moving(struct migd_net *m, uint32_t pid)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (migsrc_moving(&m->d[i], pid))
			return 1;
	return 0;
}

int migd_watching(struct migd_net *m, uint32_t node)
{
	uint64_t now = kcr_now_ns();

	return migdst_watching(&m->d[node], now) || migsrc_watching(&m->d[node], now);
}

uint64_t migd_deadline(struct migd_net *m, uint32_t node)
{
	return migsrc_deadline(&m->d[node]);
}

int migd_hung(struct migd_net *m, uint32_t node)
{
	return m->d[node].hung;
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
		m->d[i] = (struct migd){
			.m = m, .c = c[i], .node = i, .lock = PTHREAD_MUTEX_INITIALIZER
		};
		pthread_mutex_init(&m->d[i].lock, NULL);
		kcr_set_migrate(c[i], migsrc_self, &m->d[i]);
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
			migsrc_free(o);
		}
		while (d->in) {
			struct migd_in *in = d->in;
			d->in = in->next;
			migdst_free(in);
		}
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
