/*
 * names.h - where processes live: residency on the NoC and the name
 * service (a kernel service on node KNAME_NODE, over the NoC's kernel
 * mailboxes) with each cluster's cache of its answers. Peers are named by
 * pid; a use resolves the pid to a node from the cache, else asks, and
 * the caller blocks (UWAIT_LOOKUP) until the answer comes.
 */
#ifndef NAMES_H
#define NAMES_H

#include <stdint.h>

struct cluster;

/* Process pid starts on (ends on) the cluster: residency on the NoC and
 * registration with the name service, as virtual node vnode (the node
 * it is known by, see uarea.h). names_start returns 0 or -EEXIST (pid
 * lives on another node). */
int names_start(struct cluster *c, uint32_t pid, uint32_t vnode);
/* With away (a dump ended it), the service keeps pid as away: lookups
 * of it wait until it is restored, as a peer of a dumped process waits
 * for it rather than finding it gone. */
void names_end(struct cluster *c, uint32_t pid, int away);
/* A migration's handover: pid's NoC presence moves from node from to
 * c's (endpoints_move) and the name service learns it; the source then
 * only forgets it (names_moved_out). */
int names_move_in(struct cluster *c, uint32_t pid, uint32_t vnode, uint32_t from);
void names_moved_out(struct cluster *c, uint32_t pid);

/*
 * Node of process pid: 0 with *node, or -EAGAIN once the name service has
 * been asked (the caller blocks in UWAIT_LOOKUP on pid). With current set,
 * a cached node the pid no longer lives on (it ended) is asked about
 * again; without, the caller's NoC operation finds that out itself
 * (-ESRCH), so the cache is trusted and the NoC is not asked twice.
 */
int names_resolve(struct cluster *c, uint32_t pid, int current, uint32_t *node);

/*
 * Asks the name service which process holds virtual node vnode; the
 * caller blocks in UWAIT_LOOKUP on KNAME_VNODE_TAG | vnode. The service
 * answers once a process holds it (the oldest, if several do), and the
 * answer completes the waiters' call with that pid.
 */
void names_ask_vnode(struct cluster *c, uint32_t vnode);

/* Drops pid from the cache (it was not where the cache said). */
void names_forget(struct cluster *c, uint32_t pid);

/* Takes the name messages that came: the service's requests (on its
 * node) and the answers to this cluster's lookups, whose waiters retry
 * or fail. */
void names_poll(struct cluster *c);

#endif /* NAMES_H */
