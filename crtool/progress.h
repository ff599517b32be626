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

#include <stdint.h>

#include "client.h"

#define PROGRESS_AFTER_MS 300

struct progress {
	const char *what;       /* e.g. "dump of pid 5" */
	const int *fds;         /* files whose sizes are the bytes done (NULL: none) */
	unsigned nfds;
	uint64_t t0;            /* ns */
	int tty, shown;
	unsigned after_ms;      /* shown from then on */
};

/* Starts p for what; fds (n of them, or NULL) grow as the work is done. */
void progress_start(struct progress *p, const char *what, const int *fds, unsigned n);

/* Waits until cl's board has a reply ready, showing p meanwhile. CRT_OK
 * (the reply is then read as usual), or CRT_PROTOCOL if the wait fails. */
int progress_wait(struct progress *p, struct client *cl);

/* Clears p's line, if it showed one. */
void progress_end(struct progress *p);

#endif /* PROGRESS_H */
