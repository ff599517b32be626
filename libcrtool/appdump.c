/*
 * appdump.c - checkpoints of a group (see appdump.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/crerr.h"
#include "images/imgapp.h"
#include "images/imgbuf.h"
#include "images/imgchain.h"
#include "images/imgcheck.h"
#include "images/imgparams.h"
#include "libcrtool/appdump.h"
#include "libcrtool/lcstatus.h"
#include "libcrtool/lib_priv.h"

/* A group dump under way: its members and their files. */
struct appdump {
	struct lib_member *m;
	size_t n;
	struct imgbuf *buf;     /* per member */
	struct imgset **set;    /* per member, once written */
	struct imgset **parent; /* per member: its parent set, or NULL */
	char **parent_dir;      /* per member: relative to its set's directory */
	uint64_t *parent_id;    /* per member */
	Crimg__App *prev;       /* the parent group */
	struct imgseg (*segs)[IMGKIND_COUNT];
};

static void appdump_free(struct appdump *d)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->buf)
			imgbuf_free(&d->buf[i]);
		if (d->set)
			imgset_free(d->set[i]);
		if (d->parent)
			imgset_free(d->parent[i]);
		if (d->parent_dir)
			free(d->parent_dir[i]);
	}
	free(d->m);
	free(d->buf);
	free(d->set);
	free(d->parent);
	free(d->parent_dir);
	free(d->parent_id);
	free(d->segs);
	imgapp_free(d->prev);
}

/* Each member's parent in the group at o->prev_dir (if it was in it). */
static int appdump_parents(crt_board *b, struct appdump *d, const struct crt_dump_opts *o)
{
	char gdir[PATH_MAX + 8], path[PATH_MAX + 80];
	struct crerr e = CRERR_INIT;

	lib_parent_path(o->dir, o->prev_dir, gdir, sizeof(gdir));
	if (imgapp_read(gdir, &d->prev, &e) < 0)
		return lib_fail(b, lcstatus_of_image(e.code), "parent group: %s", e.msg);
	for (size_t i = 0; i < d->n; i++) {
		size_t j = 0;
		while (j < d->prev->n_members && d->prev->members[j]->pid != d->m[i].pid)
			j++;
		if (j == d->prev->n_members)
			continue; /* not in the parent group: a whole set */
		snprintf(path, sizeof(path), "%s/%s", gdir, d->prev->members[j]->dir);
		if (imgset_read_dir(path, &d->parent[i], &e) < 0)
			return lib_fail(b, lcstatus_of_image(e.code), "parent images: %s", e.msg);
		snprintf(path, sizeof(path), "../%s/%s", o->prev_dir, d->prev->members[j]->dir);
		if (!(d->parent_dir[i] = strdup(path)))
			return lib_fail(b, CRT_FAILED, "out of memory");
		d->parent_id[i] = d->parent[i]->inventory->id;
	}
	return CRT_OK;
}

/* Reads every member's set as the board wrote it and stores the group;
 * why says what went wrong. 0 or -errno. */
static int appdump_store(struct appdump *d, const struct crt_dump_opts *o, const char *name,
                         uint64_t cut_ns, char *why, size_t nwhy)
{
	struct crerr e = CRERR_INIT;
	uint32_t pids[CRIMG_APP_MEMBERS_MAX];
	Crimg__App *a = NULL;
	int rc = 0;

	for (size_t i = 0; i < d->n && rc == 0; i++) {
		char where[48];
		snprintf(where, sizeof(where), "dump of pid %u", d->m[i].pid);
		rc = imgbuf_read(&d->buf[i], where, &d->set[i], &e);
		if (rc == 0 && d->parent[i])
			rc = imgcheck_parent(d->set[i], d->parent[i], where, &e);
		memcpy(d->segs[i], d->buf[i].map, sizeof(d->segs[i]));
		pids[i] = d->m[i].pid;
	}
	if (rc == 0 &&
	    !(a = imgapp_new(
		      name, o->pre_dump ? CRIMG__SET_KIND__SET_PRE_DUMP : CRIMG__SET_KIND__SET_DUMP,
		      pids, d->n)))
		rc = crerr_fail(&e, -ENOMEM, "out of memory");
	if (rc == 0)
		rc = imgapp_fill(a, d->set, &e);
	if (rc == 0 && d->prev) {
		free(a->parent);
		a->parent_id = d->prev->id;
		if (!(a->parent = strdup(o->prev_dir)))
			rc = crerr_fail(&e, -ENOMEM, "out of memory");
	}
	if (rc == 0) {
		a->cut_ns = cut_ns;
		rc = imgapp_store(o->dir, a, (const struct imgseg(*)[IMGKIND_COUNT])d->segs, &e);
	}
	imgapp_free(a);
	if (rc)
		snprintf(why, nwhy, "the group's images could not be stored: %s", e.msg);
	return rc;
}

/* The group's name: the application asked for, or the one every member
 * shares ("" if they differ). */
static const char *appdump_name(const struct appdump *d, const struct crt_dump_opts *o)
{
	if (o->app)
		return o->app;
	for (size_t i = 1; i < d->n; i++)
		if (strcmp(d->m[i].app, d->m[0].app))
			return "";
	return d->n ? d->m[0].app : "";
}

/* Sends the request and every member's files. */
static int appdump_send(crt_board *b, struct appdump *d, const struct crt_dump_opts *o)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__AppDumpRequest aq = CRTOOL__APP_DUMP_REQUEST__INIT;
	uint32_t pids[CRIMG_APP_MEMBERS_MAX];
	int rc;

	for (size_t i = 0; i < d->n; i++)
		pids[i] = d->m[i].pid;
	aq.n_pids = d->n;
	aq.pids = pids;
	aq.pre_dump = o->pre_dump != 0;
	aq.leave_running = o->leave_running != 0;
	aq.track_mem = o->track_mem != 0;
	aq.level = (uint32_t)o->level;
	aq.has_pre_dump = aq.has_leave_running = aq.has_track_mem = aq.has_level = 1;
	if (d->prev) {
		aq.n_parent_ids = aq.n_parent_dirs = d->n;
		aq.parent_ids = d->parent_id;
		for (size_t i = 0; i < d->n; i++)
			if (!d->parent_dir[i] && !(d->parent_dir[i] = strdup("")))
				return lib_fail(b, CRT_FAILED, "out of memory");
		aq.parent_dirs = d->parent_dir;
	}
	rq.req_case = CRTOOL__REQUEST__REQ_APP_DUMP;
	rq.app_dump = &aq;
	rc = lib_send(b, &rq, NULL, 0);
	for (size_t i = 0; i < d->n && rc == CRT_OK; i++) {
		Crtool__Request fr = CRTOOL__REQUEST__INIT;
		Crtool__DumpFiles df = CRTOOL__DUMP_FILES__INIT;
		df.member = (uint32_t)i;
		df.files = IMGKIND_COUNT;
		fr.req_case = CRTOOL__REQUEST__REQ_DUMP_FILES;
		fr.dump_files = &df;
		rc = lib_send(b, &fr, d->buf[i].fd, IMGKIND_COUNT);
	}
	return rc;
}

/* Allocates d's per-member arrays and files, and reads the parents. */
static int appdump_prepare(crt_board *b, struct appdump *d, const struct crt_dump_opts *o)
{
	struct crerr e = CRERR_INIT;
	int rc;

	d->buf = calloc(d->n, sizeof(*d->buf));
	d->set = calloc(d->n, sizeof(*d->set));
	d->parent = calloc(d->n, sizeof(*d->parent));
	d->parent_dir = calloc(d->n, sizeof(*d->parent_dir));
	d->parent_id = calloc(d->n, sizeof(*d->parent_id));
	d->segs = calloc(d->n, sizeof(*d->segs));
	if (!d->buf || !d->set || !d->parent || !d->parent_dir || !d->parent_id || !d->segs)
		return lib_fail(b, CRT_FAILED, "out of memory");
	for (size_t i = 0; i < d->n; i++)
		for (int k = 0; k < IMGKIND_COUNT; k++)
			d->buf[i].fd[k] = -1;
	if (o->prev_dir && (rc = appdump_parents(b, d, o)))
		return rc;
	for (size_t i = 0; i < d->n; i++)
		if (imgbuf_new(&d->buf[i], &e) < 0)
			return lib_fail(b, CRT_IO, "%s", e.msg);
	return CRT_OK;
}

/* The result of a stored group dump. */
static int appdump_result(crt_board *b, const struct appdump *d, const struct crt_dump_opts *o,
                          const char *name, const Crtool__AppDumpReply *r,
                          struct crt_dump_result **out)
{
	if (r->n_members != d->n)
		return lib_fail(b, CRT_PROTOCOL, "the board replied for %zu members, not %zu",
		                r->n_members, d->n);
	if (!(*out = lib_dump_result_new(d->n)))
		return lib_fail(b, CRT_FAILED, "out of memory (the images in %s were stored)",
		                o->dir);
	(*out)->group = 1;
	(*out)->pre_dump = o->pre_dump != 0;
	snprintf((*out)->app, sizeof((*out)->app), "%s", name);
	(*out)->cut_ns = r->cut_ns;
	(*out)->stream_bytes = r->stream_bytes;
	(*out)->n = d->n;
	for (size_t i = 0; i < d->n; i++)
		lib_dump_member(&(*out)->members[i], d->m[i].pid, d->set[i]->stats, r->members[i],
		                d->parent[i] != NULL);
	return CRT_OK;
}

int appdump_dump(crt_board *b, const struct crt_dump_opts *o, struct crt_dump_result **out)
{
	struct appdump d = { 0 };
	Crtool__Reply *rp = NULL;
	char why[700] = "", what[64];
	const char *name;
	uint64_t t0 = lib_now_ns(), t_store, cut_ns;
	int rc, stored;

	if ((rc = lib_members_select(b, o->app, o->pids, o->n_pids, -1, &d.m, &d.n)))
		return rc;
	if (!d.n) {
		appdump_free(&d);
		return lib_fail(b, CRT_NO_PROCESS, "no running process of application '%s'",
		                o->app);
	}
	if (d.n > CRIMG_APP_MEMBERS_MAX) {
		rc = lib_fail(b, CRT_USAGE, "%zu processes chosen; a group dump takes at most %u",
		              d.n, CRIMG_APP_MEMBERS_MAX);
		appdump_free(&d);
		return rc;
	}
	name = appdump_name(&d, o);
	if ((rc = appdump_prepare(b, &d, o)))
		goto out;
	snprintf(what, sizeof(what), "%s of %zu processes", o->pre_dump ? "pre-dump" : "dump", d.n);
	if ((rc = appdump_send(b, &d, o)) == CRT_OK)
		rc = lib_next(b, CRTOOL__REPLY__REP_DUMP_END, what, NULL, 0, &rp);
	if (rc != CRT_OK)
		goto out; /* the board said why; nothing was stored */
	cut_ns = rp->dump_end->has_cut_ns ? rp->dump_end->cut_ns : 0;
	crtool__reply__free_unpacked(rp, NULL);
	rp = NULL;
	t_store = lib_now_ns();
	stored = appdump_store(&d, o, name, cut_ns, why, sizeof(why)) == 0;
	t_store = lib_now_ns() - t_store;
	if ((rc = lib_commit(b, stored, why, CRTOOL__REPLY__REP_APP_DUMP, o->dir, &rp)) != CRT_OK)
		goto out;
	if ((rc = appdump_result(b, &d, o, name, rp->app_dump, out)) == CRT_OK) {
		(*out)->store_ns = t_store;
		(*out)->total_ns = lib_now_ns() - t0;
	}
out:
	if (rp)
		crtool__reply__free_unpacked(rp, NULL);
	appdump_free(&d);
	return rc;
}

/* ---- restore ---- */

/* Where each member goes: nodes (one for all, or one each in pid order;
 * -1 the least busy), the map (a member that ran on from goes to to),
 * else back where it ran. */
static int appdump_where(crt_board *b, const Crimg__App *a, const struct crt_restore_opts *o,
                         int32_t *nodes)
{
	for (size_t i = 0; i < a->n_members; i++)
		nodes[i] = (int32_t)a->members[i]->node;
	if (o->n_nodes && o->n_map)
		return lib_fail(b, CRT_USAGE, "nodes or a node map, not both");
	if (o->n_nodes) {
		if (o->n_nodes != 1 && o->n_nodes != a->n_members)
			return lib_fail(
				b, CRT_USAGE,
				"%zu nodes: one node for all %zu members, or one for each, in "
				"pid order",
				o->n_nodes, a->n_members);
		for (size_t i = 0; i < a->n_members; i++) {
			int32_t v = o->nodes[o->n_nodes == 1 ? 0 : i];
			nodes[i] = v < 0 ? -1 : v;
		}
	}
	for (size_t j = 0; j < o->n_map; j++)
		for (size_t i = 0; i < a->n_members; i++)
			if (a->members[i]->node == o->map_from[j])
				nodes[i] = (int32_t)o->map_to[j];
	return CRT_OK;
}

/* Opens every member's set (a chain merged) and checks it is what the
 * application image says. */
static int appdump_open(crt_board *b, const Crimg__App *a, const char *dir,
                        int (*fds)[IMGKIND_COUNT], size_t *counts)
{
	char path[PATH_MAX + 80];
	struct crerr e = CRERR_INIT;

	for (size_t i = 0; i < a->n_members; i++) {
		struct imgset *head = NULL;
		int rc;
		snprintf(path, sizeof(path), "%s/%s", dir, a->members[i]->dir);
		rc = imgchain_stream_files(path, fds[i], &counts[i], &head, &e);
		if (rc == 0)
			rc = imgapp_check_member(a, i, head, path, &e);
		imgset_free(head);
		if (rc < 0)
			return lib_fail(b, lcstatus_of_image(rc), "%s", e.msg);
	}
	return CRT_OK;
}

static int appdump_rsend(crt_board *b, size_t n, const int32_t *nodes, int new_pid,
                         int (*fds)[IMGKIND_COUNT], const size_t *counts)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__AppRestoreRequest ar = CRTOOL__APP_RESTORE_REQUEST__INIT;
	int rc;

	ar.n_nodes = n;
	ar.nodes = (int32_t *)nodes;
	ar.new_pid = new_pid != 0;
	ar.has_new_pid = 1;
	rq.req_case = CRTOOL__REQUEST__REQ_APP_RESTORE;
	rq.app_restore = &ar;
	rc = lib_send(b, &rq, NULL, 0);
	for (size_t i = 0; i < n && rc == CRT_OK; i++) {
		Crtool__Request fr = CRTOOL__REQUEST__INIT;
		Crtool__RestoreFiles rf = CRTOOL__RESTORE_FILES__INIT;
		rf.member = (uint32_t)i;
		rf.files = (uint32_t)counts[i];
		fr.req_case = CRTOOL__REQUEST__REQ_RESTORE_FILES;
		fr.restore_files = &rf;
		rc = lib_send(b, &fr, fds[i], counts[i]);
	}
	return rc;
}

int appdump_restore(crt_board *b, const struct crt_restore_opts *o, struct crt_restore_result **out)
{
	struct crerr e = CRERR_INIT;
	Crimg__App *a = NULL;
	Crtool__Reply *rp = NULL;
	int(*fds)[IMGKIND_COUNT] = NULL;
	size_t *counts = NULL;
	int32_t *nodes = NULL;
	uint64_t t0 = lib_now_ns(), t_open = 0;
	char what[64];
	int rc;

	if (imgapp_read(o->dir, &a, &e) < 0)
		return lib_fail(b, lcstatus_of_image(e.code), "%s", e.msg);
	if (a->kind != CRIMG__SET_KIND__SET_DUMP) {
		imgapp_free(a);
		return lib_fail(b, CRT_BAD_IMAGE,
		                "%s is a group pre-dump (pages only); restore a group dump made "
		                "with --prev-images-dir pointing at it",
		                o->dir);
	}
	fds = calloc(a->n_members, sizeof(*fds));
	counts = calloc(a->n_members, sizeof(*counts));
	nodes = calloc(a->n_members, sizeof(*nodes));
	if (!fds || !counts || !nodes) {
		rc = lib_fail(b, CRT_FAILED, "out of memory");
		goto out;
	}
	if ((rc = appdump_where(b, a, o, nodes)) || (rc = appdump_open(b, a, o->dir, fds, counts)))
		goto out;
	t_open = lib_now_ns() - t0;
	snprintf(what, sizeof(what), "restore of %zu processes", a->n_members);
	rc = appdump_rsend(b, a->n_members, nodes, o->new_pid, fds, counts);
	if (rc == CRT_OK)
		rc = lib_next(b, CRTOOL__REPLY__REP_APP_RESTORE, what, NULL, 0, &rp);
	if (rc)
		goto out;
	if (!(*out = calloc(1, sizeof(**out) +
	                               rp->app_restore->n_members * sizeof((*out)->members[0])))) {
		rc = lib_fail(b, CRT_FAILED, "out of memory (the group was restored)");
		goto out;
	}
	(*out)->group = 1;
	snprintf((*out)->app, sizeof((*out)->app), "%s", a->name);
	(*out)->open_ns = t_open;
	(*out)->restore_ns = rp->app_restore->restore_ns;
	(*out)->resume_ns = rp->app_restore->resume_ns;
	(*out)->n = rp->app_restore->n_members;
	for (size_t i = 0; i < (*out)->n; i++) {
		const Crtool__RestoreReply *m = rp->app_restore->members[i];
		(*out)->members[i] = (struct crt_restore_member){
			m->pid, m->node, m->stream_bytes, m->model_ns, m->restore_ns,
		};
	}
	(*out)->total_ns = lib_now_ns() - t0;
out:
	for (size_t i = 0; fds && counts && i < a->n_members; i++)
		while (counts[i])
			close(fds[i][--counts[i]]);
	if (rp)
		crtool__reply__free_unpacked(rp, NULL);
	free(fds);
	free(counts);
	free(nodes);
	imgapp_free(a);
	return rc;
}
