/*
 * spawn.c - new processes on a board's clusters: one, or an SPMD launch
 * of one program on many nodes, all or none (see spawn.h).
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
#include "board/spawn.h"
#include "diag/crerr.h"
#include "images/imgparams.h"
#include "kernel/cluster.h"
#include "kernel/kcr.h"

struct spawn_req {
	uint32_t pid;
	const uint8_t *img;
	size_t len;
	char *const *argv;
	char *const *envp;
	int frozen;      /* held until spawn_spmd lets it run */
	const char *app; /* its application ("": none) */
	struct crerr *e;
};

static int spawn_do_spawn(struct board *b, struct bnode *nd, void *arg)
{
	struct spawn_req *sp = arg;
	int rc;

	(void)b;
	rc = cluster_spawn(nd->c, sp->pid, sp->img, sp->len, sp->argv, sp->envp, sp->e);
	if (!rc)
		(void)cluster_set_app(nd->c, sp->pid, sp->app); /* it is there */
	return rc || !sp->frozen ? rc : kcr_freeze(nd->c, sp->pid);
}

static int spawn_at(struct board *b, int node, struct spawn_req *sp)
{
	struct bproc *p = calloc(1, sizeof(*p));
	const char *name = sp->argv && sp->argv[0] ? sp->argv[0] : "?";
	int rc;

	if (!p)
		return crerr_fail(sp->e, -ENOMEM, "out of host memory");
	if ((rc = node_check(b, node, sp->e)) < 0) {
		free(p);
		return rc;
	}
	pthread_mutex_lock(&b->lock);
	if (node == BOARD_NODE_ANY)
		node = (int)node_least_busy(b);
	sp->pid = b->next_pid++;
	/* Recorded before it runs, so that its first output has a home. */
	p->info.pid = sp->pid;
	p->info.node = p->info.vnode = (uint32_t)node;
	p->info.state = BOARD_RUNNING;
	if (strrchr(name, '/'))
		name = strrchr(name, '/') + 1;
	snprintf(p->info.name, sizeof(p->info.name), "%s", name);
	snprintf(p->info.app, sizeof(p->info.app), "%s", sp->app ? sp->app : "");
	if (bproc_insert(b, p)) {
		pthread_mutex_unlock(&b->lock);
		free(p);
		return crerr_fail(sp->e, -ENOMEM, "out of host memory");
	}
	b->nodes[node].running++;
	/* MANYCORE_FAULT=spawn-fail@N: as if the cluster had no memory left */
	rc = ++b->spawn_tries == b->fault.spawn_fail ? -ENOMEM : 0;
	pthread_mutex_unlock(&b->lock);

	if (rc)
		crerr_fail(sp->e, rc, "spawn %u failed (injected fault)", b->fault.spawn_fail);
	else
		rc = node_call(b, (uint32_t)node, spawn_do_spawn, sp);
	if (rc == -EHOSTDOWN)
		crerr_fail(sp->e, rc, "node %d does not answer (taken as lost)", node);

	pthread_mutex_lock(&b->lock);
	if (rc) {
		b->nodes[node].running--;
		bproc_remove(b, p);
	} else {
		b->spawned++;
		bproc_prune(b);
	}
	pthread_mutex_unlock(&b->lock);
	return rc;
}

int spawn_process(struct board *b, int node, const uint8_t *img, size_t len, char *const argv[],
                  char *const envp[], const char *app, uint32_t *pid, struct crerr *e)
{
	struct spawn_req sp = { 0, img, len, argv, envp, 0, app, e };
	int rc = spawn_at(b, node, &sp);

	if (rc == 0)
		*pid = sp.pid;
	return rc;
}

static int spawn_do_unspawn(struct board *b, struct bnode *nd, void *arg)
{
	uint32_t pid = *(uint32_t *)arg;

	(void)b;
	cluster_kill(nd->c, pid, KILL_REQUEST, 128 + 9);
	return cluster_reap(nd->c, pid);
}

/* The application of an SPMD launch without a name: its program's name
 * and its first pid ("nvapi.7"). */
static void spawn_app_name(char *app, size_t n, char *const argv[], uint32_t first)
{
	const char *name = argv && argv[0] ? argv[0] : "app";
	size_t k;

	if (strrchr(name, '/'))
		name = strrchr(name, '/') + 1;
	k = strcspn(name, ".");
	if (k > 16)
		k = 16;
	snprintf(app, n, "%.*s.%u", (int)k, name, first);
	for (char *c = app; *c; c++) /* what names an application (imgcheck_app_name) */
		if (!strchr(CRIMG_APP_CHARS, *c))
			*c = '_';
}

struct spawn_run {
	uint32_t pid;
	const char *app;
};

static int spawn_do_let_run(struct board *b, struct bnode *nd, void *arg)
{
	const struct spawn_run *r = arg;

	(void)b;
	(void)cluster_set_app(nd->c, r->pid, r->app);
	return kcr_thaw(nd->c, r->pid);
}

int spawn_spmd(struct board *b, const uint32_t *nodes, uint32_t n, const uint8_t *img, size_t len,
               char *const argv[], const char *app, uint32_t *pids, struct crerr *e)
{
	char named[32];
	uint32_t k;
	int rc = 0;

	/* every node first: a list naming one that is not is refused whole */
	for (k = 0; k < n; k++)
		if ((rc = node_check(b, (int)nodes[k], e)))
			return rc;
	for (k = 0; k < n && rc == 0; k++) {
		struct spawn_req sp = { 0, img, len, argv, NULL, 1, app, e };
		if ((rc = spawn_at(b, (int)nodes[k], &sp)) == 0)
			pids[k] = sp.pid;
	}
	if (rc) {
		char why[CRERR_MSG_MAX];

		/* k-1 failed: the ones before it never ran; no trace of them */
		snprintf(why, sizeof(why), "%s", e->msg);
		crerr_reset(e);
		crerr_fail(e, rc, "on node %u: %s (none of the %u processes was started)",
		           nodes[k - 1], why, n);
		for (uint32_t j = 0; j + 1 < k; j++) {
			struct bproc *p;
			(void)node_call(b, nodes[j], spawn_do_unspawn, &pids[j]);
			pthread_mutex_lock(&b->lock);
			if ((p = bproc_find(b, pids[j]))) {
				if (p->info.state == BOARD_RUNNING)
					b->nodes[nodes[j]].running--;
				else
					b->nended--;
				b->spawned--;
				bproc_remove(b, p);
			}
			pthread_mutex_unlock(&b->lock);
		}
		return rc;
	}
	/* every one is made: they get their application, then run */
	if (!app || !*app) {
		spawn_app_name(named, sizeof(named), argv, pids[0]);
		app = named;
	}
	pthread_mutex_lock(&b->lock);
	for (k = 0; k < n; k++) {
		struct bproc *p = bproc_find(b, pids[k]);
		if (p)
			snprintf(p->info.app, sizeof(p->info.app), "%s", app);
	}
	pthread_mutex_unlock(&b->lock);
	for (k = 0; k < n; k++) {
		struct spawn_run r = { pids[k], app };
		(void)node_call(b, nodes[k], spawn_do_let_run, &r);
	}
	return 0;
}
