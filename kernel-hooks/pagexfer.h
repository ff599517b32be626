/*
 * pagexfer.h - how the bytes of pages get from where they lie to where
 * they belong, for every path C/R has (design.md §5): a dump's image
 * files (the pages encoded on the process's node, stored on the node
 * that talks to crtool), a restore's and a pre-copy round's frames (the
 * pages moved out of a stream into the process's new frames), and a
 * post-copy's pages (each brought when first touched).
 *
 * One ops struct, a backend for each way across:
 *   memory     the bytes are in this address space: image files mapped
 *              or memfds, a set in memory (pagexfer_memory);
 *   NoC        the kernel portal between two nodes, every byte a portal
 *              write of the NoC model (transfer.h);
 *   on fault   a post-copy's pages, fetched from the node they moved
 *              from when the process touches them (postcopy.h).
 * A backend does what it can; an operation it cannot do is NULL.
 */
#ifndef PAGEXFER_H
#define PAGEXFER_H

#include <stddef.h>
#include <stdint.h>

#include "images/imgchan.h"
#include "images/imgset.h"

struct pagexfer;

struct pagexfer_ops {
	/* Moves count units of unit bytes, back to back at src, the k-th to
	 * dst[k] (pages into frames): 0 or -errno. */
	int (*move)(struct pagexfer *x, void *const *dst, const void *src, size_t unit,
	            unsigned count);
	/* Writes n bytes at src to channel out on the other side (an image
	 * file): 0 or -errno. */
	int (*write)(struct pagexfer *x, const struct imgchan *out, const void *src, size_t n);
	/* Brings the bytes of page va into frame, the first time the
	 * process touches it (a kcr_fill_fn, kernel/kcr.h): 0 or -errno.
	 * va KCR_FILL_DONE (frame NULL): no page will be asked for again. */
	int (*fetch)(struct pagexfer *x, uint32_t va, uint8_t *frame);
};

/* A backend embeds this first. */
struct pagexfer {
	const struct pagexfer_ops *ops;
};

/* The memory backend: plain copies and writes. */
extern struct pagexfer pagexfer_memory;

/* Moves n bytes at src to dst through x. */
int pagexfer_move(struct pagexfer *x, void *dst, const void *src, size_t n);

/* x->ops->fetch as a kcr_fill_fn (ctx is x), for a build's remote pages. */
int pagexfer_fetch(void *ctx, uint32_t va, uint8_t *frame);

/*
 * Channels over a transfer (imgchan.h). A channel out: what is written
 * to it crosses through x into out (an image file on the other side). A
 * channel in: reads cross through x from segs, which lie on the other
 * side; a take lends bytes where they lie there, for the reader to move
 * through x later (a restore's page payloads, straight into frames).
 */
struct pagexfer_out {
	struct pagexfer *x;
	struct imgchan out;
};
struct imgchan pagexfer_chan_out(struct pagexfer_out *o);

struct pagexfer_in {
	struct pagexfer *x;
	struct imgsegs segs;
};
struct imgchan pagexfer_chan_in(struct pagexfer_in *in);

#endif /* PAGEXFER_H */
