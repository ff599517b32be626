/*
 * cluster.c - a cluster: its memory and kernel made and freed, and what
 * the board asks of it (see cluster.h); the work is done by sched.c,
 * proc.c and proctab.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/physmem.h"
#include "diag/crerr.h"
#include "kernel/frames.h"
#include "kernel/kernel_priv.h"
#include "kernel/proc.h"
#include "kernel/proctab.h"
#include "kernel/sched.h"
#include "kernel/vm.h"
#include "noc/doorbell.h"
#include "noc/endpoints.h"
#include "noc/noc.h"
#include "params/core_params.h"
#include "params/profile.h"

struct cluster *cluster_new(const struct profile *p, uint32_t node, uint32_t memory,
                            struct noc *noc, const struct cluster_hooks *hooks, FILE *log)
{
	struct cluster *c = calloc(1, sizeof(*c));
	struct timespec now;

	if (!c)
		return NULL;
	c->prof = p;
	c->node = node;
	c->log = log;
	c->quantum = p->quantum;
	c->noc = noc;
	if (hooks)
		c->hooks = *hooks;
	c->pm = physmem_new(memory ? memory : p->cluster_memory);
	c->fa = c->pm ? frames_new(c->pm) : NULL;
	c->procs = calloc(p->processes_per_cluster, sizeof(*c->procs));
	c->occupied = calloc((p->processes_per_cluster + 63) / 64, sizeof(*c->occupied));
	c->requeue = calloc(p->cores_per_cluster, sizeof(*c->requeue));
	if (!c->fa || !c->procs || !c->occupied || !c->requeue) {
		cluster_free(c);
		return NULL;
	}
	{
		uint32_t user = p->user_memory / p->page_size;
		if (user < frames_total(c->fa))
			frames_set_user_limit(c->fa, user);
	}
	clock_gettime(CLOCK_REALTIME, &now);
	c->boot_realtime_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	return c;
}

void cluster_free(struct cluster *c)
{
	if (!c)
		return;
	for (uint32_t i = 0; c->procs && i < c->prof->processes_per_cluster; i++) {
		vm_free(c->procs[i].vm);
		uarea_free(c->procs[i].ua);
		free(c->procs[i].ns);
	}
	vm_free(c->spare_vm);
	free(c->procs);
	free(c->occupied);
	free(c->requeue);
	free(c->ns);
	free(c->ns_waits);
	frames_free(c->fa);
	physmem_free(c->pm);
	free(c);
}

void cluster_set_insn_limit(struct cluster *c, uint64_t limit)
{
	c->insn_limit = limit;
}

int cluster_set_core(struct cluster *c, enum core_tier tier)
{
	if (tier == CORE_TIER_JIT && !mmu_jit_available())
		return -ENOTSUP;
	c->core = tier;
	return 0;
}

void cluster_set_code_pool(struct cluster *c, struct codepool *pool)
{
	c->code_pool = pool;
}

void cluster_set_quantum(struct cluster *c, uint32_t quantum)
{
	c->quantum = quantum ? quantum : c->prof->quantum;
}

int cluster_spawn(struct cluster *c, uint32_t pid, const uint8_t *img, size_t len,
                  char *const argv[], char *const envp[], struct crerr *e)
{
	return proc_spawn(c, pid, img, len, argv, envp, e);
}

int cluster_round(struct cluster *c)
{
	return sched_round(c);
}

int cluster_idle(const struct cluster *c)
{
	return !c->nrunning && !(c->noc && doorbell_rung(c->noc, c->node));
}

int cluster_kill(struct cluster *c, uint32_t pid, enum cluster_kill why, int status)
{
	int pi = proctab_find(c, pid);

	if (pi < 0 || c->procs[pi].ua->state != UPROC_RUNNING)
		return -ESRCH;
	proc_end(c, (uint32_t)pi, UPROC_KILLED, status, why);
	return 0;
}

const struct uarea *cluster_uarea(const struct cluster *c, uint32_t pid)
{
	int pi = proctab_find(c, pid);

	return pi < 0 ? NULL : c->procs[pi].ua;
}

int cluster_set_app(struct cluster *c, uint32_t pid, const char *app)
{
	int pi = proctab_find(c, pid);

	if (pi < 0)
		return -ESRCH;
	snprintf(c->procs[pi].ua->app, sizeof(c->procs[pi].ua->app), "%s", app ? app : "");
	return 0;
}

void cluster_set_build_fault(struct cluster *c, uint32_t n)
{
	c->build_frame_fault = n;
}

int cluster_reap(struct cluster *c, uint32_t pid)
{
	int pi = proctab_find(c, pid);

	if (pi < 0)
		return -ESRCH;
	if (c->procs[pi].ua->state == UPROC_RUNNING)
		return -EBUSY;
	proctab_remove(c, (uint32_t)pi);
	return 0;
}

uint32_t cluster_processes(const struct cluster *c)
{
	return c->nprocs;
}

size_t cluster_list(const struct cluster *c, uint32_t *pids, size_t max)
{
	size_t n = 0;

	for (uint32_t i = 0; i < c->prof->processes_per_cluster && n < max; i++)
		if (c->procs[i].ua)
			pids[n++] = c->procs[i].ua->pid;
	return n;
}

void cluster_get_stats(const struct cluster *c, struct cluster_stats *st)
{
	*st = c->stats;
	st->clock = c->clock;
	st->frames_total = frames_total(c->fa);
	st->frames_free = frames_available(c->fa);
	st->user_frames_used = frames_user_used(c->fa);
	st->user_frames_limit = frames_user_limit(c->fa);
	st->user_frames_peak = frames_user_peak(c->fa);
}

void cluster_dump_threads(const struct cluster *c, uint32_t pid, FILE *f)
{
	const struct uarea *ua = cluster_uarea(c, pid);

	if (!ua)
		return;
	for (unsigned s = 0; s < ua->nslots; s++) {
		const struct uthread *t = &ua->slot[s];
		if (t->state == UTHREAD_FREE)
			continue;
		fprintf(f, "manycore:   thread %u: %s", t->tid, uarea_thread_state_name(t->state));
		if (t->state == UTHREAD_BLOCKED)
			fprintf(f, " in %s (0x%08x)", uarea_wait_name(t->wait), t->wait_arg[0]);
		fprintf(f, ", pc 0x%08x\n", t->hart.pc);
	}
}
