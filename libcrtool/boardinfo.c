/*
 * boardinfo.c - the board itself: its figures (stats), what it offers
 * (check) and its end (shutdown).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcrtool/lib_priv.h"

/* Features the board must offer for the library's calls (check). */
static const struct crt_check_item boardinfo_needs[] = {
	{ "run", "start programs", 0 },
	{ "ps", "list processes", 0 },
	{ "kill", "kill processes", 0 },
	{ "wait", "wait for a process to end", 0 },
	{ "output", "keep and stream each process's output", 0 },
	{ "stats", "report host and modelled figures", 0 },
	{ "shutdown", "shut down on request", 0 },
	{ "noc.mailbox", "NoC mailboxes (128-byte messages, N-to-1)", 0 },
	{ "noc.portal", "NoC portals (allow, write, read; up to 1 MiB)", 0 },
	{ "noc.sync", "NoC syncs (one-to-all, all-to-one)", 0 },
	{ "noc.naming", "board-wide pids through the name service", 0 },
	{ "noc.model", "a mesh model of NoC time", 0 },
	{ "dump", "checkpoints: freeze, capture, stream the images", 0 },
	{ "pre-dump", "incremental checkpoints with dirty-page tracking", 0 },
	{ "restore", "rebuild a process from images on any cluster", 0 },
	{ "migrate.stop-copy", "move a process cluster to cluster, stopped while it moves", 0 },
	{ "migrate.pre-copy", "move a process while it runs, stopping it only for the rest", 0 },
	{ "migrate.post-copy", "move a process at once, its pages following on demand", 0 },
};
#define BOARDINFO_NEEDS (sizeof(boardinfo_needs) / sizeof(boardinfo_needs[0]))

/* The board's StatsReply into *rp. */
static int boardinfo_ask(crt_board *b, Crtool__Reply **rp)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__StatsRequest sr = CRTOOL__STATS_REQUEST__INIT;

	rq.req_case = CRTOOL__REQUEST__REQ_STATS;
	rq.stats = &sr;
	return lib_call(b, &rq, CRTOOL__REPLY__REP_STATS, rp);
}

/* Copies s (NUL included) to *at, advancing it: the copy. */
static const char *boardinfo_put(char **at, const char *s)
{
	char *p = *at;
	size_t n = strlen(s) + 1;

	memcpy(p, s, n);
	*at += n;
	return p;
}

int crt_stats(crt_board *b, struct crt_stats **out)
{
	const Crtool__StatsReply *s;
	Crtool__Reply *rp;
	struct crt_cluster *cl;
	const char **feat;
	size_t strs, size;
	char *at;
	int rc;

	lib_clear(b);
	*out = NULL;
	if ((rc = boardinfo_ask(b, &rp)))
		return rc;
	s = rp->stats;
	/* one block: the structure, its clusters, features and strings */
	strs = strlen(s->version) + strlen(s->profile) + 2;
	for (size_t i = 0; i < s->n_features; i++)
		strs += strlen(s->features[i]) + 1;
	size = sizeof(**out) + s->n_clusters * sizeof(*cl) + (s->n_features + 1) * sizeof(*feat) +
	       strs;
	if (!(*out = calloc(1, size))) {
		crtool__reply__free_unpacked(rp, NULL);
		return lib_fail(b, CRT_FAILED, "out of memory");
	}
	cl = (struct crt_cluster *)(*out + 1);
	feat = (const char **)(cl + s->n_clusters);
	at = (char *)(feat + s->n_features + 1);
	(*out)->version = boardinfo_put(&at, s->version);
	(*out)->profile = boardinfo_put(&at, s->profile);
	for (size_t i = 0; i < s->n_features; i++)
		feat[i] = boardinfo_put(&at, s->features[i]);
	(*out)->features = feat;
	(*out)->n_features = s->n_features;
	(*out)->host_seconds = s->host_seconds;
	(*out)->host_ns = (uint64_t)(s->host_seconds * 1e9);
	(*out)->model_ns = s->model_ns;
	(*out)->spawned = s->spawned;
	(*out)->running = s->running;
	(*out)->noc_messages = s->noc_messages;
	(*out)->noc_bytes = s->noc_bytes;
	(*out)->noc_hops = s->noc_hops;
	(*out)->noc_model_ns = s->noc_model_ns;
	for (size_t i = 0; i < s->n_clusters; i++) {
		const Crtool__ClusterStats *c = s->clusters[i];
		cl[i] = (struct crt_cluster){
			.node = c->node,
			.io = c->io,
			.processes = c->processes,
			.model_ns = c->model_ns,
			.instructions = c->instructions,
			.rounds = c->rounds,
			.user_bytes_used = (uint64_t)c->user_kib_used << 10,
			.user_bytes_limit = (uint64_t)c->user_kib_limit << 10,
			.noc_messages = c->noc_messages,
			.noc_bytes = c->noc_bytes,
			.noc_hops = c->noc_hops,
			.noc_model_ns = c->noc_model_ns,
			.name_hits = c->name_hits,
			.name_lookups = c->name_lookups,
		};
	}
	(*out)->clusters = cl;
	(*out)->n_clusters = s->n_clusters;
	crtool__reply__free_unpacked(rp, NULL);
	return CRT_OK;
}

int crt_check(crt_board *b, struct crt_check **out)
{
	struct crt_stats *s;
	struct crt_check_item *it;
	char *at;
	int rc;

	*out = NULL;
	if ((rc = crt_stats(b, &s)))
		return rc;
	*out = calloc(1, sizeof(**out) + BOARDINFO_NEEDS * sizeof(*it) + strlen(s->version) +
	                         strlen(s->profile) + 2);
	if (!*out) {
		crt_free(s);
		return lib_fail(b, CRT_FAILED, "out of memory");
	}
	it = (struct crt_check_item *)(*out + 1);
	at = (char *)(it + BOARDINFO_NEEDS);
	(*out)->version = boardinfo_put(&at, s->version);
	(*out)->profile = boardinfo_put(&at, s->profile);
	(*out)->clusters = s->n_clusters;
	for (size_t i = 0; i < BOARDINFO_NEEDS; i++) {
		it[i] = boardinfo_needs[i];
		for (size_t k = 0; k < s->n_features; k++)
			it[i].present |= !strcmp(s->features[k], it[i].feature);
		(*out)->missing += !it[i].present;
	}
	(*out)->items = it;
	(*out)->n_items = BOARDINFO_NEEDS;
	crt_free(s);
	return CRT_OK;
}

/* Waits until process pid has exited: its pidfd becomes readable then.
 * Where pidfds are missing the connection's end of file said enough. */
static void boardinfo_wait_exit(pid_t pid)
{
	struct pollfd pf;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		return; /* gone already (ESRCH), or no pidfds */
	pf = (struct pollfd){ fd, POLLIN, 0 };
	while (poll(&pf, 1, -1) < 0 && errno == EINTR) {
	}
	close(fd);
}

int crt_shutdown(crt_board *b)
{
	struct ucred cr = { 0 };
	socklen_t len = sizeof(cr);
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__ShutdownRequest sd = CRTOOL__SHUTDOWN_REQUEST__INIT;
	Crtool__Reply *rp;
	char c;
	ssize_t r;
	int rc;

	lib_clear(b);
	rq.req_case = CRTOOL__REQUEST__REQ_SHUTDOWN;
	rq.shutdown = &sd;
	if ((rc = crt_connect(b)))
		return rc;
	if (getsockopt(b->fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) || len != sizeof(cr))
		cr.pid = 0;
	if ((rc = lib_call(b, &rq, CRTOOL__REPLY__REP__NOT_SET, &rp)))
		return rc;
	crtool__reply__free_unpacked(rp, NULL);
	/* The board keeps this connection open until it is gone, then its
	 * process exits: wait for both (not for a board in this process). */
	while ((r = read(b->fd, &c, 1)) < 0 && errno == EINTR) {
	}
	lib_disconnect(b);
	if (cr.pid > 0 && cr.pid != getpid())
		boardinfo_wait_exit(cr.pid);
	return CRT_OK;
}
