/*
 * nanvix/ikc.h - inter-cluster communication: mailboxes, portals, syncs
 * (docs/abi.md, "IKC"), named by pid: the board's own API. Nanvix's,
 * named by node, is in nanvix/sys/.
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
int nv_mailbox_create(int port);                   /* our input mailbox on port */
int nv_mailbox_open(int pid, int port);            /* an output to (pid, port) */
int nv_mailbox_read(int mbxid, void *buf, size_t size);        /* one message */
int nv_mailbox_write(int mbxid, const void *buf, size_t size); /* one message */
int nv_mailbox_unlink(int mbxid);                  /* input: drop queued messages */
int nv_mailbox_close(int mbxid);                   /* output */
int nv_mailbox_pending(int mbxid);                 /* input: messages unread */
/* Tagged messages (Nanvix's, tagged with the port of the sender's
 * output): a write carries tag (0 .. NV_TAG_MAX); a read takes the oldest
 * message from pid (0: any) with tag (NV_TAG_ANY: any), the others keep
 * their order. (These and the tagged portal calls are in libnanvix.a,
 * which nanvix-cc links.) */
int nv_mailbox_write_tagged(int mbxid, const void *buf, size_t size, int tag);
int nv_mailbox_read_from(int mbxid, void *buf, size_t size, int pid, unsigned tag);

/* Portals: up to NV_PORTAL_MAX bytes a call; the receiver allows one
 * sender, which writes once; the receiver reads; then allow again. A
 * tagged write does not wait for its port's allow: it moves once any
 * portal of the receiver waits for the sender, and is held by its port
 * (up to 8) until an allow of its pid and tag lets a read take it, or
 * dropped if the receiver has no such port (docs/noc.md). */
int nv_portal_create(int port);
int nv_portal_allow(int portalid, int pid);
int nv_portal_open(int pid, int port);
int nv_portal_read(int portalid, void *buf, size_t size); /* -> bytes written */
int nv_portal_write(int portalid, const void *buf, size_t size);
int nv_portal_unlink(int portalid);
int nv_portal_close(int portalid);
int nv_portal_allow_tagged(int portalid, int pid, unsigned tag); /* NV_TAG_ANY: any */
int nv_portal_write_tagged(int portalid, const void *buf, size_t size, int tag);
int nv_portal_pending(int portalid); /* input: writes held, unread */

/* Syncs among n pids (2 .. NV_SYNC_MAX), pids[0] the master; type
 * NV_SYNC_ONE_TO_ALL or NV_SYNC_ALL_TO_ONE. The waiting side creates, the
 * signalling side opens. */
int nv_sync_create(const int *pids, int n, int type);
int nv_sync_open(const int *pids, int n, int type);
int nv_sync_wait(int syncid);
int nv_sync_signal(int syncid);
int nv_sync_unlink(int syncid);
int nv_sync_close(int syncid);

/* The node process pid runs on, from the name service. */
int nv_name_lookup(int pid);

/* The caller's virtual node: the node it started on, kept for life. */
int nv_node_get_num(void);
/* The pid of the process that holds virtual node vnode (the oldest, if
 * several do); waits until one does. -EINVAL: not a node. */
int nv_name_vnode(int vnode);

/* Moves this process to compute node `node` (the seed's nv_migrate_to), in
 * mode NV_MIGRATE_*: 0 once it runs there (every thread moves; the
 * others never notice). On failure it runs on where it was: -EINVAL (not
 * a compute node, bad mode), -EBUSY (it is being moved already), -EAGAIN,
 * -ENOMEM, -ENOSPC (the node cannot take it), -EPROTO (it does not fit
 * the node), -EIO (a transfer failed), -EHOSTDOWN (the node was lost). */
int nv_migrate_to(int node, int mode);

#endif /* NANVIX_IKC_H */
