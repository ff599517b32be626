/*
 * mesh.h - the NoC's 2D mesh and its model of time.
 *
 * Node i sits at column i % mesh_width, row i / mesh_width; a transfer
 * takes the XY route, |dx| + |dy| hops, and lasts hops x hop latency +
 * bytes / link bandwidth (the profile's). Each transfer counts messages,
 * bytes, hops and that modelled time against its source node.
 */
#ifndef MESH_H
#define MESH_H

#include <stdint.h>

struct noc;

/* Counters of one node's outgoing traffic (or a board's, summed). */
struct noc_stats {
	uint64_t messages;        /* mailbox messages, portal chunks, signals */
	uint64_t bytes;           /* payload bytes */
	uint64_t hops;            /* router hops, summed over messages */
	uint64_t model_ns;        /* modelled transfer time, summed */
	uint64_t kernel_messages; /* of which kernel-to-kernel (name service) */
};

/* Router hops from a to b (XY routing on the mesh). */
uint32_t mesh_hops(const struct noc *n, uint32_t a, uint32_t b);

/* Modelled ns for bytes to go from a to b as one message. */
uint64_t mesh_transfer_ns(const struct noc *n, uint32_t a, uint32_t b, uint64_t bytes);

/* Copies node's counters (a node past the board's last: the whole
 * board's) to *st. */
void mesh_get_stats(struct noc *n, uint32_t node, struct noc_stats *st);

#endif /* MESH_H */
