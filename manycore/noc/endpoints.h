/*
 * endpoints.h - a process's input endpoints on its node, as the NoC
 * holds them: saved on the node it leaves and loaded on the node it
 * comes back on (checkpoint, restore), or handed over whole from node to
 * node (migration).
 */
#ifndef ENDPOINTS_H
#define ENDPOINTS_H

#include <stdint.h>

#include "params/noc_params.h"

struct noc;

enum noc_ep_kind {
	NOC_EP_MAILBOX = 1, /* port; queued messages */
	NOC_EP_PORTAL,      /* port; allowed sender; writes not yet read */
	NOC_EP_SYNC,        /* key; expected senders; signals not consumed */
};

struct noc_ep_msg {
	uint32_t src_pid;
	uint32_t tag; /* NOC_TAG_NONE or the sender's */
	uint32_t len;
	uint8_t *data;
};

struct noc_ep {
	uint32_t kind;      /* enum noc_ep_kind */
	uint32_t port;      /* mailboxes, portals; syncs: the key */
	uint32_t allow_pid; /* portals: 0 none, else the sender allowed ... */
	uint32_t allow_tag; /* ... and the tag it must write (NOC_TAG_ANY) */
	uint32_t created;   /* syncs: 0 if only early signals came */
	uint32_t nexpect, expect[NOC_SYNC_MEMBERS];
	uint32_t nfrom, from[NOC_SYNC_MEMBERS], count[NOC_SYNC_MEMBERS];
	uint32_t nmsgs; /* oldest first: mailboxes, portals (held writes) */
	struct noc_ep_msg *msgs;
};

/*
 * Process pid moves from node from to node to (a migration's handover):
 * in one step, it lives on to instead, with every endpoint it held on
 * from and everything queued on them, in order (messages, a portal's
 * allowed sender and held writes, sync signals, early signals); both
 * nodes' waiters retry. All or nothing: 0, -ESRCH (pid does not live on
 * from), -EAGAIN (to runs its limit of processes), -ENOSPC (to lacks free
 * endpoints).
 */
int endpoints_move(struct noc *n, uint32_t pid, uint32_t from, uint32_t to);

/* Copies the endpoints pid holds on node into a new array *eps of *neps.
 * 0 or -ENOMEM. Free with endpoints_free. */
int endpoints_save(struct noc *n, uint32_t node, uint32_t pid, struct noc_ep **eps, uint32_t *neps);
void endpoints_free(struct noc_ep *eps, uint32_t neps);

/* Recreates eps for pid (attached to node), messages arriving at now_ns.
 * All or nothing: 0, -EINVAL (a bad port, key or size), -EBUSY (exists),
 * -ENOSPC (the node's endpoints are taken), -ENOMEM. */
int endpoints_load(struct noc *n, uint32_t node, uint32_t pid, const struct noc_ep *eps,
                   uint32_t neps, uint64_t now_ns);

#endif /* ENDPOINTS_H */
