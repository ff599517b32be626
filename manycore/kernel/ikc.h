/*
 * ikc.h - inter-cluster communication calls of the kernel: the
 * kmailbox_*, kportal_* and ksync_* calls over the NoC (noc/), their
 * peers resolved through the name service (names.h).
 */
#ifndef IKC_H
#define IKC_H

#include <stdint.h>

#include "kernel/kctx.h"

/* Serves IKC call nr (NR_kmailbox_* .. NR_kname_lookup) of k; *ret gets
 * its result when it completes. */
enum kcall_result ikc_dispatch(struct kctx *k, uint32_t nr, int32_t *ret);

/* If the cluster's doorbell rang: serves kernel messages (the name
 * service and its answers) and retries every thread blocked on the NoC.
 * Called before each round. */
void ikc_poll(struct cluster *c);

#endif /* IKC_H */
