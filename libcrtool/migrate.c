/*
 * migrate.c - migrations: one process, a group every member at once (a
 * connection each, in parallel), and a drain of a cluster. A member
 * that cannot move runs on where it was: each migration is whole or
 * nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcrtool/lib_priv.h"

static const char *const migrate_modes[] = { "stop-copy", "pre-copy", "post-copy" };

const char *crt_mode_name(int mode)
{
	return mode >= 0 && mode < 3 ? migrate_modes[mode] : NULL;
}

int crt_mode_of(const char *name)
{
	for (int m = 0; m < 3; m++)
		if (!strcmp(name, migrate_modes[m]))
			return m;
	return -1;
}

/* Fills r from the board's reply. */
static void migrate_copy(struct crt_migration *r, const Crtool__MigrateReply *m)
{
	r->from = m->from;
	r->to = (int32_t)m->to;
	r->status = CRT_OK;
	r->freeze_ns = m->freeze_ns;
	r->downtime_ns = m->downtime_ns;
	r->total_ns = m->total_ns;
	r->model_ns = m->model_ns;
	r->bytes = m->bytes;
	r->pages = m->pages;
	r->rounds = m->rounds;
	r->lazy_pages = m->lazy_pages;
	r->faults = m->faults;
	r->pushed = m->pushed;
}

/* The request to move pid to node. */
static void migrate_request(Crtool__Request *rq, Crtool__MigrateRequest *mq, uint32_t pid,
                            uint32_t to, int mode, uint32_t max_rounds)
{
	mq->pid = pid;
	mq->to = to;
	mq->mode = (Crtool__MigrateMode)mode;
	mq->max_rounds = max_rounds;
	mq->has_mode = mq->has_max_rounds = 1;
	rq->req_case = CRTOOL__REQUEST__REQ_MIGRATE;
	rq->migrate = mq;
}

/* Moves every member with a target at once, a connection each, into
 * r's members; the counts and the wall time of the whole. */
static void migrate_all(crt_board *b, const struct lib_member *m, size_t n, int mode,
                        uint32_t max_rounds, struct crt_migrate_result *r)
{
	crt_board **cl = calloc(n + 1, sizeof(*cl));
	uint64_t t0 = lib_now_ns();

	for (size_t i = 0; i < n; i++) {
		struct crt_migration *x = &r->members[i];
		Crtool__Request rq = CRTOOL__REQUEST__INIT;
		Crtool__MigrateRequest mq = CRTOOL__MIGRATE_REQUEST__INIT;
		x->pid = m[i].pid;
		x->from = m[i].node;
		x->to = m[i].to;
		if (m[i].to < 0)
			continue;
		if (!cl || crt_open(b->path, &cl[i])) {
			x->status = CRT_FAILED;
			snprintf(x->error, sizeof(x->error), "out of memory");
			continue;
		}
		migrate_request(&rq, &mq, m[i].pid, (uint32_t)m[i].to, mode, max_rounds);
		if ((x->status = lib_send(cl[i], &rq, NULL, 0)))
			snprintf(x->error, sizeof(x->error), "%s", cl[i]->err);
	}
	for (size_t i = 0; i < n; i++) {
		struct crt_migration *x = &r->members[i];
		Crtool__Reply *rp;
		if (m[i].to < 0) {
			r->stayed++;
			continue;
		}
		if (x->status == CRT_OK &&
		    (x->status = lib_next(cl[i], CRTOOL__REPLY__REP_MIGRATE, NULL, NULL, 0, &rp)))
			snprintf(x->error, sizeof(x->error), "%s", cl[i]->err);
		if (x->status == CRT_OK) {
			migrate_copy(x, rp->migrate);
			crtool__reply__free_unpacked(rp, NULL);
			r->moved++;
			if (x->downtime_ns > r->downtime_max_ns)
				r->downtime_max_ns = x->downtime_ns;
		} else {
			r->failed++;
		}
		if (cl)
			crt_close(cl[i]);
	}
	free(cl);
	r->total_ns = lib_now_ns() - t0;
}

/* Moves the members chosen, m (freed here), n of them, into *out. */
static int migrate_group(crt_board *b, struct lib_member *m, size_t n, int mode,
                         uint32_t max_rounds, struct crt_migrate_result **out)
{
	size_t failed;

	if (!(*out = calloc(1, sizeof(**out) + n * sizeof((*out)->members[0])))) {
		free(m);
		return lib_fail(b, CRT_FAILED, "out of memory");
	}
	(*out)->group = 1;
	(*out)->mode = mode;
	(*out)->n = n;
	migrate_all(b, m, n, mode, max_rounds, *out);
	free(m);
	if (!(failed = (*out)->failed))
		return CRT_OK;
	for (size_t i = 0; i < n; i++)
		if ((*out)->members[i].to >= 0 && (*out)->members[i].status) {
			lib_fail(b, CRT_FAILED,
			         "%zu of %zu processes could not move and run on where they "
			         "were; pid %u: %s",
			         failed, failed + (*out)->moved, (*out)->members[i].pid,
			         (*out)->members[i].error);
			break;
		}
	return CRT_FAILED;
}

/* One process, as ever: one request on b's connection. */
static int migrate_one(crt_board *b, const struct crt_migrate_opts *o,
                       struct crt_migrate_result **out)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__MigrateRequest mq = CRTOOL__MIGRATE_REQUEST__INIT;
	Crtool__Reply *rp;
	char what[96];
	int rc;

	migrate_request(&rq, &mq, o->pids[0], o->to[0], o->mode, o->max_rounds);
	snprintf(what, sizeof(what), "migration of pid %u to node %u (%s)", o->pids[0], o->to[0],
	         crt_mode_name(o->mode));
	if ((rc = lib_send(b, &rq, NULL, 0)) ||
	    (rc = lib_next(b, CRTOOL__REPLY__REP_MIGRATE, what, NULL, 0, &rp)))
		return rc;
	if (!(*out = calloc(1, sizeof(**out) + sizeof((*out)->members[0])))) {
		crtool__reply__free_unpacked(rp, NULL);
		return lib_fail(b, CRT_FAILED, "out of memory (pid %u moved)", o->pids[0]);
	}
	(*out)->mode = o->mode;
	(*out)->n = (*out)->moved = 1;
	(*out)->members[0].pid = o->pids[0];
	migrate_copy(&(*out)->members[0], rp->migrate);
	(*out)->total_ns = (*out)->members[0].total_ns;
	(*out)->downtime_max_ns = (*out)->members[0].downtime_ns;
	crtool__reply__free_unpacked(rp, NULL);
	return CRT_OK;
}

int crt_migrate(crt_board *b, const struct crt_migrate_opts *o, struct crt_migrate_result **out)
{
	struct lib_member *m;
	size_t n, going = 0;
	int rc;

	lib_clear(b);
	*out = NULL;
	if (!crt_mode_name(o->mode))
		return lib_fail(b, CRT_USAGE,
		                "migration mode %d: stop-copy (0), pre-copy (1) or "
		                "post-copy (2)",
		                o->mode);
	if (o->max_rounds > 64)
		return lib_fail(b, CRT_USAGE, "%u pre-copy rounds: at most 64", o->max_rounds);
	if (!o->n_pids && !o->app)
		return lib_fail(b, CRT_USAGE, "no process given (a pid, or an application)");
	if (!o->n_to == !o->n_map)
		return lib_fail(b, CRT_USAGE,
		                o->n_to ? "target nodes or a node map, not both"
		                        : "no target: a node to move to, or a node map");
	if (o->n_pids == 1 && !o->app && o->n_to == 1)
		return migrate_one(b, o, out);
	if ((rc = lib_members_select(b, o->app, o->pids, o->n_pids, -1, &m, &n)))
		return rc;
	if (!n) {
		free(m);
		return lib_fail(b, CRT_NO_PROCESS, "application '%s' has no process running",
		                o->app);
	}
	if ((rc = lib_members_target(b, m, n, o->to, o->n_to, o->map_from, o->map_to, o->n_map))) {
		free(m);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		going += m[i].to >= 0;
	if (!going) {
		free(m);
		return lib_fail(b, CRT_USAGE,
		                "the node map moves none of the %zu processes (on other "
		                "nodes)",
		                n);
	}
	return migrate_group(b, m, n, o->mode, o->max_rounds, out);
}

/* Targets for a drain of node: the compute clusters but node, the least
 * busy first. */
static int migrate_drain_targets(crt_board *b, struct lib_member *m, size_t n, uint32_t node)
{
	struct crt_stats *s;
	uint32_t *nodes, *load;
	size_t k = 0;
	int rc;

	if ((rc = crt_stats(b, &s)))
		return rc;
	nodes = calloc(s->n_clusters + 1, sizeof(*nodes));
	load = calloc(s->n_clusters + 1, sizeof(*load));
	for (size_t c = 0; nodes && load && c < s->n_clusters; c++)
		if (!s->clusters[c].io && s->clusters[c].node != node) {
			nodes[k] = s->clusters[c].node;
			load[k++] = s->clusters[c].processes;
		}
	if (!nodes || !load)
		rc = lib_fail(b, CRT_FAILED, "out of memory");
	else if (!k)
		rc = lib_fail(b, CRT_FAILED,
		              "the board has no other compute cluster to drain node %u to", node);
	for (size_t i = 0; rc == CRT_OK && i < n; i++) {
		size_t best = 0;
		for (size_t j = 1; j < k; j++)
			if (load[j] < load[best])
				best = j;
		m[i].to = (int32_t)nodes[best];
		load[best]++;
	}
	free(nodes);
	free(load);
	crt_free(s);
	return rc;
}

int crt_drain(crt_board *b, uint32_t node, const uint32_t *to, size_t n_to, int mode,
              struct crt_migrate_result **out)
{
	struct lib_member *m;
	size_t n;
	int rc;

	lib_clear(b);
	*out = NULL;
	if (!crt_mode_name(mode))
		return lib_fail(b, CRT_USAGE,
		                "migration mode %d: stop-copy (0), pre-copy (1) or "
		                "post-copy (2)",
		                mode);
	for (size_t j = 0; j < n_to; j++)
		if (to[j] == node)
			return lib_fail(b, CRT_USAGE,
			                "the target nodes list node %u, the one drained", node);
	if ((rc = lib_members_select(b, NULL, NULL, 0, (int)node, &m, &n)))
		return rc;
	for (size_t i = 0; i < n && n_to; i++)
		m[i].to = (int32_t)to[i % n_to];
	if (n && !n_to && (rc = migrate_drain_targets(b, m, n, node))) {
		free(m);
		return rc;
	}
	return migrate_group(b, m, n, mode, 0, out);
}
