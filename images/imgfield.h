/*
 * imgfield.h - the fields of image entries a person reads otherwise than
 * as numbers (crtool decode, as crit does): addresses in hex ("0x80001000"),
 * protections as "rwx", page flags by name ("present|zero"). encode takes
 * either form back, so both give the same bytes.
 */
#ifndef IMGFIELD_H
#define IMGFIELD_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>
#include <stdint.h>

enum imgfield_kind {
	IMGFIELD_NUMBER = 0, /* as it is */
	IMGFIELD_ADDR,       /* an address or a register */
	IMGFIELD_PROT,       /* protection bits: 1 read, 2 write, 4 execute */
	IMGFIELD_PAGEFLAGS,  /* PagemapFlag bits */
};

/* How field f of messages d reads (IMGFIELD_NUMBER for most). */
enum imgfield_kind imgfield_kind(const ProtobufCMessageDescriptor *d,
                                 const ProtobufCFieldDescriptor *f);

/* v as a person reads a field of kind k (a new reference). */
json_t *imgfield_to_json(enum imgfield_kind k, uint32_t v);

/* Reads a field of kind k: that form, or an integer. 0, or -1. */
int imgfield_parse(enum imgfield_kind k, const json_t *j, uint32_t *out);

/* What imgfield_parse takes for kind k, for a message. */
const char *imgfield_form(enum imgfield_kind k);

#endif /* IMGFIELD_H */
