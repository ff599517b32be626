/*
 * postcopy.c - a post-copy migration's lazy pages (see postcopy.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernel-hooks/migwire.h"
#include "kernel-hooks/postcopy.h"
#include "kernel-hooks/transfer.h"
#include "noc/mesh.h"
#include "noc/noc.h"
#include "params/core_params.h"

/* ---- on the source ---- */

int postcopy_table_add(void *ctx, uint32_t va, const uint8_t *page)
{
	struct postcopy_table *t = ctx;

	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 64;
		struct postcopy_page *p = realloc(t->page, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		t->page = p;
		t->cap = cap;
	}
	t->page[t->n++] = (struct postcopy_page){ va, 0, migwire_addr(page) };
	return 0;
}

void postcopy_table_free(struct postcopy_table *t)
{
	free(t->page);
	*t = (struct postcopy_table){ NULL, 0, 0 };
}

/* ---- on the target ---- */

enum pc_state {
	PC_REMOTE, /* on the source only */
	PC_LANDED, /* pulled into its frame, not mapped yet */
	PC_IN,     /* mapped (or not wanted any more) */
};

struct pc_page {
	uint32_t va;
	uint8_t state;
	const uint8_t *src; /* on the source */
	uint8_t *frame;     /* on the target */
};

/* A page request, target kernel to source kernel: its modelled cost. */
#define PC_REQUEST_BYTES 16u

struct postcopy {
	struct pagexfer x; /* the fetch-on-fault backend (first: a struct pagexfer * is one) */
	struct transfer t; /* source to target: every page */
	uint32_t pid;
	struct pc_page *page; /* ascending va */
	uint32_t n;
	uint32_t pull_next; /* pages before it are not remote */
	uint32_t fetched, pulled;
	int target_done;    /* the target needs no page any more */
	uint32_t cut_after; /* the source fails once this many pages left it */
};

/* The source failed (pages only ever leave it: once true, for good). */
static int pc_cut(const struct postcopy *pc)
{
	return pc->fetched + pc->pulled >= pc->cut_after;
}

static int postcopy_fill(struct pagexfer *x, uint32_t va, uint8_t *frame);

static const struct pagexfer_ops postcopy_ops = { NULL, NULL, postcopy_fill };

struct postcopy *postcopy_new(struct noc *noc, uint32_t pid, uint32_t from, uint32_t to,
                              uint32_t portal_max)
{
	struct postcopy *pc = calloc(1, sizeof(*pc));

	if (!pc)
		return NULL;
	pc->x.ops = &postcopy_ops;
	transfer_init(&pc->t, noc, from, to, portal_max, 0);
	pc->pid = pid;
	pc->cut_after = UINT32_MAX; /* never */
	return pc;
}

void postcopy_free(struct postcopy *pc)
{
	if (!pc)
		return;
	transfer_fini(&pc->t);
	free(pc->page);
	free(pc);
}

int postcopy_read_table(struct postcopy *pc, uint64_t addr, uint32_t n)
{
	struct postcopy_page *tab = malloc((n ? n : 1) * sizeof(*tab));
	struct transfer t;
	int rc;

	if (!tab || !(pc->page = calloc(n ? n : 1, sizeof(*pc->page)))) {
		free(tab);
		return -ENOMEM;
	}
	/* A control transfer, as a reason or figures are: not the pages'. */
	transfer_init(&t, pc->t.noc, pc->t.src, pc->t.dst, pc->t.max, 0);
	rc = transfer_move(&t, tab, migwire_ptr(addr), (size_t)n * sizeof(*tab));
	transfer_fini(&t);
	for (uint32_t i = 0; rc == 0 && i < n; i++)
		pc->page[i] =
			(struct pc_page){ tab[i].va, PC_REMOTE, migwire_ptr(tab[i].src), NULL };
	if (rc == 0)
		pc->n = n;
	free(tab);
	return rc;
}

void postcopy_bind(struct postcopy *pc, struct cluster *c)
{
	struct kcr_pages it;
	struct kcr_page pg;
	uint32_t i = 0;

	/* The table and the page tables in step, both in address order. A
	 * page that is not remote there has nothing to bring (a fault on it
	 * would not find it here either). */
	if (pc->n && kcr_pages_begin(c, pc->pid, pc->page[0].va,
	                             pc->page[pc->n - 1].va + CORE_PAGE_SIZE, &it) == 0)
		while (i < pc->n && kcr_pages_next(&it, &pg)) {
			for (; i < pc->n && pc->page[i].va < pg.va; i++)
				pc->page[i].state = PC_IN;
			if (i < pc->n && pc->page[i].va == pg.va) {
				pc->page[i].frame = pg.landing;
				if (!pg.remote)
					pc->page[i].state = PC_IN;
				i++;
			}
		}
	for (; i < pc->n; i++)
		pc->page[i].state = PC_IN;
}

struct pagexfer *postcopy_xfer(struct postcopy *pc)
{
	return &pc->x;
}

static struct pc_page *pc_find(struct postcopy *pc, uint32_t va)
{
	uint32_t lo = 0, hi = pc->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (pc->page[mid].va == va)
			return &pc->page[mid];
		if (pc->page[mid].va < va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Brings p's bytes into its frame on the target. */
static int pc_move(struct postcopy *pc, struct pc_page *p)
{
	return pc_cut(pc) ? -EIO : transfer_move(&pc->t, p->frame, p->src, CORE_PAGE_SIZE);
}

static int postcopy_fill(struct pagexfer *x, uint32_t va, uint8_t *frame)
{
	struct postcopy *pc = (struct postcopy *)x;
	struct pc_page *p;
	int rc = 0;

	if (va == KCR_FILL_DONE) {
		pc->target_done = 1;
	} else if (!frame) {
		if ((p = pc_find(pc, va)))
			p->state = PC_IN; /* unmapped there: nothing to bring */
	} else if (!(p = pc_find(pc, va)) || p->frame != frame) {
		rc = -EFAULT; /* not a page this migration left behind */
	} else if (p->state == PC_REMOTE) {
		/* a fault: the request goes over, the page comes back */
		uint64_t req = mesh_transfer_ns(pc->t.noc, pc->t.dst, pc->t.src, PC_REQUEST_BYTES);
		pc->t.model_ns += req;
		pc->t.now_ns += req;
		if ((rc = pc_move(pc, p)) == 0) {
			p->state = PC_IN;
			pc->fetched++;
		}
	} else {
		p->state = PC_IN;
	}
	return rc;
}

unsigned postcopy_pull(struct postcopy *pc, struct cluster *c, unsigned max)
{
	struct kcr_pages it;
	unsigned done = 0;

	/* One look-up of the process a call: the pages are mapped through it. */
	if (pc->pull_next >= pc->n ||
	    kcr_pages_begin(c, pc->pid, pc->page[pc->pull_next].va,
	                    pc->page[pc->n - 1].va + CORE_PAGE_SIZE, &it) < 0)
		return 0; /* the process left: target_done follows */
	while (done < max && pc->pull_next < pc->n && !pc->target_done && !pc_cut(pc)) {
		struct pc_page *p = &pc->page[pc->pull_next];
		if (p->state == PC_REMOTE) {
			if (pc_move(pc, p) < 0)
				break; /* the NoC failed: leave it to a fault */
			p->state = PC_LANDED;
			pc->pulled++;
			done++;
			/* mapped now: the filler finds it landed */
			struct kcr_page pg = { .va = p->va };
			if (kcr_pages_fetch(&it, &pg) < 0)
				break;
		}
		pc->pull_next++;
	}
	return done;
}

int postcopy_settled(struct postcopy *pc)
{
	return pc->target_done || pc->pull_next >= pc->n || pc_cut(pc);
}

int postcopy_released(struct postcopy *pc)
{
	return pc->target_done;
}

void postcopy_cut_after(struct postcopy *pc, uint32_t n)
{
	pc->cut_after = n;
}

void postcopy_get_stats(struct postcopy *pc, struct postcopy_stats *st)
{
	st->pid = pc->pid;
	st->pages = pc->n;
	st->fetched = pc->fetched;
	st->pulled = pc->pulled;
	/* Lost: still on the source when it failed or the NoC did. Pages
	 * the process unmapped, or no longer wanted once it ended or moved
	 * on (a move takes every page it has along), are not. */
	st->lost = 0;
	for (uint32_t i = 0; (pc_cut(pc) || !pc->target_done) && i < pc->n; i++)
		st->lost += pc->page[i].state == PC_REMOTE;
	st->bytes = pc->t.bytes;
	st->model_ns = pc->t.model_ns;
}
