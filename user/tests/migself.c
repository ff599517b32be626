/*
 * migself.c - a process that moves itself (nv_migrate_to), in every mode,
 * across compute clusters, while a second thread keeps working and a
 * buffer keeps its contents; then the calls that must fail, fail, and
 * leave it where it was.
 *
 * Output is the same wherever it starts and whatever moves it meanwhile
 * (crtool, a dump and restore): only what it checks is printed.
 *
 *   migself.elf [FIRST]   FIRST: the first compute node (4 on default, the
 *                         default; 8 on mppa256)
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "nanvix/ikc.h"
#include "nanvix/syscall.h"

#define WORDS (48 * 1024 / 4) /* 12 pages of data that must travel */
#define COMPUTE 16 /* compute clusters, on both profiles */

static uint32_t *data;
static volatile int stop;
static volatile uint32_t ticks;

static uint32_t word(size_t i, uint32_t round)
{
	return (uint32_t)(i * 2654435761u) ^ (round * 0x9e3779b9u);
}

/* Keeps writing the data while the main thread moves the process. */
static void *worker(void *arg)
{
	uint32_t round = 0;

	(void)arg;
	while (!stop) {
		round++;
		for (size_t i = 0; i < WORDS; i += 97)
			data[i] = word(i, round);
		for (size_t i = 0; i < WORDS; i += 97)
			if (data[i] != word(i, round)) {
				printf("worker: word %u wrong in round %u\n", (unsigned)i, (unsigned)round);
				exit(1);
			}
		ticks++;
		nv_kthread_yield();
	}
	return NULL;
}

/* nv_migrate_to, waiting while something else moves the process. */
static int move(int node, int mode)
{
	int rc;

	while ((rc = nv_migrate_to(node, mode)) == -ABI_EBUSY)
		nv_kthread_yield();
	return rc;
}

int main(int argc, char **argv)
{
	static const char *const modes[] = { "stop-copy", "pre-copy", "post-copy" };
	pthread_t th;
	int pid = getpid(), failures = 0, first = argc > 1 ? atoi(argv[1]) : 4;

	if (!(data = malloc(WORDS * sizeof(*data))))
		return 3;
	for (size_t i = 0; i < WORDS; i++)
		data[i] = word(i, 0);
	if (pthread_create(&th, NULL, worker, NULL)) {
		printf("no worker thread\n");
		return 3;
	}
	for (int k = 0; k < 9; k++) {
		int mode = k % 3;
		int here = nv_name_lookup(pid);
		int to = first + (here - first + 1 + k) % COMPUTE;
		uint32_t before = ticks;
		int rc = move(to, mode);
		int now = nv_name_lookup(pid);
		if (rc != 0 || now != to) {
			printf("move %d (%s): rc %d, runs on node %d, wanted %d\n", k + 1, modes[mode],
			       rc, now, to);
			failures++;
			continue;
		}
		/* the worker went on working on the other side */
		while (ticks < before + 3)
			nv_kthread_yield();
		printf("move %d (%s): ok\n", k + 1, modes[mode]);
	}
	printf("to itself: %d\n", nv_migrate_to(nv_name_lookup(pid), NV_MIGRATE_POST_COPY));
	printf("to an I/O node: %d\n", nv_migrate_to(0, NV_MIGRATE_STOP_COPY));
	printf("to no node: %d\n", nv_migrate_to(1000, NV_MIGRATE_STOP_COPY));
	printf("in no mode: %d\n", nv_migrate_to(first, 7));
	stop = 1;
	pthread_join(th, NULL);
	for (size_t i = 0; i < WORDS; i++) {
		uint32_t round = i % 97 ? 0 : ticks;
		if (data[i] != word(i, round)) {
			printf("word %u lost\n", (unsigned)i);
			return 1;
		}
	}
	printf("data intact, worker ok\n");
	return failures != 0;
}
