/*
 * imgcheck.c - the validation rules of an image set (see imgcheck.h).
 * Every check reports and goes on, so that verify lists every problem.
 */
#include <errno.h>
#include <string.h>

#include "diag/crerr.h"
#include "images/imgcheck.h"
#include "images/imgparams.h"
#include "images/imgset.h"

#define PAGE_MASK (CRIMG_PAGE_SIZE - 1)

/* [start, start + len) is page-aligned, not empty and inside the user range. */
static int user_range(uint32_t start, uint64_t len)
{
	return !(start & PAGE_MASK) && !(len & PAGE_MASK) && len > 0 && start >= CRIMG_USER_BASE &&
	       (uint64_t)start + len <= CRIMG_USER_END;
}

static void check_inventory(const Crimg__Inventory *inv, const char *w, struct crerr *e)
{
	if (strcmp(inv->arch, CRIMG_ARCH))
		crerr_fail(e, -EINVAL, "%s/inventory.img: arch '%s', expected '%s'", w, inv->arch,
		           CRIMG_ARCH);
	if (inv->page_size != CRIMG_PAGE_SIZE)
		crerr_fail(e, -EINVAL, "%s/inventory.img: page size %u, expected %u", w,
		           inv->page_size, CRIMG_PAGE_SIZE);
	if (inv->checksum != CRIMG__CHECKSUM_KIND__CHECKSUM_XXH3_64)
		crerr_fail(e, -EINVAL, "%s/inventory.img: unknown checksum kind %d", w,
		           (int)inv->checksum);
	if (!inv->pid)
		crerr_fail(e, -EINVAL, "%s/inventory.img: pid 0", w);
	if (!inv->id)
		crerr_fail(e, -EINVAL, "%s/inventory.img: set id 0", w);
	if (!*inv->profile || strlen(inv->profile) > 63)
		crerr_fail(e, -EINVAL, "%s/inventory.img: profile name empty or over 63 bytes", w);
	if (strlen(inv->tool_version) > 63)
		crerr_fail(e, -EINVAL, "%s/inventory.img: tool version over 63 bytes", w);
	if (!*inv->parent != !inv->parent_id)
		crerr_fail(e, -EINVAL, "%s/inventory.img: parent '%s' with parent id %llu", w,
		           inv->parent, (unsigned long long)inv->parent_id);
	if (*inv->parent && (inv->parent[0] == '/' || strlen(inv->parent) > 255))
		crerr_fail(e, -EINVAL,
		           "%s/inventory.img: parent '%s' must be a relative path of at most "
		           "255 bytes",
		           w, inv->parent);
}

static void check_regions(const struct imgset *s, const char *w, struct crerr *e)
{
	uint64_t end = 0;

	for (size_t i = 0; i < s->nregions; i++) {
		const Crimg__Region *r = s->regions[i];
		if (!user_range(r->start, r->length))
			crerr_fail(e, -EINVAL,
			           "%s/mm.img: entry %zu: region 0x%08x+0x%x is not page-aligned "
			           "inside the user range",
			           w, i, r->start, r->length);
		if (r->start < end)
			crerr_fail(
				e, -EINVAL,
				"%s/mm.img: entry %zu: region 0x%08x overlaps or precedes the one "
				"before",
				w, i, r->start);
		if (r->prot > 7)
			crerr_fail(e, -EINVAL, "%s/mm.img: entry %zu: protection bits 0x%x", w, i,
			           r->prot);
		if (r->kind < CRIMG__REGION_KIND__REGION_TEXT ||
		    r->kind > CRIMG__REGION_KIND__REGION_STACK)
			crerr_fail(e, -EINVAL, "%s/mm.img: entry %zu: unknown region kind %d", w, i,
			           (int)r->kind);
		end = (uint64_t)r->start + r->length;
	}
}

/* Index of the region holding [start, start + len), or -1. */
static long region_of(const struct imgset *s, uint32_t start, uint64_t len)
{
	for (size_t i = 0; i < s->nregions; i++) {
		const Crimg__Region *r = s->regions[i];
		if (start >= r->start && (uint64_t)start + len <= (uint64_t)r->start + r->length)
			return (long)i;
	}
	return -1;
}

static void check_pagemap(const struct imgset *s, const char *w, struct crerr *e)
{
	const uint32_t known =
		CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT | CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT |
		CRIMG__PAGEMAP_FLAG__PAGEMAP_ZERO | CRIMG__PAGEMAP_FLAG__PAGEMAP_LAZY;
	uint64_t end = 0, present = 0;

	for (size_t i = 0; i < s->nruns; i++) {
		const Crimg__PagemapRun *r = s->runs[i];
		uint64_t len = (uint64_t)r->count * CRIMG_PAGE_SIZE;
		uint32_t f = r->flags;
		if (!user_range(r->vaddr, len)) {
			crerr_fail(e, -EINVAL,
			           "%s/pagemap.img: entry %zu: run 0x%08x, %u pages, is not "
			           "page-aligned inside the user range",
			           w, i, r->vaddr, r->count);
		} else if (region_of(s, r->vaddr, len) < 0) {
			crerr_fail(e, -EINVAL,
			           "%s/pagemap.img: entry %zu: run 0x%08x, %u pages, lies outside "
			           "every region of mm.img",
			           w, i, r->vaddr, r->count);
		}
		if (r->vaddr < end)
			crerr_fail(e, -EINVAL,
			           "%s/pagemap.img: entry %zu: run 0x%08x overlaps or precedes the "
			           "one before",
			           w, i, r->vaddr);
		if ((f & ~known) || !f || (f & (f - 1)))
			crerr_fail(
				e, -EINVAL,
				"%s/pagemap.img: entry %zu: flags 0x%x (exactly one of present 1, "
				"in-parent 2, zero 4, lazy 8)",
				w, i, f);
		if ((f & CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT) && !*s->inventory->parent)
			crerr_fail(
				e, -EINVAL,
				"%s/pagemap.img: entry %zu: pages in the parent, but the set has "
				"no parent",
				w, i);
		if (f == CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT)
			present += r->count;
		end = (uint64_t)r->vaddr + len;
	}
	if (present != s->npages)
		crerr_fail(e, -EINVAL, "%s: pagemap.img has %llu present pages, pages.img holds %u",
		           w, (unsigned long long)present, s->npages);
}

static const Crimg__Thread *thread_by_tid(const Crimg__UArea *ua, uint32_t tid)
{
	for (size_t i = 0; i < ua->n_threads; i++)
		if (ua->threads[i]->tid == tid)
			return ua->threads[i];
	return NULL;
}

static void check_thread(const struct imgset *s, size_t i, const char *w, struct crerr *e)
{
	const Crimg__UArea *ua = s->uarea;
	const Crimg__Thread *t = ua->threads[i];
	const Crimg__Process *p = ua->process;
	long r;

	if (i > 0 && t->tid <= ua->threads[i - 1]->tid)
		crerr_fail(e, -EINVAL, "%s/uarea.img: thread %zu: tid %u not above the one before",
		           w, i, t->tid);
	if (t->tid >= p->next_tid)
		crerr_fail(e, -EINVAL, "%s/uarea.img: thread %zu: tid %u not below next_tid %u", w,
		           i, t->tid, p->next_tid);
	if (t->state < CRIMG__THREAD_STATE__THREAD_READY ||
	    t->state > CRIMG__THREAD_STATE__THREAD_ZOMBIE)
		crerr_fail(e, -EINVAL, "%s/uarea.img: thread %zu (tid %u): unknown state %d", w, i,
		           t->tid, (int)t->state);
	if (t->n_regs != CRIMG_REGS)
		crerr_fail(e, -EINVAL,
		           "%s/uarea.img: thread %zu (tid %u): %zu registers, expected %u", w, i,
		           t->tid, t->n_regs, CRIMG_REGS);
	if (t->n_wait_args != CRIMG_WAIT_ARGS)
		crerr_fail(e, -EINVAL,
		           "%s/uarea.img: thread %zu (tid %u): %zu wait arguments, expected %u", w,
		           i, t->tid, t->n_wait_args, CRIMG_WAIT_ARGS);
	if (t->pc & 1)
		crerr_fail(e, -EINVAL, "%s/uarea.img: thread %zu (tid %u): odd pc 0x%08x", w, i,
		           t->tid, t->pc);
	if (t->wait > CRIMG__WAIT_REASON__WAIT_MIGRATE ||
	    (t->state == CRIMG__THREAD_STATE__THREAD_BLOCKED) !=
	            (t->wait != CRIMG__WAIT_REASON__WAIT_NONE))
		crerr_fail(
			e, -EINVAL,
			"%s/uarea.img: thread %zu (tid %u): wait reason %d does not fit state %d",
			w, i, t->tid, (int)t->wait, (int)t->state);
	if (t->wait == CRIMG__WAIT_REASON__WAIT_JOIN && t->n_wait_args == CRIMG_WAIT_ARGS &&
	    (t->wait_args[0] == t->tid || !thread_by_tid(ua, t->wait_args[0])))
		crerr_fail(e, -EINVAL,
		           "%s/uarea.img: thread %zu (tid %u) joins tid %u, not one of its peers",
		           w, i, t->tid, t->wait_args[0]);
	if (t->state == CRIMG__THREAD_STATE__THREAD_ZOMBIE)
		return; /* its stack may be gone already */
	if (t->stack_size > t->stack_top ||
	    !user_range(t->stack_top - t->stack_size, t->stack_size)) {
		crerr_fail(e, -EINVAL,
		           "%s/uarea.img: thread %zu (tid %u): stack [0x%08x, 0x%08x) is not "
		           "page-aligned inside the user range",
		           w, i, t->tid, t->stack_top - t->stack_size, t->stack_top);
	} else if ((r = region_of(s, t->stack_top - t->stack_size, t->stack_size)) < 0 ||
	           s->regions[r]->kind != CRIMG__REGION_KIND__REGION_STACK) {
		crerr_fail(
			e, -EINVAL,
			"%s/uarea.img: thread %zu (tid %u): stack [0x%08x, 0x%08x) is not a stack "
			"region of mm.img",
			w, i, t->tid, t->stack_top - t->stack_size, t->stack_top);
	}
}

static void check_ready_queue(const Crimg__UArea *ua, const char *w, struct crerr *e)
{
	for (size_t i = 0; i < ua->process->n_ready_queue; i++) {
		uint32_t tid = ua->process->ready_queue[i];
		const Crimg__Thread *t = thread_by_tid(ua, tid);
		if (!t || t->state != CRIMG__THREAD_STATE__THREAD_READY)
			crerr_fail(
				e, -EINVAL,
				"%s/uarea.img: ready queue entry %zu: tid %u is not a ready thread",
				w, i, tid);
		for (size_t j = 0; j < i; j++)
			if (ua->process->ready_queue[j] == tid)
				crerr_fail(e, -EINVAL,
				           "%s/uarea.img: ready queue holds tid %u twice", w, tid);
	}
	for (size_t i = 0; i < ua->n_threads; i++) {
		const Crimg__Thread *t = ua->threads[i];
		size_t j = 0;
		if (t->state != CRIMG__THREAD_STATE__THREAD_READY)
			continue;
		while (j < ua->process->n_ready_queue && ua->process->ready_queue[j] != t->tid)
			j++;
		if (j == ua->process->n_ready_queue)
			crerr_fail(e, -EINVAL,
			           "%s/uarea.img: ready thread tid %u is not in the ready queue", w,
			           t->tid);
	}
}

/* A pid name space: at most a group's members, no pid 0, seen and board
 * pids each distinct, the process itself among them. */
static void check_pid_ns(const Crimg__Process *p, const char *w, struct crerr *e)
{
	int self = 0;

	if (!p->n_pid_ns)
		return;
	if (p->n_pid_ns > CRIMG_APP_MEMBERS_MAX) {
		crerr_fail(e, -EINVAL, "%s/uarea.img: a pid name space of %zu (at most %u)", w,
		           p->n_pid_ns, CRIMG_APP_MEMBERS_MAX);
		return;
	}
	for (size_t i = 0; i < p->n_pid_ns; i++) {
		const Crimg__PidName *a = p->pid_ns[i];
		if (!a->pid || !a->board_pid)
			crerr_fail(e, -EINVAL,
			           "%s/uarea.img: pid name space entry %zu: pid %u, board pid %u",
			           w, i, a->pid, a->board_pid);
		for (size_t j = 0; j < i; j++)
			if (p->pid_ns[j]->pid == a->pid || p->pid_ns[j]->board_pid == a->board_pid)
				crerr_fail(
					e, -EINVAL,
					"%s/uarea.img: pid name space entry %zu repeats a pid of "
					"entry %zu",
					w, i, j);
		self |= a->board_pid == p->pid;
	}
	if (!self)
		crerr_fail(e, -EINVAL, "%s/uarea.img: its pid name space does not hold pid %u", w,
		           p->pid);
}

static void check_uarea(const struct imgset *s, const char *w, struct crerr *e)
{
	const Crimg__UArea *ua = s->uarea;
	const Crimg__Process *p = ua->process;
	size_t live = 0;

	if (!p) {
		crerr_fail(e, -EINVAL, "%s/uarea.img: no process", w);
		return;
	}
	if (p->pid != s->inventory->pid)
		crerr_fail(e, -EINVAL, "%s/uarea.img: pid %u, inventory.img says %u", w, p->pid,
		           s->inventory->pid);
	if (strlen(p->name) > CRIMG_NAME_MAX)
		crerr_fail(e, -EINVAL, "%s/uarea.img: name over %u bytes", w, CRIMG_NAME_MAX);
	if (p->app[0] && !imgcheck_app_name(p->app))
		crerr_fail(e, -EINVAL,
		           "%s/uarea.img: application name '%.40s' is not 1 to %u letters, digits, "
		           "'.', '_' or '-'",
		           w, p->app, CRIMG_APP_MAX);
	check_pid_ns(p, w, e);
	if (p->state != CRIMG__PROC_STATE__PROC_RUNNING)
		crerr_fail(e, -EINVAL,
		           "%s/uarea.img: process state %d; a dump holds a running process", w,
		           (int)p->state);
	if (p->threads_max < 1 || p->threads_max > CRIMG_THREADS_MAX)
		crerr_fail(e, -EINVAL, "%s/uarea.img: threads_max %u (1 to %u allowed)", w,
		           p->threads_max, CRIMG_THREADS_MAX);
	if (ua->n_threads < 1 || ua->n_threads > p->threads_max ||
	    ua->n_threads > CRIMG_THREADS_MAX)
		crerr_fail(e, -EINVAL, "%s/uarea.img: %zu threads (1 to threads_max %u allowed)", w,
		           ua->n_threads, p->threads_max);
	if ((p->heap_start & PAGE_MASK) || p->heap_start < CRIMG_USER_BASE ||
	    p->brk < p->heap_start || p->brk > p->brk_limit || p->brk_limit > CRIMG_USER_END)
		crerr_fail(
			e, -EINVAL,
			"%s/uarea.img: heap: start 0x%08x, brk 0x%08x, limit 0x%08x out of order "
			"or outside the user range",
			w, p->heap_start, p->brk, p->brk_limit);
	if (p->entry < CRIMG_USER_BASE || p->entry >= CRIMG_USER_END)
		crerr_fail(e, -EINVAL, "%s/uarea.img: entry point 0x%08x outside the user range", w,
		           p->entry);
	if (!p->main_stack || !p->thread_stack || ((p->main_stack | p->thread_stack) & PAGE_MASK))
		crerr_fail(e, -EINVAL, "%s/uarea.img: stack sizes %u and %u are not page multiples",
		           w, p->main_stack, p->thread_stack);
	if (ua->n_threads > CRIMG_THREADS_MAX)
		return;
	for (size_t i = 0; i < ua->n_threads; i++) {
		check_thread(s, i, w, e);
		live += ua->threads[i]->state != CRIMG__THREAD_STATE__THREAD_ZOMBIE;
	}
	if (ua->n_threads && !live)
		crerr_fail(e, -EINVAL, "%s/uarea.img: every thread has exited", w);
	check_ready_queue(ua, w, e);
}

static int input_kind(Crimg__EndpointKind k)
{
	return k == CRIMG__ENDPOINT_KIND__MAILBOX_IN || k == CRIMG__ENDPOINT_KIND__PORTAL_IN ||
	       k == CRIMG__ENDPOINT_KIND__SYNC_IN;
}

static void check_signals(const Crimg__Endpoint *ep, size_t i, const char *w, struct crerr *e)
{
	if (ep->n_signals > CRIMG_SYNC_MEMBERS_MAX)
		crerr_fail(e, -EINVAL, "%s/ipc.img: entry %zu: signals from %zu pids (at most %u)",
		           w, i, ep->n_signals, CRIMG_SYNC_MEMBERS_MAX);
	for (size_t j = 0; j < ep->n_signals && j < CRIMG_SYNC_MEMBERS_MAX; j++)
		if (!ep->signals[j]->from_pid || !ep->signals[j]->count)
			crerr_fail(e, -EINVAL,
			           "%s/ipc.img: entry %zu: signal %zu: %u from pid %u "
			           "(a count from a pid)",
			           w, i, j, ep->signals[j]->count, ep->signals[j]->from_pid);
}

static void check_queued(const Crimg__Endpoint *ep, size_t i, const char *w, uint32_t max,
                         struct crerr *e)
{
	for (size_t j = 0; j < ep->n_queued; j++) {
		if (ep->queued[j]->data.len > max || !ep->queued[j]->source_pid)
			crerr_fail(
				e, -EINVAL,
				"%s/ipc.img: entry %zu: queued message %zu: %zu bytes from pid %u "
				"(at most %u bytes, from a pid)",
				w, i, j, ep->queued[j]->data.len, ep->queued[j]->source_pid, max);
		if (ep->queued[j]->source_tag && ep->queued[j]->source_tag - 1 >= CRIMG_TAG_LIMIT)
			crerr_fail(e, -EINVAL,
			           "%s/ipc.img: entry %zu: queued message %zu: tag %u out of range",
			           w, i, j, ep->queued[j]->source_tag);
	}
}

static void check_endpoint(const struct imgset *s, size_t i, const char *w, struct crerr *e)
{
	const Crimg__Endpoint *ep = s->endpoints[i];
	int sync = ep->kind == CRIMG__ENDPOINT_KIND__SYNC_IN ||
	           ep->kind == CRIMG__ENDPOINT_KIND__SYNC_OUT;
	uint32_t max = ep->kind == CRIMG__ENDPOINT_KIND__MAILBOX_IN ? CRIMG_MAILBOX_MSG_MAX
	                                                            : CRIMG_PORTAL_MSG_MAX;

	if (ep->early) {
		if (ep->kind != CRIMG__ENDPOINT_KIND__SYNC_IN || ep->slot || ep->n_members ||
		    ep->n_queued || !ep->n_signals)
			crerr_fail(e, -EINVAL,
			           "%s/ipc.img: entry %zu: early signals must be a sync "
			           "input with signals, no slot, members or messages",
			           w, i);
		check_signals(ep, i, w, e);
		return;
	}
	if (ep->slot >= CRIMG_ENDPOINTS_MAX)
		crerr_fail(e, -EINVAL, "%s/ipc.img: entry %zu: slot %u (below %u allowed)", w, i,
		           ep->slot, CRIMG_ENDPOINTS_MAX);
	for (size_t j = 0; j < i; j++)
		if (!s->endpoints[j]->early && s->endpoints[j]->slot == ep->slot)
			crerr_fail(e, -EINVAL, "%s/ipc.img: entry %zu: slot %u used twice", w, i,
			           ep->slot);
	if (ep->kind < CRIMG__ENDPOINT_KIND__MAILBOX_IN ||
	    ep->kind > CRIMG__ENDPOINT_KIND__SYNC_OUT) {
		crerr_fail(e, -EINVAL, "%s/ipc.img: entry %zu: unknown endpoint kind %d", w, i,
		           (int)ep->kind);
		return;
	}
	if (!input_kind(ep->kind) && !sync && !ep->pid)
		crerr_fail(e, -EINVAL, "%s/ipc.img: entry %zu: an output to pid 0", w, i);
	if (sync &&
	    (ep->n_members < 2 || ep->n_members > CRIMG_SYNC_MEMBERS_MAX || ep->sync_type > 1))
		crerr_fail(e, -EINVAL,
		           "%s/ipc.img: entry %zu: sync of %zu members, type %u (2 to %u members, "
		           "type 0 or 1)",
		           w, i, ep->n_members, ep->sync_type, CRIMG_SYNC_MEMBERS_MAX);
	if (!sync && ep->n_members)
		crerr_fail(e, -EINVAL, "%s/ipc.img: entry %zu: members on a non-sync endpoint", w,
		           i);
	if (ep->n_queued && (!input_kind(ep->kind) || sync))
		crerr_fail(e, -EINVAL, "%s/ipc.img: entry %zu: queued messages on a %s", w, i,
		           sync ? "sync" : "output");
	if (ep->n_queued > CRIMG_QUEUED_MAX)
		crerr_fail(e, -EINVAL, "%s/ipc.img: entry %zu: %zu queued messages (at most %u)", w,
		           i, ep->n_queued, CRIMG_QUEUED_MAX);
	if (ep->kind == CRIMG__ENDPOINT_KIND__PORTAL_IN && ep->n_queued > CRIMG_PORTAL_WRITES_MAX)
		crerr_fail(e, -EINVAL,
		           "%s/ipc.img: entry %zu: a portal holds %zu writes (at most %u)", w, i,
		           ep->n_queued, CRIMG_PORTAL_WRITES_MAX);
	if (ep->allowed_pid && ep->kind != CRIMG__ENDPOINT_KIND__PORTAL_IN)
		crerr_fail(e, -EINVAL, "%s/ipc.img: entry %zu: an allowed sender on a non-portal",
		           w, i);
	if (ep->allowed_tag && (!ep->allowed_pid || ep->allowed_tag - 1 >= CRIMG_TAG_LIMIT))
		crerr_fail(e, -EINVAL,
		           "%s/ipc.img: entry %zu: allowed tag %u without an allowed sender, or "
		           "out of range",
		           w, i, ep->allowed_tag);
	if (ep->n_signals && ep->kind != CRIMG__ENDPOINT_KIND__SYNC_IN)
		crerr_fail(e, -EINVAL, "%s/ipc.img: entry %zu: signals on a non-sync-input", w, i);
	check_signals(ep, i, w, e);
	check_queued(ep, i, w, max, e);
}

int imgcheck_app_name(const char *s)
{
	size_t n = strspn(s, CRIMG_APP_CHARS);

	return n && n <= CRIMG_APP_MAX && !s[n];
}

int imgcheck_set(const struct imgset *s, const char *where, struct crerr *e)
{
	int before = e->count;

	check_inventory(s->inventory, where, e);
	check_regions(s, where, e);
	check_pagemap(s, where, e);
	if (s->uarea)
		check_uarea(s, where, e);
	for (size_t i = 0; i < s->nendpoints; i++)
		check_endpoint(s, i, where, e);
	return e->count > before ? -EINVAL : 0;
}

int imgcheck_parent(const struct imgset *child, const struct imgset *parent, const char *where,
                    struct crerr *e)
{
	const Crimg__Inventory *c = child->inventory, *p = parent->inventory;
	int before = e->count;

	if (p->id != c->parent_id)
		crerr_fail(e, -EINVAL,
		           "%s: parent '%s' is set %016llx, the child names %016llx (parent "
		           "replaced?)",
		           where, c->parent, (unsigned long long)p->id,
		           (unsigned long long)c->parent_id);
	if (p->pid != c->pid)
		crerr_fail(e, -EINVAL, "%s: parent '%s' is of pid %u, the child of pid %u", where,
		           c->parent, p->pid, c->pid);
	if (strcmp(p->profile, c->profile))
		crerr_fail(e, -EINVAL, "%s: parent '%s' is of profile %s, the child of %s", where,
		           c->parent, p->profile, c->profile);
	for (size_t i = 0; i < child->nruns; i++) {
		const Crimg__PagemapRun *r = child->runs[i];
		if (r->flags != CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT)
			continue;
		for (uint32_t k = 0; k < r->count; k++) {
			uint32_t va = r->vaddr + k * CRIMG_PAGE_SIZE;
			if (imgset_find_run(parent, va) < 0) {
				crerr_fail(e, -EINVAL,
				           "%s/pagemap.img: entry %zu: page 0x%08x is left in the "
				           "parent, which lacks it",
				           where, i, va);
				break;
			}
		}
	}
	return e->count > before ? -EINVAL : 0;
}
