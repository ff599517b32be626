/*
 * restore.c - an image set made a process again (see restore.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images/imgcheck.h"
#include "images/imgland.h"
#include "images/imgparams.h"
#include "kernel-hooks/restore.h"
#include "noc/endpoints.h"
#include "noc/noc.h"
#include "params/kparams.h"
#include "params/profile.h"

#define FAIL(code, ...) (snprintf(err, errlen, __VA_ARGS__), (code))

uint32_t restore_pages_needed(const struct imgset *s)
{
	uint64_t n = 0;

	for (size_t i = 0; i < s->nruns; i++)
		n += s->runs[i]->count;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

int restore_check_room(struct cluster *c, uint32_t pages, char *err, size_t errlen)
{
	uint32_t have = kcr_free_user_pages(c);

	if (pages > have)
		return FAIL(-ENOMEM, "needs %u KiB of user memory; node %u has %u KiB free",
		            pages * 4, kcr_node(c), have * 4);
	return 0;
}

/* The slot whose stack is [top - size, top) in a process of ua's layout. */
static int restore_slot_of(const struct uarea *ua, uint32_t top, uint32_t size)
{
	for (unsigned s = 0; s < ua->threads_max; s++) {
		uint32_t t, z;
		uarea_stack_of(ua, s, &t, &z);
		if (t == top && z == size)
			return (int)s;
	}
	return -1;
}

/* The region holding [va, va + len), or NULL. */
static const Crimg__Region *restore_region_of(const struct imgset *s, uint32_t va, uint64_t len)
{
	for (size_t i = 0; i < s->nregions; i++) {
		const Crimg__Region *r = s->regions[i];
		if (va >= r->start && va + len <= (uint64_t)r->start + r->length)
			return r;
	}
	return NULL;
}

/* Checks the set against profile p; fills slot_of (thread index -> slot)
 * and *nslots. */
static int restore_check(const struct imgset *s, const struct profile *p,
                         const struct restore_opts *o, struct uarea *layout, int *slot_of,
                         unsigned *nslots, char *err, size_t errlen)
{
	const Crimg__Inventory *inv = s->inventory;
	const Crimg__Process *pr;
	unsigned sync = 0;

	if (inv->kind != CRIMG__SET_KIND__SET_DUMP || !s->uarea)
		return FAIL(-EINVAL, "the image set is a pre-dump (pages only); restore a dump");
	if (strcmp(inv->profile, o->profile))
		return FAIL(-EINVAL, "the image set is of profile %s; this board runs %s",
		            inv->profile, o->profile);
	if (inv->page_size != p->page_size)
		return FAIL(-EINVAL, "pages of %u bytes; this board's are %u", inv->page_size,
		            p->page_size);
	if (*inv->parent && !o->stage)
		return FAIL(-EINVAL,
		            "the image set still names parent '%s': its pages must be "
		            "merged in first",
		            inv->parent);
	pr = s->uarea->process;
	if (pr->state != CRIMG__PROC_STATE__PROC_RUNNING)
		return FAIL(-EINVAL, "the process had ended when dumped");
	if (pr->threads_max != p->threads_per_process || pr->main_stack != p->main_stack ||
	    pr->thread_stack != p->thread_stack)
		return FAIL(-EINVAL,
		            "threads %u, stacks %u and %u bytes; profile %s has %u, %u "
		            "and %u",
		            pr->threads_max, pr->main_stack, pr->thread_stack, p->name,
		            p->threads_per_process, p->main_stack, p->thread_stack);
	layout->threads_max = pr->threads_max;
	layout->main_stack = pr->main_stack;
	layout->thread_stack = pr->thread_stack;
	if (pr->brk_limit != uarea_stacks_floor(layout) || pr->brk > pr->brk_limit)
		return FAIL(-EINVAL, "heap limit 0x%08x; this profile's is 0x%08x", pr->brk_limit,
		            uarea_stacks_floor(layout));
	*nslots = 1;
	for (size_t i = 0; i < s->uarea->n_threads; i++) {
		const Crimg__Thread *t = s->uarea->threads[i];
		int sl = restore_slot_of(layout, t->stack_top, t->stack_size);
		if (sl < 0)
			return FAIL(-EINVAL,
			            "thread %u: stack [0x%08x, 0x%08x) is no thread slot's "
			            "of this profile",
			            t->tid, t->stack_top - t->stack_size, t->stack_top);
		for (size_t j = 0; j < i; j++)
			if (slot_of[j] == sl)
				return FAIL(-EINVAL, "threads %u and %u share a stack",
				            s->uarea->threads[j]->tid, t->tid);
		slot_of[i] = sl;
		if ((unsigned)sl + 1 > *nslots)
			*nslots = (unsigned)sl + 1;
		if (t->tid >= pr->next_tid)
			return FAIL(-EINVAL, "thread %u: tid not below the next tid %u", t->tid,
			            pr->next_tid);
	}
	for (size_t i = 0, other = 0; i < s->nregions; i++) {
		const Crimg__Region *r = s->regions[i];
		if (r->kind != CRIMG__REGION_KIND__REGION_STACK && ++other > UAREA_REGIONS_MAX)
			return FAIL(-EINVAL, "more than %u regions besides stacks",
			            UAREA_REGIONS_MAX);
		if (r->start < USER_BASE || r->length > USER_END - r->start)
			return FAIL(-EINVAL, "region [0x%08x, +%u) outside the user range",
			            r->start, r->length);
	}
	for (size_t i = 0; i < s->nruns; i++) {
		if (!restore_region_of(s, s->runs[i]->vaddr,
		                       (uint64_t)s->runs[i]->count * CRIMG_PAGE_SIZE))
			return FAIL(-EINVAL, "pages at 0x%08x (%u) are in no region",
			            s->runs[i]->vaddr, s->runs[i]->count);
		if (s->runs[i]->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT && !*inv->parent)
			return FAIL(-EINVAL,
			            "pages at 0x%08x (%u) are in a parent; the set names none",
			            s->runs[i]->vaddr, s->runs[i]->count);
		if (s->runs[i]->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_LAZY && !o->fill)
			return FAIL(-EINVAL,
			            "pages at 0x%08x (%u) are lazy: they stay on the source of a "
			            "post-copy migration, which only that migration restores",
			            s->runs[i]->vaddr, s->runs[i]->count);
	}
	for (size_t i = 0; i < s->nendpoints; i++) {
		const Crimg__Endpoint *ep = s->endpoints[i];
		if (ep->early)
			continue;
		sync += (unsigned)ep->n_members;
		if ((ep->kind == CRIMG__ENDPOINT_KIND__MAILBOX_IN &&
		     ep->port >= p->mailbox_ports) ||
		    (ep->kind == CRIMG__ENDPOINT_KIND__PORTAL_IN && ep->port >= p->portal_ports))
			return FAIL(-EINVAL, "endpoint %u: port %u; this profile has fewer",
			            ep->slot, ep->port);
		if (ep->kind == CRIMG__ENDPOINT_KIND__MAILBOX_IN &&
		    ep->n_queued > NOC_MAILBOX_DEPTH)
			return FAIL(-EINVAL, "endpoint %u: %zu queued messages; a mailbox holds %u",
			            ep->slot, ep->n_queued, NOC_MAILBOX_DEPTH);
		for (size_t j = 0; j < ep->n_queued; j++)
			if (ep->queued[j]->data.len > (ep->kind == CRIMG__ENDPOINT_KIND__MAILBOX_IN
			                                       ? p->mailbox_payload
			                                       : p->portal_max))
				return FAIL(-EINVAL,
				            "endpoint %u: a queued message of %zu bytes is "
				            "too large for this profile",
				            ep->slot, ep->queued[j]->data.len);
	}
	if (sync > UAREA_SYNC_POOL)
		return FAIL(-EINVAL, "syncs of %u members in all; a process may have %u", sync,
		            UAREA_SYNC_POOL);
	return 0;
}

/* Index of the thread of tid in the set, or -1. */
static int restore_thread_index(const Crimg__UArea *u, uint32_t tid)
{
	for (size_t i = 0; i < u->n_threads; i++)
		if (u->threads[i]->tid == tid)
			return (int)i;
	return -1;
}

static void restore_thread(struct uthread *t, const Crimg__Thread *m)
{
	memset(t, 0, sizeof(*t));
	memcpy(&t->hart.x[1], m->regs, CRIMG_REGS * sizeof(uint32_t));
	t->hart.pc = m->pc;
	t->hart.resv_addr = m->resv_addr;
	t->hart.resv_valid = m->resv_valid;
	t->hart.instret = m->instret;
	t->hart.cycle = m->cycle;
	t->hart.clock = m->clock;
	t->tid = m->tid;
	t->state = (uint8_t)m->state;
	t->wait = (uint8_t)m->wait;
	t->next = UAREA_NO_SLOT;
	t->joined = m->joined;
	memcpy(t->wait_arg, m->wait_args, CRIMG_WAIT_ARGS * sizeof(uint32_t));
	t->wait_seq = m->wait_seq;
	t->exit_value = m->exit_value;
	t->stack_top = m->stack_top;
	t->stack_size = m->stack_size;
	/* A call waiting for the NoC, the name service or its own migration
	 * is asked again here: its pc is on its ecall, and the answers went
	 * to the old node (a kmigrate_to to this node returns 0). */
	if (t->state == UTHREAD_BLOCKED &&
	    (t->wait == UWAIT_IKC || t->wait == UWAIT_LOOKUP || t->wait == UWAIT_MIGRATE)) {
		t->state = UTHREAD_READY;
		t->wait = UWAIT_NONE;
	}
	if (t->state == UTHREAD_RUNNING)
		t->state = UTHREAD_READY;
}

/* Fills the UArea header and slots of the process from the set. */
static void restore_uarea(struct uarea *ua, const struct imgset *s, const int *slot_of)
{
	const Crimg__Process *pr = s->uarea->process;
	const Crimg__UArea *u = s->uarea;

	snprintf(ua->name, sizeof(ua->name), "%s", pr->name);
	ua->state = UPROC_RUNNING;
	ua->ready_head = ua->ready_tail = UAREA_NO_SLOT;
	ua->heap_start = pr->heap_start;
	ua->brk = pr->brk;
	ua->brk_limit = pr->brk_limit;
	ua->entry = pr->entry;
	ua->threads_max = pr->threads_max;
	ua->next_tid = pr->next_tid;
	ua->futex_seq = pr->futex_seq;
	ua->main_stack = pr->main_stack;
	ua->thread_stack = pr->thread_stack;
	ua->instret = pr->instret;
	ua->syscalls = pr->syscalls;
	ua->switches = pr->switches;
	ua->threads_created = pr->threads_created;
	ua->ikc_messages = pr->ikc_messages;
	ua->ikc_bytes = pr->ikc_bytes;
	for (size_t i = 0; i < s->nregions; i++) {
		const Crimg__Region *r = s->regions[i];
		if (r->kind != CRIMG__REGION_KIND__REGION_STACK)
			uarea_add_region(ua, r->start, r->length, r->prot << 1, r->kind);
	}
	if (!uarea_heap(ua))
		uarea_add_region(ua, pr->heap_start, 0, KCR_PROT_R | KCR_PROT_W, UREGION_HEAP);
	for (unsigned sl = 0; sl < ua->nslots; sl++)
		ua->slot[sl].next = UAREA_NO_SLOT;
	for (size_t i = 0; i < u->n_threads; i++) {
		restore_thread(&ua->slot[slot_of[i]], u->threads[i]);
		ua->nthreads++;
	}
	/* The ready queue as it was, then threads made ready above. */
	for (size_t i = 0; i < pr->n_ready_queue; i++) {
		int k = restore_thread_index(u, pr->ready_queue[i]);
		if (k >= 0 && ua->slot[slot_of[k]].state == UTHREAD_READY)
			uarea_ready_push(ua, (unsigned)slot_of[k]);
	}
	for (size_t i = 0; i < u->n_threads; i++) {
		unsigned sl = (unsigned)slot_of[i];
		int queued = ua->ready_tail == sl || ua->slot[sl].next != UAREA_NO_SLOT;
		if (ua->slot[sl].state == UTHREAD_READY && !queued)
			uarea_ready_push(ua, sl);
	}
	for (size_t i = 0; i < s->nendpoints; i++) {
		const Crimg__Endpoint *ep = s->endpoints[i];
		struct uikc *k;
		if (ep->early)
			continue;
		k = &ua->ikc[ep->slot];
		k->kind = (uint8_t)ep->kind;
		k->port = ep->port;
		k->pid = ep->pid;
		k->key = ep->key;
		if (ep->n_members) {
			k->type = (uint8_t)ep->sync_type;
			k->nmembers = (uint8_t)ep->n_members;
			k->pool = (uint8_t)ua->sync_used;
			memcpy(&ua->sync_pool[ua->sync_used], ep->members, ep->n_members * 4);
			ua->sync_used += (uint32_t)ep->n_members;
		}
	}
}

static void restore_noc_eps_free(struct noc_ep *eps, uint32_t n)
{
	for (uint32_t i = 0; eps && i < n; i++)
		free(eps[i].msgs);
	free(eps);
}

/* What the NoC must hold for the process's inputs: *out of *n. */
static int restore_noc_eps(const struct imgset *s, struct noc_ep **out, uint32_t *n)
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
			e->allow_pid = ep->allowed_pid;
			break;
		case CRIMG__ENDPOINT_KIND__SYNC_IN:
			e->kind = NOC_EP_SYNC;
			e->port = ep->key;
			e->created = !ep->early;
			/* as the kernel made it: one-to-all waits for the master,
			 * all-to-one for every other member */
			if (e->created && ep->sync_type == 0) {
				e->nexpect = 1;
				e->expect[0] = ep->members[0];
			} else if (e->created) {
				e->nexpect = (uint32_t)ep->n_members - 1;
				memcpy(e->expect, ep->members + 1, e->nexpect * 4);
			}
			for (size_t j = 0; j < ep->n_signals; j++) {
				e->from[e->nfrom] = ep->signals[j]->from_pid;
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
			restore_noc_eps_free(eps, k);
			return -ENOMEM;
		}
		for (size_t j = 0; j < ep->n_queued; j++) {
			e->msgs[j].src_pid = ep->queued[j]->source_pid;
			e->msgs[j].len = (uint32_t)ep->queued[j]->data.len;
			e->msgs[j].data = ep->queued[j]->data.data;
		}
		e->nmsgs = (uint32_t)ep->n_queued;
	}
	*out = eps;
	*n = k;
	return 0;
}

/* Where the pages land (a build's frames or a stage's), and how they
 * get there. */
struct restore_land {
	struct kcr_build *b;
	struct kcr_space *sp;
	const struct restore_opts *o;
};

static uint8_t *restore_frame(void *ctx, uint32_t va)
{
	struct restore_land *rl = ctx;

	return rl->sp ? kcr_space_page(rl->sp, va) : kcr_build_page(rl->b, va);
}

static int restore_move(void *ctx, void *const *dst, const void *src, size_t unit, unsigned count)
{
	const struct restore_opts *o = ((struct restore_land *)ctx)->o;

	if (o->move)
		return o->move(o->move_ctx, dst, src, unit, count);
	for (unsigned k = 0; k < count; k++)
		memcpy(dst[k], (const uint8_t *)src + k * unit, unit);
	return 0;
}

/* Lands s's present pages where rl says. */
static int restore_land_pages(const struct imgset *s, struct restore_land *rl, char *err,
                              size_t errlen)
{
	struct imgland l = { restore_frame, restore_move, rl };
	struct crimg_error e = { "", 0, NULL, NULL };
	int rc = imgland_pages(s, &l, "pages.img", &e);

	/* A page block that does not check out is a damaged image. */
	return rc < 0 ? FAIL(rc == -EINVAL ? -EBADMSG : rc, "%s", e.msg) : 0;
}

/* Maps every page of the pagemap (the present ones unzeroed), then lands
 * the present ones. */
static int restore_memory(struct kcr_build *b, const struct imgset *s, const struct restore_opts *o,
                          char *err, size_t errlen)
{
	struct restore_land rl = { b, NULL, o };

	for (size_t i = 0; i < s->nruns; i++) {
		const Crimg__PagemapRun *r = s->runs[i];
		const Crimg__Region *reg =
			restore_region_of(s, r->vaddr, (uint64_t)r->count * CRIMG_PAGE_SIZE);
		enum kcr_map how = r->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT ? KCR_MAP_FILLED
		                   : r->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_LAZY  ? KCR_MAP_REMOTE
		                                                                    : KCR_MAP_ZERO;
		int rc =
			kcr_build_map(b, r->vaddr, r->count * CRIMG_PAGE_SIZE, reg->prot << 1, how);
		if (rc == -ENOMEM)
			return FAIL(rc, "out of frames mapping %u pages at 0x%08x", r->count,
			            r->vaddr);
		if (rc)
			return FAIL(rc, "cannot map %u pages at 0x%08x (overlapping runs?)",
			            r->count, r->vaddr);
	}
	if (o->fill)
		kcr_build_fill(b, o->fill, o->fill_ctx);
	return restore_land_pages(s, &rl, err, errlen);
}

/* ---- a pre-copy's rounds, landed ahead ---- */

struct restore_stage {
	struct kcr_space *sp; /* NULL once a restore took it */
	struct imgset *prev;  /* the last round landed: the next must name it */
};

struct restore_stage *restore_stage_new(struct cluster *c)
{
	struct restore_stage *st = calloc(1, sizeof(*st));

	if (st && !(st->sp = kcr_space_new(c))) {
		free(st);
		return NULL;
	}
	return st;
}

void restore_stage_free(struct restore_stage *st)
{
	if (!st)
		return;
	kcr_space_free(st->sp);
	imgset_free(st->prev);
	free(st);
}

/* Is s the next of st's rounds? */
static int restore_stage_link(const struct restore_stage *st, const struct imgset *s, char *err,
                              size_t errlen)
{
	struct crimg_error e = { "", 0, NULL, NULL };

	if (!st->sp)
		return FAIL(-EINVAL, "the rounds landed before were taken by a restore already");
	if (!st->prev)
		return *s->inventory->parent ? FAIL(-EINVAL, "the first round names parent '%s'",
		                                    s->inventory->parent)
		                             : 0;
	if (imgcheck_parent(s, st->prev, "round", &e) < 0)
		return FAIL(-EINVAL, "%s", e.msg);
	return 0;
}

/* Maps the pages of [va, va + n pages) that sp lacks (how); the zero
 * pages it has are cleared. */
static int restore_stage_fill(struct kcr_space *sp, uint32_t va, uint32_t n, unsigned prot,
                              enum kcr_map how)
{
	uint32_t k = 0;

	while (k < n) {
		uint32_t from = k;
		uint8_t *p;
		int rc;
		while (k < n && !kcr_space_mapped(sp, va + k * CRIMG_PAGE_SIZE))
			k++;
		if (k > from && (rc = kcr_space_map(sp, va + from * CRIMG_PAGE_SIZE,
		                                    (k - from) * CRIMG_PAGE_SIZE, prot, how)))
			return rc;
		for (; k < n && kcr_space_mapped(sp, va + k * CRIMG_PAGE_SIZE); k++)
			if (how == KCR_MAP_ZERO &&
			    (p = kcr_space_page(sp, va + k * CRIMG_PAGE_SIZE)))
				memset(p, 0, CRIMG_PAGE_SIZE);
	}
	return 0;
}

/* Makes st's pages those of s's pagemap: the pages the round before had
 * and s lacks go, s's present and zero pages are mapped (if they are
 * not yet) and every page takes its region's permissions; the present
 * pages' bytes land after. */
static int restore_stage_map(struct restore_stage *st, const struct imgset *s, char *err,
                             size_t errlen)
{
	for (size_t i = 0; st->prev && i < st->prev->nruns; i++) {
		const Crimg__PagemapRun *r = st->prev->runs[i];
		for (uint32_t k = 0; k < r->count; k++) {
			uint32_t va = r->vaddr + k * CRIMG_PAGE_SIZE;
			if (imgset_find_run(s, va) < 0)
				kcr_space_unmap(st->sp, va, CRIMG_PAGE_SIZE);
		}
	}
	for (size_t i = 0; i < s->nruns; i++) {
		const Crimg__PagemapRun *r = s->runs[i];
		uint32_t len = r->count * CRIMG_PAGE_SIZE;
		const Crimg__Region *reg = restore_region_of(s, r->vaddr, len);
		enum kcr_map how = r->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT ? KCR_MAP_FILLED
		                                                                    : KCR_MAP_ZERO;
		int rc = 0;
		if (!reg)
			return FAIL(-EINVAL, "pages at 0x%08x (%u) are in no region", r->vaddr,
			            r->count);
		if (r->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_LAZY)
			return FAIL(-EINVAL,
			            "pages at 0x%08x (%u) are lazy: a pre-copy round sends "
			            "its pages",
			            r->vaddr, r->count);
		/* in-parent pages are there: imgcheck_parent found them in
		 * the round before, whose pagemap the stage holds */
		if (r->flags != CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT)
			rc = restore_stage_fill(st->sp, r->vaddr, r->count, reg->prot << 1, how);
		if (rc == 0)
			rc = kcr_space_protect(st->sp, r->vaddr, len, reg->prot << 1);
		if (rc == -ENOMEM)
			return FAIL(rc, "out of frames mapping %u pages at 0x%08x", r->count,
			            r->vaddr);
		if (rc)
			return FAIL(rc, "cannot map %u pages at 0x%08x", r->count, r->vaddr);
	}
	return 0;
}

/* Lands s into st: its pagemap mapped, its present pages moved in. */
static int restore_stage_land(struct restore_stage *st, const struct imgset *s,
                              const struct restore_opts *o, char *err, size_t errlen)
{
	struct restore_land rl = { NULL, st->sp, o };
	int rc = restore_stage_link(st, s, err, errlen);

	if (rc == 0)
		rc = restore_stage_map(st, s, err, errlen);
	return rc ? rc : restore_land_pages(s, &rl, err, errlen);
}

int restore_stage_round(struct restore_stage *st, struct imgset *s, const struct restore_opts *o,
                        char *err, size_t errlen)
{
	const Crimg__Inventory *inv = s->inventory;
	int rc = 0;

	if (inv->kind != CRIMG__SET_KIND__SET_PRE_DUMP)
		rc = FAIL(-EINVAL, "a round is a pre-dump (pages only)");
	else if (strcmp(inv->profile, o->profile) || inv->page_size != CRIMG_PAGE_SIZE)
		rc = FAIL(-EINVAL,
		          "the round is of profile %s, pages of %u bytes; this board "
		          "runs %s",
		          inv->profile, inv->page_size, o->profile);
	else
		rc = restore_stage_land(st, s, o, err, errlen);
	if (rc) {
		imgset_free(s);
		return rc;
	}
	imgset_free(st->prev);
	st->prev = s;
	return 0;
}

int restore_process(struct cluster *c, const struct imgset *s, const struct restore_opts *o,
                    char *err, size_t errlen)
{
	const struct profile *p = kcr_profile(c);
	size_t nthreads = s->uarea ? s->uarea->n_threads : 0;
	int *slot_of = calloc(nthreads + 1, sizeof(*slot_of));
	struct uarea layout = { 0 };
	struct kcr_build *b = NULL;
	struct noc_ep *eps = NULL;
	uint32_t neps = 0, pid, need, staged;
	unsigned nslots = 1;
	int rc;

	if (!slot_of)
		return FAIL(-ENOMEM, "out of memory");
	rc = restore_check(s, p, o, &layout, slot_of, &nslots, err, errlen);
	if (rc)
		goto out;
	if (!s->run_first && s->nruns) {
		rc = FAIL(-EINVAL, "the image set was not read by libcrimg (no page index)");
		goto out;
	}
	need = restore_pages_needed(s);
	staged = o->stage && o->stage->sp ? kcr_space_pages(o->stage->sp) : 0;
	if ((rc = restore_check_room(c, need > staged ? need - staged : 0, err, errlen)))
		goto out;
	pid = o->pid ? o->pid : s->inventory->pid;
	rc = o->move_from < 0 ? kcr_build_begin(c, pid, nslots, &b, err, errlen)
	                      : kcr_build_begin_move(c, pid, nslots, (uint32_t)o->move_from, &b,
	                                             err, errlen);
	if (rc)
		goto out;
	restore_uarea(kcr_build_uarea(b), s, slot_of); /* pid set by begin */
	if (!o->stage)
		rc = restore_memory(b, s, o, err, errlen);
	else if (!(rc = restore_stage_land(o->stage, s, o, err, errlen))) {
		if (kcr_build_adopt(b, o->stage->sp))
			rc = FAIL(-EINVAL, "the landed rounds are of another cluster");
		else
			o->stage->sp = NULL;
	}
	if (!rc && o->move_from < 0 && (rc = restore_noc_eps(s, &eps, &neps)))
		snprintf(err, errlen, "out of memory");
	if (!rc)
		rc = kcr_build_commit(b, s->uarea->process->clock, o->frozen, eps, neps, err,
		                      errlen);
	if (!rc)
		b = NULL; /* the cluster owns it now */
out:
	kcr_build_abort(b);
	restore_noc_eps_free(eps, neps);
	free(slot_of);
	return rc;
}
