/*
 * sched.c - a cluster's scheduler: one round puts the next ready threads
 * on the cores for a quantum each, serves their traps and kernel calls,
 * and moves the modelled clock (see sched.h).
 */
#include <errno.h>

#include "kernel/ikc.h"
#include "kernel/kcall.h"
#include "kernel/kclock.h"
#include "kernel/kernel_priv.h"
#include "kernel/proc.h"
#include "kernel/proctab.h"
#include "kernel/sched.h"
#include "kernel/thread.h"
#include "kernel/vm.h"
#include "params/profile.h"

/* Next thread to put on a core: round robin over processes, FIFO within
 * a process. Returns 0 if none is ready. The scan visits the occupied
 * entries in the order rr, rr+1, ... n-1, 0, ... */
static int sched_pick(struct cluster *c, uint32_t *pi, unsigned *s)
{
	uint32_t n = c->prof->processes_per_cluster, start = c->rr % n;

	for (int pass = 0; pass < 2; pass++) {
		uint32_t hi = pass ? start : n;
		for (uint32_t p = proctab_next(c, pass ? 0 : start); p < hi;
		     p = proctab_next(c, p + 1)) {
			struct uarea *ua = c->procs[p].ua;
			int t;
			if (ua->state != UPROC_RUNNING || ua->frozen ||
			    (t = uarea_ready_pop(ua)) < 0)
				continue;
			c->rr = (p + 1) % n;
			*pi = p;
			*s = (unsigned)t;
			return 1;
		}
	}
	return 0;
}

static int sched_page_fault(const struct hart_trap *t)
{
	return t->cause == HART_CAUSE_FETCH_PAGE || t->cause == HART_CAUSE_LOAD_PAGE ||
	       t->cause == HART_CAUSE_STORE_PAGE;
}

/* Runs thread s of pi on a core for up to a quantum; returns the cycles
 * (instructions) it used. *stopped is set if it stopped at a checkpoint
 * point. */
static uint64_t sched_turn(struct cluster *c, uint32_t pi, unsigned s, int *stopped)
{
	struct kproc *kp = &c->procs[pi];
	struct uthread *t = &kp->ua->slot[s];
	uint32_t tid = t->tid;
	uint64_t used = 0;
	/* Quanta vary a little from turn to turn, the same in every run:
	 * with all equal, identical threads in a loop are preempted at the
	 * same point of it each turn, and one that always stops inside a
	 * critical section locks its peers out for good (on hardware,
	 * timing jitter breaks such a cycle). */
	uint64_t quantum =
		c->quantum - ((c->stats.turns * 2654435761u) >> 16) % (c->quantum / 64 + 1);

	t->state = UTHREAD_RUNNING;
	/* A reservation does not survive a switch: another thread may have
	 * written the word since (as an SC after a trap fails on hardware). */
	t->hart.resv_valid = 0;
	t->hart.clock = (uint64_t)((int64_t)c->clock + kp->ua->clock_offset);
	kp->ua->switches++;
	c->stats.turns++;
	for (;;) {
		uint64_t budget = quantum - used, ret;
		struct hart_trap trap;
		enum kcall_result r;

		if (c->insn_limit) {
			uint64_t n = uarea_instret(kp->ua);
			if (n >= c->insn_limit) {
				proc_end(c, pi, UPROC_KILLED, 128 + 24,
				         KILL_LIMIT); /* as SIGXCPU */
				return used;
			}
			if (c->insn_limit - n < budget)
				budget = c->insn_limit - n;
		}
		if (kp->stop_at) {
			uint64_t n = uarea_instret(kp->ua);
			if (n >= kp->stop_at) {
				/* A checkpoint point: frozen between two instructions. */
				kp->stop_at = 0;
				kp->ua->frozen = 1;
				*stopped = 1;
				if (c->hooks.stopped)
					c->hooks.stopped(c->hooks.ctx, kp->ua->pid);
				break;
			}
			if (kp->stop_at - n < budget)
				budget = kp->stop_at - n;
		}
		if (hart_run(&t->hart, vm_mmu(kp->vm), budget, &trap, &ret) == HART_STOP_BUDGET) {
			used += ret;
			if (used < quantum)
				continue; /* stopped short by a limit: the checks above act on it */
			break;
		}
		used += ret;
		if (trap.cause != HART_CAUSE_ECALL) {
			int in = sched_page_fault(&trap) ? vm_fill(kp->vm, trap.tval) : 0;
			if (in == 1)
				continue; /* a post-copy page came in: run it again */
			if (in == -EIO)
				proc_lost_page(c, pi, s, &trap);
			else
				proc_fault(c, pi, s, &trap);
			return used;
		}
		r = kcall_dispatch(c, pi, s);
		if (r == KCALL_OFF_CORE)
			return used;
		t = &kp->ua->slot[s]; /* the UArea may have grown */
		used++;               /* the ecall retired */
		if (r == KCALL_YIELD || used >= quantum)
			break;
	}
	c->requeue[c->nrequeue].proc = pi;
	c->requeue[c->nrequeue].slot = s;
	c->requeue[c->nrequeue].tid = tid;
	c->nrequeue++;
	return used;
}

/* Deadline (cycles) of a timed wait of t, or 0 if it has none. */
static uint64_t sched_deadline(const struct uthread *t)
{
	uint64_t ns;

	if (t->state != UTHREAD_BLOCKED || (t->wait != UWAIT_SLEEP && t->wait != UWAIT_FUTEX))
		return 0;
	ns = (uint64_t)t->wait_arg[2] << 32 | t->wait_arg[1];
	return ns ? kclock_cycles_at(ns) : 0;
}

/* The cluster cycle at which process time cy comes (at least 1). */
static uint64_t sched_cycle_of(const struct uarea *ua, uint64_t cy)
{
	int64_t at = (int64_t)cy - ua->clock_offset;

	return at > 0 ? (uint64_t)at : 1;
}

/* Wakes timed waiters whose deadline has come; returns the earliest
 * deadline still pending, or 0. */
static uint64_t sched_wake_timers(struct cluster *c)
{
	uint64_t next = 0;
	uint32_t n = c->prof->processes_per_cluster;

	for (uint32_t pi = proctab_next(c, 0); pi < n; pi = proctab_next(c, pi + 1)) {
		struct uarea *ua = c->procs[pi].ua;
		if (ua->state != UPROC_RUNNING)
			continue;
		for (unsigned s = 0; s < ua->nslots; s++) {
			uint64_t d = sched_deadline(&ua->slot[s]);
			if (!d)
				continue;
			d = sched_cycle_of(ua, d);
			if (d <= c->clock)
				thread_wake(c, pi, s);
			else if (!next || d < next)
				next = d;
		}
	}
	return next;
}

int sched_round(struct cluster *c)
{
	uint64_t longest = 0, next;
	uint32_t k, pi;
	unsigned s;
	int ran = 0, stopped = 0;

	ikc_poll(c);
	if (!c->nrunning)
		return 0; /* nothing to run or to time */
	c->nrequeue = 0;
	c->ikc_until = 0;
	for (k = 0; k < c->prof->cores_per_cluster && sched_pick(c, &pi, &s); k++) {
		uint64_t used = sched_turn(c, pi, s, &stopped);
		if (used > longest)
			longest = used;
		ran = 1;
	}
	for (k = 0; k < c->nrequeue; k++) {
		struct krequeue *r = &c->requeue[k];
		struct uarea *ua = c->procs[r->proc].ua;
		if (ua && ua->state == UPROC_RUNNING && r->slot < ua->nslots &&
		    ua->slot[r->slot].state == UTHREAD_RUNNING && ua->slot[r->slot].tid == r->tid)
			uarea_ready_push(ua, r->slot);
	}
	if (ran) {
		/* Cores run in parallel: the round lasts as long as its longest
		 * turn, and at least a cycle so that time always moves; but a
		 * turn that only met its checkpoint point took no time (the
		 * process's clock goes on from there once restored). */
		c->clock += longest ? longest : !stopped;
		/* A thread that waited for the NoC resumed when its data came. */
		if (c->ikc_until > c->clock)
			c->clock = c->ikc_until;
		sched_wake_timers(c);
	} else {
		next = sched_wake_timers(c);
		if (!next)
			return 0;
		c->clock = next;
		c->stats.idle_jumps++;
		sched_wake_timers(c);
	}
	c->stats.rounds++;
	return 1;
}
