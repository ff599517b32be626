/*
 * transfer.h - the NoC backend of the page transfer (pagexfer.h): bytes
 * between two nodes' kernels over the NoC's kernel portal (design.md §5).
 * A dump's files go from the process's node to the I/O node that talks
 * to crtool, a restore's stream from the I/O node to the target node, a
 * migration's from its source to its target. Every byte is one portal
 * write of the NoC model, so its statistics and modelled time account
 * for all of it.
 */
#ifndef TRANSFER_H
#define TRANSFER_H

#include <stdint.h>

#include "kernel-hooks/pagexfer.h"

struct noc;

struct transfer {
	struct pagexfer x; /* this backend's ops (first: a struct pagexfer * is one) */
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

#endif /* TRANSFER_H */
