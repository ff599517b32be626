/*
 * kclock.h - the kernel's clocks. Modelled time derives from retired
 * instructions at the core's clock (core_params.h), so guest-visible time
 * is deterministic; host time is for measuring the emulation itself.
 */
#ifndef KCLOCK_H
#define KCLOCK_H

#include <stdint.h>

struct uthread;

/* Modelled monotonic time of thread t, in ns. */
uint64_t kclock_ns(const struct uthread *t);

/* ns of cycles, and the first cycle at which a deadline in ns is reached. */
uint64_t kclock_cycles_ns(uint64_t cycles);
uint64_t kclock_cycles_at(uint64_t ns);

/* The host's monotonic clock, in ns: for figures of the emulation
 * (downtimes, freeze times), never for guest-visible time. */
uint64_t kclock_host_ns(void);

#endif /* KCLOCK_H */
