/*
 * inventory.c - the inventory of an image set (inventory.img): what the
 * set is (dump or pre-dump, its id and parent, format, profile, page
 * size) and whether a target can take it (see crobj.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "diag/crerr.h"
#include "images/imgparams.h"
#include "kernel-hooks/crobj.h"
#include "params/profile.h"

/* A set's id: random, from a generator seeded once a thread (a system
 * call a set cost microseconds of a migration's downtime). */
static uint64_t inventory_new_id(uint64_t fallback)
{
	static _Thread_local uint64_t state;
	uint64_t z;

	if (!state && getrandom(&state, sizeof(state), 0) != sizeof(state))
		state = fallback;
	z = (state += 0x9e3779b97f4a7c15ull); /* splitmix64 */
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int inventory_capture(struct crdump *d)
{
	struct imgset *s = d->s;
	const struct uarea *ua = d->ua;
	const struct capture_opts *o = d->o;
	Crimg__Inventory *inv = imgset_msg_new(&crimg__inventory__descriptor);
	struct timespec ts;

	if (!inv)
		return -ENOMEM;
	s->inventory = inv;
	inv->format_version = CRIMG_FORMAT_VERSION;
	inv->page_size = CRIMG_PAGE_SIZE;
	inv->source_node = kcr_node(d->c);
	inv->pid = ua->pid;
	inv->checksum = CRIMG__CHECKSUM_KIND__CHECKSUM_XXH3_64;
	inv->kind = o->pre_dump ? CRIMG__SET_KIND__SET_PRE_DUMP : CRIMG__SET_KIND__SET_DUMP;
	clock_gettime(CLOCK_REALTIME, &ts);
	inv->created_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	do
		inv->id = inventory_new_id(inv->created_ns ^ ((uint64_t)ua->pid << 32));
	while (!inv->id);
	if (o->parent_id || o->parent_chain) {
		inv->parent_id =
			o->parent_chain ? o->parent_chain->set[0]->inventory->id : o->parent_id;
		inv->parent = crobj_str(o->parent_dir);
	} else {
		inv->parent = crobj_str("");
	}
	inv->tool_version = crobj_str(CRIMG_TOOL_VERSION);
	inv->arch = crobj_str(CRIMG_ARCH);
	inv->profile = crobj_str(kcr_profile(d->c)->name);
	return inv->parent && inv->tool_version && inv->arch && inv->profile ? 0 : -ENOMEM;
}

static int inventory_check(struct crbuild *r)
{
	const Crimg__Inventory *inv = r->s->inventory;

	if (inv->kind != CRIMG__SET_KIND__SET_DUMP || !r->s->uarea)
		return crerr_fail(r->e, -EINVAL,
		                  "the image set is a pre-dump (pages only); restore a dump");
	if (strcmp(inv->profile, r->p->name))
		return crerr_fail(r->e, -EINVAL,
		                  "the image set is of profile %s; this board runs %s",
		                  inv->profile, r->p->name);
	if (inv->page_size != r->p->page_size)
		return crerr_fail(r->e, -EINVAL, "pages of %u bytes; this board's are %u",
		                  inv->page_size, r->p->page_size);
	if (*inv->parent && !r->o->rounds)
		return crerr_fail(r->e, -EINVAL,
		                  "the image set still names parent '%s': its pages must be "
		                  "merged in first",
		                  inv->parent);
	return 0;
}

const struct crobj crobj_inventory = {
	.name = "inventory",
	.kind = { IMGKIND_INVENTORY },
	.nkinds = 1,
	.capture = inventory_capture,
	.check = inventory_check,
};
