/*
 * crcmd.h - crtool's checkpoint/restore commands: dump, pre-dump and
 * restore. The board freezes, captures and rebuilds processes; crtool
 * writes and reads the image directories with libcrimg.
 */
#ifndef CRCMD_H
#define CRCMD_H

struct client;

int crcmd_dump(struct client *cl, int argc, char **argv);
int crcmd_pre_dump(struct client *cl, int argc, char **argv);
int crcmd_restore(struct client *cl, int argc, char **argv);

#endif /* CRCMD_H */
