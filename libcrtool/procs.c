/*
 * procs.c - processes: run, ps, kill, wait, logs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcrtool/lib_priv.h"
#include "proto/rpcwire.h"

/* Largest ELF sent (the protocol's limit, less room for arguments). */
#define PROCS_ELF_MAX (RPCWIRE_MAX - (1u << 20))

/* Reads the ELF at path into *buf (malloc'd), *len bytes. */
static int procs_read_elf(crt_board *b, const char *path, uint8_t **buf, size_t *len)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	*buf = NULL;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		rc = lib_fail(b, CRT_IO, "cannot read %s: %s", path,
		              fd < 0 || errno ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if ((uint64_t)st.st_size > PROCS_ELF_MAX) {
		close(fd);
		return lib_fail(b, CRT_USAGE, "%s is %lld bytes; the limit is %u", path,
		                (long long)st.st_size, PROCS_ELF_MAX);
	}
	*buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	while (*buf && got < (size_t)st.st_size) {
		ssize_t r = read(fd, *buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!*buf || got != (size_t)st.st_size) {
		free(*buf);
		*buf = NULL;
		return lib_fail(b, CRT_IO, "cannot read %s%s", path, *buf ? "" : ": out of memory");
	}
	*len = got;
	return CRT_OK;
}

int crt_run(crt_board *b, const struct crt_run_opts *o, uint32_t **pids, size_t *n)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__RunRequest run = CRTOOL__RUN_REQUEST__INIT;
	Crtool__Reply *rp;
	uint8_t *elf = NULL;
	char *name[1];
	size_t len = o->elf_len;
	int rc;

	lib_clear(b);
	*pids = NULL;
	*n = 0;
	if (!o->path && !o->elf)
		return lib_fail(b, CRT_USAGE, "no program given");
	if (o->app && !lib_app_name(b, o->app))
		return CRT_USAGE;
	if (o->n_nodes && o->node >= 0)
		return lib_fail(b, CRT_USAGE,
		                "an SPMD launch starts one process on each node listed: not with "
		                "one node");
	if (o->path && (rc = procs_read_elf(b, o->path, &elf, &len)))
		return rc;
	run.elf.data = elf ? elf : (uint8_t *)o->elf;
	run.elf.len = len;
	run.has_node = 1;
	run.node = o->node < 0 ? -1 : o->node;
	run.nodes = (uint32_t *)o->nodes;
	run.n_nodes = o->n_nodes;
	run.app = (char *)o->app;
	if (o->argc) {
		run.argv = (char **)o->argv;
		run.n_argv = o->argc;
	} else {
		name[0] = (char *)(o->path ? o->path : "guest");
		run.argv = name;
		run.n_argv = 1;
	}
	rq.req_case = CRTOOL__REQUEST__REQ_RUN;
	rq.run = &run;
	rc = lib_call(b, &rq, CRTOOL__REPLY__REP_RUN, &rp);
	free(elf);
	if (rc)
		return rc;
	*n = rp->run->n_pids ? rp->run->n_pids : 1;
	if (!(*pids = malloc(*n * sizeof(**pids)))) {
		crtool__reply__free_unpacked(rp, NULL);
		*n = 0;
		return lib_fail(b, CRT_FAILED, "out of memory (the program was started)");
	}
	if (rp->run->n_pids)
		memcpy(*pids, rp->run->pids, *n * sizeof(**pids));
	else
		(*pids)[0] = rp->run->pid;
	crtool__reply__free_unpacked(rp, NULL);
	return CRT_OK;
}

/* Copies the board's ProcInfo into out. */
static void procs_copy(struct crt_proc *out, const Crtool__ProcInfo *p)
{
	memset(out, 0, sizeof(*out));
	out->pid = p->pid;
	out->node = p->node;
	out->vnode = p->has_vnode ? p->vnode : p->node;
	out->ns_pid = p->has_ns_pid ? p->ns_pid : p->pid;
	out->state = (int)p->state;
	out->status = p->has_status ? p->status : 0;
	snprintf(out->name, sizeof(out->name), "%s", p->name);
	snprintf(out->app, sizeof(out->app), "%s", p->app ? p->app : "");
	snprintf(out->killed_by, sizeof(out->killed_by), "%s", p->killed_by ? p->killed_by : "");
	out->threads = p->threads;
	out->pages = p->pages;
	out->uarea_bytes = p->uarea_bytes;
	out->instructions = p->instructions;
	out->kernel_calls = p->kernel_calls;
	out->ikc_messages = p->ikc_messages;
	out->ikc_bytes = p->ikc_bytes;
	if (p->fault) {
		out->has_fault = 1;
		snprintf(out->fault, sizeof(out->fault), "%s", p->fault);
		out->fault_cause = p->fault_cause;
		out->fault_pc = p->fault_pc;
		out->fault_addr = p->fault_addr;
		out->fault_tid = p->fault_tid;
	}
}

int crt_ps(crt_board *b, const char *app, struct crt_proc **procs, size_t *n)
{
	Crtool__Reply *rp;
	size_t k = 0;
	int rc;

	lib_clear(b);
	*procs = NULL;
	*n = 0;
	if (app && !lib_app_name(b, app))
		return CRT_USAGE;
	if ((rc = lib_ps(b, &rp)))
		return rc;
	if (!(*procs = calloc(rp->ps->n_procs + 1, sizeof(**procs)))) {
		crtool__reply__free_unpacked(rp, NULL);
		return lib_fail(b, CRT_FAILED, "out of memory");
	}
	for (size_t i = 0; i < rp->ps->n_procs; i++) {
		const Crtool__ProcInfo *p = rp->ps->procs[i];
		if (!app || (p->app && !strcmp(p->app, app)))
			procs_copy(&(*procs)[k++], p);
	}
	crtool__reply__free_unpacked(rp, NULL);
	*n = k;
	return CRT_OK;
}

int crt_kill(crt_board *b, uint32_t pid)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__KillRequest k = CRTOOL__KILL_REQUEST__INIT;
	Crtool__Reply *rp;
	int rc;

	lib_clear(b);
	if (!pid)
		return lib_fail(b, CRT_USAGE, "pid 0 is no process");
	k.pid = pid;
	rq.req_case = CRTOOL__REQUEST__REQ_KILL;
	rq.kill = &k;
	if ((rc = lib_call(b, &rq, CRTOOL__REPLY__REP__NOT_SET, &rp)))
		return rc;
	crtool__reply__free_unpacked(rp, NULL);
	return CRT_OK;
}

int crt_wait(crt_board *b, uint32_t pid, struct crt_proc *out)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__WaitRequest w = CRTOOL__WAIT_REQUEST__INIT;
	Crtool__Reply *rp;
	int rc;

	lib_clear(b);
	if (!pid)
		return lib_fail(b, CRT_USAGE, "pid 0 is no process");
	w.pid = pid;
	rq.req_case = CRTOOL__REQUEST__REQ_WAIT;
	rq.wait = &w;
	if ((rc = lib_call(b, &rq, CRTOOL__REPLY__REP_WAIT, &rp)))
		return rc;
	procs_copy(out, rp->wait->proc);
	crtool__reply__free_unpacked(rp, NULL);
	return CRT_OK;
}

int crt_logs(crt_board *b, uint32_t pid, int stream, int follow, crt_output_fn fn, void *ctx)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__OutputRequest o = CRTOOL__OUTPUT_REQUEST__INIT;
	Crtool__Reply *rp;
	int rc, eof = 0, stop = 0;

	lib_clear(b);
	if (!pid)
		return lib_fail(b, CRT_USAGE, "pid 0 is no process");
	if (stream != 1 && stream != 2)
		return lib_fail(b, CRT_USAGE, "stream %d: 1 (stdout) or 2 (stderr)", stream);
	o.pid = pid;
	o.has_stream = o.has_follow = 1;
	o.stream = (uint32_t)stream;
	o.follow = follow != 0;
	rq.req_case = CRTOOL__REQUEST__REQ_OUTPUT;
	rq.output = &o;
	rc = lib_call(b, &rq, CRTOOL__REPLY__REP_OUTPUT, &rp);
	while (!rc) {
		const Crtool__OutputReply *r = rp->output;
		uint64_t lost = r->has_lost ? r->lost : 0;
		if (r->data.len || lost)
			stop = fn(ctx, r->data.data, r->data.len, lost);
		eof = r->eof;
		crtool__reply__free_unpacked(rp, NULL);
		if (eof || stop)
			break;
		rc = lib_next(b, CRTOOL__REPLY__REP_OUTPUT, NULL, NULL, 0, &rp);
	}
	if (stop)
		lib_disconnect(b); /* the rest of a followed stream is not read */
	return rc;
}
