/*
 * capture.c - a process as an image set (see capture.h): each kind of
 * object in turn (crobj.h), a stage each.
 */
#include <errno.h>

#include "diag/crerr.h"
#include "kernel-hooks/capture.h"
#include "kernel-hooks/crobj.h"

int capture_process(struct cluster *c, uint32_t pid, const struct capture_opts *o,
                    struct imgset **out, struct crerr *e)
{
	struct crdump d = { c, pid, kcr_uarea(c, pid), o, NULL };
	int rc = 0;

	*out = NULL;
	if (!d.ua || d.ua->state != UPROC_RUNNING)
		return crerr_fail(e, -ESRCH, "pid %u: no such running process on node %u", pid,
		                  kcr_node(c));
	if (!(d.s = imgset_new()))
		return crerr_fail(e, -ENOMEM, "pid %u: out of memory", pid);
	/* The inventory comes first: the set's kind says what else it holds. */
	for (unsigned i = 0; crobjs[i]; i++) {
		const struct crobj *ob = crobjs[i];
		if (ob->capture && (!d.s->inventory || crobj_in(ob, d.s)) &&
		    (rc = ob->capture(&d)) < 0)
			goto err;
	}
	*out = d.s;
	return 0;
err:
	imgset_free(d.s);
	return crerr_fail(e, rc, "pid %u: out of memory capturing it", pid);
}
