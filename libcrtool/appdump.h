/*
 * appdump.h - checkpoints of a group: every member frozen at one cut and
 * stored as one directory (app.img and a set per member), all or none;
 * and its restore, all or nothing. crt_dump and crt_restore come here
 * for a group.
 */
#ifndef APPDUMP_H
#define APPDUMP_H

#include "libcrtool/libcrtool.h"

/* A group's dump or pre-dump (o->app, or several pids), o checked and
 * o->dir found ready by crt_dump. */
int appdump_dump(crt_board *b, const struct crt_dump_opts *o, struct crt_dump_result **out);

/* The restore of the group dump in o->dir. */
int appdump_restore(crt_board *b, const struct crt_restore_opts *o,
                    struct crt_restore_result **out);

#endif /* APPDUMP_H */
