/*
 * runmode.c - run mode: one host thread drives every cluster of the board
 * in rounds, in node order, until the processes end (see runmode.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "board/board_priv.h"
#include "board/checkpoint.h"
#include "board/runmode.h"
#include "kernel/cluster.h"
#include "kernel/uarea.h"
#include "noc/doorbell.h"
#include "params/profile.h"

/* Processes still running on the board. */
static uint32_t runmode_live(struct board *b)
{
	uint32_t n = 0;

	pthread_mutex_lock(&b->lock);
	for (uint32_t i = 0; i < b->nnodes; i++)
		n += b->nodes[i].running;
	pthread_mutex_unlock(&b->lock);
	return n;
}

static void runmode_kill_deadlocked(struct board *b)
{
	uint32_t *pids = calloc(b->prof->processes_per_cluster, sizeof(*pids));

	for (uint32_t i = 0; pids && i < b->nnodes; i++) {
		struct cluster *c = b->nodes[i].c;
		size_t n = cluster_list(c, pids, b->prof->processes_per_cluster);
		for (size_t k = 0; k < n; k++) {
			const struct uarea *ua = cluster_uarea(c, pids[k]);
			if (ua->state != UPROC_RUNNING)
				continue;
			if (b->cfg.log) {
				fprintf(b->cfg.log,
				        "manycore: process %u (%s) on node %u: deadlock: every "
				        "thread is blocked and nothing can wake them; process "
				        "killed\n",
				        ua->pid, ua->name, i);
				cluster_dump_threads(c, ua->pid, b->cfg.log);
			}
			cluster_kill(c, pids[k], KILL_DEADLOCK, 123);
		}
	}
	free(pids);
}

/* Run mode: hands the processes that reached their stop point to
 * cfg.on_stop, or thaws them. A move the process asked for itself is
 * seen through first (its daemons only: nothing else runs meanwhile), so
 * the stop finds it where it lives, and no move under way. */
static void runmode_serve_stops(struct board *b)
{
	while (b->nstopped) {
		uint32_t pid = b->stopped[--b->nstopped];
		while (migd_moving(b->migd, pid))
			migd_step_all(b->migd);
		if (b->cfg.on_stop)
			b->cfg.on_stop(b->cfg.stop_ctx, b, pid);
		else
			checkpoint_thaw(b, pid);
	}
}

/* Visits nodes first.. as a round does: each cluster and each migration
 * daemon with work takes its step. *alone is the one node that had work,
 * or -1 (none, or more than one). Returns 1 if anything was done. */
static int runmode_round(struct board *b, uint32_t first, int *alone)
{
	int busy = 0, active = 0;

	*alone = -1;
	for (uint32_t i = first; i < b->nnodes; i++) {
		/* (an idle cluster costs two looks, not a round) */
		if (!cluster_idle(b->nodes[i].c)) {
			busy |= cluster_round(b->nodes[i].c);
			active++;
			*alone = (int)i;
		}
		if (!migd_idle(b->migd, i)) {
			busy |= migd_step(b->migd, i);
			active += 2; /* not a cluster alone */
		}
	}
	if (active != 1)
		*alone = -1;
	return busy;
}

/*
 * Rounds in which cluster a alone has work: every other cluster and
 * daemon is idle and stays so until a doorbell rings (a message, a
 * portal, a sync: whatever could wake them goes through one). Until then
 * a round is a's turn alone, and is run without looking at the others;
 * in the round where a doorbell rings, the nodes after a take their turn
 * as usual. Returns what the last round did, as runmode_round.
 */
static int runmode_run_alone(struct board *b, uint32_t a)
{
	struct cluster *c = b->nodes[a].c;
	int busy = 1, ignored;

	while (!b->nstopped && !doorbell_any(b->noc) && !cluster_idle(c) && migd_idle(b->migd, a) &&
	       runmode_live(b)) {
		busy = cluster_round(c);
		if (!migd_idle(b->migd, a))
			busy |= migd_step(b->migd, a);
		if (doorbell_any(b->noc))
			busy |= runmode_round(b, a + 1, &ignored);
		doorbell_release(b->noc);
		if (!busy)
			break;
	}
	return busy;
}

void runmode_run(struct board *b)
{
	while (runmode_live(b)) {
		int alone, busy = runmode_round(b, 0, &alone);
		/* the host wake-ups a daemon's take held back (migd_step
		 * makes them too; one thread here, so none waits on them) */
		doorbell_release(b->noc);
		if (alone >= 0 && busy)
			busy = runmode_run_alone(b, (uint32_t)alone);
		if (b->nstopped) {
			runmode_serve_stops(b);
			continue;
		}
		if (!busy && !doorbell_any(b->noc)) {
			/* Nothing runs, sleeps or travels: nothing can change. */
			runmode_kill_deadlocked(b);
			break;
		}
	}
}
