/*
 * limits.c - the mppa256 profile's limits (run with --profile mppa256):
 * 18 threads per process, 512 KiB of user memory per cluster; hitting
 * either is an error the program sees, and it goes on.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "nanvix/syscall.h"

static void *idle(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t t[32];
	int n = 0, rc = 0;
	uintptr_t brk0, got;
	struct nv_counters nc;

	while (n < 32 && (rc = pthread_create(&t[n], NULL, idle, NULL)) == 0)
		n++;
	printf("threads: %d created besides main, then %s\n", n, rc == EAGAIN ? "EAGAIN" : "?");
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);

	/* brk past user memory: the break does not move (ENOMEM). */
	brk0 = nv_brk(0);
	got = nv_brk(brk0 + 1024 * 1024);
	printf("brk +1 MiB: %s\n", got == brk0 ? "refused, break unchanged" : "MOVED");
	got = nv_brk(brk0 + 64 * 1024);
	printf("brk +64 KiB: %s\n", got == brk0 + 64 * 1024 ? "granted" : "REFUSED");
	nv_brk(brk0);
	printf("malloc 600 KiB: %s\n", malloc(600 * 1024) ? "GRANTED" : "NULL (ENOMEM)");
	nv_counters(&nc);
	printf("uarea: %s 2 KiB with one thread\n", nc.uarea_bytes <= 2048 ? "within" : "OVER");
	return 0;
}
