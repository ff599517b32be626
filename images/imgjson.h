/*
 * imgjson.h - image files as JSON and back (crtool decode and encode),
 * through protobuf-c's descriptors, so a new field needs no new code.
 *
 * Mapping (docs/image-format.md, "JSON"): an object per message with
 * every field under its .proto name; 32-bit integers and floats as
 * numbers, but addresses, protections and page flags as a person reads
 * them (hex, "rwx", names) unless raw; 64-bit integers as decimal strings (as the proto3 JSON
 * mapping does, since JSON numbers lose them); bools; enums by value name; bytes and page payloads
 * in base64; repeated fields as arrays; an absent submessage as null; fields of a newer schema kept
 * in "_unknown". A file is {"file": NAME, "entries": [...]}, and each pages.img entry carries its
 * block payload as "_payload". Encoding needs every field and refuses names it does not know,
 * values of the wrong type or range, and payloads that do not match their block header.
 */
#ifndef IMGJSON_H
#define IMGJSON_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

#include "diag/crerr.h"

/* JSON of message m (a new reference), or NULL with e (a string field that
 * is not UTF-8, out of memory). */
json_t *imgjson_from_message(const ProtobufCMessage *m, const char *where, struct crerr *e);

/* A message of type d from j (free it with protobuf_c_message_free_unpacked),
 * or NULL with e naming the field and the problem. */
ProtobufCMessage *imgjson_to_message(const json_t *j, const ProtobufCMessageDescriptor *d,
                                     const char *where, struct crerr *e);

/* How decode gives a file: with its page payloads (without them the JSON
 * cannot be encoded), and with every field a number (else addresses in
 * hex, protections and page flags by name: images/imgfield.h). */
#define IMGJSON_PAYLOAD 1u
#define IMGJSON_RAW 2u

/* The image file at path as JSON in *out, as how says. Framing and
 * checksums are checked; a non-canonical entry (one protobuf-c would pack
 * differently, so that encode would not give the same bytes) is an error. */
int imgjson_decode_file(const char *path, unsigned how, json_t **out, struct crerr *e);

/* Writes the image file that j describes to path, atomically (a
 * temporary file beside it, fsync, rename); byte-identical to the file
 * j was decoded from. */
int imgjson_encode_file(const json_t *j, const char *path, struct crerr *e);

#endif /* IMGJSON_H */
