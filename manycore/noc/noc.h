/*
 * noc.h - the Network-on-Chip of a board: its nodes, and which processes
 * live on which node. Mailboxes, portals and syncs (mailbox.h, portal.h,
 * sync.h) carry the traffic; the mesh (mesh.h) models its time; the
 * doorbells (doorbell.h) wake a node's kernel; endpoints.h saves, loads
 * and hands over a process's endpoints.
 *
 * Every node is a cluster. The NoC is shared by the clusters' host
 * threads: every call here and in the other NoC headers takes the NoC's
 * one lock, and none blocks. An operation that cannot go on yet returns
 * -EAGAIN after noting the caller's node as a waiter of the node it waits
 * on; when that node's IKC state changes, every waiter's doorbell rings.
 * A cluster whose bell rang retries its blocked calls (doorbell_take).
 * So no wake-up is lost, whichever thread runs first.
 */
#ifndef NOC_H
#define NOC_H

#include <stdint.h>

#include "params/noc_params.h"

struct profile;
struct noc;

#define NOC_KERNEL_PID 0 /* the "process" of kernel endpoints */

/* A NoC for profile p (all of its clusters), or NULL if out of memory. */
struct noc *noc_new(const struct profile *p);
/* Fault injection (MANYCORE_FAULT noc-hold-fail@N): the nth write the NoC
 * would hold for a later read (a tagged portal write, portal.h) fails
 * with -ENOMEM instead, as if the node had no buffer left; 0: none. */
void noc_set_hold_fault(struct noc *n, uint32_t nth);

/* Frees n and every message still in it. NULL is ignored. */
void noc_free(struct noc *n);

/* Process pid now lives on node: messages to it are taken there. 0, or
 * -EEXIST if it already lives somewhere. */
int noc_attach(struct noc *n, uint32_t node, uint32_t pid);

/* Process pid left node (it ended): its endpoints there are closed, the
 * messages queued for it dropped, and whoever waited on the node retries. */
void noc_detach(struct noc *n, uint32_t node, uint32_t pid);

/* 1 if pid lives on node. */
int noc_resident(struct noc *n, uint32_t node, uint32_t pid);

/*
 * Seals (on) or unseals process pid: while sealed, what is sent to it
 * (mailbox messages, portal data, sync signals) is not taken, and the
 * sender waits (-EAGAIN) as for a full mailbox, rung when pid is
 * unsealed or leaves its node. A dump that ends the process seals it
 * from its capture on, so that nothing reaches it between the capture
 * and its end: what comes later waits for the restored process. Leaving
 * (noc_detach) unseals. 0, or -ENOSPC with NOC_SEALED_MAX sealed.
 */
int noc_seal(struct noc *n, uint32_t node, uint32_t pid, int on);

/* 1 if pid lives on some node. */
int noc_is_attached(struct noc *n, uint32_t pid);

#endif /* NOC_H */
