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

#include "images/imgstream.h"

struct noc;

struct transfer {
	struct noc *noc;
	uint32_t src, dst;
	uint32_t max;           /* bytes a portal write moves at most */
	const struct imgchan *out; /* dst hands the bytes on (NULL: into mem) */
	struct imgmem *mem;     /* dst's buffer when out is NULL */
	uint8_t *buf;           /* dst's portal buffer (with out) */
	uint64_t now_ns;        /* modelled time of the next write */
	uint64_t model_ns;      /* modelled time of the writes so far */
	uint64_t bytes;
	uint32_t writes;
};

/*
 * Sets t up to move bytes from node src to node dst, portal_max bytes at
 * most a write, starting at modelled time now_ns; at dst they go to out,
 * or, if out is NULL, are appended to mem (the portal writes straight
 * into it). 0 or -ENOMEM.
 */
int transfer_init(struct transfer *t, struct noc *noc, uint32_t src, uint32_t dst,
		  uint32_t portal_max, uint64_t now_ns, const struct imgchan *out,
		  struct imgmem *mem);
void transfer_fini(struct transfer *t);

/* The channel whose writes are the transfer's. */
struct imgchan transfer_chan(struct transfer *t);

#endif /* TRANSFER_H */
