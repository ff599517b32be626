/*
 * restore.c - an image set made a process again (see restore.h): the
 * kinds of object check it, then restore into a build, a stage each, in
 * the order of crobjs[] (crobj.h); any failure takes one way back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag/crerr.h"
#include "kernel-hooks/crobj.h"
#include "kernel-hooks/pages.h"
#include "kernel-hooks/restore.h"

int restore_check_room(struct cluster *c, uint32_t pages, struct crerr *e)
{
	uint32_t have = kcr_free_user_pages(c);

	if (pages > have)
		return crerr_fail(e, -ENOMEM,
		                  "needs %u KiB of user memory; node %u has %u KiB free", pages * 4,
		                  kcr_node(c), have * 4);
	return 0;
}

/* Every kind of object's checks; the set read by libcrimg (its page
 * index made); the target's room for what is not landed yet. */
static int restore_check(struct crbuild *r)
{
	uint32_t need = pages_needed(r->s), staged;
	int rc;

	for (unsigned i = 0; crobjs[i]; i++)
		if (crobjs[i]->check && (rc = crobjs[i]->check(r)) < 0)
			return rc;
	if (!r->s->run_first && r->s->nruns)
		return crerr_fail(r->e, -EINVAL,
		                  "the image set was not read by libcrimg (no page index)");
	staged = r->o->rounds ? pages_rounds_staged(r->o->rounds) : 0;
	return restore_check_room(r->c, need > staged ? need - staged : 0, r->e);
}

/* A table entry and an address space for the process: a new one, or a
 * migration's, which takes over the NoC presence of its source. */
static int restore_begin(struct crbuild *r)
{
	const struct restore_opts *o = r->o;
	uint32_t pid = o->pid ? o->pid : r->s->inventory->pid;
	int rc = o->move_from < 0 ? kcr_build_begin(r->c, pid, r->nslots, &r->b, r->e)
	                          : kcr_build_begin_move(r->c, pid, r->nslots,
	                                                 (uint32_t)o->move_from, &r->b, r->e);

	if (rc == 0)
		r->ua = kcr_build_uarea(r->b); /* its pid set by begin */
	return rc;
}

int restore_process(struct cluster *c, const struct imgset *s, const struct restore_opts *o,
                    struct crerr *e)
{
	struct crbuild r = { .c = c, .p = kcr_profile(c), .s = s, .o = o, .e = e };
	size_t nthreads = s->uarea ? s->uarea->n_threads : 0;
	int rc;

	if (!(r.slot_of = calloc(nthreads + 1, sizeof(*r.slot_of))))
		return crerr_fail(r.e, -ENOMEM, "out of memory");
	if ((rc = restore_check(&r)) < 0)
		goto err;
	if ((rc = restore_begin(&r)) < 0)
		goto err;
	for (unsigned i = 0; crobjs[i]; i++)
		if (crobjs[i]->restore && (rc = crobjs[i]->restore(&r)) < 0)
			goto err;
	if ((rc = kcr_build_commit(r.b, s->uarea->process->clock, o->frozen, r.eps, r.neps, e)) < 0)
		goto err;
	ipc_eps_free(r.eps, r.neps);
	free(r.slot_of);
	return 0;
err:
	kcr_build_abort(r.b);
	ipc_eps_free(r.eps, r.neps);
	free(r.slot_of);
	return rc;
}

uint32_t restore_vnode(const struct imgset *s, uint32_t node)
{
	const Crimg__Process *pr = s->uarea->process;

	return pr->has_vnode ? pr->vnode : node;
}

uint32_t restore_pid(const struct restore_opts *o, uint32_t pid)
{
	for (size_t i = 0; i < o->renumber.n; i++)
		if (o->renumber.from[i] == pid)
			return o->renumber.to[i];
	return pid;
}

int restore_set_pidns(const struct imgset *s, struct pidns *ns)
{
	const Crimg__Process *pr = s->uarea->process;

	ns->n = 0;
	for (size_t i = 0; i < pr->n_pid_ns && i < PIDNS_MAX; i++)
		ns->name[ns->n++] =
			(struct pidns_name){ pr->pid_ns[i]->pid, pr->pid_ns[i]->board_pid,
			                     pr->pid_ns[i]->vnode };
	return ns->n != 0;
}
