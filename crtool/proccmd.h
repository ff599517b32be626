/*
 * proccmd.h - crtool's commands on processes: run, ps, kill, wait, logs.
 * Each takes the command line read (cmdline.h) and returns crtool's exit
 * status.
 */
#ifndef PROCCMD_H
#define PROCCMD_H

#include "crtool/cmdline.h"

extern cmdline_opts proccmd_run_opts, proccmd_ps_opts, proccmd_kill_opts, proccmd_wait_opts,
	proccmd_logs_opts;

int proccmd_run(struct cmdline *c);
int proccmd_ps(struct cmdline *c);
int proccmd_kill(struct cmdline *c);
int proccmd_wait(struct cmdline *c);
int proccmd_logs(struct cmdline *c);

#endif /* PROCCMD_H */
