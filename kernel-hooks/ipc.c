/*
 * ipc.c - the IPC endpoints of a process (ipc.img): its UArea's endpoints
 * and what the NoC holds for its inputs (queued messages, a portal's
 * allowed sender and held writes, sync signals, early signals), saved
 * on its node and loaded where it is rebuilt (see crobj.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag/crerr.h"
#include "images/imgparams.h"
#include "kernel-hooks/crobj.h"
#include "params/noc_params.h"
#include "params/profile.h"

_Static_assert(UAREA_IKC_MAX == CRIMG_ENDPOINTS_MAX, "an image holds every endpoint slot");
_Static_assert(NOC_PORTAL_DEPTH == CRIMG_PORTAL_WRITES_MAX && NOC_TAG_NONE == CRIMG_TAG_LIMIT,
               "a portal's held writes and message tags fit an image");
_Static_assert((int)UIKC_MAILBOX_IN == (int)CRIMG__ENDPOINT_KIND__MAILBOX_IN &&
                       (int)UIKC_SYNC_OUT == (int)CRIMG__ENDPOINT_KIND__SYNC_OUT,
               "endpoint kinds are numbered as in ipc.proto");

static Crimg__QueuedMessage *ipc_queued_new(const struct noc_ep_msg *m)
{
	Crimg__QueuedMessage *q = imgset_msg_new(&crimg__queued_message__descriptor);

	if (!q)
		return NULL;
	q->source_pid = m->src_pid;
	q->source_tag = m->tag == NOC_TAG_NONE ? 0 : m->tag + 1;
	q->data.len = m->len;
	if (!(q->data.data = malloc(m->len ? m->len : 1))) {
		crimg__queued_message__free_unpacked(q, NULL);
		return NULL;
	}
	memcpy(q->data.data, m->data, m->len);
	return q;
}

/* Copies what the NoC holds for endpoint ep (messages, allowed sender,
 * signals) from nep into it. */
static int ipc_endpoint_noc(Crimg__Endpoint *ep, const struct noc_ep *nep)
{
	if (nep->nmsgs && !(ep->queued = calloc(nep->nmsgs, sizeof(*ep->queued))))
		return -ENOMEM;
	for (uint32_t j = 0; j < nep->nmsgs; j++) {
		if (!(ep->queued[j] = ipc_queued_new(&nep->msgs[j])))
			return -ENOMEM;
		ep->n_queued++;
	}
	ep->allowed_pid = nep->kind == NOC_EP_PORTAL ? nep->allow_pid : 0;
	ep->allowed_tag = ep->allowed_pid && nep->allow_tag != NOC_TAG_ANY ? nep->allow_tag + 1 : 0;
	if (nep->nfrom && !(ep->signals = calloc(nep->nfrom, sizeof(*ep->signals))))
		return -ENOMEM;
	for (uint32_t j = 0; j < nep->nfrom; j++) {
		Crimg__SyncSignal *g = imgset_msg_new(&crimg__sync_signal__descriptor);
		if (!g)
			return -ENOMEM;
		g->from_pid = nep->from[j];
		g->count = nep->count[j];
		ep->signals[ep->n_signals++] = g;
	}
	return 0;
}

/* The NoC endpoint that backs input endpoint k, or NULL. */
static struct noc_ep *ipc_find_noc(struct noc_ep *neps, uint32_t n, const struct uikc *k,
                                   uint8_t *used)
{
	uint32_t kind = k->kind == UIKC_MAILBOX_IN  ? NOC_EP_MAILBOX
	                : k->kind == UIKC_PORTAL_IN ? NOC_EP_PORTAL
	                : k->kind == UIKC_SYNC_IN   ? NOC_EP_SYNC
	                                            : 0;
	uint32_t port = kind == NOC_EP_SYNC ? k->key : k->port;

	for (uint32_t i = 0; kind && i < n; i++)
		if (neps[i].kind == kind && neps[i].port == port && !used[i]) {
			used[i] = 1;
			return &neps[i];
		}
	return NULL;
}

static int ipc_endpoints_new(struct imgset *s, const struct uarea *ua, struct noc_ep *neps,
                             uint32_t nneps)
{
	uint8_t *used = calloc(nneps + 1, 1); /* NoC endpoints matched to the UArea's */
	int rc = 0;

	if (!used || !(s->endpoints = calloc(UAREA_IKC_MAX + nneps, sizeof(*s->endpoints)))) {
		free(used);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < UAREA_IKC_MAX && rc == 0; i++) {
		const struct uikc *k = &ua->ikc[i];
		struct noc_ep *nep;
		Crimg__Endpoint *ep;
		if (k->kind == UIKC_FREE)
			continue;
		if (!(ep = imgset_msg_new(&crimg__endpoint__descriptor))) {
			rc = -ENOMEM;
			break;
		}
		s->endpoints[s->nendpoints++] = ep;
		ep->slot = i;
		ep->kind = (Crimg__EndpointKind)k->kind;
		ep->port = k->port;
		ep->pid = k->pid;
		ep->key = k->key;
		if (k->kind == UIKC_SYNC_IN || k->kind == UIKC_SYNC_OUT) {
			ep->sync_type = k->type;
			if (!(ep->members = calloc(k->nmembers + 1u, sizeof(uint32_t)))) {
				rc = -ENOMEM;
				break;
			}
			ep->n_members = k->nmembers;
			memcpy(ep->members, &ua->sync_pool[k->pool],
			       k->nmembers * sizeof(uint32_t));
		}
		nep = ipc_find_noc(neps, nneps, k, used);
		if (nep)
			rc = ipc_endpoint_noc(ep, nep);
	}
	/* Signals for syncs the process has not created yet. */
	for (uint32_t i = 0; i < nneps && rc == 0; i++) {
		Crimg__Endpoint *ep;
		if (used[i] || neps[i].kind != NOC_EP_SYNC || neps[i].created || !neps[i].nfrom)
			continue;
		if (!(ep = imgset_msg_new(&crimg__endpoint__descriptor))) {
			rc = -ENOMEM;
			break;
		}
		s->endpoints[s->nendpoints++] = ep;
		ep->kind = CRIMG__ENDPOINT_KIND__SYNC_IN;
		ep->key = neps[i].port;
		ep->early = 1;
		rc = ipc_endpoint_noc(ep, &neps[i]);
	}
	free(used);
	return rc;
}

static int ipc_capture(struct crdump *d)
{
	struct noc_ep *neps = NULL;
	uint32_t nneps = 0;
	int rc = kcr_endpoints_save(d->c, d->pid, &neps, &nneps);

	if (rc == 0)
		rc = ipc_endpoints_new(d->s, d->ua, neps, nneps);
	endpoints_free(neps, nneps);
	return rc;
}

/* The endpoints fit the profile's ports, mailboxes and payloads, and
 * the UArea's pool of sync members. */
static int ipc_check(struct crbuild *r)
{
	const struct imgset *s = r->s;
	const struct profile *p = r->p;
	unsigned sync = 0;

	for (size_t i = 0; i < s->nendpoints; i++) {
		const Crimg__Endpoint *ep = s->endpoints[i];
		if (ep->early)
			continue;
		sync += (unsigned)ep->n_members;
		if ((ep->kind == CRIMG__ENDPOINT_KIND__MAILBOX_IN &&
		     ep->port >= p->mailbox_ports) ||
		    (ep->kind == CRIMG__ENDPOINT_KIND__PORTAL_IN && ep->port >= p->portal_ports))
			return crerr_fail(r->e, -EINVAL,
			                  "endpoint %u: port %u; this profile has fewer", ep->slot,
			                  ep->port);
		if (ep->kind == CRIMG__ENDPOINT_KIND__MAILBOX_IN &&
		    ep->n_queued > NOC_MAILBOX_DEPTH)
			return crerr_fail(r->e, -EINVAL,
			                  "endpoint %u: %zu queued messages; a mailbox holds %u",
			                  ep->slot, ep->n_queued, NOC_MAILBOX_DEPTH);
		if (ep->kind == CRIMG__ENDPOINT_KIND__PORTAL_IN && ep->n_queued > NOC_PORTAL_DEPTH)
			return crerr_fail(r->e, -EINVAL,
			                  "endpoint %u: %zu held writes; a portal holds %u",
			                  ep->slot, ep->n_queued, NOC_PORTAL_DEPTH);
		for (size_t j = 0; j < ep->n_queued; j++)
			if (ep->queued[j]->data.len > (ep->kind == CRIMG__ENDPOINT_KIND__MAILBOX_IN
			                                       ? p->mailbox_payload
			                                       : p->portal_max))
				return crerr_fail(r->e, -EINVAL,
				                  "endpoint %u: a queued message of %zu bytes is "
				                  "too large for this profile",
				                  ep->slot, ep->queued[j]->data.len);
	}
	if (sync > UAREA_SYNC_POOL)
		return crerr_fail(r->e, -EINVAL,
		                  "syncs of %u members in all; a process may have %u", sync,
		                  UAREA_SYNC_POOL);
	return 0;
}

void ipc_eps_free(struct noc_ep *eps, uint32_t n)
{
	for (uint32_t i = 0; eps && i < n; i++)
		free(eps[i].msgs);
	free(eps);
}

/* What the NoC must hold for the process's inputs: *out of *n. */
static int ipc_noc_eps(const struct imgset *s, const struct restore_opts *o, struct noc_ep **out,
                       uint32_t *n)
{
	struct noc_ep *eps = calloc(s->nendpoints + 1, sizeof(*eps));
	uint32_t k = 0;

	*out = NULL;
	*n = 0;
	if (!eps)
		return -ENOMEM;
	for (size_t i = 0; i < s->nendpoints; i++) {
		const Crimg__Endpoint *ep = s->endpoints[i];
		struct noc_ep *e = &eps[k];
		switch (ep->kind) {
		case CRIMG__ENDPOINT_KIND__MAILBOX_IN:
			e->kind = NOC_EP_MAILBOX;
			e->port = ep->port;
			break;
		case CRIMG__ENDPOINT_KIND__PORTAL_IN:
			e->kind = NOC_EP_PORTAL;
			e->port = ep->port;
			e->allow_pid = restore_pid(o, ep->allowed_pid);
			e->allow_tag = ep->allowed_tag ? ep->allowed_tag - 1 : NOC_TAG_ANY;
			break;
		case CRIMG__ENDPOINT_KIND__SYNC_IN:
			e->kind = NOC_EP_SYNC;
			e->port = ep->key;
			e->created = !ep->early;
			/* as the kernel made it: one-to-all waits for the master,
			 * all-to-one for every other member */
			if (e->created && ep->sync_type == 0) {
				e->nexpect = 1;
				e->expect[0] = restore_pid(o, ep->members[0]);
			} else if (e->created) {
				e->nexpect = (uint32_t)ep->n_members - 1;
				for (uint32_t j = 0; j < e->nexpect; j++)
					e->expect[j] = restore_pid(o, ep->members[j + 1]);
			}
			for (size_t j = 0; j < ep->n_signals; j++) {
				e->from[e->nfrom] = restore_pid(o, ep->signals[j]->from_pid);
				e->count[e->nfrom++] = ep->signals[j]->count;
			}
			break;
		default: continue;
		}
		k++;
		if (!ep->n_queued)
			continue;
		/* messages point into the set: not freed with eps */
		if (!(e->msgs = calloc(ep->n_queued, sizeof(*e->msgs)))) {
			ipc_eps_free(eps, k);
			return -ENOMEM;
		}
		for (size_t j = 0; j < ep->n_queued; j++) {
			e->msgs[j].src_pid = restore_pid(o, ep->queued[j]->source_pid);
			e->msgs[j].tag = ep->queued[j]->source_tag ? ep->queued[j]->source_tag - 1
			                                           : NOC_TAG_NONE;
			e->msgs[j].len = (uint32_t)ep->queued[j]->data.len;
			e->msgs[j].data = ep->queued[j]->data.data;
		}
		e->nmsgs = (uint32_t)ep->n_queued;
	}
	*out = eps;
	*n = k;
	return 0;
}

/* The UArea's endpoints; and, but for a migration (whose endpoints the
 * NoC hands over whole), what the NoC must hold for its inputs, which
 * the commit loads. */
static int ipc_restore(struct crbuild *r)
{
	const struct imgset *s = r->s;
	struct uarea *ua = r->ua;

	for (size_t i = 0; i < s->nendpoints; i++) {
		const Crimg__Endpoint *ep = s->endpoints[i];
		struct uikc *k;
		if (ep->early)
			continue;
		k = &ua->ikc[ep->slot];
		k->kind = (uint8_t)ep->kind;
		k->port = ep->port;
		k->pid = restore_pid(r->o, ep->pid);
		k->key = ep->key; /* from the set as the process names it: kept */
		if (ep->n_members) {
			k->type = (uint8_t)ep->sync_type;
			k->nmembers = (uint8_t)ep->n_members;
			k->pool = (uint8_t)ua->sync_used;
			for (size_t j = 0; j < ep->n_members; j++)
				ua->sync_pool[ua->sync_used++] = restore_pid(r->o, ep->members[j]);
		}
	}
	if (r->o->move_from < 0 && ipc_noc_eps(s, r->o, &r->eps, &r->neps))
		return crerr_fail(r->e, -ENOMEM, "out of memory");
	return 0;
}

const struct crobj crobj_ipc = {
	.name = "ipc",
	.kind = { IMGKIND_IPC },
	.nkinds = 1,
	.capture = ipc_capture,
	.check = ipc_check,
	.restore = ipc_restore,
};
