/*
 * imgstream.c - the entry encoder and decoder (see imgstream.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "images/imgparams.h"
#include "images/imgstream.h"
#include "images/pageblock.h"

#define IMGSTREAM_BUF (64u << 10)

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static int fd_write(void *ctx, const void *buf, size_t n)
{
	int fd = (int)(intptr_t)ctx;
	const uint8_t *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	int fd = (int)(intptr_t)ctx;

	for (;;) {
		ssize_t r = read(fd, buf, n);
		if (r >= 0)
			return r;
		if (errno != EINTR)
			return -errno;
	}
}

struct imgchan imgchan_fd(int fd)
{
	return (struct imgchan){ fd_write, fd_read, (void *)(intptr_t)fd, NULL, 0 };
}

int imgmem_reserve(struct imgmem *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 4096;
	uint8_t *p;

	if (n <= m->cap - m->len)
		return 0;
	while (cap - m->len < n)
		cap *= 2;
	if (!(p = realloc(m->p, cap)))
		return -ENOMEM;
	m->p = p;
	m->cap = cap;
	return 0;
}

static int mem_write(void *ctx, const void *buf, size_t n)
{
	struct imgmem *m = ctx;

	if (imgmem_reserve(m, n))
		return -ENOMEM;
	memcpy(m->p + m->len, buf, n);
	m->len += n;
	return 0;
}

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct imgmem *m = ctx;

	if (n > m->len - m->pos)
		n = m->len - m->pos;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

static const uint8_t *mem_take(void *ctx, size_t n)
{
	struct imgmem *m = ctx;
	const uint8_t *p = m->p + m->pos;

	if (n > m->len - m->pos)
		return NULL;
	m->pos += n;
	return p;
}

struct imgchan imgchan_mem(struct imgmem *m)
{
	return (struct imgchan){ mem_write, mem_read, m, mem_take, 1 };
}

static int segs_write(void *ctx, const void *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return -EBADF; /* read-only */
}

/* Skips the pieces s has read to their end. */
static void segs_settle(struct imgsegs *s)
{
	while (s->i < s->n && s->off == s->seg[s->i].len) {
		s->i++;
		s->off = 0;
	}
}

const uint8_t *imgsegs_next(struct imgsegs *s, size_t max, size_t *n)
{
	const uint8_t *p;

	segs_settle(s);
	*n = 0;
	if (s->i == s->n)
		return NULL;
	*n = s->seg[s->i].len - s->off;
	if (*n > max)
		*n = max;
	p = s->seg[s->i].p + s->off;
	s->off += *n;
	return p;
}

const uint8_t *imgsegs_take(struct imgsegs *s, size_t n)
{
	const uint8_t *p;

	segs_settle(s);
	if (s->i == s->n || n > s->seg[s->i].len - s->off)
		return NULL;
	p = s->seg[s->i].p + s->off;
	s->off += n;
	return p;
}

static ssize_t segs_read(void *ctx, void *buf, size_t n)
{
	uint8_t *out = buf;
	size_t got = 0, k;
	const uint8_t *p;

	while (got < n && (p = imgsegs_next(ctx, n - got, &k)) != NULL) {
		memcpy(out + got, p, k);
		got += k;
	}
	return (ssize_t)got;
}

static const uint8_t *segs_take(void *ctx, size_t n)
{
	return imgsegs_take(ctx, n);
}

struct imgchan imgchan_segs(struct imgsegs *s)
{
	return (struct imgchan){ segs_write, segs_read, s, segs_take, 0 };
}

int imgseg_map(int fd, uint64_t max, struct imgseg *seg)
{
	struct stat st;
	void *p;

	*seg = (struct imgseg){ NULL, 0 };
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	if (st.st_size == 0)
		return 0;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	*seg = (struct imgseg){ p, (size_t)st.st_size };
	return 0;
}

void imgseg_unmap(struct imgseg *seg)
{
	if (seg->len)
		munmap((void *)seg->p, seg->len);
	*seg = (struct imgseg){ NULL, 0 };
}

/* ---- encoder ---- */

struct imgenc {
	struct imgchan ch;
	char name[256];
	int kind; /* of the open file, or -1 */
	uint32_t entries;
	uint64_t payload_due; /* bytes of block payload the next write owes */
	int payload_open;     /* a PageBlock was written, its payload not yet */
	uint64_t bytes;
	size_t used;
	uint8_t buf[]; /* IMGSTREAM_BUF bytes; none if ch is unbuffered */
};

struct imgenc *imgenc_new(const struct imgchan *ch, const char *name)
{
	/* Large: it is not taken where it would not be used (the host's
	 * first touches of it showed in a migration's downtime). */
	struct imgenc *enc = malloc(sizeof(*enc) + (ch->unbuffered ? 0 : IMGSTREAM_BUF));

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

static int enc_flush(struct imgenc *enc, struct crimg_error *e)
{
	int rc;

	if (!enc->used)
		return 0;
	rc = enc->ch.write(enc->ch.ctx, enc->buf, enc->used);
	enc->used = 0;
	if (rc < 0)
		return crimg_fail(e, rc, "%s: write failed: %s", enc->name, strerror(-rc));
	return 0;
}

/* Appends n bytes, through the buffer when they are few (and the
 * channel gains by it). */
static int enc_put(struct imgenc *enc, const void *p, size_t n, struct crimg_error *e)
{
	int rc;

	enc->bytes += n;
	if (!enc->ch.unbuffered) {
		if (enc->used + n <= IMGSTREAM_BUF) {
			memcpy(enc->buf + enc->used, p, n);
			enc->used += n;
			return 0;
		}
		if ((rc = enc_flush(enc, e)) < 0)
			return rc;
		if (n <= IMGSTREAM_BUF / 2) {
			memcpy(enc->buf, p, n);
			enc->used = n;
			return 0;
		}
	}
	rc = enc->ch.write(enc->ch.ctx, p, n);
	if (rc < 0)
		return crimg_fail(e, rc, "%s: write failed: %s", enc->name, strerror(-rc));
	return 0;
}

static int enc_put32(struct imgenc *enc, uint32_t v, struct crimg_error *e)
{
	uint8_t b[4];

	put32(b, v);
	return enc_put(enc, b, 4, e);
}

static int enc_put64(struct imgenc *enc, uint64_t v, struct crimg_error *e)
{
	uint8_t b[8];

	put32(b, (uint32_t)v);
	put32(b + 4, (uint32_t)(v >> 32));
	return enc_put(enc, b, 8, e);
}

int imgenc_begin(struct imgenc *enc, enum imgkind k, struct crimg_error *e)
{
	if (enc->kind >= 0)
		return crimg_fail(e, -EINVAL, "%s: %s begun before %s ended", enc->name,
		                  imgkind_info(k)->file, imgkind_info(enc->kind)->file);
	enc->kind = (int)k;
	enc->entries = 0;
	return enc_put32(enc, imgkind_info(k)->magic, e);
}

int imgenc_entry(struct imgenc *enc, const ProtobufCMessage *m, struct crimg_error *e)
{
	const struct imgkind_info *ki;
	uint8_t small[1024], *p = small;
	size_t n;
	int rc;

	if (enc->kind < 0 || enc->payload_open)
		return crimg_fail(e, -EINVAL, "%s: entry written %s", enc->name,
		                  enc->kind < 0 ? "outside a file" : "before a block's payload");
	ki = imgkind_info(enc->kind);
	if (m->descriptor != ki->desc)
		return crimg_fail(e, -EINVAL, "%s: a %s entry in %s", enc->name,
		                  m->descriptor->name, ki->file);
	n = protobuf_c_message_get_packed_size(m);
	if (n > ki->entry_max)
		return crimg_fail(e, -EFBIG, "%s: entry %u of %zu bytes exceeds %s's limit of %u",
		                  enc->name, enc->entries, n, ki->file, ki->entry_max);
	if (n > sizeof(small) && !(p = malloc(n)))
		return crimg_fail(e, -ENOMEM, "%s: out of memory", enc->name);
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

int imgenc_payload(struct imgenc *enc, const void *buf, size_t n, struct crimg_error *e)
{
	if (!enc->payload_open || n != enc->payload_due)
		return crimg_fail(e, -EINVAL, "%s: payload of %zu bytes where %s", enc->name, n,
		                  enc->payload_open ? "the block header says otherwise"
		                                    : "no block header precedes it");
	enc->payload_open = 0;
	return enc_put(enc, buf, n, e);
}

int imgenc_payload_parts(struct imgenc *enc, const uint8_t *const *parts, size_t unit, size_t count,
                         struct crimg_error *e)
{
	int rc = 0;

	if (!enc->payload_open || unit * count != enc->payload_due)
		return crimg_fail(e, -EINVAL, "%s: payload of %zu bytes where %s", enc->name,
		                  unit * count,
		                  enc->payload_open ? "the block header says otherwise"
		                                    : "no block header precedes it");
	enc->payload_open = 0;
	/* through the buffer: parts are gathered into large channel writes */
	for (size_t i = 0; i < count && rc == 0; i++)
		rc = enc_put(enc, parts[i], unit, e);
	return rc;
}

int imgenc_end(struct imgenc *enc, struct crimg_error *e)
{
	int rc;

	if (enc->kind < 0 || enc->payload_open)
		return crimg_fail(e, -EINVAL, "%s: end %s", enc->name,
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

/* ---- decoder ---- */

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
	uint8_t buf[];             /* IMGSTREAM_BUF bytes; none for a stream */
};

struct imgdec *imgdec_new(const struct imgchan *ch, const char *name, uint64_t limit)
{
	/* a stream's reads go straight to the caller (dec_get) */
	struct imgdec *dec = malloc(sizeof(*dec) + (limit == IMGDEC_STREAM ? 0 : IMGSTREAM_BUF));

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
			if (n - got >= IMGSTREAM_BUF || dec->limit == IMGDEC_STREAM) {
				r = dec->ch.read(dec->ch.ctx, out + got, n - got);
				if (r < 0)
					return r;
				if (r == 0)
					break;
				got += (size_t)r;
				continue;
			}
			r = dec->ch.read(dec->ch.ctx, dec->buf, IMGSTREAM_BUF);
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
                    struct crimg_error *e)
{
	ssize_t r = dec_get(dec, p, n);

	if (r < 0)
		return crimg_fail(e, (int)r, "%s: read failed: %s", dec->where, strerror((int)-r));
	if ((size_t)r < n)
		return crimg_fail(e, -EINVAL,
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

int imgdec_begin(struct imgdec *dec, enum imgkind *k, struct crimg_error *e)
{
	uint8_t b[4];
	ssize_t r;
	int kind;

	if (dec->kind >= 0)
		return crimg_fail(e, -EINVAL, "%s: next file asked before the end mark",
		                  dec->where);
	r = dec_get(dec, b, 4);
	if (r < 0)
		return crimg_fail(e, (int)r, "%s: read failed: %s", dec->name, strerror((int)-r));
	if (r == 0)
		return 1;
	if (r < 4)
		return crimg_fail(e, -EINVAL,
		                  "%s: magic cut short: %zd of 4 bytes (file truncated?)",
		                  dec->name, r);
	kind = imgkind_by_magic(get32(b));
	if (kind < 0)
		return crimg_fail(e, -EINVAL,
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

int imgdec_entry(struct imgdec *dec, ProtobufCMessage **m, struct crimg_error *e)
{
	const struct imgkind_info *ki;
	uint8_t b[8];
	uint32_t n;
	int rc;

	*m = NULL;
	if (dec->kind < 0 || dec->payload_open)
		return crimg_fail(e, -EINVAL, "%s: entry read %s", dec->where,
		                  dec->kind < 0 ? "outside a file" : "before a block's payload");
	ki = imgkind_info(dec->kind);
	if ((rc = dec_need(dec, b, 4, "length", dec->entries, e)) < 0)
		return rc;
	n = get32(b);
	if (n == CRIMG_END_MARK) {
		if ((rc = dec_need(dec, b, 4, "end mark", dec->entries, e)) < 0)
			return rc;
		if (get32(b) != dec->entries)
			return crimg_fail(e, -EINVAL,
			                  "%s: end mark counts %u entries, the file has %u "
			                  "(entries lost?)",
			                  dec->where, get32(b), dec->entries);
		dec->kind = -1;
		return 0;
	}
	if (n > ki->entry_max)
		return crimg_fail(e, -EINVAL,
		                  "%s: entry %u: length %u exceeds the limit of %u for %s "
		                  "(corrupted?)",
		                  dec->where, dec->entries, n, ki->entry_max, ki->file);
	if ((uint64_t)n + 8 > dec_left(dec))
		return crimg_fail(e, -EINVAL,
		                  "%s: entry %u: length %u runs past the end of the file "
		                  "(truncated?)",
		                  dec->where, dec->entries, n);
	if (n > dec->ent_cap) {
		uint8_t *p = realloc(dec->ent, n);
		if (!p)
			return crimg_fail(e, -ENOMEM, "%s: out of memory", dec->where);
		dec->ent = p;
		dec->ent_cap = n;
	}
	if ((rc = dec_need(dec, dec->ent, n, "entry", dec->entries, e)) < 0 ||
	    (rc = dec_need(dec, b, 8, "checksum", dec->entries, e)) < 0)
		return rc;
	if (get64(b) != XXH3_64bits(dec->ent, n))
		return crimg_fail(e, -EINVAL, "%s: entry %u: checksum mismatch (file corrupted?)",
		                  dec->where, dec->entries);
	dec->ent_len = n;
	*m = protobuf_c_message_unpack(ki->desc, dec->alloc, n, dec->ent);
	if (!*m)
		return crimg_fail(e, -EINVAL, "%s: entry %u: not a valid %s message", dec->where,
		                  dec->entries, ki->desc->name);
	dec->entries++;
	if (dec->kind == IMGKIND_PAGES) {
		uint32_t stored = ((const Crimg__PageBlock *)*m)->stored_length;
		if (stored > pageblock_stored_max() || stored > dec_left(dec)) {
			protobuf_c_message_free_unpacked(*m, dec->alloc);
			*m = NULL;
			return crimg_fail(e, -EINVAL, "%s: entry %u: block payload of %u bytes %s",
			                  dec->where, dec->entries - 1, stored,
			                  stored > pageblock_stored_max()
			                          ? "exceeds the format's limit (corrupted?)"
			                          : "runs past the end of the file (truncated?)");
		}
		dec->payload_open = 1;
	}
	return 1;
}

int imgdec_payload(struct imgdec *dec, const Crimg__PageBlock *h, void *buf, struct crimg_error *e)
{
	int rc;

	if (!dec->payload_open)
		return crimg_fail(e, -EINVAL, "%s: payload read without a block header",
		                  dec->where);
	dec->payload_open = 0;
	rc = dec_need(dec, buf, h->stored_length, "block payload", dec->entries - 1, e);
	if (rc < 0)
		return rc;
	if (XXH3_64bits(buf, h->stored_length) != h->checksum)
		return crimg_fail(e, -EINVAL,
		                  "%s: entry %u: block checksum mismatch (file corrupted?)",
		                  dec->where, dec->entries - 1);
	return 0;
}

int imgdec_payload_ref(struct imgdec *dec, const Crimg__PageBlock *h, const uint8_t **p,
                       struct crimg_error *e)
{
	if (!dec->payload_open)
		return crimg_fail(e, -EINVAL, "%s: payload read without a block header",
		                  dec->where);
	dec->payload_open = 0;
	/* Only an unbuffered decoder (a stream) is where its channel is. */
	if (!dec->ch.take || dec->pos != dec->len)
		return crimg_fail(e, -EINVAL, "%s: this channel cannot lend payloads in place",
		                  dec->where);
	if (!(*p = dec->ch.take(dec->ch.ctx, h->stored_length)))
		return crimg_fail(e, -EINVAL,
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

int imgdec_expect_eof(struct imgdec *dec, struct crimg_error *e)
{
	uint8_t b;
	ssize_t r = dec_get(dec, &b, 1);

	if (r < 0)
		return crimg_fail(e, (int)r, "%s: read failed: %s", dec->where, strerror((int)-r));
	if (r > 0)
		return crimg_fail(e, -EINVAL, "%s: bytes after the end mark at byte %llu",
		                  dec->where, (unsigned long long)(dec->off - 1));
	return 0;
}
