/*
 * codecache.h - the decoded basic blocks of one address space, found by
 * virtual pc: an arena of blocks and a hash of them (core-internal; the
 * interpreter, hart.c, builds and runs the blocks; the MMU drops them
 * when the mapping or the code under them changes).
 *
 * Blocks come from an arena that grows by chunks (blocks never move);
 * their memory is reclaimed only when the arena is flushed whole. A cache is valid for one code
 * generation of its physical memory (physmem's code_gen): when that moves on, the owner syncs it,
 * which drops exactly the blocks decoded from the frames written (unlinked from the hash and from
 * their chained predecessors, their translations redirected), or flushes it whole when more frames
 * were written than the memory remembers. Translations of the blocks
 * (jit.h) go with them.
 */
#ifndef CODECACHE_H
#define CODECACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/decode.h"
#include "core/jit.h"
#include "params/core_params.h"

struct physmem;

/* A decoded basic block. */
struct block {
	uint32_t pc;
	uint32_t n;            /* guest instructions (pseudo-ops excluded) */
	struct block *hnext;   /* hash chain */
	struct block *succ[2]; /* chained successors: [0] taken, [1] not taken */
	const uint8_t *native; /* its translation (jit.h), or NULL */
	uint32_t hits;         /* times entered by the interpreter */
	uint32_t dead;         /* dropped: its code was rewritten */
	uint32_t shared;       /* its group's (codegroup.h): chains to shared blocks only */
	uint32_t frame[2];     /* the physical frames its instructions came from */
	struct insn ins[];     /* n records, then BLOCK_END if the last falls through */
};

/* Bytes of a block of nrec records. */
#define CODECACHE_BLOCK_BYTES(nrec) (sizeof(struct block) + (size_t)(nrec) * sizeof(struct insn))
/* The largest block: CORE_BLOCK_MAX_INSNS records and its end. */
#define CODECACHE_BLOCK_MAX CODECACHE_BLOCK_BYTES(CORE_BLOCK_MAX_INSNS + 1)

struct codecache {
	struct block **bhash;
	uint8_t *arena;                 /* the newest chunk (codecache.c) */
	uint32_t arena_used, arena_cap; /* of that chunk */
	uint32_t arena_total;           /* of every chunk */
	uint64_t code_gen;              /* the memory's code generation the blocks are of */
	uint64_t built;                 /* blocks decoded, and flushes, since made */
	uint64_t flushes;
	uint64_t dropped;    /* blocks dropped one by one (their code rewritten) */
	struct jit_code jit; /* the blocks' translations, flushed with them */
};

/* An empty cache for code generation gen (allocates nothing yet). */
void codecache_init(struct codecache *cc, uint64_t gen);

/* Frees the cache's memory; it is empty (and usable) again. */
void codecache_fini(struct codecache *cc);

/* Drops every block; the cache is then of generation gen. */
void codecache_flush(struct codecache *cc, uint64_t gen);

/* Brings cc up to pm's code generation: drops the blocks decoded from
 * the frames written since (or every block, when pm no longer remembers
 * them all, or a translation cannot be redirected). Every block pointer
 * and chaining slot the caller held may be stale after it. */
void codecache_sync(struct codecache *cc, const struct physmem *pm);

/*
 * Room for one block of up to CODECACHE_BLOCK_MAX bytes, to be built in
 * place and then added with codecache_add. A full arena gets another
 * chunk, or, at CORE_BLOCK_ARENA_MAX, is flushed (*flushed is then set: every block the caller held
 * is gone). NULL if the host has no memory for the cache at all.
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
