/*
 * dirtier.c - a process that writes its memory at a set rate: pre-copy
 * migration's weak spot, as an experiment's knob.
 *
 *   dirtier KiB RATE [STEPS]
 *
 * Takes KiB of memory and writes it all once; then, STEPS times (default
 * 1000), writes one word in each of the next RATE pages (round-robin
 * over all of them) and computes for about 100,000 instructions. RATE
 * pages are dirtied every 100,000 instructions: at the MPPA-256's 400 MHz,
 * every 250 us. At the end it checks every word and prints a checksum
 * that depends only on its arguments.
 *
 * Exit status: 0 all correct, 1 a wrong word, 2 usage, 3 out of memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define PAGE_WORDS 1024u
#define SPIN 25000u  /* iterations of about 4 instructions: 100,000 */

int main(int argc, char **argv)
{
	long kib = argc > 1 ? atol(argv[1]) : 0, rate = argc > 2 ? atol(argv[2]) : -1;
	long steps = argc > 3 ? atol(argv[3]) : 1000;
	size_t pages, next = 0, bad = 0;
	uint32_t *p, sum = 0;
	volatile uint32_t spin = 0;

	if (kib < 4 || rate < 0 || steps < 0) {
		fprintf(stderr, "usage: dirtier KiB RATE [STEPS]\n");
		return 2;
	}
	pages = (size_t)kib / 4;
	if ((size_t)rate > pages)
		rate = (long)pages;
	p = malloc(pages * PAGE_WORDS * 4);
	if (!p) {
		printf("dirtier: cannot allocate %ld KiB: out of memory\n", kib);
		return 3;
	}
	for (size_t i = 0; i < pages * PAGE_WORDS; i++)
		p[i] = (uint32_t)i;
	for (long s = 0; s < steps; s++) {
		for (long k = 0; k < rate; k++) {
			p[next * PAGE_WORDS + (size_t)(s % PAGE_WORDS)] += 1;
			next = (next + 1) % pages;
		}
		for (uint32_t i = 0; i < SPIN; i++)
			spin = spin + i;
	}
	for (size_t i = 0; i < pages * PAGE_WORDS; i++)
		sum = sum * 31u + p[i];
	/* Undo the writes in the same order: every word must be its index. */
	next = 0;
	for (long s = 0; s < steps; s++)
		for (long k = 0; k < rate; k++) {
			p[next * PAGE_WORDS + (size_t)(s % PAGE_WORDS)] -= 1;
			next = (next + 1) % pages;
		}
	for (size_t i = 0; i < pages * PAGE_WORDS; i++)
		bad += p[i] != (uint32_t)i;
	printf("dirtier: %ld KiB, %ld pages dirtied every step, %ld steps: %s, checksum %08x\n",
	       kib, rate, steps, bad ? "WRONG" : "every word checked", (unsigned)sum);
	free(p);
	return bad != 0;
}
