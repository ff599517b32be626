/*
 * restore.h - an image set made a process again on a cluster, through
 * the cluster kernel's narrow interface (kernel/kcr.h), so the same
 * code could sit in a real microkernel. A flat list of stages: every
 * kind of object checks the set (crobj.h), the build begins, every kind
 * restores into it, the build commits; one rollback undoes any failure.
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

struct pages_rounds;
struct pagexfer;

struct restore_opts {
	uint32_t pid; /* 0: the set's */
	int frozen;   /* leave it frozen (the caller thaws it) */
	/* A migration: the process still lives (frozen) on this node, and
	 * the commit takes its NoC presence over from there, with what is
	 * queued for it now (kcr_build_begin_move); the set's endpoint
	 * queues are not loaded. -1: a plain restore. */
	int move_from;
	/* How the set's page bytes move into the new frames (pagexfer.h:
	 * the NoC's portal from where the stream lies); NULL: plain copies. */
	struct pagexfer *xfer;
	/* Post-copy: the set's lazy pages are mapped remote, and this
	 * fetches each when first touched. NULL: a lazy page is an error. */
	struct pagexfer *lazy;
	/* A pre-copy migration's rounds, landed while the process ran: the
	 * set is the last round, its in-parent pages are there already, and
	 * the rebuild takes the rounds' pages over (pages.h). NULL: the set
	 * must stand alone. */
	struct pages_rounds *rounds;
	/* A copy beside its original (restore --new-pid): pids from[i] (as
	 * dumped) are to[i] now, in the process's endpoints and in what the
	 * NoC holds for it; n 0: none. */
	struct restore_renumber {
		size_t n;
		const uint32_t *from, *to;
	} renumber;
	/* The pid name space it is built into (pidns.h); NULL: the set's. */
	const struct pidns *ns;
};

/*
 * Restores set s, a validated dump set whose pages are all in it (no
 * in-parent runs, unless o->stage holds them; for a chain of sets on
 * disk see imgchain_stream_files; lazy runs only with o->lazy), as a
 * process of cluster c. The
 * pages may be by reference (imgset_read_inplace): each block is
 * checked as it lands in its frames. Returns 0, or -EINVAL (the set does
 * not fit this cluster or profile), -EBADMSG (a page block is damaged),
 * -EEXIST (pid in use), -EAGAIN (process table full), -ENOMEM (not
 * enough free frames), -ENOSPC (no free NoC endpoints); e says which.
 */
int restore_process(struct cluster *c, const struct imgset *s, const struct restore_opts *o,
                    struct crerr *e);

/* The virtual node the process of set s is known by once restored on
 * node: its own, kept for life, or node itself for images from before
 * virtual nodes. */
uint32_t restore_vnode(const struct imgset *s, uint32_t node);

/* pid as the restore gives it: renumbered (o->renumber), or as it was. */
uint32_t restore_pid(const struct restore_opts *o, uint32_t pid);

/* The pid name space of set s into *ns: 1 if it has one, else 0. */
int restore_set_pidns(const struct imgset *s, struct pidns *ns);

/* 0 if c has room for pages more user pages, else -ENOMEM with e
 * saying how much is missing. */
int restore_check_room(struct cluster *c, uint32_t pages, struct crerr *e);

#endif /* RESTORE_H */
