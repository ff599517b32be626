/*
 * checkpoint.c - dump, pre-dump and restore on a board: the kernel hooks
 * (kernel-hooks/) run on the process's node, the image stream crosses the
 * NoC between that node and the I/O node (see board.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "board/board.h"
#include "board/board_priv.h"
#include "board/bproc.h"
#include "board/checkpoint.h"
#include "board/node.h"
#include "diag/crerr.h"
#include "kernel-hooks/capture.h"
#include "kernel-hooks/restore.h"
#include "kernel-hooks/transfer.h"
#include "kernel/cluster.h"
#include "kernel/kcr.h"
#include "params/core_params.h"
#include "params/noc_params.h"
#include "params/profile.h"

/* ---- on the process's node ---- */

struct cr_stats_ctx {
	struct transfer *t;
	uint64_t t_frozen, t_stream;
	int pre_dump;
};

struct cr_capture {
	uint32_t pid;
	const struct checkpoint_dump_opts *o;
	uint64_t t_request, t_frozen;
	struct imgset *set;
	const int *files;   /* where the I/O node writes the set */
	struct transfer *t; /* the process's node to the I/O node */
	struct cr_stats_ctx *sc;
	const struct board_faults *fault; /* image writes that fail on purpose */
	int written;                      /* the set is out (or failed: rc) */
	struct crerr *e;
};

static void cr_before_stats(void *ctx, Crimg__Stats *st);

/* An image file's descriptor, whose write number f->image_write_at (of
 * the whole set) fails as a full or broken disk would (fault injection). */
struct cr_faulty {
	struct imgchan fd;
	const struct board_faults *f;
	uint32_t *writes; /* the set's, across its files */
};

static int cr_faulty_write(void *ctx, const void *buf, size_t n)
{
	struct cr_faulty *w = ctx;

	if (++*w->writes == w->f->image_write_at) {
		if (w->f->image_write_short && n > 1)
			(void)w->fd.write(w->fd.ctx, buf, n / 2); /* what fits, then full */
		return -w->f->image_write_err;
	}
	return w->fd.write(w->fd.ctx, buf, n);
}

/* Streams cc's set to the I/O node, which writes each file to its
 * descriptor. 0 or an error, said in cc->e. */
static int cr_write(struct cr_capture *cc)
{
	struct pagexfer_out ports[IMGKIND_COUNT];
	struct cr_faulty faulty[IMGKIND_COUNT];
	struct imgchan ch[IMGKIND_COUNT];
	struct imgset_opts io = { .level = cc->o->level,
		                  .before_stats = cr_before_stats,
		                  .ctx = cc->sc };
	uint32_t writes = 0;
	int rc;

	for (int k = 0; k < IMGKIND_COUNT; k++) {
		struct imgchan out = imgchan_fd(cc->files[k]);
		if (cc->fault->image_write_at) {
			faulty[k] = (struct cr_faulty){ out, cc->fault, &writes };
			out = (struct imgchan){ cr_faulty_write, NULL, &faulty[k], NULL, 0 };
		}
		ports[k] = (struct pagexfer_out){ &cc->t->x, out };
		ch[k] = pagexfer_chan_out(&ports[k]);
	}
	cc->sc->t_stream = kcr_now_ns();
	rc = imgset_write_files(cc->set, ch, "dump", &io, cc->e);
	cc->written = 1;
	return rc;
}

static int cr_do_capture(struct board *b, struct bnode *nd, void *arg)
{
	struct cr_capture *cc = arg;
	/* A dump reads the frozen process's pages in place and writes them
	 * out before this cluster does anything else; a pre-dump copies
	 * them and lets the process go on at once. */
	struct capture_opts co = { .pre_dump = cc->o->pre_dump,
		                   .parent_id = cc->o->parent_id,
		                   .parent_dir = cc->o->parent_dir,
		                   .in_place = !cc->o->pre_dump };
	int rc;

	/* Its daemon's move decides where it lives: not this copy's to dump. */
	if (migd_moving(b->migd, cc->pid))
		return crerr_fail(cc->e, -EBUSY,
		                  "pid %u is being migrated; dump it once it has moved", cc->pid);
	if ((rc = kcr_freeze(nd->c, cc->pid)))
		return crerr_fail(cc->e, rc, "pid %u: no such running process", cc->pid);
	/* A dump that ends it: nothing may reach it after its capture (it
	 * would be lost with it); senders wait for the restored process. */
	if (!cc->o->pre_dump && !cc->o->leave_running && (rc = kcr_seal(nd->c, cc->pid))) {
		kcr_thaw(nd->c, cc->pid);
		return crerr_fail(cc->e, rc, "pid %u: %d dumps under way already; try again",
		                  cc->pid, NOC_SEALED_MAX);
	}
	cc->t_frozen = cc->sc->t_frozen = kcr_now_ns();
	rc = capture_process(nd->c, cc->pid, &co, &cc->set, cc->e);
	if (rc == 0) {
		cc->set->stats->freeze_ns = cc->t_frozen - cc->t_request;
		if (cc->o->pre_dump || cc->o->track_mem)
			kcr_clean_pages(nd->c, cc->pid);
		if (!cc->o->pre_dump)
			rc = cr_write(cc);
	}
	if (rc || cc->o->pre_dump)
		kcr_thaw(nd->c, cc->pid);
	return rc;
}

struct cr_end {
	uint32_t pid;
	int kill;
};

static int cr_do_end(struct board *b, struct bnode *nd, void *arg)
{
	struct cr_end *ce = arg;

	(void)b;
	if (ce->kill)
		return cluster_kill(nd->c, ce->pid, KILL_DUMPED, 128 + 9);
	return kcr_thaw(nd->c, ce->pid);
}

static int cr_do_thaw(struct board *b, struct bnode *nd, void *arg)
{
	(void)b;
	return kcr_thaw(nd->c, *(uint32_t *)arg);
}

int checkpoint_thaw(struct board *b, uint32_t pid)
{
	int node = bproc_node_of(b, pid, NULL);

	return node < 0 ? node : node_call(b, (uint32_t)node, cr_do_thaw, &pid);
}

struct cr_stop {
	uint32_t pid;
	uint64_t insns;
};

static int cr_do_stop(struct board *b, struct bnode *nd, void *arg)
{
	struct cr_stop *cs = arg;

	(void)b;
	return kcr_set_stop(nd->c, cs->pid, cs->insns);
}

int checkpoint_set_stop(struct board *b, uint32_t pid, uint64_t insns)
{
	struct cr_stop cs = { pid, insns };
	int node = bproc_node_of(b, pid, NULL);

	return node < 0 ? node : node_call(b, (uint32_t)node, cr_do_stop, &cs);
}

/* ---- dump ---- */

/* Figures known only once the rest of the stream is out. */
static void cr_before_stats(void *ctx, Crimg__Stats *st)
{
	struct cr_stats_ctx *sc = ctx;
	uint64_t now = kcr_now_ns();

	st->transfer_ns = now - sc->t_stream;
	st->model_transfer_ns = sc->t->model_ns;
	if (!sc->pre_dump)
		st->frozen_ns = now - sc->t_frozen;
}

int checkpoint_dump(struct board *b, uint32_t pid, const struct checkpoint_dump_opts *o,
                    const int *files, int (*commit)(void *ctx, uint64_t stream_bytes), void *ctx,
                    struct checkpoint_dump_result *r, struct crerr *e)
{
	struct cr_stats_ctx sc = { NULL, 0, 0, o->pre_dump };
	struct cr_capture cc = { .pid = pid,
		                 .o = o,
		                 .t_request = kcr_now_ns(),
		                 .files = files,
		                 .sc = &sc,
		                 .fault = &b->fault,
		                 .e = e };
	struct transfer t;
	struct cr_end ce = { pid, 0 };
	uint64_t track = 0;
	int node = bproc_node_of(b, pid, &track), rc, rc2;

	memset(r, 0, sizeof(*r));
	if (node < 0)
		return crerr_fail(e, node, "pid %u: no such running process", pid);
	if (o->parent_id && o->parent_id != track)
		return crerr_fail(e, -ESTALE,
		                  "pid %u: the parent images (set %016llx) are not its last "
		                  "tracked capture (%s); pre-dump again, or dump without a parent",
		                  pid, (unsigned long long)o->parent_id,
		                  track ? "a later one was taken"
		                        : "none since, or memory changed untracked");
	r->node = (uint32_t)node;
	/* Each file crosses to the I/O node, which writes it to its descriptor. */
	transfer_init(&t, b->noc, (uint32_t)node, BOARD_IO_NODE, b->prof->portal_max, 0);
	cc.t = sc.t = &t;
	rc = node_call(b, (uint32_t)node, cr_do_capture, &cc);
	if (rc == -EHOSTDOWN)
		crerr_fail(e, rc, "node %d, where pid %u runs, does not answer", node, pid);
	/* A failed or abandoned capture that cleaned dirty bits leaves no
	 * trustworthy parent. */
	if (cc.set && (o->pre_dump || o->track_mem))
		bproc_set_track(b, pid, 0);
	if (rc == 0 && !cc.written)
		rc = cr_write(&cc);
	r->stream_bytes = t.bytes;
	r->model_ns = t.model_ns;
	transfer_fini(&t);
	if (cc.set) {
		r->id = cc.set->inventory->id;
		r->freeze_ns = cc.t_frozen - cc.t_request;
		imgset_free(cc.set);
	}
	if (rc && !cc.written)
		return rc; /* not captured: nothing changed */
	if (rc == 0 && (rc = commit(ctx, t.bytes)) < 0 && !e->count)
		crerr_fail(e, rc, "the images were not stored");
	if (o->pre_dump) {
		if (rc == 0)
			bproc_set_track(b, pid, r->id);
		return rc;
	}
	ce.kill = rc == 0 && !o->leave_running;
	rc2 = node_call(b, (uint32_t)node, cr_do_end, &ce);
	r->frozen_ns = kcr_now_ns() - cc.t_frozen;
	if (rc == 0 && rc2 == 0 && o->track_mem && !ce.kill)
		bproc_set_track(b, pid, r->id);
	return rc ? rc : rc2;
}

/* ---- restore ---- */

struct cr_build {
	const struct imgset *set;
	uint32_t pid;
	struct transfer *t; /* I/O node to this one */
	struct crerr *e;
};

static int cr_do_build(struct board *b, struct bnode *nd, void *arg)
{
	struct cr_build *cb = arg;
	struct restore_opts ro = { .pid = cb->pid, .move_from = -1, .xfer = &cb->t->x };

	(void)b;
	return restore_process(nd->c, cb->set, &ro, cb->e);
}

/* A record for pid on node, known as vnode, running: a new one, or the
 * ended one of a dumped pid brought back (*old keeps what it was). Board
 * lock held. */
static struct bproc *cr_record(struct board *b, uint32_t pid, uint32_t node, uint32_t vnode,
                               const char *name, struct board_proc_info *old, int *fresh)
{
	struct bproc *p = bproc_find(b, pid);

	*fresh = !p;
	if (p) {
		*old = p->info;
		if (p->info.state != BOARD_RUNNING)
			b->nended--;
	} else {
		if (!(p = calloc(1, sizeof(*p))))
			return NULL;
		p->info.pid = pid;
		if (bproc_insert(b, p)) {
			free(p);
			return NULL;
		}
	}
	memset(&p->info, 0, sizeof(p->info));
	p->info.pid = pid;
	p->info.node = node;
	p->info.vnode = vnode; /* its output keeps its [node N] prefix */
	p->info.state = BOARD_RUNNING;
	p->track_id = 0;
	snprintf(p->info.name, sizeof(p->info.name), "%s", name);
	b->nodes[node].running++;
	if (pid >= b->next_pid)
		b->next_pid = pid + 1;
	return p;
}

/* Undoes cr_record after a failed restore. Board lock held. */
static void cr_unrecord(struct board *b, struct bproc *p, const struct board_proc_info *old,
                        int fresh)
{
	b->nodes[p->info.node].running--;
	if (!fresh) {
		p->info = *old;
		if (p->info.state != BOARD_RUNNING)
			b->nended++;
		return;
	}
	bproc_remove(b, p);
}

/* The I/O node's view of the restore stream: files mapped as they lie. */
struct cr_maps {
	struct imgseg seg[IMGKIND_COUNT];
	size_t n;
};

static void cr_unmap(struct cr_maps *m)
{
	for (size_t i = 0; i < m->n; i++)
		imgseg_unmap(&m->seg[i]);
	m->n = 0;
}

static int cr_map(struct cr_maps *m, const int *files, size_t n, struct crerr *e)
{
	uint64_t total = 0;

	m->n = 0;
	if (n < 1 || n > IMGKIND_COUNT)
		return crerr_fail(e, -EBADF, "a restore stream comes in 1 to %d files, not %zu",
		                  IMGKIND_COUNT, n);
	for (size_t i = 0; i < n; i++) {
		struct imgseg seg;
		int rc = imgseg_map(files[i], CHECKPOINT_RESTORE_MAX - total, &seg);
		if (rc < 0) {
			cr_unmap(m);
			if (rc == -EFBIG)
				return crerr_fail(e, rc, "restore stream: more than %llu bytes",
				                  (unsigned long long)CHECKPOINT_RESTORE_MAX);
			if (rc == -EINVAL || rc == -EBADF)
				return crerr_fail(e, -EBADF,
				                  "restore stream: file %zu is not a regular file",
				                  i);
			return crerr_fail(e, rc == -ENOMEM ? rc : -EBADF,
			                  "restore stream: cannot map file %zu: %s", i,
			                  strerror(-rc));
		}
		total += seg.len;
		if (seg.len)
			m->seg[m->n++] = seg;
	}
	return 0;
}

int checkpoint_restore(struct board *b, int node, const int *files, size_t nfiles, int new_pid,
                       struct checkpoint_restore_result *r, struct crerr *e)
{
	struct board_proc_info old;
	struct cr_build cb = { NULL, 0, NULL, e };
	struct imgset *set = NULL;
	struct transfer t;
	struct pagexfer_in src;
	struct cr_maps maps;
	struct imgchan ch;
	struct bproc *p = NULL, *q;
	uint64_t t0;
	int rc, fresh = 0;

	memset(r, 0, sizeof(*r));
	if ((rc = node_check(b, node, e)) < 0)
		return rc;
	if ((rc = cr_map(&maps, files, nfiles, e)) < 0)
		return rc;
	if (node == BOARD_NODE_ANY) {
		pthread_mutex_lock(&b->lock);
		node = (int)node_least_busy(b);
		pthread_mutex_unlock(&b->lock);
	}
	r->node = (uint32_t)node;
	t0 = kcr_now_ns();
	/* The node reads the set across the NoC and checks all of it before
	 * taking anything; page payloads stay on the I/O node until they are
	 * moved into the new frames. */
	transfer_init(&t, b->noc, BOARD_IO_NODE, (uint32_t)node, b->prof->portal_max, 0);
	src = (struct pagexfer_in){ &t.x, { maps.seg, maps.n, 0, 0 } };
	ch = pagexfer_chan_in(&src);
	rc = imgset_read_inplace(&ch, "restore stream", &set, e);
	if (rc < 0) {
		/* a stream that does not read is a damaged image */
		rc = crerr_recode(e, rc == -ENOMEM ? rc : -EBADMSG);
		goto out;
	}
	if (set->inventory->kind != CRIMG__SET_KIND__SET_DUMP) {
		rc = crerr_fail(e, -EPROTO,
		                "the images are a pre-dump (pages only); restore a dump");
		goto out;
	}
	pthread_mutex_lock(&b->lock);
	cb.pid = set->inventory->pid;
	q = bproc_find(b, cb.pid);
	if (q && q->info.state == BOARD_RUNNING) {
		if (!new_pid)
			rc = crerr_fail(e, -EEXIST,
			                "pid %u is in use (%s, running on node %u); restore "
			                "with --new-pid for another copy",
			                cb.pid, q->info.name, q->info.node);
		else
			cb.pid = b->next_pid++;
	}
	if (rc == 0 &&
	    !(p = cr_record(b, cb.pid, (uint32_t)node, restore_vnode(set, (uint32_t)node),
	                    set->uarea->process->name, &old, &fresh))) {
		rc = crerr_fail(e, -ENOMEM, "out of host memory");
	}
	pthread_mutex_unlock(&b->lock);
	cb.set = set;
	cb.t = &t;
	if (rc == 0)
		rc = node_call(b, (uint32_t)node, cr_do_build, &cb);
	if (rc == -EHOSTDOWN)
		crerr_fail(e, rc, "node %d does not answer (taken as lost)", node);
	if (rc && p) {
		pthread_mutex_lock(&b->lock);
		cr_unrecord(b, p, &old, fresh);
		pthread_mutex_unlock(&b->lock);
	}
	r->pid = cb.pid;
	/* a set that does not fit this board's nodes */
	if (rc == -EINVAL)
		rc = crerr_recode(e, -EPROTO);
out:
	r->stream_bytes = t.bytes;
	r->model_ns = t.model_ns;
	r->restore_ns = kcr_now_ns() - t0;
	transfer_fini(&t);
	imgset_free(set);
	cr_unmap(&maps);
	return rc;
}
