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
#include "kernel/thread.h"
#include "noc/endpoints.h"
#include "noc/mailbox.h"
#include "noc/noc.h"
#include "params/profile.h"

/* Name service messages, kernel to kernel (one mailbox payload). */
enum kname_op {
	KNAME_REGISTER = 1, /* pid now runs on node */
	KNAME_UNREGISTER,   /* pid ended */
	KNAME_LOOKUP,       /* where does pid run? answer to the sender */
	KNAME_ANSWER,       /* pid runs on node, or err */
};

struct kname_msg {
	uint32_t op;
	uint32_t pid;
	uint32_t node;
	int32_t err;
};

/* Modelled now of the cluster, in ns. */
static uint64_t names_now(const struct cluster *c)
{
	return kclock_cycles_ns(c->clock);
}

static void names_send(struct cluster *c, uint32_t dst, uint32_t op, uint32_t pid, uint32_t node,
                       int32_t err)
{
	struct kname_msg m = { op, pid, node, err };

	/* Only host memory can fail here; the name service then misses an
	 * update, which a later lookup reports as -ESRCH. */
	(void)mailbox_kernel_send(c->noc, c->node, dst, MAILBOX_KS_NAME, &m, sizeof(m),
	                          names_now(c));
}

static struct kname *names_find(struct cluster *c, uint32_t pid)
{
	for (uint32_t i = 0; i < c->ns_len; i++)
		if (c->ns[i].pid == pid)
			return &c->ns[i];
	return NULL;
}

static void names_serve(struct cluster *c, const struct kname_msg *m, uint32_t src)
{
	struct kname *e = names_find(c, m->pid);

	switch (m->op) {
	case KNAME_REGISTER:
		if (!e && c->ns_len == c->ns_cap) {
			uint32_t cap = c->ns_cap ? c->ns_cap * 2 : 64;
			struct kname *t = realloc(c->ns, cap * sizeof(*t));
			if (!t)
				return; /* out of host memory: the pid stays unknown */
			c->ns = t;
			c->ns_cap = cap;
		}
		if (!e)
			e = &c->ns[c->ns_len++];
		e->pid = m->pid;
		e->node = m->node;
		break;
	case KNAME_UNREGISTER:
		if (e)
			*e = c->ns[--c->ns_len];
		break;
	case KNAME_LOOKUP:
		names_send(c, src, KNAME_ANSWER, m->pid, e ? e->node : 0, e ? 0 : -ESRCH);
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

/* Threads waiting for the answer about pid: retry, or fail with err. */
static void names_answered(struct cluster *c, const struct kname_msg *m)
{
	for (uint32_t i = 0; i < KNAME_PENDING; i++)
		if (c->pending[i] == m->pid)
			c->pending[i] = 0;
	if (!m->err)
		names_cache(c, m->pid, m->node);
	for (uint32_t pi = 0; pi < c->prof->processes_per_cluster; pi++) {
		struct uarea *ua = c->procs[pi].ua;
		if (!ua || ua->state != UPROC_RUNNING)
			continue;
		for (unsigned s = 0; s < ua->nslots; s++) {
			struct uthread *t = &ua->slot[s];
			if (t->state != UTHREAD_BLOCKED || t->wait != UWAIT_LOOKUP ||
			    t->wait_arg[0] != m->pid)
				continue;
			if (m->err) {
				t->hart.x[HART_REG_A0] = (uint32_t)m->err;
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
int names_resolve(struct cluster *c, uint32_t pid, int current, uint32_t *node)
{
	int free_slot = -1;

	if (c->names[pid % KNAME_CACHE].pid == pid) {
		*node = c->names[pid % KNAME_CACHE].node;
		if (!current || noc_resident(c->noc, *node, pid)) {
			c->stats.name_hits++;
			return 0;
		}
		c->names[pid % KNAME_CACHE].pid = 0;
	}
	for (int i = 0; i < KNAME_PENDING; i++) {
		if (c->pending[i] == pid)
			return -EAGAIN; /* asked already */
		if (!c->pending[i] && free_slot < 0)
			free_slot = i;
	}
	if (free_slot >= 0)
		c->pending[free_slot] = pid;
	c->stats.name_lookups++;
	names_send(c, KNAME_NODE, KNAME_LOOKUP, pid, 0, 0);
	return -EAGAIN;
}

int names_start(struct cluster *c, uint32_t pid)
{
	int rc;

	if (!c->noc)
		return 0;
	rc = noc_attach(c->noc, c->node, pid);
	if (rc)
		return rc;
	names_send(c, KNAME_NODE, KNAME_REGISTER, pid, c->node, 0);
	names_cache(c, pid, c->node);
	return 0;
}

int names_move_in(struct cluster *c, uint32_t pid, uint32_t from)
{
	int rc = endpoints_move(c->noc, pid, from, c->node);

	if (rc)
		return rc;
	/* The name service hears it from here: a later lookup answers this
	 * node; senders still holding the old one find the pid gone there
	 * and ask again (ikc_moved). */
	names_send(c, KNAME_NODE, KNAME_REGISTER, pid, c->node, 0);
	names_cache(c, pid, c->node);
	return 0;
}

void names_moved_out(struct cluster *c, uint32_t pid)
{
	if (c->noc)
		names_forget(c, pid);
}

void names_end(struct cluster *c, uint32_t pid)
{
	if (!c->noc)
		return;
	noc_detach(c->noc, c->node, pid);
	names_send(c, KNAME_NODE, KNAME_UNREGISTER, pid, 0, 0);
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
		if (m.op == KNAME_ANSWER)
			names_answered(c, &m);
		else if (c->node == KNAME_NODE)
			names_serve(c, &m, src);
	}
}
