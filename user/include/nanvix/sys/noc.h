/*
 * nanvix/sys/noc.h - NoC nodes as a Nanvix program names them.
 *
 * A process's node number is its virtual node: the node it was started
 * on, for its whole life, wherever it is moved to since. Opening an
 * endpoint to a node reaches the process that holds it now.
 */
#ifndef NANVIX_SYS_NOC_H
#define NANVIX_SYS_NOC_H

#include "nanvix/kernel/kernel.h"

/* The caller's node number. */
int knode_get_num(void);
/* The caller's cluster number (I/O clusters first). */
int kcluster_get_num(void);
/* The NoC port the endpoint id uses; -EINVAL, -EBADF. */
int kcomm_get_port(int id, int type);
#define COMM_TYPE_MAILBOX 0
#define COMM_TYPE_PORTAL 1
/* Prepares the calling process's NoC state; 0. */
int knoc_init(void);

static inline int processor_noc_is_ionode(int nodenum)
{
	return nodenum >= 0 && nodenum < PROCESSOR_NOC_IONODES_NUM;
}

static inline int processor_noc_is_cnode(int nodenum)
{
	return nodenum >= PROCESSOR_NOC_IONODES_NUM && nodenum < PROCESSOR_NOC_NODES_NUM;
}

#endif /* NANVIX_SYS_NOC_H */
