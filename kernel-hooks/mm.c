/*
 * mm.c - the memory map (mm.img): the regions of the process, its
 * program's segments, its heap up to the break and its threads' stacks
 * (see crobj.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag/crerr.h"
#include "images/imgparams.h"
#include "kernel-hooks/crobj.h"
#include "params/kparams.h"

_Static_assert((int)UREGION_TEXT == (int)CRIMG__REGION_KIND__REGION_TEXT &&
                       (int)UREGION_STACK == (int)CRIMG__REGION_KIND__REGION_STACK,
               "region kinds are numbered as in mm.proto");
_Static_assert(KCR_PROT_R == 2 && KCR_PROT_W == 4 && KCR_PROT_X == 8,
               "region protections shift by one");

static int mm_region_add(struct imgset *s, uint32_t start, uint32_t len, uint32_t prot, int kind)
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

static int mm_capture(struct crdump *d)
{
	struct imgset *s = d->s;
	const struct uarea *ua = d->ua;
	int rc;

	if (!(s->regions = calloc(ua->nregions + ua->nslots + 1u, sizeof(*s->regions))))
		return -ENOMEM;
	for (unsigned i = 0; i < ua->nregions; i++) {
		const struct uregion *r = &ua->regions[i];
		uint32_t len = r->len;
		/* the heap region grows with brk: what is mapped is up to brk */
		if (r->kind == UREGION_HEAP)
			len = ((ua->brk + CRIMG_PAGE_SIZE - 1) & ~(CRIMG_PAGE_SIZE - 1)) - r->start;
		if (len && (rc = mm_region_add(s, r->start, len, r->prot, r->kind)) < 0)
			return rc;
	}
	for (unsigned k = 0; k < ua->nslots; k++) {
		const struct uthread *t = &ua->slot[k];
		if (t->state == UTHREAD_FREE || t->state == UTHREAD_ZOMBIE)
			continue;
		if ((rc = mm_region_add(s, t->stack_top - t->stack_size, t->stack_size,
		                        KCR_PROT_R | KCR_PROT_W, UREGION_STACK)) < 0)
			return rc;
	}
	return 0;
}

const Crimg__Region *mm_region_of(const struct imgset *s, uint32_t va, uint64_t len)
{
	for (size_t i = 0; i < s->nregions; i++) {
		const Crimg__Region *r = s->regions[i];
		if (va >= r->start && va + len <= (uint64_t)r->start + r->length)
			return r;
	}
	return NULL;
}

/* The regions fit a UArea and the user range. */
static int mm_check(struct crbuild *r)
{
	const struct imgset *s = r->s;

	for (size_t i = 0, other = 0; i < s->nregions; i++) {
		const Crimg__Region *g = s->regions[i];
		if (g->kind != CRIMG__REGION_KIND__REGION_STACK && ++other > UAREA_REGIONS_MAX)
			return crerr_fail(r->e, -EINVAL, "more than %u regions besides stacks",
			                  UAREA_REGIONS_MAX);
		if (g->start < USER_BASE || g->length > USER_END - g->start)
			return crerr_fail(r->e, -EINVAL,
			                  "region [0x%08x, +%u) outside the user range", g->start,
			                  g->length);
	}
	return 0;
}

/* The UArea's regions: the set's but the stacks (a thread's slot says
 * its stack), and the heap, empty if the set had none. */
static int mm_restore(struct crbuild *r)
{
	const struct imgset *s = r->s;

	for (size_t i = 0; i < s->nregions; i++) {
		const Crimg__Region *g = s->regions[i];
		if (g->kind != CRIMG__REGION_KIND__REGION_STACK)
			uarea_add_region(r->ua, g->start, g->length, g->prot << 1, g->kind);
	}
	if (!uarea_heap(r->ua))
		uarea_add_region(r->ua, s->uarea->process->heap_start, 0, KCR_PROT_R | KCR_PROT_W,
		                 UREGION_HEAP);
	return 0;
}

const struct crobj crobj_mm = {
	.name = "mm",
	.kind = { IMGKIND_MM },
	.nkinds = 1,
	.capture = mm_capture,
	.check = mm_check,
	.restore = mm_restore,
};
