/*
 * crcmd.h - crtool's checkpoint/restore commands: dump, pre-dump and
 * restore. The board freezes, captures and rebuilds processes; crtool
 * writes and reads the image directories with libcrimg.
 */
#ifndef CRCMD_H
#define CRCMD_H

#include <stddef.h>

#include "proto/rpc.pb-c.h"

struct client;

int crcmd_dump(struct client *cl, int argc, char **argv);
int crcmd_pre_dump(struct client *cl, int argc, char **argv);
int crcmd_restore(struct client *cl, int argc, char **argv);

/* A dump's last exchange: tells the board whether the images are stored
 * (stored, else why not) and reads its reply, carrying want, into *rp.
 * CRT_OK, CRT_IO if not stored, or what client_call gave (said). */
int crcmd_commit(struct client *cl, int stored, const char *why, Crtool__Reply__RepCase want,
                 const char *dir, Crtool__Reply **rp);

/* Where --prev-images-dir prev (relative to the new images' directory
 * dir, as CRIU's) is, seen from here, into out. */
void crcmd_parent_path(const char *dir, const char *prev, char *out, size_t n);

#endif /* CRCMD_H */
