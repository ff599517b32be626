/*
 * node.h - the nodes of a board in serve mode: a host thread per
 * cluster, which runs its rounds and daemon while it has work, sleeps on
 * its doorbell otherwise, and carries out the commands other threads
 * hand it between two rounds, so that no cluster state is ever shared
 * (one exception: a group's barrier, appcr.c, where one node's thread
 * acts on clusters whose threads wait parked in the same command).
 */
#ifndef NODE_H
#define NODE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct board;
struct bnode;
struct crerr;

/* Runs fn on node's thread (directly in run mode) and returns its code,
 * or -EHOSTDOWN if the node's thread has not taken it up within the
 * node timeout (it stopped answering: it is then treated as lost, and
 * later calls fail at once). A command it has taken is waited for. */
int node_call(struct board *b, uint32_t node, int (*fn)(struct board *, struct bnode *, void *),
              void *arg);

/* node_call on n nodes at once: fn(b, node, args[i]) on nodes[i]'s
 * thread, every one posted before any is waited for, so that they run in
 * parallel (one after the other on one node); rcs[i] gets each one's
 * code, -EHOSTDOWN for a node that did not take its command. In run
 * mode, one after the other. */
void node_call_many(struct board *b, size_t n, const uint32_t *nodes,
                    int (*fn)(struct board *, struct bnode *, void *), void *const *args, int *rcs);

/* CLOCK_REALTIME ns from now: a deadline for the board's condition
 * variables, which wait on that clock. */
struct timespec node_realtime_in(uint64_t ns);

/*
 * A migration's nodes run at the host's normal policy while it is under
 * way (on, then off), not at the idle one: a node thread waiting its
 * turn behind computing clusters would otherwise wait for the next
 * scheduler tick (4 ms) at each hand-off of the move. Counted: several
 * migrations may share a node. Nothing in run mode or with --node-sched
 * normal. Board lock held.
 */
void node_boost(struct board *b, uint32_t node, int on);

/* Wakes node's thread (it sleeps when it has nothing to run). */
void node_wake(struct board *b, uint32_t node);

/* The NoC's doorbell hook (noc_ring_fn): wakes node's thread. */
void node_ring(void *ctx, uint32_t node);

/* 0 if node is one of b's or BOARD_NODE_ANY, else -EINVAL, said in e
 * (a request names a node). */
int node_check(const struct board *b, int node, struct crerr *e);

/* The compute node running fewest processes (BOARD_NODE_ANY's). Board
 * lock held. */
uint32_t node_least_busy(const struct board *b);

/* Starts a host thread for every node: 0 or -errno (the board's free
 * joins those started). */
int node_start_all(struct board *b);

#endif /* NODE_H */
