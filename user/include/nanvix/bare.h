/*
 * nanvix/bare.h - the little a freestanding guest needs to report
 * results without a C library (libnanvix/bare.c).
 */
#ifndef NANVIX_BARE_H
#define NANVIX_BARE_H

#include <stdint.h>

#include "nanvix/syscall.h"

/* Writes the NUL-terminated string s to fd. */
void nv_puts(int fd, const char *s);

/* Writes v in decimal (signed) or hexadecimal (0x%08x) to fd. */
void nv_put_dec(int fd, int32_t v);
void nv_put_udec(int fd, uint32_t v);
void nv_put_hex(int fd, uint32_t v);

#endif /* NANVIX_BARE_H */
