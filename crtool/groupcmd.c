/*
 * groupcmd.c - migrations of several processes at once, and drain (see
 * groupcmd.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "group"

#include "crtool/args.h"
#include "crtool/client.h"
#include "crtool/groupcmd.h"
#include "crtool/migcmd.h"
#include "diag/log.h"
#include "proto/nodelist.h"

/* The board's processes (ps), into *rp. */
static int groupcmd_ps(struct client *cl, Crtool__Reply **rp)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__PsRequest ps = CRTOOL__PS_REQUEST__INIT;

	rq.req_case = CRTOOL__REQUEST__REQ_PS;
	rq.ps = &ps;
	return client_call(cl, &rq, CRTOOL__REPLY__REP_PS, rp);
}

/* The running processes chosen (see groupcmd.h). */
int groupcmd_select(struct client *cl, const char *app, const uint32_t *pids, size_t npids,
                    int node, struct gmember **out, size_t *n)
{
	Crtool__Reply *rp;
	size_t k = 0;
	int rc = groupcmd_ps(cl, &rp);

	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	if (!(*out = calloc(rp->ps->n_procs + 1, sizeof(**out)))) {
		crtool__reply__free_unpacked(rp, NULL);
		LOG_ERROR("out of memory");
		return CRT_FAILED;
	}
	for (size_t j = 0; j < npids && rc == CRT_OK; j++) {
		size_t i = 0;
		while (i < rp->ps->n_procs &&
		       (rp->ps->procs[i]->pid != pids[j] ||
		        rp->ps->procs[i]->state != CRTOOL__PROC_STATE__RUNNING))
			i++;
		if (i == rp->ps->n_procs) {
			LOG_ERROR("pid %u does not run on the board", pids[j]);
			rc = CRT_NO_PROCESS;
		}
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
		(*out)[k] = (struct gmember){ p->pid, p->node, -1, NULL, CRT_OK, p->vnode, "" };
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

/* Sets each member's target from where. CRT_OK or CRT_USAGE (said). */
static int groupcmd_targets(struct gmember *m, size_t n, const struct groupcmd_where *w)
{
	uint32_t nodes[NODELIST_MAX], from[NODELIST_MAX];
	int k;

	if (w->to) {
		if ((k = nodelist_parse(w->to, nodes, NODELIST_MAX)) < 0 ||
		    (k != 1 && (size_t)k != n)) {
			LOG_ERROR("--to '%s': one node for all %zu processes, or one for each, "
			          "in pid order",
			          w->to, n);
			return CRT_USAGE;
		}
		for (size_t i = 0; i < n; i++)
			m[i].to = (int)nodes[k == 1 ? 0 : i];
		return CRT_OK;
	}
	if ((k = nodelist_parse_map(w->map, from, nodes, NODELIST_MAX)) < 0)
		goto bad;
	for (int j = 0; j < k; j++)
		for (size_t i = 0; i < n; i++)
			if (m[i].node == from[j])
				m[i].to = (int)nodes[j];
	return CRT_OK;
bad:
	LOG_ERROR("--map '%s': OLD:NEW pairs of nodes, comma-separated (8:12,9:13)", w->map);
	return CRT_USAGE;
}

/* Moves every member with a target at once, a connection each; fills
 * each member's reply and status. The wall time of the whole, in ns. */
static uint64_t groupcmd_move(const char *path, struct gmember *m, size_t n,
                              Crtool__MigrateMode mode, uint32_t max_rounds)
{
	struct client *cls = calloc(n + 1, sizeof(*cls));
	uint64_t t0 = args_now_ns();

	if (!cls) {
		LOG_ERROR("out of memory");
		for (size_t i = 0; i < n; i++)
			m[i].rc = CRT_FAILED;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		Crtool__Request rq = CRTOOL__REQUEST__INIT;
		Crtool__MigrateRequest mq = CRTOOL__MIGRATE_REQUEST__INIT;
		cls[i] = (struct client){ path, -1 };
		if (m[i].to < 0)
			continue;
		mq.pid = m[i].pid;
		mq.to = (uint32_t)m[i].to;
		mq.mode = mode;
		mq.max_rounds = max_rounds;
		mq.has_mode = mq.has_max_rounds = 1;
		rq.req_case = CRTOOL__REQUEST__REQ_MIGRATE;
		rq.migrate = &mq;
		m[i].rc = client_send(&cls[i], &rq);
	}
	for (size_t i = 0; i < n; i++) {
		if (m[i].to >= 0 && m[i].rc == CRT_OK) {
			m[i].rc = client_next(&cls[i], CRTOOL__REPLY__REP_MIGRATE, &m[i].rp);
			if (m[i].rc)
				LOG_ERROR("pid %u runs on on node %u", m[i].pid, m[i].node);
		}
		client_close(&cls[i]);
	}
	free(cls);
	return args_now_ns() - t0;
}

/* Prints the members' figures and the total; the exit status. */
static int groupcmd_report(struct gmember *m, size_t n, Crtool__MigrateMode mode, uint64_t wall,
                           int json)
{
	size_t moved = 0, failed = 0;
	uint64_t worst = 0;
	json_t *all = json ? json_array() : NULL, *stayed = json ? json_array() : NULL;

	for (size_t i = 0; i < n; i++) {
		if (m[i].to < 0) {
			if (stayed)
				json_array_append_new(stayed, json_integer(m[i].pid));
			continue;
		}
		if (m[i].rc || !m[i].rp) {
			failed++;
			continue;
		}
		moved++;
		if (m[i].rp->migrate->downtime_ns > worst)
			worst = m[i].rp->migrate->downtime_ns;
		if (all)
			json_array_append_new(all,
			                      migcmd_reply_json(m[i].pid, m[i].rp->migrate, mode));
		else
			migcmd_print_reply(m[i].pid, m[i].rp->migrate, mode);
	}
	if (json) {
		json_t *o = json_pack("{s:o, s:o, s:I, s:I, s:f, s:f}", "processes", all, "stayed",
		                      stayed, "moved", (json_int_t)moved, "failed",
		                      (json_int_t)failed, "total_ms", (double)wall / 1e6,
		                      "downtime_max_ms", (double)worst / 1e6);
		if (args_print_json(o))
			return CRT_FAILED;
	} else {
		printf("%zu of %zu processes moved (%s) in %.3f ms, all at once; longest downtime "
		       "%.3f ms",
		       moved, moved + failed, migcmd_mode_name(mode), (double)wall / 1e6,
		       (double)worst / 1e6);
		if (failed)
			printf("; %zu could not move and run on where they were", failed);
		printf("\n");
	}
	for (size_t i = 0; i < n; i++)
		if (m[i].rp)
			crtool__reply__free_unpacked(m[i].rp, NULL);
	return failed ? CRT_FAILED : CRT_OK;
}

int groupcmd_migrate(struct client *cl, const char *app, const uint32_t *pids, size_t npids,
                     const struct groupcmd_where *where, Crtool__MigrateMode mode,
                     uint32_t max_rounds, int json)
{
	struct gmember *m;
	size_t n, going = 0;
	int rc = groupcmd_select(cl, app, pids, npids, -1, &m, &n);

	if (rc)
		return rc;
	if (!n) {
		LOG_ERROR("application '%s' has no process running", app ? app : "?");
		free(m);
		return CRT_NO_PROCESS;
	}
	if ((rc = groupcmd_targets(m, n, where))) {
		free(m);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		going += m[i].to >= 0;
	if (!going) {
		LOG_ERROR("--map moves none of the %zu processes (on other nodes)", n);
		free(m);
		return CRT_USAGE;
	}
	rc = groupcmd_report(m, n, mode, groupcmd_move(cl->path, m, n, mode, max_rounds), json);
	free(m);
	return rc;
}

/* Sets the members' targets for a drain of node: the nodes listed, in
 * turn, else the compute clusters but node, the least busy first. */
static int groupcmd_drain_targets(struct client *cl, struct gmember *m, size_t n, int node,
                                  const char *to)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__StatsRequest st = CRTOOL__STATS_REQUEST__INIT;
	uint32_t nodes[NODELIST_MAX], load[NODELIST_MAX];
	Crtool__Reply *rp;
	int k = 0, rc;

	if (to) {
		if ((k = nodelist_parse(to, nodes, NODELIST_MAX)) < 0) {
			LOG_ERROR("--to '%s': a list of nodes such as 8-23 or 9,12", to);
			return CRT_USAGE;
		}
		for (int j = 0; j < k; j++)
			if (nodes[j] == (uint32_t)node) {
				LOG_ERROR("--to lists node %d, the one drained", node);
				return CRT_USAGE;
			}
		for (size_t i = 0; i < n; i++)
			m[i].to = (int)nodes[i % (size_t)k];
		return CRT_OK;
	}
	rq.req_case = CRTOOL__REQUEST__REQ_STATS;
	rq.stats = &st;
	if ((rc = client_call(cl, &rq, CRTOOL__REPLY__REP_STATS, &rp)))
		return rc;
	for (size_t c = 0; c < rp->stats->n_clusters && k < NODELIST_MAX; c++) {
		const Crtool__ClusterStats *cs = rp->stats->clusters[c];
		if (!cs->io && cs->node != (uint32_t)node) {
			nodes[k] = cs->node;
			load[k++] = cs->processes;
		}
	}
	crtool__reply__free_unpacked(rp, NULL);
	if (!k) {
		LOG_ERROR("the board has no other compute cluster to drain node %d to", node);
		return CRT_FAILED;
	}
	for (size_t i = 0; i < n; i++) {
		int best = 0;
		for (int j = 1; j < k; j++)
			if (load[j] < load[best])
				best = j;
		m[i].to = (int)nodes[best];
		load[best]++;
	}
	return CRT_OK;
}

int groupcmd_drain(struct client *cl, int argc, char **argv)
{
	const char *nodestr = NULL, *to = NULL, *modestr = NULL;
	int json = args_take_flag(&argc, argv, "--json"), node, mode = 0, rc;
	struct gmember *m;
	size_t n;

	if (args_take_value(&argc, argv, "--node", &nodestr) < 0 ||
	    args_take_value(&argc, argv, "--to", &to) < 0 ||
	    args_take_value(&argc, argv, "--mode", &modestr) < 0 || args_none(argc, argv))
		return CRT_USAGE;
	if (!nodestr) {
		LOG_ERROR("--node N is needed (try --help)");
		return CRT_USAGE;
	}
	if ((node = args_parse_node(nodestr)) < 0)
		return CRT_USAGE;
	if (modestr && (mode = migcmd_mode_of(modestr)) < 0) {
		LOG_ERROR("mode '%s': stop-copy, pre-copy or post-copy", modestr);
		return CRT_USAGE;
	}
	if ((rc = groupcmd_select(cl, NULL, NULL, 0, node, &m, &n)))
		return rc;
	if (!n) {
		free(m);
		if (json)
			return args_print_json(json_pack("{s:[], s:[], s:I, s:I, s:f, s:f}",
			                                 "processes", "stayed", "moved",
			                                 (json_int_t)0, "failed", (json_int_t)0,
			                                 "total_ms", 0.0, "downtime_max_ms", 0.0));
		printf("node %d runs no process: nothing to move\n", node);
		return CRT_OK;
	}
	if ((rc = groupcmd_drain_targets(cl, m, n, node, to))) {
		free(m);
		return rc;
	}
	rc = groupcmd_report(m, n, (Crtool__MigrateMode)mode,
	                     groupcmd_move(cl->path, m, n, (Crtool__MigrateMode)mode, 0), json);
	free(m);
	return rc;
}
