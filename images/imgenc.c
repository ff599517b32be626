/*
 * imgenc.c - the encoder of image entries (see imgenc.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "diag/crerr.h"
#include "images/imgenc.h"
#include "images/imgparams.h"
#include "proto/pages.pb-c.h"

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

struct imgenc {
	struct imgchan ch;
	char name[256];
	int kind; /* of the open file, or -1 */
	uint32_t entries;
	uint64_t payload_due; /* bytes of block payload the next write owes */
	int payload_open;     /* a PageBlock was written, its payload not yet */
	uint64_t bytes;
	size_t used;
	uint8_t buf[]; /* CRIMG_STREAM_BUF bytes; none if ch is unbuffered */
};

struct imgenc *imgenc_new(const struct imgchan *ch, const char *name)
{
	/* Large: it is not taken where it would not be used (the host's
	 * first touches of it showed in a migration's downtime). */
	struct imgenc *enc = malloc(sizeof(*enc) + (ch->unbuffered ? 0 : CRIMG_STREAM_BUF));

	if (!enc)
		return NULL;
	enc->ch = *ch;
	snprintf(enc->name, sizeof(enc->name), "%s", name);
	enc->kind = -1;
	enc->entries = 0;
	enc->payload_due = 0;
	enc->payload_open = 0;
	enc->bytes = 0;
	enc->used = 0;
	return enc;
}

void imgenc_free(struct imgenc *enc)
{
	free(enc);
}

static int enc_flush(struct imgenc *enc, struct crerr *e)
{
	int rc;

	if (!enc->used)
		return 0;
	rc = enc->ch.write(enc->ch.ctx, enc->buf, enc->used);
	enc->used = 0;
	if (rc < 0)
		return crerr_fail(e, rc, "%s: write failed: %s", enc->name, strerror(-rc));
	return 0;
}

/* Appends n bytes, through the buffer when they are few (and the
 * channel gains by it). */
static int enc_put(struct imgenc *enc, const void *p, size_t n, struct crerr *e)
{
	int rc;

	enc->bytes += n;
	if (!enc->ch.unbuffered) {
		if (enc->used + n <= CRIMG_STREAM_BUF) {
			memcpy(enc->buf + enc->used, p, n);
			enc->used += n;
			return 0;
		}
		if ((rc = enc_flush(enc, e)) < 0)
			return rc;
		if (n <= CRIMG_STREAM_BUF / 2) {
			memcpy(enc->buf, p, n);
			enc->used = n;
			return 0;
		}
	}
	rc = enc->ch.write(enc->ch.ctx, p, n);
	if (rc < 0)
		return crerr_fail(e, rc, "%s: write failed: %s", enc->name, strerror(-rc));
	return 0;
}

static int enc_put32(struct imgenc *enc, uint32_t v, struct crerr *e)
{
	uint8_t b[4];

	put32(b, v);
	return enc_put(enc, b, 4, e);
}

static int enc_put64(struct imgenc *enc, uint64_t v, struct crerr *e)
{
	uint8_t b[8];

	put32(b, (uint32_t)v);
	put32(b + 4, (uint32_t)(v >> 32));
	return enc_put(enc, b, 8, e);
}

int imgenc_begin(struct imgenc *enc, enum imgkind k, struct crerr *e)
{
	if (enc->kind >= 0)
		return crerr_fail(e, -EINVAL, "%s: %s begun before %s ended", enc->name,
		                  imgkind_info(k)->file, imgkind_info(enc->kind)->file);
	enc->kind = (int)k;
	enc->entries = 0;
	return enc_put32(enc, imgkind_info(k)->magic, e);
}

int imgenc_entry(struct imgenc *enc, const ProtobufCMessage *m, struct crerr *e)
{
	const struct imgkind_info *ki;
	uint8_t small[1024], *p = small;
	size_t n;
	int rc;

	if (enc->kind < 0 || enc->payload_open)
		return crerr_fail(e, -EINVAL, "%s: entry written %s", enc->name,
		                  enc->kind < 0 ? "outside a file" : "before a block's payload");
	ki = imgkind_info(enc->kind);
	if (m->descriptor != ki->desc)
		return crerr_fail(e, -EINVAL, "%s: a %s entry in %s", enc->name,
		                  m->descriptor->name, ki->file);
	n = protobuf_c_message_get_packed_size(m);
	if (n > ki->entry_max)
		return crerr_fail(e, -EFBIG, "%s: entry %u of %zu bytes exceeds %s's limit of %u",
		                  enc->name, enc->entries, n, ki->file, ki->entry_max);
	if (n > sizeof(small) && !(p = malloc(n)))
		return crerr_fail(e, -ENOMEM, "%s: out of memory", enc->name);
	protobuf_c_message_pack(m, p);
	rc = enc_put32(enc, (uint32_t)n, e);
	if (rc == 0)
		rc = enc_put(enc, p, n, e);
	if (rc == 0)
		rc = enc_put64(enc, XXH3_64bits(p, n), e);
	if (p != small)
		free(p);
	if (rc < 0)
		return rc;
	enc->entries++;
	if (enc->kind == IMGKIND_PAGES) {
		enc->payload_open = 1;
		enc->payload_due = ((const Crimg__PageBlock *)m)->stored_length;
	}
	return 0;
}

int imgenc_payload(struct imgenc *enc, const void *buf, size_t n, struct crerr *e)
{
	if (!enc->payload_open || n != enc->payload_due)
		return crerr_fail(e, -EINVAL, "%s: payload of %zu bytes where %s", enc->name, n,
		                  enc->payload_open ? "the block header says otherwise"
		                                    : "no block header precedes it");
	enc->payload_open = 0;
	return enc_put(enc, buf, n, e);
}

int imgenc_payload_parts(struct imgenc *enc, const uint8_t *const *parts, size_t unit, size_t count,
                         struct crerr *e)
{
	int rc = 0;

	if (!enc->payload_open || unit * count != enc->payload_due)
		return crerr_fail(e, -EINVAL, "%s: payload of %zu bytes where %s", enc->name,
		                  unit * count,
		                  enc->payload_open ? "the block header says otherwise"
		                                    : "no block header precedes it");
	enc->payload_open = 0;
	/* through the buffer: parts are gathered into large channel writes */
	for (size_t i = 0; i < count && rc == 0; i++)
		rc = enc_put(enc, parts[i], unit, e);
	return rc;
}

int imgenc_end(struct imgenc *enc, struct crerr *e)
{
	int rc;

	if (enc->kind < 0 || enc->payload_open)
		return crerr_fail(e, -EINVAL, "%s: end %s", enc->name,
		                  enc->kind < 0 ? "outside a file" : "before a block's payload");
	enc->kind = -1;
	if ((rc = enc_put32(enc, CRIMG_END_MARK, e)) < 0 ||
	    (rc = enc_put32(enc, enc->entries, e)) < 0)
		return rc;
	return enc_flush(enc, e);
}

uint64_t imgenc_bytes(const struct imgenc *enc)
{
	return enc->bytes;
}
