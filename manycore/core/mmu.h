/*
 * mmu.h - an Sv32 address space: page tables in a physical memory, a
 * software TLB and the cache of decoded code.
 *
 * The page tables are ordinary Sv32 tables (two levels, 4 KiB pages and
 * 4 MiB superpages, V/R/W/X/U/G/A/D bits) stored in the cluster's
 * physical memory; the kernel builds them, the MMU walks them. Walks set
 * A on any access and D on a write, as hardware with Svadu does, so the
 * kernel can see which pages were written since it last cleared D.
 *
 * Like sfence.vma on real hardware, a change to a valid PTE takes effect
 * only after the kernel flushes: mmu_flush_tlb when only A, D or W was
 * cleared, mmu_flush_all for anything else (remap, unmap, X removed).
 * Adding a mapping where none was valid needs no flush.
 */
#ifndef MMU_H
#define MMU_H

#include <stdint.h>

struct codegroup;
struct codepool;
struct physmem;
struct mmu;

/* Sv32 PTE bits. */
#define PTE_V 0x001u
#define PTE_R 0x002u
#define PTE_W 0x004u
#define PTE_X 0x008u
#define PTE_U 0x010u
#define PTE_G 0x020u
#define PTE_A 0x040u
#define PTE_D 0x080u
#define PTE_PPN_SHIFT 10

/* The kind of access a translation is for. */
enum mmu_access {
	MMU_READ = 0,
	MMU_WRITE = 1,
	MMU_EXEC = 2,
};

/* How harts run in an address space: the interpreter alone, or with hot
 * blocks translated to host code (manycore run/serve --core). */
enum core_tier {
	CORE_TIER_DEFAULT = 0, /* the best this build has: mmu_default_tier() */
	CORE_TIER_INTERP = 1,
	CORE_TIER_JIT = 2,
};

/* Counters of an address space, for --stats and benchmarks. */
struct mmu_stats {
	uint64_t walks;          /* page-table walks (TLB misses and fetches) */
	uint64_t blocks_built;   /* basic blocks decoded */
	uint64_t code_flushes;   /* decoded-code flushes (and of their translations) */
	uint64_t blocks_dropped; /* blocks dropped alone, their code rewritten */
	uint64_t jit_blocks;     /* blocks translated to host code */
	uint64_t jit_bytes;      /* host code emitted, in bytes */
	uint64_t jit_cache;      /* host code held now, in bytes */
};

/* A new address space over pm with no page table (every access faults).
 * Returns NULL on allocation failure. pm must outlive it. */
struct mmu *mmu_new(struct physmem *pm);

/* The tier new address spaces take: CORE_TIER_JIT where this build
 * translates (x86-64 hosts), else CORE_TIER_INTERP. */
enum core_tier mmu_default_tier(void);

/* "jit" or "interp" (CORE_TIER_DEFAULT: the tier it stands for). */
const char *mmu_tier_name(enum core_tier tier);

/* 1 when this build can translate, else 0. */
int mmu_jit_available(void);

/* Sets how harts run in m (CORE_TIER_DEFAULT: mmu_default_tier()).
 * CORE_TIER_JIT on a build that cannot translate is refused with
 * -ENOTSUP. Either tier gives the same results. */
int mmu_set_tier(struct mmu *m, enum core_tier tier);

/* How many times the interpreter enters a block before it is translated
 * (default CORE_JIT_HOT; 1 translates every block the first time, as
 * the tests of the translator do). 0 is taken as 1. */
void mmu_set_jit_hot(struct mmu *m, uint32_t entries);

/* Bounds the code m translates by pool (codepool.h; shared by the
 * board's address spaces, and outliving m). Set before m runs; NULL, the
 * default, leaves only the buffer's own bound of 2 MiB. */
void mmu_set_code_pool(struct mmu *m, struct codepool *pool);

/* Read-only executable ranges a program's code group covers at most. */
#define MMU_GROUP_RANGES 8

/*
 * Makes m a member of the group of list (a cluster's; codegroup.h) named
 * id, made over the n [lo, hi) pairs of lohi if list has none: the blocks
 * decoded at pcs in those ranges are then shared with the group's other
 * members, their translations taken from pool (may be NULL). For a
 * process whose read-only executable segments, named by id, were just
 * loaded, before it runs. 0, or -1 (m keeps its code to itself) when the
 * host has no memory or n is over MMU_GROUP_RANGES.
 */
int mmu_join_program(struct mmu *m, struct codegroup **list, uint64_t id, const uint32_t *lohi,
                     uint32_t n, struct codepool *pool);

/* m leaves its program's group, if in one (its own blocks, which may
 * chain into the group's, go too): its code is about to differ. */
void mmu_leave_program(struct mmu *m);

/* Frees m (not its page tables, which the kernel owns). NULL is ignored. */
void mmu_free(struct mmu *m);

/* Sets the root page table (page-aligned physical address), as a write to
 * satp would, and flushes everything. */
void mmu_set_root(struct mmu *m, uint32_t root_pa);

/* The physical memory m translates into. */
struct physmem *mmu_physmem(struct mmu *m);

/* Drops cached translations (not decoded code). */
void mmu_flush_tlb(struct mmu *m);

/* Drops cached translations and decoded code. */
void mmu_flush_all(struct mmu *m);

/*
 * Translates va for a user-mode access of kind acc, walking the tables and
 * setting A (and D for MMU_WRITE) as the hart would. Returns 0 with *pa
 * set, or -EFAULT if the access would fault (unmapped, not U, no
 * permission, or outside physical memory).
 */
int mmu_translate(struct mmu *m, uint32_t va, enum mmu_access acc, uint32_t *pa);

/* Copies the counters of m into *st. */
void mmu_get_stats(const struct mmu *m, struct mmu_stats *st);

#endif /* MMU_H */
