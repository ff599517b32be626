/*
 * mmu.c - Sv32 page-table walks, A/D updates and the software TLB.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/mmu_priv.h"

struct mmu *mmu_new(struct physmem *pm)
{
	struct mmu *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->pm = pm;
	m->root = UINT32_MAX;
	codecache_init(&m->code, pm->code_gen);
	m->tier = mmu_default_tier();
	m->jit_hot = CORE_JIT_HOT;
	mmu_flush_tlb(m);
	return m;
}

/* Adds the counts of cc's blocks and translations to st. */
static void mmu_add_counts(struct mmu_stats *st, const struct codecache *cc)
{
	st->blocks_built += cc->built;
	st->code_flushes += cc->flushes;
	st->blocks_dropped += cc->dropped;
	st->jit_blocks += cc->jit.translated;
	st->jit_bytes += cc->jit.emitted;
}

/* Bytes of host code cc holds. */
static uint64_t mmu_cache_bytes(const struct codecache *cc)
{
	return cc->jit.base ? cc->jit.used - cc->jit.entry_bytes : 0;
}

/* Leaves m's group: the last member out keeps the group's counts. */
static void mmu_leave_group(struct mmu *m)
{
	struct codegroup *g = m->group;

	if (!g)
		return;
	if (g->refs == 1)
		mmu_add_counts(&m->left, &g->code);
	m->group = NULL;
	codegroup_put(g);
}

void mmu_leave_program(struct mmu *m)
{
	if (!m->group)
		return;
	mmu_leave_group(m);
	codecache_flush(&m->code, m->pm->code_gen);
}

int mmu_join_program(struct mmu *m, struct codegroup **list, uint64_t id, const uint32_t *lohi,
                     uint32_t n, struct codepool *pool)
{
	struct codegroup *g = codegroup_find(list, id, lohi, n, m->pm, pool);

	if (!g)
		return -1;
	mmu_leave_group(m);
	if (g->refs == 1 && !g->code.jit.shared) {
		/* A second member: sites must now say whose page they hold, so
		 * what was translated for the first alone goes. */
		g->code.jit.shared = 1;
		codecache_flush(&g->code, m->pm->code_gen);
	}
	m->group = g;
	g->refs++;
	m->group_epoch = codegroup_epoch(g);
	return 0;
}

enum core_tier mmu_default_tier(void)
{
	return jit_available() ? CORE_TIER_JIT : CORE_TIER_INTERP;
}

void mmu_set_jit_hot(struct mmu *m, uint32_t entries)
{
	m->jit_hot = entries ? entries : 1;
}

void mmu_set_code_pool(struct mmu *m, struct codepool *pool)
{
	if (!m->code.jit.base) /* a buffer keeps the pool it was made from */
		m->code.jit.pool = pool;
}

const char *mmu_tier_name(enum core_tier tier)
{
	if (tier == CORE_TIER_DEFAULT)
		tier = mmu_default_tier();
	return tier == CORE_TIER_JIT ? "jit" : "interp";
}

int mmu_jit_available(void)
{
	return jit_available();
}

int mmu_set_tier(struct mmu *m, enum core_tier tier)
{
	if (tier == CORE_TIER_JIT && !jit_available())
		return -ENOTSUP;
	m->tier = tier == CORE_TIER_DEFAULT ? mmu_default_tier() : tier;
	return 0;
}

void mmu_free(struct mmu *m)
{
	if (!m)
		return;
	mmu_leave_group(m);
	codecache_fini(&m->code);
	free(m);
}

void mmu_set_root(struct mmu *m, uint32_t root_pa)
{
	m->root = root_pa;
	mmu_flush_all(m);
}

struct physmem *mmu_physmem(struct mmu *m)
{
	return m->pm;
}

/* Every load and store site of m's code forgets its page (jit.h). */
static void mmu_forget_sites(struct mmu *m)
{
	jit_forget_sites(&m->code.jit);
	if (m->group)
		jit_forget_sites(&m->group->code.jit);
}

void mmu_flush_tlb(struct mmu *m)
{
	for (uint32_t i = 0; i < CORE_TLB_SIZE; i++) {
		m->tlb_r[i].tag = TLB_INVALID;
		m->tlb_w[i].tag = TLB_INVALID;
	}
	mmu_forget_sites(m);
}

void mmu_flush_all(struct mmu *m)
{
	/* Its executable mappings changed: the group's code may not be its. */
	mmu_leave_group(m);
	mmu_flush_tlb(m);
	codecache_flush(&m->code, m->pm->code_gen);
}

void mmu_get_stats(const struct mmu *m, struct mmu_stats *st)
{
	*st = m->left;
	st->walks = m->walks;
	mmu_add_counts(st, &m->code);
	st->jit_cache = mmu_cache_bytes(&m->code);
	if (m->group && m->group->refs == 1) {
		/* the last member's figures include the group's (mmu_leave_group) */
		mmu_add_counts(st, &m->group->code);
		st->jit_cache += mmu_cache_bytes(&m->group->code);
	}
}

static const enum hart_cause page_fault[] = {
	[MMU_READ] = HART_CAUSE_LOAD_PAGE,
	[MMU_WRITE] = HART_CAUSE_STORE_PAGE,
	[MMU_EXEC] = HART_CAUSE_FETCH_PAGE,
};
static const enum hart_cause access_fault[] = {
	[MMU_READ] = HART_CAUSE_LOAD_ACCESS,
	[MMU_WRITE] = HART_CAUSE_STORE_ACCESS,
	[MMU_EXEC] = HART_CAUSE_FETCH_ACCESS,
};
static const uint32_t need_perm[] = {
	[MMU_READ] = PTE_R,
	[MMU_WRITE] = PTE_W,
	[MMU_EXEC] = PTE_X,
};

static int fault(struct hart_trap *t, enum hart_cause c, uint32_t va)
{
	t->cause = c;
	t->tval = va;
	return -1;
}

/* Walks the Sv32 tables for a user access; sets A/D; *pa on success. */
static int mmu_walk(struct mmu *m, uint32_t va, enum mmu_access acc, uint32_t *pa,
                    struct hart_trap *t)
{
	struct physmem *pm = m->pm;
	uint64_t table = m->root;
	int level;

	m->walks++;
	for (level = 1; level >= 0; level--) {
		uint32_t vpn = level ? va >> 22 : (va >> 12) & 0x3ff;
		uint64_t pte_pa = table + (uint64_t)vpn * 4;
		uint8_t *p;
		uint32_t pte, want;
		uint64_t phys;

		if (pte_pa + 4 > pm->size)
			return fault(t, access_fault[acc], va);
		p = pm->bytes + pte_pa;
		memcpy(&pte, p, 4);
		if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)))
			return fault(t, page_fault[acc], va);
		if (!(pte & (PTE_R | PTE_X))) {
			/* Pointer to the next level. */
			if (level == 0)
				return fault(t, page_fault[acc], va);
			table = (uint64_t)(pte >> PTE_PPN_SHIFT) << CORE_PAGE_SHIFT;
			continue;
		}
		/* A leaf: user page with the permission asked for. */
		if (!(pte & PTE_U) || !(pte & need_perm[acc]))
			return fault(t, page_fault[acc], va);
		if (level == 1 && ((pte >> PTE_PPN_SHIFT) & 0x3ff))
			return fault(t, page_fault[acc], va); /* misaligned superpage */
		if (level == 1)
			phys = ((uint64_t)(pte >> 20) << 22) | (va & 0x3fffff);
		else
			phys = ((uint64_t)(pte >> PTE_PPN_SHIFT) << CORE_PAGE_SHIFT) |
			       (va & CORE_PAGE_MASK);
		if (phys >= pm->size)
			return fault(t, access_fault[acc], va);
		want = PTE_A | (acc == MMU_WRITE ? PTE_D : 0);
		if ((pte & want) != want) {
			pte |= want;
			memcpy(p, &pte, 4);
		}
		*pa = (uint32_t)phys;
		return 0;
	}
	return fault(t, page_fault[acc], va);
}

int mmu_translate(struct mmu *m, uint32_t va, enum mmu_access acc, uint32_t *pa)
{
	struct hart_trap t;

	return mmu_walk(m, va, acc, pa, &t) ? -EFAULT : 0;
}

static void tlb_fill(struct mmu *m, struct tlb_entry *e, uint32_t va, uint32_t pa)
{
	uint32_t vpage = va & ~CORE_PAGE_MASK;

	e->tag = vpage;
	e->pa_page = pa & ~CORE_PAGE_MASK;
	e->addend = (uintptr_t)(m->pm->bytes + e->pa_page) - vpage;
}

int mmu_load_slow(struct mmu *m, uint32_t va, unsigned size, uint32_t *val, struct hart_trap *t)
{
	uint32_t pa, v = 0;

	if (va & (size - 1))
		return fault(t, HART_CAUSE_LOAD_MISALIGNED, va);
	if (mmu_walk(m, va, MMU_READ, &pa, t))
		return -1;
	tlb_fill(m, &m->tlb_r[tlb_index(va)], va, pa);
	memcpy(&v, m->pm->bytes + pa, size);
	*val = v;
	return 0;
}

/* Translates a store and, unless the frame holds decoded code, caches it
 * in the write TLB; a store to code invalidates the decoded blocks. */
static uint8_t *mmu_store_ptr(struct mmu *m, uint32_t va, unsigned size, struct hart_trap *t)
{
	uint32_t pa;

	if (va & (size - 1)) {
		fault(t, HART_CAUSE_STORE_MISALIGNED, va);
		return NULL;
	}
	if (mmu_walk(m, va, MMU_WRITE, &pa, t))
		return NULL;
	if (physmem_is_code(m->pm, pa))
		physmem_note_write(m->pm, pa, size);
	else
		tlb_fill(m, &m->tlb_w[tlb_index(va)], va, pa);
	return m->pm->bytes + pa;
}

int mmu_store_slow(struct mmu *m, uint32_t va, unsigned size, uint32_t val, struct hart_trap *t)
{
	uint8_t *p = mmu_store_ptr(m, va, size, t);

	if (!p)
		return -1;
	memcpy(p, &val, size);
	return 0;
}

uint8_t *mmu_amo_ptr(struct mmu *m, uint32_t va, struct hart_trap *t)
{
	struct tlb_entry *e = &m->tlb_w[tlb_index(va)];

	if (e->tag == (va & ~(CORE_PAGE_MASK & ~3u)))
		return (uint8_t *)(e->addend + va);
	return mmu_store_ptr(m, va, 4, t);
}

const uint8_t *mmu_fetch_ptr(struct mmu *m, uint32_t va, struct hart_trap *t)
{
	uint32_t pa;

	if (mmu_walk(m, va, MMU_EXEC, &pa, t))
		return NULL;
	if (physmem_mark_code(m->pm, pa)) {
		/* Stores to this frame must now take the slow path. */
		for (uint32_t i = 0; i < CORE_TLB_SIZE; i++)
			if (m->tlb_w[i].pa_page == (pa & ~CORE_PAGE_MASK))
				m->tlb_w[i].tag = TLB_INVALID;
		mmu_forget_sites(m);
	}
	return m->pm->bytes + pa;
}
