/*
 * noc_priv.h - the NoC's state, shared by the files of manycore/noc/ and
 * private to them. Everything here is guarded by noc.lock.
 */
#ifndef NOC_PRIV_H
#define NOC_PRIV_H

#include <pthread.h>
#include <stdint.h>

#include "noc/doorbell.h"
#include "noc/mailbox.h"
#include "noc/mesh.h"
#include "noc/noc.h"

struct noc_msg {
	uint32_t src_node;
	uint32_t src_pid;
	uint32_t tag;        /* NOC_TAG_NONE or the sender's */
	uint64_t arrival_ns; /* modelled time it reached the node */
	uint8_t data[NOC_MAILBOX_MAX];
};

/* A mailbox of a node: the input end (pid, port); pid 0 means free. */
struct noc_mbx {
	uint32_t pid;
	uint32_t port;
	uint32_t head, count; /* ring of NOC_MAILBOX_DEPTH messages */
	struct noc_msg q[NOC_MAILBOX_DEPTH];
};

/* A write a portal holds until a read takes it. */
struct noc_pwrite {
	uint32_t src_pid;
	uint32_t tag; /* NOC_TAG_NONE or the sender's */
	uint32_t len;
	uint64_t arrival_ns;
	uint8_t *data;
};

/*
 * A portal's input end. The owner allows one sender (allow_pid, and
 * allow_tag or NOC_TAG_ANY) at a time; a read takes the oldest held write
 * the allow matches, which ends the allow. Writes of the pid API wait
 * for a matching allow; tagged writes (Nanvix's) are held, up to
 * NOC_PORTAL_DEPTH, once they moved (portal.h).
 */
struct noc_portal {
	uint32_t pid; /* owner; 0: free */
	uint32_t port;
	uint32_t allow_pid; /* 0: no sender allowed */
	uint32_t allow_tag;
	uint32_t nwrites; /* held, oldest first */
	struct noc_pwrite w[NOC_PORTAL_DEPTH];
};

/* A sync's input end, or the signals that reached it before it was
 * created. Keyed by (pid, key). */
struct noc_sync {
	uint32_t pid; /* owner; 0: free */
	uint32_t key;
	uint8_t created;  /* 0: only early signals so far */
	uint8_t nfrom;    /* senders that signalled */
	uint32_t nexpect; /* senders a wait needs (once created) */
	uint32_t expect[NOC_SYNC_MEMBERS];
	uint32_t from[NOC_SYNC_MEMBERS];  /* sender pids ... */
	uint32_t count[NOC_SYNC_MEMBERS]; /* ... and their signals not consumed */
	uint64_t arrival_ns;              /* latest signal */
};

/* Kernel-to-kernel messages: unbounded (the kernel cannot block). */
struct noc_kqueue {
	struct noc_msg *msgs;
	uint32_t head, count, cap;
};

struct noc_node {
	uint32_t *pids; /* resident processes */
	uint32_t npids;
	struct noc_mbx *mbx;                     /* mailbox_ports */
	struct noc_portal *portal;               /* portal_ports */
	struct noc_sync *sync;                   /* mailbox_ports */
	struct noc_kqueue kq[MAILBOX_KSERVICES]; /* by enum mailbox_kservice */
	uint64_t waiters;                        /* nodes to ring when this one changes */
	int rung;
	struct noc_stats stats;
};

struct noc {
	pthread_mutex_t lock;
	const struct profile *prof;
	uint32_t nnodes;
	struct noc_node *node;
	noc_ring_fn ring;
	void *ring_ctx;
	int any_rung;
	uint32_t sealed[NOC_SEALED_MAX]; /* pids that take nothing now */
	uint32_t hold_fail_at, holds;    /* noc_set_hold_fault; writes held so far */
	uint32_t nsealed;
};

/*
 * What the NoC's files call of each other, with n->lock held. Each
 * lives in the file its name says; none calls back up (noc.c, which
 * makes and detaches, is the top).
 */

/* Rings node's doorbell (doorbell.c). */
void doorbell_ring_locked(struct noc *n, uint32_t node);
/* Rings node and everything waiting on it. */
void doorbell_changed_locked(struct noc *n, uint32_t node);
/* waiter waits on node's next change. */
void doorbell_wait_on_locked(struct noc *n, uint32_t node, uint32_t waiter);

/* 1 if pid lives on node (the kernel "process" lives everywhere), and
 * if it lives on some node (resident.c). */
int resident_on_locked(struct noc *n, uint32_t node, uint32_t pid);
int resident_anywhere_locked(struct noc *n, uint32_t pid);
/* 0 if pid lives on node and takes what is sent to it; -ESRCH if it
 * does not live there; -EAGAIN, with waiter waiting on node, if it is
 * sealed (noc_seal). */
int resident_takes_locked(struct noc *n, uint32_t node, uint32_t pid, uint32_t waiter);
/* Unseals pid (resident.c). */
void resident_unseal_locked(struct noc *n, uint32_t pid);

/* Counts one message of bytes from a to b; returns its modelled ns
 * (mesh.c). */
uint64_t mesh_account_locked(struct noc *n, uint32_t a, uint32_t b, uint64_t bytes);

/* Frees pid's endpoints on node (noc_detach), each kind in its file. */
void mailbox_detach_locked(struct noc *n, uint32_t node, uint32_t pid);
void portal_detach_locked(struct noc *n, uint32_t node, uint32_t pid);
void sync_detach_locked(struct noc *n, uint32_t node, uint32_t pid);

#endif /* NOC_PRIV_H */
