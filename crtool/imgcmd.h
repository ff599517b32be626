/*
 * imgcmd.h - crtool's offline image commands: show, decode, encode,
 * verify, diff. They read and write image files with libcrimg and need
 * no board. Each takes crtool's argv from the command name on and returns
 * crtool's exit status.
 */
#ifndef IMGCMD_H
#define IMGCMD_H

#include "crtool/client.h"

int imgcmd_show(struct client *cl, int argc, char **argv);
int imgcmd_decode(struct client *cl, int argc, char **argv);
int imgcmd_encode(struct client *cl, int argc, char **argv);
int imgcmd_verify(struct client *cl, int argc, char **argv);
int imgcmd_diff(struct client *cl, int argc, char **argv);

#endif /* IMGCMD_H */
