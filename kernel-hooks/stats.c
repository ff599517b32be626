/*
 * stats.c - the figures of a capture (stats.img): pages scanned, zero,
 * in the parent and written (counted by pages.c as it captures them),
 * bytes, and the times the writer of the set fills in. A restore has
 * nothing of them to take (see crobj.h).
 */
#include <errno.h>

#include "kernel-hooks/crobj.h"

static int stats_capture(struct crdump *d)
{
	if (!(d->s->stats = imgset_msg_new(&crimg__stats__descriptor)))
		return -ENOMEM;
	d->s->stats->rounds = 1;
	return 0;
}

const struct crobj crobj_stats = {
	.name = "stats",
	.kind = { IMGKIND_STATS },
	.nkinds = 1,
	.capture = stats_capture,
};
