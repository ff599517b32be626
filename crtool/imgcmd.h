/*
 * imgcmd.h - crtool's offline image commands: decode, encode, verify
 * (show: showcmd.h; diff: diffcmd.h). They read and write image files with libcrimg and need
 * no board. Each takes crtool's argv from the command name on and returns
 * crtool's exit status.
 */
#ifndef IMGCMD_H
#define IMGCMD_H

#include "crtool/cmdline.h"

int imgcmd_decode(struct cmdline *c);
int imgcmd_encode(struct cmdline *c);
int imgcmd_verify(struct cmdline *c);

extern cmdline_opts imgcmd_decode_opts, imgcmd_encode_opts, imgcmd_verify_opts;

#endif /* IMGCMD_H */
