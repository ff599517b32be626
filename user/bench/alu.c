/*
 * alu.c - benchmark: register-only integer work (shifts, xors, adds,
 * compares and a multiply), about 6e8 instructions.
 */
#include "nanvix/bare.h"

#define ITERS 40000000u

int main(void)
{
	uint32_t x = 2463534242u, y = 1, z = 7;

	for (uint32_t i = 0; i < ITERS; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		y += x | i;
		z = (z ^ y) + (x >> 3) * 3u;
	}
	nv_puts(1, "alu ");
	nv_put_hex(1, x ^ y ^ z);
	nv_puts(1, "\n");
	return 0;
}
