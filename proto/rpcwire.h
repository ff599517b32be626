/*
 * rpcwire.h - framing of the control protocol (proto/rpc.proto): each
 * message is a 32-bit little-endian length and that many bytes.
 */
#ifndef RPCWIRE_H
#define RPCWIRE_H

#include <stddef.h>
#include <stdint.h>

#include "proto/rpc.pb-c.h"

#define RPCWIRE_MAX (32u << 20) /* largest message either side accepts */

#define RPCWIRE_FDS_MAX 8 /* descriptors a frame may carry */

/*
 * Reads one frame from fd into *buf (malloc'd, *len bytes). Returns 0;
 * -EPIPE at end of stream before any byte; -EPROTO if the stream ends
 * inside a frame; -EMSGSIZE if the frame is larger than RPCWIRE_MAX
 * (*len gets its length; its body is left unread); or -errno. Any file
 * descriptors the frame carried are closed.
 */
int rpcwire_read(int fd, uint8_t **buf, size_t *len);

/*
 * As rpcwire_read on a Unix socket, also taking the file descriptors the
 * frame carried (SCM_RIGHTS; they arrive close-on-exec) into fds, max at
 * most (RPCWIRE_FDS_MAX or fewer); *nfds gets their number, and the
 * caller closes them. More than max: they are all closed and the read
 * fails with -ETOOMANYREFS (the frame itself was read).
 */
int rpcwire_read_fds(int fd, uint8_t **buf, size_t *len, int *fds, size_t max, size_t *nfds);

/* Writes one frame of len bytes; 0 or -errno (never SIGPIPE). */
int rpcwire_write(int fd, const uint8_t *buf, size_t len);

/* Packs and writes a request or a reply; 0 or -errno. */
int rpcwire_send_request(int fd, const Crtool__Request *rq);
int rpcwire_send_reply(int fd, const Crtool__Reply *rp);

/* Sends request rq with n open descriptors (RPCWIRE_FDS_MAX at most)
 * passed along (a Unix socket's SCM_RIGHTS); 0 or -errno. */
int rpcwire_send_request_fds(int fd, const Crtool__Request *rq, const int *fds, size_t n);

/* The name of rq's request ("dump", "migrate"; "unknown" for a field
 * this build does not know), as proto/rpc.proto spells it: for logs. */
const char *rpcwire_request_name(const Crtool__Request *rq);

/* The board's socket when none is named: $XDG_RUNTIME_DIR/crtool-board.sock,
 * else /tmp/crtool-board-UID.sock. Returns buf. */
char *rpcwire_default_path(char *buf, size_t n);

#endif /* RPCWIRE_H */
