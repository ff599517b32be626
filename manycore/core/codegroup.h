/*
 * codegroup.h - decoded and translated code shared by the processes of
 * one cluster that run the same program (core-internal but for what the
 * kernel calls: codegroup_find, and mmu_join_group in mmu.h).
 *
 * A group is named by the identity of a program's read-only executable
 * segments (their addresses and bytes). Its members start with the same
 * bytes there, and nothing can write them (no write permission, and the
 * kernel's own writes to executable pages make a process leave), so a
 * block decoded in that range by one member is right for every other.
 * Shared blocks chain only to shared blocks; a member's own blocks may
 * chain into shared ones, and are flushed whenever the group's blocks
 * are flushed or dropped (the group's epoch moves). While a group has one
 * member its code is that member's alone (its load and store sites need
 * not say whose page they hold); a second member flushes it once. A member leaves when
 * its executable mappings change (mmu_flush_all) or it ends; the last one
 * out frees the group.
 */
#ifndef CODEGROUP_H
#define CODEGROUP_H

#include <stdint.h>

#include "core/codecache.h"
#include "core/mmu.h"

#define CODEGROUP_RANGES MMU_GROUP_RANGES

struct codepool;

struct codegroup {
	uint64_t id;
	uint32_t refs;
	uint32_t nranges;
	struct {
		uint32_t lo, hi; /* [lo, hi): read-only executable */
	} range[CODEGROUP_RANGES];
	struct codecache code;
	struct codegroup *next, **prevp; /* the cluster's list */
};

/* The group of list with identity id, or a new one there over the nranges
 * ranges of lo/hi pairs (with no member yet); NULL if the host has no
 * memory. */
struct codegroup *codegroup_find(struct codegroup **list, uint64_t id, const uint32_t *lohi,
                                 uint32_t nranges, const struct physmem *pm, struct codepool *pool);

/* 1 if a block at pc may be shared: its first instruction (up to 4
 * bytes) lies in one of g's ranges. *end is then where the range ends. */
static inline int codegroup_covers(const struct codegroup *g, uint32_t pc, uint32_t *end)
{
	for (uint32_t i = 0; i < g->nranges; i++)
		if (pc >= g->range[i].lo && pc + 4 <= g->range[i].hi) {
			*end = g->range[i].hi;
			return 1;
		}
	return 0;
}

/* What moves when the group's blocks are flushed or dropped: a member's
 * own blocks may chain into them, and must go too. */
static inline uint64_t codegroup_epoch(const struct codegroup *g)
{
	return g->code.flushes + g->code.dropped;
}

/* A member leaves; the last one frees g (unlinked from its list). */
void codegroup_put(struct codegroup *g);

#endif /* CODEGROUP_H */
