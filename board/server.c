/*
 * server.c - `manycore serve`: the control protocol over a Unix socket.
 *
 * The main thread accepts connections and watches for SIGTERM/SIGINT
 * (through a signalfd) and for shutdown requests (through a pipe); each
 * connection has its own thread, which reads a request, carries it out
 * on the board and writes the reply. Nothing a client sends can stop the
 * board: a request that cannot be decoded gets a BAD_REQUEST reply, and
 * a stream that cannot be resynchronised (oversized or cut frame) is
 * closed after that reply.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "board/board.h"
#include "board/checkpoint.h"
#include "board/migration.h"
#include "board/server.h"
#include "images/imgchan.h"
#include "images/imgkind.h"
#include "kernel/cluster.h"
#include "params/profile.h"
#include "proto/rpcwire.h"

#define SERVER_CLIENTS_MAX 64
#define SERVER_OUTPUT_CHUNK (64u * 1024)

/* What the board offers; `crtool check` looks for these. */
static const char *const server_features[] = {
	"run",
	"ps",
	"kill",
	"wait",
	"output",
	"stats",
	"shutdown",
	"noc.mailbox",
	"noc.portal",
	"noc.sync",
	"noc.naming",
	"noc.model",
	"dump",
	"pre-dump",
	"restore",
	"migrate.stop-copy",
	"migrate.pre-copy",
	"migrate.post-copy",
};

struct server {
	struct board *b;
	int stop_pipe[2]; /* a shutdown request writes a byte */
	pthread_mutex_t lock;
	pthread_cond_t cv;
	int clients[SERVER_CLIENTS_MAX]; /* -1: free */
	int nclients;
};

struct client {
	struct server *s;
	int fd;
	int slot;
};

void server_block_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static int server_error(int fd, Crtool__ErrorCode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int server_error(int fd, Crtool__ErrorCode code, const char *fmt, ...)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rp.error = code;
	rp.message = msg;
	return rpcwire_send_reply(fd, &rp);
}

static Crtool__ErrorCode server_spawn_code(int rc)
{
	switch (rc) {
	case -EINVAL: return CRTOOL__ERROR_CODE__NO_SUCH_NODE;
	case -EAGAIN: return CRTOOL__ERROR_CODE__CLUSTER_FULL;
	case -ENOEXEC: return CRTOOL__ERROR_CODE__NOT_A_PROGRAM;
	case -ENOMEM: return CRTOOL__ERROR_CODE__NO_MEMORY;
	case -E2BIG: return CRTOOL__ERROR_CODE__ARGS_TOO_BIG;
	default: return CRTOOL__ERROR_CODE__INTERNAL;
	}
}

static const char *server_killed_by(int why)
{
	switch (why) {
	case KILL_FAULT: return "fault";
	case KILL_LIMIT: return "limit";
	case KILL_DEADLOCK: return "deadlock";
	case KILL_REQUEST: return "request";
	case KILL_DUMPED: return "dumped";
	case KILL_MIGRATED: return "migrated";
	case KILL_LOST: return "pages lost";
	default: return NULL;
	}
}

/* Fills a ProcInfo from in; strings point into in. */
static void server_proc(Crtool__ProcInfo *pi, struct board_proc_info *in)
{
	crtool__proc_info__init(pi);
	pi->pid = in->pid;
	pi->node = in->node;
	pi->name = in->name;
	pi->state = (Crtool__ProcState)in->state;
	if (in->state != BOARD_RUNNING) {
		pi->has_status = 1;
		pi->status = in->status;
		pi->killed_by = (char *)server_killed_by(in->killed_by);
	}
	pi->has_threads = pi->has_pages = pi->has_uarea_bytes = pi->has_instructions = 1;
	pi->has_kernel_calls = pi->has_ikc_messages = pi->has_ikc_bytes = 1;
	pi->threads = in->threads;
	pi->pages = in->pages;
	pi->uarea_bytes = in->uarea_bytes;
	pi->instructions = in->instret;
	pi->kernel_calls = in->kernel_calls;
	pi->ikc_messages = in->ikc_messages;
	pi->ikc_bytes = in->ikc_bytes;
}

static int server_run_req(struct server *s, int fd, Crtool__RunRequest *rq)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__RunReply run = CRTOOL__RUN_REPLY__INIT;
	char *argv[257], err[256], guest[] = "guest";
	struct board_proc_info info;
	uint32_t pid;
	int rc;

	if (rq->n_argv > 256)
		return server_error(fd, CRTOOL__ERROR_CODE__ARGS_TOO_BIG,
		                    "%zu arguments; at most 256", rq->n_argv);
	for (size_t i = 0; i < rq->n_argv; i++)
		argv[i] = rq->argv[i];
	argv[0] = rq->n_argv ? rq->argv[0] : guest;
	argv[rq->n_argv ? rq->n_argv : 1] = NULL;
	rc = board_spawn(s->b, rq->node < 0 ? BOARD_NODE_ANY : rq->node, rq->elf.data, rq->elf.len,
	                 argv, NULL, &pid, err, sizeof(err));
	if (rc)
		return server_error(fd, server_spawn_code(rc), "%s: %s", argv[0], err);
	board_info(s->b, pid, 0, &info);
	run.pid = pid;
	run.node = info.node;
	rp.error = CRTOOL__ERROR_CODE__OK;
	rp.rep_case = CRTOOL__REPLY__REP_RUN;
	rp.run = &run;
	return rpcwire_send_reply(fd, &rp);
}

static int server_ps(struct server *s, int fd)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__PsReply ps = CRTOOL__PS_REPLY__INIT;
	struct board_proc_info *list;
	Crtool__ProcInfo *infos, **ptrs;
	size_t n;
	int rc;

	if (board_ps(s->b, &list, &n))
		return server_error(fd, CRTOOL__ERROR_CODE__INTERNAL, "out of memory");
	infos = calloc(n ? n : 1, sizeof(*infos));
	ptrs = calloc(n ? n : 1, sizeof(*ptrs));
	if (!infos || !ptrs) {
		free(list);
		free(infos);
		free(ptrs);
		return server_error(fd, CRTOOL__ERROR_CODE__INTERNAL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		server_proc(&infos[i], &list[i]);
		ptrs[i] = &infos[i];
	}
	ps.n_procs = n;
	ps.procs = ptrs;
	rp.rep_case = CRTOOL__REPLY__REP_PS;
	rp.ps = &ps;
	rc = rpcwire_send_reply(fd, &rp);
	free(list);
	free(infos);
	free(ptrs);
	return rc;
}

static int server_wait(struct server *s, int fd, uint32_t pid)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__WaitReply w = CRTOOL__WAIT_REPLY__INIT;
	Crtool__ProcInfo pi;
	struct board_proc_info info;
	int rc = board_info(s->b, pid, 1, &info);

	if (rc == -ESRCH)
		return server_error(fd, CRTOOL__ERROR_CODE__NO_SUCH_PROCESS,
		                    "no process %u on this board (crtool ps lists them)", pid);
	if (rc)
		return server_error(fd, CRTOOL__ERROR_CODE__SHUTTING_DOWN,
		                    "the board is shutting down");
	server_proc(&pi, &info);
	w.proc = &pi;
	rp.rep_case = CRTOOL__REPLY__REP_WAIT;
	rp.wait = &w;
	return rpcwire_send_reply(fd, &rp);
}

static int server_output(struct server *s, int fd, Crtool__OutputRequest *rq)
{
	uint8_t *buf = malloc(SERVER_OUTPUT_CHUNK);
	uint64_t offset = rq->offset;
	int rc = 0;

	if (!buf)
		return server_error(fd, CRTOOL__ERROR_CODE__INTERNAL, "out of memory");
	if (rq->stream != 1 && rq->stream != 2) {
		free(buf);
		return server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                    "stream %u: 1 (stdout) or 2 (stderr)", rq->stream);
	}
	for (;;) {
		Crtool__Reply rp = CRTOOL__REPLY__INIT;
		Crtool__OutputReply out = CRTOOL__OUTPUT_REPLY__INIT;
		uint64_t lost;
		long n = board_output(s->b, rq->pid, (int)rq->stream, &offset, buf,
		                      SERVER_OUTPUT_CHUNK, rq->follow, &lost);
		if (n == -ESRCH) {
			rc = server_error(fd, CRTOOL__ERROR_CODE__NO_SUCH_PROCESS,
			                  "no process %u on this board (crtool ps lists them)",
			                  rq->pid);
			break;
		}
		if (n == -EINTR) {
			rc = server_error(fd, CRTOOL__ERROR_CODE__SHUTTING_DOWN,
			                  "the board is shutting down");
			break;
		}
		out.data.data = buf;
		out.data.len = n > 0 ? (size_t)n : 0;
		out.offset = offset;
		out.has_lost = lost != 0;
		out.lost = lost;
		out.eof = n == 0 || !rq->follow;
		rp.rep_case = CRTOOL__REPLY__REP_OUTPUT;
		rp.output = &out;
		rc = rpcwire_send_reply(fd, &rp);
		if (rc || out.eof)
			break;
	}
	free(buf);
	return rc;
}

static int server_stats(struct server *s, int fd)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__StatsReply st = CRTOOL__STATS_REPLY__INIT;
	Crtool__ClusterStats *cs, **ptrs;
	struct board_stats bs;
	int rc;

	if (board_stats(s->b, &bs))
		return server_error(fd, CRTOOL__ERROR_CODE__INTERNAL, "out of memory");
	cs = calloc(bs.nclusters, sizeof(*cs));
	ptrs = calloc(bs.nclusters, sizeof(*ptrs));
	if (!cs || !ptrs) {
		free(cs);
		free(ptrs);
		free(bs.cluster);
		return server_error(fd, CRTOOL__ERROR_CODE__INTERNAL, "out of memory");
	}
	for (uint32_t i = 0; i < bs.nclusters; i++) {
		const struct board_cluster_stats *c = &bs.cluster[i];
		crtool__cluster_stats__init(&cs[i]);
		cs[i].node = c->node;
		cs[i].io = c->io;
		cs[i].processes = c->processes;
		cs[i].model_ns = c->model_ns;
		cs[i].instructions = c->instret;
		cs[i].rounds = c->rounds;
		cs[i].user_kib_used = c->user_kib_used;
		cs[i].user_kib_limit = c->user_kib_limit;
		cs[i].noc_messages = c->noc.messages;
		cs[i].noc_bytes = c->noc.bytes;
		cs[i].noc_hops = c->noc.hops;
		cs[i].noc_model_ns = c->noc.model_ns;
		cs[i].name_hits = c->name_hits;
		cs[i].name_lookups = c->name_lookups;
		ptrs[i] = &cs[i];
	}
	st.version = (char *)SERVER_VERSION;
	st.profile = (char *)board_profile(s->b)->name;
	st.n_features = sizeof(server_features) / sizeof(server_features[0]);
	st.features = (char **)server_features;
	st.host_seconds = bs.host_seconds;
	st.model_ns = bs.model_ns;
	st.spawned = bs.spawned;
	st.running = bs.running;
	st.noc_messages = bs.noc.messages;
	st.noc_bytes = bs.noc.bytes;
	st.noc_hops = bs.noc.hops;
	st.noc_model_ns = bs.noc.model_ns;
	st.n_clusters = bs.nclusters;
	st.clusters = ptrs;
	rp.rep_case = CRTOOL__REPLY__REP_STATS;
	rp.stats = &st;
	rc = rpcwire_send_reply(fd, &rp);
	free(cs);
	free(ptrs);
	free(bs.cluster);
	return rc;
}

/* ---- dump and restore ---- */

struct server_dump {
	int fd;
	char *err;
	size_t errlen;
};

/* The stream is out: the client says whether it stored it. */
static int server_dump_commit(void *ctx, uint64_t stream_bytes)
{
	struct server_dump *d = ctx;
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__DumpEnd de = CRTOOL__DUMP_END__INIT;
	Crtool__Request *rq;
	uint8_t *buf;
	size_t len;
	int rc;

	de.stream_bytes = stream_bytes;
	rp.rep_case = CRTOOL__REPLY__REP_DUMP_END;
	rp.dump_end = &de;
	if ((rc = rpcwire_send_reply(d->fd, &rp)) || (rc = rpcwire_read(d->fd, &buf, &len))) {
		snprintf(d->err, d->errlen, "the client went away before storing the images");
		return -EPIPE;
	}
	rq = crtool__request__unpack(NULL, len, buf);
	free(buf);
	if (!rq || rq->req_case != CRTOOL__REQUEST__REQ_DUMP_COMMIT) {
		snprintf(d->err, d->errlen,
		         "the client answered the dump with something other "
		         "than a DumpCommit");
		rc = -EPROTO;
	} else if (!rq->dump_commit->stored) {
		snprintf(d->err, d->errlen, "%s",
		         rq->dump_commit->message ? rq->dump_commit->message
		                                  : "the client could not store the images");
		rc = -EIO;
	}
	if (rq)
		crtool__request__free_unpacked(rq, NULL);
	return rc;
}

static int server_dump(struct server *s, int fd, Crtool__DumpRequest *rq, const int *fds,
                       size_t nfds)
{
	struct checkpoint_dump_opts o = { rq->pre_dump,  rq->leave_running, rq->track_mem,
		                          rq->parent_id, rq->parent_dir,    (int)rq->level };
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__DumpReply dr = CRTOOL__DUMP_REPLY__INIT;
	struct checkpoint_dump_result r;
	char err[512] = "";
	struct server_dump d = { fd, err, sizeof(err) };
	int rc;

	if (rq->level > 22 || (rq->pre_dump && rq->leave_running))
		return server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                    "zstd level %u (at most 22), or leave_running with a pre-dump",
		                    rq->level);
	if (rq->files != IMGKIND_COUNT || nfds != IMGKIND_COUNT)
		return server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                    "a dump needs %d files passed with it (one per image file), "
		                    "not %u (%zu came)",
		                    IMGKIND_COUNT, rq->files, nfds);
	rc = checkpoint_dump(s->b, rq->pid, &o, fds, server_dump_commit, &d, &r, err, sizeof(err));
	if (rc == -EPIPE)
		return -1; /* the client is gone: the process runs on */
	if (rc)
		return server_error(fd,
		                    rc == -ESRCH    ? CRTOOL__ERROR_CODE__NO_SUCH_PROCESS
		                    : rc == -ESTALE ? CRTOOL__ERROR_CODE__BAD_PARENT
		                    : rc == -EIO || rc == -ENOSPC || rc == -EFBIG || rc == -EDQUOT
		                            ? CRTOOL__ERROR_CODE__NOT_STORED
		                            : CRTOOL__ERROR_CODE__INTERNAL,
		                    "%s", err);
	dr.node = r.node;
	dr.id = r.id;
	dr.freeze_ns = r.freeze_ns;
	dr.frozen_ns = r.frozen_ns;
	dr.stream_bytes = r.stream_bytes;
	dr.model_ns = r.model_ns;
	rp.rep_case = CRTOOL__REPLY__REP_DUMP;
	rp.dump = &dr;
	return rpcwire_send_reply(fd, &rp);
}

static Crtool__ErrorCode server_restore_code(int rc)
{
	switch (rc) {
	case -EINVAL: return CRTOOL__ERROR_CODE__NO_SUCH_NODE;
	case -EBADMSG: return CRTOOL__ERROR_CODE__BAD_IMAGE;
	case -EPROTO: return CRTOOL__ERROR_CODE__IMAGE_MISMATCH;
	case -EEXIST: return CRTOOL__ERROR_CODE__PID_IN_USE;
	case -EAGAIN: return CRTOOL__ERROR_CODE__CLUSTER_FULL;
	case -ENOMEM: return CRTOOL__ERROR_CODE__NO_MEMORY;
	default: return CRTOOL__ERROR_CODE__INTERNAL;
	}
}

static int server_restore(struct server *s, int fd, Crtool__RestoreRequest *rq, const int *fds,
                          size_t nfds)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__RestoreReply rr = CRTOOL__RESTORE_REPLY__INIT;
	struct checkpoint_restore_result r;
	char err[512] = "";
	int rc;

	if (rq->files < 1 || rq->files > IMGKIND_COUNT || rq->files != nfds)
		return server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                    "a restore needs 1 to %d files passed with it, as it says; it "
		                    "says %u, %zu came",
		                    IMGKIND_COUNT, rq->files, nfds);
	rc = checkpoint_restore(s->b, rq->node, fds, nfds, rq->new_pid, &r, err, sizeof(err));
	if (rc)
		return server_error(fd,
		                    rc == -EBADF || rc == -EFBIG ? CRTOOL__ERROR_CODE__BAD_REQUEST
		                                                 : server_restore_code(rc),
		                    "%s", err);
	rr.pid = r.pid;
	rr.node = r.node;
	rr.stream_bytes = r.stream_bytes;
	rr.model_ns = r.model_ns;
	rr.restore_ns = r.restore_ns;
	rp.rep_case = CRTOOL__REPLY__REP_RESTORE;
	rp.restore = &rr;
	return rpcwire_send_reply(fd, &rp);
}

static int server_migrate(struct server *s, int fd, const Crtool__MigrateRequest *rq)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__MigrateReply mr = CRTOOL__MIGRATE_REPLY__INIT;
	struct migd_result r;
	char err[512] = "";
	int rc;

	if (rq->mode != CRTOOL__MIGRATE_MODE__STOP_COPY &&
	    rq->mode != CRTOOL__MIGRATE_MODE__PRE_COPY &&
	    rq->mode != CRTOOL__MIGRATE_MODE__POST_COPY)
		return server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                    "unknown migration mode %d", (int)rq->mode);
	if (rq->max_rounds > 64)
		return server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                    "%u pre-copy rounds asked (at most 64)", rq->max_rounds);
	rc = migration_run(s->b, rq->pid, rq->to,
	                   rq->mode == CRTOOL__MIGRATE_MODE__PRE_COPY    ? MIGD_PRE_COPY
	                   : rq->mode == CRTOOL__MIGRATE_MODE__POST_COPY ? MIGD_POST_COPY
	                                                                 : MIGD_STOP_COPY,
	                   rq->max_rounds, &r, err, sizeof(err));
	if (rc)
		return server_error(fd,
		                    rc == -ESRCH    ? CRTOOL__ERROR_CODE__NO_SUCH_PROCESS
		                    : rc == -EINVAL ? CRTOOL__ERROR_CODE__NO_SUCH_NODE
		                    : rc == -EAGAIN ? CRTOOL__ERROR_CODE__CLUSTER_FULL
		                    : rc == -ENOMEM || rc == -ENOSPC ? CRTOOL__ERROR_CODE__NO_MEMORY
		                    : rc == -EPROTO    ? CRTOOL__ERROR_CODE__IMAGE_MISMATCH
		                    : rc == -EHOSTDOWN ? CRTOOL__ERROR_CODE__NODE_LOST
		                                       : CRTOOL__ERROR_CODE__INTERNAL,
		                    "%s", err);
	mr.from = r.from;
	mr.to = r.to;
	mr.freeze_ns = r.freeze_ns;
	mr.downtime_ns = r.downtime_ns;
	mr.total_ns = r.total_ns;
	mr.bytes = r.bytes;
	mr.pages = r.pages;
	mr.rounds = r.rounds;
	mr.model_ns = r.model_ns;
	mr.lazy_pages = r.lazy_pages;
	mr.faults = r.faults;
	mr.pushed = r.pushed;
	mr.has_lazy_pages = mr.has_faults = mr.has_pushed =
		rq->mode == CRTOOL__MIGRATE_MODE__POST_COPY;
	rp.rep_case = CRTOOL__REPLY__REP_MIGRATE;
	rp.migrate = &mr;
	return rpcwire_send_reply(fd, &rp);
}

/* Carries out one decoded request; 0 to go on with the connection. */
static int server_handle(struct server *s, int fd, Crtool__Request *rq, const int *fds, size_t nfds)
{
	Crtool__Reply ok = CRTOOL__REPLY__INIT;
	int rc;

	switch (rq->req_case) {
	case CRTOOL__REQUEST__REQ_RUN: return server_run_req(s, fd, rq->run);
	case CRTOOL__REQUEST__REQ_PS: return server_ps(s, fd);
	case CRTOOL__REQUEST__REQ_KILL:
		rc = board_kill(s->b, rq->kill->pid);
		if (rc == -EHOSTDOWN)
			return server_error(fd, CRTOOL__ERROR_CODE__INTERNAL,
			                    "the node of process %u does not answer",
			                    rq->kill->pid);
		if (rc)
			return server_error(fd, CRTOOL__ERROR_CODE__NO_SUCH_PROCESS,
			                    "no running process %u on this board", rq->kill->pid);
		return rpcwire_send_reply(fd, &ok);
	case CRTOOL__REQUEST__REQ_WAIT: return server_wait(s, fd, rq->wait->pid);
	case CRTOOL__REQUEST__REQ_OUTPUT: return server_output(s, fd, rq->output);
	case CRTOOL__REQUEST__REQ_STATS: return server_stats(s, fd);
	case CRTOOL__REQUEST__REQ_DUMP: return server_dump(s, fd, rq->dump, fds, nfds);
	case CRTOOL__REQUEST__REQ_RESTORE: return server_restore(s, fd, rq->restore, fds, nfds);
	case CRTOOL__REQUEST__REQ_MIGRATE: return server_migrate(s, fd, rq->migrate);
	case CRTOOL__REQUEST__REQ_DUMP_COMMIT:
		return server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                    "DumpCommit outside a dump");
	case CRTOOL__REQUEST__REQ_SHUTDOWN:
		rc = rpcwire_send_reply(fd, &ok);
		if (write(s->stop_pipe[1], "x", 1) < 0) {
			/* The pipe is never full: one byte ends the loop. */
		}
		return rc;
	default:
		return server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                    "unknown request type (field %d); this board speaks "
		                    "protocol %s",
		                    (int)rq->req_case, SERVER_VERSION);
	}
}

/* Serves requests on connection fd until the peer leaves or sends a
 * frame that cannot be resynchronised. */
static void server_conn(struct server *s, int fd)
{
	for (;;) {
		Crtool__Request *rq;
		int fds[RPCWIRE_FDS_MAX];
		uint8_t *buf;
		size_t len, nfds;
		int rc = rpcwire_read_fds(fd, &buf, &len, fds, RPCWIRE_FDS_MAX, &nfds);
		if (rc == -ETOOMANYREFS) {
			free(buf);
			server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
			             "a request may pass at most %d file descriptors",
			             RPCWIRE_FDS_MAX);
			break;
		}
		if (rc == -EMSGSIZE) {
			server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
			             "request of %zu bytes; the limit is %u", len, RPCWIRE_MAX);
			break;
		}
		if (rc == -EPROTO) {
			server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
			             "request cut short (truncated frame)");
			break;
		}
		if (rc)
			break; /* the client left */
		rq = crtool__request__unpack(NULL, len, buf);
		free(buf);
		if (!rq) {
			while (nfds)
				close(fds[--nfds]);
			if (server_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
			                 "request of %zu bytes is not a crtool.Request message",
			                 len))
				break;
			continue;
		}
		rc = server_handle(s, fd, rq, fds, nfds);
		while (nfds) /* the request has used them, or had no business with them */
			close(fds[--nfds]);
		crtool__request__free_unpacked(rq, NULL);
		if (rc)
			break;
	}
}

static void *server_client_main(void *arg)
{
	struct client *cl = arg;
	struct server *s = cl->s;

	server_conn(s, cl->fd);
	pthread_mutex_lock(&s->lock);
	close(cl->fd);
	s->clients[cl->slot] = -1;
	s->nclients--;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->lock);
	free(cl);
	return NULL;
}

int server_serve_conn(struct board *b, int fd)
{
	struct server s = { .b = b };

	/* A shutdown request writes to the pipe, which nobody reads here. */
	if (pipe2(s.stop_pipe, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	server_conn(&s, fd);
	close(s.stop_pipe[0]);
	close(s.stop_pipe[1]);
	return 0;
}

int server_peer_allowed(int fd, uid_t owner)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) || len != sizeof(cr))
		return -EPERM; /* a peer we cannot name is no owner */
	return cr.uid == owner ? 0 : -EPERM;
}

/* Binds a 0600 socket at path; refuses to take over a live board's. */
static int server_listen(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, rc;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path %s is longer than %zu bytes", path,
		         sizeof(sa.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -errno;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		close(fd);
		snprintf(err, errlen, "a board already serves on %s (crtool --board %s stats)",
		         path, path);
		return -EADDRINUSE;
	}
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -errno;
	}
	unlink(path); /* a stale socket of a board that died */
	old = umask(0077);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc || chmod(path, 0600) || listen(fd, 16)) {
		rc = -errno;
		snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	return fd;
}

int server_run(struct board *b, const char *path, char *err, size_t errlen)
{
	struct server s = { .b = b };
	sigset_t set;
	int lfd, sfd;

	lfd = server_listen(path, err, errlen);
	if (lfd < 0)
		return lfd;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0 || pipe(s.stop_pipe)) {
		snprintf(err, errlen, "signalfd or pipe: %s", strerror(errno));
		close(lfd);
		unlink(path);
		return -errno;
	}
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cv, NULL);
	for (int i = 0; i < SERVER_CLIENTS_MAX; i++)
		s.clients[i] = -1;
	for (;;) {
		struct pollfd pf[3] = { { lfd, POLLIN, 0 },
			                { sfd, POLLIN, 0 },
			                { s.stop_pipe[0], POLLIN, 0 } };
		if (poll(pf, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents || pf[2].revents)
			break;
		if (pf[0].revents & POLLIN) {
			int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			struct client *cl;
			pthread_t th;
			int slot = -1;
			if (fd < 0)
				continue;
			/* The socket's 0600 mode keeps others out; this holds even
			 * if the mode is loosened or the socket handed over. */
			if (server_peer_allowed(fd, geteuid())) {
				server_error(fd, CRTOOL__ERROR_CODE__PERMISSION,
				             "this board serves only its owner (uid %u)",
				             (unsigned)geteuid());
				close(fd);
				continue;
			}
			pthread_mutex_lock(&s.lock);
			for (int i = 0; i < SERVER_CLIENTS_MAX && slot < 0; i++)
				if (s.clients[i] < 0)
					slot = i;
			if (slot >= 0) {
				s.clients[slot] = fd;
				s.nclients++;
			}
			pthread_mutex_unlock(&s.lock);
			cl = slot >= 0 ? malloc(sizeof(*cl)) : NULL;
			if (!cl) {
				server_error(fd, CRTOOL__ERROR_CODE__INTERNAL,
				             "the board serves %d clients, its limit; try again",
				             SERVER_CLIENTS_MAX);
				close(fd);
				if (slot >= 0) {
					pthread_mutex_lock(&s.lock);
					s.clients[slot] = -1;
					s.nclients--;
					pthread_mutex_unlock(&s.lock);
				}
				continue;
			}
			cl->s = &s;
			cl->fd = fd;
			cl->slot = slot;
			if (pthread_create(&th, NULL, server_client_main, cl)) {
				close(fd);
				free(cl);
				pthread_mutex_lock(&s.lock);
				s.clients[slot] = -1;
				s.nclients--;
				pthread_mutex_unlock(&s.lock);
				continue;
			}
			pthread_detach(th);
		}
	}
	/* Shut down: no new clients; waiting ones are woken, the rest cut. */
	close(lfd);
	unlink(path);
	board_interrupt(b);
	pthread_mutex_lock(&s.lock);
	for (int i = 0; i < SERVER_CLIENTS_MAX; i++)
		if (s.clients[i] >= 0)
			shutdown(s.clients[i], SHUT_RDWR);
	while (s.nclients)
		pthread_cond_wait(&s.cv, &s.lock);
	pthread_mutex_unlock(&s.lock);
	close(sfd);
	close(s.stop_pipe[0]);
	close(s.stop_pipe[1]);
	pthread_mutex_destroy(&s.lock);
	pthread_cond_destroy(&s.cv);
	return 0;
}
