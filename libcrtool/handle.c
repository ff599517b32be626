/*
 * handle.c - a handle on a board: its connection, its last failure, and
 * the exchanges of requests and replies every call is made of.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define LOG_MODULE "lib"

#include "diag/log.h"
#include "diag/version.h"
#include "images/imgcheck.h"
#include "images/imgparams.h"
#include "libcrtool/lib_priv.h"
#include "proto/rpcwire.h"

uint64_t lib_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int lib_fail(crt_board *b, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->err, sizeof(b->err), fmt, ap);
	va_end(ap);
	LOG_DEBUG("failed (%d): %s", status, b->err);
	return status;
}

void lib_clear(crt_board *b)
{
	b->err[0] = 0;
	b->board_err = CRT_BOARD_OK;
}

int crt_open(const char *path, crt_board **out)
{
	char def[256];
	crt_board *b = calloc(1, sizeof(*b));

	*out = NULL;
	if (!b)
		return CRT_FAILED;
	if (!path || !*path)
		path = getenv("CRTOOL_BOARD");
	if (!path || !*path)
		path = rpcwire_default_path(def, sizeof(def));
	b->fd = -1;
	b->progress_ms = 100;
	if (strlen(path) >= sizeof(b->path)) {
		/* said at the first call: a handle is always given */
		memcpy(b->path, path, sizeof(b->path) - 1);
		b->fd = -2;
	} else {
		strcpy(b->path, path);
	}
	*out = b;
	return CRT_OK;
}

const char *crt_path(const crt_board *b)
{
	return b->path;
}

const char *crt_error(const crt_board *b)
{
	return b->err;
}

int crt_board_error(const crt_board *b)
{
	return b->board_err;
}

const char *crt_version(void)
{
	return CRTOOL_VERSION;
}

void crt_free(void *result)
{
	free(result);
}

const char *crt_status_text(int status)
{
	static const char *const text[] = {
		"done",
		"refused by the board",
		"usage error",
		"no board answers at the socket",
		"the board's reply made no sense",
		"no such process",
		"invalid image",
		"a host file cannot be read or written",
		"the board serves another user",
	};
	return status >= 0 && status < (int)(sizeof(text) / sizeof(text[0])) ? text[status]
	                                                                     : "unknown status";
}

void crt_set_progress(crt_board *b, crt_progress_fn fn, void *ctx, unsigned interval_ms)
{
	b->progress = fn;
	b->progress_ctx = ctx;
	b->progress_ms = interval_ms ? interval_ms : 1;
}

void lib_disconnect(crt_board *b)
{
	if (b->fd >= 0)
		close(b->fd);
	if (b->fd != -2)
		b->fd = -1;
}

void crt_close(crt_board *b)
{
	if (!b)
		return;
	lib_disconnect(b);
	free(b);
}

int crt_connect(crt_board *b)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;

	if (b->fd >= 0)
		return CRT_OK;
	if (b->fd == -2)
		return lib_fail(b, CRT_UNREACHABLE,
		                "board socket path %s... is too long (at most %zu bytes)", b->path,
		                sizeof(sa.sun_path) - 1);
	strcpy(sa.sun_path, b->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		b->fd = fd;
		LOG_DEBUG("connected to %s", b->path);
		return CRT_OK;
	}
	e = errno;
	if (fd >= 0)
		close(fd);
	if (e == EACCES)
		return lib_fail(b, CRT_DENIED,
		                "the board at %s is another user's (%s); a board serves only the "
		                "user who started it",
		                b->path, strerror(e));
	return lib_fail(b, CRT_UNREACHABLE,
	                "no board at %s: %s (start one with `manycore serve`, or name it with "
	                "--board PATH or $CRTOOL_BOARD)",
	                b->path, strerror(e));
}

/* The status of the board's error code. */
static int lib_status_of(Crtool__ErrorCode code)
{
	switch (code) {
	case CRTOOL__ERROR_CODE__NO_SUCH_PROCESS: return CRT_NO_PROCESS;
	case CRTOOL__ERROR_CODE__BAD_IMAGE:
	case CRTOOL__ERROR_CODE__IMAGE_MISMATCH: return CRT_BAD_IMAGE;
	case CRTOOL__ERROR_CODE__NOT_STORED: return CRT_IO;
	case CRTOOL__ERROR_CODE__PERMISSION: return CRT_DENIED;
	default: return CRT_FAILED;
	}
}

/* Reads one reply of any kind that is not an error into *rp. */
static int lib_recv(crt_board *b, Crtool__Reply **rp)
{
	uint8_t *buf;
	size_t len;
	int rc = rpcwire_read(b->fd, &buf, &len), st;

	*rp = NULL;
	if (rc)
		return lib_fail(b, CRT_PROTOCOL, "the board %s",
		                rc == -EPIPE ? "closed the connection without a reply"
		                             : "sent a broken reply");
	*rp = crtool__reply__unpack(NULL, len, buf);
	free(buf);
	if (!*rp)
		return lib_fail(b, CRT_PROTOCOL,
		                "the board's reply (%zu bytes) is not a crtool.Reply; are crtool "
		                "and manycore from the same build?",
		                len);
	LOG_DEBUG("reply: field %d, error %d", (int)(*rp)->rep_case, (int)(*rp)->error);
	if ((*rp)->error == CRTOOL__ERROR_CODE__OK)
		return CRT_OK;
	st = lib_status_of((*rp)->error);
	lib_fail(b, st, "%s", (*rp)->message ? (*rp)->message : "request failed");
	b->board_err = (int)(*rp)->error;
	crtool__reply__free_unpacked(*rp, NULL);
	*rp = NULL;
	return st;
}

int lib_send(crt_board *b, const Crtool__Request *rq, const int *fds, size_t n)
{
	int rc;

	if ((rc = crt_connect(b)))
		return rc;
	LOG_DEBUG("request %s (%zu descriptors)", rpcwire_request_name(rq), n);
	rc = rpcwire_send_request_fds(b->fd, rq, fds, n);
	if (rc == -EPIPE || rc == -ECONNRESET) {
		/* The board may have said why it hung up (a peer it refuses). */
		Crtool__Reply *rp;
		int st = lib_recv(b, &rp);
		if (rp)
			crtool__reply__free_unpacked(rp, NULL);
		return st ? st : lib_fail(b, CRT_PROTOCOL, "the board hung up");
	}
	if (rc)
		return lib_fail(b, rc == -EMSGSIZE ? CRT_USAGE : CRT_PROTOCOL,
		                "cannot send to the board: %s", strerror(-rc));
	return CRT_OK;
}

/* Waits for the board's reply, telling b's progress function. */
static int lib_wait(crt_board *b, const char *what, const int *fds, size_t n)
{
	struct pollfd pf = { b->fd, POLLIN, 0 };
	uint64_t t0 = lib_now_ns();

	if (!b->progress || !what)
		return CRT_OK; /* the read blocks */
	for (;;) {
		int r = poll(&pf, 1, (int)b->progress_ms);
		uint64_t bytes = 0;
		struct stat st;
		if (r > 0)
			return CRT_OK;
		if (r < 0 && errno != EINTR)
			return lib_fail(b, CRT_PROTOCOL, "waiting for the board: %s",
			                strerror(errno));
		for (size_t i = 0; i < n; i++)
			if (fds[i] >= 0 && fstat(fds[i], &st) == 0)
				bytes += (uint64_t)st.st_size;
		b->progress(b->progress_ctx, what, bytes, (double)(lib_now_ns() - t0) / 1e9);
	}
}

int lib_next(crt_board *b, Crtool__Reply__RepCase want, const char *what, const int *fds, size_t n,
             Crtool__Reply **rp)
{
	int rc = lib_wait(b, what, fds, n);

	*rp = NULL;
	if (rc || (rc = lib_recv(b, rp)))
		return rc;
	if ((*rp)->rep_case == want)
		return CRT_OK;
	rc = lib_fail(b, CRT_PROTOCOL,
	              "the board's reply carries field %d, not the %d this request wants; are "
	              "crtool and manycore from the same build?",
	              (int)(*rp)->rep_case, (int)want);
	crtool__reply__free_unpacked(*rp, NULL);
	*rp = NULL;
	return rc;
}

int lib_call(crt_board *b, const Crtool__Request *rq, Crtool__Reply__RepCase want,
             Crtool__Reply **rp)
{
	int rc;

	*rp = NULL;
	if ((rc = lib_send(b, rq, NULL, 0)))
		return rc;
	return lib_next(b, want, NULL, NULL, 0, rp);
}

int lib_app_name(crt_board *b, const char *s)
{
	if (imgcheck_app_name(s))
		return 1;
	lib_fail(b, CRT_USAGE,
	         "'%s' is no application name: 1 to %u letters, digits, '.', '_' or '-'", s,
	         CRIMG_APP_MAX);
	return 0;
}

int lib_ps(crt_board *b, Crtool__Reply **rp)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__PsRequest ps = CRTOOL__PS_REQUEST__INIT;

	rq.req_case = CRTOOL__REQUEST__REQ_PS;
	rq.ps = &ps;
	return lib_call(b, &rq, CRTOOL__REPLY__REP_PS, rp);
}
