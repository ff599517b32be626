/*
 * dump.c - checkpoints of one process: dump, pre-dump and restore. The
 * board freezes, captures and rebuilds; the library writes and reads
 * the image directories (libcrimg), so a client names directories only.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag/crerr.h"
#include "images/imgapp.h"
#include "images/imgbuf.h"
#include "images/imgchain.h"
#include "images/imgset.h"
#include "libcrtool/appdump.h"
#include "libcrtool/lcstatus.h"
#include "libcrtool/lib_priv.h"

void lib_parent_path(const char *dir, const char *prev, char *out, size_t n)
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

/* Checks before anything is frozen that dir may receive images: new or
 * empty, and a directory can be made beside it. */
static int dump_dir_ready(crt_board *b, const char *dir)
{
	struct crerr e = CRERR_INIT;
	char probe[PATH_MAX];
	int rc = imgset_dir_free(dir, &e);

	if (rc == -EEXIST)
		return lib_fail(b, CRT_USAGE, "%s", e.msg);
	if (rc < 0)
		return lib_fail(b, CRT_IO, "%s", e.msg);
	/* The images are stored in a directory made beside dir, then renamed:
	 * make one now, so that a place that cannot take them is said before
	 * anything is frozen. */
	if (snprintf(probe, sizeof(probe), "%s.probe-XXXXXX", dir) >= (int)sizeof(probe) - 64)
		return lib_fail(b, CRT_USAGE, "%s: path too long", dir);
	if (!mkdtemp(probe))
		return lib_fail(b, CRT_IO, "%s: cannot create the images' directory there: %s", dir,
		                strerror(errno));
	rmdir(probe);
	return CRT_OK;
}

int lib_commit(crt_board *b, int stored, const char *why, Crtool__Reply__RepCase want,
               const char *dir, Crtool__Reply **rp)
{
	Crtool__Request cm = CRTOOL__REQUEST__INIT;
	Crtool__DumpCommit dc = CRTOOL__DUMP_COMMIT__INIT;
	char board_said[sizeof(b->err)];
	int rc;

	dc.stored = stored;
	dc.message = stored ? NULL : (char *)why;
	cm.req_case = CRTOOL__REQUEST__REQ_DUMP_COMMIT;
	cm.dump_commit = &dc;
	rc = lib_call(b, &cm, want, rp);
	if (!stored) /* the board's answer matters less than why */
		return lib_fail(b, CRT_IO, "%s", why);
	if (rc != CRT_OK) {
		snprintf(board_said, sizeof(board_said), "%s", b->err);
		lib_fail(
			b, rc,
			"the images in %s were stored, but the board failed to end or thaw what it "
			"dumped: %s",
			dir, board_said);
	}
	return rc;
}

struct crt_dump_result *lib_dump_result_new(size_t n)
{
	return calloc(1, sizeof(struct crt_dump_result) + n * sizeof(struct crt_dump_member));
}

void lib_dump_member(struct crt_dump_member *m, uint32_t pid, const Crimg__Stats *st,
                     const Crtool__DumpReply *d, int has_parent)
{
	m->pid = pid;
	m->node = d->node;
	snprintf(m->id, sizeof(m->id), "%" PRIu64, d->id);
	m->freeze_ns = d->freeze_ns;
	m->frozen_ns = d->frozen_ns;
	m->stream_bytes = d->stream_bytes;
	m->model_ns = d->model_ns;
	m->pages_scanned = st->pages_scanned;
	m->pages_written = st->pages_written;
	m->pages_zero = st->pages_zero;
	m->pages_in_parent = st->pages_in_parent;
	m->bytes_raw = st->bytes_raw;
	m->bytes_stored = st->bytes_stored;
	m->has_parent = has_parent;
}

/* The parent set of a dump of pid into dir, named prev (relative). */
static int dump_parent(crt_board *b, const char *dir, const char *prev, uint32_t pid,
                       struct imgset **parent)
{
	struct crerr e = CRERR_INIT;
	char path[PATH_MAX + 8];

	lib_parent_path(dir, prev, path, sizeof(path));
	if (imgset_read_dir(path, parent, &e) < 0)
		return lib_fail(b, lcstatus_of_image(e.code), "parent images: %s", e.msg);
	if ((*parent)->inventory->pid != pid) {
		lib_fail(b, CRT_USAGE, "the parent images %s are of pid %u, not %u", path,
		         (*parent)->inventory->pid, pid);
		imgset_free(*parent);
		*parent = NULL;
		return CRT_USAGE;
	}
	return CRT_OK;
}

/* One process's dump or pre-dump. */
static int dump_one(crt_board *b, const struct crt_dump_opts *o, struct crt_dump_result **out)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__DumpRequest dq = CRTOOL__DUMP_REQUEST__INIT;
	struct crerr e = CRERR_INIT;
	Crtool__Reply *rp = NULL;
	struct imgbuf buf;
	struct imgset *parent = NULL, *set = NULL;
	char why[700] = "", what[64];
	uint64_t t0 = lib_now_ns(), t_store;
	uint32_t pid = o->pids[0];
	int rc, stored;

	if (o->prev_dir && (rc = dump_parent(b, o->dir, o->prev_dir, pid, &parent)))
		return rc;
	if (parent) {
		dq.parent_id = parent->inventory->id;
		dq.has_parent_id = 1;
		dq.parent_dir = (char *)o->prev_dir;
	}
	dq.pid = pid;
	dq.pre_dump = o->pre_dump != 0;
	dq.leave_running = o->leave_running != 0;
	dq.track_mem = o->track_mem != 0;
	dq.level = (uint32_t)o->level;
	dq.files = IMGKIND_COUNT;
	dq.has_pre_dump = dq.has_leave_running = dq.has_track_mem = dq.has_level = 1;
	dq.has_files = 1;
	rq.req_case = CRTOOL__REQUEST__REQ_DUMP;
	rq.dump = &dq;
	/* The board writes the files into anonymous memory shared with it;
	 * the library stores them. */
	if (imgbuf_new(&buf, &e) < 0) {
		imgset_free(parent);
		return lib_fail(b, CRT_IO, "%s", e.msg);
	}
	snprintf(what, sizeof(what), "%s of pid %u", o->pre_dump ? "pre-dump" : "dump", pid);
	rc = lib_send(b, &rq, buf.fd, IMGKIND_COUNT);
	if (rc == CRT_OK)
		rc = lib_next(b, CRTOOL__REPLY__REP_DUMP_END, what, buf.fd, IMGKIND_COUNT, &rp);
	if (rc != CRT_OK)
		goto out; /* the board said why; nothing was stored */
	crtool__reply__free_unpacked(rp, NULL);
	rp = NULL;
	t_store = lib_now_ns();
	stored = imgbuf_store(&buf, o->dir, parent, &set, &e) == 0;
	if (!stored)
		snprintf(why, sizeof(why), "the images could not be stored: %s", e.msg);
	t_store = lib_now_ns() - t_store;
	if ((rc = lib_commit(b, stored, why, CRTOOL__REPLY__REP_DUMP, o->dir, &rp)) != CRT_OK)
		goto out;
	if (!(*out = lib_dump_result_new(1))) {
		rc = lib_fail(b, CRT_FAILED, "out of memory (the images in %s were stored)",
		              o->dir);
		goto out;
	}
	(*out)->pre_dump = o->pre_dump != 0;
	(*out)->n = 1;
	(*out)->stream_bytes = rp->dump->stream_bytes;
	(*out)->store_ns = t_store;
	lib_dump_member(&(*out)->members[0], pid, set->stats, rp->dump, parent != NULL);
	(*out)->total_ns = lib_now_ns() - t0;
out:
	if (rp)
		crtool__reply__free_unpacked(rp, NULL);
	imgset_free(set);
	imgbuf_free(&buf);
	imgset_free(parent);
	return rc;
}

int crt_dump(crt_board *b, const struct crt_dump_opts *o, struct crt_dump_result **out)
{
	int rc;

	lib_clear(b);
	*out = NULL;
	if (!o->dir || !*o->dir)
		return lib_fail(b, CRT_USAGE, "no images directory given");
	if (o->level < 0 || o->level > 22)
		return lib_fail(b, CRT_USAGE, "zstd level %d (1 to 22, or 0 for raw pages)",
		                o->level);
	for (size_t i = 0; i < o->n_pids; i++)
		if (!o->pids[i])
			return lib_fail(b, CRT_USAGE, "pid 0 is no process");
	if (o->pre_dump && (o->leave_running || o->track_mem))
		return lib_fail(b, CRT_USAGE,
		                "a pre-dump leaves what it dumps running and tracks its memory "
		                "anyway: not with leave_running or track_mem");
	if (o->prev_dir && o->prev_dir[0] == '/')
		return lib_fail(b, CRT_USAGE,
		                "the parent directory must be relative to the images' directory "
		                "(e.g. ../pre), as the images record it");
	if (!o->app && !o->n_pids)
		return lib_fail(b, CRT_USAGE, "no process given (a pid, or an application)");
	/* checked before anything is asked of the board, let alone frozen */
	if ((rc = dump_dir_ready(b, o->dir)))
		return rc;
	if (o->app || o->n_pids > 1)
		return appdump_dump(b, o, out);
	return dump_one(b, o, out);
}

int crt_restore(crt_board *b, const struct crt_restore_opts *o, struct crt_restore_result **out)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__RestoreRequest rr = CRTOOL__RESTORE_REQUEST__INIT;
	struct crerr e = CRERR_INIT;
	Crtool__Reply *rp = NULL;
	struct imgset *head = NULL;
	int fds[IMGKIND_COUNT];
	size_t nfds = 0;
	uint64_t t0 = lib_now_ns(), t_read;
	struct stat st;
	int rc;

	lib_clear(b);
	*out = NULL;
	if (!o->dir || !*o->dir)
		return lib_fail(b, CRT_USAGE, "no images directory given");
	if (stat(o->dir, &st) < 0)
		return lib_fail(b, CRT_IO, "%s: %s", o->dir, strerror(errno));
	if (imgapp_is_group(o->dir))
		return appdump_restore(b, o, out);
	if (o->n_map)
		return lib_fail(b, CRT_USAGE, "%s holds one process: a node map is for a group",
		                o->dir);
	if (o->n_nodes > 1)
		return lib_fail(b, CRT_USAGE, "%s holds one process: one node, not %zu", o->dir,
		                o->n_nodes);
	/* The board reads the files opened here (a chain: merged first). */
	if ((rc = imgchain_stream_files(o->dir, fds, &nfds, &head, &e)) < 0)
		return lib_fail(b, lcstatus_of_image(rc), "%s", e.msg);
	t_read = lib_now_ns() - t0;
	if (head->inventory->kind != CRIMG__SET_KIND__SET_DUMP) {
		rc = lib_fail(b, CRT_BAD_IMAGE,
		              "%s is a pre-dump (pages only); restore a dump made with "
		              "--prev-images-dir pointing at it",
		              o->dir);
		goto out;
	}
	rr.node = o->n_nodes ? o->nodes[0] : -1;
	rr.new_pid = o->new_pid != 0;
	rr.has_node = rr.has_new_pid = 1;
	rr.files = (uint32_t)nfds;
	rq.req_case = CRTOOL__REQUEST__REQ_RESTORE;
	rq.restore = &rr;
	rc = lib_send(b, &rq, fds, nfds);
	if (rc == CRT_OK)
		rc = lib_next(b, CRTOOL__REPLY__REP_RESTORE, "restore", NULL, 0, &rp);
	if (rc)
		goto out;
	if (!(*out = calloc(1, sizeof(**out) + sizeof((*out)->members[0])))) {
		rc = lib_fail(b, CRT_FAILED, "out of memory (pid %u was restored)",
		              rp->restore->pid);
		goto out;
	}
	(*out)->n = 1;
	(*out)->open_ns = t_read;
	(*out)->restore_ns = rp->restore->restore_ns;
	(*out)->members[0] = (struct crt_restore_member){
		rp->restore->pid,      rp->restore->node,       rp->restore->stream_bytes,
		rp->restore->model_ns, rp->restore->restore_ns,
	};
	(*out)->total_ns = lib_now_ns() - t0;
out:
	if (rp)
		crtool__reply__free_unpacked(rp, NULL);
	while (nfds)
		close(fds[--nfds]);
	imgset_free(head);
	return rc;
}
