/*
 * appcr.h - checkpoints of a group of processes (an application) on a
 * board: one consistent cut of every member, and the group brought back
 * all or nothing (docs/kernel.md, "Group checkpoints").
 *
 * The cut: every node holding a member is parked at a barrier between
 * two of its rounds; once all are parked, the last to park freezes every
 * member while the others wait, and none goes on until all are frozen.
 * No member runs between the first freeze and the last, so what one member's image holds as sent is
 * exactly what the others' hold as received or waiting: a message is in the receiver's queue (saved
 * with it) or its sender is stopped on the call (which runs again after the restore), never both or
 * neither.
 */
#ifndef APPCR_H
#define APPCR_H

#include <stddef.h>
#include <stdint.h>

#include "board/checkpoint.h"
#include "images/imgkind.h"

struct board;
struct crerr;

struct appcr_dump_opts {
	struct checkpoint_dump_opts base; /* its parent_id and parent_dir unused */
	const uint64_t *parent_ids;       /* per member: its parent set's id, 0 none; or NULL */
	const char *const *parent_dirs;   /* per member, relative to its set's directory */
};

struct appcr_dump_result {
	uint64_t cut_ns;                  /* host: the first member frozen to the last */
	uint64_t stream_bytes;            /* of every set */
	struct checkpoint_dump_result *m; /* per member (the caller's array of n) */
};

/*
 * Dumps the n processes pids (distinct, running) as one group: freezes
 * every one at one cut (a pre-dump needs none: each is frozen, copied and
 * thawed on its own, in parallel), captures each and streams its set to
 * files[i] (IMGKIND_COUNT descriptors, as checkpoint_dump's), all nodes
 * in parallel; then commit(ctx, bytes) says if the whole group is
 * stored. Once stored, a dump ends every member unless leave_running;
 * if anything fails, or the group is not stored, every member runs on as
 * before. Errors as checkpoint_dump's, and -EINVAL (a pid listed twice,
 * or none); e says which member and why.
 */
int appcr_dump(struct board *b, const uint32_t *pids, size_t n, const struct appcr_dump_opts *o,
               const int (*files)[IMGKIND_COUNT], int (*commit)(void *ctx, uint64_t stream_bytes),
               void *ctx, struct appcr_dump_result *r, struct crerr *e);

struct rebuild_result;

struct appcr_restore_result {
	uint64_t restore_ns;      /* host: the request to every member running */
	uint64_t resume_ns;       /* host: the first member thawed to the last */
	struct rebuild_result *m; /* per member (the caller's array of n) */
};

/*
 * Restores n image sets as one group: set i, whose stream is files[i]
 * (counts[i] descriptors, as rebuild_restore's), on nodes[i]
 * (BOARD_NODE_ANY: the compute cluster running fewest, counting the
 * group's). Checks everything first (every node within its limit of
 * processes, every set read and checked on the way to its node, every
 * pid free), rebuilds every member frozen, then thaws them together
 * (none runs before the last is rebuilt). All or nothing: if one member
 * cannot be restored, the members built are ended without a trace and
 * the board is as it was. With new_pid the group is a copy (beside its
 * original, or again): every member gets a fresh pid, and all live in
 * one pid name space where each still sees the pids they were dumped
 * with (rebuild_members_copy). Errors as rebuild_restore's, and -EINVAL
 * (two members with one pid); e says which member and why.
 */
int appcr_restore(struct board *b, size_t n, const int *nodes, const int *const *files,
                  const size_t *counts, int new_pid, struct appcr_restore_result *r,
                  struct crerr *e);

#endif /* APPCR_H */
