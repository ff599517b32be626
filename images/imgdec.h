/*
 * imgdec.h - the one decoder of image entries (the format: imgenc.h and
 * docs/image-format.md). Every length it reads is checked against the
 * channel's size (a file) and the format's limits before anything is
 * read or allocated.
 */
#ifndef IMGDEC_H
#define IMGDEC_H

#include <protobuf-c/protobuf-c.h>
#include <stdint.h>

#include "diag/crerr.h"
#include "images/imgchan.h"
#include "images/imgkind.h"
#include "proto/pages.pb-c.h"

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
int imgdec_begin(struct imgdec *dec, enum imgkind *k, struct crerr *e);

/*
 * Reads the next entry into *m (free it with protobuf_c_message_free_unpacked
 * and imgdec_allocator):
 * 1; 0 at the end mark (whose count is checked); or a negative errno. In
 * pages.img the header is checked for framing (its stored_length bounded)
 * and its payload must be read next with imgdec_payload.
 */
int imgdec_entry(struct imgdec *dec, ProtobufCMessage **m, struct crerr *e);

/* Reads the payload of block h (h->stored_length bytes, at most
 * pageblock_stored_max()) into buf and checks its checksum. */
int imgdec_payload(struct imgdec *dec, const Crimg__PageBlock *h, void *buf, struct crerr *e);

/* Like imgdec_payload, but leaves the payload where the channel holds
 * it (its take) and does NOT check its checksum: *p points at
 * h->stored_length bytes; the caller checks h->checksum when it uses
 * them. Fails if the channel cannot take them in place. */
int imgdec_payload_ref(struct imgdec *dec, const Crimg__PageBlock *h, const uint8_t **p,
                       struct crerr *e);

/* The encoded bytes of the entry last read, *n of them (valid until the
 * next read). */
const uint8_t *imgdec_entry_bytes(const struct imgdec *dec, size_t *n);

/* For a file: checks that nothing follows the end mark. */
int imgdec_expect_eof(struct imgdec *dec, struct crerr *e);

/* The index of the entry last read (for messages), and the bytes read. */
unsigned imgdec_index(const struct imgdec *dec);
uint64_t imgdec_bytes(const struct imgdec *dec);

/* Where dec is, for messages: "DIR/pages.img" or "stream: pages.img". */
const char *imgdec_where(const struct imgdec *dec);

#endif /* IMGDEC_H */
