/*
 * crcmd.h - crtool's checkpoint commands: dump, pre-dump and restore, of
 * a process or a group (libcrtool stores and opens the images).
 */
#ifndef CRCMD_H
#define CRCMD_H

#include "crtool/cmdline.h"

extern cmdline_opts crcmd_dump_opts, crcmd_pre_dump_opts, crcmd_restore_opts;

int crcmd_dump(struct cmdline *c);
int crcmd_pre_dump(struct cmdline *c);
int crcmd_restore(struct cmdline *c);

#endif /* CRCMD_H */
