/*
 * pageblock.c - page blocks, raw or zstd (see pageblock.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include <zstd.h>

#include "diag/crerr.h"
#include "images/imgparams.h"
#include "images/pageblock.h"

struct pageblock_codec {
	ZSTD_CCtx *cctx;
	ZSTD_DCtx *dctx;
	void *buf; /* compressed bytes, pageblock_stored_max() */
};

size_t pageblock_stored_max(void)
{
	return ZSTD_COMPRESSBOUND(CRIMG_BLOCK_RAW_MAX);
}

/* zstd's contexts and the buffer come when first needed: raw blocks (a
 * migration, a raw dump) never pay for them. */
struct pageblock_codec *pageblock_codec_new(void)
{
	return calloc(1, sizeof(struct pageblock_codec));
}

void pageblock_codec_free(struct pageblock_codec *c)
{
	if (!c)
		return;
	ZSTD_freeCCtx(c->cctx);
	ZSTD_freeDCtx(c->dctx);
	free(c->buf);
	free(c);
}

int pageblock_encode(struct pageblock_codec *c, const void *raw, uint32_t first, uint32_t npages,
                     int level, Crimg__PageBlock *h, const void **payload, struct crerr *e)
{
	size_t raw_len = (size_t)npages * CRIMG_PAGE_SIZE;

	if (npages < 1 || npages > CRIMG_BLOCK_PAGES_MAX)
		return crerr_fail(e, -EINVAL, "page block of %u pages (1 to %u allowed)", npages,
		                  CRIMG_BLOCK_PAGES_MAX);
	if (level < 0 || level > ZSTD_maxCLevel())
		return crerr_fail(e, -EINVAL, "zstd level %d (0 to %d allowed)", level,
		                  ZSTD_maxCLevel());
	crimg__page_block__init(h);
	h->first_page = first;
	h->pages = npages;
	h->raw_length = (uint32_t)raw_len;
	h->codec = CRIMG__CODEC__CODEC_RAW;
	h->stored_length = (uint32_t)raw_len;
	*payload = raw;
	if (level > 0) {
		size_t n;
		if ((!c->cctx && !(c->cctx = ZSTD_createCCtx())) ||
		    (!c->buf && !(c->buf = malloc(pageblock_stored_max()))))
			return crerr_fail(e, -ENOMEM, "out of memory for zstd");
		n = ZSTD_compressCCtx(c->cctx, c->buf, pageblock_stored_max(), raw, raw_len, level);
		if (ZSTD_isError(n))
			return crerr_fail(e, -EIO, "zstd: %s", ZSTD_getErrorName(n));
		if (n < raw_len) {
			h->codec = CRIMG__CODEC__CODEC_ZSTD;
			h->stored_length = (uint32_t)n;
			*payload = c->buf;
		}
	}
	h->checksum = XXH3_64bits(*payload, h->stored_length);
	return 0;
}

int pageblock_checksum_parts(const uint8_t *const *at, uint32_t npages, uint64_t *sum)
{
	XXH3_state_t *st = XXH3_createState();

	if (!st)
		return -ENOMEM;
	XXH3_64bits_reset(st);
	for (uint32_t j = 0; j < npages; j++)
		XXH3_64bits_update(st, at[j], CRIMG_PAGE_SIZE);
	*sum = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	return 0;
}

int pageblock_encode_parts(const uint8_t *const *at, uint32_t first, uint32_t npages,
                           Crimg__PageBlock *h, struct crerr *e)
{
	if (npages < 1 || npages > CRIMG_BLOCK_PAGES_MAX)
		return crerr_fail(e, -EINVAL, "page block of %u pages (1 to %u allowed)", npages,
		                  CRIMG_BLOCK_PAGES_MAX);
	crimg__page_block__init(h);
	h->first_page = first;
	h->pages = npages;
	h->raw_length = npages * CRIMG_PAGE_SIZE;
	h->codec = CRIMG__CODEC__CODEC_RAW;
	h->stored_length = h->raw_length;
	if (pageblock_checksum_parts(at, npages, &h->checksum) < 0)
		return crerr_fail(e, -ENOMEM, "out of memory for a checksum");
	return 0;
}

int pageblock_check(const Crimg__PageBlock *h, uint32_t expect_first, const char *where,
                    unsigned index, struct crerr *e)
{
	if (h->first_page != expect_first)
		return crerr_fail(e, -EINVAL,
		                  "%s: entry %u: block starts at page %u, expected %u (blocks "
		                  "missing or out of order?)",
		                  where, index, h->first_page, expect_first);
	if (h->pages < 1 || h->pages > CRIMG_BLOCK_PAGES_MAX)
		return crerr_fail(e, -EINVAL, "%s: entry %u: block of %u pages (1 to %u allowed)",
		                  where, index, h->pages, CRIMG_BLOCK_PAGES_MAX);
	if (h->raw_length != h->pages * CRIMG_PAGE_SIZE)
		return crerr_fail(e, -EINVAL,
		                  "%s: entry %u: raw_length %u is not %u pages of %u bytes", where,
		                  index, h->raw_length, h->pages, CRIMG_PAGE_SIZE);
	switch (h->codec) {
	case CRIMG__CODEC__CODEC_RAW:
		if (h->stored_length != h->raw_length)
			return crerr_fail(e, -EINVAL,
			                  "%s: entry %u: raw block stores %u bytes, not its %u",
			                  where, index, h->stored_length, h->raw_length);
		break;
	case CRIMG__CODEC__CODEC_ZSTD:
		if (h->stored_length < 1 || h->stored_length > pageblock_stored_max())
			return crerr_fail(e, -EINVAL, "%s: entry %u: zstd block of %u bytes", where,
			                  index, h->stored_length);
		break;
	default:
		return crerr_fail(e, -EINVAL, "%s: entry %u: unknown codec %d", where, index,
		                  (int)h->codec);
	}
	return 0;
}

int pageblock_decode(struct pageblock_codec *c, const Crimg__PageBlock *h, const void *payload,
                     void *out, const char *where, unsigned index, struct crerr *e)
{
	size_t n;

	if (h->codec == CRIMG__CODEC__CODEC_RAW) {
		memcpy(out, payload, h->raw_length);
		return 0;
	}
	if (!c->dctx && !(c->dctx = ZSTD_createDCtx()))
		return crerr_fail(e, -ENOMEM, "out of memory for zstd");
	n = ZSTD_decompressDCtx(c->dctx, out, h->raw_length, payload, h->stored_length);
	if (ZSTD_isError(n))
		return crerr_fail(e, -EINVAL, "%s: entry %u: zstd block does not decompress: %s",
		                  where, index, ZSTD_getErrorName(n));
	if (n != h->raw_length)
		return crerr_fail(e, -EINVAL,
		                  "%s: entry %u: zstd block gives %zu bytes, header says %u", where,
		                  index, n, h->raw_length);
	return 0;
}
