/*
 * isolation.c - two processes on one cluster cannot see each other.
 *
 *   isolation keeper     keeps a secret in its memory and checks it
 *   isolation intruder   writes its own values at the same addresses,
 *                        probes every page of the user range for
 *                        mappings and for the keeper's secret, then
 *                        touches an unmapped page and dies of it
 *
 * Run as: isolation keeper --and isolation intruder. Same binary, same
 * virtual addresses, different frames.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nanvix/syscall.h"

#define SECRET 0x5ec2e7u
#define WORDS 4096

static volatile uint32_t box[WORDS]; /* the same address in both processes */

static int keeper(void)
{
	uint32_t bad = 0;

	for (int i = 0; i < WORDS; i++)
		box[i] = SECRET ^ (uint32_t)i;
	/* Let the intruder run its whole course meanwhile. */
	for (int r = 0; r < 200; r++) {
		nv_kthread_yield();
		nv_sleep_until(nv_now_ns() + 100000);
	}
	for (int i = 0; i < WORDS; i++)
		bad += box[i] != (SECRET ^ (uint32_t)i);
	printf("keeper: secret %s\n", bad ? "CHANGED" : "intact");
	return bad != 0;
}

static int intruder(void)
{
	uint32_t mapped = 0, found = 0;

	for (int i = 0; i < WORDS; i++)
		box[i] = 0xbad0000u | (uint32_t)i;
	/* A futex wait on a value that never matches tells mapped from
	 * unmapped without faulting: EAGAIN or EFAULT. */
	for (uint32_t va = 0x80000000u; va < 0xf0000000u; va += 4096) {
		long r = nv_futex_wait((volatile uint32_t *)va, 0xffffffffu, 0);
		if (r == -ABI_EFAULT)
			continue;
		mapped++;
		for (uint32_t off = 0; off < 4096; off += 4)
			if (*(volatile uint32_t *)(va + off) == SECRET)
				found++;
	}
	printf("intruder: %u pages mapped, the keeper's secret seen %u times\n",
	       (unsigned)mapped, (unsigned)found);
	fflush(stdout);
	/* Past the heap lies nothing: this load faults and kills only us. */
	return (int)*(volatile uint32_t *)0xa0000000u;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "keeper"))
		return keeper();
	if (argc > 1 && !strcmp(argv[1], "intruder"))
		return intruder();
	fprintf(stderr, "usage: isolation keeper|intruder\n");
	return 2;
}
