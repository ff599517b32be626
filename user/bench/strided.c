/*
 * strided.c - benchmark: word stores striding across 2 MiB of pages (each
 * store lands on another page), about 6e8 instructions.
 */
#include "nanvix/bare.h"

#define SPAN (2u * 1024 * 1024)
#define STRIDE (4096u + 4u)
#define ITERS 70000000u

static uint32_t buf[SPAN / 4];

int main(void)
{
	uint32_t off = 0, check = 0;

	for (uint32_t i = 0; i < ITERS; i++) {
		buf[off / 4] = i;
		off += STRIDE;
		if (off >= SPAN)
			off -= SPAN;
	}
	for (uint32_t i = 0; i < SPAN / 4; i += 1024)
		check += buf[i];
	nv_puts(1, "strided ");
	nv_put_hex(1, check);
	nv_puts(1, "\n");
	return 0;
}
