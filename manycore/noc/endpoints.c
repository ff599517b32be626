/*
 * endpoints.c - a process's input endpoints as data: saved on the node
 * it leaves, loaded on the node it comes back on, or handed over whole
 * (see endpoints.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "noc/endpoints.h"
#include "noc/noc_priv.h"
#include "params/profile.h"

void endpoints_free(struct noc_ep *eps, uint32_t neps)
{
	for (uint32_t i = 0; eps && i < neps; i++) {
		for (uint32_t k = 0; k < eps[i].nmsgs; k++)
			free(eps[i].msgs[k].data);
		free(eps[i].msgs);
	}
	free(eps);
}

/* Appends a message copy of len bytes to ep. 0 or -ENOMEM. */
static int endpoints_add_msg(struct noc_ep *ep, uint32_t src_pid, uint32_t tag, const void *data,
                             uint32_t len)
{
	struct noc_ep_msg *m = &ep->msgs[ep->nmsgs];

	m->data = malloc(len ? len : 1);
	if (!m->data)
		return -ENOMEM;
	memcpy(m->data, data, len);
	m->src_pid = src_pid;
	m->tag = tag;
	m->len = len;
	ep->nmsgs++;
	return 0;
}

int endpoints_save(struct noc *n, uint32_t node, uint32_t pid, struct noc_ep **eps, uint32_t *neps)
{
	const struct profile *p = n->prof;
	struct noc_node *nd = &n->node[node];
	uint32_t max = 0, k = 0;
	struct noc_ep *out;
	int rc = 0;

	*eps = NULL;
	*neps = 0;
	pthread_mutex_lock(&n->lock);
	/* Room for just its own: an endpoint is large (sync members), and
	 * zeroing one for every port of the node showed in a migration's
	 * downtime. */
	for (uint32_t i = 0; pid != NOC_KERNEL_PID && i < p->mailbox_ports; i++)
		max += (nd->mbx[i].pid == pid) + (nd->sync[i].pid == pid);
	for (uint32_t i = 0; pid != NOC_KERNEL_PID && i < p->portal_ports; i++)
		max += nd->portal[i].pid == pid;
	if (!(out = calloc(max + 1u, sizeof(*out)))) {
		pthread_mutex_unlock(&n->lock);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < p->mailbox_ports && !rc; i++) {
		const struct noc_mbx *m = &nd->mbx[i];
		struct noc_ep *ep = &out[k];
		if (m->pid != pid || pid == NOC_KERNEL_PID)
			continue;
		k++;
		ep->kind = NOC_EP_MAILBOX;
		ep->port = m->port;
		if (m->count && !(ep->msgs = calloc(m->count, sizeof(*ep->msgs))))
			rc = -ENOMEM;
		for (uint32_t j = 0; j < m->count && !rc; j++) {
			const struct noc_msg *msg = &m->q[(m->head + j) % NOC_MAILBOX_DEPTH];
			rc = endpoints_add_msg(ep, msg->src_pid, msg->tag, msg->data,
			                       p->mailbox_payload);
		}
	}
	for (uint32_t i = 0; i < p->portal_ports && !rc; i++) {
		const struct noc_portal *pt = &nd->portal[i];
		struct noc_ep *ep = &out[k];
		if (pt->pid != pid || pid == NOC_KERNEL_PID)
			continue;
		k++;
		ep->kind = NOC_EP_PORTAL;
		ep->port = pt->port;
		ep->allow_pid = pt->allow_pid;
		ep->allow_tag = pt->allow_tag;
		if (pt->nwrites && !(ep->msgs = calloc(pt->nwrites, sizeof(*ep->msgs))))
			rc = -ENOMEM;
		for (uint32_t j = 0; j < pt->nwrites && !rc; j++)
			rc = endpoints_add_msg(ep, pt->w[j].src_pid, pt->w[j].tag, pt->w[j].data,
			                       pt->w[j].len);
	}
	for (uint32_t i = 0; i < p->mailbox_ports && !rc; i++) {
		const struct noc_sync *s = &nd->sync[i];
		struct noc_ep *ep = &out[k];
		if (s->pid != pid || pid == NOC_KERNEL_PID)
			continue;
		k++;
		ep->kind = NOC_EP_SYNC;
		ep->port = s->key;
		ep->created = s->created;
		ep->nexpect = s->nexpect;
		memcpy(ep->expect, s->expect, sizeof(ep->expect));
		for (uint32_t j = 0; j < s->nfrom; j++)
			if (s->count[j]) {
				ep->from[ep->nfrom] = s->from[j];
				ep->count[ep->nfrom++] = s->count[j];
			}
	}
	pthread_mutex_unlock(&n->lock);
	if (rc) {
		endpoints_free(out, k);
		return rc;
	}
	*eps = out;
	*neps = k;
	return 0;
}

/* Checks ep against the profile; 0 or -EINVAL. */
static int endpoints_check(const struct noc *n, const struct noc_ep *ep)
{
	const struct profile *p = n->prof;

	switch (ep->kind) {
	case NOC_EP_MAILBOX:
		if (ep->port >= p->mailbox_ports || ep->nmsgs > NOC_MAILBOX_DEPTH)
			return -EINVAL;
		for (uint32_t j = 0; j < ep->nmsgs; j++)
			if (ep->msgs[j].len > p->mailbox_payload)
				return -EINVAL;
		return 0;
	case NOC_EP_PORTAL:
		if (ep->port >= p->portal_ports || ep->nmsgs > NOC_PORTAL_DEPTH ||
		    (ep->allow_pid && ep->allow_tag == NOC_TAG_NONE))
			return -EINVAL;
		for (uint32_t j = 0; j < ep->nmsgs; j++)
			if (!ep->msgs[j].len || ep->msgs[j].len > p->portal_max ||
			    ep->msgs[j].tag == NOC_TAG_ANY)
				return -EINVAL;
		return 0;
	case NOC_EP_SYNC:
		if (ep->nexpect > NOC_SYNC_MEMBERS || ep->nfrom > NOC_SYNC_MEMBERS ||
		    (ep->created && !ep->nexpect) || ep->nmsgs)
			return -EINVAL;
		return 0;
	default: return -EINVAL;
	}
}

int endpoints_load(struct noc *n, uint32_t node, uint32_t pid, const struct noc_ep *eps,
                   uint32_t neps, uint64_t now_ns)
{
	const struct profile *p = n->prof;
	struct noc_node *nd = &n->node[node];
	uint32_t need[4] = { 0 }, have[4] = { 0 }, i, j;
	/* A portal's held writes get their buffers now: nothing can fail
	 * once the NoC is being changed. */
	uint8_t **bufs = calloc((neps ? neps : 1) * NOC_PORTAL_DEPTH, sizeof(*bufs));
	int rc = 0;

	if (!bufs)
		return -ENOMEM;
	for (i = 0; i < neps && !rc; i++) {
		rc = endpoints_check(n, &eps[i]);
		for (j = 0; j < i && !rc; j++)
			if (eps[j].kind == eps[i].kind && eps[j].port == eps[i].port)
				rc = -EBUSY;
		need[eps[i].kind & 3]++;
		for (j = 0; !rc && eps[i].kind == NOC_EP_PORTAL && j < eps[i].nmsgs; j++)
			if (!(bufs[i * NOC_PORTAL_DEPTH + j] = malloc(eps[i].msgs[j].len)))
				rc = -ENOMEM;
	}
	pthread_mutex_lock(&n->lock);
	for (i = 0; i < p->mailbox_ports && !rc; i++) {
		have[NOC_EP_MAILBOX] += nd->mbx[i].pid == 0;
		have[NOC_EP_SYNC] += nd->sync[i].pid == 0;
		if ((nd->mbx[i].pid == pid || nd->sync[i].pid == pid) && pid != NOC_KERNEL_PID)
			rc = -EBUSY;
	}
	for (i = 0; i < p->portal_ports && !rc; i++) {
		have[NOC_EP_PORTAL] += nd->portal[i].pid == 0;
		if (nd->portal[i].pid == pid)
			rc = -EBUSY;
	}
	for (i = 1; i < 4 && !rc; i++)
		if (need[i] > have[i])
			rc = -ENOSPC;
	for (i = 0; i < neps && !rc; i++) {
		const struct noc_ep *ep = &eps[i];
		uint32_t f = 0;
		if (ep->kind == NOC_EP_MAILBOX) {
			struct noc_mbx *m;
			while (nd->mbx[f].pid)
				f++;
			m = &nd->mbx[f];
			memset(m, 0, sizeof(*m));
			m->pid = pid;
			m->port = ep->port;
			for (j = 0; j < ep->nmsgs; j++) {
				struct noc_msg *msg = &m->q[j];
				msg->src_node = node;
				msg->src_pid = ep->msgs[j].src_pid;
				msg->tag = ep->msgs[j].tag;
				msg->arrival_ns = now_ns;
				memcpy(msg->data, ep->msgs[j].data, ep->msgs[j].len);
			}
			m->count = ep->nmsgs;
		} else if (ep->kind == NOC_EP_PORTAL) {
			struct noc_portal *pt;
			while (nd->portal[f].pid)
				f++;
			pt = &nd->portal[f];
			memset(pt, 0, sizeof(*pt));
			pt->pid = pid;
			pt->port = ep->port;
			pt->allow_pid = ep->allow_pid;
			pt->allow_tag = ep->allow_pid ? ep->allow_tag : 0;
			for (j = 0; j < ep->nmsgs; j++) {
				struct noc_pwrite *w = &pt->w[j];
				w->src_pid = ep->msgs[j].src_pid;
				w->tag = ep->msgs[j].tag;
				w->len = ep->msgs[j].len;
				w->arrival_ns = now_ns;
				w->data = bufs[i * NOC_PORTAL_DEPTH + j];
				bufs[i * NOC_PORTAL_DEPTH + j] = NULL;
				memcpy(w->data, ep->msgs[j].data, w->len);
			}
			pt->nwrites = ep->nmsgs;
		} else {
			struct noc_sync *s;
			while (nd->sync[f].pid)
				f++;
			s = &nd->sync[f];
			memset(s, 0, sizeof(*s));
			s->pid = pid;
			s->key = ep->port;
			s->created = ep->created != 0;
			s->nexpect = ep->nexpect;
			memcpy(s->expect, ep->expect, sizeof(s->expect));
			s->nfrom = (uint8_t)ep->nfrom;
			memcpy(s->from, ep->from, sizeof(s->from));
			memcpy(s->count, ep->count, sizeof(s->count));
			s->arrival_ns = now_ns;
		}
	}
	if (!rc)
		doorbell_changed_locked(n, node);
	pthread_mutex_unlock(&n->lock);
	for (i = 0; i < neps * NOC_PORTAL_DEPTH; i++)
		free(bufs[i]);
	free(bufs);
	return rc;
}

/* Free slots of each kind on nd, and what pid holds on it. */
static void endpoints_count(const struct noc *n, const struct noc_node *nd, uint32_t pid,
                            uint32_t *free_mbx, uint32_t *free_portal, uint32_t *free_sync,
                            uint32_t *mbx, uint32_t *portal, uint32_t *sync)
{
	const struct profile *p = n->prof;

	*free_mbx = *free_portal = *free_sync = *mbx = *portal = *sync = 0;
	for (uint32_t i = 0; i < p->mailbox_ports; i++) {
		*free_mbx += nd->mbx[i].pid == 0;
		*free_sync += nd->sync[i].pid == 0;
		*mbx += nd->mbx[i].pid == pid;
		*sync += nd->sync[i].pid == pid;
	}
	for (uint32_t i = 0; i < p->portal_ports; i++) {
		*free_portal += nd->portal[i].pid == 0;
		*portal += nd->portal[i].pid == pid;
	}
}

/* Every kind of endpoint slot starts with its owner's pid (0: free). */
_Static_assert(offsetof(struct noc_mbx, pid) == 0, "mailbox slot: pid first");
_Static_assert(offsetof(struct noc_portal, pid) == 0, "portal slot: pid first");
_Static_assert(offsetof(struct noc_sync, pid) == 0, "sync slot: pid first");

static uint32_t endpoints_slot_pid(const uint8_t *slot)
{
	uint32_t pid;

	memcpy(&pid, slot, sizeof(pid));
	return pid;
}

/* Moves pid's slots of one kind (n of size bytes) from table from to free
 * slots of table to, whole, freeing them in from. The caller counted the
 * free slots. */
static void endpoints_move_slots(void *from, void *to, size_t size, uint32_t n, uint32_t pid)
{
	uint8_t *a = from, *b = to;

	for (uint32_t i = 0, f = 0; i < n; i++) {
		if (endpoints_slot_pid(a + i * size) != pid)
			continue;
		while (endpoints_slot_pid(b + f * size))
			f++;
		memcpy(b + f * size, a + i * size, size);
		memset(a + i * size, 0, size);
	}
}

int endpoints_move(struct noc *n, uint32_t pid, uint32_t from, uint32_t to)
{
	const struct profile *p = n->prof;
	struct noc_node *a = &n->node[from], *b = &n->node[to];
	uint32_t fm, fp, fs, m, pt, sy, x[3];
	int rc = 0;

	if (pid == NOC_KERNEL_PID || from >= n->nnodes || to >= n->nnodes || from == to)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	endpoints_count(n, b, pid, &fm, &fp, &fs, &x[0], &x[1], &x[2]);
	endpoints_count(n, a, pid, &x[0], &x[1], &x[2], &m, &pt, &sy);
	if (!resident_on_locked(n, from, pid))
		rc = -ESRCH;
	else if (b->npids == p->processes_per_cluster)
		rc = -EAGAIN;
	else if (m > fm || pt > fp || sy > fs)
		rc = -ENOSPC;
	if (rc) {
		pthread_mutex_unlock(&n->lock);
		return rc;
	}
	/* The slots move whole: queues keep their order, a portal its buffer. */
	endpoints_move_slots(a->mbx, b->mbx, sizeof(*a->mbx), p->mailbox_ports, pid);
	endpoints_move_slots(a->portal, b->portal, sizeof(*a->portal), p->portal_ports, pid);
	endpoints_move_slots(a->sync, b->sync, sizeof(*a->sync), p->mailbox_ports, pid);
	for (uint32_t i = 0; i < a->npids; i++)
		if (a->pids[i] == pid) {
			a->pids[i] = a->pids[--a->npids];
			break;
		}
	b->pids[b->npids++] = pid;
	/* Senders waiting on the old node find the pid gone and look it up
	 * again; those waiting on the new one retry. */
	doorbell_changed_locked(n, from);
	doorbell_changed_locked(n, to);
	pthread_mutex_unlock(&n->lock);
	return 0;
}
