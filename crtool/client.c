/*
 * client.c - connecting to a board and exchanging framed messages.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define LOG_MODULE "client"

#include "crtool/client.h"
#include "diag/log.h"
#include "proto/rpcwire.h"

/* Connects to the board at path; the fd, or minus the exit status after
 * saying why. */
static int client_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		LOG_ERROR("board socket path %s is too long", path);
		return -CRT_UNREACHABLE;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		if (e == EACCES) {
			LOG_ERROR("the board at %s is another user's (%s); a board "
			          "serves only the user who started it",
			          path, strerror(e));
			return -CRT_DENIED;
		}
		LOG_ERROR("no board at %s: %s (start one with `manycore serve`, "
		          "or name it with --board PATH or $CRTOOL_BOARD)",
		          path, strerror(e));
		return -CRT_UNREACHABLE;
	}
	return fd;
}

void client_close(struct client *cl)
{
	if (cl->fd >= 0)
		close(cl->fd);
	cl->fd = -1;
}

/* crtool's exit status for an error code of the board. */
static int client_status(Crtool__ErrorCode code)
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

int client_recv(struct client *cl, Crtool__Reply **rp)
{
	uint8_t *buf;
	size_t len;
	int rc = rpcwire_read(cl->fd, &buf, &len);

	*rp = NULL;
	if (rc) {
		LOG_ERROR("the board %s", rc == -EPIPE ? "closed the connection without a reply"
		                                       : "sent a broken reply");
		return CRT_PROTOCOL;
	}
	*rp = crtool__reply__unpack(NULL, len, buf);
	free(buf);
	if (!*rp) {
		LOG_ERROR("the board's reply (%zu bytes) is not a crtool.Reply; "
		          "are crtool and manycore from the same build?",
		          len);
		return CRT_PROTOCOL;
	}
	LOG_DEBUG("reply: field %d, error %d", (int)(*rp)->rep_case, (int)(*rp)->error);
	if ((*rp)->error != CRTOOL__ERROR_CODE__OK) {
		int st = client_status((*rp)->error);
		LOG_ERROR("%s", (*rp)->message ? (*rp)->message : "request failed");
		crtool__reply__free_unpacked(*rp, NULL);
		*rp = NULL;
		return st;
	}
	return CRT_OK;
}

int client_next(struct client *cl, Crtool__Reply__RepCase want, Crtool__Reply **rp)
{
	int rc = client_recv(cl, rp);

	if (rc)
		return rc;
	if ((*rp)->rep_case != want) {
		LOG_ERROR("the board's reply carries field %d, not the %d this "
		          "request wants; are crtool and manycore from the same build?",
		          (int)(*rp)->rep_case, (int)want);
		crtool__reply__free_unpacked(*rp, NULL);
		*rp = NULL;
		return CRT_PROTOCOL;
	}
	return CRT_OK;
}

int client_send(struct client *cl, const Crtool__Request *rq)
{
	return client_send_fds(cl, rq, NULL, 0);
}

int client_send_fds(struct client *cl, const Crtool__Request *rq, const int *fds, size_t n)
{
	int rc;

	if (cl->fd < 0 && (cl->fd = client_connect(cl->path)) < 0) {
		rc = -cl->fd;
		cl->fd = -1;
		return rc;
	}
	LOG_DEBUG("request %s (%zu descriptors)", rpcwire_request_name(rq), n);
	rc = rpcwire_send_request_fds(cl->fd, rq, fds, n);
	if (rc == -EPIPE || rc == -ECONNRESET) {
		/* The board may have said why it hung up (a peer it refuses). */
		Crtool__Reply *rp;
		int st = client_recv(cl, &rp);
		if (rp)
			crtool__reply__free_unpacked(rp, NULL);
		return st ? st : CRT_PROTOCOL;
	}
	if (rc) {
		LOG_ERROR("cannot send to the board: %s", strerror(-rc));
		return rc == -EMSGSIZE ? CRT_USAGE : CRT_PROTOCOL;
	}
	return CRT_OK;
}

int client_call(struct client *cl, const Crtool__Request *rq, Crtool__Reply__RepCase want,
                Crtool__Reply **rp)
{
	int rc;

	*rp = NULL;
	if ((rc = client_send(cl, rq)))
		return rc;
	return client_next(cl, want, rp);
}
