/*
 * physmem_priv.h - internals of struct physmem, shared by the core's
 * modules (mmu.c, hart.c). Not for the kernel: use physmem.h.
 */
#ifndef PHYSMEM_PRIV_H
#define PHYSMEM_PRIV_H

#include "core/physmem.h"
#include "params/core_params.h"

/* Code frames written, remembered so that each address space drops only
 * the blocks decoded from them (codecache_sync). */
#define PHYSMEM_WLOG 64u

struct physmem {
	uint8_t *bytes;
	uint32_t size;
	uint32_t nframes;
	uint8_t *code;               /* per frame: 1 if decoded blocks came from it */
	uint64_t code_gen;           /* bumped whenever a code frame is written */
	uint32_t wlog[PHYSMEM_WLOG]; /* the frame of write g at g % PHYSMEM_WLOG */
};

/* Marks frame of pa as holding decoded code; returns 1 if newly marked. */
static inline int physmem_mark_code(struct physmem *pm, uint32_t pa)
{
	uint32_t f = pa >> CORE_PAGE_SHIFT;
	if (pm->code[f])
		return 0;
	pm->code[f] = 1;
	return 1;
}

static inline int physmem_is_code(const struct physmem *pm, uint32_t pa)
{
	return pm->code[pa >> CORE_PAGE_SHIFT];
}

#endif /* PHYSMEM_PRIV_H */
