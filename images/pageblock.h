/*
 * pageblock.h - blocks of pages in pages.img: raw or one zstd frame, with
 * their lengths in a PageBlock header (the checksum over the stored bytes
 * is checked by the decoder, imgdec.h).
 */
#ifndef PAGEBLOCK_H
#define PAGEBLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "diag/crerr.h"
#include "proto/pages.pb-c.h"

/* Largest stored_length a reader accepts: what zstd may take for the
 * largest block at worst. */
size_t pageblock_stored_max(void);

/* Compression and decompression state, reused from block to block. */
struct pageblock_codec;

/* A codec; NULL if out of memory. */
struct pageblock_codec *pageblock_codec_new(void);

/* Frees c. NULL is ignored. */
void pageblock_codec_free(struct pageblock_codec *c);

/*
 * Packs npages pages (1 .. CRIMG_BLOCK_PAGES_MAX) at raw as the block that
 * starts at present page first: zstd at level (1 .. 22) or raw if level is
 * 0 or zstd does not make it smaller. Fills *h (checksum included) and
 * points *payload at the h->stored_length bytes to write (raw itself, or
 * a buffer of c's valid until the next call).
 */
int pageblock_encode(struct pageblock_codec *c, const void *raw, uint32_t first, uint32_t npages,
                     int level, Crimg__PageBlock *h, const void **payload, struct crerr *e);

/* XXH3-64 of npages pages lying apart (at[j]: page j), as of the same
 * pages back to back. 0, or -ENOMEM. */
int pageblock_checksum_parts(const uint8_t *const *at, uint32_t npages, uint64_t *sum);

/* As pageblock_encode at level 0 for npages pages lying apart (at[j]:
 * page j): fills *h, checksum included; the payload is the pages back to
 * back (imgenc_payload_parts). */
int pageblock_encode_parts(const uint8_t *const *at, uint32_t first, uint32_t npages,
                           Crimg__PageBlock *h, struct crerr *e);

/* Checks header h, the block after expect_first pages, against the
 * format: page count, lengths, codec. where and index name it in messages. */
int pageblock_check(const Crimg__PageBlock *h, uint32_t expect_first, const char *where,
                    unsigned index, struct crerr *e);

/* Unpacks checked block h's payload into out (h->raw_length bytes). */
int pageblock_decode(struct pageblock_codec *c, const Crimg__PageBlock *h, const void *payload,
                     void *out, const char *where, unsigned index, struct crerr *e);

#endif /* PAGEBLOCK_H */
