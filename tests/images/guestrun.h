/*
 * guestrun.h - one guest on one cluster, for the tools and tests that
 * capture real processes (mkimage, imgbench, test_images): boot, load,
 * run to an instruction count. The guest is pid 1; its output is dropped.
 */
#ifndef GUESTRUN_H
#define GUESTRUN_H

#include <stddef.h>
#include <stdint.h>

#include "diag/crerr.h"
#include "kernel/cluster.h"

/* A cluster (the profile's first compute node) running the ELF at path
 * with argv as pid 1; NULL with e saying why. */
struct cluster *guestrun_start(const char *profile, const char *path, char *const argv[],
                               struct crerr *e);

/* Runs c until pid 1 has retired insns instructions, ended, or the
 * cluster went idle. 1 if it got there still running; 0 if it ended or
 * the cluster went idle first. */
int guestrun_until(struct cluster *c, uint64_t insns);

#endif /* GUESTRUN_H */
