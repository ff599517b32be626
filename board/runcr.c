/*
 * runcr.c - checkpoints inside `manycore run` (see runcr.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_MODULE "runcr"

#define RUNCR_APP_MAX 64 /* processes of a group dump */

#include "board/appcr.h"
#include "board/board.h"
#include "board/checkpoint.h"
#include "board/migration.h"
#include "board/rebuild.h"
#include "board/runcr.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "images/imgapp.h"
#include "images/imgbuf.h"
#include "images/imgchain.h"
#include "images/imgset.h"
#include "params/profile.h"

/* Each kind of point and the word that names it (KIND@N). */
static const struct {
	const char *word;
	enum runcr_kind kind;
} runcr_words[] = {
	{ "dump", RUNCR_DUMP },       { "pre", RUNCR_PRE },         { "mig", RUNCR_MIG },
	{ "premig", RUNCR_PMIG },     { "postmig", RUNCR_POSTMIG }, { "appdump", RUNCR_APPDUMP },
	{ "appmove", RUNCR_APPMOVE }, { "appcopy", RUNCR_APPCOPY }, { "appmig", RUNCR_APPMIG },
	{ "drain", RUNCR_DRAIN },
};

static int runcr_is_app(enum runcr_kind k)
{
	return k == RUNCR_APPDUMP || k == RUNCR_APPMOVE || k == RUNCR_APPCOPY;
}

static const char *runcr_app_word(enum runcr_kind k)
{
	for (size_t i = 0; i < sizeof(runcr_words) / sizeof(runcr_words[0]); i++)
		if (runcr_words[i].kind == k)
			return runcr_words[i].word;
	return "dump";
}

int runcr_add(struct runcr *r, const char *spec)
{
	const char *at = strchr(spec, '@');
	size_t k = 0, nw = sizeof(runcr_words) / sizeof(runcr_words[0]);
	char *end;
	unsigned long long n;

	if (!at || r->n == RUNCR_POINTS_MAX)
		return -EINVAL;
	errno = 0;
	n = strtoull(at + 1, &end, 10);
	if (errno || end == at + 1 || *end || n == 0)
		return -EINVAL;
	while (k < nw && (strlen(runcr_words[k].word) != (size_t)(at - spec) ||
	                  strncmp(spec, runcr_words[k].word, (size_t)(at - spec))))
		k++;
	if (k == nw)
		return -EINVAL;
	r->point[r->n].kind = runcr_words[k].kind;
	r->point[r->n++].at = n;
	return 0;
}

int runcr_setup(struct runcr *r, const char *dir)
{
	/* points in order of instructions */
	for (unsigned i = 1; i < r->n; i++)
		for (unsigned j = i; j > 0 && r->point[j - 1].at > r->point[j].at; j--) {
			struct runcr_point t = r->point[j];
			r->point[j] = r->point[j - 1];
			r->point[j - 1] = t;
		}
	if (dir) {
		snprintf(r->dir, sizeof(r->dir), "%s", dir);
		r->keep = 1;
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -errno;
		return 0;
	}
	snprintf(r->dir, sizeof(r->dir), "%s/manycore-cr-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(r->dir) ? 0 : -errno;
}

void runcr_cleanup(struct runcr *r)
{
	char path[4300];

	if (r->keep || !r->dir[0])
		return;
	/* image sets of known names only: inventory.img ... stats.img */
	for (unsigned i = 0; i < r->n; i++) {
		char set[4200];
		snprintf(set, sizeof(set), "%s/%u-%s@%" PRIu64, r->dir, i + 1,
		         r->point[i].kind == RUNCR_PRE    ? "pre"
		         : runcr_is_app(r->point[i].kind) ? runcr_app_word(r->point[i].kind)
		                                          : "dump",
		         r->point[i].at);
		if (runcr_is_app(r->point[i].kind)) {
			imgapp_remove_dir(set);
			continue;
		}
		for (int k = 0; k < IMGKIND_COUNT; k++) {
			snprintf(path, sizeof(path), "%s/%s", set, imgkind_info(k)->file);
			unlink(path);
		}
		rmdir(set);
	}
	rmdir(r->dir);
}

/* The files the board writes, and where commit stores them: a
 * directory of the run's. */
struct runcr_sink {
	struct imgbuf buf;
	const char *dir;
	struct crerr *e; /* the dump's: why the store failed */
};

static int runcr_commit(void *ctx, uint64_t stream_bytes)
{
	struct runcr_sink *s = ctx;
	struct imgset *set;
	int rc = imgbuf_store(&s->buf, s->dir, NULL, &set, s->e);

	(void)stream_bytes;
	imgset_free(set);
	return rc;
}

/* The compute node after node, round the board. */
static int runcr_next_node(struct board *b, uint32_t node)
{
	const struct profile *p = board_profile(b);
	uint32_t first = profile_first_compute(p), n = p->compute_clusters;

	return (int)(node < first ? first : first + (node - first + 1) % n);
}

/* Point i: pid (frozen there) moves to the next compute cluster. */
static int runcr_migrate(struct runcr *r, struct board *b, uint32_t pid, unsigned i)
{
	struct migd_result mr;
	struct board_proc_info info;
	struct crerr e = CRERR_INIT;
	int rc;

	if (board_info(b, pid, 0, &info) || info.state != BOARD_RUNNING) {
		LOG_ERROR("migrate at %" PRIu64 " instructions: pid %u is not running",
		          r->point[i].at, pid);
		return -ESRCH;
	}
	rc = migration_run(b, pid, (uint32_t)runcr_next_node(b, info.node),
	                   r->point[i].kind == RUNCR_PMIG      ? MIGD_PRE_COPY
	                   : r->point[i].kind == RUNCR_POSTMIG ? MIGD_POST_COPY
	                                                       : MIGD_STOP_COPY,
	                   0, &mr, &e);
	if (rc) {
		LOG_ERROR("migrate at %" PRIu64 " instructions: %s", r->point[i].at, e.msg);
		return rc;
	}
	if (!r->quiet)
		fprintf(stderr,
		        "manycore: pid %u migrated at %" PRIu64 " instructions from node %u "
		        "to node %u (%" PRIu64 " bytes, %u rounds, downtime %.3f ms)\n",
		        pid, r->point[i].at, mr.from, mr.to, mr.bytes, mr.rounds,
		        (double)mr.downtime_ns / 1e6);
	return 0;
}

/* Moves pid off node from in mode: to the compute cluster to, or, if
 * that one has no room (its limit of processes, memory or endpoints),
 * the next one that has. 0, or the last refusal (said in e). */
static int runcr_move_one(struct board *b, uint32_t pid, uint32_t from, uint32_t to,
                          enum migd_mode mode, struct crerr *e)
{
	uint32_t tries = board_profile(b)->compute_clusters;
	struct migd_result mr;
	int rc = -EAGAIN;

	for (; tries && (rc == -EAGAIN || rc == -ENOMEM || rc == -ENOSPC); tries--) {
		if (to != from) {
			crerr_reset(e);
			rc = migration_run(b, pid, to, mode, 0, &mr, e);
		}
		to = (uint32_t)runcr_next_node(b, to);
	}
	return rc;
}

/* Point i: a group moved (every running process), or the first
 * program's cluster drained (every process on it), each process on to a
 * compute cluster after its own (a drain spreads them over the ones
 * after it) with room for it, in stop-copy, pre-copy and post-copy in
 * turn. They move one after the other while the rest stand still, as
 * the run is one thread; crtool migrate --app and drain move them at
 * once on a served board. */
static int runcr_move_all(struct runcr *r, struct board *b, uint32_t pid, unsigned i)
{
	static const enum migd_mode modes[3] = { MIGD_STOP_COPY, MIGD_PRE_COPY, MIGD_POST_COPY };
	struct board_proc_info *ps = NULL, me;
	size_t nps = 0, moved = 0;
	int rc = board_info(b, pid, 0, &me) || board_ps(b, &ps, &nps) ? -ESRCH : 0;

	for (size_t k = 0; k < nps && rc == 0; k++) {
		struct crerr e = CRERR_INIT;
		uint32_t to;
		if (ps[k].state != BOARD_RUNNING ||
		    (r->point[i].kind == RUNCR_DRAIN && ps[k].node != me.node))
			continue;
		to = (uint32_t)runcr_next_node(b, ps[k].node);
		for (size_t hop = 0; r->point[i].kind == RUNCR_DRAIN && hop < moved; hop++)
			to = (uint32_t)runcr_next_node(b, to);
		rc = runcr_move_one(b, ps[k].pid, ps[k].node, to, modes[(moved + i) % 3], &e);
		if (rc)
			LOG_ERROR("%s at %" PRIu64 " instructions: pid %u: %s",
			          r->point[i].kind == RUNCR_DRAIN ? "drain" : "group migration",
			          r->point[i].at, ps[k].pid, e.msg);
		moved += rc == 0;
	}
	free(ps);
	if (rc == 0 && !r->quiet)
		fprintf(stderr,
		        "manycore: %zu process%s migrated at %" PRIu64 " instructions (%s)\n",
		        moved, moved == 1 ? "" : "es", r->point[i].at,
		        r->point[i].kind == RUNCR_DRAIN ? "node drained" : "the whole group");
	return rc;
}

/* The group's files, and where commit stores them. */
struct runcr_app {
	struct imgbuf *buf;
	const uint32_t *pids;
	size_t n;
	const char *dir;
	const uint64_t *cut_ns; /* appcr_dump's, known before the commit */
	struct crerr *e;
};

static int runcr_app_commit(void *ctx, uint64_t stream_bytes)
{
	struct runcr_app *g = ctx;
	struct imgseg(*segs)[IMGKIND_COUNT] = calloc(g->n, sizeof(*segs));
	struct imgset **sets = calloc(g->n, sizeof(*sets));
	Crimg__App *a = imgapp_new("run", CRIMG__SET_KIND__SET_DUMP, g->pids, g->n);
	int rc = segs && sets && a ? 0 : crerr_fail(g->e, -ENOMEM, "out of memory");

	(void)stream_bytes;
	for (size_t i = 0; i < g->n && rc == 0; i++) {
		rc = imgbuf_read(&g->buf[i], "group dump", &sets[i], g->e);
		memcpy(segs[i], g->buf[i].map, sizeof(segs[i]));
	}
	if (rc == 0 && (rc = imgapp_fill(a, sets, g->e)) == 0) {
		a->cut_ns = *g->cut_ns;
		rc = imgapp_store(g->dir, a, (const struct imgseg(*)[IMGKIND_COUNT])segs, g->e);
	}
	for (size_t i = 0; sets && i < g->n; i++)
		imgset_free(sets[i]);
	free(sets);
	free(segs);
	imgapp_free(a);
	return rc;
}

/* Restores the group in dir, each member where it ran, or (move) on the
 * compute cluster after that one, or (copy) as a copy wherever there is
 * most room. */
static int runcr_app_restore(struct board *b, const char *dir, enum runcr_kind kind,
                             struct crerr *e)
{
	Crimg__App *a;
	int(*fds)[IMGKIND_COUNT];
	const int **files;
	size_t *counts;
	int *nodes;
	struct appcr_restore_result rr = { 0, 0, NULL };
	char path[4300];
	int rc = imgapp_read(dir, &a, e);

	if (rc)
		return rc;
	fds = calloc(a->n_members, sizeof(*fds));
	files = calloc(a->n_members, sizeof(*files));
	counts = calloc(a->n_members, sizeof(*counts));
	nodes = calloc(a->n_members, sizeof(*nodes));
	if (!fds || !files || !counts || !nodes)
		rc = crerr_fail(e, -ENOMEM, "out of memory");
	for (size_t i = 0; i < a->n_members && rc == 0; i++) {
		struct imgset *head;
		snprintf(path, sizeof(path), "%s/%s", dir, a->members[i]->dir);
		rc = imgchain_stream_files(path, fds[i], &counts[i], &head, e);
		imgset_free(head);
		files[i] = fds[i];
		nodes[i] = kind == RUNCR_APPMOVE   ? runcr_next_node(b, a->members[i]->node)
		           : kind == RUNCR_APPCOPY ? BOARD_NODE_ANY
		                                   : (int)a->members[i]->node;
	}
	if (rc == 0)
		rc = appcr_restore(b, a->n_members, nodes, files, counts, kind == RUNCR_APPCOPY,
		                   &rr, e);
	for (size_t i = 0; counts && i < a->n_members; i++)
		while (counts[i])
			close(fds[i][--counts[i]]);
	free(fds);
	free(files);
	free(counts);
	free(nodes);
	imgapp_free(a);
	return rc;
}

/* Point i: every running process dumped as one group and restored. */
static int runcr_app(struct runcr *r, struct board *b, unsigned i)
{
	enum runcr_kind kind = r->point[i].kind;
	struct appcr_dump_opts o = { .base = { .level = r->level,
		                               .leave_running = kind == RUNCR_APPCOPY } };
	struct appcr_dump_result dr = { 0, 0, NULL };
	struct board_proc_info *ps = NULL;
	struct crerr e = CRERR_INIT;
	struct runcr_app g = { .e = &e };
	uint32_t pids[RUNCR_APP_MAX];
	int(*files)[IMGKIND_COUNT] = NULL;
	char dir[4200];
	size_t nps = 0, n = 0;
	int rc = board_ps(b, &ps, &nps);

	/* a copy's members (in a pid name space) are not copied again */
	for (size_t k = 0; k < nps && rc == 0; k++)
		if (ps[k].state == BOARD_RUNNING && n < RUNCR_APP_MAX &&
		    (!ps[k].ns_pid || ps[k].ns_pid == ps[k].pid))
			pids[n++] = ps[k].pid;
	free(ps);
	snprintf(dir, sizeof(dir), "%s/%u-%s@%" PRIu64, r->dir, i + 1, runcr_app_word(kind),
	         r->point[i].at);
	g = (struct runcr_app){ calloc(n, sizeof(*g.buf)), pids, n, dir, &dr.cut_ns, &e };
	files = calloc(n, sizeof(*files));
	if (rc || !g.buf || !files)
		rc = crerr_fail(&e, -ENOMEM, "out of memory");
	for (size_t k = 0; k < n && rc == 0; k++) {
		rc = imgbuf_new(&g.buf[k], &e);
		memcpy(files[k], g.buf[k].fd, sizeof(files[k]));
	}
	if (rc == 0)
		rc = appcr_dump(b, pids, n, &o, (const int(*)[IMGKIND_COUNT])files,
		                runcr_app_commit, &g, &dr, &e);
	for (size_t k = 0; g.buf && k < n; k++)
		imgbuf_free(&g.buf[k]);
	free(g.buf);
	free(files);
	if (rc == 0 && (rc = runcr_app_restore(b, dir, kind, &e)))
		LOG_ERROR("restore of group %s: %s", dir, e.msg);
	else if (rc)
		LOG_ERROR("group dump at %" PRIu64 " instructions: %s", r->point[i].at, e.msg);
	if (rc == 0 && !r->quiet)
		fprintf(stderr,
		        "manycore: %zu processes dumped at %" PRIu64 " instructions as one "
		        "group (cut %.3f us), restored %s\n",
		        n, r->point[i].at, (double)dr.cut_ns / 1e3,
		        kind == RUNCR_APPMOVE   ? "each on the next compute cluster"
		        : kind == RUNCR_APPCOPY ? "as a copy beside them"
		                                : "where they ran");
	return rc;
}

static int runcr_point(struct runcr *r, struct board *b, uint32_t pid, unsigned i)
{
	struct checkpoint_dump_opts o = { 0 };
	struct checkpoint_dump_result dr;
	struct rebuild_result rr;
	struct crerr e = CRERR_INIT;
	struct runcr_sink sink = { .dir = NULL, .e = &e };
	char set[4200], parent[128];
	int pre = r->point[i].kind == RUNCR_PRE, rc;

	if (r->point[i].kind == RUNCR_MIG || r->point[i].kind == RUNCR_PMIG ||
	    r->point[i].kind == RUNCR_POSTMIG)
		return runcr_migrate(r, b, pid, i);
	if (r->point[i].kind == RUNCR_APPMIG || r->point[i].kind == RUNCR_DRAIN)
		return runcr_move_all(r, b, pid, i);
	if (runcr_is_app(r->point[i].kind))
		return runcr_app(r, b, i);

	if (imgbuf_new(&sink.buf, &e) < 0) {
		LOG_ERROR("%s", e.msg);
		return -ENOMEM;
	}
	snprintf(set, sizeof(set), "%s/%u-%s@%" PRIu64, r->dir, i + 1, pre ? "pre" : "dump",
	         r->point[i].at);
	snprintf(parent, sizeof(parent), "../%s", r->parent);
	sink.dir = set;
	o.pre_dump = pre;
	o.level = r->level;
	o.parent_id = r->parent_id;
	o.parent_dir = r->parent_id ? parent : NULL;
	rc = checkpoint_dump(b, pid, &o, sink.buf.fd, runcr_commit, &sink, &dr, &e);
	imgbuf_free(&sink.buf);
	if (rc) {
		LOG_ERROR("%s at %" PRIu64 " instructions: %s", pre ? "pre-dump" : "dump",
		          r->point[i].at, e.msg);
		return rc;
	}
	if (pre) {
		r->parent_id = dr.id;
		snprintf(r->parent, sizeof(r->parent), "%u-pre@%" PRIu64, i + 1, r->point[i].at);
		return 0;
	}
	r->parent_id = 0;
	crerr_reset(&e);
	{
		struct imgset *head;
		int fds[IMGKIND_COUNT];
		size_t n;
		rc = imgchain_stream_files(set, fds, &n, &head, &e);
		imgset_free(head);
		if (rc == 0)
			rc = rebuild_restore(b, runcr_next_node(b, dr.node), fds, n, 0, &rr, &e);
		while (n)
			close(fds[--n]);
	}
	if (rc) {
		LOG_ERROR("restore of %s: %s", set, e.msg);
		return rc;
	}
	if (!r->quiet)
		fprintf(stderr,
		        "manycore: pid %u dumped at %" PRIu64 " instructions on node %u "
		        "(%" PRIu64 " bytes, frozen %.3f ms), restored on node %u\n",
		        pid, r->point[i].at, dr.node, dr.stream_bytes, (double)dr.frozen_ns / 1e6,
		        rr.node);
	return 0;
}

void runcr_on_stop(void *ctx, struct board *b, uint32_t pid)
{
	struct runcr *r = ctx;
	unsigned i = r->next++;

	if (i >= r->n || runcr_point(r, b, pid, i)) {
		r->failed = 1;
		checkpoint_thaw(b,
		                pid); /* it runs on where it was (a failed dump thaws it anyway) */
		return;
	}
	/* the next point (one already passed stops it at its next turn) */
	if (r->next < r->n)
		checkpoint_set_stop(b, pid, r->point[r->next].at);
}
