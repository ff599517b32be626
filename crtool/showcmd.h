/*
 * showcmd.h - crtool show: the summary of an image set and its parents
 * (threads, regions, pages, sizes, endpoints), as text or as one object
 * (crtool.show/1); offline, no board needed.
 */
#ifndef SHOWCMD_H
#define SHOWCMD_H

#include "crtool/cmdline.h"

extern cmdline_opts showcmd_show_opts;

int showcmd_show(struct cmdline *c);

#endif /* SHOWCMD_H */
