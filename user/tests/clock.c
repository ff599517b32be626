/* clock.c - modelled time: monotonic, advances with instructions, the
 * same on every run; wall-clock time through gettimeofday and time(). */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#include "nanvix/syscall.h"

int main(void)
{
	int64_t a[2], b[2];
	struct timeval tv;
	volatile unsigned spin = 0;
	volatile uintptr_t unmapped = 8; /* hides the bad pointer from gcc */

	if (nv_clock_gettime(ABI_CLOCK_MONOTONIC, a))
		return 1;
	for (unsigned i = 0; i < 400000; i++)
		spin += i;
	if (nv_clock_gettime(ABI_CLOCK_MONOTONIC, b))
		return 2;
	long long ns = (b[0] - a[0]) * 1000000000ll + (b[1] - a[1]);
	printf("monotonic advanced: %s\n", ns > 1000000 && ns < 100000000 ? "yes" : "no");
	printf("bad clock: %s\n", nv_clock_gettime(99, a) == -22 ? "EINVAL" : "accepted");
	printf("bad pointer: %s\n", nv_clock_gettime(ABI_CLOCK_MONOTONIC, (int64_t *)unmapped) == -14 ? "EFAULT" : "accepted");
	gettimeofday(&tv, NULL);
	printf("wall clock after 2020: %s\n", tv.tv_sec > 1577836800 && time(NULL) >= tv.tv_sec ? "yes" : "no");
	return 0;
}
