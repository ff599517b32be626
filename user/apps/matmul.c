/*
 * matmul.c - integer matrix product split by rows across threads.
 *
 *   matmul [THREADS] [N]
 *
 * Prints a checksum that does not depend on the thread count.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static int n = 64, nthreads = 1;
static int32_t *a, *b, *c;

static void *rows(void *arg)
{
	int id = (int)(intptr_t)arg;

	for (int i = id; i < n; i += nthreads)
		for (int j = 0; j < n; j++) {
			int32_t s = 0;
			for (int k = 0; k < n; k++)
				s += a[i * n + k] * b[k * n + j];
			c[i * n + j] = s;
		}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[64];
	uint32_t sum = 0;

	if (argc > 1)
		nthreads = atoi(argv[1]);
	if (argc > 2)
		n = atoi(argv[2]);
	if (nthreads < 1 || nthreads > 64 || n < 1 || n > 1024) {
		fprintf(stderr, "usage: matmul [THREADS 1-64] [N 1-1024]\n");
		return 2;
	}
	a = malloc(sizeof(*a) * n * n);
	b = malloc(sizeof(*b) * n * n);
	c = malloc(sizeof(*c) * n * n);
	if (!a || !b || !c) {
		fprintf(stderr, "matmul: no memory for three %dx%d matrices\n", n, n);
		return 1;
	}
	for (int i = 0; i < n * n; i++) {
		a[i] = (i * 7 + 3) % 101;
		b[i] = (i * 13 + 5) % 97;
	}
	for (int i = 1; i < nthreads; i++)
		if (pthread_create(&t[i], NULL, rows, (void *)(intptr_t)i)) {
			fprintf(stderr, "matmul: cannot create thread %d\n", i);
			return 1;
		}
	rows(0);
	for (int i = 1; i < nthreads; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < n * n; i++)
		sum = sum * 31 + (uint32_t)c[i];
	printf("matmul %dx%d: checksum %08x\n", n, n, (unsigned)sum);
	return 0;
}
