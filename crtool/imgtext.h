/*
 * imgtext.h - image fields as crtool shows them: enum values by name,
 * protections, sizes; and the opening of a chain with its problems said.
 * Shared by the offline commands (imgcmd.c, showcmd.c).
 */
#ifndef IMGTEXT_H
#define IMGTEXT_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

#include "images/imgchain.h"

/* An enum value's name, lowercased, without prefix, '_' as '-':
 * ("THREAD_", 1) -> "ready", ("SET_", 2) -> "pre-dump"; into buf. */
const char *imgtext_enum(const ProtobufCEnumDescriptor *d, int v, const char *prefix, char *buf,
                         size_t n);

/* bytes as "812 B", "12.5 KiB" or "3.0 MiB", into buf. */
const char *imgtext_size(uint64_t bytes, char *buf, size_t n);

/* Protection bits as "rwx" ('-' for each absent). */
void imgtext_prot(uint32_t p, char out[4]);

/* Opens dir's chain, or says why not (and points at verify): the status. */
int imgtext_open_chain(const char *dir, struct imgchain **c);

#endif /* IMGTEXT_H */
