/*
 * sched.h - the scheduler of a cluster (cluster_round, cluster.h).
 */
#ifndef SCHED_H
#define SCHED_H

struct cluster;

/* One scheduling round (see cluster_round). */
int sched_round(struct cluster *c);

#endif /* SCHED_H */
