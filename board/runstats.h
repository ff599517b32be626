/*
 * runstats.h - the figures `manycore run --stats` and `--json` print once
 * the processes have ended: instructions and host time, modelled time,
 * kernel calls, memory, the core's decoded and translated code, the NoC.
 */
#ifndef RUNSTATS_H
#define RUNSTATS_H

#include <stdint.h>

struct board;

#include <stdio.h>

/* Prints the figures of a finished run of processes pids[0..n): as text
 * on stderr (stdout is the guests'), or as one JSON object
 * (manycore.run/1, docs/json.md) into json if not NULL. secs is the host
 * time the run took. */
void runstats_print(struct board *b, const uint32_t *pids, unsigned n, double secs, FILE *json);

#endif /* RUNSTATS_H */
