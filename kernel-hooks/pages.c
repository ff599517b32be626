/*
 * pages.c - the pages of a process (pagemap.img and pages.img): captured
 * from its page tables (present, zero, in the parent, or lazy: left on a
 * post-copy's source), checked against its regions, and landed in its
 * new frames through the page transfer (pagexfer.h); and a pre-copy's
 * rounds, landed ahead while the process still runs (see crobj.h and
 * pages.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/crerr.h"
#include "images/imgcheck.h"
#include "images/imgland.h"
#include "images/imgparams.h"
#include "kernel-hooks/crobj.h"
#include "kernel-hooks/pages.h"
#include "kernel-hooks/pagexfer.h"
#include "params/profile.h"

static int pages_zero(const uint8_t *p)
{
	static const uint8_t zero[CRIMG_PAGE_SIZE];

	return !memcmp(p, zero, CRIMG_PAGE_SIZE);
}

/* Appends page va of flag f to the pagemap, growing the last run or
 * starting one (always at a region's first page: runs stay in a region). */
static int pages_run_add(struct imgset *s, size_t *cap, uint32_t va, uint32_t f, int fresh)
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

static int pages_capture(struct crdump *d)
{
	struct imgset *s = d->s;
	struct cluster *c = d->c;
	uint32_t pid = d->pid;
	const struct capture_opts *o = d->o;
	Crimg__Stats *st = s->stats;
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
			if (pg.zero || (!lazy && pages_zero(buf))) {
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
			if ((rc = pages_run_add(s, &cap, va, f, fresh)) < 0)
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

uint32_t pages_needed(const struct imgset *s)
{
	uint64_t n = 0;

	for (size_t i = 0; i < s->nruns; i++)
		n += s->runs[i]->count;
	return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* Every run in a region; pages in a parent only if the set names one,
 * lazy ones only if a post-copy fetches them; the set read by libcrimg
 * (its page index made). */
static int pages_check(struct crbuild *r)
{
	const struct imgset *s = r->s;

	for (size_t i = 0; i < s->nruns; i++) {
		const Crimg__PagemapRun *run = s->runs[i];
		if (!mm_region_of(s, run->vaddr, (uint64_t)run->count * CRIMG_PAGE_SIZE))
			return crerr_fail(r->e, -EINVAL, "pages at 0x%08x (%u) are in no region",
			                  run->vaddr, run->count);
		if (run->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT && !*s->inventory->parent)
			return crerr_fail(
				r->e, -EINVAL,
				"pages at 0x%08x (%u) are in a parent; the set names none",
				run->vaddr, run->count);
		if (run->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_LAZY && !r->o->lazy)
			return crerr_fail(
				r->e, -EINVAL,
				"pages at 0x%08x (%u) are lazy: they stay on the source of a "
				"post-copy migration, which only that migration restores",
				run->vaddr, run->count);
	}
	return 0;
}

/* Where pages land (a build's frames or a space's), and how they get
 * there. */
struct pages_where {
	struct kcr_build *b;
	struct kcr_space *sp;
	struct pagexfer *xfer;
};

static uint8_t *pages_frame(void *ctx, uint32_t va)
{
	struct pages_where *w = ctx;

	return w->sp ? kcr_space_page(w->sp, va) : kcr_build_page(w->b, va);
}

static int pages_move(void *ctx, void *const *dst, const void *src, size_t unit, unsigned count)
{
	struct pagexfer *x = ((struct pages_where *)ctx)->xfer;

	return x->ops->move(x, dst, src, unit, count);
}

/* Lands s's present pages where w says. */
static int pages_land(const struct imgset *s, struct pages_where *w, struct crerr *e)
{
	struct imgland l = { pages_frame, pages_move, w };
	int rc = imgland_pages(s, &l, "pages.img", e);

	/* A page block that does not check out is a damaged image. */
	return rc < 0 ? crerr_recode(e, rc == -EINVAL ? -EBADMSG : rc) : 0;
}

/* Maps every page of the pagemap (the present ones unzeroed, the lazy
 * ones remote), then lands the present ones. */
static int pages_map(struct crbuild *r)
{
	const struct imgset *s = r->s;
	struct pages_where w = { r->b, NULL, r->o->xfer ? r->o->xfer : &pagexfer_memory };
	struct crerr *e = r->e;

	for (size_t i = 0; i < s->nruns; i++) {
		const Crimg__PagemapRun *run = s->runs[i];
		const Crimg__Region *reg =
			mm_region_of(s, run->vaddr, (uint64_t)run->count * CRIMG_PAGE_SIZE);
		enum kcr_map how =
			run->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT ? KCR_MAP_FILLED
			: run->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_LAZY  ? KCR_MAP_REMOTE
									   : KCR_MAP_ZERO;
		int rc = kcr_build_map(r->b, run->vaddr, run->count * CRIMG_PAGE_SIZE,
		                       reg->prot << 1, how);
		if (rc == -ENOMEM)
			return crerr_fail(e, rc, "out of frames mapping %u pages at 0x%08x",
			                  run->count, run->vaddr);
		if (rc)
			return crerr_fail(e, rc,
			                  "cannot map %u pages at 0x%08x (overlapping runs?)",
			                  run->count, run->vaddr);
	}
	if (r->o->lazy)
		kcr_build_fill(r->b, pagexfer_fetch, r->o->lazy);
	return pages_land(s, &w, e);
}

/* ---- a pre-copy's rounds, landed ahead ---- */

struct pages_rounds {
	struct cluster *c;
	struct kcr_space *sp; /* NULL once a restore took it */
	struct imgset *prev;  /* the last round landed: the next must name it */
};

struct pages_rounds *pages_rounds_new(struct cluster *c)
{
	struct pages_rounds *st = calloc(1, sizeof(*st));

	if (st && !(st->sp = kcr_space_new(c))) {
		free(st);
		return NULL;
	}
	if (st)
		st->c = c;
	return st;
}

void pages_rounds_free(struct pages_rounds *st)
{
	if (!st)
		return;
	kcr_space_free(st->sp);
	imgset_free(st->prev);
	free(st);
}

/* Is s the next of st's rounds? */
static int pages_rounds_link(const struct pages_rounds *st, const struct imgset *s, struct crerr *e)
{
	if (!st->sp)
		return crerr_fail(e, -EINVAL,
		                  "the rounds landed before were taken by a restore already");
	if (!st->prev)
		return *s->inventory->parent
		               ? crerr_fail(e, -EINVAL, "the first round names parent '%s'",
		                            s->inventory->parent)
		               : 0;
	if (imgcheck_parent(s, st->prev, "round", e) < 0)
		return crerr_recode(e, -EINVAL);
	return 0;
}

/* Maps the pages of [va, va + n pages) that sp lacks (how); the zero
 * pages it has are cleared. */
static int pages_rounds_fill(struct kcr_space *sp, uint32_t va, uint32_t n, unsigned prot,
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
static int pages_rounds_map(struct pages_rounds *st, const struct imgset *s, struct crerr *e)
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
		const Crimg__Region *reg = mm_region_of(s, r->vaddr, len);
		enum kcr_map how = r->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT ? KCR_MAP_FILLED
		                                                                    : KCR_MAP_ZERO;
		int rc = 0;
		if (!reg)
			return crerr_fail(e, -EINVAL, "pages at 0x%08x (%u) are in no region",
			                  r->vaddr, r->count);
		if (r->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_LAZY)
			return crerr_fail(e, -EINVAL,
			                  "pages at 0x%08x (%u) are lazy: a pre-copy round sends "
			                  "its pages",
			                  r->vaddr, r->count);
		/* in-parent pages are there: imgcheck_parent found them in
		 * the round before, whose pagemap the stage holds */
		if (r->flags != CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT)
			rc = pages_rounds_fill(st->sp, r->vaddr, r->count, reg->prot << 1, how);
		if (rc == 0)
			rc = kcr_space_protect(st->sp, r->vaddr, len, reg->prot << 1);
		if (rc == -ENOMEM)
			return crerr_fail(e, rc, "out of frames mapping %u pages at 0x%08x",
			                  r->count, r->vaddr);
		if (rc)
			return crerr_fail(e, rc, "cannot map %u pages at 0x%08x", r->count,
			                  r->vaddr);
	}
	return 0;
}

/* Lands s into st: its pagemap mapped, its present pages moved in. */
static int pages_rounds_land(struct pages_rounds *st, const struct imgset *s,
                             const struct restore_opts *o, struct crerr *e)
{
	struct pages_where rl = { NULL, st->sp, o->xfer ? o->xfer : &pagexfer_memory };
	int rc = pages_rounds_link(st, s, e);

	if (rc == 0)
		rc = pages_rounds_map(st, s, e);
	return rc ? rc : pages_land(s, &rl, e);
}

int pages_rounds_take(struct pages_rounds *st, struct imgset *s, const struct restore_opts *o,
                      struct crerr *e)
{
	const Crimg__Inventory *inv = s->inventory;
	int rc = 0;

	if (inv->kind != CRIMG__SET_KIND__SET_PRE_DUMP)
		rc = crerr_fail(e, -EINVAL, "a round is a pre-dump (pages only)");
	else if (strcmp(inv->profile, kcr_profile(st->c)->name) ||
	         inv->page_size != CRIMG_PAGE_SIZE)
		rc = crerr_fail(e, -EINVAL,
		                "the round is of profile %s, pages of %u bytes; this board "
		                "runs %s",
		                inv->profile, inv->page_size, kcr_profile(st->c)->name);
	else
		rc = pages_rounds_land(st, s, o, e);
	if (rc) {
		imgset_free(s);
		return rc;
	}
	imgset_free(st->prev);
	st->prev = s;
	return 0;
}

/* The set's pages into the build: mapped and landed, or, after a
 * pre-copy's rounds, the last round landed with the others and all of
 * them taken over. */
static int pages_restore(struct crbuild *r)
{
	struct pages_rounds *st = r->o->rounds;
	struct crerr *e = r->e;
	int rc;

	if (!st)
		return pages_map(r);
	if ((rc = pages_rounds_land(st, r->s, r->o, e)))
		return rc;
	if (kcr_build_adopt(r->b, st->sp))
		return crerr_fail(e, -EINVAL, "the landed rounds are of another cluster");
	st->sp = NULL;
	return 0;
}

const struct crobj crobj_pages = {
	.name = "pages",
	.kind = { IMGKIND_PAGEMAP, IMGKIND_PAGES },
	.nkinds = 2,
	.capture = pages_capture,
	.check = pages_check,
	.restore = pages_restore,
};

uint32_t pages_rounds_staged(const struct pages_rounds *st)
{
	return st->sp ? kcr_space_pages(st->sp) : 0;
}
