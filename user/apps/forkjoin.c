/*
 * forkjoin.c - the seed's thread benchmark: for n = 1 .. threads-1,
 * create n threads then join them, repeated.
 *
 *   forkjoin [--reps R] [--max N] [--no-host-time]
 *
 * stdout (deterministic): what ran and that every thread ran once.
 * stderr: per n, instructions and host ns per create+join pair ("-" for
 * the ns with --no-host-time).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanvix/syscall.h"

#define MAX_THREADS 256

static volatile uint32_t ran;

static void *worker(void *arg)
{
	__atomic_fetch_add(&ran, 1, __ATOMIC_RELAXED);
	return arg;
}

/* Threads this process may have besides main: create until refused. */
static int probe_limit(void)
{
	pthread_t t[MAX_THREADS];
	int n = 0;

	while (n < MAX_THREADS && pthread_create(&t[n], NULL, worker, NULL) == 0)
		n++;
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return n;
}

int main(int argc, char **argv)
{
	int reps = 10, max = 0, host_time = 1;
	char ns[24] = "-"; /* host ns per pair, or "-" */
	pthread_t t[MAX_THREADS];
	struct nv_counters c0, c1;
	uint32_t expected = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--max") && i + 1 < argc)
			max = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-host-time"))
			host_time = 0; /* "-": a run's instructions then do not
					  depend on the host's clock (tests) */
		else {
			fprintf(stderr, "usage: forkjoin [--reps R] [--max N] [--no-host-time]\n");
			return 2;
		}
	}
	int limit = probe_limit();
	ran = 0;
	if (max <= 0 || max > limit)
		max = limit;
	fprintf(stderr, "%-4s %14s %14s\n", "n", "insns/pair", "host_ns/pair");
	for (int n = 1; n <= max; n++) {
		uint64_t h0, h1;
		nv_counters(&c0);
		h0 = nv_host_ns();
		for (int r = 0; r < reps; r++) {
			for (int i = 0; i < n; i++)
				if (pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i)) {
					printf("forkjoin: create failed at n=%d\n", n);
					return 1;
				}
			for (int i = 0; i < n; i++) {
				void *v;
				if (pthread_join(t[i], &v) || v != (void *)(uintptr_t)i) {
					printf("forkjoin: join failed at n=%d\n", n);
					return 1;
				}
			}
		}
		h1 = nv_host_ns();
		nv_counters(&c1);
		expected += (uint32_t)(n * reps);
		if (host_time)
			snprintf(ns, sizeof(ns), "%llu", (h1 - h0) / (uint64_t)(n * reps));
		fprintf(stderr, "%-4d %14llu %14s\n", n,
			(c1.process_instret - c0.process_instret) / (uint64_t)(n * reps), ns);
	}
	printf("forkjoin: n = 1..%d threads, %d repetitions: %u threads ran, %s\n", max, reps,
	       (unsigned)ran, ran == expected ? "all joined" : "MISMATCH");
	return ran == expected ? 0 : 1;
}
