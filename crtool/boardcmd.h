/*
 * boardcmd.h - crtool's commands on the board itself: stats, check and
 * shutdown (docs/cli.md). Each takes its argv (argv[0] the command's
 * name) and returns crtool's exit status.
 */
#ifndef BOARDCMD_H
#define BOARDCMD_H

struct client;

int boardcmd_stats(struct client *cl, int argc, char **argv);
int boardcmd_check(struct client *cl, int argc, char **argv);
int boardcmd_shutdown(struct client *cl, int argc, char **argv);

#endif /* BOARDCMD_H */
