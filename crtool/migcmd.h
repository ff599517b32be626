/*
 * migcmd.h - crtool migrate: a process moved cluster to cluster through
 * the board (proto/rpc.proto MigrateRequest).
 */
#ifndef MIGCMD_H
#define MIGCMD_H

struct client;

/* crtool migrate -p PID --to NODE [--mode stop-copy] [--json]: the exit status. */
int migcmd_migrate(struct client *cl, int argc, char **argv);

#endif /* MIGCMD_H */
