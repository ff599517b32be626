/*
 * nanvix/sys/perf.h - the clock and the performance counters. The board
 * counts cycles (PERF_CYCLES) and retired instructions (PERF_INSTRUCTIONS)
 * of the calling thread.
 */
#ifndef NANVIX_SYS_PERF_H
#define NANVIX_SYS_PERF_H

#include "nanvix/kernel/kernel.h"

#define PERF_CYCLES 0
#define PERF_INSTRUCTIONS 1
#define PERF_EVENTS_MAX 2
#define PERF_MONITORS_NUM 2

/* 0; -EINVAL (no such monitor or event), -EBUSY (the monitor runs). */
int kstats(uint64_t *buffer, int perf);
int perf_start(int perf, int event);
int perf_stop(int perf);
int perf_restart(int perf);
uint64_t perf_read(int perf);
int kclock(uint64_t *buffer);

#endif /* NANVIX_SYS_PERF_H */
