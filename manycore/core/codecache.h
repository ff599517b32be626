/*
 * codecache.h - the decoded basic blocks of one address space, found by
 * virtual pc: an arena of blocks and a hash of them (core-internal; the
 * interpreter, hart.c, builds and runs the blocks; the MMU drops them
 * when the mapping or the code under them changes).
 *
 * Blocks come from a growing arena that is flushed whole, never block by
 * block: a block holds direct pointers to its chained successors, which
 * a flush makes all stale at once. A cache is valid for one code
 * generation of its physical memory (physmem's code_gen): the owner
 * flushes it when that moves on. Translations of the blocks (jit.h) are
 * flushed with them.
 */
#ifndef CODECACHE_H
#define CODECACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/decode.h"
#include "core/jit.h"
#include "params/core_params.h"

/* A decoded basic block. */
struct block {
	uint32_t pc;
	uint32_t n;            /* guest instructions (pseudo-ops excluded) */
	struct block *hnext;   /* hash chain */
	struct block *succ[2]; /* chained successors: [0] taken, [1] not taken */
	const uint8_t *native; /* its translation (jit.h), or NULL */
	uint32_t hits;         /* times entered by the interpreter */
	uint32_t pad;
	struct insn ins[]; /* n records, then BLOCK_END if the last falls through */
};

/* Bytes of a block of nrec records. */
#define CODECACHE_BLOCK_BYTES(nrec) (sizeof(struct block) + (size_t)(nrec) * sizeof(struct insn))
/* The largest block: CORE_BLOCK_MAX_INSNS records and its end. */
#define CODECACHE_BLOCK_MAX CODECACHE_BLOCK_BYTES(CORE_BLOCK_MAX_INSNS + 1)

struct codecache {
	struct block **bhash;
	uint8_t *arena;
	uint32_t arena_used, arena_cap;
	uint64_t code_gen; /* the memory's code generation the blocks are of */
	uint64_t built;    /* blocks decoded, and flushes, since made */
	uint64_t flushes;
	struct jit_code jit; /* the blocks' translations, flushed with them */
};

/* An empty cache for code generation gen (allocates nothing yet). */
void codecache_init(struct codecache *cc, uint64_t gen);

/* Frees the cache's memory; it is empty (and usable) again. */
void codecache_fini(struct codecache *cc);

/* Drops every block; the cache is then of generation gen. */
void codecache_flush(struct codecache *cc, uint64_t gen);

/*
 * Room for one block of up to CODECACHE_BLOCK_MAX bytes, to be built in
 * place and then added with codecache_add. A full arena is grown, or
 * flushed (*flushed is then set: every block the caller held is gone).
 * NULL if the host has no memory for the cache at all.
 */
struct block *codecache_reserve(struct codecache *cc, uint64_t gen, int *flushed);

/* Adds block b, built where codecache_reserve said, of bytes bytes. */
void codecache_add(struct codecache *cc, struct block *b, size_t bytes);

/* The block at pc, or NULL. */
static inline struct block *codecache_lookup(const struct codecache *cc, uint32_t pc)
{
	struct block *b = cc->bhash ? cc->bhash[(pc >> 1) & (CORE_BLOCK_HASH_SIZE - 1)] : NULL;

	while (b && b->pc != pc)
		b = b->hnext;
	return b;
}

#endif /* CODECACHE_H */
