/*
 * mmu_priv.h - internals of struct mmu shared by mmu.c and hart.c: the TLB
 * layout the interpreter's fast path reads, the slow paths it calls, and
 * the block cache it owns.
 */
#ifndef MMU_PRIV_H
#define MMU_PRIV_H

#include <stdint.h>

#include "core/codecache.h"
#include "core/codegroup.h"
#include "core/hart.h"
#include "core/mmu.h"
#include "core/physmem_priv.h"
#include "params/core_params.h"

/*
 * One TLB entry: tag is the page's virtual address, or TLB_INVALID which
 * no lookup can produce (a lookup masks the address to the page plus its
 * low alignment bits, so bits 2-11 are always zero). host = va + addend.
 */
struct tlb_entry {
	uint32_t tag;
	uint32_t pa_page;
	uintptr_t addend;
};
#define TLB_INVALID 0xFFFu

struct mmu {
	struct tlb_entry tlb_r[CORE_TLB_SIZE]; /* loads */
	struct tlb_entry tlb_w[CORE_TLB_SIZE]; /* stores: pages with D set, not code */
	struct physmem *pm;
	uint32_t root; /* root table physical address, or UINT32_MAX */

	struct codecache code;   /* decoded blocks, run by hart.c */
	struct codegroup *group; /* the program's shared blocks, or NULL */
	uint64_t group_epoch;    /* the group's epoch code was flushed at */
	struct mmu_stats left;   /* the figures of groups m was the last to leave */
	uint64_t walks;
	enum core_tier tier;
	uint32_t jit_hot; /* interpreter entries before a block is translated */
};

static inline uint32_t tlb_index(uint32_t va)
{
	return (va >> CORE_PAGE_SHIFT) & (CORE_TLB_SIZE - 1);
}

/* Slow paths of the interpreter. Each returns 0, or -1 with *t filled
 * (cause and tval; the caller sets pc). */
int mmu_load_slow(struct mmu *m, uint32_t va, unsigned size, uint32_t *val, struct hart_trap *t);
int mmu_store_slow(struct mmu *m, uint32_t va, unsigned size, uint32_t val, struct hart_trap *t);
/* Host pointer for an atomic read-modify-write of the word at va. */
uint8_t *mmu_amo_ptr(struct mmu *m, uint32_t va, struct hart_trap *t);
/* Host pointer to the instruction bytes at va (to the end of its page);
 * marks the frame as holding code. */
const uint8_t *mmu_fetch_ptr(struct mmu *m, uint32_t va, struct hart_trap *t);

#endif /* MMU_PRIV_H */
