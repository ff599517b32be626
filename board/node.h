/*
 * node.h - the nodes of a board in serve mode: a host thread per
 * cluster, which runs its rounds and daemon while it has work, sleeps on
 * its doorbell otherwise, and carries out the commands other threads
 * hand it between two rounds, so that no cluster state is ever shared.
 */
#ifndef NODE_H
#define NODE_H

#include <stdint.h>

struct board;
struct bnode;
struct crerr;

/* Runs fn on node's thread (directly in run mode) and returns its code,
 * or -EHOSTDOWN if the node's thread has not taken it up within the
 * node timeout (it stopped answering: it is then treated as lost, and
 * later calls fail at once). A command it has taken is waited for. */
int node_call(struct board *b, uint32_t node, int (*fn)(struct board *, struct bnode *, void *),
              void *arg);

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
