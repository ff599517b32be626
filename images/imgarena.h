/*
 * imgarena.h - where a reader's protobuf messages lie: one arena per
 * image set, handed to protobuf-c as its allocator. Unpacking a set's
 * entries then takes a few large blocks instead of a malloc for every
 * message, string and repeated field, and the set frees them at once
 * (a migration reads a set inside the process's downtime).
 *
 * A message unpacked into an arena is freed only with it: its
 * free_unpacked must be given the arena's allocator (whose free does
 * nothing), never NULL.
 */
#ifndef IMGARENA_H
#define IMGARENA_H

#include <protobuf-c/protobuf-c.h>

struct imgarena;

/* An empty arena, or NULL if out of memory. */
struct imgarena *imgarena_new(void);

/* Frees a and everything allocated in it. NULL is ignored. */
void imgarena_free(struct imgarena *a);

/* The allocator that allocates in a (valid as long as a). */
ProtobufCAllocator *imgarena_allocator(struct imgarena *a);

#endif /* IMGARENA_H */
