/*
 * board.c - the board: clusters, NoC, process table, run and serve modes.
 *
 * Locks, always taken in this order: the NoC's, then a node's (its
 * doorbell and command queue), then the board's (process table, output,
 * command completion). A cluster's state is touched only by the thread
 * that drives it: its host thread in serve mode, the caller in run mode.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "board/board.h"
#include "board/board_priv.h"
#include "kernel/cluster.h"
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

/* The process record of pid, or NULL; board lock held. */
struct bproc *board_find(struct board *b, uint32_t pid)
{
	size_t lo = 0, hi = b->nprocs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (b->procs[mid]->info.pid == pid)
			return b->procs[mid];
		if (b->procs[mid]->info.pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int board_insert(struct board *b, struct bproc *p)
{
	size_t i;

	if (b->nprocs == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct bproc **t = realloc(b->procs, cap * sizeof(*t));
		if (!t)
			return -ENOMEM;
		b->procs = t;
		b->cap = cap;
	}
	for (i = b->nprocs; i > 0 && b->procs[i - 1]->info.pid > p->info.pid; i--)
		b->procs[i] = b->procs[i - 1];
	b->procs[i] = p;
	b->nprocs++;
	return 0;
}

void board_remove(struct board *b, struct bproc *p)
{
	for (size_t i = 0; i < b->nprocs; i++)
		if (b->procs[i] == p) {
			memmove(&b->procs[i], &b->procs[i + 1],
			        (b->nprocs - i - 1) * sizeof(*b->procs));
			b->nprocs--;
			break;
		}
	board_proc_free(p);
}

void board_proc_free(struct bproc *p)
{
	if (!p)
		return;
	free(p->out[0].buf);
	free(p->out[1].buf);
	free(p);
}

/* Forgets the oldest ended processes beyond BOARD_ENDED_KEPT; board lock. */
void board_prune(struct board *b)
{
	size_t i = 0;

	while (b->nended > BOARD_ENDED_KEPT && i < b->nprocs) {
		if (b->procs[i]->info.state == BOARD_RUNNING) {
			i++;
			continue;
		}
		board_proc_free(b->procs[i]);
		memmove(&b->procs[i], &b->procs[i + 1], (b->nprocs - i - 1) * sizeof(*b->procs));
		b->nprocs--;
		b->nended--;
	}
}

/* ---- hooks: what clusters tell the board ---- */

static void bout_append(struct bout *o, const uint8_t *p, size_t n)
{
	if (!o->buf && !(o->buf = malloc(BOARD_OUTPUT_MAX)))
		return; /* out of host memory: the output is dropped, the count kept */
	o->total += n;
	if (n >= BOARD_OUTPUT_MAX) {
		memcpy(o->buf, p + n - BOARD_OUTPUT_MAX, BOARD_OUTPUT_MAX);
		o->head = 0;
		o->len = BOARD_OUTPUT_MAX;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (o->len == BOARD_OUTPUT_MAX) {
			o->buf[o->head] = p[i];
			o->head = (o->head + 1) % BOARD_OUTPUT_MAX;
		} else {
			o->buf[(o->head + o->len) % BOARD_OUTPUT_MAX] = p[i];
			o->len++;
		}
	}
}

static long board_write(void *ctx, uint32_t pid, int fd, const void *buf, size_t n)
{
	struct board *b = ctx;
	struct bproc *p;

	if (b->cfg.host_console) {
		ssize_t w;
		do
			w = write(fd, buf, n);
		while (w < 0 && errno == EINTR);
		return w < 0 ? -EIO : (long)w;
	}
	pthread_mutex_lock(&b->lock);
	p = board_find(b, pid);
	if (p) {
		bout_append(&p->out[fd - 1], buf, n);
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

/* Copies what the UArea says into info; the cluster's thread. */
static void board_fill_info(struct board_proc_info *in, const struct uarea *ua)
{
	in->threads = ua->state == UPROC_RUNNING ? uarea_live_threads(ua) : 0;
	in->pages = ua->pages;
	in->uarea_bytes = (uint32_t)uarea_bytes(ua);
	in->instret = uarea_instret(ua);
	in->kernel_calls = ua->syscalls;
	in->ikc_messages = ua->ikc_messages;
	in->ikc_bytes = ua->ikc_bytes;
}

static void board_ended(void *ctx, const struct uarea *ua)
{
	struct board *b = ctx;
	struct bproc *p;

	pthread_mutex_lock(&b->lock);
	p = board_find(b, ua->pid);
	if (p && p->info.state == BOARD_RUNNING) {
		board_fill_info(&p->info, ua);
		p->info.state = ua->state == UPROC_EXITED ? BOARD_EXITED : BOARD_KILLED;
		p->info.status = ua->status;
		p->info.killed_by = ua->killed_by;
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

void board_wake(struct board *b, uint32_t node)
{
	struct bnode *nd = &b->nodes[node];

	pthread_mutex_lock(&nd->lock);
	nd->wake = 1;
	pthread_cond_signal(&nd->cv);
	pthread_mutex_unlock(&nd->lock);
}

static void board_ring(void *ctx, uint32_t node)
{
	board_wake(ctx, node);
}

/* CLOCK_REALTIME ns from now (condition variables wait on it). */
static struct timespec board_realtime_in(uint64_t ns)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += (time_t)(ns / 1000000000u);
	t.tv_nsec += (long)(ns % 1000000000u);
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* Takes cmd back from nd's queue if its thread has not taken it yet: 1
 * if it did (the command will never run). */
static int board_call_withdraw(struct bnode *nd, struct bcmd *cmd)
{
	struct bcmd **pp;
	int found = 0;

	pthread_mutex_lock(&nd->lock);
	for (pp = &nd->cmds; *pp && *pp != cmd; pp = &(*pp)->next)
		;
	if (*pp) {
		*pp = cmd->next;
		found = 1;
	}
	pthread_mutex_unlock(&nd->lock);
	return found;
}

/* Runs fn on node's thread (directly in run mode) and returns its code,
 * or -EHOSTDOWN if the node's thread has not taken it up within the
 * node timeout (it stopped answering: it is then treated as lost, and
 * later calls fail at once). A command it has taken is waited for. */
int board_call(struct board *b, uint32_t node, int (*fn)(struct board *, struct bnode *, void *),
               void *arg)
{
	struct bnode *nd = &b->nodes[node];
	struct bcmd cmd = { fn, arg, 0, 0, NULL };
	struct timespec until;
	uint64_t ns = b->node_timeout_ns;

	if (!b->threaded)
		return fn(b, nd, arg);
	pthread_mutex_lock(&b->lock);
	if (nd->lost) {
		pthread_mutex_unlock(&b->lock);
		return -EHOSTDOWN;
	}
	pthread_mutex_unlock(&b->lock);
	pthread_mutex_lock(&nd->lock);
	cmd.next = nd->cmds;
	nd->cmds = &cmd;
	nd->wake = 1;
	pthread_cond_signal(&nd->cv);
	pthread_mutex_unlock(&nd->lock);
	until = board_realtime_in(ns);
	pthread_mutex_lock(&b->lock);
	while (!cmd.done) {
		if (pthread_cond_timedwait(&b->cv, &b->lock, &until) != ETIMEDOUT)
			continue;
		pthread_mutex_unlock(&b->lock);
		if (board_call_withdraw(nd, &cmd)) {
			pthread_mutex_lock(&b->lock);
			nd->lost = 1;
			pthread_mutex_unlock(&b->lock);
			if (b->cfg.log)
				fprintf(b->cfg.log,
				        "manycore: node %u stopped answering (no word in "
				        "%.1f s): taken as lost\n",
				        node, ns / 1e9);
			return -EHOSTDOWN;
		}
		pthread_mutex_lock(&b->lock);
		until.tv_sec += 3600; /* it runs the command now: wait for it */
	}
	pthread_mutex_unlock(&b->lock);
	return cmd.rc;
}

/* Reaps the processes that ended on nd's cluster: the board keeps what it
 * needs of them. */
static void board_reap(struct bnode *nd, uint32_t *pids, size_t npids)
{
	for (size_t i = 0; i < npids; i++) {
		const struct uarea *ua = cluster_uarea(nd->c, pids[i]);
		if (ua && ua->state != UPROC_RUNNING)
			cluster_reap(nd->c, pids[i]);
	}
}

/* CLOCK_MONOTONIC's time when it reads mono_ns, on CLOCK_REALTIME (which
 * condition variables wait on). */
static struct timespec board_realtime_at(uint64_t mono_ns)
{
	struct timespec now;
	uint64_t m;

	clock_gettime(CLOCK_MONOTONIC, &now);
	m = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	return board_realtime_in(mono_ns > m ? mono_ns - m : 0);
}

static void *board_node_main(void *arg)
{
	struct bnode *nd = arg;
	struct board *b = nd->b;
	uint32_t *pids = calloc(b->prof->processes_per_cluster, sizeof(*pids));

	/*
	 * A cluster computing flat out keeps a host core busy. At the same
	 * priority as crtool and the shell that runs it, a woken command is
	 * often queued behind it and waits for the next scheduler tick (4
	 * ms here) though the work it waits for is done: a dump then restore
	 * of a computing one-thread process took 4 or 7.7 ms at random on 2
	 * cores. At idle priority any other task takes the core at once (a
	 * steady 4 ms), and node threads still share the rest alike.
	 */
	if (b->cfg.node_sched == BOARD_NODES_IDLE) {
		struct sched_param sp = { 0 };
		(void)pthread_setschedparam(pthread_self(), SCHED_IDLE,
		                            &sp); /* only latency lost */
	}

	for (;;) {
		struct bcmd *cmds, *next;
		uint64_t deadline;
		int stop, busy, watch;
		size_t n = 0;

		pthread_mutex_lock(&nd->lock);
		cmds = nd->cmds;
		nd->cmds = NULL;
		nd->wake = 0;
		pthread_mutex_unlock(&nd->lock);
		for (; cmds; cmds = next) {
			next = cmds->next;
			cmds->rc = cmds->fn(b, nd, cmds->arg);
			pthread_mutex_lock(&b->lock);
			cmds->done = 1;
			pthread_cond_broadcast(&b->cv);
			pthread_mutex_unlock(&b->lock);
		}
		pthread_mutex_lock(&b->lock);
		stop = b->stopping;
		pthread_mutex_unlock(&b->lock);
		if (stop)
			break;
		if (migd_hung(b->migd, nd->node)) {
			/* fault injected: silent until the board stops */
			pthread_mutex_lock(&b->lock);
			while (!b->stopping)
				pthread_cond_wait(&b->cv, &b->lock);
			pthread_mutex_unlock(&b->lock);
			break;
		}
		busy = cluster_round(nd->c);
		busy |= migd_step(b->migd, nd->node);
		if (pids)
			n = cluster_list(nd->c, pids, b->prof->processes_per_cluster);
		board_reap(nd, pids, n);
		if (busy)
			continue;
		watch = migd_watching(b->migd, nd->node);
		deadline = migd_deadline(b->migd, nd->node);
		pthread_mutex_lock(&nd->lock);
		while (!nd->wake) {
			if (!watch && deadline) {
				/* a migration's answer falls due: step by then */
				struct timespec at = board_realtime_at(deadline);
				if (pthread_cond_timedwait(&nd->cv, &nd->lock, &at) == ETIMEDOUT)
					break;
				continue;
			}
			if (!watch) {
				pthread_cond_wait(&nd->cv, &nd->lock);
				continue;
			}
			/* A migration's stream is due: poll, as a real
			 * cluster's NoC interrupt would answer in well under a
			 * microsecond where a sleeping host thread takes tens. */
			pthread_mutex_unlock(&nd->lock);
			sched_yield();
			watch = migd_watching(b->migd, nd->node);
			pthread_mutex_lock(&nd->lock);
		}
		pthread_mutex_unlock(&nd->lock);
	}
	free(pids);
	return NULL;
}

/* ---- life of the board ---- */

/* The number after '@' in point (at least min), or -1 if malformed. */
static long board_fault_count(const char *at, const char *end, long min)
{
	char *e;
	long n;

	if (at >= end || *at != '@')
		return -1;
	errno = 0;
	n = strtol(at + 1, &e, 10);
	return errno || e != end || e == at + 1 || n < min || n > 1000000 ? -1 : n;
}

/* Past name if [spec, end) starts with it, else NULL. */
static const char *board_fault_name(const char *spec, const char *end, const char *name)
{
	size_t k = strlen(name);

	return (size_t)(end - spec) >= k && !strncmp(spec, name, k) ? spec + k : NULL;
}

#define BOARD_NODE_TIMEOUT_MS 10000 /* a node that takes no word this long is lost */

/* The node timeout: $MANYCORE_NODE_TIMEOUT_MS or the default, in ns; 0
 * with err saying why if the variable is malformed. */
static uint64_t board_node_timeout(char *err, size_t errlen)
{
	const char *t = getenv("MANYCORE_NODE_TIMEOUT_MS");
	char *e;
	long ms = t ? strtol(t, &e, 10) : BOARD_NODE_TIMEOUT_MS;

	if (t && (*e || e == t || ms < 1 || ms > 3600000)) {
		snprintf(err, errlen, "MANYCORE_NODE_TIMEOUT_MS: '%s' is not 1 to 3600000", t);
		return 0;
	}
	return (uint64_t)ms * 1000000u;
}

int board_faults_parse(const char *spec, struct board_faults *f, char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	while (spec && *spec) {
		const char *end = strchr(spec, ','), *at;
		long n = 0;
		if (!end)
			end = spec + strlen(spec);
#define POINT(name, min) \
	((at = board_fault_name(spec, end, name)) && (n = board_fault_count(at, end, min)) >= (min))
		if (POINT("migrate-transfer-fail", 1)) {
			f->mig.transfer_fail = (uint32_t)n;
		} else if ((at = board_fault_name(spec, end, "migrate-target-lost")) && at == end) {
			f->mig.target_lost = 1;
		} else if (POINT("postcopy-source-lost", 0)) {
			f->mig.source_lost = 1;
			f->mig.source_lost_after = (uint32_t)n;
		} else if (POINT("noc-drop", 1)) {
			f->mig.noc_drop = (uint32_t)n;
		} else if (POINT("noc-corrupt", 1)) {
			f->mig.noc_corrupt = (uint32_t)n;
		} else if (POINT("noc-delay", 1)) {
			f->mig.noc_delay_ns = (uint32_t)n * 1000u;
		} else if (POINT("node-hang", 0)) {
			f->mig.hang_node = (uint32_t)n + 1;
		} else if (POINT("frame-alloc-fail", 1)) {
			f->build_frame_fail = (uint32_t)n;
		} else if (POINT("image-write-enospc", 1)) {
			f->image_write_at = (uint32_t)n;
			f->image_write_err = ENOSPC;
		} else if (POINT("image-write-eio", 1)) {
			f->image_write_at = (uint32_t)n;
			f->image_write_err = EIO;
		} else if (POINT("image-write-short", 1)) {
			f->image_write_at = (uint32_t)n;
			f->image_write_err = ENOSPC;
			f->image_write_short = 1;
		} else {
			snprintf(err, errlen,
			         "MANYCORE_FAULT: '%.*s' is no fault point "
			         "(migrate-transfer-fail@N, "
			         "migrate-target-lost, postcopy-source-lost@N, noc-drop@N, "
			         "noc-corrupt@N, noc-delay@US, node-hang@NODE, frame-alloc-fail@N, "
			         "image-write-enospc@N, image-write-eio@N, image-write-short@N)",
			         (int)(end - spec), spec);
			return -EINVAL;
		}
#undef POINT
		spec = *end ? end + 1 : end;
	}
	return 0;
}

struct board *board_new(const struct board_config *cfg, char *err, size_t errlen)
{
	struct board *b = calloc(1, sizeof(*b));
	struct cluster_hooks hooks = { board_write, board_read, board_ended, board_stopped, b };

	if (!b) {
		snprintf(err, errlen, "out of host memory");
		return NULL;
	}
	b->cfg = *cfg;
	b->prof = cfg->prof;
	if (board_faults_parse(getenv("MANYCORE_FAULT"), &b->fault, err, errlen) < 0 ||
	    !(b->node_timeout_ns = board_node_timeout(err, errlen))) {
		free(b);
		return NULL;
	}
	b->next_pid = 1;
	clock_gettime(CLOCK_MONOTONIC, &b->boot);
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->cv, NULL);
	b->nnodes = profile_clusters(b->prof);
	b->noc = noc_new(b->prof);
	b->nodes = calloc(b->nnodes, sizeof(*b->nodes));
	if (!b->noc || !b->nodes) {
		snprintf(err, errlen, "out of host memory for the NoC of %u nodes", b->nnodes);
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
			snprintf(err, errlen, "cannot allocate the memory of cluster %u", i);
			goto fail;
		}
		cluster_set_quantum(nd->c, cfg->quantum);
		cluster_set_insn_limit(nd->c, cfg->insn_limit);
		cluster_set_build_fault(nd->c, b->fault.build_frame_fail);
	}
	if (b->fault.mig.hang_node > b->nnodes) {
		snprintf(err, errlen, "MANYCORE_FAULT: node-hang@%u: this board has nodes 0 to %u",
		         b->fault.mig.hang_node - 1, b->nnodes - 1);
		goto fail;
	}
	if (board_migrate_init(b) < 0) {
		snprintf(err, errlen, "out of host memory for the migration daemons");
		goto fail;
	}
	doorbell_set_ring(b->noc, board_ring, b);
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
		board_ring(b, i);
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
		board_proc_free(b->procs[i]);
	free(b->procs);
	free(b->stopped);
	free(b->nodes);
	noc_free(b->noc);
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->cv);
	free(b);
}

const struct profile *board_profile(const struct board *b)
{
	return b->prof;
}

int board_start(struct board *b)
{
	b->threaded = 1;
	migd_set_pace(b->migd, BOARD_PUSH_BATCH);
	for (uint32_t i = 0; i < b->nnodes; i++) {
		int rc = pthread_create(&b->nodes[i].thread, NULL, board_node_main, &b->nodes[i]);
		if (rc)
			return -rc; /* board_free joins those started */
		b->nodes[i].started = 1;
	}
	return 0;
}

/* ---- spawn ---- */

struct bspawn {
	uint32_t pid;
	const uint8_t *img;
	size_t len;
	char *const *argv;
	char *const *envp;
	char *err;
	size_t errlen;
};

static int board_do_spawn(struct board *b, struct bnode *nd, void *arg)
{
	struct bspawn *sp = arg;

	(void)b;
	return cluster_spawn(nd->c, sp->pid, sp->img, sp->len, sp->argv, sp->envp, sp->err,
	                     sp->errlen);
}

int board_spawn(struct board *b, int node, const uint8_t *img, size_t len, char *const argv[],
                char *const envp[], uint32_t *pid, char *err, size_t errlen)
{
	struct bspawn sp = { 0, img, len, argv, envp, err, errlen };
	struct bproc *p = calloc(1, sizeof(*p));
	const char *name = argv && argv[0] ? argv[0] : "?";
	int rc;

	if (!p) {
		snprintf(err, errlen, "out of host memory");
		return -ENOMEM;
	}
	if (node != BOARD_NODE_ANY && (node < 0 || (uint32_t)node >= b->nnodes)) {
		snprintf(err, errlen, "no node %d: the %s board has nodes 0 to %u", node,
		         b->prof->name, b->nnodes - 1);
		free(p);
		return -EINVAL;
	}
	pthread_mutex_lock(&b->lock);
	if (node == BOARD_NODE_ANY) {
		uint32_t best = profile_first_compute(b->prof);
		for (uint32_t i = best; i < b->nnodes; i++)
			if (b->nodes[i].running < b->nodes[best].running)
				best = i;
		node = (int)best;
	}
	sp.pid = b->next_pid++;
	/* Recorded before it runs, so that its first output has a home. */
	p->info.pid = sp.pid;
	p->info.node = (uint32_t)node;
	p->info.state = BOARD_RUNNING;
	if (strrchr(name, '/'))
		name = strrchr(name, '/') + 1;
	snprintf(p->info.name, sizeof(p->info.name), "%s", name);
	if (board_insert(b, p)) {
		pthread_mutex_unlock(&b->lock);
		free(p);
		snprintf(err, errlen, "out of host memory");
		return -ENOMEM;
	}
	b->nodes[node].running++;
	pthread_mutex_unlock(&b->lock);

	rc = board_call(b, (uint32_t)node, board_do_spawn, &sp);
	if (rc == -EHOSTDOWN)
		snprintf(err, errlen, "node %d does not answer (taken as lost)", node);

	pthread_mutex_lock(&b->lock);
	if (rc) {
		b->nodes[node].running--;
		board_remove(b, p);
	} else {
		b->spawned++;
		*pid = sp.pid;
		board_prune(b);
	}
	pthread_mutex_unlock(&b->lock);
	return rc;
}

/* ---- run mode ---- */

static uint32_t board_running(struct board *b)
{
	uint32_t n = 0;

	pthread_mutex_lock(&b->lock);
	for (uint32_t i = 0; i < b->nnodes; i++)
		n += b->nodes[i].running;
	pthread_mutex_unlock(&b->lock);
	return n;
}

static void board_kill_deadlocked(struct board *b)
{
	uint32_t *pids = calloc(b->prof->processes_per_cluster, sizeof(*pids));

	for (uint32_t i = 0; pids && i < b->nnodes; i++) {
		struct cluster *c = b->nodes[i].c;
		size_t n = cluster_list(c, pids, b->prof->processes_per_cluster);
		for (size_t k = 0; k < n; k++) {
			const struct uarea *ua = cluster_uarea(c, pids[k]);
			if (ua->state != UPROC_RUNNING)
				continue;
			if (b->cfg.log) {
				fprintf(b->cfg.log,
				        "manycore: process %u (%s) on node %u: deadlock: every "
				        "thread is blocked and nothing can wake them; process "
				        "killed\n",
				        ua->pid, ua->name, i);
				cluster_dump_threads(c, ua->pid, b->cfg.log);
			}
			cluster_kill(c, pids[k], KILL_DEADLOCK, 123);
		}
	}
	free(pids);
}

/* Run mode: hands the processes that reached their stop point to
 * cfg.on_stop, or thaws them. A move the process asked for itself is
 * seen through first (its daemons only: nothing else runs meanwhile), so
 * the stop finds it where it lives, and no move under way. */
static void board_serve_stops(struct board *b)
{
	while (b->nstopped) {
		uint32_t pid = b->stopped[--b->nstopped];
		while (migd_moving(b->migd, pid))
			migd_step_all(b->migd);
		if (b->cfg.on_stop)
			b->cfg.on_stop(b->cfg.stop_ctx, b, pid);
		else
			board_thaw(b, pid);
	}
}

void board_run(struct board *b)
{
	while (board_running(b)) {
		int busy = 0;
		for (uint32_t i = 0; i < b->nnodes; i++) {
			busy |= cluster_round(b->nodes[i].c);
			busy |= migd_step(b->migd, i);
		}
		if (b->nstopped) {
			board_serve_stops(b);
			continue;
		}
		if (!busy && !doorbell_any(b->noc)) {
			/* Nothing runs, sleeps or travels: nothing can change. */
			board_kill_deadlocked(b);
			break;
		}
	}
}

const struct uarea *board_uarea(struct board *b, uint32_t pid)
{
	struct bproc *p;
	uint32_t node;

	if (b->threaded)
		return NULL;
	pthread_mutex_lock(&b->lock);
	p = board_find(b, pid);
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
	p = board_find(b, pid);
	running = p && p->info.state == BOARD_RUNNING;
	if (p)
		node = p->info.node;
	pthread_mutex_unlock(&b->lock);
	if (!running)
		return -ESRCH;
	return board_call(b, node, board_do_kill, &k);
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
		p = board_find(b, pid);
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
		struct bproc *p = board_find(b, pids[i]);
		if (p && ua->state == UPROC_RUNNING && p->info.state == BOARD_RUNNING)
			board_fill_info(&p->info, ua);
	}
	pthread_mutex_unlock(&b->lock);
	return 0;
}

int board_ps(struct board *b, struct board_proc_info **list, size_t *n)
{
	for (uint32_t i = 0; i < b->nnodes; i++)
		board_call(b, i, board_do_refresh, NULL);
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
		p = board_find(b, pid);
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
	return board_call(b, node, board_do_cluster_stats, cs);
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
		if (board_call(b, i, board_do_stats, &st->cluster[i]))
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
