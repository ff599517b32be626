/*
 * runstats.h - the figures `manycore run --stats` and `--json` print once
 * the processes have ended: instructions and host time, modelled time,
 * kernel calls, memory, the core's decoded and translated code, the NoC.
 */
#ifndef RUNSTATS_H
#define RUNSTATS_H

#include <stdint.h>

struct board;

/* Prints the figures of a finished run of processes pids[0..n) on stderr
 * (stdout is the guests'), as text or as one JSON object. secs is the
 * host time the run took. */
void runstats_print(struct board *b, const uint32_t *pids, unsigned n, double secs, int json);

#endif /* RUNSTATS_H */
