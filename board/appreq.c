/*
 * appreq.c - the control protocol's group requests (see appreq.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/appcr.h"
#include "board/appreq.h"
#include "board/rebuild.h"
#include "board/request.h"
#include "diag/crerr.h"
#include "images/imgkind.h"
#include "images/imgparams.h"
#include "proto/rpcerr.h"
#include "proto/rpcwire.h"

/* Reads the n frames that follow a group request, each of kind want
 * (DumpFiles or RestoreFiles) passing its member's descriptors: up to
 * RPCWIRE_FDS_MAX each, counted into counts[i] (exactly `exact` each if
 * not 0), into fds (n x RPCWIRE_FDS_MAX). 0; -1 if the client went away;
 * or 1 once the error is answered. Descriptors are the caller's to close
 * (counts says how many of each frame's there are).
 */
static int appreq_member_files(int fd, size_t n, Crtool__Request__ReqCase want, size_t exact,
                               int (*fds)[RPCWIRE_FDS_MAX], size_t *counts)
{
	for (size_t i = 0; i < n; i++) {
		Crtool__Request *rq;
		uint8_t *buf;
		size_t len;
		uint32_t member = 0, files = 0;
		int ok;

		if (rpcwire_read_fds(fd, &buf, &len, fds[i], RPCWIRE_FDS_MAX, &counts[i]))
			return -1;
		rq = crtool__request__unpack(NULL, len, buf);
		free(buf);
		ok = rq && rq->req_case == want;
		if (ok && want == CRTOOL__REQUEST__REQ_DUMP_FILES) {
			member = rq->dump_files->member;
			files = rq->dump_files->files;
		} else if (ok) {
			member = rq->restore_files->member;
			files = rq->restore_files->files;
		}
		if (rq)
			crtool__request__free_unpacked(rq, NULL);
		if (!ok || member != i || files != counts[i] || !files ||
		    (exact && files != exact)) {
			request_error(
				fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
				"member %zu of %zu: expected its %s frame with %s descriptors "
				"as it says (%zu came)",
				i, n,
				want == CRTOOL__REQUEST__REQ_DUMP_FILES ? "DumpFiles"
									: "RestoreFiles",
				exact ? "7" : "1 to 7", counts[i]);
			return 1;
		}
	}
	return 0;
}

/* The descriptor frames of a group request, one per member. */
struct appreq_frames {
	size_t n;
	int (*fds)[RPCWIRE_FDS_MAX];
	size_t *counts;
};

/* Takes the n frames of kind want (appreq_member_files): 0; -1 if the
 * client went away or host memory ran out (the client is dropped); or
 * 1 once the error is answered. appreq_frames_free in every case. */
static int appreq_frames_take(int fd, size_t n, Crtool__Request__ReqCase want, size_t exact,
                              struct appreq_frames *f)
{
	f->n = n;
	f->fds = calloc(n, sizeof(*f->fds));
	f->counts = calloc(n, sizeof(*f->counts));
	if (!f->fds || !f->counts)
		return -1;
	return appreq_member_files(fd, n, want, exact, f->fds, f->counts);
}

static void appreq_frames_free(struct appreq_frames *f)
{
	for (size_t i = 0; f->fds && f->counts && i < f->n; i++)
		for (size_t j = 0; j < f->counts[i]; j++)
			close(f->fds[i][j]);
	free(f->fds);
	free(f->counts);
}

int appreq_dump(struct board *b, int fd, const Crtool__AppDumpRequest *rq)
{
	size_t n = rq->n_pids;
	struct appcr_dump_opts o = { .base = { .pre_dump = rq->pre_dump,
		                               .leave_running = rq->leave_running,
		                               .track_mem = rq->track_mem,
		                               .level = (int)rq->level },
		                     .parent_ids = rq->n_parent_ids ? rq->parent_ids : NULL,
		                     .parent_dirs = rq->n_parent_dirs
		                                            ? (const char *const *)rq->parent_dirs
		                                            : NULL };
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__AppDumpReply ar = CRTOOL__APP_DUMP_REPLY__INIT;
	struct appcr_dump_result r = { 0, 0, NULL };
	struct crerr e = CRERR_INIT;
	struct request_dump_ctx d = { fd, &e, &r.cut_ns };
	struct appreq_frames f = { 0, NULL, NULL };
	int(*files)[IMGKIND_COUNT] = NULL;
	Crtool__DumpReply *drs = NULL, **ptrs = NULL;
	int rc;

	if (n < 1 || n > CRIMG_APP_MEMBERS_MAX || rq->level > 22 ||
	    (rq->pre_dump && rq->leave_running) || (rq->n_parent_ids && rq->n_parent_ids != n) ||
	    (rq->n_parent_dirs && rq->n_parent_dirs != n))
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "a group dump names 1 to %u pids (%zu named), a zstd level "
		                     "of at most 22, no leave_running with a pre-dump, and "
		                     "parents for none or every member",
		                     CRIMG_APP_MEMBERS_MAX, n);
	files = calloc(n, sizeof(*files));
	drs = calloc(n, sizeof(*drs));
	ptrs = calloc(n, sizeof(*ptrs));
	r.m = calloc(n, sizeof(*r.m));
	rc = !files || !drs || !ptrs || !r.m
	             ? -1 /* cannot even take the frames: drop the client */
	             : appreq_frames_take(fd, n, CRTOOL__REQUEST__REQ_DUMP_FILES, IMGKIND_COUNT,
	                                  &f);
	if (rc) {
		rc = rc < 0 ? -1 : 0;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		memcpy(files[i], f.fds[i], sizeof(files[i]));
	rc = appcr_dump(b, rq->pids, n, &o, (const int(*)[IMGKIND_COUNT])files, request_dump_commit,
	                &d, &r, &e);
	if (rc == -EPIPE) {
		rc = -1; /* the client is gone: the members run on */
		goto out;
	}
	if (rc) {
		rc = request_error(fd, rpcerr_code(CRTOOL__REQUEST__REQ_APP_DUMP, rc), "%s", e.msg);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		crtool__dump_reply__init(&drs[i]);
		drs[i].node = r.m[i].node;
		drs[i].id = r.m[i].id;
		drs[i].freeze_ns = r.m[i].freeze_ns;
		drs[i].frozen_ns = r.m[i].frozen_ns;
		drs[i].stream_bytes = r.m[i].stream_bytes;
		drs[i].model_ns = r.m[i].model_ns;
		ptrs[i] = &drs[i];
	}
	ar.n_members = n;
	ar.members = ptrs;
	ar.cut_ns = r.cut_ns;
	ar.stream_bytes = r.stream_bytes;
	rp.rep_case = CRTOOL__REPLY__REP_APP_DUMP;
	rp.app_dump = &ar;
	rc = rpcwire_send_reply(fd, &rp);
out:
	appreq_frames_free(&f);
	free(files);
	free(drs);
	free(ptrs);
	free(r.m);
	return rc;
}

int appreq_restore(struct board *b, int fd, const Crtool__AppRestoreRequest *rq)
{
	size_t n = rq->n_nodes;
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__AppRestoreReply ar = CRTOOL__APP_RESTORE_REPLY__INIT;
	struct appcr_restore_result r = { 0, 0, NULL };
	struct crerr e = CRERR_INIT;
	struct appreq_frames f = { 0, NULL, NULL };
	const int **files = NULL;
	Crtool__RestoreReply *rrs = NULL, **ptrs = NULL;
	int rc;

	if (n < 1 || n > CRIMG_APP_MEMBERS_MAX)
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "a group restore names 1 to %u members (%zu named)",
		                     CRIMG_APP_MEMBERS_MAX, n);
	files = calloc(n, sizeof(*files));
	rrs = calloc(n, sizeof(*rrs));
	ptrs = calloc(n, sizeof(*ptrs));
	r.m = calloc(n, sizeof(*r.m));
	rc = !files || !rrs || !ptrs || !r.m
	             ? -1 /* cannot even take the frames: drop the client */
	             : appreq_frames_take(fd, n, CRTOOL__REQUEST__REQ_RESTORE_FILES, 0, &f);
	if (rc) {
		rc = rc < 0 ? -1 : 0;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		files[i] = f.fds[i];
	rc = appcr_restore(b, n, rq->nodes, files, f.counts, rq->new_pid, &r, &e);
	if (rc) {
		rc = request_error(fd, rpcerr_code(CRTOOL__REQUEST__REQ_RESTORE, rc), "%s", e.msg);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		crtool__restore_reply__init(&rrs[i]);
		rrs[i].pid = r.m[i].pid;
		rrs[i].node = r.m[i].node;
		rrs[i].stream_bytes = r.m[i].stream_bytes;
		rrs[i].model_ns = r.m[i].model_ns;
		rrs[i].restore_ns = r.m[i].restore_ns;
		ptrs[i] = &rrs[i];
	}
	ar.n_members = n;
	ar.members = ptrs;
	ar.restore_ns = r.restore_ns;
	ar.resume_ns = r.resume_ns;
	rp.rep_case = CRTOOL__REPLY__REP_APP_RESTORE;
	rp.app_restore = &ar;
	rc = rpcwire_send_reply(fd, &rp);
out:
	appreq_frames_free(&f);
	free(files);
	free(rrs);
	free(ptrs);
	free(r.m);
	return rc;
}
