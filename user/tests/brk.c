/* brk.c - the heap grows and shrinks with brk; growth past memory fails
 * cleanly with ENOMEM. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char *base = sbrk(0);
	char *p = sbrk(1 << 20);

	if (p != base)
		return 1;
	memset(p, 0xab, 1 << 20);
	printf("grew 1 MiB: %s\n", p[(1 << 20) - 1] == (char)0xab ? "ok" : "bad");
	if (sbrk(-(1 << 20)) == (void *)-1 || sbrk(0) != base)
		return 2;
	printf("shrank back\n");
	errno = 0;
	p = sbrk(0x40000000);
	printf("1 GiB: %s\n", p == (void *)-1 && errno == ENOMEM ? "ENOMEM" : "unexpected");
	p = sbrk(4096);
	p[0] = 1;
	printf("still usable\n");
	return 0;
}
