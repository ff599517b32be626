/*
 * appcmd.c - checkpoints of a group (see appcmd.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOG_MODULE "app"

#include "crtool/appcmd.h"
#include "crtool/args.h"
#include "crtool/client.h"
#include "crtool/crcmd.h"
#include "crtool/groupcmd.h"
#include "crtool/progress.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "images/imgapp.h"
#include "images/imgbuf.h"
#include "images/imgchain.h"
#include "images/imgcheck.h"
#include "proto/nodelist.h"

struct appcmd_opts {
	const char *app, *dir, *prev;
	uint32_t pids[NODELIST_MAX];
	size_t npids;
	int level; /* -1: not given */
	int leave_running, track_mem, stats, json;
};

int appcmd_is_group(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--app"))
			return 1;
		if ((!strcmp(argv[i], "-p") || !strcmp(argv[i], "--pid")) && i + 1 < argc &&
		    strchr(argv[i + 1], ','))
			return 1;
	}
	return 0;
}

static int appcmd_parse(int argc, char **argv, int pre, struct appcmd_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->level = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes_value = !strcmp(a, "-p") || !strcmp(a, "--pid") || !strcmp(a, "-D") ||
		                  !strcmp(a, "--images-dir") || !strcmp(a, "--prev-images-dir") ||
		                  !strcmp(a, "--app");
		if (takes_value && !v) {
			LOG_ERROR("%s needs a value (try --help)", a);
			return CRT_USAGE;
		}
		if (!strcmp(a, "-p") || !strcmp(a, "--pid")) {
			if (args_parse_pids(v, o->pids, NODELIST_MAX, &o->npids) < 0)
				return CRT_USAGE;
		} else if (!strcmp(a, "--app")) {
			if (!args_app_name(v))
				return CRT_USAGE;
			o->app = v;
		} else if (!strcmp(a, "-D") || !strcmp(a, "--images-dir")) {
			o->dir = v;
		} else if (!strcmp(a, "--prev-images-dir")) {
			o->prev = v;
		} else {
			if (!strcmp(a, "--compress")) {
				o->level = 3;
			} else if (!strncmp(a, "--compress=", 11)) {
				char *end;
				long l = strtol(a + 11, &end, 10);
				if (*end || end == a + 11 || l < 1 || l > 22) {
					LOG_ERROR("zstd level '%s' (1 to 22)", a + 11);
					return CRT_USAGE;
				}
				o->level = (int)l;
			} else if (!strcmp(a, "--leave-running") && !pre) {
				o->leave_running = 1;
			} else if (!strcmp(a, "--track-mem") && !pre) {
				o->track_mem = 1;
			} else if (!strcmp(a, "--display-stats")) {
				o->stats = 1;
			} else if (!strcmp(a, "--json")) {
				o->json = 1;
			} else {
				LOG_ERROR("unexpected '%s' (try --help)", a);
				return CRT_USAGE;
			}
			continue;
		}
		i++;
	}
	if (!o->dir) {
		LOG_ERROR("-D DIR is needed (try --help)");
		return CRT_USAGE;
	}
	if (o->prev && o->prev[0] == '/') {
		LOG_ERROR("--prev-images-dir must be relative to -D's directory (e.g. ../pre), "
		          "as the images record it");
		return CRT_USAGE;
	}
	return CRT_OK;
}

/* A group dump under way: its members and their files. */
struct appcmd_dump {
	struct gmember *m;
	size_t n;
	struct imgbuf *buf;     /* per member */
	struct imgset **set;    /* per member, once written */
	struct imgset **parent; /* per member: its parent set, or NULL */
	char **parent_dir;      /* per member: relative to its set's directory */
	uint64_t *parent_id;    /* per member */
	Crimg__App *prev;       /* the parent group */
	struct imgseg (*segs)[IMGKIND_COUNT];
};

static void appcmd_dump_free(struct appcmd_dump *d)
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

/* Each member's parent in the group at o->prev (if it was in it). */
static int appcmd_parents(struct appcmd_dump *d, const struct appcmd_opts *o)
{
	char gdir[PATH_MAX + 8], path[PATH_MAX + 80];
	struct crerr e = CRERR_INIT;

	crcmd_parent_path(o->dir, o->prev, gdir, sizeof(gdir));
	if (imgapp_read(gdir, &d->prev, &e) < 0) {
		LOG_ERROR("parent group: %s", e.msg);
		return CRT_BAD_IMAGE;
	}
	for (size_t i = 0; i < d->n; i++) {
		size_t j = 0;
		while (j < d->prev->n_members && d->prev->members[j]->pid != d->m[i].pid)
			j++;
		if (j == d->prev->n_members)
			continue; /* not in the parent group: a whole set */
		snprintf(path, sizeof(path), "%s/%s", gdir, d->prev->members[j]->dir);
		if (imgset_read_dir(path, &d->parent[i], &e) < 0) {
			LOG_ERROR("parent images: %s", e.msg);
			return CRT_BAD_IMAGE;
		}
		snprintf(path, sizeof(path), "../%s/%s", o->prev, d->prev->members[j]->dir);
		if (!(d->parent_dir[i] = strdup(path))) {
			LOG_ERROR("out of memory");
			return CRT_FAILED;
		}
		d->parent_id[i] = d->parent[i]->inventory->id;
	}
	return CRT_OK;
}

/* Reads every member's set as the board wrote it and stores the group;
 * why says what went wrong for the board. 0 or -errno. */
static int appcmd_store(struct appcmd_dump *d, const struct appcmd_opts *o, int pre,
                        const char *name, uint64_t cut_ns, char *why, size_t nwhy)
{
	struct crerr e = CRERR_INIT;
	uint32_t pids[NODELIST_MAX];
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
	    !(a = imgapp_new(name, pre ? CRIMG__SET_KIND__SET_PRE_DUMP : CRIMG__SET_KIND__SET_DUMP,
	                     pids, d->n)))
		rc = crerr_fail(&e, -ENOMEM, "out of memory");
	if (rc == 0)
		rc = imgapp_fill(a, d->set, &e);
	if (rc == 0 && d->prev) {
		free(a->parent);
		a->parent_id = d->prev->id;
		if (!(a->parent = strdup(o->prev)))
			rc = crerr_fail(&e, -ENOMEM, "out of memory");
	}
	if (rc == 0) {
		a->cut_ns = cut_ns;
		rc = imgapp_store(o->dir, a, (const struct imgseg(*)[IMGKIND_COUNT])d->segs, &e);
	}
	imgapp_free(a);
	if (rc) {
		snprintf(why, nwhy, "crtool could not store the group's images: %s", e.msg);
		LOG_ERROR("%s", e.msg);
	}
	return rc;
}

static json_t *appcmd_dump_json(const struct appcmd_dump *d, const struct appcmd_opts *o, int pre,
                                const char *name, const Crtool__AppDumpReply *r, uint64_t store_ns,
                                uint64_t wall_ns)
{
	json_t *all = json_array(), *j;

	for (size_t i = 0; all && i < d->n && i < r->n_members; i++) {
		const Crtool__DumpReply *m = r->members[i];
		json_array_append_new(
			all,
			json_pack("{s:I, s:I, s:I, s:f, s:f, s:I, s:I}", "pid",
		                  (json_int_t)d->m[i].pid, "node", (json_int_t)m->node,
		                  "pages_written",
		                  (json_int_t)(d->set[i] ? d->set[i]->stats->pages_written : 0),
		                  "freeze_us", (double)m->freeze_ns / 1e3, "frozen_us",
		                  (double)m->frozen_ns / 1e3, "stream_bytes",
		                  (json_int_t)m->stream_bytes, "in_parent",
		                  (json_int_t)(d->parent[i] != NULL)));
	}
	j = json_pack("{s:s, s:s, s:s, s:o, s:f, s:I, s:f, s:f}", "kind", pre ? "pre-dump" : "dump",
	              "dir", o->dir, "app", name, "members", all, "cut_us", (double)r->cut_ns / 1e3,
	              "stream_bytes", (json_int_t)r->stream_bytes, "storing_ms",
	              (double)store_ns / 1e6, "total_ms", (double)wall_ns / 1e6);
	return j;
}

static void appcmd_dump_print(const struct appcmd_dump *d, const Crtool__AppDumpReply *r,
                              uint64_t store_ns, uint64_t wall_ns)
{
	printf("%6s %5s %10s %12s %12s\n", "PID", "NODE", "PAGES", "FROZEN_MS", "BYTES");
	for (size_t i = 0; i < d->n && i < r->n_members; i++)
		printf("%6u %5u %10u %12.3f %12" PRIu64 "\n", d->m[i].pid, r->members[i]->node,
		       d->set[i] ? d->set[i]->stats->pages_written : 0,
		       (double)r->members[i]->frozen_ns / 1e6, r->members[i]->stream_bytes);
	printf("cut              %10.3f us (first member frozen to last)\n",
	       (double)r->cut_ns / 1e3);
	printf("stream bytes     %10" PRIu64 "\n", r->stream_bytes);
	printf("storing          %10.3f ms\n", (double)store_ns / 1e6);
	printf("total            %10.3f ms\n", (double)wall_ns / 1e6);
}

/* The group's name: --app's, or the application every member shares. */
static const char *appcmd_name(const struct appcmd_dump *d, const struct appcmd_opts *o)
{
	if (o->app)
		return o->app;
	for (size_t i = 1; i < d->n; i++)
		if (strcmp(d->m[i].app, d->m[0].app))
			return "";
	return d->n ? d->m[0].app : "";
}

/* Sends the request and every member's files. */
static int appcmd_send(struct client *cl, const struct appcmd_dump *d, const struct appcmd_opts *o,
                       int pre)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__AppDumpRequest aq = CRTOOL__APP_DUMP_REQUEST__INIT;
	uint32_t pids[NODELIST_MAX];
	int rc;

	for (size_t i = 0; i < d->n; i++)
		pids[i] = d->m[i].pid;
	aq.n_pids = d->n;
	aq.pids = pids;
	aq.pre_dump = pre;
	aq.leave_running = o->leave_running;
	aq.track_mem = o->track_mem;
	aq.level = o->level > 0 ? (uint32_t)o->level : 0;
	aq.has_pre_dump = aq.has_leave_running = aq.has_track_mem = aq.has_level = 1;
	if (d->prev) {
		aq.n_parent_ids = aq.n_parent_dirs = d->n;
		aq.parent_ids = d->parent_id;
		for (size_t i = 0; i < d->n; i++)
			if (!d->parent_dir[i] && !(d->parent_dir[i] = strdup("")))
				return CRT_FAILED;
		aq.parent_dirs = d->parent_dir;
	}
	rq.req_case = CRTOOL__REQUEST__REQ_APP_DUMP;
	rq.app_dump = &aq;
	rc = client_send(cl, &rq);
	for (size_t i = 0; i < d->n && rc == CRT_OK; i++) {
		Crtool__Request fr = CRTOOL__REQUEST__INIT;
		Crtool__DumpFiles df = CRTOOL__DUMP_FILES__INIT;
		df.member = (uint32_t)i;
		df.files = IMGKIND_COUNT;
		fr.req_case = CRTOOL__REQUEST__REQ_DUMP_FILES;
		fr.dump_files = &df;
		rc = client_send_fds(cl, &fr, d->buf[i].fd, IMGKIND_COUNT);
	}
	return rc;
}

int appcmd_dump(struct client *cl, int argc, char **argv, int pre)
{
	struct appcmd_dump d = { 0 };
	struct appcmd_opts o;
	struct crerr e = CRERR_INIT;
	Crtool__Reply *rp = NULL;
	char why[700] = "", what[64];
	const char *name;
	uint64_t t0 = args_now_ns(), t_store = 0, cut_ns = 0;
	int rc = appcmd_parse(argc, argv, pre, &o), stored;

	if (rc)
		return rc;
	if (!o.app && !o.npids) {
		LOG_ERROR("--app NAME or -p PID,PID,... is needed (try --help)");
		return CRT_USAGE;
	}
	if ((rc = imgset_dir_free(o.dir, &e)) < 0) {
		LOG_ERROR("%s", e.msg);
		return rc == -EEXIST ? CRT_USAGE : CRT_IO;
	}
	if ((rc = groupcmd_select(cl, o.app, o.pids, o.npids, -1, &d.m, &d.n)))
		return rc;
	if (!d.n) {
		LOG_ERROR("no running process of application '%s'", o.app);
		appcmd_dump_free(&d);
		return CRT_NO_PROCESS;
	}
	if (d.n > CRIMG_APP_MEMBERS_MAX) {
		LOG_ERROR("%zu processes chosen; a group dump takes at most %u", d.n,
		          CRIMG_APP_MEMBERS_MAX);
		appcmd_dump_free(&d);
		return CRT_USAGE;
	}
	name = appcmd_name(&d, &o);
	d.buf = calloc(d.n, sizeof(*d.buf));
	d.set = calloc(d.n, sizeof(*d.set));
	d.parent = calloc(d.n, sizeof(*d.parent));
	d.parent_dir = calloc(d.n, sizeof(*d.parent_dir));
	d.parent_id = calloc(d.n, sizeof(*d.parent_id));
	d.segs = calloc(d.n, sizeof(*d.segs));
	if (!d.buf || !d.set || !d.parent || !d.parent_dir || !d.parent_id || !d.segs) {
		LOG_ERROR("out of memory");
		rc = CRT_FAILED;
		goto out;
	}
	for (size_t i = 0; i < d.n; i++)
		for (int k = 0; k < IMGKIND_COUNT; k++)
			d.buf[i].fd[k] = -1;
	if (o.prev && (rc = appcmd_parents(&d, &o)))
		goto out;
	for (size_t i = 0; i < d.n; i++)
		if (imgbuf_new(&d.buf[i], &e) < 0) {
			LOG_ERROR("%s", e.msg);
			rc = CRT_IO;
			goto out;
		}
	snprintf(what, sizeof(what), "%s of %zu processes", argv[0], d.n);
	if ((rc = appcmd_send(cl, &d, &o, pre)) == CRT_OK)
		rc = progress_next(cl, what, NULL, 0, CRTOOL__REPLY__REP_DUMP_END, &rp);
	if (rc != CRT_OK)
		goto out; /* the board said why; nothing was stored */
	cut_ns = rp->dump_end->has_cut_ns ? rp->dump_end->cut_ns : 0;
	crtool__reply__free_unpacked(rp, NULL);
	rp = NULL;
	t_store = args_now_ns();
	stored = appcmd_store(&d, &o, pre, name, cut_ns, why, sizeof(why)) == 0;
	t_store = args_now_ns() - t_store;
	if ((rc = crcmd_commit(cl, stored, why, CRTOOL__REPLY__REP_APP_DUMP, o.dir, &rp)) != CRT_OK)
		goto out;
	if (o.json)
		rc = args_print_json(appcmd_dump_json(&d, &o, pre, name, rp->app_dump, t_store,
		                                      args_now_ns() - t0));
	else if (o.stats)
		appcmd_dump_print(&d, rp->app_dump, t_store, args_now_ns() - t0);
out:
	if (rp)
		crtool__reply__free_unpacked(rp, NULL);
	appcmd_dump_free(&d);
	return rc;
}

/* ---- restore ---- */

struct appcmd_ropts {
	const char *dir, *nodes, *map;
	int new_pid, json, stats;
};

static int appcmd_rparse(int argc, char **argv, struct appcmd_ropts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes_value = !strcmp(a, "-D") || !strcmp(a, "--images-dir") ||
		                  !strcmp(a, "--nodes") || !strcmp(a, "--map") ||
		                  !strcmp(a, "--node");
		if (takes_value && !v) {
			LOG_ERROR("%s needs a value (try --help)", a);
			return CRT_USAGE;
		}
		if (!strcmp(a, "-D") || !strcmp(a, "--images-dir"))
			o->dir = v;
		else if (!strcmp(a, "--nodes") || !strcmp(a, "--node"))
			o->nodes = v;
		else if (!strcmp(a, "--map"))
			o->map = v;
		else if (!strcmp(a, "--new-pid"))
			o->new_pid = 1;
		else if (!strcmp(a, "--json"))
			o->json = 1;
		else if (!strcmp(a, "--display-stats"))
			o->stats = 1;
		else {
			LOG_ERROR("unexpected '%s' (try --help)", a);
			return CRT_USAGE;
		}
		if (takes_value)
			i++;
	}
	if (!o->dir) {
		LOG_ERROR("-D DIR is needed (try --help)");
		return CRT_USAGE;
	}
	if (o->nodes && o->map) {
		LOG_ERROR("--nodes or --map, not both (try --help)");
		return CRT_USAGE;
	}
	return CRT_OK;
}

/* Where each member goes: --nodes (one for all, or one each in pid
 * order; "any" for the least busy), --map OLD:NEW (a member that ran on
 * OLD goes to NEW), else back where it ran. */
static int appcmd_rnodes(const Crimg__App *a, const struct appcmd_ropts *o, int32_t *nodes)
{
	uint32_t list[NODELIST_MAX], from[NODELIST_MAX];
	int k;

	for (size_t i = 0; i < a->n_members; i++)
		nodes[i] = (int32_t)a->members[i]->node;
	if (o->nodes && !strcmp(o->nodes, "any")) {
		for (size_t i = 0; i < a->n_members; i++)
			nodes[i] = -1;
	} else if (o->nodes) {
		if ((k = nodelist_parse(o->nodes, list, NODELIST_MAX)) < 0 ||
		    (k != 1 && (size_t)k != a->n_members)) {
			LOG_ERROR("--nodes '%s': one node for all %zu members, or one for each, in "
			          "pid order",
			          o->nodes, a->n_members);
			return CRT_USAGE;
		}
		for (size_t i = 0; i < a->n_members; i++)
			nodes[i] = (int32_t)list[k == 1 ? 0 : i];
	}
	if (o->map && (k = nodelist_parse_map(o->map, from, list, NODELIST_MAX)) < 0)
		goto bad;
	for (int j = 0; o->map && j < k; j++)
		for (size_t i = 0; i < a->n_members; i++)
			if (a->members[i]->node == from[j])
				nodes[i] = (int32_t)list[j];
	return CRT_OK;
bad:
	LOG_ERROR("--map '%s': OLD:NEW pairs of nodes, comma-separated (8:12,9:13)", o->map);
	return CRT_USAGE;
}

/* Opens every member's set (a chain merged) and checks it is what the
 * application image says. */
static int appcmd_ropen(const Crimg__App *a, const char *dir, int (*fds)[IMGKIND_COUNT],
                        size_t *counts)
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
		if (rc < 0) {
			LOG_ERROR("%s", e.msg);
			return rc == -EIO || rc == -EACCES || rc == -EPERM ? CRT_IO : CRT_BAD_IMAGE;
		}
	}
	return CRT_OK;
}

static int appcmd_rsend(struct client *cl, size_t n, const int32_t *nodes, int new_pid,
                        int (*fds)[IMGKIND_COUNT], const size_t *counts)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__AppRestoreRequest ar = CRTOOL__APP_RESTORE_REQUEST__INIT;
	int rc;

	ar.n_nodes = n;
	ar.nodes = (int32_t *)nodes;
	ar.new_pid = new_pid;
	ar.has_new_pid = 1;
	rq.req_case = CRTOOL__REQUEST__REQ_APP_RESTORE;
	rq.app_restore = &ar;
	rc = client_send(cl, &rq);
	for (size_t i = 0; i < n && rc == CRT_OK; i++) {
		Crtool__Request fr = CRTOOL__REQUEST__INIT;
		Crtool__RestoreFiles rf = CRTOOL__RESTORE_FILES__INIT;
		rf.member = (uint32_t)i;
		rf.files = (uint32_t)counts[i];
		fr.req_case = CRTOOL__REQUEST__REQ_RESTORE_FILES;
		fr.restore_files = &rf;
		rc = client_send_fds(cl, &fr, fds[i], counts[i]);
	}
	return rc;
}

static int appcmd_rreport(const Crimg__App *a, const struct appcmd_ropts *o,
                          const Crtool__AppRestoreReply *r, uint64_t open_ns, uint64_t wall_ns)
{
	if (o->json) {
		json_t *all = json_array();
		for (size_t i = 0; all && i < r->n_members; i++)
			json_array_append_new(
				all,
				json_pack("{s:I, s:I, s:I, s:f}", "pid",
			                  (json_int_t)r->members[i]->pid, "node",
			                  (json_int_t)r->members[i]->node, "stream_bytes",
			                  (json_int_t)r->members[i]->stream_bytes, "restoring_ms",
			                  (double)r->members[i]->restore_ns / 1e6));
		return args_print_json(
			json_pack("{s:s, s:s, s:o, s:f, s:f, s:f, s:f}", "dir", o->dir, "app",
		                  a->name, "members", all, "opening_ms", (double)open_ns / 1e6,
		                  "restoring_ms", (double)r->restore_ns / 1e6, "resume_us",
		                  (double)r->resume_ns / 1e3, "total_ms", (double)wall_ns / 1e6));
	}
	for (size_t i = 0; i < r->n_members; i++)
		printf("%u\n", r->members[i]->pid);
	if (o->stats) {
		for (size_t i = 0; i < r->n_members; i++)
			printf("pid %-6u node %-3u stream %10" PRIu64 " bytes\n",
			       r->members[i]->pid, r->members[i]->node,
			       r->members[i]->stream_bytes);
		printf("opening images   %10.3f ms\n", (double)open_ns / 1e6);
		printf("restoring        %10.3f ms\n", (double)r->restore_ns / 1e6);
		printf("resume           %10.3f us (first member thawed to last)\n",
		       (double)r->resume_ns / 1e3);
		printf("total            %10.3f ms\n", (double)wall_ns / 1e6);
	}
	return CRT_OK;
}

int appcmd_restore(struct client *cl, int argc, char **argv)
{
	struct appcmd_ropts o;
	struct crerr e = CRERR_INIT;
	Crimg__App *a = NULL;
	Crtool__Reply *rp = NULL;
	int(*fds)[IMGKIND_COUNT] = NULL;
	size_t *counts = NULL;
	int32_t *nodes = NULL;
	uint64_t t0 = args_now_ns(), t_open = 0;
	int rc = appcmd_rparse(argc, argv, &o);
	char what[64];

	if (rc)
		return rc;
	if (imgapp_read(o.dir, &a, &e) < 0) {
		LOG_ERROR("%s", e.msg);
		return CRT_BAD_IMAGE;
	}
	if (a->kind != CRIMG__SET_KIND__SET_DUMP) {
		LOG_ERROR("%s is a group pre-dump (pages only); restore a group dump made with "
		          "--prev-images-dir pointing at it",
		          o.dir);
		imgapp_free(a);
		return CRT_BAD_IMAGE;
	}
	fds = calloc(a->n_members, sizeof(*fds));
	counts = calloc(a->n_members, sizeof(*counts));
	nodes = calloc(a->n_members, sizeof(*nodes));
	if (!fds || !counts || !nodes) {
		LOG_ERROR("out of memory");
		rc = CRT_FAILED;
		goto out;
	}
	if ((rc = appcmd_rnodes(a, &o, nodes)) || (rc = appcmd_ropen(a, o.dir, fds, counts)))
		goto out;
	t_open = args_now_ns() - t0;
	snprintf(what, sizeof(what), "restore of %zu processes", a->n_members);
	rc = appcmd_rsend(cl, a->n_members, nodes, o.new_pid, fds, counts);
	if (rc == CRT_OK)
		rc = progress_next(cl, what, NULL, 0, CRTOOL__REPLY__REP_APP_RESTORE, &rp);
	if (rc == CRT_OK)
		rc = appcmd_rreport(a, &o, rp->app_restore, t_open, args_now_ns() - t0);
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
