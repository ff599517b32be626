/*
 * sync.h - NoC syncs: signals among a set of processes (design.md §1).
 *
 * A sync is named by its receiver's pid and a key (the kernel derives the
 * key from the set and its type, so both ends agree on it). The input
 * end (pid, key) lists the senders a wait needs: one signal from each of
 * them completes a wait and is consumed by it. One-to-all: the master
 * signals every other member, each of which waits for the master.
 * All-to-one: every other member signals the master, which waits for
 * them all. Signals that arrive before the input end exists are kept for
 * it, so ordering between the two ends does not matter.
 *
 * See noc.h for locking and the -EAGAIN waiting rule.
 */
#ifndef SYNC_H
#define SYNC_H

#include <stdint.h>

struct noc;

/* Creates the input end (pid, key) on node, waiting for one signal from
 * each of the nexpect (1 .. NOC_SYNC_MEMBERS) pids in expect. 0,
 * -EINVAL, -EBUSY (exists), -ENOSPC (the node's syncs are all taken). */
int sync_create(struct noc *n, uint32_t node, uint32_t pid, uint32_t key, const uint32_t *expect,
                uint32_t nexpect);

/* Removes input end (pid, key) of node. 0 or -EBADF. */
int sync_unlink(struct noc *n, uint32_t node, uint32_t pid, uint32_t key);

/*
 * Signals sync key of each of the ndst processes dst_pid[i] (on node
 * dst_node[i]) from src_pid of node src, at modelled time now_ns: to all
 * of them or to none. 0; -ESRCH (one does not live where named); -EAGAIN
 * (a receiving node has no room for an early signal: src waits on it).
 */
int sync_signal(struct noc *n, uint32_t src, uint32_t src_pid, const uint32_t *dst_node,
                const uint32_t *dst_pid, uint32_t ndst, uint32_t key, uint64_t now_ns);

/* Consumes one signal from each expected sender of input end (pid, key)
 * of node. 0 (*arrival_ns: the latest), -EBADF, or -EAGAIN (some sender
 * has not signalled: node waits on itself). */
int sync_wait(struct noc *n, uint32_t node, uint32_t pid, uint32_t key, uint64_t *arrival_ns);

#endif /* SYNC_H */
