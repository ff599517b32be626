/*
 * kctx.h - one kernel call in progress: whose it is, and what it did to
 * the calling thread (kcall.c, ikc.c).
 */
#ifndef KCTX_H
#define KCTX_H

#include <stdint.h>

#include "kernel/uarea.h"

struct cluster;
struct vm;

/* The context of one kernel call. */
struct kctx {
	struct cluster *c;
	uint32_t pi;
	unsigned s;
	struct uarea *ua;
	struct vm *vm;
	struct uthread *t;
};

/* Argument i of the call (a0 + i). */
#define KARG(k, i) ((k)->t->hart.x[HART_REG_A0 + (i)])

/* What a kernel call did to the calling thread. */
enum kcall_result {
	KCALL_DONE = 0, /* completed: the thread goes on */
	KCALL_YIELD,    /* completed, and the thread gives up its core */
	KCALL_OFF_CORE, /* the thread blocked or exited, or the process ended */
};

/* Blocks the caller for reason w, with its arguments; its pc stays on
 * the ecall, so that it issues the call again when woken. */
static inline enum kcall_result kctx_block(struct kctx *k, enum uwait w, uint32_t a0, uint32_t a1,
                                           uint32_t a2)
{
	k->t->state = UTHREAD_BLOCKED;
	k->t->wait = (uint8_t)w;
	k->t->wait_arg[0] = a0;
	k->t->wait_arg[1] = a1;
	k->t->wait_arg[2] = a2;
	return KCALL_OFF_CORE;
}

#endif /* KCTX_H */
