/*
 * capture.h - a process as an image set: its UArea, regions, pages and
 * IKC endpoints, read through the cluster kernel's narrow interface
 * (kernel/kcr.h), so the same code could sit in a
 * real microkernel. The caller has the process stopped (nothing runs on
 * its cluster meanwhile).
 */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <stdint.h>

#include "images/imgchain.h"
#include "kernel/kcr.h"

struct capture_opts {
	int pre_dump; /* pages only */
	/*
	 * With a parent (parent_id not 0): pages not dirtied since the last
	 * kcr_clean_pages are recorded in-parent, not copied. The caller
	 * vouches that the parent set was captured at that clean.
	 */
	uint64_t parent_id;
	const char *parent_dir; /* the parent's directory, relative to the new set's */
	/* Instead of the page's dirty bit, compare with this chain's copy
	 * (for tools that capture without a clean, e.g. tests/images). */
	const struct imgchain *parent_chain;
	/* Leave the present pages where they lie (set->page_at, no copy):
	 * the set is then good only while the process stays frozen and its
	 * cluster does nothing else, e.g. to be written at once. */
	int in_place;
	/* Post-copy (with in_place): mapped pages outside the stacks are
	 * recorded lazy, not taken, zero or not (none is read in the
	 * downtime); lazy is told where each lies (0, or -errno to fail
	 * the capture). */
	int (*lazy)(void *ctx, uint32_t va, const uint8_t *page);
	void *lazy_ctx;
};

/*
 * Captures process pid of cluster c into a new image set *out (free with
 * imgset_free): all-zero pages recorded as zero, the rest present (or in
 * the parent); with its IKC endpoints, the messages and signals queued
 * for them on the NoC. Returns 0, -ESRCH (no such process), -ENOMEM, or
 * -EINVAL with e saying what cannot be captured.
 */
int capture_process(struct cluster *c, uint32_t pid, const struct capture_opts *o,
                    struct imgset **out, struct crerr *e);

#endif /* CAPTURE_H */
