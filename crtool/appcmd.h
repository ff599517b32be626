/*
 * appcmd.h - crtool's checkpoints of a group: dump and pre-dump of an
 * application (--app NAME) or of a set of pids (-p PID,PID,...) at one
 * cut, stored as a group directory (images/imgapp.h), and the restore
 * of such a directory, all members or none.
 */
#ifndef APPCMD_H
#define APPCMD_H

struct client;

/* 1 if argv (a dump's or pre-dump's options) names a group: --app, or a
 * -p with more than one pid. */
int appcmd_is_group(int argc, char **argv);

/* crtool dump|pre-dump --app NAME|-p PID,PID... -D DIR [...]: the exit
 * status. */
int appcmd_dump(struct client *cl, int argc, char **argv, int pre);

/* crtool restore -D DIR (a group directory) [--nodes LIST|--map
 * OLD:NEW,...] [--json] [--display-stats]: the exit status. */
int appcmd_restore(struct client *cl, int argc, char **argv);

#endif /* APPCMD_H */
