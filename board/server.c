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
#include <time.h>
#include <unistd.h>

#include "board/board.h"
#include "board/checkpoint.h"
#include "board/migration.h"
#include "board/request.h"
#include "board/server.h"
#include "diag/crerr.h"
#include "images/imgchan.h"
#include "images/imgkind.h"
#include "kernel/cluster.h"
#include "params/profile.h"
#include "proto/rpcwire.h"

#define SERVER_CLIENTS_MAX 64

struct server {
	struct board *b;
	int stop_pipe[2]; /* a shutdown request writes a byte */
	int held;         /* the connection that asked for the shutdown, or -1 */
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

/* Serves requests on connection fd until the peer leaves or sends a
 * frame that cannot be resynchronised; 1 if it asked for a shutdown. */
static int server_conn(struct server *s, int fd)
{
	int asked = 0;

	for (;;) {
		int shutdown = 0;
		Crtool__Request *rq;
		int fds[RPCWIRE_FDS_MAX];
		uint8_t *buf;
		size_t len, nfds;
		int rc = rpcwire_read_fds(fd, &buf, &len, fds, RPCWIRE_FDS_MAX, &nfds);
		if (rc == -ETOOMANYREFS) {
			free(buf);
			request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
			              "a request may pass at most %d file descriptors",
			              RPCWIRE_FDS_MAX);
			break;
		}
		if (rc == -EMSGSIZE) {
			request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
			              "request of %zu bytes; the limit is %u", len, RPCWIRE_MAX);
			break;
		}
		if (rc == -EPROTO) {
			request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
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
			if (request_error(fd, CRTOOL__ERROR_CODE__BAD_REQUEST,
			                  "request of %zu bytes is not a crtool.Request message",
			                  len))
				break;
			continue;
		}
		rc = request_serve(s->b, fd, rq, fds, nfds, &shutdown);
		if (shutdown && write(s->stop_pipe[1], "x", 1) < 0) {
			/* The pipe is never full: one byte ends the loop. */
		}
		asked |= shutdown;
		while (nfds) /* the request has used them, or had no business with them */
			close(fds[--nfds]);
		crtool__request__free_unpacked(rq, NULL);
		if (rc)
			break;
	}
	return asked;
}

/* Shuts down how (SHUT_RD, SHUT_RDWR) every client's connection; s->lock held. */
static void server_cut(struct server *s, int how)
{
	for (int i = 0; i < SERVER_CLIENTS_MAX; i++)
		if (s->clients[i] >= 0)
			shutdown(s->clients[i], how);
}

static void *server_client_main(void *arg)
{
	struct client *cl = arg;
	struct server *s = cl->s;
	int asked = server_conn(s, cl->fd);

	pthread_mutex_lock(&s->lock);
	/* The connection that asked for the shutdown stays open until the
	 * board is gone: its end of file tells the client so. */
	if (asked && s->held < 0)
		s->held = cl->fd;
	else
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
	(void)server_conn(&s, fd);
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
static int server_listen(const char *path, struct crerr *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, rc;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		return crerr_fail(e, -ENAMETOOLONG, "socket path %s is longer than %zu bytes", path,
		                  sizeof(sa.sun_path) - 1);
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return crerr_fail(e, -errno, "socket: %s", strerror(errno));
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		close(fd);
		return crerr_fail(e, -EADDRINUSE,
		                  "a board already serves on %s (crtool --board %s stats)", path,
		                  path);
	}
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return crerr_fail(e, -errno, "socket: %s", strerror(errno));
	}
	unlink(path); /* a stale socket of a board that died */
	old = umask(0077);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc || chmod(path, 0600) || listen(fd, 16)) {
		rc = crerr_fail(e, -errno, "cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	return fd;
}

int server_run(struct board *b, const char *path, const struct server_hooks *h, struct crerr *e)
{
	struct server s = { .b = b, .held = -1 };
	sigset_t set;
	int lfd, sfd;

	lfd = server_listen(path, e);
	if (lfd < 0)
		return lfd;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0 || pipe(s.stop_pipe)) {
		int rc = crerr_fail(e, -errno, "signalfd or pipe: %s", strerror(errno));
		if (sfd >= 0)
			close(sfd);
		close(lfd);
		unlink(path);
		return rc;
	}
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cv, NULL);
	for (int i = 0; i < SERVER_CLIENTS_MAX; i++)
		s.clients[i] = -1;
	if (h && h->ready)
		h->ready(h->ctx, path);
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
				request_error(fd, CRTOOL__ERROR_CODE__PERMISSION,
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
				request_error(fd, CRTOOL__ERROR_CODE__INTERNAL,
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
	/* Shut down: no new clients; waiting ones are woken and answer
	 * SHUTTING_DOWN, idle ones read the end of their input; a client that
	 * is still there after a second (one that reads no reply) is cut. */
	close(lfd);
	unlink(path);
	board_interrupt(b);
	pthread_mutex_lock(&s.lock);
	server_cut(&s, SHUT_RD);
	if (s.nclients) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		while (s.nclients && pthread_cond_timedwait(&s.cv, &s.lock, &until) == 0) {
		}
	}
	server_cut(&s, SHUT_RDWR);
	while (s.nclients)
		pthread_cond_wait(&s.cv, &s.lock);
	pthread_mutex_unlock(&s.lock);
	close(sfd);
	close(s.stop_pipe[0]);
	close(s.stop_pipe[1]);
	pthread_mutex_destroy(&s.lock);
	pthread_cond_destroy(&s.cv);
	if (h && h->held)
		*h->held = s.held;
	else if (s.held >= 0)
		close(s.held);
	return 0;
}
