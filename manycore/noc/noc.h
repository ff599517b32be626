/*
 * noc.h - the Network-on-Chip of a board: its nodes on a 2D mesh, the
 * transfer model, and what mailboxes, portals and syncs (mailbox.h,
 * portal.h, sync.h) share: which processes live on which node, and the
 * doorbells that wake a node's kernel.
 *
 * Every node is a cluster. Node i sits at column i % mesh_width, row
 * i / mesh_width; a transfer takes the XY route, |dx| + |dy| hops, and
 * lasts hops x hop latency + bytes / link bandwidth (the profile's).
 * Each transfer counts messages, bytes, hops and that modelled time
 * against its source node.
 *
 * The NoC is shared by the clusters' host threads: every call here and in
 * mailbox.h, portal.h and sync.h takes the NoC's one lock, and none
 * blocks. An operation that cannot go on yet returns -EAGAIN after noting
 * the caller's node as a waiter of the node it waits on; when that node's
 * IKC state changes, every waiter's doorbell rings. A cluster whose bell
 * rang retries its blocked calls (noc_take_doorbell). So no wake-up is
 * lost, whichever thread runs first.
 */
#ifndef NOC_H
#define NOC_H

#include <stdint.h>

struct profile;
struct noc;

#define NOC_NODES_MAX 64     /* nodes of a board (waiter sets are bitmaps) */
#define NOC_MAILBOX_MAX 128  /* largest mailbox payload of any profile */
#define NOC_MAILBOX_DEPTH 16 /* messages a mailbox buffers */
#define NOC_SYNC_MEMBERS 32  /* processes in one sync set */
#define NOC_KERNEL_PID 0     /* the "process" of kernel endpoints */

/* Counters of one node's outgoing traffic (or a board's, summed). */
struct noc_stats {
	uint64_t messages;        /* mailbox messages, portal chunks, signals */
	uint64_t bytes;           /* payload bytes */
	uint64_t hops;            /* router hops, summed over messages */
	uint64_t model_ns;        /* modelled transfer time, summed */
	uint64_t kernel_messages; /* of which kernel-to-kernel (name service) */
};

/* Called, with the NoC lock held, when node's doorbell rings; must not
 * call back into the NoC. */
typedef void (*noc_ring_fn)(void *ctx, uint32_t node);

/* A NoC for profile p (all of its clusters), or NULL if out of memory. */
struct noc *noc_new(const struct profile *p);

/* Frees n and every message still in it. NULL is ignored. */
void noc_free(struct noc *n);

/* Router hops from a to b (XY routing on the mesh). */
uint32_t noc_hops(const struct noc *n, uint32_t a, uint32_t b);

/* Modelled ns for bytes to go from a to b as one message. */
uint64_t noc_transfer_ns(const struct noc *n, uint32_t a, uint32_t b, uint64_t bytes);

/* Sets who is told when a doorbell rings (the board wakes the node's host
 * thread); before any cluster runs. */
void noc_set_ring(struct noc *n, noc_ring_fn fn, void *ctx);

/*
 * Holds the host wake-ups of the doorbells the calling thread rings on n
 * from now on, but those of the nodes in keep (a bitmap), until
 * noc_release_rings makes them; the bells themselves still ring. A
 * migration's commit holds them so that waking sleeping host threads (a
 * system call each, tens of microseconds here, where a real NoC
 * interrupt costs next to nothing) falls after the moved process runs,
 * not in its downtime; it keeps the nodes that poll.
 */
void noc_hold_rings(struct noc *n, uint64_t keep);
void noc_release_rings(struct noc *n);

/* 1 if node's doorbell rang since the last call, and clears it. */
int noc_take_doorbell(struct noc *n, uint32_t node);

/* 1 if any node's doorbell is rung (the board is not quiet). */
int noc_any_doorbell(struct noc *n);

/* Process pid now lives on node: messages to it are taken there. 0, or
 * -EEXIST if it already lives somewhere. */
int noc_attach(struct noc *n, uint32_t node, uint32_t pid);

/* Process pid left node (it ended): its endpoints there are closed, the
 * messages queued for it dropped, and whoever waited on the node retries. */
void noc_detach(struct noc *n, uint32_t node, uint32_t pid);

/* 1 if pid lives on node. */
int noc_resident(struct noc *n, uint32_t node, uint32_t pid);

/* Copies node's counters (a node past the board's last: the whole board's) to *st. */
void noc_get_stats(struct noc *n, uint32_t node, struct noc_stats *st);

/* 1 if pid lives on some node. */
int noc_is_attached(struct noc *n, uint32_t pid);

/*
 * A process's input endpoints on its node, as the NoC holds them: what a
 * checkpoint saves and a restore loads on another node.
 */
enum noc_ep_kind {
	NOC_EP_MAILBOX = 1, /* port; queued messages */
	NOC_EP_PORTAL,      /* port; allowed sender; a write not yet read */
	NOC_EP_SYNC,        /* key; expected senders; signals not consumed */
};

struct noc_ep_msg {
	uint32_t src_pid;
	uint32_t len;
	uint8_t *data;
};

struct noc_ep {
	uint32_t kind;      /* enum noc_ep_kind */
	uint32_t port;      /* mailboxes, portals; syncs: the key */
	uint32_t allow_pid; /* portals: 0 idle, else allowed (or written by) */
	uint32_t created;   /* syncs: 0 if only early signals came */
	uint32_t nexpect, expect[NOC_SYNC_MEMBERS];
	uint32_t nfrom, from[NOC_SYNC_MEMBERS], count[NOC_SYNC_MEMBERS];
	uint32_t nmsgs; /* mailboxes: oldest first; portals: 0 or 1 */
	struct noc_ep_msg *msgs;
};

/*
 * Process pid moves from node from to node to (a migration's handover):
 * in one step, it lives on to instead, with every endpoint it held on
 * from and everything queued on them, in order (messages, a portal's
 * allowed sender and pending write, sync signals, early signals); both
 * nodes' waiters retry. All or nothing: 0, -ESRCH (pid does not live on
 * from), -EAGAIN (to runs its limit of processes), -ENOSPC (to lacks free
 * endpoints).
 */
int noc_move_process(struct noc *n, uint32_t pid, uint32_t from, uint32_t to);

/* Copies the endpoints pid holds on node into a new array *eps of *neps.
 * 0 or -ENOMEM. Free with noc_eps_free. */
int noc_save_endpoints(struct noc *n, uint32_t node, uint32_t pid, struct noc_ep **eps,
                       uint32_t *neps);
void noc_eps_free(struct noc_ep *eps, uint32_t neps);

/* Recreates eps for pid (attached to node), messages arriving at now_ns.
 * All or nothing: 0, -EINVAL (a bad port, key or size), -EBUSY (exists),
 * -ENOSPC (the node's endpoints are taken), -ENOMEM. */
int noc_load_endpoints(struct noc *n, uint32_t node, uint32_t pid, const struct noc_ep *eps,
                       uint32_t neps, uint64_t now_ns);

#endif /* NOC_H */
