/*
 * names.c - where processes live (see names.h): the residency of a
 * cluster's processes on the NoC, the name service (a kernel service on
 * node KNAME_NODE that maps pids to nodes) and each cluster's cache of
 * its answers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kclock.h"
#include "kernel/kernel_priv.h"
#include "kernel/names.h"
#include "kernel/pidns.h"
#include "kernel/thread.h"
#include "noc/endpoints.h"
#include "noc/mailbox.h"
#include "noc/noc.h"
#include "params/noc_params.h"
#include "params/profile.h"

/* Name service messages, kernel to kernel (one mailbox payload). */
enum kname_op {
	KNAME_REGISTER = 1, /* pid, known as vnode, now runs on node */
	KNAME_UNREGISTER,   /* pid ended */
	KNAME_AWAY_OP,      /* pid was dumped: lookups wait for its restore */
	KNAME_LOOKUP,       /* where does pid run? answer to the sender */
	KNAME_ANSWER,       /* pid runs on node, or err */
	KNAME_VLOOKUP,      /* which pid holds vnode? answered once one does */
	KNAME_VANSWER,      /* vnode is held by pid */
};

struct kname_msg {
	uint32_t op;
	uint32_t pid;
	uint32_t node;
	int32_t err;
	uint32_t vnode;
};

/* Modelled now of the cluster, in ns. */
static uint64_t names_now(const struct cluster *c)
{
	return kclock_cycles_ns(c->clock);
}

static void names_send(struct cluster *c, uint32_t dst, const struct kname_msg *m)
{
	/* Only host memory can fail here; the name service then misses an
	 * update, which a later lookup reports as -ESRCH. */
	(void)mailbox_kernel_send(c->noc, c->node, dst, MAILBOX_KS_NAME, m, sizeof(*m),
	                          names_now(c));
}

static struct kname *names_find(struct cluster *c, uint32_t pid)
{
	for (uint32_t i = 0; i < c->ns_len; i++)
		if (c->ns[i].pid == pid)
			return &c->ns[i];
	return NULL;
}

/* The holder of vnode: the oldest live process started as it (pids grow,
 * so the smallest; one dumped and not restored holds nothing), or NULL. */
static struct kname *names_holder(struct cluster *c, uint32_t vnode)
{
	struct kname *best = NULL;

	for (uint32_t i = 0; i < c->ns_len; i++)
		if (c->ns[i].vnode == vnode && c->ns[i].node != KNAME_AWAY &&
		    (!best || c->ns[i].pid < best->pid))
			best = &c->ns[i];
	return best;
}

/* vnode's bit in ns_ended (virtual nodes are nodes of the board). */
static uint64_t names_bit(uint32_t vnode)
{
	_Static_assert(NOC_NODES_MAX <= 64, "ns_ended is a 64-bit set");
	return vnode < 64 ? 1ull << vnode : 0;
}

/* Room for one more element in *arr (of *cap, *len used); 0 or -ENOMEM. */
static int names_grow(void **arr, uint32_t len, uint32_t *cap, size_t size)
{
	uint32_t ncap = *cap ? *cap * 2 : 64;
	void *t;

	if (len < *cap)
		return 0;
	if (!(t = realloc(*arr, ncap * size)))
		return -ENOMEM;
	*arr = t;
	*cap = ncap;
	return 0;
}

/* Answers every lookup waiting for tag with a. */
static void names_serve_waits(struct cluster *c, uint32_t tag, const struct kname_msg *a)
{
	for (uint32_t i = 0; i < c->ns_nwaits;)
		if (c->ns_waits[i].tag == tag) {
			names_send(c, c->ns_waits[i].src, a);
			c->ns_waits[i] = c->ns_waits[--c->ns_nwaits];
		} else {
			i++;
		}
}

/* Holds src's lookup of tag for later (out of host memory: it is lost,
 * and the asker waits until it asks again). */
static void names_hold(struct cluster *c, uint32_t tag, uint32_t src)
{
	if (!names_grow((void **)&c->ns_waits, c->ns_nwaits, &c->ns_waits_cap,
	                sizeof(*c->ns_waits)))
		c->ns_waits[c->ns_nwaits++] = (struct kname_wait){ tag, src };
}

static void names_serve(struct cluster *c, const struct kname_msg *m, uint32_t src)
{
	struct kname *e = names_find(c, m->pid);
	struct kname_msg a = { KNAME_ANSWER, m->pid, 0, 0, m->vnode };

	switch (m->op) {
	case KNAME_REGISTER:
		/* out of host memory: the pid stays unknown */
		if (!e && names_grow((void **)&c->ns, c->ns_len, &c->ns_cap, sizeof(*c->ns)))
			return;
		if (!e)
			e = &c->ns[c->ns_len++];
		e->pid = m->pid;
		e->node = m->node;
		e->vnode = m->vnode;
		c->ns_ended &= ~names_bit(m->vnode);
		a.node = m->node;
		names_serve_waits(c, m->pid, &a); /* it was dumped: restored now */
		e = names_holder(c, m->vnode);
		names_serve_waits(c, KNAME_VNODE_TAG | m->vnode,
		                  &(struct kname_msg){ KNAME_VANSWER, e->pid, 0, 0, e->vnode });
		break;
	case KNAME_UNREGISTER:
		/* An end is news only from where the service knows pid runs:
		 * one from a node it has left since (restored or moved
		 * elsewhere) is stale, whatever order the messages come in. */
		if (e && e->node != m->node)
			break;
		if (e) {
			uint32_t vnode = e->vnode;
			*e = c->ns[--c->ns_len];
			/* Its node is gone for good unless another holds it: a
			 * lookup of it fails now instead of waiting for ever. */
			if (!names_holder(c, vnode))
				c->ns_ended |= names_bit(vnode);
		}
		break;
	case KNAME_AWAY_OP:
		if (e && e->node == m->node)
			e->node = KNAME_AWAY;
		break;
	case KNAME_LOOKUP:
		if (e && e->node == KNAME_AWAY) {
			names_hold(c, m->pid, src);
			break;
		}
		a.node = e ? e->node : 0;
		a.err = e ? 0 : -ESRCH;
		names_send(c, src, &a);
		break;
	case KNAME_VLOOKUP:
		if ((e = names_holder(c, m->vnode))) {
			a.op = KNAME_VANSWER;
			a.pid = e->pid;
			names_send(c, src, &a);
		} else if (c->ns_ended & names_bit(m->vnode)) {
			a.op = KNAME_VANSWER;
			a.err = -ESRCH;
			names_send(c, src, &a);
		} else {
			names_hold(c, KNAME_VNODE_TAG | m->vnode, src);
		}
		break;
	default: break;
	}
}

static void names_cache(struct cluster *c, uint32_t pid, uint32_t node)
{
	c->names[pid % KNAME_CACHE].pid = pid;
	c->names[pid % KNAME_CACHE].node = node;
}

void names_forget(struct cluster *c, uint32_t pid)
{
	if (c->names[pid % KNAME_CACHE].pid == pid)
		c->names[pid % KNAME_CACHE].pid = 0;
}

/*
 * Threads waiting for the answer about pid: retry, or fail with err. A
 * virtual node's answer completes the waiters' kname_vnode with the pid
 * (its only caller), as futex_wake completes a waiter's call.
 */
static void names_answered(struct cluster *c, const struct kname_msg *m)
{
	uint32_t tag = m->op == KNAME_VANSWER ? KNAME_VNODE_TAG | m->vnode : m->pid;

	for (uint32_t i = 0; i < KNAME_PENDING; i++)
		if (c->pending[i] == tag)
			c->pending[i] = 0;
	if (!m->err && m->op == KNAME_ANSWER)
		names_cache(c, m->pid, m->node);
	for (uint32_t pi = 0; pi < c->prof->processes_per_cluster; pi++) {
		struct uarea *ua = c->procs[pi].ua;
		if (!ua || ua->state != UPROC_RUNNING)
			continue;
		for (unsigned s = 0; s < ua->nslots; s++) {
			struct uthread *t = &ua->slot[s];
			if (t->state != UTHREAD_BLOCKED || t->wait != UWAIT_LOOKUP ||
			    t->wait_arg[0] != tag)
				continue;
			if (m->err || m->op == KNAME_VANSWER) {
				t->hart.x[HART_REG_A0] =
					m->err ? (uint32_t)m->err
					       : pidns_to_seen(c->procs[pi].ns, m->pid);
				hart_retire_ecall(&t->hart);
			}
			thread_wake(c, pi, s);
		}
	}
}

/*
 * Node of process pid: 0 with *node, or -EAGAIN once the name service has
 * been asked (the caller blocks in UWAIT_LOOKUP on pid). With current set,
 * a cached node the pid no longer lives on (it ended) is asked about
 * again; without, the caller's NoC operation finds that out itself
 * (-ESRCH), so the cache is trusted and the NoC is not asked twice.
 */
/* Asks the name service about tag (a pid, or KNAME_VNODE_TAG | vnode)
 * unless already asked; -EAGAIN. */
static int names_ask(struct cluster *c, uint32_t tag)
{
	struct kname_msg m = { KNAME_LOOKUP, tag, 0, 0, 0 };
	int free_slot = -1;

	for (int i = 0; i < KNAME_PENDING; i++) {
		if (c->pending[i] == tag)
			return -EAGAIN; /* asked already */
		if (!c->pending[i] && free_slot < 0)
			free_slot = i;
	}
	if (free_slot >= 0)
		c->pending[free_slot] = tag;
	c->stats.name_lookups++;
	if (tag & KNAME_VNODE_TAG) {
		m.op = KNAME_VLOOKUP;
		m.pid = 0;
		m.vnode = tag & ~KNAME_VNODE_TAG;
	}
	names_send(c, KNAME_NODE, &m);
	return -EAGAIN;
}

int names_resolve(struct cluster *c, uint32_t pid, int current, uint32_t *node)
{
	if (c->names[pid % KNAME_CACHE].pid == pid) {
		*node = c->names[pid % KNAME_CACHE].node;
		if (!current || noc_resident(c->noc, *node, pid)) {
			c->stats.name_hits++;
			return 0;
		}
		c->names[pid % KNAME_CACHE].pid = 0;
	}
	return names_ask(c, pid);
}

void names_ask_vnode(struct cluster *c, uint32_t vnode)
{
	(void)names_ask(c, KNAME_VNODE_TAG | vnode);
}

/* Tells the name service pid, known as vnode, runs here now. */
static void names_register(struct cluster *c, uint32_t pid, uint32_t vnode)
{
	struct kname_msg m = { KNAME_REGISTER, pid, c->node, 0, vnode };

	names_send(c, KNAME_NODE, &m);
}

int names_start(struct cluster *c, uint32_t pid, uint32_t vnode)
{
	int rc;

	if (!c->noc)
		return 0;
	rc = noc_attach(c->noc, c->node, pid);
	if (rc)
		return rc;
	names_register(c, pid, vnode);
	names_cache(c, pid, c->node);
	return 0;
}

int names_move_in(struct cluster *c, uint32_t pid, uint32_t vnode, uint32_t from)
{
	int rc = endpoints_move(c->noc, pid, from, c->node);

	if (rc)
		return rc;
	/* The name service hears it from here: a later lookup answers this
	 * node; senders still holding the old one find the pid gone there
	 * and ask again (ikc_moved). */
	names_register(c, pid, vnode);
	names_cache(c, pid, c->node);
	return 0;
}

void names_moved_out(struct cluster *c, uint32_t pid)
{
	if (c->noc)
		names_forget(c, pid);
}

void names_end(struct cluster *c, uint32_t pid, int away)
{
	if (!c->noc)
		return;
	noc_detach(c->noc, c->node, pid);
	names_send(
		c, KNAME_NODE,
		&(struct kname_msg){ away ? KNAME_AWAY_OP : KNAME_UNREGISTER, pid, c->node, 0, 0 });
	names_forget(c, pid);
}

void names_poll(struct cluster *c)
{
	uint8_t buf[NOC_MAILBOX_MAX];
	struct kname_msg m;
	uint64_t arrival;
	uint32_t src;

	while (mailbox_kernel_recv(c->noc, c->node, MAILBOX_KS_NAME, buf, &src, &arrival) == 0) {
		memcpy(&m, buf, sizeof(m));
		if (m.op == KNAME_ANSWER || m.op == KNAME_VANSWER)
			names_answered(c, &m);
		else if (c->node == KNAME_NODE)
			names_serve(c, &m, src);
	}
}
