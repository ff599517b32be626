/*
 * proccmd.h - crtool's commands on the board's processes: run, ps, kill,
 * wait and logs (docs/cli.md). Each takes its argv (argv[0] the
 * command's name) and returns crtool's exit status.
 */
#ifndef PROCCMD_H
#define PROCCMD_H

struct client;

int proccmd_run(struct client *cl, int argc, char **argv);
int proccmd_ps(struct client *cl, int argc, char **argv);
int proccmd_kill(struct client *cl, int argc, char **argv);
int proccmd_wait(struct client *cl, int argc, char **argv);
int proccmd_logs(struct client *cl, int argc, char **argv);

#endif /* PROCCMD_H */
