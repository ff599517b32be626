/*
 * transfer.h - image streams between two nodes' kernels over the NoC's
 * kernel portal (design.md §5): a dump goes from the process's node to
 * the I/O node that talks to crtool, a restore from the I/O node to the
 * target node. Every byte is one portal write of the NoC model, so its
 * statistics and modelled time account for all of it.
 */
#ifndef TRANSFER_H
#define TRANSFER_H

#include <stdint.h>

#include "images/imgchan.h"

struct noc;

struct transfer {
	struct noc *noc;
	uint32_t src, dst;
	uint32_t max;      /* bytes a portal write moves at most */
	uint8_t *buf;      /* dst's portal buffer (for ports) */
	uint64_t now_ns;   /* modelled time of the next write */
	uint64_t model_ns; /* modelled time of the writes so far */
	uint64_t bytes;
	uint32_t writes;
	/* Fault injection (0: none). Write number fail_at fails (-EIO);
	 * number drop_at is lost (the sender sees it go, nothing lands);
	 * number corrupt_at lands with one byte changed; every write takes
	 * delay_ns more host time. */
	uint32_t fail_at, drop_at, corrupt_at;
	uint32_t delay_ns;
};

/* Sets t up to move bytes from node src to node dst, portal_max bytes at
 * most a write, starting at modelled time now_ns. */
void transfer_init(struct transfer *t, struct noc *noc, uint32_t src, uint32_t dst,
                   uint32_t portal_max, uint64_t now_ns);
void transfer_fini(struct transfer *t);

/* Moves n bytes at src_buf (src's memory) to dst_buf (dst's memory), in
 * portal writes. 0 or -errno. */
int transfer_move(struct transfer *t, void *dst_buf, const void *src_buf, size_t n);

/* Moves count units of unit bytes at src_buf, the k-th to dst_bufs[k]
 * (pages into frames), in as few portal writes as fit. 0 or -errno. */
int transfer_scatter(struct transfer *t, void *const *dst_bufs, const void *src_buf, size_t unit,
                     unsigned count);

/* transfer_scatter as a restore's transport (restore_opts.move, ctx the
 * struct transfer). */
int transfer_restore_move(void *ctx, void *const *dst, const void *src, size_t unit,
                          unsigned count);

/* A channel written on src: the bytes cross into dst's portal buffer, a
 * buffer at a time, and dst hands each to out (a file of the image set). */
struct transfer_port {
	struct transfer *t;
	struct imgchan out;
};
struct imgchan transfer_port_chan(struct transfer_port *p);

/* A channel read on dst from a stream lying in src's memory (segs): a
 * read moves the bytes across into the reader's buffer; a take lends
 * them where they lie on src, for the reader to move later with
 * transfer_move (a restore's page payloads, straight into frames). */
struct transfer_source {
	struct transfer *t;
	struct imgsegs segs;
};
struct imgchan transfer_source_chan(struct transfer_source *s);

#endif /* TRANSFER_H */
