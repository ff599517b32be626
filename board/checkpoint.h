/*
 * checkpoint.h - checkpoint and restore on a board: the kernel hooks
 * (kernel-hooks/) run on the process's node, and the image stream
 * crosses the NoC between that node and the I/O node that talks to
 * crtool; stop points and thaws for the checkpoints run mode takes.
 */
#ifndef CHECKPOINT_H
#define CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

struct board;
struct crerr;

struct imgchan;

struct checkpoint_dump_opts {
	int pre_dump;           /* pages only; the process runs on */
	int leave_running;      /* a dump: thaw it after, rather than end it */
	int track_mem;          /* clean dirty bits: a later dump may name this one as parent */
	uint64_t parent_id;     /* 0: none; else the pid's last tracked capture */
	const char *parent_dir; /* the parent's directory, relative to the new one */
	int level;              /* zstd level of the pages; 0: raw */
};

struct checkpoint_dump_result {
	uint32_t node;      /* where the process ran */
	uint64_t id;        /* of the image set */
	uint64_t freeze_ns; /* host: request to every thread stopped */
	uint64_t frozen_ns; /* host: stopped until thawed or ended */
	uint64_t stream_bytes;
	uint64_t model_ns; /* the NoC model's time for the stream */
};

/*
 * Checkpoints process pid: freezes it between two instructions, captures
 * it, and streams the image set over the NoC's kernel portal from its
 * node to the I/O node, which writes each file of the set to files[k]
 * (IMGKIND_COUNT descriptors, by kind, open for writing; the kinds a set
 * does not have are left empty). Then commit(ctx, bytes written) says if
 * the images are stored (0) or not (a negative errno): once stored, a
 * dump ends the process (killed_by "dumped") unless leave_running; a
 * pre-dump runs on in any case (thawed as soon as its pages are copied);
 * if anything fails the process runs on as before and the error is
 * returned. Errors: -ESRCH (no such running process), -ESTALE (parent_id
 * is not its last tracked capture), -ENOMEM, or what out or commit gave;
 * e says what happened.
 */
int checkpoint_dump(struct board *b, uint32_t pid, const struct checkpoint_dump_opts *o,
                    const int *files, int (*commit)(void *ctx, uint64_t stream_bytes), void *ctx,
                    struct checkpoint_dump_result *r, struct crerr *e);

/*
 * A member of a group dump (appcr.c), in steps, so that every member is
 * frozen at one cut before any is captured: new (its node found, its
 * parent checked), freeze (on its node: stop it; seal it for a dump
 * that ends it), capture (on its node: capture it and stream its set to
 * files through the I/O node; a pre-dump freezes, copies and thaws it
 * here instead), then, once the group is stored or not (set_end), end
 * (on its node: end it or thaw it) and free. A member's errors go to its
 * own carrier (err), as members run in parallel.
 */
struct bnode;
struct checkpoint_member;

int checkpoint_member_new(struct board *b, uint32_t pid, const struct checkpoint_dump_opts *o,
                          const int *files, struct checkpoint_member **out, struct crerr *e);
uint32_t checkpoint_member_node(const struct checkpoint_member *m);
struct crerr *checkpoint_member_err(struct checkpoint_member *m);
/* Bytes of its set streamed so far. */
uint64_t checkpoint_member_stream_bytes(const struct checkpoint_member *m);
/* Host time of its freeze (kcr_now_ns), once frozen. */
uint64_t checkpoint_member_frozen_at(const struct checkpoint_member *m);
int checkpoint_member_freeze(struct board *b, struct bnode *nd, struct checkpoint_member *m);
/* node_call functions; arg is the member. */
int checkpoint_member_capture(struct board *b, struct bnode *nd, void *arg);
int checkpoint_member_end(struct board *b, struct bnode *nd, void *arg);
/* ok: the group's images are stored; kill: end it (else thaw it). */
void checkpoint_member_set_end(struct checkpoint_member *m, int ok, int kill);
/* Frees m; r (if not NULL) gets its figures. NULL is ignored. */
void checkpoint_member_free(struct checkpoint_member *m, struct checkpoint_dump_result *r);

/* Freezes pid once it has retired insns instructions (a checkpoint point;
 * run mode calls cfg.on_stop then). 0 or -ESRCH. */
int checkpoint_set_stop(struct board *b, uint32_t pid, uint64_t insns);

/* Thaws a frozen process. 0 or -ESRCH. */
int checkpoint_thaw(struct board *b, uint32_t pid);

#endif /* CHECKPOINT_H */
