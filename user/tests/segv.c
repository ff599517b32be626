/* segv.c - a load from an unmapped address kills the guest with a report. */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	volatile uintptr_t addr = 0x10; /* hides the bad pointer from gcc */
	volatile int *p = (volatile int *)addr;
	printf("before\n");
	fflush(stdout);
	return *p;
}
