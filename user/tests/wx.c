/* wx.c - text is not writable: a store into main's own code faults. */
#include <stdio.h>

int main(void)
{
	volatile unsigned *code = (volatile unsigned *)(void *)main;
	*code = 0;
	printf("unreachable\n");
	return 0;
}
