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

struct checkpoint_restore_result {
	uint32_t pid, node;
	uint64_t stream_bytes;
	uint64_t model_ns;   /* the NoC model's time for the stream */
	uint64_t restore_ns; /* host: decoding, checking and rebuilding */
};

/*
 * Restores the image set whose stream is the contents of files (n
 * descriptors, read back to back: a dump set that stands alone, see
 * imgchain_stream_files; at most CHECKPOINT_RESTORE_MAX bytes) on node
 * (BOARD_NODE_ANY: the compute cluster running fewest processes). The
 * I/O node maps the files; the node reads the set from there over the
 * kernel portal and validates all of it against itself and its profile
 * before it takes anything, then maps the process's pages and has each
 * block of pages.img moved by the portal straight into its frames,
 * checked as it lands; then thaws the process. The pid is the image's,
 * or with new_pid a fresh one. All or nothing. Errors: -EINVAL (no such
 * node), -EBADF (a descriptor is not a readable file), -EFBIG (too
 * large), -EBADMSG (the stream is not a valid image set), -EPROTO (it
 * does not fit this board: profile, layout), -EEXIST (pid in use),
 * -EAGAIN (the node runs its limit of processes), -ENOMEM, -ENOSPC (no
 * free NoC endpoints).
 */
int checkpoint_restore(struct board *b, int node, const int *files, size_t n, int new_pid,
                       struct checkpoint_restore_result *r, struct crerr *e);

/* Bytes a restore stream may have. */
#define CHECKPOINT_RESTORE_MAX (1ull << 30)

/* Freezes pid once it has retired insns instructions (a checkpoint point;
 * run mode calls cfg.on_stop then). 0 or -ESRCH. */
int checkpoint_set_stop(struct board *b, uint32_t pid, uint64_t insns);

/* Thaws a frozen process. 0 or -ESRCH. */
int checkpoint_thaw(struct board *b, uint32_t pid);

#endif /* CHECKPOINT_H */
