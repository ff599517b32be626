/*
 * kcall.h - the kernel's calls: the POSIX subset (Linux RISC-V numbers)
 * and the Nanvix calls (docs/abi.md).
 */
#ifndef KCALL_H
#define KCALL_H

#include <stdint.h>

#include "kernel/kctx.h"

/* Serves the kernel call thread slot s of process table entry pi trapped
 * on. The UArea may move: reload it from c->procs[pi]. */
enum kcall_result kcall_dispatch(struct cluster *c, uint32_t pi, unsigned s);

#endif /* KCALL_H */
