/*
 * kcr.c - the kernel's checkpoint/restore interface (see kcr.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag/crerr.h"
#include "kernel/frames.h"
#include "kernel/kclock.h"
#include "kernel/kcr.h"
#include "kernel/kernel_priv.h"
#include "kernel/names.h"
#include "kernel/proc.h"
#include "kernel/proctab.h"
#include "kernel/thread.h"
#include "kernel/vm.h"
#include "noc/endpoints.h"
#include "noc/noc.h"
#include "params/core_params.h"
#include "params/profile.h"

_Static_assert(KCR_PROT_R == VM_R && KCR_PROT_W == VM_W && KCR_PROT_X == VM_X,
               "kcr.h's protections are the vm's");
_Static_assert(KCR_FILL_DONE == VM_FILL_DONE, "kcr.h's filler is the vm's");

uint64_t kcr_now_ns(void)
{
	return kclock_host_ns();
}

uint32_t kcr_node(const struct cluster *c)
{
	return c->node;
}

const struct profile *kcr_profile(const struct cluster *c)
{
	return c->prof;
}

const struct uarea *kcr_uarea(const struct cluster *c, uint32_t pid)
{
	int pi = proctab_find(c, pid);

	return pi < 0 ? NULL : c->procs[pi].ua;
}

int kcr_endpoints_save(struct cluster *c, uint32_t pid, struct noc_ep **eps, uint32_t *neps)
{
	*eps = NULL;
	*neps = 0;
	return c->noc ? endpoints_save(c->noc, c->node, pid, eps, neps) : 0;
}

int kcr_pages_begin(struct cluster *c, uint32_t pid, uint32_t start, uint32_t end,
                    struct kcr_pages *it)
{
	int pi = proctab_find(c, pid);

	if (pi < 0 || !c->procs[pi].vm)
		return -ESRCH;
	*it = (struct kcr_pages){ c->procs[pi].vm, start, end };
	return 0;
}

static void kcr_page_of(struct kcr_page *pg, const struct vm_page *vp)
{
	*pg = (struct kcr_page){ .va = vp->va,
		                 .bytes = vp->bytes,
		                 .landing = vp->landing,
		                 .remote = vp->remote,
		                 .dirty = vp->dirty,
		                 .zero = vp->zero };
}

int kcr_pages_next(struct kcr_pages *it, struct kcr_page *pg)
{
	struct vm_page vp;

	if (!vm_next_page(it->vm, &it->va, it->end, &vp))
		return 0;
	kcr_page_of(pg, &vp);
	return 1;
}

int kcr_pages_fetch(struct kcr_pages *it, struct kcr_page *pg)
{
	uint32_t va = pg->va;
	struct vm_page vp;

	if (vm_fill(it->vm, va) < 0 || !vm_next_page(it->vm, &va, va + CORE_PAGE_SIZE, &vp) ||
	    vp.va != pg->va)
		return -EIO;
	kcr_page_of(pg, &vp);
	return 0;
}

static int kcr_set_frozen(struct cluster *c, uint32_t pid, int frozen)
{
	int pi = proctab_find_running(c, pid);

	if (pi < 0)
		return -ESRCH;
	c->procs[pi].ua->frozen = (uint8_t)frozen;
	return 0;
}

int kcr_freeze(struct cluster *c, uint32_t pid)
{
	return kcr_set_frozen(c, pid, 1);
}

int kcr_thaw(struct cluster *c, uint32_t pid)
{
	int rc = kcr_set_frozen(c, pid, 0);

	if (rc == 0 && c->noc)
		(void)noc_seal(c->noc, c->node, pid, 0); /* never fails unsealing */
	return rc;
}

int kcr_seal(struct cluster *c, uint32_t pid)
{
	if (proctab_find_running(c, pid) < 0)
		return -ESRCH;
	return c->noc ? noc_seal(c->noc, c->node, pid, 1) : 0;
}

int kcr_set_stop(struct cluster *c, uint32_t pid, uint64_t insns)
{
	int pi = proctab_find_running(c, pid);

	if (pi < 0)
		return -ESRCH;
	c->procs[pi].stop_at = insns;
	return 0;
}

uint64_t kcr_stop_point(const struct cluster *c, uint32_t pid)
{
	int pi = proctab_find_running(c, pid);

	return pi < 0 ? 0 : c->procs[pi].stop_at;
}

int kcr_clean_pages(struct cluster *c, uint32_t pid)
{
	int pi = proctab_find_running(c, pid);

	if (pi < 0)
		return -ESRCH;
	vm_clean(c->procs[pi].vm);
	return 0;
}

uint64_t kcr_process_clock(const struct cluster *c, uint32_t pid)
{
	int pi = proctab_find(c, pid);

	return pi < 0 ? 0 : (uint64_t)((int64_t)c->clock + c->procs[pi].ua->clock_offset);
}

uint32_t kcr_free_user_pages(const struct cluster *c)
{
	uint32_t user = frames_user_limit(c->fa) - frames_user_used(c->fa);
	uint32_t all = frames_available(c->fa);

	return user < all ? user : all;
}

void kcr_warm_frames(struct cluster *c, uint32_t pages)
{
	/* a table per 1024 pages, the root, and one per region at worst */
	frames_warm(c->fa, pages + pages / 1024 + 1 + UAREA_REGIONS_MAX + 8);
	if (!c->spare_vm)
		c->spare_vm = vm_new(c->fa); /* NULL: a build makes its own */
}

void kcr_set_migrate(struct cluster *c, kcr_migrate_fn fn, void *ctx)
{
	c->migrate = fn;
	c->migrate_ctx = ctx;
}

void kcr_migrate_failed(struct cluster *c, uint32_t pid, int err)
{
	int pi = proctab_find_running(c, pid);
	struct uarea *ua = pi < 0 ? NULL : c->procs[pi].ua;

	for (unsigned s = 0; ua && s < ua->nslots; s++) {
		struct uthread *t = &ua->slot[s];
		if (t->state != UTHREAD_BLOCKED || t->wait != UWAIT_MIGRATE)
			continue;
		t->hart.x[HART_REG_A0] = (uint32_t)err;
		hart_retire_ecall(&t->hart);
		thread_wake(c, (uint32_t)pi, s);
	}
}

struct kcr_build {
	struct cluster *c;
	uint32_t pi;
	struct uarea *ua;
	struct vm *vm;
	int from;  /* a migration's source node, or -1 */
	int ended; /* an ended copy of the pid is here: reaped at commit */
	struct pidns *ns;
};

static int kcr_build_start(struct cluster *c, uint32_t pid, unsigned nslots, int from,
                           struct kcr_build **out, struct crerr *e)
{
	const struct profile *p = c->prof;
	struct kcr_build *b;
	int pi = proctab_free_entry(c), old = proctab_find(c, pid);

	*out = NULL;
	/* An ended copy (kept for its report until reaped, e.g. one dumped
	 * here) is no conflict: the new one takes its place at commit. */
	if ((old >= 0 && c->procs[old].ua->state == UPROC_RUNNING) ||
	    (c->noc && (from < 0 ? noc_is_attached(c->noc, pid)
	                         : !noc_resident(c->noc, (uint32_t)from, pid)))) {
		return crerr_fail(e, -EEXIST,
		                  from < 0 ? "pid %u is in use on the board"
		                           : "pid %u does not live where it moves from",
		                  pid);
	}
	if (pi < 0) {
		return crerr_fail(e, -EAGAIN, "node %u runs %u processes, its limit", c->node,
		                  p->processes_per_cluster);
	}
	if (nslots == 0 || nslots > p->threads_per_process) {
		return crerr_fail(e, -EINVAL, "%u thread slots; node %u allows 1 to %u", nslots,
		                  c->node, p->threads_per_process);
	}
	/* the address space comes with the first page (or a landed one) */
	b = calloc(1, sizeof(*b));
	if (b && !(b->ua = calloc(1, sizeof(struct uarea) + nslots * sizeof(struct uthread)))) {
		free(b);
		b = NULL;
	}
	if (!b) {
		return crerr_fail(e, -ENOMEM, "no memory on node %u for a new process", c->node);
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

int kcr_build_begin(struct cluster *c, uint32_t pid, unsigned nslots, struct kcr_build **out,
                    struct crerr *e)
{
	return kcr_build_start(c, pid, nslots, -1, out, e);
}

int kcr_build_begin_move(struct cluster *c, uint32_t pid, unsigned nslots, uint32_t from,
                         struct kcr_build **out, struct crerr *e)
{
	if (!c->noc || from == c->node) {
		return crerr_fail(e, -EINVAL, "pid %u cannot move from node %u to itself", pid,
		                  from);
	}
	return kcr_build_start(c, pid, nslots, (int)from, out, e);
}

struct uarea *kcr_build_uarea(struct kcr_build *b)
{
	return b->ua;
}

/* b's address space, made now if it has none: NULL if out of frames. */
static struct vm *kcr_build_vm(struct kcr_build *b)
{
	if (!b->vm) {
		b->vm = b->c->spare_vm ? b->c->spare_vm : vm_new(b->c->fa);
		b->c->spare_vm = NULL;
	}
	return b->vm;
}

/* Maps [va, va + len) of vm as how says. */
static int kcr_vm_map(struct vm *vm, uint32_t va, uint32_t len, unsigned prot, enum kcr_map how)
{
	switch (how) {
	case KCR_MAP_FILLED: return vm_map_unzeroed(vm, va, len, prot);
	case KCR_MAP_REMOTE: return vm_map_remote(vm, va, len, prot);
	default: return vm_map(vm, va, len, prot);
	}
}

int kcr_build_map(struct kcr_build *b, uint32_t va, uint32_t len, unsigned prot, enum kcr_map how)
{
	return kcr_build_vm(b) ? kcr_vm_map(b->vm, va, len, prot, how) : -ENOMEM;
}

void kcr_build_fill(struct kcr_build *b, kcr_fill_fn fn, void *ctx)
{
	if (b->vm) /* else nothing is remote: the filler is done at once */
		vm_set_fill(b->vm, fn, ctx);
	else
		fn(ctx, VM_FILL_DONE, NULL);
}

uint8_t *kcr_build_page(struct kcr_build *b, uint32_t va)
{
	/* Fresh frames: their decoded code was dropped when they were taken. */
	return b->vm ? vm_page_ptr(b->vm, va) : NULL;
}

struct kcr_space {
	struct cluster *c;
	struct vm *vm;
	uint32_t taken; /* frames mapped so far (for build_frame_fault) */
};

struct kcr_space *kcr_space_new(struct cluster *c)
{
	struct kcr_space *sp = calloc(1, sizeof(*sp));

	if (sp && !(sp->vm = vm_new(c->fa))) {
		free(sp);
		return NULL;
	}
	if (sp)
		sp->c = c;
	return sp;
}

void kcr_space_free(struct kcr_space *sp)
{
	if (!sp)
		return;
	vm_free(sp->vm);
	free(sp);
}

int kcr_space_map(struct kcr_space *sp, uint32_t va, uint32_t len, unsigned prot, enum kcr_map how)
{
	struct frames *fa = sp->c->fa;
	uint32_t fault = sp->c->build_frame_fault, before = frames_available(fa);
	int rc;

	/* nothing is remote ahead of its process */
	if (how == KCR_MAP_REMOTE)
		return -EINVAL;
	/* fault injection: armed for this call only (other processes of
	 * the cluster take frames between a pre-copy's rounds) */
	if (fault && sp->taken < fault)
		frames_fail_in(fa, fault - sp->taken);
	rc = kcr_vm_map(sp->vm, va, len, prot, how);
	frames_fail_in(fa, 0);
	if (frames_available(fa) < before)
		sp->taken += before - frames_available(fa);
	return rc;
}

int kcr_space_unmap(struct kcr_space *sp, uint32_t va, uint32_t len)
{
	return vm_unmap(sp->vm, va, len);
}

int kcr_space_protect(struct kcr_space *sp, uint32_t va, uint32_t len, unsigned prot)
{
	return vm_set_prot(sp->vm, va, len, prot);
}

uint8_t *kcr_space_page(struct kcr_space *sp, uint32_t va)
{
	return vm_page_rewrite(sp->vm, va);
}

int kcr_space_mapped(struct kcr_space *sp, uint32_t va)
{
	return vm_page_ptr(sp->vm, va) != NULL;
}

uint32_t kcr_space_pages(const struct kcr_space *sp)
{
	return vm_pages(sp->vm);
}

int kcr_build_adopt(struct kcr_build *b, struct kcr_space *sp)
{
	if ((b->vm && vm_pages(b->vm)) || sp->c != b->c)
		return -EINVAL;
	vm_free(b->vm);
	b->vm = sp->vm;
	free(sp);
	return 0;
}

int kcr_build_commit(struct kcr_build *b, uint64_t clock, int frozen, const struct noc_ep *eps,
                     uint32_t neps, struct crerr *e)
{
	struct cluster *c = b->c;
	struct uarea *ua = b->ua;
	int rc;

	if (!kcr_build_vm(b)) {
		return crerr_fail(e, -ENOMEM, "no memory on node %u for a new process", c->node);
	}
	rc = b->from < 0 ? names_start(c, ua->pid, ua->vnode)
	                 : names_move_in(c, ua->pid, ua->vnode, (uint32_t)b->from);
	if (rc) {
		return crerr_fail(e, rc,
		                  b->from < 0 ? "pid %u lives on another node"
		                  : rc == -EAGAIN
		                          ? "pid %u: node runs its limit of processes on the NoC"
		                  : rc == -ENOSPC ? "pid %u: the node lacks free endpoints for it"
		                                  : "pid %u no longer lives where it moves from",
		                  ua->pid);
	}
	/* A cluster that runs nothing has no time of its own to keep: it
	 * takes the process's, so that the process runs on at its cluster's
	 * time and what it sends is stamped as in an uninterrupted run. */
	if (!c->nrunning && clock > c->clock)
		c->clock = clock;
	if (c->noc && neps && b->from < 0 &&
	    (rc = endpoints_load(c->noc, c->node, ua->pid, eps, neps,
	                         kclock_cycles_ns(c->clock)))) {
		names_end(c, ua->pid, 0);
		return crerr_fail(e, rc,
		                  "cannot recreate the process's %u NoC endpoints on node %u: %s",
		                  neps, c->node,
		                  rc == -ENOSPC   ? "the node's endpoints are all taken"
		                  : rc == -ENOMEM ? "out of memory"
		                                  : "they do not fit this profile");
	}
	frames_fail_in(c->fa, 0);
	ua->frozen = (uint8_t)(frozen != 0);
	ua->clock_offset = (int64_t)clock - (int64_t)c->clock;
	if (b->ended)
		cluster_reap(c, ua->pid);
	proctab_install(c, b->pi, ua, b->vm);
	c->procs[b->pi].ns = b->ns;
	free(b);
	return 0;
}

void kcr_build_abort(struct kcr_build *b)
{
	if (!b)
		return;
	frames_fail_in(b->c->fa, 0);
	vm_free(b->vm);
	free(b->ua);
	free(b->ns);
	free(b);
}

int kcr_build_pidns(struct kcr_build *b, const struct pidns *ns)
{
	struct pidns *copy = NULL;

	if (ns && pidns_check(ns, b->ua->pid))
		return -EINVAL;
	if (ns && !(copy = malloc(sizeof(*copy))))
		return -ENOMEM;
	if (ns)
		*copy = *ns;
	free(b->ns);
	b->ns = copy;
	return 0;
}

const struct pidns *kcr_pidns(const struct cluster *c, uint32_t pid)
{
	int pi = proctab_find(c, pid);

	return pi < 0 ? NULL : c->procs[pi].ns;
}

int kcr_release_moved(struct cluster *c, uint32_t pid)
{
	int pi = proctab_find(c, pid);

	if (pi < 0 || c->procs[pi].ua->state != UPROC_RUNNING)
		return -ESRCH;
	proc_release_moved(c, (uint32_t)pi);
	return 0;
}
