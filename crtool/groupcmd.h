/*
 * groupcmd.h - crtool's commands on groups of processes: a migration of
 * several at once (crtool migrate --app NAME, -p PID,PID..., --map) and
 * crtool drain, which moves every process off one cluster. Each member
 * moves on a connection of its own, all in parallel; a member that
 * cannot move runs on where it was (each migration is whole or nothing).
 */
#ifndef GROUPCMD_H
#define GROUPCMD_H

#include <stddef.h>
#include <stdint.h>

#include "images/imgparams.h"
#include "proto/rpc.pb-c.h"

struct client;

/* A member of a group, as the board's ps shows it. */
struct gmember {
	uint32_t pid;
	uint32_t node; /* where it runs */
	int to;        /* where it goes; -1: it stays */
	Crtool__Reply *rp;
	int rc; /* CRT_* of its move */
	uint32_t vnode;
	char app[CRIMG_APP_MAX + 1]; /* its application's name, "" if none */
};

/*
 * The running processes chosen: members of app (if not NULL) and the
 * pids listed (each must run), or every one if neither is given; of
 * those, the ones on node (if >= 0); in pid order. *out is
 * malloc'd. CRT_OK, or CRT_NO_PROCESS (said) for a listed pid that does
 * not run.
 */
int groupcmd_select(struct client *cl, const char *app, const uint32_t *pids, size_t npids,
                    int node, struct gmember **out, size_t *n);

/* Where a group's members go: to (LIST: one node for all, or one per
 * member, in pid order) or map (OLD:NEW pairs: a member on node OLD goes
 * to NEW, the others stay). */
struct groupcmd_where {
	const char *to;  /* a node list, or NULL */
	const char *map; /* OLD:NEW,..., or NULL */
};

/* Moves the running processes of application app (NULL: none chosen by
 * it) and the pids listed (npids of them) as where says, in mode, all at
 * once; prints each one's figures and the total (json: one object).
 * The exit status: CRT_OK if every one moved, CRT_FAILED if one could
 * not (it runs on where it was, and so do the others that failed). */
int groupcmd_migrate(struct client *cl, const char *app, const uint32_t *pids, size_t npids,
                     const struct groupcmd_where *where, Crtool__MigrateMode mode,
                     uint32_t max_rounds, int json);

/* crtool drain --node N [--to LIST] [--mode M] [--json]: the exit status. */
int groupcmd_drain(struct client *cl, int argc, char **argv);

#endif /* GROUPCMD_H */
