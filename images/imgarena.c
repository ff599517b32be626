/*
 * imgarena.c - an arena for a reader's messages (see imgarena.h).
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>

#include "images/imgarena.h"

#define ARENA_FIRST 8192u /* bytes of the first block: a small set's all */

struct arena_block {
	struct arena_block *prev;
	size_t cap, used;
	alignas(max_align_t) unsigned char bytes[];
};

struct imgarena {
	ProtobufCAllocator pa;
	struct arena_block *top;
};

static void *arena_alloc(void *data, size_t size)
{
	struct imgarena *a = data;
	struct arena_block *b = a->top;
	size_t need = (size + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);

	if (need < size)
		return NULL; /* overflow */
	if (!b || b->cap - b->used < need) {
		size_t cap = b ? b->cap * 2 : ARENA_FIRST;
		if (cap < need)
			cap = need;
		if (!(b = malloc(sizeof(*b) + cap)))
			return NULL;
		b->prev = a->top;
		b->cap = cap;
		b->used = 0;
		a->top = b;
	}
	b->used += need;
	return b->bytes + b->used - need;
}

static void arena_free(void *data, void *p)
{
	(void)data;
	(void)p; /* freed with the arena */
}

struct imgarena *imgarena_new(void)
{
	struct imgarena *a = calloc(1, sizeof(*a));

	if (a)
		a->pa = (ProtobufCAllocator){ arena_alloc, arena_free, a };
	return a;
}

void imgarena_free(struct imgarena *a)
{
	if (!a)
		return;
	while (a->top) {
		struct arena_block *b = a->top;
		a->top = b->prev;
		free(b);
	}
	free(a);
}

ProtobufCAllocator *imgarena_allocator(struct imgarena *a)
{
	return &a->pa;
}
