/*
 * intk.c - benchmark: integer kernels of the kind numeric firmware runs:
 * a sieve of Eratosthenes over a bit array, greatest common divisors,
 * integer square roots by Newton's method, bit counts and reversals, and
 * division with remainder by varying divisors. About 6e8 instructions;
 * the result is checked against a native build of the same code.
 */
#include "nanvix/bare.h"

#define SIEVE 32768
#define ROUNDS 500

static uint32_t bits[SIEVE / 32];

static uint32_t sieve(void)
{
	uint32_t primes = 0;

	for (uint32_t i = 0; i < SIEVE / 32; i++)
		bits[i] = 0;
	for (uint32_t i = 2; i < SIEVE; i++) {
		if (bits[i / 32] >> (i % 32) & 1)
			continue;
		primes++;
		for (uint32_t j = i * i; j < SIEVE; j += i)
			bits[j / 32] |= 1u << (j % 32);
	}
	return primes;
}

static uint32_t gcd(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

static uint32_t isqrt(uint32_t n)
{
	uint32_t x = n, y = (x + 1) / 2;

	if (n < 2)
		return n;
	while (y < x) {
		x = y;
		y = (x + n / x) / 2;
	}
	return x;
}

static uint32_t popcount(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	return (((x + (x >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24;
}

static uint32_t bitrev(uint32_t x)
{
	uint32_t r = 0;

	for (int i = 0; i < 32; i++, x >>= 1)
		r = r << 1 | (x & 1);
	return r;
}

int main(void)
{
	uint32_t check = 0, seed = 5;

	for (int r = 0; r < ROUNDS; r++) {
		check += sieve();
		for (int i = 0; i < 1000; i++) {
			seed = seed * 1664525u + 1013904223u;
			uint32_t a = seed >> 4, b = (seed << 7 | seed >> 25) & 0xfffff;
			check ^= gcd(a, b + 1) + isqrt(a);
			check += popcount(a ^ b) + bitrev(a);
			int32_t d = (int32_t)(b % 97) - 48;
			if (d)
				check += (uint32_t)((int32_t)a / d) ^ (uint32_t)((int32_t)b % d);
		}
	}
	nv_puts(1, "intk ");
	nv_put_hex(1, check);
	nv_puts(1, "\n");
	return 0;
}
