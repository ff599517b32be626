/*
 * board.c - the board: clusters, NoC, process table, serve mode (run
 * mode's rounds are runmode.c's).
 *
 * Locks, always taken in this order: the NoC's, then a node's (its
 * doorbell and command queue), then the board's (process table, output,
 * command completion). A cluster's state is touched only by the thread
 * that drives it: its host thread in serve mode, the caller in run mode.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "board/board.h"
#include "board/board_priv.h"
#include "board/bproc.h"
#include "board/checkpoint.h"
#include "board/faults.h"
#include "board/migration.h"
#include "board/node.h"
#include "diag/crerr.h"
#include "kernel/cluster.h"
#include "kernel/kcr.h"
#include "kernel/pidns.h"
#include "kernel/uarea.h"
#include "noc/doorbell.h"
#include "params/core_params.h"
#include "params/profile.h"

static double board_seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* ---- hooks: what clusters tell the board ---- */

/* All of buf to the host's fd; 0 or -EIO. */
static int board_write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -EIO;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A copy (in a pid name space of its own: restore --new-pid). */
static int board_is_copy(const struct bproc *p)
{
	return p->info.ns_pid && p->info.ns_pid != p->info.pid;
}

/* p's lines on the host console are marked: with its node when several
 * programs share it (SPMD), and always for a copy, which prints what
 * its original prints. */
static int board_marked(const struct board *b, const struct bproc *p)
{
	return b->cfg.console_prefix || board_is_copy(p);
}

/* One line of p's stream fd, prefixed with its node. */
static int board_write_line(const struct bproc *p, int fd, const char *line, size_t n)
{
	char pre[32];
	int k = snprintf(pre, sizeof(pre), board_is_copy(p) ? "[copy node %u] " : "[node %u] ",
	                 p->info.vnode);

	if (board_write_all(fd, pre, (size_t)k) || board_write_all(fd, line, n))
		return -EIO;
	return n && line[n - 1] == '\n' ? 0 : board_write_all(fd, "\n", 1);
}

/* Writes p's complete lines of fd (buf after what is kept), keeps the
 * rest; with flush, the rest too. The board's lock is held. */
static long board_write_prefixed(struct bproc *p, int fd, const char *buf, size_t n, int flush)
{
	char **part = &p->partial[fd - 1];
	size_t *np = &p->npartial[fd - 1], start = 0;
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++) {
		if (buf[i] != '\n')
			continue;
		if (*np) {
			char *t = realloc(*part, *np + i - start + 1);
			if (!t)
				return -ENOMEM;
			memcpy(t + *np, buf + start, i - start + 1);
			rc = board_write_line(p, fd, t, *np + i - start + 1);
			free(t);
			*part = NULL;
			*np = 0;
		} else {
			rc = board_write_line(p, fd, buf + start, i - start + 1);
		}
		start = i + 1;
	}
	if (!rc && start < n) {
		char *t = realloc(*part, *np + n - start);
		if (!t)
			return -ENOMEM;
		memcpy(t + *np, buf + start, n - start);
		*part = t;
		*np += n - start;
	}
	if (!rc && flush && *np) {
		rc = board_write_line(p, fd, *part, *np);
		free(*part);
		*part = NULL;
		*np = 0;
	}
	return rc ? rc : (long)n;
}

static long board_write(void *ctx, uint32_t pid, int fd, const void *buf, size_t n)
{
	struct board *b = ctx;
	struct bproc *p;
	long rc = (long)n;

	if (b->cfg.host_console) {
		pthread_mutex_lock(&b->lock);
		if ((p = bproc_find(b, pid)) && board_marked(b, p))
			rc = board_write_prefixed(p, fd, buf, n, 0);
		else
			rc = board_write_all(fd, buf, n) ? -EIO : (long)n;
		pthread_mutex_unlock(&b->lock);
		return rc;
	}
	pthread_mutex_lock(&b->lock);
	p = bproc_find(b, pid);
	if (p) {
		bproc_append_output(&p->out[fd - 1], buf, n);
		pthread_cond_broadcast(&b->cv);
	}
	pthread_mutex_unlock(&b->lock);
	return (long)n;
}

static long board_read(void *ctx, uint32_t pid, void *buf, size_t n)
{
	struct board *b = ctx;
	ssize_t r;

	(void)pid;
	if (!b->cfg.host_console)
		return 0; /* served guests have no input */
	do
		r = read(0, buf, n);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -EIO : (long)r;
}

static void board_ended(void *ctx, const struct uarea *ua)
{
	struct board *b = ctx;
	struct bproc *p;

	pthread_mutex_lock(&b->lock);
	p = bproc_find(b, ua->pid);
	if (p && b->cfg.host_console && board_marked(b, p))
		for (int fd = 1; fd <= 2; fd++)
			(void)board_write_prefixed(p, fd, "", 0, 1); /* its last line, unended */
	if (p && p->info.state == BOARD_RUNNING) {
		bproc_fill_info(&p->info, ua);
		p->info.state = ua->state == UPROC_EXITED ? BOARD_EXITED : BOARD_KILLED;
		p->info.status = ua->status;
		p->info.killed_by = ua->killed_by;
		p->info.has_fault = ua->killed_by == KILL_FAULT;
		p->info.fault_cause = ua->fault.cause;
		p->info.fault_pc = ua->fault.pc;
		p->info.fault_addr = ua->fault.tval;
		p->info.fault_tid = ua->fault.tid;
		b->nodes[p->info.node].running--;
		b->nodes[p->info.node].instret_ended += p->info.instret;
		b->nended++;
		pthread_cond_broadcast(&b->cv);
	}
	pthread_mutex_unlock(&b->lock);
}

static void board_stopped(void *ctx, uint32_t pid)
{
	struct board *b = ctx;

	pthread_mutex_lock(&b->lock);
	if (b->nstopped == b->stopped_cap) {
		uint32_t cap = b->stopped_cap ? b->stopped_cap * 2 : 16;
		uint32_t *t = realloc(b->stopped, cap * sizeof(*t));
		if (t) {
			b->stopped = t;
			b->stopped_cap = cap;
		}
	}
	if (b->nstopped < b->stopped_cap)
		b->stopped[b->nstopped++] = pid;
	pthread_mutex_unlock(&b->lock);
}

/* ---- commands and node threads ---- */

/* ---- life of the board ---- */

struct board *board_new(const struct board_config *cfg, struct crerr *e)
{
	struct board *b = calloc(1, sizeof(*b));
	struct cluster_hooks hooks = { .write = board_write,
		                       .read = board_read,
		                       .ended = board_ended,
		                       .stopped = board_stopped,
		                       .ctx = b };
	uint64_t code_cache;

	if (!b) {
		crerr_fail(e, -ENOMEM, "out of host memory");
		return NULL;
	}
	b->cfg = *cfg;
	b->prof = cfg->prof;
	if (faults_parse(getenv("MANYCORE_FAULT"), &b->fault, e) < 0 ||
	    !(b->node_timeout_ns = faults_node_timeout(e))) {
		free(b);
		return NULL;
	}
	code_cache = cfg->code_cache ? cfg->code_cache : b->prof->code_cache;
	if (codepool_init(&b->code_pool, code_cache)) {
		crerr_fail(e, -EINVAL,
		           "a code cache of %llu bytes holds no chunk of translated code "
		           "(%u bytes at least)",
		           (unsigned long long)code_cache, CODEPOOL_CHUNK_COST);
		free(b);
		return NULL;
	}
	b->next_pid = 1;
	clock_gettime(CLOCK_MONOTONIC, &b->boot);
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cv, NULL);
	b->nnodes = profile_clusters(b->prof);
	b->noc = noc_new(b->prof);
	if (b->noc)
		noc_set_hold_fault(b->noc, b->fault.noc_hold_fail);
	b->nodes = calloc(b->nnodes, sizeof(*b->nodes));
	if (!b->noc || !b->nodes) {
		crerr_fail(e, -ENOMEM, "out of host memory for the NoC of %u nodes", b->nnodes);
		goto fail;
	}
	for (uint32_t i = 0; i < b->nnodes; i++) {
		struct bnode *nd = &b->nodes[i];
		nd->b = b;
		nd->node = i;
		pthread_mutex_init(&nd->lock, NULL);
		pthread_cond_init(&nd->cv, NULL);
		nd->c = cluster_new(b->prof, i, cfg->memory, b->noc, &hooks, cfg->log);
		if (!nd->c) {
			crerr_fail(e, -ENOMEM, "cannot allocate the memory of cluster %u", i);
			goto fail;
		}
		cluster_set_quantum(nd->c, cfg->quantum);
		if (cluster_set_core(nd->c, cfg->core)) {
			crerr_fail(e, -ENOTSUP,
			           "this build has no translator on this host (x86-64 only): "
			           "use --core interp");
			goto fail;
		}
		cluster_set_code_pool(nd->c, &b->code_pool);
		cluster_set_insn_limit(nd->c, cfg->insn_limit);
		cluster_set_build_fault(nd->c, b->fault.build_frame_fail);
	}
	if (b->fault.mig.hang_node > b->nnodes) {
		crerr_fail(e, -EINVAL, "MANYCORE_FAULT: node-hang@%u: this board has nodes 0 to %u",
		           b->fault.mig.hang_node - 1, b->nnodes - 1);
		goto fail;
	}
	if (migration_init(b) < 0) {
		crerr_fail(e, -ENOMEM, "out of host memory for the migration daemons");
		goto fail;
	}
	doorbell_set_ring(b->noc, node_ring, b);
	return b;
fail:
	board_free(b);
	return NULL;
}

void board_free(struct board *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&b->lock);
	b->stopping = 1;
	pthread_cond_broadcast(&b->cv); /* a hung node waits on it */
	pthread_mutex_unlock(&b->lock);
	for (uint32_t i = 0; b->nodes && i < b->nnodes; i++)
		node_ring(b, i);
	for (uint32_t i = 0; b->nodes && i < b->nnodes; i++)
		if (b->nodes[i].started)
			pthread_join(b->nodes[i].thread, NULL);
	for (uint32_t i = 0; b->nodes && i < b->nnodes; i++) {
		cluster_free(b->nodes[i].c);
		pthread_mutex_destroy(&b->nodes[i].lock);
		pthread_cond_destroy(&b->nodes[i].cv);
	}
	migd_net_free(b->migd); /* after the clusters: they may hold its post-copies */
	for (size_t i = 0; i < b->nprocs; i++)
		bproc_free(b->procs[i]);
	free(b->procs);
	free(b->stopped);
	free(b->nodes);
	noc_free(b->noc);
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->cv);
	free(b);
}

enum core_tier board_core(const struct board *b)
{
	return b->cfg.core == CORE_TIER_DEFAULT ? mmu_default_tier() : b->cfg.core;
}

const struct codepool *board_code_pool(const struct board *b)
{
	return &b->code_pool;
}

const struct profile *board_profile(const struct board *b)
{
	return b->prof;
}

int board_start(struct board *b)
{
	b->threaded = 1;
	migd_set_pace(b->migd, BOARD_PULL_BATCH);
	return node_start_all(b);
}

const struct uarea *board_uarea(struct board *b, uint32_t pid)
{
	struct bproc *p;
	uint32_t node;

	if (b->threaded)
		return NULL;
	pthread_mutex_lock(&b->lock);
	p = bproc_find(b, pid);
	node = p ? p->info.node : 0;
	pthread_mutex_unlock(&b->lock);
	return p ? cluster_uarea(b->nodes[node].c, pid) : NULL;
}

/* ---- requests ---- */

struct bkill {
	uint32_t pid;
};

static int board_do_kill(struct board *b, struct bnode *nd, void *arg)
{
	struct bkill *k = arg;

	(void)b;
	return cluster_kill(nd->c, k->pid, KILL_REQUEST, 128 + 9);
}

int board_kill(struct board *b, uint32_t pid)
{
	struct bkill k = { pid };
	struct bproc *p;
	uint32_t node = 0;
	int running;

	pthread_mutex_lock(&b->lock);
	p = bproc_find(b, pid);
	running = p && p->info.state == BOARD_RUNNING;
	if (p)
		node = p->info.node;
	pthread_mutex_unlock(&b->lock);
	if (!running)
		return -ESRCH;
	return node_call(b, node, board_do_kill, &k);
}

/* Waits, board lock held, for the next change of the process table or
 * output; -EINTR once the board is shutting down. */
static int board_wait_change(struct board *b)
{
	if (b->interrupted)
		return -EINTR;
	pthread_cond_wait(&b->cv, &b->lock);
	return 0;
}

int board_info(struct board *b, uint32_t pid, int wait, struct board_proc_info *out)
{
	struct bproc *p;
	int rc = 0;

	pthread_mutex_lock(&b->lock);
	for (;;) {
		p = bproc_find(b, pid);
		if (!p) {
			rc = -ESRCH;
			break;
		}
		if (!wait || p->info.state != BOARD_RUNNING) {
			*out = p->info;
			break;
		}
		if ((rc = board_wait_change(b)))
			break;
	}
	pthread_mutex_unlock(&b->lock);
	return rc;
}

/* Refreshes the live figures of nd's running processes. */
static int board_do_refresh(struct board *b, struct bnode *nd, void *arg)
{
	uint32_t pids[256];
	size_t n = cluster_list(nd->c, pids, 256);

	(void)arg;
	pthread_mutex_lock(&b->lock);
	for (size_t i = 0; i < n; i++) {
		const struct uarea *ua = cluster_uarea(nd->c, pids[i]);
		struct bproc *p = bproc_find(b, pids[i]);
		if (p && ua->state == UPROC_RUNNING && p->info.state == BOARD_RUNNING) {
			bproc_fill_info(&p->info, ua);
			p->info.ns_pid = pidns_to_seen(kcr_pidns(nd->c, pids[i]), pids[i]);
		}
	}
	pthread_mutex_unlock(&b->lock);
	return 0;
}

int board_ps(struct board *b, struct board_proc_info **list, size_t *n)
{
	uint32_t *nodes = calloc(b->nnodes, sizeof(*nodes));
	void **args = calloc(b->nnodes, sizeof(*args));
	int *rcs = calloc(b->nnodes, sizeof(*rcs));

	/* every node at once: a busy node takes a while to come to it */
	if (nodes && args && rcs) {
		for (uint32_t i = 0; i < b->nnodes; i++)
			nodes[i] = i;
		node_call_many(b, b->nnodes, nodes, board_do_refresh, args, rcs);
	}
	free(nodes);
	free(args);
	free(rcs);
	pthread_mutex_lock(&b->lock);
	*n = b->nprocs;
	*list = malloc((b->nprocs ? b->nprocs : 1) * sizeof(**list));
	for (size_t i = 0; *list && i < b->nprocs; i++)
		(*list)[i] = b->procs[i]->info;
	pthread_mutex_unlock(&b->lock);
	return *list ? 0 : -ENOMEM;
}

long board_output(struct board *b, uint32_t pid, int stream, uint64_t *offset, void *buf, size_t n,
                  int follow, uint64_t *lost)
{
	struct bproc *p;
	long rc = 0;

	*lost = 0;
	if (stream != 1 && stream != 2)
		return -EINVAL;
	pthread_mutex_lock(&b->lock);
	for (;;) {
		struct bout *o;
		uint64_t first;
		p = bproc_find(b, pid);
		if (!p) {
			rc = -ESRCH;
			break;
		}
		o = &p->out[stream - 1];
		first = o->total - o->len;
		if (*offset < first) {
			*lost = first - *offset;
			*offset = first;
		}
		if (*offset < o->total) {
			uint64_t avail = o->total - *offset;
			size_t k = avail < n ? (size_t)avail : n;
			uint32_t at = (uint32_t)((o->head + (*offset - first)) % BOARD_OUTPUT_MAX);
			for (size_t i = 0; i < k; i++)
				((uint8_t *)buf)[i] = o->buf[(at + i) % BOARD_OUTPUT_MAX];
			*offset += k;
			rc = (long)k;
			break;
		}
		if (!follow || p->info.state != BOARD_RUNNING)
			break; /* 0: all read */
		if ((rc = board_wait_change(b)))
			break;
	}
	pthread_mutex_unlock(&b->lock);
	return rc;
}

static int board_do_stats(struct board *b, struct bnode *nd, void *arg)
{
	struct board_cluster_stats *st = arg;
	struct cluster_stats cs;
	uint32_t pids[256];
	size_t n = cluster_list(nd->c, pids, 256);
	uint64_t live = 0;

	cluster_get_stats(nd->c, &cs);
	for (size_t i = 0; i < n; i++) {
		const struct uarea *ua = cluster_uarea(nd->c, pids[i]);
		if (ua->state == UPROC_RUNNING)
			live += uarea_instret(ua);
	}
	st->node = nd->node;
	st->io = nd->node < b->prof->io_clusters;
	st->clock = cs.clock;
	st->rounds = cs.rounds;
	st->turns = cs.turns;
	st->user_kib_used = cs.user_frames_used * (b->prof->page_size / 1024);
	st->user_kib_limit = cs.user_frames_limit * (b->prof->page_size / 1024);
	st->name_hits = cs.name_hits;
	st->name_lookups = cs.name_lookups;
	pthread_mutex_lock(&b->lock);
	st->processes = nd->running;
	st->instret = nd->instret_ended + live;
	pthread_mutex_unlock(&b->lock);
	mesh_get_stats(b->noc, nd->node, &st->noc);
	return 0;
}

static int board_do_cluster_stats(struct board *b, struct bnode *nd, void *arg)
{
	(void)b;
	cluster_get_stats(nd->c, arg);
	return 0;
}

int board_cluster_stats(struct board *b, uint32_t node, struct cluster_stats *cs)
{
	if (node >= b->nnodes)
		return -EINVAL;
	return node_call(b, node, board_do_cluster_stats, cs);
}

int board_stats(struct board *b, struct board_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->cluster = calloc(b->nnodes, sizeof(*st->cluster));
	if (!st->cluster)
		return -ENOMEM;
	st->nclusters = b->nnodes;
	for (uint32_t i = 0; i < b->nnodes; i++) {
		uint64_t ns;
		if (node_call(b, i, board_do_stats, &st->cluster[i]))
			st->cluster[i].node = i; /* lost: no figures */
		ns = st->cluster[i].model_ns = st->cluster[i].clock * 1000000000ull / CORE_CLOCK_HZ;
		if (ns > st->model_ns)
			st->model_ns = ns;
		st->running += st->cluster[i].processes;
	}
	mesh_get_stats(b->noc, UINT32_MAX, &st->noc);
	st->host_seconds = board_seconds_since(&b->boot);
	pthread_mutex_lock(&b->lock);
	st->spawned = b->spawned;
	pthread_mutex_unlock(&b->lock);
	return 0;
}

void board_interrupt(struct board *b)
{
	pthread_mutex_lock(&b->lock);
	b->interrupted = 1;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->lock);
}
