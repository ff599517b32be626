/*
 * deadlock.c - every thread blocked for good: the runner says so, names
 * the threads and where they wait, and exits 123 instead of hanging.
 */
#include <pthread.h>
#include <stdio.h>

#include "nanvix/syscall.h"

static volatile uint32_t never;

static void *stuck(void *arg)
{
	(void)arg;
	nv_futex_wait(&never, 0, 0);
	return NULL;
}

int main(void)
{
	pthread_t t;

	printf("blocking forever\n");
	fflush(stdout);
	pthread_create(&t, NULL, stuck, NULL);
	pthread_join(t, NULL);
	printf("UNREACHABLE\n");
	return 0;
}
