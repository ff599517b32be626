/*
 * matmul.c - benchmark: 64x64 integer matrix multiply, repeated; about
 * 6e8 instructions, mostly loads, multiplies and adds.
 */
#include "nanvix/bare.h"

#define N 64
#define REPS 300

static int32_t a[N][N], b[N][N], c[N][N];

int main(void)
{
	uint32_t seed = 12345, sum = 0;

	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			seed = seed * 1103515245u + 12345u;
			a[i][j] = (int32_t)(seed >> 16) % 100;
			seed = seed * 1103515245u + 12345u;
			b[i][j] = (int32_t)(seed >> 16) % 100;
		}
	for (int r = 0; r < REPS; r++) {
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++) {
				int32_t s = 0;
				for (int k = 0; k < N; k++)
					s += a[i][k] * b[k][j];
				c[i][j] = s + r;
			}
		sum += (uint32_t)c[r % N][(r * 7) % N];
	}
	nv_puts(1, "matmul ");
	nv_put_hex(1, sum);
	nv_puts(1, "\n");
	return 0;
}
