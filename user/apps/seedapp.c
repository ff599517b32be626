/*
 * seedapp.c - a stand-in for the application the seed migrated: a process
 * of about 343 KiB of program and data with one thread and an 8 KiB stack
 * (352.8 KB in all), which keeps writing and checking its own results.
 *
 *   seedapp [--size KiB] [--threads N] [--pages N] [--rounds R] [--hold]
 *
 * --size     program + data in KiB (default 343): the heap makes up what
 *            the program image does not;
 * --threads  threads in all, main included (default 1; 16 = the seed's 15
 *            extra threads);
 * --pages    extra pages written every round (default 0; the seed: 32);
 * --rounds   how long to run (default 1000, about 2 s at 400 MHz);
 * --hold     then keep rewriting and checking its pages until a message
 *            comes to its mailbox on port 7 (`nudge PID`), and only then
 *            print and exit: a test can act on it while it runs, however
 *            fast the host runs it. The output is the same.
 *
 * Every thread rewrites its share of the data and the extra pages each
 * round and verifies it; the output is the same whatever the schedule.
 * Exit status: 0 all correct, 1 a wrong result, 2 usage, 3 does not fit.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanvix/ikc.h"
#include "nanvix/syscall.h"

#define PAGE 4096u
#define HOLD_PORT 7
#define MAX_THREADS 64

extern char end[];

static uint32_t *data, *pages;
static size_t data_words, page_words;
static int nthreads = 1, rounds = 1000;
static uint32_t sums[MAX_THREADS], errors;

static uint32_t pattern(int round, int t, size_t i)
{
	return (uint32_t)((i * 2654435761u) ^ ((uint32_t)round * 40503u) ^ ((uint32_t)t << 24));
}

/* Rewrites and checks the words [lo, hi) of buf each round. */
static void *work(void *arg)
{
	int t = (int)(intptr_t)arg;
	size_t dlo = data_words * (size_t)t / (size_t)nthreads;
	size_t dhi = data_words * (size_t)(t + 1) / (size_t)nthreads;
	size_t plo = page_words * (size_t)t / (size_t)nthreads;
	size_t phi = page_words * (size_t)(t + 1) / (size_t)nthreads;
	uint32_t sum = 0, bad = 0;

	for (int r = 0; r < rounds; r++) {
		for (size_t i = dlo; i < dhi; i++)
			data[i] = pattern(r, t, i);
		for (size_t i = plo; i < phi; i++)
			pages[i] = pattern(r, t, i) ^ 0xa5a5a5a5u;
		for (size_t i = dlo; i < dhi; i++) {
			bad += data[i] != pattern(r, t, i);
			sum += data[i];
		}
		for (size_t i = plo; i < phi; i++) {
			bad += pages[i] != (pattern(r, t, i) ^ 0xa5a5a5a5u);
			sum += pages[i];
		}
	}
	sums[t] = sum;
	__atomic_fetch_add(&errors, bad, __ATOMIC_RELAXED);
	return NULL;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: seedapp [--size KiB] [--threads N] [--pages N] [--rounds R] [--hold]\n");
	exit(2);
}

static void no_fit(const char *what, long size_kib)
{
	struct nv_counters nc;

	nv_counters(&nc);
	printf("seedapp: out of user memory while %s (the process holds %u KiB): it does not "
	       "fit this cluster; try a smaller --size (now %ld KiB)\n",
	       what, nc.pages * 4, size_kib);
	exit(3);
}

int main(int argc, char **argv)
{
	long size_kib = 343, npages = 0, image_kib;
	pthread_t t[MAX_THREADS];
	uint32_t total = 0;
	char what[64];
	int hold = -1;

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "--hold")) {
			if ((hold = nv_mailbox_create(HOLD_PORT)) < 0) {
				printf("seedapp: cannot create its mailbox: error %d\n", hold);
				return 1;
			}
			continue;
		}
		if (!v)
			usage();
		if (!strcmp(o, "--size"))
			size_kib = atol(v);
		else if (!strcmp(o, "--threads"))
			nthreads = atoi(v);
		else if (!strcmp(o, "--pages"))
			npages = atol(v);
		else if (!strcmp(o, "--rounds"))
			rounds = atoi(v);
		else
			usage();
		i++;
	}
	image_kib = (long)(((uintptr_t)end - 0x80000000u + 1023) / 1024);
	if (nthreads < 1 || nthreads > MAX_THREADS || npages < 0 || rounds < 1) {
		fprintf(stderr, "seedapp: --threads 1-%d, --pages 0 or more, --rounds 1 or more\n",
			MAX_THREADS);
		return 2;
	}
	if (size_kib < image_kib + 4) {
		fprintf(stderr, "seedapp: --size must be at least %ld KiB (the program itself)\n",
			image_kib + 4);
		return 2;
	}
	data_words = (size_t)(size_kib - image_kib) * 256;
	page_words = (size_t)npages * (PAGE / 4);
	data = malloc(data_words * 4);
	if (!data)
		no_fit("allocating its data", size_kib);
	pages = malloc(page_words * 4 + 4);
	if (!pages)
		no_fit("allocating its extra pages", size_kib);
	for (int i = 1; i < nthreads; i++) {
		int rc = pthread_create(&t[i], NULL, work, (void *)(intptr_t)i);
		if (rc == ENOMEM || rc == EAGAIN) {
			snprintf(what, sizeof(what), "creating thread %d of %d", i + 1, nthreads);
			no_fit(what, size_kib);
		}
		if (rc) {
			printf("seedapp: cannot create thread %d: error %d\n", i + 1, rc);
			return 1;
		}
	}
	work(0);
	for (int i = 1; i < nthreads; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < nthreads; i++)
		total += sums[i];
	if (hold >= 0) {
		/* Held: the same work on the data until the message comes. */
		char msg[NV_MAILBOX_SIZE];
		int r = rounds;
		while (nv_mailbox_pending(hold) == 0) {
			for (size_t i = 0; i < data_words; i++)
				data[i] = pattern(r, 0, i);
			for (size_t i = 0; i < data_words; i++)
				errors += data[i] != pattern(r, 0, i);
			r++;
		}
		nv_mailbox_read(hold, msg, sizeof(msg));
	}
	printf("seedapp: %ld KiB (program %ld KiB + data %ld KiB), %d thread%s, %ld extra "
	       "pages, %d rounds: %s, checksum %08x\n",
	       size_kib, image_kib, size_kib - image_kib, nthreads, nthreads > 1 ? "s" : "",
	       npages, rounds, errors ? "WRONG RESULTS" : "every result checked", (unsigned)total);
	return errors ? 1 : 0;
}
