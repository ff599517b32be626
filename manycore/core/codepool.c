/*
 * codepool.c - the board's bound on translated code (see codepool.h).
 */
#include "core/codepool.h"

int codepool_init(struct codepool *p, uint64_t bytes)
{
	uint64_t size = bytes / CODEPOOL_CHUNK_COST * CODEPOOL_CHUNK_COST;

	atomic_init(&p->held, 0);
	atomic_init(&p->peak, 0);
	atomic_init(&p->refused, 0);
	p->size = size;
	return size ? 0 : -1;
}

int codepool_take(struct codepool *p)
{
	uint64_t held = atomic_load_explicit(&p->held, memory_order_relaxed), peak;

	do {
		if (p->size - held < CODEPOOL_CHUNK_COST) {
			atomic_fetch_add_explicit(&p->refused, 1, memory_order_relaxed);
			return -1;
		}
	} while (!atomic_compare_exchange_weak_explicit(&p->held, &held, held + CODEPOOL_CHUNK_COST,
	                                                memory_order_relaxed,
	                                                memory_order_relaxed));
	held += CODEPOOL_CHUNK_COST;
	peak = atomic_load_explicit(&p->peak, memory_order_relaxed);
	while (peak < held &&
	       !atomic_compare_exchange_weak_explicit(&p->peak, &peak, held, memory_order_relaxed,
	                                              memory_order_relaxed))
		;
	return 0;
}

void codepool_give(struct codepool *p, uint32_t n)
{
	atomic_fetch_sub_explicit(&p->held, (uint64_t)n * CODEPOOL_CHUNK_COST,
	                          memory_order_relaxed);
}

int codepool_empty(struct codepool *p)
{
	return p->size - atomic_load_explicit(&p->held, memory_order_relaxed) < CODEPOOL_CHUNK_COST;
}
