/*
 * capture.c - a process as an image set (see capture.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "images/imgparams.h"
#include "kernel-hooks/capture.h"
#include "kernel/kcr.h"
#include "noc/endpoints.h"
#include "noc/noc.h"

#define CAPTURE_TOOL_VERSION "0.5.0"

_Static_assert((int)UTHREAD_READY == (int)CRIMG__THREAD_STATE__THREAD_READY &&
                       (int)UTHREAD_ZOMBIE == (int)CRIMG__THREAD_STATE__THREAD_ZOMBIE,
               "thread states are numbered as in uarea.proto");
_Static_assert((int)UWAIT_JOIN == (int)CRIMG__WAIT_REASON__WAIT_JOIN &&
                       (int)UWAIT_MIGRATE == (int)CRIMG__WAIT_REASON__WAIT_MIGRATE,
               "wait reasons are numbered as in uarea.proto");
_Static_assert((int)UREGION_TEXT == (int)CRIMG__REGION_KIND__REGION_TEXT &&
                       (int)UREGION_STACK == (int)CRIMG__REGION_KIND__REGION_STACK,
               "region kinds are numbered as in mm.proto");
_Static_assert((int)UIKC_MAILBOX_IN == (int)CRIMG__ENDPOINT_KIND__MAILBOX_IN &&
                       (int)UIKC_SYNC_OUT == (int)CRIMG__ENDPOINT_KIND__SYNC_OUT,
               "endpoint kinds are numbered as in ipc.proto");
_Static_assert(KCR_PROT_R == 2 && KCR_PROT_W == 4 && KCR_PROT_X == 8,
               "region protections shift by one");

static char *str_new(const char *s)
{
	return strdup(s ? s : "");
}

/* A set's id: random, from a generator seeded once a thread (a system
 * call a set cost microseconds of a migration's downtime). */
static uint64_t capture_new_id(uint64_t fallback)
{
	static _Thread_local uint64_t state;
	uint64_t z;

	if (!state && getrandom(&state, sizeof(state), 0) != sizeof(state))
		state = fallback;
	z = (state += 0x9e3779b97f4a7c15ull); /* splitmix64 */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int inventory_new(struct imgset *s, const struct uarea *ua, const struct capture_opts *o)
{
	Crimg__Inventory *inv = imgset_msg_new(&crimg__inventory__descriptor);
	struct timespec ts;

	if (!inv)
		return -ENOMEM;
	s->inventory = inv;
	inv->format_version = CRIMG_FORMAT_VERSION;
	inv->page_size = CRIMG_PAGE_SIZE;
	inv->source_node = o->node;
	inv->pid = ua->pid;
	inv->checksum = CRIMG__CHECKSUM_KIND__CHECKSUM_XXH3_64;
	inv->kind = o->pre_dump ? CRIMG__SET_KIND__SET_PRE_DUMP : CRIMG__SET_KIND__SET_DUMP;
	clock_gettime(CLOCK_REALTIME, &ts);
	inv->created_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	do
		inv->id = capture_new_id(inv->created_ns ^ ((uint64_t)ua->pid << 32));
	while (!inv->id);
	if (o->parent_id || o->parent_chain) {
		inv->parent_id =
			o->parent_chain ? o->parent_chain->set[0]->inventory->id : o->parent_id;
		inv->parent = str_new(o->parent_dir);
	} else {
		inv->parent = str_new("");
	}
	inv->tool_version = str_new(CAPTURE_TOOL_VERSION);
	inv->arch = str_new(CRIMG_ARCH);
	inv->profile = str_new(o->profile);
	return inv->parent && inv->tool_version && inv->arch && inv->profile ? 0 : -ENOMEM;
}

static Crimg__Thread *thread_new(const struct uthread *t)
{
	Crimg__Thread *m = imgset_msg_new(&crimg__thread__descriptor);

	if (!m)
		return NULL;
	m->tid = t->tid;
	m->state = (Crimg__ThreadState)t->state;
	m->regs = calloc(CRIMG_REGS, sizeof(uint32_t));
	m->wait_args = calloc(CRIMG_WAIT_ARGS, sizeof(uint32_t));
	if (!m->regs || !m->wait_args) {
		crimg__thread__free_unpacked(m, NULL);
		return NULL;
	}
	m->n_regs = CRIMG_REGS;
	memcpy(m->regs, &t->hart.x[1], CRIMG_REGS * sizeof(uint32_t));
	m->n_wait_args = CRIMG_WAIT_ARGS;
	memcpy(m->wait_args, t->wait_arg, CRIMG_WAIT_ARGS * sizeof(uint32_t));
	m->pc = t->hart.pc;
	m->resv_addr = t->hart.resv_addr;
	m->resv_valid = t->hart.resv_valid != 0;
	m->instret = t->hart.instret;
	m->cycle = t->hart.cycle;
	m->clock = t->hart.clock;
	m->wait = (Crimg__WaitReason)t->wait;
	m->wait_seq = t->wait_seq;
	m->exit_value = t->exit_value;
	m->joined = t->joined != 0;
	m->stack_top = t->stack_top;
	m->stack_size = t->stack_size;
	return m;
}

static int uarea_entry_new(struct imgset *s, const struct uarea *ua, uint64_t clock)
{
	Crimg__UArea *m = imgset_msg_new(&crimg__uarea__descriptor);
	Crimg__Process *p;

	if (!m)
		return -ENOMEM;
	s->uarea = m;
	if (!(p = m->process = imgset_msg_new(&crimg__process__descriptor)))
		return -ENOMEM;
	p->pid = ua->pid;
	p->name = str_new(ua->name);
	p->state = (Crimg__ProcState)ua->state;
	p->status = ua->status;
	p->entry = ua->entry;
	p->heap_start = ua->heap_start;
	p->brk = ua->brk;
	p->brk_limit = ua->brk_limit;
	p->threads_max = ua->threads_max;
	p->next_tid = ua->next_tid;
	p->futex_seq = ua->futex_seq;
	p->main_stack = ua->main_stack;
	p->thread_stack = ua->thread_stack;
	p->instret = ua->instret;
	p->syscalls = ua->syscalls;
	p->switches = ua->switches;
	p->threads_created = ua->threads_created;
	p->ikc_messages = ua->ikc_messages;
	p->ikc_bytes = ua->ikc_bytes;
	p->clock = clock;
	if (!p->name || !(p->ready_queue = calloc(ua->nslots + 1u, sizeof(uint32_t))) ||
	    !(m->threads = calloc(ua->nslots + 1u, sizeof(*m->threads))))
		return -ENOMEM;
	for (unsigned q = ua->ready_head; q != UAREA_NO_SLOT && p->n_ready_queue < ua->nslots;
	     q = ua->slot[q].next)
		p->ready_queue[p->n_ready_queue++] = ua->slot[q].tid;
	/* threads in ascending tid: slots are not ordered by tid */
	for (;;) {
		const struct uthread *next = NULL;
		uint32_t last = m->n_threads ? m->threads[m->n_threads - 1]->tid : 0;
		for (unsigned k = 0; k < ua->nslots; k++) {
			const struct uthread *t = &ua->slot[k];
			if (t->state != UTHREAD_FREE && (!m->n_threads || t->tid > last) &&
			    (!next || t->tid < next->tid))
				next = t;
		}
		if (!next)
			break;
		if (!(m->threads[m->n_threads] = thread_new(next)))
			return -ENOMEM;
		m->n_threads++;
	}
	return 0;
}

static int region_add(struct imgset *s, uint32_t start, uint32_t len, uint32_t prot, int kind)
{
	Crimg__Region *r = imgset_msg_new(&crimg__region__descriptor);
	size_t i;

	if (!r)
		return -ENOMEM;
	r->start = start;
	r->length = len;
	r->prot = prot >> 1; /* KCR_PROT_R 2, _W 4, _X 8 -> 1, 2, 4 */
	r->kind = (Crimg__RegionKind)kind;
	/* keep them sorted by start */
	for (i = s->nregions; i > 0 && s->regions[i - 1]->start > start; i--)
		s->regions[i] = s->regions[i - 1];
	s->regions[i] = r;
	s->nregions++;
	return 0;
}

static int regions_new(struct imgset *s, const struct uarea *ua)
{
	int rc;

	if (!(s->regions = calloc(ua->nregions + ua->nslots + 1u, sizeof(*s->regions))))
		return -ENOMEM;
	for (unsigned i = 0; i < ua->nregions; i++) {
		const struct uregion *r = &ua->regions[i];
		uint32_t len = r->len;
		/* the heap region grows with brk: what is mapped is up to brk */
		if (r->kind == UREGION_HEAP)
			len = ((ua->brk + CRIMG_PAGE_SIZE - 1) & ~(CRIMG_PAGE_SIZE - 1)) - r->start;
		if (len && (rc = region_add(s, r->start, len, r->prot, r->kind)) < 0)
			return rc;
	}
	for (unsigned k = 0; k < ua->nslots; k++) {
		const struct uthread *t = &ua->slot[k];
		if (t->state == UTHREAD_FREE || t->state == UTHREAD_ZOMBIE)
			continue;
		if ((rc = region_add(s, t->stack_top - t->stack_size, t->stack_size,
		                     KCR_PROT_R | KCR_PROT_W, UREGION_STACK)) < 0)
			return rc;
	}
	return 0;
}

static int zero_page(const uint8_t *p)
{
	static const uint8_t zero[CRIMG_PAGE_SIZE];

	return !memcmp(p, zero, CRIMG_PAGE_SIZE);
}

/* Appends page va of flag f to the pagemap, growing the last run or
 * starting one (always at a region's first page: runs stay in a region). */
static int run_add(struct imgset *s, size_t *cap, uint32_t va, uint32_t f, int fresh)
{
	Crimg__PagemapRun *r = s->nruns ? s->runs[s->nruns - 1] : NULL;

	if (r && !fresh && r->flags == f && r->vaddr + r->count * CRIMG_PAGE_SIZE == va) {
		r->count++;
		return 0;
	}
	if (s->nruns == *cap) {
		void *p = realloc(s->runs, (*cap ? *cap * 2 : 16) * sizeof(*s->runs));
		if (!p)
			return -ENOMEM;
		s->runs = p;
		*cap = *cap ? *cap * 2 : 16;
	}
	if (!(r = imgset_msg_new(&crimg__pagemap_run__descriptor)))
		return -ENOMEM;
	r->vaddr = va;
	r->count = 1;
	r->flags = f;
	s->runs[s->nruns++] = r;
	return 0;
}

static int pages_new(struct imgset *s, struct cluster *c, uint32_t pid,
                     const struct capture_opts *o, Crimg__Stats *st)
{
	size_t cap = 0, span = 0;
	int rc;

	/* Room for every page the regions span, taken at once: the host
	 * backs only what is written. A copy reads each page straight into
	 * its place (kept only if it is present); in place, only pointers. */
	for (size_t i = 0; i < s->nregions; i++)
		span += s->regions[i]->length / CRIMG_PAGE_SIZE;
	if (o->in_place ? !(s->page_at = malloc((span + 1) * sizeof(*s->page_at)))
	                : !(s->pages = malloc((span + 1) * CRIMG_PAGE_SIZE)))
		return -ENOMEM;
	for (size_t i = 0; i < s->nregions; i++) {
		const Crimg__Region *r = s->regions[i];
		int fresh = 1, lazy = o->lazy && r->kind != CRIMG__REGION_KIND__REGION_STACK;
		struct kcr_pages it;
		struct kcr_page pg;
		if ((rc = kcr_pages_begin(c, pid, r->start, r->start + r->length, &it)) < 0)
			return rc;
		while (kcr_pages_next(&it, &pg)) {
			uint8_t *slot =
				o->in_place ? NULL : s->pages + (size_t)s->npages * CRIMG_PAGE_SIZE;
			const uint8_t *buf, *old;
			uint32_t f = CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT, va = pg.va;
			if (s->npages == span)
				return -EINVAL; /* more pages than the regions span */
			/* A page still on a post-copy's source comes now; one
			 * lost with it is not captured. */
			if (pg.remote && kcr_pages_fetch(&it, &pg) < 0)
				continue;
			if (slot)
				memcpy(slot, pg.bytes, CRIMG_PAGE_SIZE);
			buf = slot ? slot : pg.bytes;
			st->pages_scanned++;
			/* A page never written is zero unread. A lazy page is
			 * not read in the downtime, not even to see whether it
			 * is zero: it goes across later. */
			if (pg.zero || (!lazy && zero_page(buf))) {
				f = CRIMG__PAGEMAP_FLAG__PAGEMAP_ZERO;
				st->pages_zero++;
			} else if (o->parent_chain ? imgchain_page(o->parent_chain, 0, va, &old,
			                                           NULL) == IMGPAGE_PRESENT &&
			                                     !memcmp(old, buf, CRIMG_PAGE_SIZE)
			                           : o->parent_id && !pg.dirty) {
				f = CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT;
				st->pages_in_parent++;
			} else if (lazy) {
				if ((rc = o->lazy(o->lazy_ctx, va, buf)) < 0)
					return rc;
				f = CRIMG__PAGEMAP_FLAG__PAGEMAP_LAZY;
			}
			if ((rc = run_add(s, &cap, va, f, fresh)) < 0)
				return rc;
			fresh = 0;
			if (f != CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT)
				continue;
			if (o->in_place)
				s->page_at[s->npages] = buf;
			s->npages++;
			st->pages_written++;
			st->bytes_raw += CRIMG_PAGE_SIZE;
		}
	}
	return 0;
}

static Crimg__QueuedMessage *queued_new(const struct noc_ep_msg *m)
{
	Crimg__QueuedMessage *q = imgset_msg_new(&crimg__queued_message__descriptor);

	if (!q)
		return NULL;
	q->source_pid = m->src_pid;
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
static int endpoint_noc(Crimg__Endpoint *ep, const struct noc_ep *nep)
{
	if (nep->nmsgs && !(ep->queued = calloc(nep->nmsgs, sizeof(*ep->queued))))
		return -ENOMEM;
	for (uint32_t j = 0; j < nep->nmsgs; j++) {
		if (!(ep->queued[j] = queued_new(&nep->msgs[j])))
			return -ENOMEM;
		ep->n_queued++;
	}
	ep->allowed_pid = nep->kind == NOC_EP_PORTAL ? nep->allow_pid : 0;
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
static struct noc_ep *endpoint_find_noc(struct noc_ep *neps, uint32_t n, const struct uikc *k,
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

static int endpoints_new(struct imgset *s, const struct uarea *ua, struct noc_ep *neps,
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
		nep = endpoint_find_noc(neps, nneps, k, used);
		if (nep)
			rc = endpoint_noc(ep, nep);
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
		rc = endpoint_noc(ep, &neps[i]);
	}
	free(used);
	return rc;
}

int capture_process(struct cluster *c, uint32_t pid, const struct capture_opts *o,
                    struct imgset **out, struct crimg_error *e)
{
	const struct uarea *ua = kcr_uarea(c, pid);
	struct noc_ep *neps = NULL;
	uint32_t nneps = 0;
	struct imgset *s;
	int rc;

	*out = NULL;
	if (!ua || ua->state != UPROC_RUNNING)
		return crimg_fail(e, -ESRCH, "pid %u: no such running process on node %u", pid,
		                  o->node);
	if (!(s = imgset_new()))
		return crimg_fail(e, -ENOMEM, "pid %u: out of memory", pid);
	rc = inventory_new(s, ua, o);
	if (rc == 0)
		rc = regions_new(s, ua);
	if (rc == 0 && !(s->stats = imgset_msg_new(&crimg__stats__descriptor)))
		rc = -ENOMEM;
	if (rc == 0)
		rc = pages_new(s, c, pid, o, s->stats);
	if (rc == 0 && !o->pre_dump)
		rc = uarea_entry_new(s, ua, kcr_process_clock(c, pid));
	if (rc == 0 && !o->pre_dump)
		rc = kcr_endpoints_save(c, pid, &neps, &nneps);
	if (rc == 0 && !o->pre_dump)
		rc = endpoints_new(s, ua, neps, nneps);
	endpoints_free(neps, nneps);
	if (rc == 0) {
		s->stats->rounds = 1;
		return *out = s, 0;
	}
	imgset_free(s);
	return crimg_fail(e, rc, "pid %u: out of memory capturing it", pid);
}
