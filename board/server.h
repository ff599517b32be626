/*
 * server.h - the board as a service: the control protocol (proto/rpc.proto)
 * on a Unix socket (design.md §6).
 */
#ifndef SERVER_H
#define SERVER_H

#include <stddef.h>
#include <sys/types.h>

#include "diag/version.h"

struct board;
struct crerr;

#define SERVER_VERSION CRTOOL_VERSION

/*
 * Serves board b (started) on a Unix socket at path, created with mode
 * 0600, until a shutdown request, SIGTERM or SIGINT; one thread per
 * client. A malformed request gets an error reply and the board goes on.
 * Returns 0 after a clean shutdown, or -errno if the socket cannot be set
 * up (e says why). The caller must have blocked SIGTERM and SIGINT in
 * every thread (server_block_signals) before starting any. h (or NULL)
 * says who hears that the socket listens, and who closes the connection
 * that asked for the shutdown: its client reads its end of file as the
 * sign the board is gone.
 */
struct server_hooks {
	void (*ready)(void *ctx, const char *path); /* the socket listens; NULL: no one */
	void *ctx;
	int *held; /* set to that connection (-1: none), for the caller to close
	              once the board is freed; NULL: closed before returning */
};
int server_run(struct board *b, const char *path, const struct server_hooks *h, struct crerr *e);

/*
 * Serves the control protocol on connection fd (any stream socket) for
 * board b (started), as server_run serves each client, until the peer
 * leaves or sends a frame that cannot be resynchronised; a shutdown
 * request is answered and otherwise ignored. The caller closes fd.
 * 0, or -errno if it could not start. For tests and the fuzz target.
 */
int server_serve_conn(struct board *b, int fd);

/* 0 if the peer of Unix socket fd runs as uid owner (SO_PEERCRED), else
 * -EPERM: server_run refuses every other peer, whatever the socket's mode. */
int server_peer_allowed(int fd, uid_t owner);

/* Blocks SIGTERM, SIGINT and SIGPIPE in the calling thread (and in threads
 * it starts later), so that server_run can take them. */
void server_block_signals(void);

#endif /* SERVER_H */
