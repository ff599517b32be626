/*
 * profile.c - the shipped board profiles.
 */
#include <string.h>

#include "params/core_params.h"
#include "params/profile.h"

#define KiB 1024u
#define MiB (1024u * 1024u)

static const struct profile profiles[] = {
	{
		/* The default: roomy clusters for everyday use and large
	         * experiments (processes of 64 MiB and more). */
		.name = "default",
		.summary = "4 I/O + 16 compute clusters, 16 cores, 256 MiB each (224 MiB user), 64 "
			   "threads",
		.io_clusters = 4,
		.compute_clusters = 16,
		.cores_per_cluster = 16,
		.cluster_memory = 256 * MiB,
		.user_memory = 224 * MiB,
		.threads_per_process = 64,
		.processes_per_cluster = 64,
		.page_size = CORE_PAGE_SIZE,
		.main_stack = 256 * KiB,
		.thread_stack = 64 * KiB,
		.quantum = 10000,
		.mailbox_payload = 128,
		.mailbox_ports = 32,
		.portal_ports = 32,
		.portal_max = 1 * MiB,
		.mesh_width = 5,
		.link_bandwidth = 1200000000ull,
		.hop_latency_ns = 10,
		.code_cache = 64 * MiB,
	},
	{
		/* Kalray MPPA-256 as Nanvix runs on it: 2 MiB per compute
	         * cluster, of which 512 KiB for user code and data. Nanvix
	         * numbers 24 NoC nodes: the two I/O clusters' eight DMA
	         * interfaces 0-7, then the compute clusters 8-23; the mesh
	         * is four wide so the compute clusters form the chip's 4x4
	         * grid below the I/O rows. */
		.name = "mppa256",
		.summary = "Kalray MPPA-256: 8 I/O nodes + 16 compute clusters (nodes 8-23), 16 "
			   "cores, 2 MiB each (512 KiB user), 18 threads",
		.io_clusters = 8,
		.compute_clusters = 16,
		.cores_per_cluster = 16,
		.cluster_memory = 2 * MiB,
		.user_memory = 512 * KiB,
		.threads_per_process = 18,
		.processes_per_cluster = 8,
		.page_size = CORE_PAGE_SIZE,
		.main_stack = 8 * KiB,
		.thread_stack = 8 * KiB,
		.quantum = 10000,
		.mailbox_payload = 128,
		.mailbox_ports = 32,
		.portal_ports = 32,
		.portal_max = 1 * MiB,
		.mesh_width = 4,
		.link_bandwidth = 1200000000ull,
		.hop_latency_ns = 10,
		.code_cache = 64 * MiB,
	},
};

_Static_assert(CORE_PAGE_SIZE == 4096, "profiles assume 4 KiB pages");

const struct profile *profile_at(unsigned i)
{
	return i < sizeof(profiles) / sizeof(profiles[0]) ? &profiles[i] : NULL;
}

const struct profile *profile_find(const char *name)
{
	for (unsigned i = 0; profile_at(i); i++)
		if (!strcmp(profiles[i].name, name))
			return &profiles[i];
	return NULL;
}

const struct profile *profile_default(void)
{
	return &profiles[0];
}

uint32_t profile_clusters(const struct profile *p)
{
	return p->io_clusters + p->compute_clusters;
}

uint32_t profile_first_compute(const struct profile *p)
{
	return p->io_clusters;
}
