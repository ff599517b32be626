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
	int cut;                          /* frozen (and sealed) at a group's cut */
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

/* Stops cc's process between two instructions. */
static int cr_do_freeze(struct board *b, struct bnode *nd, struct cr_capture *cc)
{
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
	return 0;
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

	if (!cc->cut && (rc = cr_do_freeze(b, nd, cc)))
		return rc;
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

	int rc;

	(void)b;
	if (!ce->kill)
		return kcr_thaw(nd->c, ce->pid);
	/* Its table entry goes at once: it lives on in its images (run mode
	 * reaps nothing else, and a group restored round the board comes
	 * back to this cluster). */
	if ((rc = cluster_kill(nd->c, ce->pid, KILL_DUMPED, 128 + 9)) == 0)
		(void)cluster_reap(nd->c, ce->pid);
	return rc;
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

/* ---- a group's members ---- */

struct checkpoint_member {
	struct cr_capture cc;
	struct cr_stats_ctx sc;
	struct transfer t;
	struct crerr e;
	struct checkpoint_dump_result r;
	int frozen; /* by the cut: thawed or ended by checkpoint_member_end */
	int ok;     /* the group's images are stored */
	int kill;   /* end it (a dump without leave_running), else thaw it */
};

int checkpoint_member_new(struct board *b, uint32_t pid, const struct checkpoint_dump_opts *o,
                          const int *files, struct checkpoint_member **out, struct crerr *e)
{
	struct checkpoint_member *m;
	uint64_t track = 0;
	int node = bproc_node_of(b, pid, &track);

	*out = NULL;
	if (node < 0)
		return crerr_fail(e, node, "pid %u: no such running process", pid);
	if (o->parent_id && o->parent_id != track)
		return crerr_fail(e, -ESTALE,
		                  "pid %u: the parent images (set %016llx) are not its last "
		                  "tracked capture; pre-dump the group again, or dump without a "
		                  "parent",
		                  pid, (unsigned long long)o->parent_id);
	if (!(m = calloc(1, sizeof(*m))))
		return crerr_fail(e, -ENOMEM, "out of host memory");
	m->e = (struct crerr)CRERR_INIT;
	m->sc = (struct cr_stats_ctx){ &m->t, 0, 0, o->pre_dump };
	m->cc = (struct cr_capture){ .pid = pid,
		                     .o = o,
		                     .t_request = kcr_now_ns(),
		                     .files = files,
		                     .t = &m->t,
		                     .sc = &m->sc,
		                     .fault = &b->fault,
		                     .e = &m->e };
	m->r.node = (uint32_t)node;
	transfer_init(&m->t, b->noc, (uint32_t)node, BOARD_IO_NODE, b->prof->portal_max, 0);
	*out = m;
	return 0;
}

uint32_t checkpoint_member_node(const struct checkpoint_member *m)
{
	return m->r.node;
}

uint64_t checkpoint_member_stream_bytes(const struct checkpoint_member *m)
{
	return m->r.stream_bytes;
}

struct crerr *checkpoint_member_err(struct checkpoint_member *m)
{
	return &m->e;
}

uint64_t checkpoint_member_frozen_at(const struct checkpoint_member *m)
{
	return m->cc.t_frozen;
}

int checkpoint_member_freeze(struct board *b, struct bnode *nd, struct checkpoint_member *m)
{
	int rc = cr_do_freeze(b, nd, &m->cc);

	m->frozen = m->cc.cut = rc == 0;
	return rc;
}

int checkpoint_member_capture(struct board *b, struct bnode *nd, void *arg)
{
	struct checkpoint_member *m = arg;
	int rc = cr_do_capture(b, nd, &m->cc);

	if (m->cc.set && (m->cc.o->pre_dump || m->cc.o->track_mem))
		bproc_set_track(b, m->cc.pid, 0);
	if (rc == 0 && !m->cc.written)
		rc = cr_write(&m->cc);
	if (rc && m->frozen) /* cr_do_capture thawed it */
		m->frozen = 0;
	m->r.stream_bytes = m->t.bytes;
	m->r.model_ns = m->t.model_ns;
	if (m->cc.set) {
		m->r.id = m->cc.set->inventory->id;
		m->r.freeze_ns = m->cc.t_frozen - m->cc.t_request;
		imgset_free(m->cc.set);
		m->cc.set = NULL;
	}
	return rc;
}

int checkpoint_member_end(struct board *b, struct bnode *nd, void *arg)
{
	struct checkpoint_member *m = arg;
	struct cr_end ce = { m->cc.pid, m->kill };
	int rc = 0;

	if (m->frozen)
		rc = cr_do_end(b, nd, &ce);
	m->frozen = 0;
	m->r.frozen_ns = kcr_now_ns() - m->cc.t_frozen;
	if (rc == 0 && m->ok && m->cc.o->track_mem && !m->kill)
		bproc_set_track(b, m->cc.pid, m->r.id);
	if (rc == 0 && m->ok && m->cc.o->pre_dump)
		bproc_set_track(b, m->cc.pid, m->r.id);
	return rc;
}

void checkpoint_member_set_end(struct checkpoint_member *m, int ok, int kill)
{
	m->ok = ok;
	m->kill = kill;
}

void checkpoint_member_free(struct checkpoint_member *m, struct checkpoint_dump_result *r)
{
	if (!m)
		return;
	if (r)
		*r = m->r;
	transfer_fini(&m->t);
	imgset_free(m->cc.set);
	free(m);
}
