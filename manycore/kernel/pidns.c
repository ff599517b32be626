/*
 * pidns.c - pid name spaces (see pidns.h).
 */
#include <errno.h>
#include <stddef.h>

#include "kernel/pidns.h"

uint32_t pidns_to_board(const struct pidns *ns, uint32_t seen)
{
	for (uint32_t i = 0; ns && i < ns->n; i++)
		if (ns->name[i].seen == seen)
			return ns->name[i].pid;
	return seen;
}

uint32_t pidns_to_seen(const struct pidns *ns, uint32_t pid)
{
	for (uint32_t i = 0; ns && i < ns->n; i++)
		if (ns->name[i].pid == pid)
			return ns->name[i].seen;
	return pid;
}

int pidns_vnode(const struct pidns *ns, uint32_t vnode, uint32_t *seen)
{
	for (uint32_t i = 0; ns && i < ns->n; i++)
		if (ns->name[i].vnode == vnode) {
			*seen = ns->name[i].seen;
			return 1;
		}
	return 0;
}

int pidns_check(const struct pidns *ns, uint32_t self)
{
	int found = 0;

	if (ns->n < 1 || ns->n > PIDNS_MAX)
		return -EINVAL;
	for (uint32_t i = 0; i < ns->n; i++) {
		const struct pidns_name *a = &ns->name[i];
		if (!a->seen || !a->pid)
			return -EINVAL;
		for (uint32_t j = 0; j < i; j++)
			if (ns->name[j].seen == a->seen || ns->name[j].pid == a->pid)
				return -EINVAL;
		found |= a->pid == self;
	}
	return found ? 0 : -EINVAL;
}
