/*
 * migcmd.h - crtool migrate: a process moved cluster to cluster through
 * the board (proto/rpc.proto MigrateRequest).
 */
#ifndef MIGCMD_H
#define MIGCMD_H

#include <jansson.h>
#include <stdint.h>

#include "proto/rpc.pb-c.h"

struct client;

/* crtool migrate -p PID --to NODE [--mode stop-copy] [--json], or a group
 * (-p PID,PID..., --app NAME; --to LIST or --map: groupcmd.h): the exit
 * status. */
int migcmd_migrate(struct client *cl, int argc, char **argv);

/* The protocol's mode named name (stop-copy, pre-copy, post-copy), or -1. */
int migcmd_mode_of(const char *name);
/* The name of mode. */
const char *migcmd_mode_name(Crtool__MigrateMode mode);

/* One process's move, as lines on stdout or as a JSON object. */
void migcmd_print_reply(uint32_t pid, const Crtool__MigrateReply *m, Crtool__MigrateMode mode);
json_t *migcmd_reply_json(uint32_t pid, const Crtool__MigrateReply *m, Crtool__MigrateMode mode);

#endif /* MIGCMD_H */
