/*
 * migcmd.h - crtool's migrations: migrate (a process, or a group every
 * member at once) and drain (every process off a cluster).
 */
#ifndef MIGCMD_H
#define MIGCMD_H

#include "crtool/cmdline.h"

extern cmdline_opts migcmd_migrate_opts, migcmd_drain_opts;

int migcmd_migrate(struct cmdline *c);
int migcmd_drain(struct cmdline *c);

#endif /* MIGCMD_H */
