/*
 * cluster.c - a cluster's memory, process table and scheduler.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/physmem.h"
#include "kernel/frame.h"
#include "kernel/kernel_priv.h"
#include "kernel/vm.h"
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
	c->requeue = calloc(p->cores_per_cluster, sizeof(*c->requeue));
	if (!c->fa || !c->procs || !c->requeue) {
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
	}
	vm_free(c->spare_vm);
	free(c->procs);
	free(c->requeue);
	free(c->ns);
	frames_free(c->fa);
	physmem_free(c->pm);
	free(c);
}

void cluster_set_insn_limit(struct cluster *c, uint64_t limit)
{
	c->insn_limit = limit;
}

void cluster_set_quantum(struct cluster *c, uint32_t quantum)
{
	c->quantum = quantum ? quantum : c->prof->quantum;
}

int cluster_find(const struct cluster *c, uint32_t pid)
{
	for (uint32_t i = 0; i < c->prof->processes_per_cluster; i++)
		if (c->procs[i].ua && c->procs[i].ua->pid == pid)
			return (int)i;
	return -1;
}

int cluster_free_entry(const struct cluster *c)
{
	for (uint32_t i = 0; i < c->prof->processes_per_cluster; i++)
		if (!c->procs[i].ua)
			return (int)i;
	return -1;
}

void cluster_install(struct cluster *c, uint32_t pi, struct uarea *ua, struct vm *vm)
{
	ua->root = vm_root(vm);
	ua->pages = vm_pages(vm);
	c->procs[pi].ua = ua;
	c->procs[pi].vm = vm;
	c->procs[pi].stop_at = 0;
	c->nprocs++;
	c->nrunning++;
}

/* Next thread to put on a core: round robin over processes, FIFO within
 * a process. Returns 0 if none is ready. */
static int cluster_pick(struct cluster *c, uint32_t *pi, unsigned *s)
{
	uint32_t n = c->prof->processes_per_cluster;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t p = (c->rr + i) % n;
		struct uarea *ua = c->procs[p].ua;
		int t;
		if (!ua || ua->state != UPROC_RUNNING || ua->frozen ||
		    (t = uarea_ready_pop(ua)) < 0)
			continue;
		c->rr = (p + 1) % n;
		*pi = p;
		*s = (unsigned)t;
		return 1;
	}
	return 0;
}

static int cluster_page_fault(const struct hart_trap *t)
{
	return t->cause == HART_CAUSE_FETCH_PAGE || t->cause == HART_CAUSE_LOAD_PAGE ||
	       t->cause == HART_CAUSE_STORE_PAGE;
}

/* Runs thread s of pi on a core for up to a quantum; returns the cycles
 * (instructions) it used. */
static uint64_t cluster_turn(struct cluster *c, uint32_t pi, unsigned s)
{
	struct kproc *kp = &c->procs[pi];
	struct uthread *t = &kp->ua->slot[s];
	uint32_t tid = t->tid;
	uint64_t used = 0;

	t->state = UTHREAD_RUNNING;
	/* A reservation does not survive a switch: another thread may have
	 * written the word since (as an SC after a trap fails on hardware). */
	t->hart.resv_valid = 0;
	t->hart.clock = (uint64_t)((int64_t)c->clock + kp->ua->clock_offset);
	kp->ua->switches++;
	c->stats.turns++;
	for (;;) {
		uint64_t budget = c->quantum - used, ret;
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
				if (c->hooks.stopped)
					c->hooks.stopped(c->hooks.ctx, kp->ua->pid);
				break;
			}
			if (kp->stop_at - n < budget)
				budget = kp->stop_at - n;
		}
		if (hart_run(&t->hart, vm_mmu(kp->vm), budget, &trap, &ret) == HART_STOP_BUDGET) {
			used += ret;
			if (used < c->quantum)
				continue; /* stopped short by a limit: the checks above act on it */
			break;
		}
		used += ret;
		if (trap.cause != HART_CAUSE_ECALL) {
			int in = cluster_page_fault(&trap) ? vm_fill(kp->vm, trap.tval) : 0;
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
		if (r == KCALL_YIELD || used >= c->quantum)
			break;
	}
	c->requeue[c->nrequeue].proc = pi;
	c->requeue[c->nrequeue].slot = s;
	c->requeue[c->nrequeue].tid = tid;
	c->nrequeue++;
	return used;
}

/* Deadline (cycles) of a timed wait of t, or 0 if it has none. */
static uint64_t cluster_deadline(const struct uthread *t)
{
	uint64_t ns;

	if (t->state != UTHREAD_BLOCKED || (t->wait != UWAIT_SLEEP && t->wait != UWAIT_FUTEX))
		return 0;
	ns = (uint64_t)t->wait_arg[2] << 32 | t->wait_arg[1];
	return ns ? kclock_cycles_at(ns) : 0;
}

/* The cluster cycle at which process time cy comes (at least 1). */
static uint64_t cluster_cycle_of(const struct uarea *ua, uint64_t cy)
{
	int64_t at = (int64_t)cy - ua->clock_offset;

	return at > 0 ? (uint64_t)at : 1;
}

/* Wakes timed waiters whose deadline has come; returns the earliest
 * deadline still pending, or 0. */
static uint64_t cluster_wake_timers(struct cluster *c)
{
	uint64_t next = 0;

	for (uint32_t pi = 0; pi < c->prof->processes_per_cluster; pi++) {
		struct uarea *ua = c->procs[pi].ua;
		if (!ua || ua->state != UPROC_RUNNING)
			continue;
		for (unsigned s = 0; s < ua->nslots; s++) {
			uint64_t d = cluster_deadline(&ua->slot[s]);
			if (!d)
				continue;
			d = cluster_cycle_of(ua, d);
			if (d <= c->clock)
				proc_thread_wake(c, pi, s);
			else if (!next || d < next)
				next = d;
		}
	}
	return next;
}

int cluster_round(struct cluster *c)
{
	uint64_t longest = 0, next;
	uint32_t k, pi;
	unsigned s;
	int ran = 0;

	ikc_poll(c);
	if (!c->nrunning)
		return 0; /* nothing to run or to time */
	c->nrequeue = 0;
	c->ikc_until = 0;
	for (k = 0; k < c->prof->cores_per_cluster && cluster_pick(c, &pi, &s); k++) {
		uint64_t used = cluster_turn(c, pi, s);
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
		 * turn, and at least a cycle so that time always moves. */
		c->clock += longest ? longest : 1;
		/* A thread that waited for the NoC resumed when its data came. */
		if (c->ikc_until > c->clock)
			c->clock = c->ikc_until;
		cluster_wake_timers(c);
	} else {
		next = cluster_wake_timers(c);
		if (!next)
			return 0;
		c->clock = next;
		c->stats.idle_jumps++;
		cluster_wake_timers(c);
	}
	c->stats.rounds++;
	return 1;
}

int cluster_kill(struct cluster *c, uint32_t pid, enum cluster_kill why, int status)
{
	int pi = cluster_find(c, pid);

	if (pi < 0 || c->procs[pi].ua->state != UPROC_RUNNING)
		return -ESRCH;
	proc_end(c, (uint32_t)pi, UPROC_KILLED, status, why);
	return 0;
}

const struct uarea *cluster_uarea(const struct cluster *c, uint32_t pid)
{
	int pi = cluster_find(c, pid);

	return pi < 0 ? NULL : c->procs[pi].ua;
}

int cluster_read_page(struct cluster *c, uint32_t pid, uint32_t va, void *buf, int *dirty)
{
	int pi = cluster_find(c, pid);

	if (pi < 0 || !c->procs[pi].vm)
		return -ESRCH;
	return vm_peek_page(c->procs[pi].vm, va, buf, dirty);
}

const uint8_t *cluster_page(struct cluster *c, uint32_t pid, uint32_t va, int *dirty, int *zero)
{
	int pi = cluster_find(c, pid);

	return pi < 0 || !c->procs[pi].vm ? NULL
	                                  : vm_peek_page_ptr(c->procs[pi].vm, va, dirty, zero);
}

uint8_t *cluster_remote_frame(struct cluster *c, uint32_t pid, uint32_t va)
{
	int pi = cluster_find(c, pid);

	return pi < 0 || !c->procs[pi].vm ? NULL : vm_remote_ptr(c->procs[pi].vm, va);
}

int cluster_fill_page(struct cluster *c, uint32_t pid, uint32_t va)
{
	int pi = cluster_find(c, pid);

	return pi < 0 || !c->procs[pi].vm ? -ESRCH : vm_fill(c->procs[pi].vm, va);
}

/* Table entry of running process pid, or -1. */
static int cluster_find_running(const struct cluster *c, uint32_t pid)
{
	int pi = cluster_find(c, pid);

	return pi >= 0 && c->procs[pi].ua->state == UPROC_RUNNING ? pi : -1;
}

static int cluster_set_frozen(struct cluster *c, uint32_t pid, int frozen)
{
	int pi = cluster_find_running(c, pid);

	if (pi < 0)
		return -ESRCH;
	c->procs[pi].ua->frozen = (uint8_t)frozen;
	return 0;
}

int cluster_freeze(struct cluster *c, uint32_t pid)
{
	return cluster_set_frozen(c, pid, 1);
}

int cluster_thaw(struct cluster *c, uint32_t pid)
{
	return cluster_set_frozen(c, pid, 0);
}

int cluster_set_stop(struct cluster *c, uint32_t pid, uint64_t insns)
{
	int pi = cluster_find_running(c, pid);

	if (pi < 0)
		return -ESRCH;
	c->procs[pi].stop_at = insns;
	return 0;
}

uint64_t cluster_stop_point(const struct cluster *c, uint32_t pid)
{
	int pi = cluster_find_running(c, pid);

	return pi < 0 ? 0 : c->procs[pi].stop_at;
}

int cluster_clean_pages(struct cluster *c, uint32_t pid)
{
	int pi = cluster_find_running(c, pid);

	if (pi < 0)
		return -ESRCH;
	vm_clean(c->procs[pi].vm);
	return 0;
}

uint64_t cluster_process_clock(const struct cluster *c, uint32_t pid)
{
	int pi = cluster_find(c, pid);

	return pi < 0 ? 0 : (uint64_t)((int64_t)c->clock + c->procs[pi].ua->clock_offset);
}

uint32_t cluster_free_user_pages(const struct cluster *c)
{
	uint32_t user = frames_user_limit(c->fa) - frames_user_used(c->fa);
	uint32_t all = frames_available(c->fa);

	return user < all ? user : all;
}

void cluster_warm_frames(struct cluster *c, uint32_t pages)
{
	/* a table per 1024 pages, the root, and one per region at worst */
	frames_warm(c->fa, pages + pages / 1024 + 1 + UAREA_REGIONS_MAX + 8);
	if (!c->spare_vm)
		c->spare_vm = vm_new(c->fa); /* NULL: a build makes its own */
}

void cluster_set_migrate(struct cluster *c, cluster_migrate_fn fn, void *ctx)
{
	c->migrate = fn;
	c->migrate_ctx = ctx;
}

void cluster_migrate_failed(struct cluster *c, uint32_t pid, int err)
{
	int pi = cluster_find_running(c, pid);
	struct uarea *ua = pi < 0 ? NULL : c->procs[pi].ua;

	for (unsigned s = 0; ua && s < ua->nslots; s++) {
		struct uthread *t = &ua->slot[s];
		if (t->state != UTHREAD_BLOCKED || t->wait != UWAIT_MIGRATE)
			continue;
		t->hart.x[HART_REG_A0] = (uint32_t)err;
		hart_retire_ecall(&t->hart);
		proc_thread_wake(c, (uint32_t)pi, s);
	}
}

struct noc *cluster_noc(const struct cluster *c)
{
	return c->noc;
}

uint32_t cluster_node(const struct cluster *c)
{
	return c->node;
}

/* ---- rebuilding a process ---- */

struct cluster_build {
	struct cluster *c;
	uint32_t pi;
	struct uarea *ua;
	struct vm *vm;
	int from;  /* a migration's source node, or -1 */
	int ended; /* an ended copy of the pid is here: reaped at commit */
};

static int cluster_build_start(struct cluster *c, uint32_t pid, unsigned nslots, int from,
                               struct cluster_build **out, char *err, size_t errlen)
{
	const struct profile *p = c->prof;
	struct cluster_build *b;
	int pi = cluster_free_entry(c), old = cluster_find(c, pid);

	*out = NULL;
	/* An ended copy (kept for its report until reaped, e.g. one dumped
	 * here) is no conflict: the new one takes its place at commit. */
	if ((old >= 0 && c->procs[old].ua->state == UPROC_RUNNING) ||
	    (c->noc && (from < 0 ? noc_is_attached(c->noc, pid)
	                         : !noc_resident(c->noc, (uint32_t)from, pid)))) {
		snprintf(err, errlen,
		         from < 0 ? "pid %u is in use on the board"
		                  : "pid %u does not live where it moves from",
		         pid);
		return -EEXIST;
	}
	if (pi < 0) {
		snprintf(err, errlen, "node %u runs %u processes, its limit", c->node,
		         p->processes_per_cluster);
		return -EAGAIN;
	}
	if (nslots == 0 || nslots > p->threads_per_process) {
		snprintf(err, errlen, "%u thread slots; node %u allows 1 to %u", nslots, c->node,
		         p->threads_per_process);
		return -EINVAL;
	}
	/* the address space comes with the first page (or a landed one) */
	b = calloc(1, sizeof(*b));
	if (b && !(b->ua = calloc(1, sizeof(struct uarea) + nslots * sizeof(struct uthread)))) {
		free(b);
		b = NULL;
	}
	if (!b) {
		snprintf(err, errlen, "no memory on node %u for a new process", c->node);
		return -ENOMEM;
	}
	b->c = c;
	b->pi = (uint32_t)pi;
	b->ua->pid = pid;
	b->ua->nslots = (uint8_t)nslots;
	b->from = from;
	b->ended = old >= 0;
	/* fault injection: a frame of this build fails (disarmed at its end) */
	frames_fail_in(c->fa, c->build_frame_fault);
	*out = b;
	return 0;
}

void cluster_set_build_fault(struct cluster *c, uint32_t n)
{
	c->build_frame_fault = n;
}

int cluster_build_begin(struct cluster *c, uint32_t pid, unsigned nslots,
                        struct cluster_build **out, char *err, size_t errlen)
{
	return cluster_build_start(c, pid, nslots, -1, out, err, errlen);
}

int cluster_build_begin_move(struct cluster *c, uint32_t pid, unsigned nslots, uint32_t from,
                             struct cluster_build **out, char *err, size_t errlen)
{
	if (!c->noc || from == c->node) {
		snprintf(err, errlen, "pid %u cannot move from node %u to itself", pid, from);
		return -EINVAL;
	}
	return cluster_build_start(c, pid, nslots, (int)from, out, err, errlen);
}

struct uarea *cluster_build_uarea(struct cluster_build *b)
{
	return b->ua;
}

/* b's address space, made now if it has none: NULL if out of frames. */
static struct vm *cluster_build_vm(struct cluster_build *b)
{
	if (!b->vm) {
		b->vm = b->c->spare_vm ? b->c->spare_vm : vm_new(b->c->fa);
		b->c->spare_vm = NULL;
	}
	return b->vm;
}

/* Maps [va, va + len) of vm as how says. */
static int cluster_vm_map(struct vm *vm, uint32_t va, uint32_t len, unsigned prot,
                          enum cluster_map how)
{
	switch (how) {
	case CLUSTER_MAP_FILLED: return vm_map_unzeroed(vm, va, len, prot);
	case CLUSTER_MAP_REMOTE: return vm_map_remote(vm, va, len, prot);
	default: return vm_map(vm, va, len, prot);
	}
}

int cluster_build_map(struct cluster_build *b, uint32_t va, uint32_t len, unsigned prot,
                      enum cluster_map how)
{
	return cluster_build_vm(b) ? cluster_vm_map(b->vm, va, len, prot, how) : -ENOMEM;
}

void cluster_build_fill(struct cluster_build *b, vm_fill_fn fn, void *ctx)
{
	if (b->vm) /* else nothing is remote: the filler is done at once */
		vm_set_fill(b->vm, fn, ctx);
	else
		fn(ctx, VM_FILL_DONE, NULL);
}

uint8_t *cluster_build_page(struct cluster_build *b, uint32_t va)
{
	/* Fresh frames: their decoded code was dropped when they were taken. */
	return b->vm ? vm_page_ptr(b->vm, va) : NULL;
}

struct cluster_space {
	struct cluster *c;
	struct vm *vm;
	uint32_t taken; /* frames mapped so far (for build_frame_fault) */
};

struct cluster_space *cluster_space_new(struct cluster *c)
{
	struct cluster_space *sp = calloc(1, sizeof(*sp));

	if (sp && !(sp->vm = vm_new(c->fa))) {
		free(sp);
		return NULL;
	}
	if (sp)
		sp->c = c;
	return sp;
}

void cluster_space_free(struct cluster_space *sp)
{
	if (!sp)
		return;
	vm_free(sp->vm);
	free(sp);
}

int cluster_space_map(struct cluster_space *sp, uint32_t va, uint32_t len, unsigned prot,
                      enum cluster_map how)
{
	struct frames *fa = sp->c->fa;
	uint32_t fault = sp->c->build_frame_fault, before = frames_available(fa);
	int rc;

	/* nothing is remote ahead of its process */
	if (how == CLUSTER_MAP_REMOTE)
		return -EINVAL;
	/* fault injection: armed for this call only (other processes of
	 * the cluster take frames between a pre-copy's rounds) */
	if (fault && sp->taken < fault)
		frames_fail_in(fa, fault - sp->taken);
	rc = cluster_vm_map(sp->vm, va, len, prot, how);
	frames_fail_in(fa, 0);
	if (frames_available(fa) < before)
		sp->taken += before - frames_available(fa);
	return rc;
}

int cluster_space_unmap(struct cluster_space *sp, uint32_t va, uint32_t len)
{
	return vm_unmap(sp->vm, va, len);
}

int cluster_space_protect(struct cluster_space *sp, uint32_t va, uint32_t len, unsigned prot)
{
	return vm_set_prot(sp->vm, va, len, prot);
}

uint8_t *cluster_space_page(struct cluster_space *sp, uint32_t va)
{
	return vm_page_rewrite(sp->vm, va);
}

int cluster_space_mapped(struct cluster_space *sp, uint32_t va)
{
	return vm_page_ptr(sp->vm, va) != NULL;
}

uint32_t cluster_space_pages(const struct cluster_space *sp)
{
	return vm_pages(sp->vm);
}

int cluster_build_adopt(struct cluster_build *b, struct cluster_space *sp)
{
	if ((b->vm && vm_pages(b->vm)) || sp->c != b->c)
		return -EINVAL;
	vm_free(b->vm);
	b->vm = sp->vm;
	free(sp);
	return 0;
}

int cluster_build_commit(struct cluster_build *b, uint64_t clock, int frozen,
                         const struct noc_ep *eps, uint32_t neps, char *err, size_t errlen)
{
	struct cluster *c = b->c;
	struct uarea *ua = b->ua;
	int rc;

	if (!cluster_build_vm(b)) {
		snprintf(err, errlen, "no memory on node %u for a new process", c->node);
		return -ENOMEM;
	}
	rc = b->from < 0 ? ikc_process_start(c, ua->pid)
	                 : ikc_process_move_in(c, ua->pid, (uint32_t)b->from);
	if (rc) {
		snprintf(err, errlen,
		         b->from < 0     ? "pid %u lives on another node"
		         : rc == -EAGAIN ? "pid %u: node runs its limit of processes on the NoC"
		         : rc == -ENOSPC ? "pid %u: the node lacks free endpoints for it"
		                         : "pid %u no longer lives where it moves from",
		         ua->pid);
		return rc;
	}
	if (c->noc && neps && b->from < 0 &&
	    (rc = endpoints_load(c->noc, c->node, ua->pid, eps, neps,
	                         kclock_cycles_ns(c->clock)))) {
		ikc_process_end(c, ua->pid);
		snprintf(err, errlen,
		         "cannot recreate the process's %u NoC endpoints on node %u: %s", neps,
		         c->node,
		         rc == -ENOSPC   ? "the node's endpoints are all taken"
		         : rc == -ENOMEM ? "out of memory"
		                         : "they do not fit this profile");
		return rc;
	}
	frames_fail_in(c->fa, 0);
	ua->frozen = (uint8_t)(frozen != 0);
	ua->clock_offset = (int64_t)clock - (int64_t)c->clock;
	if (b->ended)
		cluster_reap(c, ua->pid);
	cluster_install(c, b->pi, ua, b->vm);
	free(b);
	return 0;
}

void cluster_build_abort(struct cluster_build *b)
{
	if (!b)
		return;
	frames_fail_in(b->c->fa, 0);
	vm_free(b->vm);
	free(b->ua);
	free(b);
}

int cluster_release_moved(struct cluster *c, uint32_t pid)
{
	int pi = cluster_find(c, pid);

	if (pi < 0 || c->procs[pi].ua->state != UPROC_RUNNING)
		return -ESRCH;
	proc_release_moved(c, (uint32_t)pi);
	return 0;
}

int cluster_reap(struct cluster *c, uint32_t pid)
{
	int pi = cluster_find(c, pid);

	if (pi < 0)
		return -ESRCH;
	if (c->procs[pi].ua->state == UPROC_RUNNING)
		return -EBUSY;
	uarea_free(c->procs[pi].ua);
	c->procs[pi].ua = NULL;
	c->nprocs--;
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
