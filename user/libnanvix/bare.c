/*
 * bare.c - output helpers for freestanding guests.
 */
#include "nanvix/bare.h"

static unsigned nv_strlen(const char *s)
{
	unsigned n = 0;

	while (s[n])
		n++;
	return n;
}

void nv_puts(int fd, const char *s)
{
	nv_write(fd, s, nv_strlen(s));
}

void nv_put_udec(int fd, uint32_t v)
{
	char buf[12];
	int i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	nv_write(fd, buf + i, sizeof(buf) - (unsigned)i);
}

void nv_put_dec(int fd, int32_t v)
{
	if (v < 0) {
		nv_write(fd, "-", 1);
		nv_put_udec(fd, 0u - (uint32_t)v);
	} else {
		nv_put_udec(fd, (uint32_t)v);
	}
}

void nv_put_hex(int fd, uint32_t v)
{
	char buf[10] = "0x";

	for (int i = 0; i < 8; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
	nv_write(fd, buf, sizeof(buf));
}
