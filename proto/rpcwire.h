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

/*
 * Reads one frame from fd into *buf (malloc'd, *len bytes). Returns 0;
 * -EPIPE at end of stream before any byte; -EPROTO if the stream ends
 * inside a frame; -EMSGSIZE if the frame is larger than RPCWIRE_MAX
 * (*len gets its length; its body is left unread); or -errno.
 */
int rpcwire_read(int fd, uint8_t **buf, size_t *len);

/* Writes one frame of len bytes; 0 or -errno (never SIGPIPE). */
int rpcwire_write(int fd, const uint8_t *buf, size_t len);

/* Packs and writes a request or a reply; 0 or -errno. */
int rpcwire_send_request(int fd, const Crtool__Request *rq);
int rpcwire_send_reply(int fd, const Crtool__Reply *rp);

/* The board's socket when none is named: $XDG_RUNTIME_DIR/crtool-board.sock,
 * else /tmp/crtool-board-UID.sock. Returns buf. */
char *rpcwire_default_path(char *buf, size_t n);

#endif /* RPCWIRE_H */
