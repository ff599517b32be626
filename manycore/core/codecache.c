/*
 * codecache.c - decoded blocks by pc (see codecache.h).
 */
#include <stdlib.h>
#include <string.h>

#include "core/codecache.h"

void codecache_init(struct codecache *cc, uint64_t gen)
{
	memset(cc, 0, sizeof(*cc));
	cc->code_gen = gen;
}

void codecache_fini(struct codecache *cc)
{
	jit_free(&cc->jit);
	free(cc->bhash);
	free(cc->arena);
	cc->bhash = NULL;
	cc->arena = NULL;
	cc->arena_cap = cc->arena_used = 0;
}

void codecache_flush(struct codecache *cc, uint64_t gen)
{
	if (cc->bhash)
		memset(cc->bhash, 0, CORE_BLOCK_HASH_SIZE * sizeof(*cc->bhash));
	cc->arena_used = 0;
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
	if (cc->arena_cap < CORE_BLOCK_ARENA_MAX) {
		uint32_t cap = cc->arena_cap ? cc->arena_cap * 2 : CORE_BLOCK_ARENA_MIN;
		uint8_t *a = malloc(cap);
		if (a) {
			free(cc->arena);
			cc->arena = a;
			cc->arena_cap = cap;
		}
	}
	if (!cc->arena)
		return NULL;
	/* A new arena, or the largest one full: the blocks go. */
	codecache_flush(cc, gen);
	*flushed = 1;
	return (struct block *)cc->arena;
}

void codecache_add(struct codecache *cc, struct block *b, size_t bytes)
{
	struct block **head = &cc->bhash[(b->pc >> 1) & (CORE_BLOCK_HASH_SIZE - 1)];

	cc->arena_used += (uint32_t)bytes;
	b->hnext = *head;
	*head = b;
	cc->built++;
}
