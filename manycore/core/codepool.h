/*
 * codepool.h - the memory a whole board lets translated code take (the
 * code cache's bound): every address space's code buffer (jit.h) takes it
 * in chunks as it grows, gives back what it holds beyond its first chunk
 * when it is flushed while the pool is empty (eviction under pressure),
 * and all it holds when it goes. Taking and giving are lock-free: the
 * clusters' threads share one pool.
 */
#ifndef CODEPOOL_H
#define CODEPOOL_H

#include <stdatomic.h>
#include <stdint.h>

/* Bytes of host code in a chunk, and what a chunk costs the pool: the
 * code and the access sites (jit_priv.h) that go with it. */
#define CODEPOOL_CHUNK (64u * 1024)
#define CODEPOOL_CHUNK_COST (CODEPOOL_CHUNK + CODEPOOL_CHUNK / 8)

/* The board's whole code cache, by default (design: a profile's). */
#define CODEPOOL_DEFAULT_BYTES (64ull << 20)

struct codepool {
	uint64_t size;            /* bytes in all */
	_Atomic uint64_t held;    /* bytes taken now */
	_Atomic uint64_t peak;    /* the most ever taken at once */
	_Atomic uint64_t refused; /* chunks asked for and not given */
};

/* A pool of bytes (rounded down to whole chunks); 0 if it would not hold
 * one chunk (at least CODEPOOL_CHUNK_COST bytes are needed). */
int codepool_init(struct codepool *p, uint64_t bytes);

/* Takes a chunk: 0, or -1 when the pool has none left. */
int codepool_take(struct codepool *p);

/* Gives back n chunks. */
void codepool_give(struct codepool *p, uint32_t n);

/* 1 when the pool has no chunk left (a flush should give back). */
int codepool_empty(struct codepool *p);

#endif /* CODEPOOL_H */
