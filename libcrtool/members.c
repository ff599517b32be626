/*
 * members.c - the members of a group: which running processes an
 * application, a list of pids or a node names, and where each goes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcrtool/lib_priv.h"

int lib_members_select(crt_board *b, const char *app, const uint32_t *pids, size_t npids, int node,
                       struct lib_member **out, size_t *n)
{
	Crtool__Reply *rp;
	size_t k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (app && !lib_app_name(b, app))
		return CRT_USAGE;
	if ((rc = lib_ps(b, &rp)))
		return rc;
	if (!(*out = calloc(rp->ps->n_procs + 1, sizeof(**out)))) {
		crtool__reply__free_unpacked(rp, NULL);
		return lib_fail(b, CRT_FAILED, "out of memory");
	}
	for (size_t j = 0; j < npids && rc == CRT_OK; j++) {
		size_t i = 0;
		while (i < rp->ps->n_procs &&
		       (rp->ps->procs[i]->pid != pids[j] ||
		        rp->ps->procs[i]->state != CRTOOL__PROC_STATE__RUNNING))
			i++;
		if (i == rp->ps->n_procs)
			rc = lib_fail(b, CRT_NO_PROCESS, "pid %u does not run on the board",
			              pids[j]);
	}
	for (size_t i = 0; i < rp->ps->n_procs && rc == CRT_OK; i++) {
		const Crtool__ProcInfo *p = rp->ps->procs[i];
		int chosen = !app && !npids; /* neither: every one */
		for (size_t j = 0; j < npids; j++)
			chosen |= pids[j] == p->pid;
		chosen |= app && p->app && !strcmp(p->app, app);
		if (p->state != CRTOOL__PROC_STATE__RUNNING || !chosen ||
		    (node >= 0 && p->node != (uint32_t)node))
			continue;
		(*out)[k] = (struct lib_member){ p->pid, p->node, -1, "" };
		snprintf((*out)[k++].app, sizeof((*out)[0].app), "%s", p->app ? p->app : "");
	}
	crtool__reply__free_unpacked(rp, NULL);
	if (rc) {
		free(*out);
		*out = NULL;
		return rc;
	}
	*n = k;
	return CRT_OK;
}

int lib_members_target(crt_board *b, struct lib_member *m, size_t n, const uint32_t *to,
                       size_t n_to, const uint32_t *from, const uint32_t *map_to, size_t n_map)
{
	if (n_to && n_map)
		return lib_fail(b, CRT_USAGE, "target nodes or a node map, not both");
	if (n_to) {
		if (n_to != 1 && n_to != n)
			return lib_fail(
				b, CRT_USAGE,
				"%zu target nodes: one node for all %zu processes, or one for "
				"each, in pid order",
				n_to, n);
		for (size_t i = 0; i < n; i++)
			m[i].to = (int32_t)to[n_to == 1 ? 0 : i];
		return CRT_OK;
	}
	if (!n_map)
		return lib_fail(b, CRT_USAGE, "no target: nodes to move to, or a node map");
	for (size_t j = 0; j < n_map; j++)
		for (size_t i = 0; i < n; i++)
			if (m[i].node == from[j])
				m[i].to = (int32_t)map_to[j];
	return CRT_OK;
}
