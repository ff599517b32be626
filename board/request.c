/*
 * request.c - the requests of the control protocol (proto/rpc.proto),
 * carried out on the board and answered (see request.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOG_MODULE "request"

#include "board/appreq.h"
#include "board/board.h"
#include "board/checkpoint.h"
#include "board/migration.h"
#include "board/rebuild.h"
#include "board/request.h"
#include "board/server.h"
#include "board/spawn.h"
#include "core/hart.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "images/imgcheck.h"
#include "images/imgkind.h"
#include "images/imgparams.h"
#include "kernel/cluster.h"
#include "params/noc_params.h"
#include "params/profile.h"
#include "proto/rpcerr.h"
#include "proto/rpcwire.h"

#define REQUEST_OUTPUT_CHUNK (64u * 1024)

/* What the board offers; `crtool check` looks for these. */
static const char *const request_features[] = {
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
	"app.dump",
	"app.restore",
};

int request_error(int fd, Crtool__ErrorCode code, const char *fmt, ...)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rp.error = code;
	rp.message = msg;
	LOG_DEBUG("refused (error %d): %s", (int)code, msg);
	return rpcwire_send_reply(fd, &rp);
}

static const char *request_killed_by(int why)
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
static void request_proc(Crtool__ProcInfo *pi, struct board_proc_info *in)
{
	crtool__proc_info__init(pi);
	pi->pid = in->pid;
	pi->node = in->node;
	pi->name = in->name;
	pi->state = (Crtool__ProcState)in->state;
	if (in->state != BOARD_RUNNING) {
		pi->has_status = 1;
		pi->status = in->status;
		pi->killed_by = (char *)request_killed_by(in->killed_by);
	}
	if (in->has_fault) {
		pi->fault = (char *)hart_cause_name((enum hart_cause)in->fault_cause);
		pi->has_fault_cause = pi->has_fault_pc = pi->has_fault_addr = 1;
		pi->has_fault_tid = 1;
		pi->fault_cause = in->fault_cause;
		pi->fault_pc = in->fault_pc;
		pi->fault_addr = in->fault_addr;
		pi->fault_tid = in->fault_tid;
	}
	pi->has_threads = pi->has_pages = pi->has_uarea_bytes = pi->has_instructions = 1;
	pi->has_kernel_calls = pi->has_ikc_messages = pi->has_ikc_bytes = pi->has_vnode = 1;
	pi->vnode = in->vnode;
	pi->has_ns_pid = 1;
	pi->ns_pid = in->ns_pid ? in->ns_pid : in->pid;
	if (in->app[0])
		pi->app = in->app;
	pi->threads = in->threads;
	pi->pages = in->pages;
	pi->uarea_bytes = in->uarea_bytes;
	pi->instructions = in->instret;
	pi->kernel_calls = in->kernel_calls;
	pi->ikc_messages = in->ikc_messages;
	pi->ikc_bytes = in->ikc_bytes;
}

static int request_run(struct board *b, int fd, Crtool__RunRequest *rq)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__RunReply run = CRTOOL__RUN_REPLY__INIT;
	char *argv[257], guest[] = "guest";
	struct crerr e = CRERR_INIT;
	struct board_proc_info info;
	uint32_t pid, pids[NOC_NODES_MAX];
	int rc;

	if (rq->n_argv > 256)
		return request_error(fd, CRTOOL__ERROR_CODE__ARGS_TOO_BIG,
		                     "%zu arguments; at most 256", rq->n_argv);
	if (rq->n_nodes > NOC_NODES_MAX || (rq->n_nodes && rq->has_node && rq->node >= 0))
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "an SPMD launch lists at most %d nodes, and no node besides",
		                     NOC_NODES_MAX);
	if (rq->app && !imgcheck_app_name(rq->app))
		return request_error(
			fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
			"application name '%.40s' is not 1 to %u letters, digits, '.', "
			"'_' or '-'",
			rq->app, CRIMG_APP_MAX);
	for (size_t i = 0; i < rq->n_argv; i++)
		argv[i] = rq->argv[i];
	argv[0] = rq->n_argv ? rq->argv[0] : guest;
	argv[rq->n_argv ? rq->n_argv : 1] = NULL;
	if (rq->n_nodes) {
		for (size_t i = 0; i < rq->n_nodes; i++)
			for (size_t k = 0; k < i; k++)
				if (rq->nodes[k] == rq->nodes[i])
					return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
					                     "node %u listed twice", rq->nodes[i]);
		rc = spawn_spmd(b, rq->nodes, (uint32_t)rq->n_nodes, rq->elf.data, rq->elf.len,
		                argv, rq->app, pids, &e);
		pid = pids[0];
	} else {
		rc = spawn_process(b, rq->node < 0 ? BOARD_NODE_ANY : rq->node, rq->elf.data,
		                   rq->elf.len, argv, NULL, rq->app, &pid, &e);
	}
	if (rc)
		return request_error(fd, rpcerr_code(CRTOOL__REQUEST__REQ_RUN, rc), "%s: %s",
		                     argv[0], e.msg);
	board_info(b, pid, 0, &info);
	run.pid = pid;
	run.node = info.node;
	run.n_pids = rq->n_nodes;
	run.pids = rq->n_nodes ? pids : NULL;
	rp.error = CRTOOL__ERROR_CODE__OK;
	rp.rep_case = CRTOOL__REPLY__REP_RUN;
	rp.run = &run;
	return rpcwire_send_reply(fd, &rp);
}

static int request_ps(struct board *b, int fd)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__PsReply ps = CRTOOL__PS_REPLY__INIT;
	struct board_proc_info *list;
	Crtool__ProcInfo *infos, **ptrs;
	size_t n;
	int rc;

	if (board_ps(b, &list, &n))
		return request_error(fd, CRTOOL__ERROR_CODE__INTERNAL, "out of memory");
	infos = calloc(n ? n : 1, sizeof(*infos));
	ptrs = calloc(n ? n : 1, sizeof(*ptrs));
	if (!infos || !ptrs) {
		free(list);
		free(infos);
		free(ptrs);
		return request_error(fd, CRTOOL__ERROR_CODE__INTERNAL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		request_proc(&infos[i], &list[i]);
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

static int request_wait(struct board *b, int fd, uint32_t pid)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__WaitReply w = CRTOOL__WAIT_REPLY__INIT;
	Crtool__ProcInfo pi;
	struct board_proc_info info;
	int rc = board_info(b, pid, 1, &info);

	if (rc)
		return request_error(fd, rpcerr_code(CRTOOL__REQUEST__REQ_WAIT, rc),
		                     rc == -ESRCH
		                             ? "no process %u on this board (crtool ps lists them)"
		                             : "the board is shutting down",
		                     pid);
	request_proc(&pi, &info);
	w.proc = &pi;
	rp.rep_case = CRTOOL__REPLY__REP_WAIT;
	rp.wait = &w;
	return rpcwire_send_reply(fd, &rp);
}

static int request_output(struct board *b, int fd, Crtool__OutputRequest *rq)
{
	uint8_t *buf = malloc(REQUEST_OUTPUT_CHUNK);
	uint64_t offset = rq->offset;
	int rc = 0;

	if (!buf)
		return request_error(fd, CRTOOL__ERROR_CODE__INTERNAL, "out of memory");
	if (rq->stream != 1 && rq->stream != 2) {
		free(buf);
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "stream %u: 1 (stdout) or 2 (stderr)", rq->stream);
	}
	for (;;) {
		Crtool__Reply rp = CRTOOL__REPLY__INIT;
		Crtool__OutputReply out = CRTOOL__OUTPUT_REPLY__INIT;
		uint64_t lost;
		long n = board_output(b, rq->pid, (int)rq->stream, &offset, buf,
		                      REQUEST_OUTPUT_CHUNK, rq->follow, &lost);
		if (n == -ESRCH || n == -EINTR) {
			rc = request_error(
				fd, rpcerr_code(CRTOOL__REQUEST__REQ_OUTPUT, (int)n),
				n == -ESRCH ? "no process %u on this board (crtool ps lists them)"
					    : "the board is shutting down",
				rq->pid);
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

static int request_stats(struct board *b, int fd)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__StatsReply st = CRTOOL__STATS_REPLY__INIT;
	Crtool__ClusterStats *cs, **ptrs;
	struct board_stats bs;
	int rc;

	if (board_stats(b, &bs))
		return request_error(fd, CRTOOL__ERROR_CODE__INTERNAL, "out of memory");
	cs = calloc(bs.nclusters, sizeof(*cs));
	ptrs = calloc(bs.nclusters, sizeof(*ptrs));
	if (!cs || !ptrs) {
		free(cs);
		free(ptrs);
		free(bs.cluster);
		return request_error(fd, CRTOOL__ERROR_CODE__INTERNAL, "out of memory");
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
	st.profile = (char *)board_profile(b)->name;
	st.n_features = sizeof(request_features) / sizeof(request_features[0]);
	st.features = (char **)request_features;
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

int request_dump_commit(void *ctx, uint64_t stream_bytes)
{
	struct request_dump_ctx *d = ctx;
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__DumpEnd de = CRTOOL__DUMP_END__INIT;
	Crtool__Request *rq;
	uint8_t *buf;
	size_t len;
	int rc;

	de.stream_bytes = stream_bytes;
	if (d->cut_ns) {
		de.has_cut_ns = 1;
		de.cut_ns = *d->cut_ns;
	}
	rp.rep_case = CRTOOL__REPLY__REP_DUMP_END;
	rp.dump_end = &de;
	if ((rc = rpcwire_send_reply(d->fd, &rp)) || (rc = rpcwire_read(d->fd, &buf, &len))) {
		return crerr_fail(d->e, -EPIPE, "the client went away before storing the images");
	}
	rq = crtool__request__unpack(NULL, len, buf);
	free(buf);
	if (!rq || rq->req_case != CRTOOL__REQUEST__REQ_DUMP_COMMIT) {
		rc = crerr_fail(d->e, -EPROTO,
		                "the client answered the dump with something other "
		                "than a DumpCommit");
	} else if (!rq->dump_commit->stored) {
		rc = crerr_fail(d->e, -EIO, "%s",
		                rq->dump_commit->message ? rq->dump_commit->message
		                                         : "the client could not store the images");
	}
	if (rq)
		crtool__request__free_unpacked(rq, NULL);
	return rc;
}

static int request_dump(struct board *b, int fd, Crtool__DumpRequest *rq, const int *fds,
                        size_t nfds)
{
	struct checkpoint_dump_opts o = { .pre_dump = rq->pre_dump,
		                          .leave_running = rq->leave_running,
		                          .track_mem = rq->track_mem,
		                          .parent_id = rq->parent_id,
		                          .parent_dir = rq->parent_dir,
		                          .level = (int)rq->level };
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__DumpReply dr = CRTOOL__DUMP_REPLY__INIT;
	struct checkpoint_dump_result r;
	struct crerr e = CRERR_INIT;
	struct request_dump_ctx d = { fd, &e, NULL };
	int rc;

	if (rq->level > 22 || (rq->pre_dump && rq->leave_running))
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "zstd level %u (at most 22), or leave_running with a pre-dump",
		                     rq->level);
	if (rq->files != IMGKIND_COUNT || nfds != IMGKIND_COUNT)
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "a dump needs %d files passed with it (one per image file), "
		                     "not %u (%zu came)",
		                     IMGKIND_COUNT, rq->files, nfds);
	rc = checkpoint_dump(b, rq->pid, &o, fds, request_dump_commit, &d, &r, &e);
	if (rc == -EPIPE)
		return -1; /* the client is gone: the process runs on */
	if (rc)
		return request_error(fd, rpcerr_code(CRTOOL__REQUEST__REQ_DUMP, rc), "%s", e.msg);
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

static int request_restore(struct board *b, int fd, Crtool__RestoreRequest *rq, const int *fds,
                           size_t nfds)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__RestoreReply rr = CRTOOL__RESTORE_REPLY__INIT;
	struct rebuild_result r;
	struct crerr e = CRERR_INIT;
	int rc;

	if (rq->files < 1 || rq->files > IMGKIND_COUNT || rq->files != nfds)
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "a restore needs 1 to %d files passed with it, as it says; it "
		                     "says %u, %zu came",
		                     IMGKIND_COUNT, rq->files, nfds);
	rc = rebuild_restore(b, rq->node, fds, nfds, rq->new_pid, &r, &e);
	if (rc)
		return request_error(fd, rpcerr_code(CRTOOL__REQUEST__REQ_RESTORE, rc), "%s",
		                     e.msg);
	rr.pid = r.pid;
	rr.node = r.node;
	rr.stream_bytes = r.stream_bytes;
	rr.model_ns = r.model_ns;
	rr.restore_ns = r.restore_ns;
	rp.rep_case = CRTOOL__REPLY__REP_RESTORE;
	rp.restore = &rr;
	return rpcwire_send_reply(fd, &rp);
}

static int request_migrate(struct board *b, int fd, const Crtool__MigrateRequest *rq)
{
	Crtool__Reply rp = CRTOOL__REPLY__INIT;
	Crtool__MigrateReply mr = CRTOOL__MIGRATE_REPLY__INIT;
	struct migd_result r;
	struct crerr e = CRERR_INIT;
	int rc;

	if (rq->mode != CRTOOL__MIGRATE_MODE__STOP_COPY &&
	    rq->mode != CRTOOL__MIGRATE_MODE__PRE_COPY &&
	    rq->mode != CRTOOL__MIGRATE_MODE__POST_COPY)
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "unknown migration mode %d", (int)rq->mode);
	if (rq->max_rounds > 64)
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "%u pre-copy rounds asked (at most 64)", rq->max_rounds);
	rc = migration_run(b, rq->pid, rq->to,
	                   rq->mode == CRTOOL__MIGRATE_MODE__PRE_COPY    ? MIGD_PRE_COPY
	                   : rq->mode == CRTOOL__MIGRATE_MODE__POST_COPY ? MIGD_POST_COPY
	                                                                 : MIGD_STOP_COPY,
	                   rq->max_rounds, &r, &e);
	if (rc)
		return request_error(fd, rpcerr_code(CRTOOL__REQUEST__REQ_MIGRATE, rc), "%s",
		                     e.msg);
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
int request_serve(struct board *b, int fd, Crtool__Request *rq, const int *fds, size_t nfds,
                  int *shutdown)
{
	Crtool__Reply ok = CRTOOL__REPLY__INIT;
	int rc;

	LOG_DEBUG("request %s (%zu descriptors)", rpcwire_request_name(rq), nfds);
	switch (rq->req_case) {
	case CRTOOL__REQUEST__REQ_RUN: return request_run(b, fd, rq->run);
	case CRTOOL__REQUEST__REQ_PS: return request_ps(b, fd);
	case CRTOOL__REQUEST__REQ_KILL:
		if ((rc = board_kill(b, rq->kill->pid)))
			return request_error(fd, rpcerr_code(CRTOOL__REQUEST__REQ_KILL, rc),
			                     rc == -EHOSTDOWN
			                             ? "the node of process %u does not answer"
			                             : "no running process %u on this board",
			                     rq->kill->pid);
		return rpcwire_send_reply(fd, &ok);
	case CRTOOL__REQUEST__REQ_WAIT: return request_wait(b, fd, rq->wait->pid);
	case CRTOOL__REQUEST__REQ_OUTPUT: return request_output(b, fd, rq->output);
	case CRTOOL__REQUEST__REQ_STATS: return request_stats(b, fd);
	case CRTOOL__REQUEST__REQ_DUMP: return request_dump(b, fd, rq->dump, fds, nfds);
	case CRTOOL__REQUEST__REQ_RESTORE: return request_restore(b, fd, rq->restore, fds, nfds);
	case CRTOOL__REQUEST__REQ_MIGRATE: return request_migrate(b, fd, rq->migrate);
	case CRTOOL__REQUEST__REQ_APP_DUMP: return appreq_dump(b, fd, rq->app_dump);
	case CRTOOL__REQUEST__REQ_APP_RESTORE: return appreq_restore(b, fd, rq->app_restore);
	case CRTOOL__REQUEST__REQ_RESTORE_FILES:
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "RestoreFiles outside a group restore");
	case CRTOOL__REQUEST__REQ_DUMP_FILES:
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "DumpFiles outside a group dump");
	case CRTOOL__REQUEST__REQ_DUMP_COMMIT:
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "DumpCommit outside a dump");
	case CRTOOL__REQUEST__REQ_SHUTDOWN: *shutdown = 1; return rpcwire_send_reply(fd, &ok);
	default:
		return request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
		                     "unknown request type (field %d); this board speaks "
		                     "protocol %s",
		                     (int)rq->req_case, SERVER_VERSION);
	}
}
