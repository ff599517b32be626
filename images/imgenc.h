/*
 * imgenc.h - the one encoder of image entries (imgdec.h is the decoder), over
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
#ifndef IMGENC_H
#define IMGENC_H

#include <protobuf-c/protobuf-c.h>
#include <stdint.h>

#include "diag/crerr.h"
#include "images/imgchan.h"
#include "images/imgkind.h"

struct imgenc;

/* An encoder writing to ch; name says where in messages ("DIR/mm.img",
 * "stream"). NULL if out of memory. */
struct imgenc *imgenc_new(const struct imgchan *ch, const char *name);

/* Frees enc (without flushing). NULL is ignored. */
void imgenc_free(struct imgenc *enc);

/* Starts a file of kind k: its magic. */
int imgenc_begin(struct imgenc *enc, enum imgkind k, struct crerr *e);

/* Appends one entry, m, which must be of the kind's type. In pages.img,
 * the block's payload must follow (imgenc_payload) before the next entry. */
int imgenc_entry(struct imgenc *enc, const ProtobufCMessage *m, struct crerr *e);

/* Appends the payload of the PageBlock just written: exactly its
 * stored_length bytes. */
int imgenc_payload(struct imgenc *enc, const void *buf, size_t n, struct crerr *e);

/* As imgenc_payload, the payload given as count parts of unit bytes
 * each (pages where they lie), written back to back. */
int imgenc_payload_parts(struct imgenc *enc, const uint8_t *const *parts, size_t unit, size_t count,
                         struct crerr *e);

/* Ends the file (the end mark) and flushes everything to the channel. */
int imgenc_end(struct imgenc *enc, struct crerr *e);

/* Bytes given to the encoder so far (flushed or not). */
uint64_t imgenc_bytes(const struct imgenc *enc);

#endif /* IMGENC_H */
