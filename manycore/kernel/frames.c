/*
 * frames.c - a stack of free frames: O(1) allocation and release.
 *
 * Frames never handed out are not on the stack: they are the ones from
 * `fresh` up, taken in order once the stack is empty, and known to be
 * zero (the memory is mapped, untouched). So a cluster costs nothing per
 * frame until its frames are used, and the order frames are handed out
 * in is a full stack's: released ones first, then the lowest.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/physmem.h"
#include "kernel/frames.h"

#define FRAME_SHIFT 12
#define FRAME_SIZE (1u << FRAME_SHIFT)

struct frames {
	struct physmem *pm;
	uint32_t total;      /* frames handed out or free (all but frame 0) */
	uint32_t nfree;      /* released frames on the stack */
	uint32_t *free;      /* stack of released frame numbers */
	uint32_t fresh, end; /* frames [fresh, end) were never handed out */
	uint8_t *state;      /* per frame: enum frames_state (catches double frees) */
	uint32_t user_used, user_limit, user_peak;
	uint32_t fail_in; /* fault injection: the take that brings it to 0 fails */
};

enum frames_state {
	FRAME_FREE, /* free, bytes unknown */
	FRAME_USED,
	FRAME_FREE_ZERO, /* free, known zero (frames_warm): taken without a clear */
};

struct frames *frames_new(struct physmem *pm)
{
	struct frames *fa = calloc(1, sizeof(*fa));
	uint32_t n = physmem_size(pm) >> FRAME_SHIFT;

	if (!fa)
		return NULL;
	fa->pm = pm;
	fa->free = malloc(sizeof(*fa->free) * n);
	fa->state = calloc(n, 1);
	if (!fa->free || !fa->state) {
		frames_free(fa);
		return NULL;
	}
	fa->fresh = 1; /* frame 0 is never handed out */
	fa->end = n;
	fa->total = n - 1;
	fa->user_limit = fa->total;
	fa->state[0] = FRAME_USED;
	return fa;
}

void frames_free(struct frames *fa)
{
	if (!fa)
		return;
	free(fa->free);
	free(fa->state);
	free(fa);
}

struct physmem *frames_physmem(struct frames *fa)
{
	return fa->pm;
}

static uint32_t frames_take(struct frames *fa, int zero)
{
	uint32_t f, pa;

	if ((fa->nfree == 0 && fa->fresh == fa->end) || (fa->fail_in && --fa->fail_in == 0))
		return 0;
	if (fa->nfree) {
		f = fa->free[--fa->nfree];
	} else {
		f = fa->fresh++;
		if (fa->state[f] == FRAME_FREE)
			fa->state[f] = FRAME_FREE_ZERO; /* never written */
	}
	pa = f << FRAME_SHIFT;
	if (zero && fa->state[f] != FRAME_FREE_ZERO)
		memset(physmem_ptr(fa->pm, pa, FRAME_SIZE), 0, FRAME_SIZE);
	fa->state[f] = FRAME_USED;
	physmem_note_write(fa->pm, pa, FRAME_SIZE);
	return pa;
}

uint32_t frames_alloc(struct frames *fa)
{
	return frames_take(fa, 1);
}

void frames_release(struct frames *fa, uint32_t pa)
{
	uint32_t f = pa >> FRAME_SHIFT;

	assert(pa % FRAME_SIZE == 0 && f != 0 && fa->state[f] == FRAME_USED);
	fa->state[f] = FRAME_FREE;
	fa->free[fa->nfree++] = f;
}

uint32_t frames_available(const struct frames *fa)
{
	return fa->nfree + (fa->end - fa->fresh);
}

void frames_warm(struct frames *fa, uint32_t n)
{
	/* in the order they will be taken: the stack, then fresh ones */
	for (uint32_t i = 0; i < n && i < frames_available(fa); i++) {
		uint32_t f =
			i < fa->nfree ? fa->free[fa->nfree - 1 - i] : fa->fresh + (i - fa->nfree);
		if (fa->state[f] == FRAME_FREE_ZERO)
			continue;
		/* a write, which backs it (a read would only map the host's
		 * zero page); zeroed now, it is not cleared when taken */
		memset(physmem_ptr(fa->pm, f << FRAME_SHIFT, FRAME_SIZE), 0, FRAME_SIZE);
		fa->state[f] = FRAME_FREE_ZERO;
	}
}

void frames_fail_in(struct frames *fa, uint32_t n)
{
	fa->fail_in = n;
}

uint32_t frames_total(const struct frames *fa)
{
	return fa->total;
}

static uint32_t frames_take_user(struct frames *fa, int zero)
{
	uint32_t pa;

	if (fa->user_used >= fa->user_limit || !(pa = frames_take(fa, zero)))
		return 0;
	if (++fa->user_used > fa->user_peak)
		fa->user_peak = fa->user_used;
	return pa;
}

uint32_t frames_alloc_user(struct frames *fa)
{
	return frames_take_user(fa, 1);
}

uint32_t frames_alloc_user_unzeroed(struct frames *fa)
{
	return frames_take_user(fa, 0);
}

void frames_release_user(struct frames *fa, uint32_t pa)
{
	assert(fa->user_used > 0);
	fa->user_used--;
	frames_release(fa, pa);
}

void frames_set_user_limit(struct frames *fa, uint32_t frames)
{
	fa->user_limit = frames;
}

uint32_t frames_user_used(const struct frames *fa)
{
	return fa->user_used;
}

uint32_t frames_user_limit(const struct frames *fa)
{
	return fa->user_limit;
}

uint32_t frames_user_peak(const struct frames *fa)
{
	return fa->user_peak;
}
