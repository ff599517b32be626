/*
 * codegroup.c - code shared by the processes of a program (see
 * codegroup.h).
 */
#include <stdlib.h>

#include "core/codegroup.h"
#include "core/physmem_priv.h"

struct codegroup *codegroup_find(struct codegroup **list, uint64_t id, const uint32_t *lohi,
                                 uint32_t nranges, const struct physmem *pm, struct codepool *pool)
{
	struct codegroup *g;

	for (g = *list; g; g = g->next)
		if (g->id == id)
			return g;
	if (nranges > CODEGROUP_RANGES || !(g = calloc(1, sizeof(*g))))
		return NULL;
	g->id = id;
	g->nranges = nranges;
	for (uint32_t i = 0; i < nranges; i++) {
		g->range[i].lo = lohi[2 * i];
		g->range[i].hi = lohi[2 * i + 1];
	}
	codecache_init(&g->code, pm->code_gen);
	g->code.jit.pool = pool;
	g->next = *list;
	g->prevp = list;
	if (*list)
		(*list)->prevp = &g->next;
	*list = g;
	return g;
}

void codegroup_put(struct codegroup *g)
{
	if (--g->refs)
		return;
	*g->prevp = g->next;
	if (g->next)
		g->next->prevp = g->prevp;
	codecache_fini(&g->code);
	free(g);
}
