/*
 * rebuild.h - restores on a board: an image set's stream, from files
 * crtool opened, read by the target node across the NoC from the I/O
 * node and made a process again there (kernel-hooks/restore.h); alone,
 * or as a member of a group that is restored all or nothing (appcr.h).
 */
#ifndef REBUILD_H
#define REBUILD_H

#include <stddef.h>
#include <stdint.h>

struct board;
struct bnode;
struct crerr;

struct rebuild_result {
	uint32_t pid, node;
	uint64_t stream_bytes;
	uint64_t model_ns;   /* the NoC model's time for the stream */
	uint64_t restore_ns; /* host: decoding, checking and rebuilding */
};

/* Bytes a restore stream may have. */
#define REBUILD_MAX (1ull << 30)

/*
 * Restores the image set whose stream is the contents of files (n
 * descriptors, read back to back: a dump set that stands alone, see
 * imgchain_stream_files; at most REBUILD_MAX bytes) on node
 * (BOARD_NODE_ANY: the compute cluster running fewest processes). The
 * I/O node maps the files; the node reads the set from there over the
 * kernel portal and validates all of it against itself and its profile
 * before it takes anything, then maps the process's pages and has each
 * block of pages.img moved by the portal straight into its frames,
 * checked as it lands; then thaws the process. The pid is the image's,
 * or with new_pid a fresh one if that one runs: the process is then a
 * copy in a pid name space of its own, where it still sees the pid it
 * was dumped with (rebuild_members_copy). All or nothing. Errors: -EINVAL (no such
 * node), -EBADF (a descriptor is not a readable file), -EFBIG (too
 * large), -EBADMSG (the stream is not a valid image set), -EPROTO (it
 * does not fit this board: profile, layout), -EEXIST (pid in use),
 * -EAGAIN (the node runs its limit of processes), -ENOMEM, -ENOSPC (no
 * free NoC endpoints).
 */
int rebuild_restore(struct board *b, int node, const int *files, size_t n, int new_pid,
                    struct rebuild_result *r, struct crerr *e);

/*
 * A member of a group restore, in steps, so that every set is read and
 * checked and every pid found free before anything is built, and all
 * are resumed together: open (map the files, read and check the set on
 * the way to node), record (board lock held: the pid is free; it is
 * recorded running on node), build (on its node: rebuilt, frozen), then
 * thaw (on its node), or undo (on its node: a built member ended
 * without a trace; then its record is put back as it was) and free.
 */
struct rebuild_member;

int rebuild_member_open(struct board *b, uint32_t node, const int *files, size_t n,
                        struct rebuild_member **out, struct crerr *e);
uint32_t rebuild_member_pid(const struct rebuild_member *m);
uint32_t rebuild_member_node(const struct rebuild_member *m);
struct crerr *rebuild_member_err(struct rebuild_member *m);
/* Which pid a member gets: its own (-EEXIST if it runs), its own unless
 * it runs, or a fresh one. */
enum rebuild_pid { REBUILD_PID_KEEP, REBUILD_PID_IF_USED, REBUILD_PID_FRESH };
/* Board lock held. 0, or -EEXIST (its pid runs), said in e. */
int rebuild_member_record(struct board *b, struct rebuild_member *m, enum rebuild_pid how,
                          struct crerr *e);
/* Once the n members are recorded: if any has a pid other than its
 * set's, they are a copy, and each is built into a pid name space of
 * them all (kernel/pidns.h): its peers see it by the pid its set says
 * (the one it was dumped with, or the one it had in its own name space
 * then) and the board by its new one; every pid of the group in its set
 * is renumbered. 0, or -EINVAL (too many) or -ENOMEM, said in e. */
int rebuild_members_copy(struct board *b, struct rebuild_member **m, size_t n, struct crerr *e);
/* node_call functions; arg is the member. */
int rebuild_member_build(struct board *b, struct bnode *nd, void *arg);
int rebuild_member_thaw(struct board *b, struct bnode *nd, void *arg);
int rebuild_member_undo(struct board *b, struct bnode *nd, void *arg);
/* Puts its record back as before rebuild_member_record (after undo, or
 * a build that failed). Takes the board lock. */
void rebuild_member_unrecord(struct board *b, struct rebuild_member *m);
/* Frees m; r (if not NULL) gets its figures. NULL is ignored. */
void rebuild_member_free(struct rebuild_member *m, struct rebuild_result *r);

#endif /* REBUILD_H */
