/*
 * codecache.c - decoded blocks by pc (see codecache.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/codecache.h"
#include "core/physmem_priv.h"

/* A chunk of the arena begins with the address of the chunk made before
 * it (blocks never move, so the arena grows by chunks, not by copies). */
#define ARENA_LINK 16u

static uint8_t *arena_prev(const uint8_t *chunk)
{
	uint8_t *prev;

	memcpy(&prev, chunk, sizeof(prev));
	return prev;
}

/* Frees the chunks made before chunk, which is then the only one. */
static void arena_free_before(uint8_t *chunk)
{
	uint8_t *c = arena_prev(chunk), *none = NULL;

	while (c) {
		uint8_t *prev = arena_prev(c);
		free(c);
		c = prev;
	}
	memcpy(chunk, &none, sizeof(none));
}

void codecache_init(struct codecache *cc, uint64_t gen)
{
	memset(cc, 0, sizeof(*cc));
	cc->code_gen = gen;
}

void codecache_fini(struct codecache *cc)
{
	jit_free(&cc->jit);
	free(cc->bhash);
	if (cc->arena)
		arena_free_before(cc->arena);
	free(cc->arena);
	cc->bhash = NULL;
	cc->arena = NULL;
	cc->arena_cap = cc->arena_used = cc->arena_total = 0;
}

void codecache_flush(struct codecache *cc, uint64_t gen)
{
	if (cc->bhash)
		memset(cc->bhash, 0, CORE_BLOCK_HASH_SIZE * sizeof(*cc->bhash));
	if (cc->arena) { /* the newest, largest chunk is kept */
		arena_free_before(cc->arena);
		cc->arena_used = ARENA_LINK;
		cc->arena_total = cc->arena_cap;
	}
	jit_reset(&cc->jit);
	cc->code_gen = gen;
	cc->flushes++;
}

struct block *codecache_reserve(struct codecache *cc, uint64_t gen, int *flushed)
{
	if (!cc->bhash) {
		cc->bhash = calloc(CORE_BLOCK_HASH_SIZE, sizeof(*cc->bhash));
		if (!cc->bhash)
			return NULL;
	}
	if (cc->arena && cc->arena_cap - cc->arena_used >= CODECACHE_BLOCK_MAX)
		return (struct block *)(cc->arena + cc->arena_used);
	if (cc->arena_total < CORE_BLOCK_ARENA_MAX) {
		/* Another chunk, twice the last: the blocks stay. */
		uint32_t cap = cc->arena_cap ? cc->arena_cap * 2 : CORE_BLOCK_ARENA_MIN;
		uint8_t *a;
		if (cap > CORE_BLOCK_ARENA_MAX - cc->arena_total)
			cap = CORE_BLOCK_ARENA_MAX - cc->arena_total;
		a = cap >= ARENA_LINK + CODECACHE_BLOCK_MAX ? malloc(cap) : NULL;
		if (a) {
			memcpy(a, &cc->arena, sizeof(cc->arena));
			cc->arena = a;
			cc->arena_cap = cap;
			cc->arena_used = ARENA_LINK;
			cc->arena_total += cap;
			return (struct block *)(a + ARENA_LINK);
		}
	}
	if (!cc->arena)
		return NULL;
	/* The arena at its most (or no host memory for more): the blocks go. */
	codecache_flush(cc, gen);
	*flushed = 1;
	return (struct block *)(cc->arena + cc->arena_used);
}

void codecache_add(struct codecache *cc, struct block *b, size_t bytes)
{
	struct block **head = &cc->bhash[(b->pc >> 1) & (CORE_BLOCK_HASH_SIZE - 1)];

	cc->arena_used += (uint32_t)bytes;
	b->hnext = *head;
	*head = b;
	cc->built++;
}

/* Drops the blocks decoded from frame f; -1 if a translation could not be
 * redirected (the caller flushes). */
static int codecache_drop_frame(struct codecache *cc, uint32_t f)
{
	unsigned dropped = 0;
	int rc = 0;

	for (uint32_t i = 0; i < CORE_BLOCK_HASH_SIZE; i++) {
		struct block **pp = &cc->bhash[i];
		while (*pp) {
			struct block *b = *pp;
			if (b->frame[0] != f && b->frame[1] != f) {
				pp = &b->hnext;
				continue;
			}
			*pp = b->hnext;
			b->dead = 1;
			if (b->native && jit_kill(&cc->jit, b->pc, b->native))
				rc = -1;
			b->native = NULL;
			dropped++;
		}
	}
	if (!dropped)
		return rc;
	cc->dropped += dropped;
	/* No live block may chain into a dropped one. */
	for (uint32_t i = 0; i < CORE_BLOCK_HASH_SIZE; i++)
		for (struct block *b = cc->bhash[i]; b; b = b->hnext)
			for (int k = 0; k < 2; k++)
				if (b->succ[k] && b->succ[k]->dead)
					b->succ[k] = NULL;
	return rc;
}

void codecache_sync(struct codecache *cc, const struct physmem *pm)
{
	uint64_t g = cc->code_gen, to = pm->code_gen;

	if (g == to)
		return;
	if (!cc->bhash || to - g > PHYSMEM_WLOG) {
		codecache_flush(cc, to);
		return;
	}
	for (; g < to; g++) {
		if (codecache_drop_frame(cc, pm->wlog[g % PHYSMEM_WLOG])) {
			codecache_flush(cc, to);
			return;
		}
	}
	cc->code_gen = to;
}
