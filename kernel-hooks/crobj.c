/*
 * crobj.c - the table of the kinds of object (see crobj.h).
 */
#include <stdlib.h>
#include <string.h>

#include "kernel-hooks/crobj.h"

/* Checks a restore takes in this order too: a set with several faults
 * is told its first. */
const struct crobj *const crobjs[] = {
	&crobj_inventory, &crobj_stats, &crobj_process, &crobj_mm, &crobj_pages, &crobj_ipc, NULL,
};

int crobj_in(const struct crobj *ob, const struct imgset *s)
{
	return imgset_has_kind(s, ob->kind[0]);
}

char *crobj_str(const char *s)
{
	return strdup(s ? s : "");
}
