/*
 * postcopy.c - a post-copy migration's lazy pages (see postcopy.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "kernel-hooks/postcopy.h"
#include "kernel-hooks/transfer.h"
#include "noc/mesh.h"
#include "noc/noc.h"
#include "params/core_params.h"

enum pc_state {
	PC_REMOTE, /* on the source only */
	PC_LANDED, /* pushed into its frame on the target, not mapped yet */
	PC_IN,     /* mapped on the target */
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
	pthread_mutex_t lock;
	struct transfer t; /* source to target: every page */
	uint32_t pid;
	struct pc_page *page; /* ascending va */
	uint32_t n, cap;
	uint32_t push_next; /* pages before it are not remote */
	uint32_t land_next; /* pages before it are in (or never will be) */
	uint32_t fetched, pushed;
	int target_done;    /* the target needs no page any more */
	uint32_t cut_after; /* the source fails once this many pages left it */
	unsigned refs;
};

/* The source failed (pages only ever leave it: once true, for good).
 * Lock held. */
static int pc_cut(const struct postcopy *pc)
{
	return pc->fetched + pc->pushed >= pc->cut_after;
}

struct postcopy *postcopy_new(struct noc *noc, uint32_t pid, uint32_t from, uint32_t to,
                              uint32_t portal_max)
{
	struct postcopy *pc = calloc(1, sizeof(*pc));

	if (!pc)
		return NULL;
	pthread_mutex_init(&pc->lock, NULL);
	transfer_init(&pc->t, noc, from, to, portal_max, 0);
	pc->pid = pid;
	pc->cut_after = UINT32_MAX; /* never */
	pc->refs = 1;
	return pc;
}

void postcopy_hold(struct postcopy *pc)
{
	pthread_mutex_lock(&pc->lock);
	pc->refs++;
	pthread_mutex_unlock(&pc->lock);
}

void postcopy_put(struct postcopy *pc)
{
	unsigned refs;

	if (!pc)
		return;
	pthread_mutex_lock(&pc->lock);
	refs = --pc->refs;
	pthread_mutex_unlock(&pc->lock);
	if (refs)
		return;
	transfer_fini(&pc->t);
	pthread_mutex_destroy(&pc->lock);
	free(pc->page);
	free(pc);
}

int postcopy_add(void *ctx, uint32_t va, const uint8_t *page)
{
	struct postcopy *pc = ctx;

	if (pc->n == pc->cap) {
		uint32_t cap = pc->cap ? pc->cap * 2 : 64;
		struct pc_page *p = realloc(pc->page, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		pc->page = p;
		pc->cap = cap;
	}
	pc->page[pc->n++] = (struct pc_page){ va, PC_REMOTE, page, NULL };
	return 0;
}

void postcopy_bind(struct postcopy *pc, struct cluster *c)
{
	for (uint32_t i = 0; i < pc->n; i++) {
		struct pc_page *p = &pc->page[i];
		/* Not a remote page there: nothing to bring (a fault on it
		 * would not find it here either). */
		if (!(p->frame = kcr_remote_frame(c, pc->pid, p->va)))
			p->state = PC_IN;
	}
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

/* Brings p's bytes into its frame on the target. Lock held. */
static int pc_move(struct postcopy *pc, struct pc_page *p)
{
	return pc_cut(pc) ? -EIO : transfer_move(&pc->t, p->frame, p->src, CORE_PAGE_SIZE);
}

int postcopy_fill(void *ctx, uint32_t va, uint8_t *frame)
{
	struct postcopy *pc = ctx;
	struct pc_page *p;
	int rc = 0;

	pthread_mutex_lock(&pc->lock);
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
	pthread_mutex_unlock(&pc->lock);
	return rc;
}

unsigned postcopy_push(struct postcopy *pc, unsigned max)
{
	unsigned done = 0;

	pthread_mutex_lock(&pc->lock);
	while (done < max && pc->push_next < pc->n && !pc->target_done && !pc_cut(pc)) {
		struct pc_page *p = &pc->page[pc->push_next];
		if (p->state == PC_REMOTE) {
			if (pc_move(pc, p) < 0)
				break; /* the NoC failed: leave it to a fault */
			p->state = PC_LANDED;
			pc->pushed++;
			done++;
		}
		pc->push_next++;
	}
	pthread_mutex_unlock(&pc->lock);
	return done;
}

int postcopy_land(struct postcopy *pc, struct cluster *c)
{
	/* Pages below push_next no longer change but here: no lock for them. */
	uint32_t end;
	int more;

	pthread_mutex_lock(&pc->lock);
	end = pc->target_done ? pc->land_next : pc->push_next;
	pthread_mutex_unlock(&pc->lock);
	/* Without the lock: mapping calls postcopy_fill, which takes it. */
	for (; pc->land_next < end; pc->land_next++)
		if (pc->page[pc->land_next].state == PC_LANDED &&
		    kcr_fill_page(c, pc->pid, pc->page[pc->land_next].va) < 0)
			break; /* the process left: target_done follows */
	pthread_mutex_lock(&pc->lock);
	more = !pc->target_done;
	pthread_mutex_unlock(&pc->lock);
	return more;
}

void postcopy_cut_after(struct postcopy *pc, uint32_t n)
{
	pthread_mutex_lock(&pc->lock);
	pc->cut_after = n;
	pthread_mutex_unlock(&pc->lock);
}

int postcopy_is_cut(struct postcopy *pc)
{
	int cut;

	pthread_mutex_lock(&pc->lock);
	cut = pc_cut(pc);
	pthread_mutex_unlock(&pc->lock);
	return cut;
}

void postcopy_get_stats(struct postcopy *pc, struct postcopy_stats *st)
{
	pthread_mutex_lock(&pc->lock);
	st->pid = pc->pid;
	st->pages = pc->n;
	st->fetched = pc->fetched;
	st->pushed = pc->pushed;
	st->bytes = pc->t.bytes;
	st->model_ns = pc->t.model_ns;
	pthread_mutex_unlock(&pc->lock);
}
