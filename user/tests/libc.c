/*
 * libc.c - picolibc on the core: formatting, strings, sorting, 64-bit
 * arithmetic (libgcc helpers), errno in TLS, and the heap.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int main(void)
{
	int v[8] = { 5, -3, 99, 0, 42, -100, 7, 7 };
	char buf[64];
	uint64_t big = 0x123456789abcdefull;
	int64_t neg = -9000000000ll;
	char *blocks[32];

	qsort(v, 8, sizeof(int), cmp_int);
	for (int i = 0; i < 8; i++)
		printf("%d%c", v[i], i == 7 ? '\n' : ' ');
	snprintf(buf, sizeof(buf), "[%5s|%-5s|%05d|%x|%o]", "ab", "cd", 42, 255u, 8u);
	printf("%s\n", buf);
	printf("%" PRIu64 " %" PRId64 " %" PRIu64 " %" PRId64 "\n", big / 7, neg / 7, big % 1000,
	       neg % 1000);
	printf("%ld %lu\n", strtol("-12345", NULL, 10), strtoul("ff", NULL, 16));
	printf("%s %zu %d\n", strstr("checkpoint/restore", "restore"), strlen("nanvix"),
	       memcmp("abc", "abd", 3) < 0);
	errno = 0;
	strtol("99999999999999999999", NULL, 10);
	printf("errno %s\n", errno == ERANGE ? "ERANGE" : "wrong");
	for (int i = 0; i < 32; i++) {
		blocks[i] = malloc(1000 + 100 * i);
		if (!blocks[i])
			return 2;
		memset(blocks[i], i, 1000 + 100 * i);
	}
	for (int i = 0; i < 32; i++) {
		if (blocks[i][999] != i)
			return 3;
		free(blocks[i]);
	}
	printf("heap ok\n");
	return 0;
}
