/*
 * imgdec.c - the decoder of image entries (see imgdec.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "diag/crerr.h"
#include "images/imgdec.h"
#include "images/imgparams.h"
#include "images/pageblock.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

struct imgdec {
	struct imgchan ch;
	char name[256];
	char where[300];
	uint64_t limit;
	uint64_t off;     /* bytes consumed */
	int kind;         /* of the open file, or -1 */
	unsigned entries; /* read in the open file */
	int payload_open;
	uint8_t *ent; /* entry bytes, grown up to the largest entry_max */
	size_t ent_cap;
	size_t ent_len;            /* of the entry last read */
	size_t pos, len;           /* unread bytes of buf */
	ProtobufCAllocator *alloc; /* of the entries; NULL: malloc */
	uint8_t buf[];             /* CRIMG_STREAM_BUF bytes; none for a stream */
};

struct imgdec *imgdec_new(const struct imgchan *ch, const char *name, uint64_t limit)
{
	/* a stream's reads go straight to the caller (dec_get) */
	struct imgdec *dec = malloc(sizeof(*dec) + (limit == IMGDEC_STREAM ? 0 : CRIMG_STREAM_BUF));

	if (!dec)
		return NULL;
	dec->ch = *ch;
	snprintf(dec->name, sizeof(dec->name), "%s", name);
	snprintf(dec->where, sizeof(dec->where), "%s", name);
	dec->limit = limit;
	dec->off = 0;
	dec->kind = -1;
	dec->entries = 0;
	dec->payload_open = 0;
	dec->ent = NULL;
	dec->ent_cap = 0;
	dec->ent_len = 0;
	dec->pos = dec->len = 0;
	dec->alloc = NULL;
	return dec;
}

void imgdec_set_allocator(struct imgdec *dec, ProtobufCAllocator *a)
{
	dec->alloc = a;
}

ProtobufCAllocator *imgdec_allocator(const struct imgdec *dec)
{
	return dec->alloc;
}

void imgdec_free(struct imgdec *dec)
{
	if (!dec)
		return;
	free(dec->ent);
	free(dec);
}

const char *imgdec_where(const struct imgdec *dec)
{
	return dec->where;
}

unsigned imgdec_index(const struct imgdec *dec)
{
	return dec->entries ? dec->entries - 1 : 0;
}

uint64_t imgdec_bytes(const struct imgdec *dec)
{
	return dec->off;
}

/* Reads up to n bytes: how many were there before the channel's end. */
static ssize_t dec_get(struct imgdec *dec, void *p, size_t n)
{
	uint8_t *out = p;
	size_t got = 0;

	while (got < n) {
		if (dec->pos == dec->len) {
			ssize_t r;
			/* Large reads go straight to the caller's buffer; so does
			 * every read of a stream, which must not read past its set. */
			if (n - got >= CRIMG_STREAM_BUF || dec->limit == IMGDEC_STREAM) {
				r = dec->ch.read(dec->ch.ctx, out + got, n - got);
				if (r < 0)
					return r;
				if (r == 0)
					break;
				got += (size_t)r;
				continue;
			}
			r = dec->ch.read(dec->ch.ctx, dec->buf, CRIMG_STREAM_BUF);
			if (r < 0)
				return r;
			if (r == 0)
				break;
			dec->pos = 0;
			dec->len = (size_t)r;
		}
		size_t k = dec->len - dec->pos;
		if (k > n - got)
			k = n - got;
		memcpy(out + got, dec->buf + dec->pos, k);
		dec->pos += k;
		got += k;
	}
	dec->off += got;
	return (ssize_t)got;
}

/* Reads exactly n bytes of what, part of entry idx; a short read is a
 * truncation. */
static int dec_need(struct imgdec *dec, void *p, size_t n, const char *what, unsigned idx,
                    struct crerr *e)
{
	ssize_t r = dec_get(dec, p, n);

	if (r < 0)
		return crerr_fail(e, (int)r, "%s: read failed: %s", dec->where, strerror((int)-r));
	if ((size_t)r < n)
		return crerr_fail(e, -EINVAL,
		                  "%s: entry %u: %s cut short at byte %llu: %zu of %zu bytes "
		                  "(file truncated?)",
		                  dec->where, idx, what, (unsigned long long)dec->off, (size_t)r,
		                  n);
	return 0;
}

/* Bytes left before the limit. */
static uint64_t dec_left(const struct imgdec *dec)
{
	return dec->limit == IMGDEC_STREAM ? IMGDEC_STREAM : dec->limit - dec->off;
}

int imgdec_begin(struct imgdec *dec, enum imgkind *k, struct crerr *e)
{
	uint8_t b[4];
	ssize_t r;
	int kind;

	if (dec->kind >= 0)
		return crerr_fail(e, -EINVAL, "%s: next file asked before the end mark",
		                  dec->where);
	r = dec_get(dec, b, 4);
	if (r < 0)
		return crerr_fail(e, (int)r, "%s: read failed: %s", dec->name, strerror((int)-r));
	if (r == 0)
		return 1;
	if (r < 4)
		return crerr_fail(e, -EINVAL,
		                  "%s: magic cut short: %zd of 4 bytes (file truncated?)",
		                  dec->name, r);
	kind = imgkind_by_magic(get32(b));
	if (kind < 0)
		return crerr_fail(e, -EINVAL,
		                  "%s: bad magic 0x%08x at byte %llu (not a crtool image file?)",
		                  dec->name, get32(b), (unsigned long long)(dec->off - 4));
	if (dec->limit == IMGDEC_STREAM)
		snprintf(dec->where, sizeof(dec->where), "%s: %s", dec->name,
		         imgkind_info(kind)->file);
	dec->kind = kind;
	dec->entries = 0;
	*k = (enum imgkind)kind;
	return 0;
}

int imgdec_entry(struct imgdec *dec, ProtobufCMessage **m, struct crerr *e)
{
	const struct imgkind_info *ki;
	uint8_t b[8];
	uint32_t n;
	int rc;

	*m = NULL;
	if (dec->kind < 0 || dec->payload_open)
		return crerr_fail(e, -EINVAL, "%s: entry read %s", dec->where,
		                  dec->kind < 0 ? "outside a file" : "before a block's payload");
	ki = imgkind_info(dec->kind);
	if ((rc = dec_need(dec, b, 4, "length", dec->entries, e)) < 0)
		return rc;
	n = get32(b);
	if (n == CRIMG_END_MARK) {
		if ((rc = dec_need(dec, b, 4, "end mark", dec->entries, e)) < 0)
			return rc;
		if (get32(b) != dec->entries)
			return crerr_fail(e, -EINVAL,
			                  "%s: end mark counts %u entries, the file has %u "
			                  "(entries lost?)",
			                  dec->where, get32(b), dec->entries);
		dec->kind = -1;
		return 0;
	}
	if (n > ki->entry_max)
		return crerr_fail(e, -EINVAL,
		                  "%s: entry %u: length %u exceeds the limit of %u for %s "
		                  "(corrupted?)",
		                  dec->where, dec->entries, n, ki->entry_max, ki->file);
	if ((uint64_t)n + 8 > dec_left(dec))
		return crerr_fail(e, -EINVAL,
		                  "%s: entry %u: length %u runs past the end of the file "
		                  "(truncated?)",
		                  dec->where, dec->entries, n);
	if (n > dec->ent_cap) {
		uint8_t *p = realloc(dec->ent, n);
		if (!p)
			return crerr_fail(e, -ENOMEM, "%s: out of memory", dec->where);
		dec->ent = p;
		dec->ent_cap = n;
	}
	if ((rc = dec_need(dec, dec->ent, n, "entry", dec->entries, e)) < 0 ||
	    (rc = dec_need(dec, b, 8, "checksum", dec->entries, e)) < 0)
		return rc;
	if (get64(b) != XXH3_64bits(dec->ent, n))
		return crerr_fail(e, -EINVAL, "%s: entry %u: checksum mismatch (file corrupted?)",
		                  dec->where, dec->entries);
	dec->ent_len = n;
	*m = protobuf_c_message_unpack(ki->desc, dec->alloc, n, dec->ent);
	if (!*m)
		return crerr_fail(e, -EINVAL, "%s: entry %u: not a valid %s message", dec->where,
		                  dec->entries, ki->desc->name);
	dec->entries++;
	if (dec->kind == IMGKIND_PAGES) {
		uint32_t stored = ((const Crimg__PageBlock *)*m)->stored_length;
		if (stored > pageblock_stored_max() || stored > dec_left(dec)) {
			protobuf_c_message_free_unpacked(*m, dec->alloc);
			*m = NULL;
			return crerr_fail(e, -EINVAL, "%s: entry %u: block payload of %u bytes %s",
			                  dec->where, dec->entries - 1, stored,
			                  stored > pageblock_stored_max()
			                          ? "exceeds the format's limit (corrupted?)"
			                          : "runs past the end of the file (truncated?)");
		}
		dec->payload_open = 1;
	}
	return 1;
}

int imgdec_payload(struct imgdec *dec, const Crimg__PageBlock *h, void *buf, struct crerr *e)
{
	int rc;

	if (!dec->payload_open)
		return crerr_fail(e, -EINVAL, "%s: payload read without a block header",
		                  dec->where);
	dec->payload_open = 0;
	rc = dec_need(dec, buf, h->stored_length, "block payload", dec->entries - 1, e);
	if (rc < 0)
		return rc;
	if (XXH3_64bits(buf, h->stored_length) != h->checksum)
		return crerr_fail(e, -EINVAL,
		                  "%s: entry %u: block checksum mismatch (file corrupted?)",
		                  dec->where, dec->entries - 1);
	return 0;
}

int imgdec_payload_ref(struct imgdec *dec, const Crimg__PageBlock *h, const uint8_t **p,
                       struct crerr *e)
{
	if (!dec->payload_open)
		return crerr_fail(e, -EINVAL, "%s: payload read without a block header",
		                  dec->where);
	dec->payload_open = 0;
	/* Only an unbuffered decoder (a stream) is where its channel is. */
	if (!dec->ch.take || dec->pos != dec->len)
		return crerr_fail(e, -EINVAL, "%s: this channel cannot lend payloads in place",
		                  dec->where);
	if (!(*p = dec->ch.take(dec->ch.ctx, h->stored_length)))
		return crerr_fail(e, -EINVAL,
		                  "%s: entry %u: block payload of %u bytes cut short (file "
		                  "truncated?)",
		                  dec->where, dec->entries - 1, h->stored_length);
	dec->off += h->stored_length;
	return 0;
}

const uint8_t *imgdec_entry_bytes(const struct imgdec *dec, size_t *n)
{
	*n = dec->ent_len;
	return dec->ent;
}

int imgdec_expect_eof(struct imgdec *dec, struct crerr *e)
{
	uint8_t b;
	ssize_t r = dec_get(dec, &b, 1);

	if (r < 0)
		return crerr_fail(e, (int)r, "%s: read failed: %s", dec->where, strerror((int)-r));
	if (r > 0)
		return crerr_fail(e, -EINVAL, "%s: bytes after the end mark at byte %llu",
		                  dec->where, (unsigned long long)(dec->off - 1));
	return 0;
}
