/*
 * progress.h - a long operation's progress on a terminal: while crtool
 * waits for the board's reply to a dump, restore or migration, one line
 * of stderr says what is under way and for how long (a dump: how much of
 * its images the board has written so far). Nothing is shown in the
 * first PROGRESS_AFTER_MS (or $CRTOOL_PROGRESS_AFTER_MS), nor when stderr
 * is not a terminal (piped, scripted): the output then stays exactly as
 * without it.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include "libcrtool/libcrtool.h"

#define PROGRESS_AFTER_MS 300

/* Has b's long calls show their progress (if stderr is a terminal). */
void progress_attach(crt_board *b);

/* Erases the line, if one was drawn (after each long call). */
void progress_end(void);

#endif /* PROGRESS_H */
