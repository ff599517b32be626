/*
 * nanvix/sys/sync.h - Nanvix's syncs among NoC nodes. nodes[0] is the
 * master: in SYNC_ONE_TO_ALL it signals and the others wait, in
 * SYNC_ALL_TO_ONE the others signal and it waits. The waiting side
 * creates, the signalling side opens. A node set may be created again.
 */
#ifndef NANVIX_SYS_SYNC_H
#define NANVIX_SYS_SYNC_H

#include "nanvix/kernel/kernel.h"

#define SYNC_ONE_TO_ALL 0
#define SYNC_ALL_TO_ONE 1
#define KSYNC_MAX 64
#define SYNC_CREATE_MAX 24
#define SYNC_OPEN_MAX 40
#define KSYNC_IOCTL_GET_LATENCY 2
#define KSYNC_IOCTL_GET_NCREATES 3
#define KSYNC_IOCTL_GET_NUNLINKS 4
#define KSYNC_IOCTL_GET_NOPENS 5
#define KSYNC_IOCTL_GET_NCLOSES 6
#define KSYNC_IOCTL_GET_NWAITS 7
#define KSYNC_IOCTL_GET_NSIGNALS 8
#define SYNC_IOCTL_GET_LATENCY KSYNC_IOCTL_GET_LATENCY

/* -EINVAL: nodes NULL, nnodes not 2..PROCESSOR_NOC_NODES_NUM, a node
 * repeated or out of range, a bad type, or the caller not on the side
 * the call is for. */
int ksync_create(const int *nodes, int nnodes, int type);
int ksync_open(const int *nodes, int nnodes, int type);
int ksync_wait(int syncid);
int ksync_signal(int syncid);
int ksync_unlink(int syncid);
int ksync_close(int syncid);
int ksync_ioctl(int syncid, unsigned request, ...);

#endif /* NANVIX_SYS_SYNC_H */
