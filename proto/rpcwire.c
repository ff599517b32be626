/*
 * rpcwire.c - frames of the control protocol over a stream socket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rpcwire.h"

/* Reads exactly n bytes: 0, or -EPIPE (nothing came), -EPROTO (cut). */
static int rpcwire_read_all(int fd, uint8_t *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
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

int rpcwire_read(int fd, uint8_t **buf, size_t *len)
{
	uint8_t hdr[4];
	uint32_t n;
	int rc;

	*buf = NULL;
	rc = rpcwire_read_all(fd, hdr, 4);
	if (rc)
		return rc;
	n = (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 |
	    (uint32_t)hdr[3] << 24;
	*len = n;
	if (n > RPCWIRE_MAX)
		return -EMSGSIZE;
	*buf = malloc(n ? n : 1);
	if (!*buf)
		return -ENOMEM;
	rc = rpcwire_read_all(fd, *buf, n);
	if (rc) {
		free(*buf);
		*buf = NULL;
		return rc == -EPIPE ? -EPROTO : rc;
	}
	return 0;
}

int rpcwire_write(int fd, const uint8_t *buf, size_t len)
{
	uint8_t hdr[4] = { (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
			   (uint8_t)(len >> 24) };
	const uint8_t *parts[2] = { hdr, buf };
	size_t sizes[2] = { 4, len };

	if (len > RPCWIRE_MAX)
		return -EMSGSIZE;
	for (int i = 0; i < 2; i++) {
		size_t done = 0;
		while (done < sizes[i]) {
			ssize_t w = send(fd, parts[i] + done, sizes[i] - done, MSG_NOSIGNAL);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			done += (size_t)w;
		}
	}
	return 0;
}

int rpcwire_send_request(int fd, const Crtool__Request *rq)
{
	size_t n = crtool__request__get_packed_size(rq);
	uint8_t *buf = malloc(n ? n : 1);
	int rc;

	if (!buf)
		return -ENOMEM;
	crtool__request__pack(rq, buf);
	rc = rpcwire_write(fd, buf, n);
	free(buf);
	return rc;
}

int rpcwire_send_reply(int fd, const Crtool__Reply *rp)
{
	size_t n = crtool__reply__get_packed_size(rp);
	uint8_t *buf = malloc(n ? n : 1);
	int rc;

	if (!buf)
		return -ENOMEM;
	crtool__reply__pack(rp, buf);
	rc = rpcwire_write(fd, buf, n);
	free(buf);
	return rc;
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
