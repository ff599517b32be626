/*
 * rpcwire.c - frames of the control protocol over a stream socket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "proto/rpcwire.h"

/* Descriptors received with a frame. */
struct fdbox {
	int *fds;
	size_t max, n;
	int overflow;
};

/* Keeps (or, past max, closes) the descriptors of the control messages in mh. */
static void rpcwire_take_fds(struct msghdr *mh, struct fdbox *box)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		size_t k;
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (box->n < box->max) {
				box->fds[box->n++] = fd;
			} else {
				close(fd);
				box->overflow = 1;
			}
		}
	}
	if (mh->msg_flags & MSG_CTRUNC)
		box->overflow = 1;
}

/* Reads exactly n bytes: 0, or -EPIPE (nothing came), -EPROTO (cut). */
static int rpcwire_read_all(int fd, uint8_t *p, size_t n, struct fdbox *box)
{
	size_t got = 0;

	while (got < n) {
		union {
			struct cmsghdr h;
			char b[CMSG_SPACE(sizeof(int) * RPCWIRE_FDS_MAX)];
		} u;
		struct iovec iov = { p + got, n - got };
		struct msghdr mh = { .msg_iov = &iov,
			             .msg_iovlen = 1,
			             .msg_control = u.b,
			             .msg_controllen = sizeof(u.b) };
		ssize_t r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
		if (r < 0 && errno == ENOTSOCK) /* a pipe or file: no descriptors */
			r = read(fd, p + got, n - got);
		else if (r >= 0)
			rpcwire_take_fds(&mh, box);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return got ? -EPROTO : -EPIPE;
		got += (size_t)r;
	}
	return 0;
}

static void rpcwire_close_box(struct fdbox *box)
{
	while (box->n)
		close(box->fds[--box->n]);
}

int rpcwire_read_fds(int fd, uint8_t **buf, size_t *len, int *fds, size_t max, size_t *nfds)
{
	struct fdbox box = { fds, max < RPCWIRE_FDS_MAX ? max : RPCWIRE_FDS_MAX, 0, 0 };
	uint8_t hdr[4];
	uint32_t n;
	int rc;

	*buf = NULL;
	*nfds = 0;
	rc = rpcwire_read_all(fd, hdr, 4, &box);
	if (rc)
		goto fail;
	n = (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 |
	    (uint32_t)hdr[3] << 24;
	*len = n;
	if (n > RPCWIRE_MAX) {
		rc = -EMSGSIZE;
		goto fail;
	}
	*buf = malloc(n ? n : 1);
	if (!*buf) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = rpcwire_read_all(fd, *buf, n, &box);
	if (rc) {
		free(*buf);
		*buf = NULL;
		rc = rc == -EPIPE ? -EPROTO : rc;
		goto fail;
	}
	if (box.overflow) {
		rc = -ETOOMANYREFS;
		goto fail;
	}
	*nfds = box.n;
	return 0;
fail:
	rpcwire_close_box(&box);
	return rc;
}

int rpcwire_read(int fd, uint8_t **buf, size_t *len)
{
	size_t nfds;
	int rc = rpcwire_read_fds(fd, buf, len, NULL, 0, &nfds);

	if (rc == -ETOOMANYREFS)
		rc = 0; /* descriptors nobody asked for were dropped */
	return rc;
}

/* Sends the frame of len bytes at buf, with n descriptors on its first byte. */
static int rpcwire_send(int fd, const uint8_t *buf, size_t len, const int *fds, size_t n)
{
	uint8_t hdr[4] = { (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
		           (uint8_t)(len >> 24) };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * RPCWIRE_FDS_MAX)];
	} u;
	struct iovec iov[2] = { { hdr, 4 }, { (void *)buf, len } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	size_t left = 4 + len;

	if (len > RPCWIRE_MAX)
		return -EMSGSIZE;
	if (n > RPCWIRE_FDS_MAX)
		return -ETOOMANYREFS;
	if (n) {
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		CMSG_FIRSTHDR(&mh)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&mh)->cmsg_type = SCM_RIGHTS;
		CMSG_FIRSTHDR(&mh)->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&mh)), fds, sizeof(int) * n);
	}
	while (left) {
		ssize_t w = sendmsg(fd, &mh, MSG_NOSIGNAL);
		if (w < 0 && errno == ENOTSOCK && !n && mh.msg_iovlen)
			w = writev(fd, mh.msg_iov, (int)mh.msg_iovlen);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		left -= (size_t)w;
		/* the descriptors went with the first bytes */
		mh.msg_control = NULL;
		mh.msg_controllen = 0;
		while (w > 0 && mh.msg_iovlen) {
			size_t k =
				(size_t)w < mh.msg_iov->iov_len ? (size_t)w : mh.msg_iov->iov_len;
			mh.msg_iov->iov_base = (uint8_t *)mh.msg_iov->iov_base + k;
			mh.msg_iov->iov_len -= k;
			w -= (ssize_t)k;
			if (!mh.msg_iov->iov_len) {
				mh.msg_iov++;
				mh.msg_iovlen--;
			}
		}
		n = 0;
	}
	return 0;
}

int rpcwire_write(int fd, const uint8_t *buf, size_t len)
{
	return rpcwire_send(fd, buf, len, NULL, 0);
}

static int rpcwire_send_packed(int fd, const ProtobufCMessage *m, const int *fds, size_t n)
{
	size_t len = protobuf_c_message_get_packed_size(m);
	uint8_t *buf = malloc(len ? len : 1);
	int rc;

	if (!buf)
		return -ENOMEM;
	protobuf_c_message_pack(m, buf);
	rc = rpcwire_send(fd, buf, len, fds, n);
	free(buf);
	return rc;
}

int rpcwire_send_request(int fd, const Crtool__Request *rq)
{
	return rpcwire_send_packed(fd, &rq->base, NULL, 0);
}

int rpcwire_send_request_fds(int fd, const Crtool__Request *rq, const int *fds, size_t n)
{
	return rpcwire_send_packed(fd, &rq->base, fds, n);
}

int rpcwire_send_reply(int fd, const Crtool__Reply *rp)
{
	return rpcwire_send_packed(fd, &rp->base, NULL, 0);
}

const char *rpcwire_request_name(const Crtool__Request *rq)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field(&crtool__request__descriptor, rq->req_case);

	return f ? f->name : "unknown";
}

char *rpcwire_default_path(char *buf, size_t n)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");

	if (dir && *dir)
		snprintf(buf, n, "%s/crtool-board.sock", dir);
	else
		snprintf(buf, n, "/tmp/crtool-board-%u.sock", (unsigned)getuid());
	return buf;
}
