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

#include "crtool/client.h"

#define PROGRESS_AFTER_MS 300

/*
 * Reads the reply to the request just sent to cl's board, as client_next
 * does (same want, *rp and status), showing meanwhile that what (e.g.
 * "dump of pid 5") is under way; fds (n of them, or NULL) are files whose
 * sizes grow as the work is done, shown as MiB of images written. The
 * line is erased before it returns.
 */
int progress_next(struct client *cl, const char *what, const int *fds, unsigned n,
                  Crtool__Reply__RepCase want, Crtool__Reply **rp);

#endif /* PROGRESS_H */
