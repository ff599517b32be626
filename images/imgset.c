/*
 * imgset.c - an image set in memory: made, freed, and looked into (see
 * imgset.h; imgread.c and imgwrite.c move sets in and out).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "diag/crerr.h"
#include "images/imgarena.h"
#include "images/imgparams.h"
#include "images/imgset.h"

struct imgset *imgset_new(void)
{
	return calloc(1, sizeof(struct imgset));
}

void *imgset_msg_new(const ProtobufCMessageDescriptor *d)
{
	ProtobufCMessage *m = calloc(1, d->sizeof_message);

	if (m)
		d->message_init(m);
	return m;
}

/* Frees the messages of array m (those of an arena go with it) and m. */
static void free_msgs(const struct imgset *s, void **m, size_t n)
{
	for (size_t i = 0; !s->arena && i < n; i++)
		protobuf_c_message_free_unpacked(m[i], NULL);
	free(m);
}

void imgset_free(struct imgset *s)
{
	if (!s)
		return;
	for (int k = 0; k < IMGKIND_COUNT; k++) {
		struct imgset_slot at = imgset_slot(s, k);
		if (at.one && *at.one && !s->arena)
			protobuf_c_message_free_unpacked(*at.one, NULL);
		if (at.many)
			free_msgs(s, *at.many, *at.n);
	}
	imgarena_free(s->arena);
	free(s->pages);
	free(s->page_at);
	free(s->refs);
	free(s->run_first);
	free(s);
}

/* Where a set holds each kind's entries: a message, or a list and its
 * length (offsets into struct imgset; which is meant, the table of kinds
 * says). Page blocks are held apart (pages, refs). */
static const struct {
	size_t at, n;
} imgset_slots[IMGKIND_COUNT] = {
	[IMGKIND_INVENTORY] = { offsetof(struct imgset, inventory), 0 },
	[IMGKIND_UAREA] = { offsetof(struct imgset, uarea), 0 },
	[IMGKIND_MM] = { offsetof(struct imgset, regions), offsetof(struct imgset, nregions) },
	[IMGKIND_PAGEMAP] = { offsetof(struct imgset, runs), offsetof(struct imgset, nruns) },
	[IMGKIND_IPC] = { offsetof(struct imgset, endpoints), offsetof(struct imgset, nendpoints) },
	[IMGKIND_STATS] = { offsetof(struct imgset, stats), 0 },
};

struct imgset_slot imgset_slot(struct imgset *s, enum imgkind k)
{
	uint8_t *base = (uint8_t *)s;
	struct imgset_slot at = { NULL, NULL, NULL };

	switch (imgkind_info(k)->holds) {
	case IMGKIND_ONE: at.one = (void **)(base + imgset_slots[k].at); break;
	case IMGKIND_MANY:
		at.many = (void ***)(base + imgset_slots[k].at);
		at.n = (size_t *)(base + imgset_slots[k].n);
		break;
	case IMGKIND_BLOCKS: break;
	}
	return at;
}

int imgset_has_kind(const struct imgset *s, enum imgkind k)
{
	const struct imgkind_info *ki = imgkind_info(k);

	if (s->inventory && s->inventory->kind == CRIMG__SET_KIND__SET_PRE_DUMP)
		return ki->in_pre_dump;
	return ki->in_dump;
}

long imgset_find_run(const struct imgset *s, uint32_t vaddr)
{
	size_t lo = 0, hi = s->nruns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const Crimg__PagemapRun *r = s->runs[mid];
		if (vaddr < r->vaddr)
			hi = mid;
		else if ((uint64_t)vaddr >=
		         (uint64_t)r->vaddr + (uint64_t)r->count * CRIMG_PAGE_SIZE)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

/* Pages the pagemap says are present, with the first index of each run. */
int imgset_index(struct imgset *s, const char *where, struct crerr *e)
{
	uint64_t total = 0;

	free(s->run_first);
	if (!(s->run_first = malloc((s->nruns ? s->nruns : 1) * sizeof(uint32_t))))
		return crerr_fail(e, -ENOMEM, "%s: out of memory", where);
	for (size_t i = 0; i < s->nruns; i++) {
		s->run_first[i] = (uint32_t)total;
		if (s->runs[i]->flags & CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT)
			total += s->runs[i]->count;
		if (total > CRIMG_USER_PAGES)
			return crerr_fail(e, -EINVAL,
			                  "%s: entry %zu: more present pages than the user range "
			                  "holds (%u)",
			                  where, i, CRIMG_USER_PAGES);
	}
	return (int)total;
}
