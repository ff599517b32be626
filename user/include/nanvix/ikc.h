/*
 * nanvix/ikc.h - inter-cluster communication: mailboxes, portals, syncs
 * (docs/abi.md, "IKC").
 *
 * Processes are named by pid, which is the same on every cluster of the
 * board; ports (0 .. NV_PORTS-1) are the process's own. Every call
 * returns 0, a count or an endpoint id (>= 0), or a negative errno. Reads,
 * writes and waits block until they can complete; a peer that does not
 * exist (or has ended) gives -ESRCH.
 */
#ifndef NANVIX_IKC_H
#define NANVIX_IKC_H

#include <stddef.h>

#include "nanvix/abi.h"

/* Mailboxes: NV_MAILBOX_SIZE-byte messages, any number of senders. */
int kmailbox_create(int port);                   /* our input mailbox on port */
int kmailbox_open(int pid, int port);            /* an output to (pid, port) */
int kmailbox_read(int mbxid, void *buf, size_t size);        /* one message */
int kmailbox_write(int mbxid, const void *buf, size_t size); /* one message */
int kmailbox_unlink(int mbxid);                  /* input: drop queued messages */
int kmailbox_close(int mbxid);                   /* output */

/* Portals: up to NV_PORTAL_MAX bytes a call; the receiver allows one
 * sender, which writes once; the receiver reads; then allow again. */
int kportal_create(int port);
int kportal_allow(int portalid, int pid);
int kportal_open(int pid, int port);
int kportal_read(int portalid, void *buf, size_t size); /* -> bytes written */
int kportal_write(int portalid, const void *buf, size_t size);
int kportal_unlink(int portalid);
int kportal_close(int portalid);

/* Syncs among n pids (2 .. NV_SYNC_MAX), pids[0] the master; type
 * NV_SYNC_ONE_TO_ALL or NV_SYNC_ALL_TO_ONE. The waiting side creates, the
 * signalling side opens. */
int ksync_create(const int *pids, int n, int type);
int ksync_open(const int *pids, int n, int type);
int ksync_wait(int syncid);
int ksync_signal(int syncid);
int ksync_unlink(int syncid);
int ksync_close(int syncid);

/* The node process pid runs on, from the name service. */
int kname_lookup(int pid);

/* Moves this process to compute node `node` (the seed's kmigrate_to), in
 * mode NV_MIGRATE_*: 0 once it runs there (every thread moves; the
 * others never notice). On failure it runs on where it was: -EINVAL (not
 * a compute node, bad mode), -EBUSY (it is being moved already), -EAGAIN,
 * -ENOMEM, -ENOSPC (the node cannot take it), -EPROTO (it does not fit
 * the node), -EIO (a transfer failed), -EHOSTDOWN (the node was lost). */
int kmigrate_to(int node, int mode);

#endif /* NANVIX_IKC_H */
