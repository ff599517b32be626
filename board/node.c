/*
 * node.c - the board's nodes in serve mode: each cluster's host thread,
 * and the calls other threads make to it (see node.h).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board/board_priv.h"
#include "board/bproc.h"
#include "board/node.h"
#include "diag/crerr.h"
#include "kernel/cluster.h"
#include "kernel/uarea.h"
#include "params/profile.h"

void node_wake(struct board *b, uint32_t node)
{
	struct bnode *nd = &b->nodes[node];

	pthread_mutex_lock(&nd->lock);
	nd->wake = 1;
	pthread_cond_signal(&nd->cv);
	pthread_mutex_unlock(&nd->lock);
}

void node_ring(void *ctx, uint32_t node)
{
	node_wake(ctx, node);
}

struct timespec node_realtime_in(uint64_t ns)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += (time_t)(ns / 1000000000u);
	t.tv_nsec += (long)(ns % 1000000000u);
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* Takes cmd back from nd's queue if its thread has not taken it yet: 1
 * if it did (the command will never run). */
static int node_call_withdraw(struct bnode *nd, struct bcmd *cmd)
{
	struct bcmd **pp;
	int found = 0;

	pthread_mutex_lock(&nd->lock);
	for (pp = &nd->cmds; *pp && *pp != cmd; pp = &(*pp)->next)
		;
	if (*pp) {
		*pp = cmd->next;
		found = 1;
	}
	pthread_mutex_unlock(&nd->lock);
	return found;
}

/* Queues cmd on nd's thread: 0, or -EHOSTDOWN if nd is lost already. */
static int node_post(struct board *b, struct bnode *nd, struct bcmd *cmd)
{
	pthread_mutex_lock(&b->lock);
	if (nd->lost) {
		pthread_mutex_unlock(&b->lock);
		return -EHOSTDOWN;
	}
	pthread_mutex_unlock(&b->lock);
	pthread_mutex_lock(&nd->lock);
	cmd->next = nd->cmds;
	nd->cmds = cmd;
	nd->wake = 1;
	pthread_cond_signal(&nd->cv);
	pthread_mutex_unlock(&nd->lock);
	return 0;
}

/* Waits for posted cmd: its code, or -EHOSTDOWN if nd's thread has not
 * taken it by *until (nd is then lost). */
static int node_wait(struct board *b, struct bnode *nd, struct bcmd *cmd, struct timespec until)
{
	pthread_mutex_lock(&b->lock);
	while (!cmd->done) {
		if (pthread_cond_timedwait(&b->cv, &b->lock, &until) != ETIMEDOUT)
			continue;
		pthread_mutex_unlock(&b->lock);
		if (node_call_withdraw(nd, cmd)) {
			pthread_mutex_lock(&b->lock);
			nd->lost = 1;
			pthread_mutex_unlock(&b->lock);
			if (b->cfg.log)
				fprintf(b->cfg.log,
				        "manycore: node %u stopped answering (no word in "
				        "%.1f s): taken as lost\n",
				        nd->node, b->node_timeout_ns / 1e9);
			return -EHOSTDOWN;
		}
		pthread_mutex_lock(&b->lock);
		until.tv_sec += 3600; /* it runs the command now: wait for it */
	}
	pthread_mutex_unlock(&b->lock);
	return cmd->rc;
}

int node_call(struct board *b, uint32_t node, int (*fn)(struct board *, struct bnode *, void *),
              void *arg)
{
	struct bnode *nd = &b->nodes[node];
	struct bcmd cmd = { fn, arg, 0, 0, NULL };
	int rc;

	if (!b->threaded)
		return fn(b, nd, arg);
	if ((rc = node_post(b, nd, &cmd)))
		return rc;
	return node_wait(b, nd, &cmd, node_realtime_in(b->node_timeout_ns));
}

void node_call_many(struct board *b, size_t n, const uint32_t *nodes,
                    int (*fn)(struct board *, struct bnode *, void *), void *const *args, int *rcs)
{
	struct bcmd *cmds;
	struct timespec until;

	if (!b->threaded) {
		for (size_t i = 0; i < n; i++)
			rcs[i] = fn(b, &b->nodes[nodes[i]], args[i]);
		return;
	}
	if (!(cmds = calloc(n ? n : 1, sizeof(*cmds)))) {
		for (size_t i = 0; i < n; i++)
			rcs[i] = -ENOMEM;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		cmds[i] = (struct bcmd){ fn, args[i], 0, 0, NULL };
		rcs[i] = node_post(b, &b->nodes[nodes[i]], &cmds[i]);
	}
	until = node_realtime_in(b->node_timeout_ns);
	for (size_t i = 0; i < n; i++)
		if (rcs[i] == 0)
			rcs[i] = node_wait(b, &b->nodes[nodes[i]], &cmds[i], until);
	free(cmds);
}

/* Reaps the processes that ended on nd's cluster: the board keeps what it
 * needs of them. */
static void node_reap(struct bnode *nd, uint32_t *pids, size_t npids)
{
	for (size_t i = 0; i < npids; i++) {
		const struct uarea *ua = cluster_uarea(nd->c, pids[i]);
		if (ua && ua->state != UPROC_RUNNING)
			cluster_reap(nd->c, pids[i]);
	}
}

/* CLOCK_MONOTONIC's time when it reads mono_ns, on CLOCK_REALTIME (which
 * condition variables wait on). */
static struct timespec node_realtime_at(uint64_t mono_ns)
{
	struct timespec now;
	uint64_t m;

	clock_gettime(CLOCK_MONOTONIC, &now);
	m = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	return node_realtime_in(mono_ns > m ? mono_ns - m : 0);
}

void node_boost(struct board *b, uint32_t node, int on)
{
	struct bnode *nd = &b->nodes[node];
	struct sched_param sp = { 0 };

	if (!b->threaded || b->cfg.node_sched != BOARD_NODES_IDLE || node >= b->nnodes ||
	    !nd->started)
		return;
	if (on ? nd->boosts++ == 0 : --nd->boosts == 0)
		(void)pthread_setschedparam(nd->thread, on ? SCHED_OTHER : SCHED_IDLE, &sp);
}

static void *node_main(void *arg)
{
	struct bnode *nd = arg;
	struct board *b = nd->b;
	uint32_t *pids = calloc(b->prof->processes_per_cluster, sizeof(*pids));

	/*
	 * A cluster computing flat out keeps a host core busy. At the same
	 * priority as crtool and the shell that runs it, a woken command is
	 * often queued behind it and waits for the next scheduler tick (4
	 * ms here) though the work it waits for is done: a dump then restore
	 * of a computing one-thread process took 4 or 7.7 ms at random on 2
	 * cores. At idle priority any other task takes the core at once (a
	 * steady 4 ms), and node threads still share the rest alike.
	 */
	if (b->cfg.node_sched == BOARD_NODES_IDLE) {
		struct sched_param sp = { 0 };
		(void)pthread_setschedparam(pthread_self(), SCHED_IDLE,
		                            &sp); /* only latency lost */
	}

	for (;;) {
		struct bcmd *cmds, *next;
		uint64_t deadline;
		int stop, busy, watch;
		size_t n = 0;

		pthread_mutex_lock(&nd->lock);
		cmds = nd->cmds;
		nd->cmds = NULL;
		nd->wake = 0;
		pthread_mutex_unlock(&nd->lock);
		for (; cmds; cmds = next) {
			next = cmds->next;
			cmds->rc = cmds->fn(b, nd, cmds->arg);
			pthread_mutex_lock(&b->lock);
			cmds->done = 1;
			pthread_cond_broadcast(&b->cv);
			pthread_mutex_unlock(&b->lock);
		}
		pthread_mutex_lock(&b->lock);
		stop = b->stopping;
		pthread_mutex_unlock(&b->lock);
		if (stop)
			break;
		if (migd_hung(b->migd, nd->node)) {
			/* fault injected: silent until the board stops */
			pthread_mutex_lock(&b->lock);
			while (!b->stopping)
				pthread_cond_wait(&b->cv, &b->lock);
			pthread_mutex_unlock(&b->lock);
			break;
		}
		busy = cluster_round(nd->c);
		busy |= migd_step(b->migd, nd->node);
		if (pids)
			n = cluster_list(nd->c, pids, b->prof->processes_per_cluster);
		node_reap(nd, pids, n);
		if (busy)
			continue;
		watch = migd_watching(b->migd, nd->node);
		deadline = migd_deadline(b->migd, nd->node);
		pthread_mutex_lock(&nd->lock);
		while (!nd->wake) {
			if (!watch && deadline) {
				/* a migration's answer falls due: step by then */
				struct timespec at = node_realtime_at(deadline);
				if (pthread_cond_timedwait(&nd->cv, &nd->lock, &at) == ETIMEDOUT)
					break;
				continue;
			}
			if (!watch) {
				pthread_cond_wait(&nd->cv, &nd->lock);
				continue;
			}
			/* A migration's stream is due: poll, as a real
			 * cluster's NoC interrupt would answer in well under a
			 * microsecond where a sleeping host thread takes tens. */
			pthread_mutex_unlock(&nd->lock);
			sched_yield();
			watch = migd_watching(b->migd, nd->node);
			pthread_mutex_lock(&nd->lock);
		}
		pthread_mutex_unlock(&nd->lock);
	}
	free(pids);
	return NULL;
}

int node_check(const struct board *b, int node, struct crerr *e)
{
	if (node != BOARD_NODE_ANY && (node < 0 || (uint32_t)node >= b->nnodes))
		return crerr_fail(e, -EINVAL, "no node %d: the %s board has nodes 0 to %u", node,
		                  b->prof->name, b->nnodes - 1);
	return 0;
}

uint32_t node_least_busy(const struct board *b)
{
	uint32_t best = profile_first_compute(b->prof);

	for (uint32_t i = best; i < b->nnodes; i++)
		if (b->nodes[i].running < b->nodes[best].running)
			best = i;
	return best;
}

int node_start_all(struct board *b)
{
	for (uint32_t i = 0; i < b->nnodes; i++) {
		int rc = pthread_create(&b->nodes[i].thread, NULL, node_main, &b->nodes[i]);
		if (rc)
			return -rc; /* board_free joins those started */
		b->nodes[i].started = 1;
	}
	return 0;
}
