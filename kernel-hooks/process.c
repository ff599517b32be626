/*
 * process.c - the process (uarea.img): its UArea's header, its threads
 * with their registers and waits, and its ready queue (see crobj.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/crerr.h"
#include "images/imgparams.h"
#include "kernel-hooks/crobj.h"
#include "kernel-hooks/restore.h"
#include "params/profile.h"

_Static_assert(UAREA_APP_MAX == CRIMG_APP_MAX + 1, "an image holds every application name");
_Static_assert(PIDNS_MAX == CRIMG_APP_MEMBERS_MAX, "a pid name space holds a group dump's members");
_Static_assert((int)UTHREAD_READY == (int)CRIMG__THREAD_STATE__THREAD_READY &&
                       (int)UTHREAD_ZOMBIE == (int)CRIMG__THREAD_STATE__THREAD_ZOMBIE,
               "thread states are numbered as in uarea.proto");
_Static_assert((int)UWAIT_JOIN == (int)CRIMG__WAIT_REASON__WAIT_JOIN &&
                       (int)UWAIT_MIGRATE == (int)CRIMG__WAIT_REASON__WAIT_MIGRATE,
               "wait reasons are numbered as in uarea.proto");

static Crimg__Thread *process_thread_new(const struct uthread *t)
{
	Crimg__Thread *m = imgset_msg_new(&crimg__thread__descriptor);

	if (!m)
		return NULL;
	m->tid = t->tid;
	m->state = (Crimg__ThreadState)t->state;
	m->regs = calloc(CRIMG_REGS, sizeof(uint32_t));
	m->wait_args = calloc(CRIMG_WAIT_ARGS, sizeof(uint32_t));
	if (!m->regs || !m->wait_args) {
		crimg__thread__free_unpacked(m, NULL);
		return NULL;
	}
	m->n_regs = CRIMG_REGS;
	memcpy(m->regs, &t->hart.x[1], CRIMG_REGS * sizeof(uint32_t));
	m->n_wait_args = CRIMG_WAIT_ARGS;
	memcpy(m->wait_args, t->wait_arg, CRIMG_WAIT_ARGS * sizeof(uint32_t));
	m->pc = t->hart.pc;
	m->resv_addr = t->hart.resv_addr;
	m->resv_valid = t->hart.resv_valid != 0;
	m->instret = t->hart.instret;
	m->cycle = t->hart.cycle;
	m->clock = t->hart.clock;
	m->wait = (Crimg__WaitReason)t->wait;
	m->wait_seq = t->wait_seq;
	m->exit_value = t->exit_value;
	m->joined = t->joined != 0;
	m->stack_top = t->stack_top;
	m->stack_size = t->stack_size;
	return m;
}

/* The process's pid name space, if it lives in one, into p. */
static int process_pidns_capture(Crimg__Process *p, const struct pidns *ns)
{
	if (!ns)
		return 0;
	if (!(p->pid_ns = calloc(ns->n, sizeof(*p->pid_ns))))
		return -ENOMEM;
	for (uint32_t i = 0; i < ns->n; i++) {
		Crimg__PidName *a = imgset_msg_new(&crimg__pid_name__descriptor);
		if (!a)
			return -ENOMEM;
		a->pid = ns->name[i].seen;
		a->board_pid = ns->name[i].pid;
		a->vnode = ns->name[i].vnode;
		p->pid_ns[p->n_pid_ns++] = a;
	}
	return 0;
}

static int process_capture(struct crdump *d)
{
	struct imgset *s = d->s;
	const struct uarea *ua = d->ua;
	uint64_t clock = kcr_process_clock(d->c, d->pid);
	Crimg__UArea *m = imgset_msg_new(&crimg__uarea__descriptor);
	Crimg__Process *p;
	int rc;

	if (!m)
		return -ENOMEM;
	s->uarea = m;
	if (!(p = m->process = imgset_msg_new(&crimg__process__descriptor)))
		return -ENOMEM;
	p->pid = ua->pid;
	p->name = crobj_str(ua->name);
	p->state = (Crimg__ProcState)ua->state;
	p->status = ua->status;
	p->entry = ua->entry;
	p->heap_start = ua->heap_start;
	p->brk = ua->brk;
	p->brk_limit = ua->brk_limit;
	p->threads_max = ua->threads_max;
	p->next_tid = ua->next_tid;
	p->futex_seq = ua->futex_seq;
	p->main_stack = ua->main_stack;
	p->thread_stack = ua->thread_stack;
	p->instret = ua->instret;
	p->syscalls = ua->syscalls;
	p->switches = ua->switches;
	p->threads_created = ua->threads_created;
	p->ikc_messages = ua->ikc_messages;
	p->ikc_bytes = ua->ikc_bytes;
	p->clock = clock;
	p->has_vnode = 1;
	p->vnode = ua->vnode;
	p->app = crobj_str(ua->app);
	if ((rc = process_pidns_capture(p, kcr_pidns(d->c, d->pid))))
		return rc;
	if (!p->name || !p->app || !(p->ready_queue = calloc(ua->nslots + 1u, sizeof(uint32_t))) ||
	    !(m->threads = calloc(ua->nslots + 1u, sizeof(*m->threads))))
		return -ENOMEM;
	for (unsigned q = ua->ready_head; q != UAREA_NO_SLOT && p->n_ready_queue < ua->nslots;
	     q = ua->slot[q].next)
		p->ready_queue[p->n_ready_queue++] = ua->slot[q].tid;
	/* threads in ascending tid: slots are not ordered by tid */
	for (;;) {
		const struct uthread *next = NULL;
		uint32_t last = m->n_threads ? m->threads[m->n_threads - 1]->tid : 0;
		for (unsigned k = 0; k < ua->nslots; k++) {
			const struct uthread *t = &ua->slot[k];
			if (t->state != UTHREAD_FREE && (!m->n_threads || t->tid > last) &&
			    (!next || t->tid < next->tid))
				next = t;
		}
		if (!next)
			break;
		if (!(m->threads[m->n_threads] = process_thread_new(next)))
			return -ENOMEM;
		m->n_threads++;
	}
	return 0;
}

/* The slot whose stack is [top - size, top) in a process of ua's layout. */
static int process_slot_of(const struct uarea *ua, uint32_t top, uint32_t size)
{
	for (unsigned s = 0; s < ua->threads_max; s++) {
		uint32_t t, z;
		uarea_stack_of(ua, s, &t, &z);
		if (t == top && z == size)
			return (int)s;
	}
	return -1;
}

/* The process fits the profile: its stack layout, and a thread slot of
 * the layout for every thread's stack (r->slot_of, r->nslots). */
static int process_check(struct crbuild *r)
{
	const struct imgset *s = r->s;
	const struct profile *p = r->p;
	const Crimg__Process *pr = s->uarea->process;
	struct uarea lay = { 0 }, *layout = &lay; /* the profile's stacks */

	if (pr->state != CRIMG__PROC_STATE__PROC_RUNNING)
		return crerr_fail(r->e, -EINVAL, "the process had ended when dumped");
	if (pr->threads_max != p->threads_per_process || pr->main_stack != p->main_stack ||
	    pr->thread_stack != p->thread_stack)
		return crerr_fail(r->e, -EINVAL,
		                  "threads %u, stacks %u and %u bytes; profile %s has %u, %u "
		                  "and %u",
		                  pr->threads_max, pr->main_stack, pr->thread_stack, p->name,
		                  p->threads_per_process, p->main_stack, p->thread_stack);
	layout->threads_max = pr->threads_max;
	layout->main_stack = pr->main_stack;
	layout->thread_stack = pr->thread_stack;
	if (pr->brk_limit != uarea_stacks_floor(layout) || pr->brk > pr->brk_limit)
		return crerr_fail(r->e, -EINVAL, "heap limit 0x%08x; this profile's is 0x%08x",
		                  pr->brk_limit, uarea_stacks_floor(layout));
	for (size_t i = 0; i < pr->n_pid_ns; i++)
		if (pr->pid_ns[i]->vnode >= profile_clusters(p))
			return crerr_fail(
				r->e, -EINVAL,
				"its pid name space names virtual node %u; profile %s has "
				"%u nodes",
				pr->pid_ns[i]->vnode, p->name, profile_clusters(p));
	r->nslots = 1;
	for (size_t i = 0; i < s->uarea->n_threads; i++) {
		const Crimg__Thread *t = s->uarea->threads[i];
		int sl = process_slot_of(layout, t->stack_top, t->stack_size);
		if (sl < 0)
			return crerr_fail(r->e, -EINVAL,
			                  "thread %u: stack [0x%08x, 0x%08x) is no thread slot's "
			                  "of this profile",
			                  t->tid, t->stack_top - t->stack_size, t->stack_top);
		for (size_t j = 0; j < i; j++)
			if (r->slot_of[j] == sl)
				return crerr_fail(r->e, -EINVAL, "threads %u and %u share a stack",
				                  s->uarea->threads[j]->tid, t->tid);
		r->slot_of[i] = sl;
		if ((unsigned)sl + 1 > r->nslots)
			r->nslots = (unsigned)sl + 1;
		if (t->tid >= pr->next_tid)
			return crerr_fail(r->e, -EINVAL, "thread %u: tid not below the next tid %u",
			                  t->tid, pr->next_tid);
	}
	return 0;
}

/* Index of the thread of tid in the set, or -1. */
static int process_thread_index(const Crimg__UArea *u, uint32_t tid)
{
	for (size_t i = 0; i < u->n_threads; i++)
		if (u->threads[i]->tid == tid)
			return (int)i;
	return -1;
}

static void process_thread_restore(struct uthread *t, const Crimg__Thread *m)
{
	memset(t, 0, sizeof(*t));
	memcpy(&t->hart.x[1], m->regs, CRIMG_REGS * sizeof(uint32_t));
	t->hart.pc = m->pc;
	t->hart.resv_addr = m->resv_addr;
	t->hart.resv_valid = m->resv_valid;
	t->hart.instret = m->instret;
	t->hart.cycle = m->cycle;
	t->hart.clock = m->clock;
	t->tid = m->tid;
	t->state = (uint8_t)m->state;
	t->wait = (uint8_t)m->wait;
	t->next = UAREA_NO_SLOT;
	t->joined = m->joined;
	memcpy(t->wait_arg, m->wait_args, CRIMG_WAIT_ARGS * sizeof(uint32_t));
	t->wait_seq = m->wait_seq;
	t->exit_value = m->exit_value;
	t->stack_top = m->stack_top;
	t->stack_size = m->stack_size;
	/* A call waiting for the NoC, the name service or its own migration
	 * is asked again here: its pc is on its ecall, and the answers went
	 * to the old node (a kmigrate_to to this node returns 0). */
	if (t->state == UTHREAD_BLOCKED &&
	    (t->wait == UWAIT_IKC || t->wait == UWAIT_LOOKUP || t->wait == UWAIT_MIGRATE)) {
		t->state = UTHREAD_READY;
		t->wait = UWAIT_NONE;
	}
	if (t->state == UTHREAD_RUNNING)
		t->state = UTHREAD_READY;
}

/* Fills the UArea's header, its threads' slots and its ready queue. */
static int process_restore(struct crbuild *r)
{
	const Crimg__Process *pr = r->s->uarea->process;
	const Crimg__UArea *u = r->s->uarea;
	const int *slot_of = r->slot_of;
	struct uarea *ua = r->ua;
	struct pidns ns;
	int rc = 0;

	snprintf(ua->name, sizeof(ua->name), "%s", pr->name);
	ua->state = UPROC_RUNNING;
	ua->ready_head = ua->ready_tail = UAREA_NO_SLOT;
	ua->heap_start = pr->heap_start;
	ua->brk = pr->brk;
	ua->brk_limit = pr->brk_limit;
	ua->entry = pr->entry;
	ua->threads_max = pr->threads_max;
	ua->next_tid = pr->next_tid;
	ua->futex_seq = pr->futex_seq;
	ua->main_stack = pr->main_stack;
	ua->thread_stack = pr->thread_stack;
	ua->instret = pr->instret;
	ua->syscalls = pr->syscalls;
	ua->switches = pr->switches;
	ua->threads_created = pr->threads_created;
	ua->ikc_messages = pr->ikc_messages;
	ua->ikc_bytes = pr->ikc_bytes;
	ua->vnode = restore_vnode(r->s, kcr_node(r->c));
	snprintf(ua->app, sizeof(ua->app), "%s", pr->app); /* checked: imgcheck */
	if (r->o->ns)
		rc = kcr_build_pidns(r->b, r->o->ns);
	else if (restore_set_pidns(r->s, &ns))
		rc = kcr_build_pidns(r->b, &ns);
	if (rc == -ENOMEM)
		return crerr_fail(r->e, rc, "out of memory");
	if (rc)
		return crerr_fail(r->e, rc,
		                  "its pid name space is not one for pid %u (it lacks it, or "
		                  "repeats a pid)",
		                  ua->pid);
	for (unsigned sl = 0; sl < ua->nslots; sl++)
		ua->slot[sl].next = UAREA_NO_SLOT;
	for (size_t i = 0; i < u->n_threads; i++) {
		process_thread_restore(&ua->slot[slot_of[i]], u->threads[i]);
		ua->nthreads++;
	}
	/* The ready queue as it was, then threads made ready above. */
	for (size_t i = 0; i < pr->n_ready_queue; i++) {
		int k = process_thread_index(u, pr->ready_queue[i]);
		if (k >= 0 && ua->slot[slot_of[k]].state == UTHREAD_READY)
			uarea_ready_push(ua, (unsigned)slot_of[k]);
	}
	for (size_t i = 0; i < u->n_threads; i++) {
		unsigned sl = (unsigned)slot_of[i];
		int queued = ua->ready_tail == sl || ua->slot[sl].next != UAREA_NO_SLOT;
		if (ua->slot[sl].state == UTHREAD_READY && !queued)
			uarea_ready_push(ua, sl);
	}
	return 0;
}

const struct crobj crobj_process = {
	.name = "process",
	.kind = { IMGKIND_UAREA },
	.nkinds = 1,
	.capture = process_capture,
	.check = process_check,
	.restore = process_restore,
};
