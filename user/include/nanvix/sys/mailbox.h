/*
 * nanvix/sys/mailbox.h - Nanvix's mailboxes: fixed-size messages to a
 * (node, port), any number of senders. Ids are the process's own; calls
 * return 0, a size or an id, or a negative errno as the microkernel does.
 */
#ifndef NANVIX_SYS_MAILBOX_H
#define NANVIX_SYS_MAILBOX_H

#include "nanvix/kernel/kernel.h"

#define KMAILBOX_MESSAGE_HEADER_SIZE HAL_MAILBOX_RESERVED_SIZE
#define KMAILBOX_MESSAGE_DATA_SIZE HAL_MAILBOX_DATA_SIZE
/* What a message carries: 116 bytes on mppa256, as on Nanvix; 128 on
 * the default profile. */
#define KMAILBOX_MESSAGE_SIZE (HAL_MAILBOX_MSG_SIZE - KMAILBOX_MESSAGE_HEADER_SIZE)
#define MAILBOX_MSG_SIZE KMAILBOX_MESSAGE_SIZE
#define KMAILBOX_PORT_NR 24 /* ports of a node (Nanvix: 24 with portals) */
#define MAILBOX_PORT_NR KMAILBOX_PORT_NR
#define KMAILBOX_MAX 64 /* ids, inputs and outputs */
/* kmailbox_set_remote's wildcards: any sender node, any sender port. */
#define MAILBOX_ANY_SOURCE PROCESSOR_NOC_NODES_NUM
#define MAILBOX_ANY_PORT MAILBOX_PORT_NR
#define MAILBOX_CREATE_MAX 24
#define MAILBOX_OPEN_MAX 40

#define KMAILBOX_IOCTL_GET_VOLUME 1   /* size_t *: bytes moved */
#define KMAILBOX_IOCTL_GET_LATENCY 2  /* uint64_t *: cycles spent moving them */
#define KMAILBOX_IOCTL_GET_NCREATES 3 /* uint64_t *: the process's creates, ... */
#define KMAILBOX_IOCTL_GET_NUNLINKS 4
#define KMAILBOX_IOCTL_GET_NOPENS 5
#define KMAILBOX_IOCTL_GET_NCLOSES 6
#define KMAILBOX_IOCTL_GET_NREADS 7
#define KMAILBOX_IOCTL_GET_NWRITES 8
/* int remote (a node or MAILBOX_ANY_SOURCE), int port (MAILBOX_ANY_PORT):
 * the input's next read takes only what that node's output on that port
 * sent (kmailbox_set_remote). */
#define KMAILBOX_IOCTL_SET_REMOTE 9
#define MAILBOX_IOCTL_GET_VOLUME KMAILBOX_IOCTL_GET_VOLUME
#define MAILBOX_IOCTL_GET_LATENCY KMAILBOX_IOCTL_GET_LATENCY

/* -EINVAL: local is not the caller's node, or a bad port; -EBUSY: the
 * port has an input already; -EMFILE: no id left. */
int kmailbox_create(int local, int port);
/* -EINVAL: remote is not a node, is the caller's, or a bad port. */
int kmailbox_open(int remote, int remote_port);
/* -EINVAL: not an id; -EBADF: not an input (output) in use. */
int kmailbox_unlink(int mbxid);
int kmailbox_close(int mbxid);
/* Start a read (write) of one message; kmailbox_wait completes it. The
 * board completes them at once: aread returns when a message came. */
ssize_t kmailbox_aread(int mbxid, void *buffer, size_t size);
ssize_t kmailbox_awrite(int mbxid, const void *buffer, size_t size);
int kmailbox_wait(int mbxid);
ssize_t kmailbox_read(int mbxid, void *buffer, size_t size);
ssize_t kmailbox_write(int mbxid, const void *buffer, size_t size);
int kmailbox_ioctl(int mbxid, unsigned request, ...);
/* The input's next read takes only a message that node remote's output
 * on port remote_port sent (MAILBOX_ANY_SOURCE, MAILBOX_ANY_PORT: any);
 * the others wait. -EINVAL: out of range; -EFAULT: not an input, or set
 * already for the coming read. */
int kmailbox_set_remote(int mbxid, int remote, int remote_port);
/* The port of mbxid (ours for an input, the peer's for an output). */
int kmailbox_get_port(int mbxid);

#endif /* NANVIX_SYS_MAILBOX_H */
