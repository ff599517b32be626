/*
 * client.h - crtool's side of the control protocol: one connection to a
 * serving board, requests out, replies in.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include "proto/rpc.pb-c.h"

/* crtool's exit statuses (crtool --help lists them). */
enum {
	CRT_OK = 0,
	CRT_FAILED = 1, /* the board refused, or check found something missing */
	CRT_USAGE = 2,
	CRT_UNREACHABLE = 3, /* no board answers at the socket */
	CRT_PROTOCOL = 4,    /* the board's reply made no sense */
	CRT_NO_PROCESS = 5,  /* no such process */
	CRT_BAD_IMAGE = 6,   /* an image is invalid (verify lists why) */
	CRT_IO = 7,          /* a host file could not be read or written */
	CRT_DENIED = 8,      /* the board serves another user */
};

/* A connection to the board at path, made at the first request, so that
 * a command's usage errors come before (and without) any board. */
struct client {
	const char *path;
	int fd; /* -1: not connected yet */
};

/* Closes cl's connection if it was made. */
void client_close(struct client *cl);

/*
 * Sends rq to cl's board (connecting first if need be) and reads one reply, which must carry want
 * (CRTOOL__REPLY__REP__NOT_SET: nothing but success), into *rp (free it
 * with crtool__reply__free_unpacked). Returns CRT_OK, or the exit status
 * for what went wrong, said on stderr (CRT_UNREACHABLE if no board
 * answers at cl->path); an error reply is reported (with
 * the board's sentence) and turned into CRT_FAILED, CRT_NO_PROCESS,
 * CRT_BAD_IMAGE (an image the board refused) or CRT_IO (images not stored).
 */
int client_call(struct client *cl, const Crtool__Request *rq, Crtool__Reply__RepCase want,
                Crtool__Reply **rp);

/* Reads one more reply (after an OutputRequest with follow). As above. */
int client_next(struct client *cl, Crtool__Reply__RepCase want, Crtool__Reply **rp);

/* Reads one more reply of any kind that is not an error. As above. */
int client_recv(struct client *cl, Crtool__Reply **rp);

/* Sends rq only (connecting first): CRT_OK or the exit status, said. */
int client_send(struct client *cl, const Crtool__Request *rq);

/* Sends rq with n open file descriptors passed along (the board reads or
 * writes image files through them): CRT_OK or the exit status, said. */
int client_send_fds(struct client *cl, const Crtool__Request *rq, const int *fds, size_t n);

#endif /* CLIENT_H */
