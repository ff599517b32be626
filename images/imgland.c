/*
 * imgland.c - present pages into their frames (see imgland.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "diag/crerr.h"
#include "images/imgland.h"
#include "images/imgparams.h"
#include "images/pageblock.h"

/* The present pages' addresses, in order. */
struct va_cursor {
	const struct imgset *s;
	size_t run;
	uint32_t k;
};

static int cursor_next(struct va_cursor *c, uint32_t *va)
{
	const struct imgset *s = c->s;

	while (c->run < s->nruns &&
	       (!(s->runs[c->run]->flags & CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT) ||
	        c->k == s->runs[c->run]->count)) {
		c->run++;
		c->k = 0;
	}
	if (c->run == s->nruns)
		return -1;
	*va = s->runs[c->run]->vaddr + c->k++ * CRIMG_PAGE_SIZE;
	return 0;
}

/* The frame of the next present page. */
static int next_frame(struct va_cursor *c, const struct imgland *l, uint8_t **dst,
                      const char *where, struct crerr *e)
{
	uint32_t va;

	if (cursor_next(c, &va) < 0)
		return crerr_fail(e, -EINVAL, "%s: more pages than pagemap.img places", where);
	if (!(*dst = l->frame(l->ctx, va)))
		return crerr_fail(e, -EFAULT, "%s: no frame for page 0x%08x", where, va);
	return 0;
}

static int move(const struct imgland *l, void *const *dst, const void *src, size_t unit,
                unsigned count, const char *where, struct crerr *e)
{
	int rc = l->move(l->ctx, dst, src, unit, count);

	return rc ? crerr_fail(e, rc, "%s: moving %zu bytes failed: %s", where, unit * count,
	                       strerror(-rc))
	          : 0;
}

/* The frames of the next n present pages into dst. */
static int next_frames(struct va_cursor *c, const struct imgland *l, uint8_t **dst, uint32_t n,
                       const char *where, struct crerr *e)
{
	int rc;

	for (uint32_t j = 0; j < n; j++)
		if ((rc = next_frame(c, l, &dst[j], where, e)) < 0)
			return rc;
	return 0;
}

/* Raw block b: its pages moved into their frames in one go, and hashed
 * there (each frame is still in cache). */
static int land_raw(const struct imgset_block *b, unsigned idx, struct va_cursor *c,
                    const struct imgland *l, const char *where, struct crerr *e)
{
	uint8_t *dst[CRIMG_BLOCK_PAGES_MAX];
	uint64_t sum;
	int rc;

	if ((rc = next_frames(c, l, dst, b->h.pages, where, e)) < 0 ||
	    (rc = move(l, (void *const *)dst, b->payload, CRIMG_PAGE_SIZE, b->h.pages, where, e)) <
	            0)
		return rc;
	if (pageblock_checksum_parts((const uint8_t *const *)dst, b->h.pages, &sum) < 0)
		return crerr_fail(e, -ENOMEM, "%s: out of memory", where);
	if (sum != b->h.checksum)
		return crerr_fail(e, -EINVAL, "%s: block %u checksum mismatch (file corrupted?)",
		                  where, idx);
	return 0;
}

/* Compressed block b: its payload moved to the target, checked, unpacked
 * there into raw, and the pages copied into their frames. */
static int land_zstd(const struct imgset_block *b, unsigned idx, struct va_cursor *c,
                     const struct imgland *l, struct pageblock_codec *codec, uint8_t *payload,
                     uint8_t *raw, const char *where, struct crerr *e)
{
	void *to = payload;
	uint8_t *dst;
	int rc;

	if ((rc = move(l, &to, b->payload, b->h.stored_length, 1, where, e)) < 0)
		return rc;
	if (XXH3_64bits(payload, b->h.stored_length) != b->h.checksum)
		return crerr_fail(e, -EINVAL, "%s: block %u checksum mismatch (file corrupted?)",
		                  where, idx);
	if ((rc = pageblock_decode(codec, &b->h, payload, raw, where, idx, e)) < 0)
		return rc;
	for (uint32_t j = 0; j < b->h.pages; j++) {
		if ((rc = next_frame(c, l, &dst, where, e)) < 0)
			return rc;
		memcpy(dst, raw + (size_t)j * CRIMG_PAGE_SIZE, CRIMG_PAGE_SIZE);
	}
	return 0;
}

static int land_refs(const struct imgset *s, const struct imgland *l, struct va_cursor *c,
                     const char *where, struct crerr *e)
{
	struct pageblock_codec *codec = s->zstd_blocks ? pageblock_codec_new() : NULL;
	uint8_t *payload = s->zstd_blocks ? malloc(pageblock_stored_max()) : NULL;
	uint8_t *raw = s->zstd_blocks ? malloc(CRIMG_BLOCK_RAW_MAX) : NULL;
	int rc = 0;

	if (s->zstd_blocks && (!codec || !payload || !raw))
		rc = crerr_fail(e, -ENOMEM, "%s: out of memory", where);
	for (uint32_t i = 0; i < s->blocks && rc == 0; i++) {
		const struct imgset_block *b = &s->refs[i];
		rc = b->h.codec == CRIMG__CODEC__CODEC_RAW
		             ? land_raw(b, i, c, l, where, e)
		             : land_zstd(b, i, c, l, codec, payload, raw, where, e);
	}
	pageblock_codec_free(codec);
	free(payload);
	free(raw);
	return rc;
}

int imgland_pages(const struct imgset *s, const struct imgland *l, const char *where,
                  struct crerr *e)
{
	struct va_cursor c = { s, 0, 0 };
	uint8_t *dst;
	int rc;

	if (s->refs || !s->npages)
		return land_refs(s, l, &c, where, e);
	for (uint32_t i = 0; i < s->npages; i++)
		if ((rc = next_frame(&c, l, &dst, where, e)) < 0 ||
		    (rc = move(l, (void *const *)&dst, s->pages + (size_t)i * CRIMG_PAGE_SIZE,
		               CRIMG_PAGE_SIZE, 1, where, e)) < 0)
			return rc;
	return 0;
}
