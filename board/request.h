/*
 * request.h - the requests of the control protocol (proto/rpc.proto and
 * docs/rpc.md) carried out on a board: run, ps, kill, wait, output,
 * stats, dump, restore, migrate, shutdown. The server (server.h) reads
 * them off a connection and hands each here.
 */
#ifndef REQUEST_H
#define REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "proto/rpc.pb-c.h"

struct board;

/* Carries out request rq of the client on fd (with the descriptors it
 * passed: fds, nfds, which the caller closes after) and writes its
 * reply; a shutdown request sets *shutdown. 0 to go on with the
 * connection, else the client is gone or must be. */
int request_serve(struct board *b, int fd, Crtool__Request *rq, const int *fds, size_t nfds,
                  int *shutdown);

/* Writes an error reply of code with a printf-style sentence: 0, or -1
 * if the client is gone. */
int request_error(int fd, Crtool__ErrorCode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A dump's commit step (checkpoint_dump's commit; ctx a struct
 * request_dump_ctx): the stream is out, so the client is told (DumpEnd)
 * and says whether it stored the images (DumpCommit). 0, -EPIPE (the
 * client went away), -EPROTO, or -EIO with the client's reason. */
struct crerr;
struct request_dump_ctx {
	int fd;
	struct crerr *e;
	const uint64_t *cut_ns; /* a group dump's, or NULL */
};
int request_dump_commit(void *ctx, uint64_t stream_bytes);

#endif /* REQUEST_H */
