/*
 * restore.h - an image set made a process again on a cluster, through
 * the cluster kernel's narrow interface (kernel/kcr.h), so the same
 * code could sit in a real microkernel.
 *
 * All or nothing: the set is checked against the target cluster and its
 * profile (kind, profile, stack layout, thread slots, regions inside the
 * user range, endpoints, free frames) before anything is taken; a step
 * that still fails (frames run out, the pid appears elsewhere) undoes
 * everything, so a failed restore leaves the cluster as it was.
 */
#ifndef RESTORE_H
#define RESTORE_H

#include <stddef.h>
#include <stdint.h>

#include "images/imgset.h"
#include "kernel/kcr.h"

struct restore_stage;

struct restore_opts {
	const char *profile; /* the board profile's name: the set's must match */
	uint32_t pid;        /* 0: the set's */
	int frozen;          /* leave it frozen (the caller thaws it) */
	/* The transport that moves page bytes from the stream into the new
	 * frames (a NoC portal: the board's I/O node to this one): count
	 * units of unit bytes back to back at src, the k-th to dst[k]; NULL:
	 * plain copies. 0 or -errno. */
	int (*move)(void *ctx, void *const *dst, const void *src, size_t unit, unsigned count);
	void *move_ctx;
	/* A migration: the process still lives (frozen) on this node, and
	 * the commit takes its NoC presence over from there, with what is
	 * queued for it now (kcr_build_begin_move); the set's endpoint
	 * queues are not loaded. -1: a plain restore. */
	int move_from;
	/* Post-copy: the set's lazy pages are mapped remote, and fill brings
	 * each in when first touched (vm.h). NULL: a lazy page is an error. */
	kcr_fill_fn fill;
	void *fill_ctx;
	/* A pre-copy migration's rounds, landed while the process ran: the
	 * set is the last round, its in-parent pages are there already, and
	 * the rebuild takes the stage's pages over. NULL: the set must stand
	 * alone. */
	struct restore_stage *stage;
};

/*
 * A pre-copy migration's target lands each round of pages (a pre-dump
 * set: the pages written since the round before, the others in-parent)
 * as it comes, into an address space of the cluster kept for the
 * process (kcr_space), while the process still runs on its source.
 * Every round must be the child of the one before (imgcheck_parent);
 * pages a round no longer lists are unmapped, and every page takes its
 * region's permissions. The last set, a dump, is then restored with
 * restore_opts.stage: only its own pages land while the process is
 * frozen. A stage holds frames of the cluster until it is freed (or
 * spent by a restore, which frees nothing: free it still).
 */
/* NULL if out of memory. */
struct restore_stage *restore_stage_new(struct cluster *c);
void restore_stage_free(struct restore_stage *st);
/* Lands round s (which the stage keeps, until the next round or free;
 * on error it is freed), its pages moved by o->move. 0, or -EINVAL (not
 * the child of the round before, or pages outside its regions), -EBADMSG
 * (a damaged page block), -ENOMEM (out of frames): the stage is then
 * unusable (free it); err says why. */
int restore_stage_round(struct restore_stage *st, struct imgset *s, const struct restore_opts *o,
                        char *err, size_t errlen);

/*
 * Restores set s, a validated dump set whose pages are all in it (no
 * in-parent runs, unless o->stage holds them; for a chain of sets on
 * disk see imgchain_stream_files; lazy runs only with o->fill), as a
 * process of cluster c. The
 * pages may be by reference (imgset_read_inplace): each block is
 * checked as it lands in its frames. Returns 0, or -EINVAL (the set does
 * not fit this cluster or profile), -EBADMSG (a page block is damaged),
 * -EEXIST (pid in use), -EAGAIN (process table full), -ENOMEM (not
 * enough free frames), -ENOSPC (no free NoC endpoints); err says which.
 */
int restore_process(struct cluster *c, const struct imgset *s, const struct restore_opts *o,
                    char *err, size_t errlen);

/* Frames (user pages) restoring s takes. */
uint32_t restore_pages_needed(const struct imgset *s);

/* 0 if c has room for pages more user pages, else -ENOMEM with err
 * saying how much is missing. */
int restore_check_room(struct cluster *c, uint32_t pages, char *err, size_t errlen);

#endif /* RESTORE_H */
