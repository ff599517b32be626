/*
 * profile.h - board profiles: the shape and the figures of an emulated
 * manycore (design.md §3).
 *
 * A profile is a constant description; nothing in it changes while a board
 * runs. Clusters are numbered I/O first, then compute: node ids 0 ..
 * io_clusters-1 are I/O clusters, the rest compute clusters. The clusters
 * sit on a 2D mesh of mesh_width columns, in node order, row by row.
 */
#ifndef PROFILE_H
#define PROFILE_H

#include <stdint.h>

struct profile {
	const char *name;
	const char *summary; /* one line for `--help` and `check` */
	uint32_t io_clusters;
	uint32_t compute_clusters;
	uint32_t cores_per_cluster;
	uint32_t cluster_memory;      /* bytes of physical memory per cluster */
	uint32_t user_memory;         /* bytes of it user pages may take */
	uint32_t threads_per_process; /* the main thread included */
	uint32_t processes_per_cluster;
	uint32_t page_size;    /* bytes; must be the core's */
	uint32_t main_stack;   /* bytes of the main thread's stack */
	uint32_t thread_stack; /* bytes of every other thread's stack */
	uint32_t quantum;      /* instructions a core runs a thread */
	/* NoC (used by the NoC layer). */
	uint32_t mailbox_payload; /* bytes a mailbox message carries */
	uint32_t mailbox_ports;   /* mailboxes per node */
	uint32_t portal_ports;    /* portals per node */
	uint32_t portal_max;      /* bytes one portal call moves at most */
	uint32_t mesh_width;      /* clusters per mesh row */
	uint64_t link_bandwidth;  /* bytes per second per link */
	uint32_t hop_latency_ns;  /* per router hop */
	/* The emulator's own (no manycore has it): host bytes the whole board's
	 * translated code may take (the code cache). */
	uint64_t code_cache;
};

/* The profile called name, or NULL if there is none. */
const struct profile *profile_find(const char *name);

/* The profile used when none is named ("default"). */
const struct profile *profile_default(void);

/* The i-th shipped profile, or NULL past the last (for listings). */
const struct profile *profile_at(unsigned i);

/* Clusters in all. */
uint32_t profile_clusters(const struct profile *p);

/* Node id of the first compute cluster. */
uint32_t profile_first_compute(const struct profile *p);

#endif /* PROFILE_H */
