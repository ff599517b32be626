/*
 * imgstream.h - the one encoder and the one decoder of image entries, over
 * any byte channel: a file of an image set, or a stream of whole files
 * one after another (a pipe or socket now, a NoC portal later).
 *
 * A file is: its kind's magic (4 bytes, little-endian), entries, an end
 * mark. An entry is a 32-bit little-endian length, that many bytes of one
 * protobuf message of the kind's type, and the XXH3-64 of those bytes
 * (64-bit little-endian). In pages.img, each entry (a PageBlock header) is
 * followed by its payload, stored_length bytes. The end mark is the length
 * word 0xffffffff and a 32-bit little-endian count of the file's entries.
 * A stream is files back to back. docs/image-format.md is the full spec.
 */
#ifndef IMGSTREAM_H
#define IMGSTREAM_H

#include <protobuf-c/protobuf-c.h>
#include <stdint.h>
#include <sys/types.h>

#include "images/imgerr.h"
#include "images/imgkind.h"
#include "proto/pages.pb-c.h"

/* A byte channel. */
struct imgchan {
	/* Writes all n bytes: 0, or a negative errno. */
	int (*write)(void *ctx, const void *buf, size_t n);
	/* Reads up to n bytes: how many (0 only at the end), or a negative errno. */
	ssize_t (*read)(void *ctx, void *buf, size_t n);
	void *ctx;
	/* Optional (NULL): the next n bytes where they lie, skipping past
	 * them, or NULL if the channel does not hold n contiguous bytes.
	 * Lets a reader use a payload in place instead of copying it. */
	const uint8_t *(*take)(void *ctx, size_t n);
	/* Writes cost no more than a copy into a buffer (memory): the
	 * encoder writes straight through instead of gathering first. */
	int unbuffered;
};

/* A channel over file descriptor fd (not owned). */
struct imgchan imgchan_fd(int fd);

/* Bytes in memory: reads take p[pos .. len), writes append at len and
 * grow p with realloc (so a buffer that is written must be the
 * channel's own: start from all zeros and free(p) at the end). */
struct imgmem {
	uint8_t *p;
	size_t len, cap, pos;
};

/* A channel over m. */
struct imgchan imgchan_mem(struct imgmem *m);
/* Room for n more bytes after m->len (a writer filling p itself). 0 or -ENOMEM. */
int imgmem_reserve(struct imgmem *m, size_t n);

/* Bytes in several pieces read as one stream (files of a set, each
 * mapped where it lies): reads go piece after piece; take never spans
 * two pieces. */
struct imgseg {
	const uint8_t *p;
	size_t len;
};
struct imgsegs {
	const struct imgseg *seg;
	size_t n;
	size_t i, off; /* read position: piece, byte in it */
};

/* A read-only channel over s (start it at i = off = 0). */
struct imgchan imgchan_segs(struct imgsegs *s);

/* Up to max of the next bytes of s that lie together: *n of them (0 at
 * the end) at the pointer returned; s moves past them. */
const uint8_t *imgsegs_next(struct imgsegs *s, size_t max, size_t *n);

/* The next n bytes of s if they lie together in one piece (s moves past
 * them), else NULL (s stays). */
const uint8_t *imgsegs_take(struct imgsegs *s, size_t n);

/* Maps all of regular file fd read-only as *seg ({NULL, 0} if it is
 * empty), refusing one over max bytes: 0, -EINVAL (not a regular file),
 * -EFBIG, or -errno. */
int imgseg_map(int fd, uint64_t max, struct imgseg *seg);

/* Unmaps *seg (from imgseg_map) and empties it. */
void imgseg_unmap(struct imgseg *seg);

/* ---- encoder ---- */

struct imgenc;

/* An encoder writing to ch; name says where in messages ("DIR/mm.img",
 * "stream"). NULL if out of memory. */
struct imgenc *imgenc_new(const struct imgchan *ch, const char *name);

/* Frees enc (without flushing). NULL is ignored. */
void imgenc_free(struct imgenc *enc);

/* Starts a file of kind k: its magic. */
int imgenc_begin(struct imgenc *enc, enum imgkind k, struct crimg_error *e);

/* Appends one entry, m, which must be of the kind's type. In pages.img,
 * the block's payload must follow (imgenc_payload) before the next entry. */
int imgenc_entry(struct imgenc *enc, const ProtobufCMessage *m, struct crimg_error *e);

/* Appends the payload of the PageBlock just written: exactly its
 * stored_length bytes. */
int imgenc_payload(struct imgenc *enc, const void *buf, size_t n, struct crimg_error *e);

/* As imgenc_payload, the payload given as count parts of unit bytes
 * each (pages where they lie), written back to back. */
int imgenc_payload_parts(struct imgenc *enc, const uint8_t *const *parts, size_t unit, size_t count,
                         struct crimg_error *e);

/* Ends the file (the end mark) and flushes everything to the channel. */
int imgenc_end(struct imgenc *enc, struct crimg_error *e);

/* Bytes given to the encoder so far (flushed or not). */
uint64_t imgenc_bytes(const struct imgenc *enc);

/* ---- decoder ---- */

/* Limit for a stream: no file size is known. */
#define IMGDEC_STREAM UINT64_MAX

struct imgdec;

/*
 * A decoder reading from ch. limit is the bytes ch holds (a file's size),
 * checked against every length before anything is read or allocated, or
 * IMGDEC_STREAM for a stream of files, where only the format's limits
 * apply. name says where in messages. NULL if out of memory.
 */
struct imgdec *imgdec_new(const struct imgchan *ch, const char *name, uint64_t limit);

/* Frees dec. NULL is ignored. */
void imgdec_free(struct imgdec *dec);

/* Entries are unpacked with allocator a from now on (NULL: malloc), and
 * must be freed with it (imgdec_allocator). */
void imgdec_set_allocator(struct imgdec *dec, ProtobufCAllocator *a);
ProtobufCAllocator *imgdec_allocator(const struct imgdec *dec);

/* Reads the magic of the next file into *k: 0; 1 if the channel ended
 * cleanly instead (no more files); or a negative errno. */
int imgdec_begin(struct imgdec *dec, enum imgkind *k, struct crimg_error *e);

/*
 * Reads the next entry into *m (free it with protobuf_c_message_free_unpacked
 * and imgdec_allocator):
 * 1; 0 at the end mark (whose count is checked); or a negative errno. In
 * pages.img the header is checked for framing (its stored_length bounded)
 * and its payload must be read next with imgdec_payload.
 */
int imgdec_entry(struct imgdec *dec, ProtobufCMessage **m, struct crimg_error *e);

/* Reads the payload of block h (h->stored_length bytes, at most
 * pageblock_stored_max()) into buf and checks its checksum. */
int imgdec_payload(struct imgdec *dec, const Crimg__PageBlock *h, void *buf, struct crimg_error *e);

/* Like imgdec_payload, but leaves the payload where the channel holds
 * it (its take) and does NOT check its checksum: *p points at
 * h->stored_length bytes; the caller checks h->checksum when it uses
 * them. Fails if the channel cannot take them in place. */
int imgdec_payload_ref(struct imgdec *dec, const Crimg__PageBlock *h, const uint8_t **p,
                       struct crimg_error *e);

/* The encoded bytes of the entry last read, *n of them (valid until the
 * next read). */
const uint8_t *imgdec_entry_bytes(const struct imgdec *dec, size_t *n);

/* For a file: checks that nothing follows the end mark. */
int imgdec_expect_eof(struct imgdec *dec, struct crimg_error *e);

/* The index of the entry last read (for messages), and the bytes read. */
unsigned imgdec_index(const struct imgdec *dec);
uint64_t imgdec_bytes(const struct imgdec *dec);

/* Where dec is, for messages: "DIR/pages.img" or "stream: pages.img". */
const char *imgdec_where(const struct imgdec *dec);

#endif /* IMGSTREAM_H */
