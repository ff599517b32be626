/*
 * crcmd.c - dump, pre-dump and restore (see crcmd.h).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOG_MODULE "checkpoint"

#include "crtool/appcmd.h"
#include "crtool/args.h"
#include "crtool/client.h"
#include "crtool/crcmd.h"
#include "crtool/progress.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "images/imgapp.h"
#include "images/imgbuf.h"
#include "images/imgchain.h"
#include "images/imgcheck.h"
#include "images/imgset.h"
#include "proto/rpcwire.h"

static double crcmd_ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

struct crcmd_opts {
	uint32_t pid;
	const char *dir, *prev;
	int node;  /* -1: any */
	int level; /* -1: not given */
	int leave_running, track_mem, stats, new_pid;
};

/* Parses the options of command argv[0]; which says the ones it takes. */
static int crcmd_parse(int argc, char **argv, const char *which, struct crcmd_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->node = -1;
	o->level = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes_value = !strcmp(a, "-p") || !strcmp(a, "--pid") || !strcmp(a, "-D") ||
		                  !strcmp(a, "--images-dir") || !strcmp(a, "--prev-images-dir") ||
		                  !strcmp(a, "--node");
		if (takes_value && !v) {
			LOG_ERROR("%s needs a value (try --help)", a);
			return CRT_USAGE;
		}
		if ((!strcmp(a, "-p") || !strcmp(a, "--pid")) && strchr(which, 'p')) {
			if (!(o->pid = args_parse_pid(v)))
				return CRT_USAGE;
			i++;
		} else if (!strcmp(a, "-D") || !strcmp(a, "--images-dir")) {
			o->dir = v;
			i++;
		} else if (!strcmp(a, "--prev-images-dir") && strchr(which, 'P')) {
			o->prev = v;
			i++;
		} else if (!strcmp(a, "--node") && strchr(which, 'n')) {
			if ((o->node = args_parse_node(v)) < 0)
				return CRT_USAGE;
			i++;
		} else if (!strcmp(a, "--compress") && strchr(which, 'c')) {
			o->level = 3;
		} else if (!strncmp(a, "--compress=", 11) && strchr(which, 'c')) {
			char *end;
			long l = strtol(a + 11, &end, 10);
			if (*end || end == a + 11 || l < 1 || l > 22) {
				LOG_ERROR("zstd level '%s' (1 to 22)", a + 11);
				return CRT_USAGE;
			}
			o->level = (int)l;
		} else if (!strcmp(a, "--leave-running") && strchr(which, 'l')) {
			o->leave_running = 1;
		} else if (!strcmp(a, "--track-mem") && strchr(which, 't')) {
			o->track_mem = 1;
		} else if (!strcmp(a, "--new-pid") && strchr(which, 'N')) {
			o->new_pid = 1;
		} else if (!strcmp(a, "--display-stats")) {
			o->stats = 1;
		} else {
			LOG_ERROR("unexpected '%s' (try --help)", a);
			return CRT_USAGE;
		}
	}
	if ((strchr(which, 'p') && !o->pid) || !o->dir) {
		LOG_ERROR("%s needed (try --help)", !o->dir ? "-D DIR is" : "-p PID is");
		return CRT_USAGE;
	}
	return CRT_OK;
}

/* 0 if dir does not exist or is empty: dumps go to new directories. */
static int crcmd_dir_free(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = CRT_OK;

	if (!d)
		return errno == ENOENT ? CRT_OK
		                       : (LOG_ERROR("%s: %s", dir, strerror(errno)), CRT_IO);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			LOG_ERROR("%s is not empty (holds '%s'); images go to a new "
			          "or empty directory",
			          dir, de->d_name);
			rc = CRT_USAGE;
			break;
		}
	closedir(d);
	return rc;
}

void crcmd_parent_path(const char *dir, const char *prev, char *out, size_t n)
{
	char base[PATH_MAX];
	char *slash;

	snprintf(base, sizeof(base), "%s", dir);
	while (!strncmp(prev, "../", 3)) {
		prev += 3;
		slash = strrchr(base, '/');
		if (slash)
			*slash = 0;
		else
			snprintf(base, sizeof(base), ".");
	}
	snprintf(out, n, "%s/%s", base, prev);
}

/* The images as the board wrote them into b, stored as dir; the commit
 * answer for the board. */
static int crcmd_store(struct imgbuf *b, const char *dir, const struct imgset *parent,
                       struct imgset **out, char *why, size_t n)
{
	struct crerr e = CRERR_INIT;
	int rc = imgbuf_store(b, dir, parent, out, &e);

	if (rc) {
		snprintf(why, n, "crtool could not store the images: %s", e.msg);
		LOG_ERROR("%s", e.msg);
	}
	return rc;
}

static void crcmd_print_stats(const Crimg__Stats *st, const Crtool__DumpReply *d,
                              uint64_t stored_ns, uint64_t wall_ns)
{
	printf("freeze time      %10.3f ms\n", crcmd_ms(st->freeze_ns));
	printf("frozen time      %10.3f ms\n", crcmd_ms(d ? d->frozen_ns : st->frozen_ns));
	printf("pages scanned    %10u\n", st->pages_scanned);
	printf("pages written    %10u\n", st->pages_written);
	printf("pages zero       %10u\n", st->pages_zero);
	printf("pages in parent  %10u\n", st->pages_in_parent);
	printf("bytes raw        %10" PRIu64 "\n", st->bytes_raw);
	printf("bytes stored     %10" PRIu64 " (page blocks as written)\n", st->bytes_stored);
	printf("stream bytes     %10" PRIu64 " (NoC model %.3f ms)\n", d ? d->stream_bytes : 0,
	       crcmd_ms(d ? d->model_ns : 0));
	printf("storing          %10.3f ms\n", crcmd_ms(stored_ns));
	printf("total            %10.3f ms\n", crcmd_ms(wall_ns));
}

static json_t *crcmd_stats_json(const char *dir, int pre, const Crimg__Stats *st,
                                const Crtool__DumpReply *d, uint64_t stored_ns, uint64_t wall_ns)
{
	json_t *j = json_pack(
		"{s:s, s:s, s:f, s:f, s:I, s:I, s:I, s:I}", "kind", pre ? "pre-dump" : "dump",
		"dir", dir, "freeze_us", (double)st->freeze_ns / 1e3, "frozen_us",
		(double)(d ? d->frozen_ns : st->frozen_ns) / 1e3, "pages_scanned",
		(json_int_t)st->pages_scanned, "pages_written", (json_int_t)st->pages_written,
		"pages_zero", (json_int_t)st->pages_zero, "pages_in_parent",
		(json_int_t)st->pages_in_parent);

	if (j && json_object_update_new(j, json_pack("{s:I, s:I, s:I, s:f, s:f, s:f}", "bytes_raw",
	                                             (json_int_t)st->bytes_raw, "bytes_stored",
	                                             (json_int_t)st->bytes_stored, "stream_bytes",
	                                             (json_int_t)(d ? d->stream_bytes : 0),
	                                             "model_ms", crcmd_ms(d ? d->model_ns : 0),
	                                             "storing_ms", crcmd_ms(stored_ns), "total_ms",
	                                             crcmd_ms(wall_ns)))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

int crcmd_commit(struct client *cl, int stored, const char *why, Crtool__Reply__RepCase want,
                 const char *dir, Crtool__Reply **rp)
{
	Crtool__Request cm = CRTOOL__REQUEST__INIT;
	Crtool__DumpCommit dc = CRTOOL__DUMP_COMMIT__INIT;
	int rc;

	dc.stored = stored;
	dc.message = stored ? NULL : (char *)why;
	cm.req_case = CRTOOL__REQUEST__REQ_DUMP_COMMIT;
	cm.dump_commit = &dc;
	rc = client_call(cl, &cm, want, rp);
	if (rc == CRT_OK && !stored)
		rc = CRT_IO;
	if (rc != CRT_OK && stored)
		LOG_ERROR("the images in %s were stored, but the board failed to end or "
		          "thaw what it dumped",
		          dir);
	return rc;
}

static int crcmd_do_dump(struct client *cl, int argc, char **argv, int pre)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__DumpRequest dq = CRTOOL__DUMP_REQUEST__INIT;
	struct crerr be = CRERR_INIT;
	Crtool__Reply *rp = NULL;
	struct crcmd_opts o;
	struct imgbuf buf;
	struct imgset *parent = NULL, *set = NULL;
	char why[600] = "", ppath[PATH_MAX + 8], what[64];
	uint64_t t0 = args_now_ns(), t_store = 0;
	int json = args_take_flag(&argc, argv, "--json"), rc, stored;

	rc = crcmd_parse(argc, argv, pre ? "pcP" : "pcPltN", &o);
	if (rc || (rc = crcmd_dir_free(o.dir)))
		return rc;
	if (o.prev) {
		struct crerr e = CRERR_INIT;
		if (o.prev[0] == '/') {
			LOG_ERROR("--prev-images-dir must be relative to -D's "
			          "directory (e.g. ../pre), as the images record it");
			return CRT_USAGE;
		}
		crcmd_parent_path(o.dir, o.prev, ppath, sizeof(ppath));
		if (imgset_read_dir(ppath, &parent, &e) < 0) {
			LOG_ERROR("parent images: %s", e.msg);
			return CRT_BAD_IMAGE;
		}
		if (parent->inventory->pid != o.pid) {
			LOG_ERROR("the parent images %s are of pid %u, not %u", ppath,
			          parent->inventory->pid, o.pid);
			imgset_free(parent);
			return CRT_USAGE;
		}
		dq.parent_id = parent->inventory->id;
		dq.has_parent_id = 1;
		dq.parent_dir = (char *)o.prev;
	}
	dq.pid = o.pid;
	dq.pre_dump = pre;
	dq.leave_running = o.leave_running;
	dq.track_mem = o.track_mem;
	dq.level = o.level > 0 ? (uint32_t)o.level : 0;
	dq.files = IMGKIND_COUNT;
	dq.has_pre_dump = dq.has_leave_running = dq.has_track_mem = dq.has_level = 1;
	dq.has_files = 1;
	rq.req_case = CRTOOL__REQUEST__REQ_DUMP;
	rq.dump = &dq;
	/* The board writes the files into anonymous memory crtool shares
	 * with it; crtool stores them. */
	if (imgbuf_new(&buf, &be) < 0) {
		LOG_ERROR("%s", be.msg);
		imgset_free(parent);
		return CRT_IO;
	}
	rc = client_send_fds(cl, &rq, buf.fd, IMGKIND_COUNT);
	snprintf(what, sizeof(what), "%s of pid %u", argv[0], o.pid);
	if (rc == CRT_OK)
		rc = progress_next(cl, what, buf.fd, IMGKIND_COUNT, CRTOOL__REPLY__REP_DUMP_END,
		                   &rp);
	if (rc != CRT_OK)
		goto out; /* the board said why; nothing was stored */
	crtool__reply__free_unpacked(rp, NULL);
	rp = NULL;
	t_store = args_now_ns();
	stored = crcmd_store(&buf, o.dir, parent, &set, why, sizeof(why)) == 0;
	t_store = args_now_ns() - t_store;
	if ((rc = crcmd_commit(cl, stored, why, CRTOOL__REPLY__REP_DUMP, o.dir, &rp)) != CRT_OK)
		goto out;
	if (json)
		rc = args_print_json(crcmd_stats_json(o.dir, pre, set->stats, rp->dump, t_store,
		                                      args_now_ns() - t0));
	else if (o.stats)
		crcmd_print_stats(set->stats, rp->dump, t_store, args_now_ns() - t0);
out:
	if (rp)
		crtool__reply__free_unpacked(rp, NULL);
	imgset_free(set);
	imgbuf_free(&buf);
	imgset_free(parent);
	return rc;
}

int crcmd_dump(struct client *cl, int argc, char **argv)
{
	if (appcmd_is_group(argc, argv))
		return appcmd_dump(cl, argc, argv, 0);
	return crcmd_do_dump(cl, argc, argv, 0);
}

int crcmd_pre_dump(struct client *cl, int argc, char **argv)
{
	if (appcmd_is_group(argc, argv))
		return appcmd_dump(cl, argc, argv, 1);
	return crcmd_do_dump(cl, argc, argv, 1);
}

int crcmd_restore(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__RestoreRequest rr = CRTOOL__RESTORE_REQUEST__INIT;
	struct crerr e = CRERR_INIT;
	Crtool__Reply *rp = NULL;
	struct crcmd_opts o;
	struct imgset *head = NULL;
	int fds[IMGKIND_COUNT];
	size_t nfds = 0;
	uint64_t t0 = args_now_ns(), t_read;
	int json, rc;

	for (int i = 1; i + 1 < argc; i++)
		if ((!strcmp(argv[i], "-D") || !strcmp(argv[i], "--images-dir")) &&
		    imgapp_is_group(argv[i + 1]))
			return appcmd_restore(cl, argc, argv);
	json = args_take_flag(&argc, argv, "--json");
	rc = crcmd_parse(argc, argv, "nN", &o);

	if (rc)
		return rc;
	/* The board reads the files crtool opens (a chain: merged first). */
	if ((rc = imgchain_stream_files(o.dir, fds, &nfds, &head, &e)) < 0) {
		LOG_ERROR("%s", e.msg);
		return rc == -EIO || rc == -EACCES || rc == -EPERM ? CRT_IO : CRT_BAD_IMAGE;
	}
	t_read = args_now_ns() - t0;
	if (head->inventory->kind != CRIMG__SET_KIND__SET_DUMP) {
		LOG_ERROR("%s is a pre-dump (pages only); restore a dump "
		          "made with --prev-images-dir pointing at it",
		          o.dir);
		rc = CRT_BAD_IMAGE;
		goto out;
	}
	rr.node = o.node;
	rr.new_pid = o.new_pid;
	rr.has_node = rr.has_new_pid = 1;
	rr.files = (uint32_t)nfds;
	rq.req_case = CRTOOL__REQUEST__REQ_RESTORE;
	rq.restore = &rr;
	rc = client_send_fds(cl, &rq, fds, nfds);
	if (rc == CRT_OK)
		rc = progress_next(cl, "restore", NULL, 0, CRTOOL__REPLY__REP_RESTORE, &rp);
	if (rc)
		goto out;
	if (json) {
		rc = args_print_json(json_pack("{s:I, s:I, s:s, s:f, s:I, s:f, s:f, s:f}", "pid",
		                               (json_int_t)rp->restore->pid, "node",
		                               (json_int_t)rp->restore->node, "dir", o.dir,
		                               "opening_ms", crcmd_ms(t_read), "stream_bytes",
		                               (json_int_t)rp->restore->stream_bytes, "model_ms",
		                               crcmd_ms(rp->restore->model_ns), "restoring_ms",
		                               crcmd_ms(rp->restore->restore_ns), "total_ms",
		                               crcmd_ms(args_now_ns() - t0)));
		goto out;
	}
	printf("%u\n", rp->restore->pid);
	if (o.stats) {
		printf("node             %10u\n", rp->restore->node);
		printf("opening images   %10.3f ms\n", crcmd_ms(t_read));
		printf("stream bytes     %10" PRIu64 " (NoC model %.3f ms)\n",
		       rp->restore->stream_bytes, crcmd_ms(rp->restore->model_ns));
		printf("restoring        %10.3f ms\n", crcmd_ms(rp->restore->restore_ns));
		printf("total            %10.3f ms\n", crcmd_ms(args_now_ns() - t0));
	}
out:
	if (rp)
		crtool__reply__free_unpacked(rp, NULL);
	while (nfds)
		close(fds[--nfds]);
	imgset_free(head);
	return rc;
}
