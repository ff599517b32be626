/*
 * faults.h - the faults a board injects (MANYCORE_FAULT, docs/kernel.md,
 * "Fault injection"), and the time it gives a node that does not answer
 * (MANYCORE_NODE_TIMEOUT_MS).
 */
#ifndef FAULTS_H
#define FAULTS_H

#include <stddef.h>
#include <stdint.h>

#include "kernel-hooks/migd.h"

/* The faults injected on a board (MANYCORE_FAULT, docs/kernel.md). */
struct board_faults {
	struct migd_faults mig;    /* the daemons' */
	uint32_t build_frame_fail; /* the N-th frame of a cluster's build fails (cluster.h) */
	uint32_t image_write_at;   /* a dump's image write number N fails (0: none) */
	int image_write_err;       /* ... with this errno (ENOSPC, EIO) */
	int image_write_short;     /* ... after writing half of it */
	uint32_t spawn_fail;       /* the board's spawn number N fails (0: none) */
	uint32_t noc_hold_fail;    /* the NoC's N-th held portal write fails (noc.h) */
};

/* Parses spec, a comma-separated list of fault points (docs/kernel.md,
 * "Fault injection"), into f. 0, or -EINVAL with e saying why. */
int faults_parse(const char *spec, struct board_faults *f, struct crerr *e);

/* The node timeout: $MANYCORE_NODE_TIMEOUT_MS or the default, in ns; 0
 * with e saying why if the variable is malformed. */
uint64_t faults_node_timeout(struct crerr *e);

#endif /* FAULTS_H */
