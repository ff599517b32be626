/*
 * yield.c - context-switch benchmark: THREADS threads (default 2) each
 * yield N times (default 100000).
 *
 *   yield [N] [THREADS]
 *
 * stdout (deterministic): what ran. stderr: host ns per yield.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "nanvix/syscall.h"

static long n = 100000;

static void *spin(void *arg)
{
	for (long i = 0; i < n; i++)
		nv_kthread_yield();
	return arg;
}

int main(int argc, char **argv)
{
	int threads = 2;
	pthread_t t[64];
	uint64_t h0, h1;

	if (argc > 1)
		n = atol(argv[1]);
	if (argc > 2)
		threads = atoi(argv[2]);
	if (n < 1 || threads < 1 || threads > 64) {
		fprintf(stderr, "usage: yield [N] [THREADS 1-64]\n");
		return 2;
	}
	h0 = nv_host_ns();
	for (int i = 1; i < threads; i++)
		pthread_create(&t[i], NULL, spin, NULL);
	spin(NULL);
	for (int i = 1; i < threads; i++)
		pthread_join(t[i], NULL);
	h1 = nv_host_ns();
	fprintf(stderr, "host_ns_per_yield %llu\n",
		(unsigned long long)((h1 - h0) / (uint64_t)(n * threads)));
	printf("yield: %d threads x %ld yields\n", threads, n);
	return 0;
}
