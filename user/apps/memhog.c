/*
 * memhog.c - takes a given amount of memory, touches every byte with a
 * pattern, then verifies it.
 *
 *   memhog KiB [PASSES]
 *
 * PASSES (default 1) verifications in a row keep it running for a while
 * with all its memory in use: a process to checkpoint (make bench).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long kib = argc > 1 ? atol(argv[1]) : 0, passes = argc > 2 ? atol(argv[2]) : 1;
	uint32_t *p;
	size_t words, bad = 0;

	if (kib <= 0 || passes <= 0) {
		fprintf(stderr, "usage: memhog KiB [PASSES]\n");
		return 2;
	}
	words = (size_t)kib * 256;
	p = malloc(words * 4);
	if (!p) {
		printf("memhog: cannot allocate %ld KiB: out of memory\n", kib);
		return 1;
	}
	for (size_t i = 0; i < words; i++)
		p[i] = (uint32_t)(i * 2654435761u);
	for (long k = 0; k < passes; k++)
		for (size_t i = 0; i < words; i++)
			bad += p[i] != (uint32_t)(i * 2654435761u);
	printf("memhog: %ld KiB touched and verified, %zu bad words\n", kib, bad);
	free(p);
	return bad != 0;
}
