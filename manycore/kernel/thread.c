/*
 * thread.c - the threads of a process: made, woken and reaped (see
 * thread.h). Their state is all in the UArea's slots.
 */
#include <errno.h>

#include "kernel/kernel_priv.h"
#include "kernel/thread.h"
#include "kernel/vm.h"
#include "params/profile.h"

/* Maps the stack of slot s; 0 or -ENOMEM. */
int thread_map_stack(struct vm *vm, const struct uthread *t)
{
	return vm_map(vm, t->stack_top - t->stack_size, t->stack_size, VM_R | VM_W);
}

int thread_create(struct cluster *c, uint32_t pi, unsigned parent, uint32_t pc, uint32_t arg0,
                  uint32_t arg1, uint32_t tls)
{
	struct kproc *kp = &c->procs[pi];
	struct uthread *t;
	uint32_t gp = kp->ua->slot[parent].hart.x[HART_REG_GP];
	int s = uarea_add_thread(&kp->ua);

	if (s < 0)
		return s;
	t = &kp->ua->slot[s];
	if (thread_map_stack(kp->vm, t)) {
		uarea_drop_thread(kp->ua, (unsigned)s);
		kp->ua->threads_created--;
		kp->ua->next_tid--;
		return -ENOMEM;
	}
	/* The stack top is 16-byte aligned, as the psABI wants at entry. */
	hart_init(&t->hart, pc, t->stack_top);
	t->hart.x[HART_REG_A0] = arg0;
	t->hart.x[HART_REG_A1] = arg1;
	t->hart.x[HART_REG_TP] = tls;
	t->hart.x[HART_REG_GP] = gp;
	kp->ua->pages = vm_pages(kp->vm);
	uarea_ready_push(kp->ua, (unsigned)s);
	return s;
}

void thread_wake(struct cluster *c, uint32_t pi, unsigned s)
{
	struct uarea *ua = c->procs[pi].ua;

	if (ua->slot[s].state != UTHREAD_BLOCKED)
		return;
	ua->slot[s].wait = UWAIT_NONE;
	uarea_ready_push(ua, s);
}

void thread_reap(struct cluster *c, uint32_t pi, unsigned s)
{
	struct kproc *kp = &c->procs[pi];
	struct uthread *t = &kp->ua->slot[s];

	vm_unmap(kp->vm, t->stack_top - t->stack_size, t->stack_size);
	uarea_drop_thread(kp->ua, s);
	kp->ua->pages = vm_pages(kp->vm);
}
