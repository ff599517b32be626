/*
 * kclock.c - the kernel's clocks (see kclock.h).
 */
#include <time.h>

#include "kernel/kclock.h"
#include "kernel/uarea.h"
#include "params/core_params.h"

uint64_t kclock_cycles_ns(uint64_t cy)
{
	return cy / CORE_CLOCK_HZ * 1000000000ull +
	       cy % CORE_CLOCK_HZ * 1000000000ull / CORE_CLOCK_HZ;
}

uint64_t kclock_ns(const struct uthread *t)
{
	return kclock_cycles_ns(t->hart.clock);
}

uint64_t kclock_cycles_at(uint64_t ns)
{
	/* Rounded up: the deadline is reached at the first cycle at or after it. */
	return ns / 1000000000ull * CORE_CLOCK_HZ +
	       (ns % 1000000000ull * CORE_CLOCK_HZ + 999999999ull) / 1000000000ull;
}

uint64_t kclock_host_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}
