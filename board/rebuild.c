/*
 * rebuild.c - restores on a board, alone or as a group's member (see
 * rebuild.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/board.h"
#include "board/board_priv.h"
#include "board/bproc.h"
#include "board/node.h"
#include "board/rebuild.h"
#include "diag/crerr.h"
#include "kernel-hooks/restore.h"
#include "kernel-hooks/transfer.h"
#include "kernel/cluster.h"
#include "kernel/kcr.h"
#include "params/profile.h"

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
		int rc = imgseg_map(files[i], REBUILD_MAX - total, &seg);
		if (rc < 0) {
			cr_unmap(m);
			if (rc == -EFBIG)
				return crerr_fail(e, rc, "restore stream: more than %llu bytes",
				                  (unsigned long long)REBUILD_MAX);
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

struct rebuild_member {
	struct board_proc_info old; /* its record before (if not fresh) */
	struct bproc *p;            /* its record, once made */
	int fresh;                  /* the record is new */
	int built;                  /* rebuilt on its node */
	int frozen;                 /* leave it frozen: the group thaws it */
	uint32_t pid, node;
	uint32_t set_pid;          /* the pid it was dumped with */
	struct rebuild_copy *copy; /* restored as a copy: its name space, or NULL */
	struct imgset *set;
	struct transfer t; /* I/O node to its node */
	struct pagexfer_in src;
	struct cr_maps maps;
	struct crerr e;
	uint64_t t0;
};

int rebuild_member_open(struct board *b, uint32_t node, const int *files, size_t n,
                        struct rebuild_member **out, struct crerr *e)
{
	struct rebuild_member *m = calloc(1, sizeof(*m));
	struct imgchan ch;
	int rc;

	*out = NULL;
	if (!m)
		return crerr_fail(e, -ENOMEM, "out of host memory");
	m->e = (struct crerr)CRERR_INIT;
	m->node = node;
	m->t0 = kcr_now_ns();
	transfer_init(&m->t, b->noc, BOARD_IO_NODE, node, b->prof->portal_max, 0);
	if ((rc = cr_map(&m->maps, files, n, e)) < 0) {
		rebuild_member_free(m, NULL);
		return rc;
	}
	/* The node reads the set across the NoC and checks all of it before
	 * taking anything; page payloads stay on the I/O node until they are
	 * moved into the new frames. */
	m->src = (struct pagexfer_in){ &m->t.x, { m->maps.seg, m->maps.n, 0, 0 } };
	ch = pagexfer_chan_in(&m->src);
	rc = imgset_read_inplace(&ch, "restore stream", &m->set, e);
	if (rc < 0) {
		/* a stream that does not read is a damaged image */
		rc = crerr_recode(e, rc == -ENOMEM ? rc : -EBADMSG);
	} else if (m->set->inventory->kind != CRIMG__SET_KIND__SET_DUMP) {
		rc = crerr_fail(e, -EPROTO,
		                "the images are a pre-dump (pages only); restore a dump");
	}
	if (rc < 0) {
		rebuild_member_free(m, NULL);
		return rc;
	}
	m->pid = m->set_pid = m->set->inventory->pid;
	*out = m;
	return 0;
}

uint32_t rebuild_member_pid(const struct rebuild_member *m)
{
	return m->pid;
}

uint32_t rebuild_member_node(const struct rebuild_member *m)
{
	return m->node;
}

struct crerr *rebuild_member_err(struct rebuild_member *m)
{
	return &m->e;
}

int rebuild_member_record(struct board *b, struct rebuild_member *m, enum rebuild_pid how,
                          struct crerr *e)
{
	struct bproc *q = bproc_find(b, m->pid);

	m->frozen = 1;
	if (how == REBUILD_PID_FRESH || (q && q->info.state == BOARD_RUNNING)) {
		if (how == REBUILD_PID_KEEP)
			return crerr_fail(e, -EEXIST,
			                  "pid %u is in use (%s, running on node %u); restore "
			                  "with --new-pid for another copy",
			                  m->pid, q->info.name, q->info.node);
		m->pid = b->next_pid++;
	}
	m->p = cr_record(b, m->pid, m->node, restore_vnode(m->set, m->node),
	                 m->set->uarea->process->name, &m->old, &m->fresh);
	if (!m->p)
		return crerr_fail(e, -ENOMEM, "out of host memory");
	return 0;
}

/* The pid name space of a copy and how its pids are renumbered. */
struct rebuild_copy {
	struct pidns ns;
	size_t n;
	uint32_t from[PIDNS_MAX], to[PIDNS_MAX];
};

/* The pid member m is seen by: as its set's name space has it, or the
 * one it was dumped with. */
static uint32_t rebuild_seen(const struct rebuild_member *m, const struct pidns *old, int has)
{
	for (uint32_t i = 0; has && i < old->n; i++)
		if (old->name[i].pid == m->set_pid)
			return old->name[i].seen;
	return m->set_pid;
}

int rebuild_members_copy(struct board *b, struct rebuild_member **m, size_t n, struct crerr *e)
{
	struct rebuild_copy group = { .ns = { .n = 0 } };
	struct pidns old;
	size_t moved = 0;

	for (size_t i = 0; i < n; i++)
		moved += m[i]->pid != m[i]->set_pid;
	if (!moved)
		return 0;
	if (n > PIDNS_MAX)
		return crerr_fail(e, -EINVAL, "a copy of %zu processes; a pid name space holds %u",
		                  n, PIDNS_MAX);
	/* the members, as all of them see each other, and their renumbering */
	for (size_t j = 0; j < n; j++) {
		int has = restore_set_pidns(m[j]->set, &old);
		group.ns.name[group.ns.n++] =
			(struct pidns_name){ rebuild_seen(m[j], &old, has), m[j]->pid,
			                     restore_vnode(m[j]->set, m[j]->node) };
		for (size_t k = 0; k < j; k++)
			if (group.ns.name[k].seen == group.ns.name[j].seen)
				return crerr_fail(e, -EINVAL,
				                  "pids %u and %u were both seen as pid %u (an "
				                  "original and its copy?): restore them apart",
				                  m[k]->set_pid, m[j]->set_pid,
				                  group.ns.name[j].seen);
		if (m[j]->pid != m[j]->set_pid) {
			group.from[group.n] = m[j]->set_pid;
			group.to[group.n++] = m[j]->pid;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct rebuild_copy *c = malloc(sizeof(*c));
		int has = restore_set_pidns(m[i]->set, &old);
		if (!c)
			return crerr_fail(e, -ENOMEM, "out of host memory");
		*c = group;
		m[i]->copy = c;
		/* what it sees itself as: its records say so (ps, its output) */
		pthread_mutex_lock(&b->lock);
		m[i]->p->info.ns_pid = c->ns.name[i].seen;
		pthread_mutex_unlock(&b->lock);
		/* the rest of its old name space, as it was (not restored with it) */
		for (uint32_t k = 0; has && k < old.n && c->ns.n < PIDNS_MAX; k++) {
			int known = 0;
			for (uint32_t j = 0; j < c->ns.n; j++)
				known |= c->ns.name[j].seen == old.name[k].seen ||
				         c->ns.name[j].pid == old.name[k].pid;
			if (!known)
				c->ns.name[c->ns.n++] = old.name[k];
		}
	}
	return 0;
}

int rebuild_member_build(struct board *b, struct bnode *nd, void *arg)
{
	struct rebuild_member *m = arg;
	struct restore_opts ro = {
		.pid = m->pid, .frozen = m->frozen, .move_from = -1, .xfer = &m->t.x
	};
	int rc;

	(void)b;
	if (m->copy) {
		ro.ns = &m->copy->ns;
		ro.renumber = (struct restore_renumber){ m->copy->n, m->copy->from, m->copy->to };
	}
	rc = restore_process(nd->c, m->set, &ro, &m->e);
	m->built = rc == 0;
	return rc;
}

int rebuild_member_thaw(struct board *b, struct bnode *nd, void *arg)
{
	struct rebuild_member *m = arg;

	(void)b;
	return kcr_thaw(nd->c, m->pid);
}

int rebuild_member_undo(struct board *b, struct bnode *nd, void *arg)
{
	struct rebuild_member *m = arg;
	/* A dumped pid is away again (its lookups wait for a restore); any
	 * other is gone as it was. */
	int away = !m->fresh && m->old.killed_by == KILL_DUMPED;
	int rc = 0;

	(void)b;
	if (m->built)
		rc = cluster_kill(nd->c, m->pid, away ? KILL_DUMPED : KILL_REQUEST, 128 + 9);
	return rc;
}

void rebuild_member_unrecord(struct board *b, struct rebuild_member *m)
{
	if (!m->p)
		return;
	pthread_mutex_lock(&b->lock);
	if (m->built && m->p->info.state != BOARD_RUNNING) {
		/* undo's kill ended it: what its end counted, uncounted */
		b->nodes[m->node].running++;
		b->nodes[m->node].instret_ended -= m->p->info.instret;
		b->nended--;
	}
	m->p->info.state = BOARD_RUNNING;
	cr_unrecord(b, m->p, &m->old, m->fresh);
	m->p = NULL;
	pthread_mutex_unlock(&b->lock);
}

void rebuild_member_free(struct rebuild_member *m, struct rebuild_result *r)
{
	if (!m)
		return;
	if (r) {
		r->pid = m->pid;
		r->node = m->node;
		r->stream_bytes = m->t.bytes;
		r->model_ns = m->t.model_ns;
		r->restore_ns = kcr_now_ns() - m->t0;
	}
	transfer_fini(&m->t);
	free(m->copy);
	imgset_free(m->set);
	cr_unmap(&m->maps);
	free(m);
}

int rebuild_restore(struct board *b, int node, const int *files, size_t nfiles, int new_pid,
                    struct rebuild_result *r, struct crerr *e)
{
	struct rebuild_member *m;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = node_check(b, node, e)) < 0)
		return rc;
	if (node == BOARD_NODE_ANY) {
		pthread_mutex_lock(&b->lock);
		node = (int)node_least_busy(b);
		pthread_mutex_unlock(&b->lock);
	}
	r->node = (uint32_t)node;
	if ((rc = rebuild_member_open(b, (uint32_t)node, files, nfiles, &m, e)) < 0)
		return rc;
	pthread_mutex_lock(&b->lock);
	rc = rebuild_member_record(b, m, new_pid ? REBUILD_PID_IF_USED : REBUILD_PID_KEEP, e);
	pthread_mutex_unlock(&b->lock);
	if (rc == 0 && (rc = rebuild_members_copy(b, &m, 1, e)) == 0) {
		m->frozen = 0;
		rc = node_call(b, (uint32_t)node, rebuild_member_build, m);
	}
	if (rc == -EHOSTDOWN)
		crerr_fail(e, rc, "node %d does not answer (taken as lost)", node);
	else if (rc && m->e.count)
		crerr_fail(e, m->e.code, "%s", m->e.msg);
	if (rc)
		rebuild_member_unrecord(b, m);
	/* a set that does not fit this board's nodes */
	if (rc == -EINVAL)
		rc = crerr_recode(e, -EPROTO);
	rebuild_member_free(m, r);
	return rc;
}
