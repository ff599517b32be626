/*
 * runmode.h - run mode (manycore run): the caller's thread drives every
 * cluster, a round of each in node order and then the migration daemons'
 * steps, so that a run is the same each time.
 */
#ifndef RUNMODE_H
#define RUNMODE_H

struct board;

/* Runs until every process has ended; processes left blocked for good
 * are killed (KILL_DEADLOCK), their threads listed on the log. Not with
 * board_start. */
void runmode_run(struct board *b);

#endif /* RUNMODE_H */
