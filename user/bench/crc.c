/*
 * crc.c - benchmark: checksums over a 4 KiB buffer, as firmware computes
 * them: CRC-32 by a 256-entry table (byte loads and table lookups),
 * CRC-32C bit by bit (shifts and branches), and Adler-32 (adds and
 * modulo). About 6e8 instructions; the result is checked against a
 * native build of the same code.
 */
#include "nanvix/bare.h"

#define LEN 4096
#define ROUNDS 1920

static uint8_t buf[LEN];
static uint32_t table[256];

static void crc32_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, uint32_t n)
{
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static uint32_t crc32c_bitwise(uint32_t crc, const uint8_t *p, uint32_t n)
{
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return ~crc;
}

static uint32_t adler32(const uint8_t *p, uint32_t n)
{
	uint32_t a = 1, b = 0;

	while (n) {
		uint32_t chunk = n < 2048 ? n : 2048;
		n -= chunk;
		while (chunk--) {
			a += *p++;
			b += a;
		}
		a %= 65521u;
		b %= 65521u;
	}
	return b << 16 | a;
}

int main(void)
{
	uint32_t seed = 7, c32 = 0, c32c = 0, ad = 0;

	crc32_init();
	for (uint32_t i = 0; i < LEN; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
	for (int r = 0; r < ROUNDS; r++) {
		c32 = crc32(c32, buf, LEN);
		c32c = crc32c_bitwise(c32c, buf, LEN);
		ad ^= adler32(buf, LEN);
		buf[(uint32_t)r * 67u % LEN] ^= (uint8_t)c32;
	}
	nv_puts(1, "crc ");
	nv_put_hex(1, c32 ^ c32c ^ ad);
	nv_puts(1, "\n");
	return 0;
}
