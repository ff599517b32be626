/*
 * boardcmd.h - crtool's commands on the board: stats, check, shutdown.
 */
#ifndef BOARDCMD_H
#define BOARDCMD_H

#include "crtool/cmdline.h"

extern cmdline_opts boardcmd_stats_opts, boardcmd_check_opts, boardcmd_shutdown_opts;

int boardcmd_stats(struct cmdline *c);
int boardcmd_check(struct cmdline *c);
int boardcmd_shutdown(struct cmdline *c);

#endif /* BOARDCMD_H */
