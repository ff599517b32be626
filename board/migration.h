/*
 * migration.h - live migration on a board: the board's I/O node asks the
 * migration daemon of the process's node (kernel-hooks/migd.h), which
 * moves it cluster to cluster; the board keeps its records and waits for
 * the answer.
 */
#ifndef MIGRATION_H
#define MIGRATION_H

#include <stddef.h>
#include <stdint.h>

#include "kernel-hooks/migd.h"

struct board;
struct crerr;

/* Migration modes and figures: the migration daemons' (kernel-hooks/migd.h). */

/*
 * Moves running process pid to compute node to: the request goes from
 * the board's I/O node to the migration daemon of pid's node, which moves
 * it to to's daemon cluster to cluster over the NoC, no files and no
 * crtool in the data path (kernel-hooks/migd.h): the same capture and
 * image stream as a dump, read and checked on to, each page block moved
 * into the new frames there. Pre-copy sends rounds of its pages while it
 * runs first, at most max_rounds (0: MIGD_ROUNDS), until few are written
 * between two rounds; then the rest as stop-copy. Post-copy sends its
 * UArea and the pages of its stacks, and it runs on to at once; the
 * other pages follow (kernel-hooks/postcopy.h), and the source's copy is
 * freed once they are all there. The target takes over the process's NoC
 * presence, with whatever was queued for it meanwhile, and the name
 * service learns the new node; it runs there, and only then is the
 * source's copy freed. With node threads this returns when the whole
 * move is over, with its figures; in run mode as soon as the process
 * runs on to (post-copy's pages follow as the board runs). If anything
 * fails before it runs there, it runs on where it was, nothing lost.
 * Errors: -ESRCH (no such running process), -EINVAL (to is not a compute
 * node or is where pid runs), -EBUSY (pid is being migrated already),
 * -EAGAIN (to runs its limit of processes), -ENOMEM (not enough memory
 * there), -ENOSPC (no free NoC endpoints there), -EPROTO (the process
 * does not fit to), -EIO (a transfer failed), -EHOSTDOWN (a node was
 * lost), -ECANCELED (the board stopped); e says what happened.
 */
int migration_run(struct board *b, uint32_t pid, uint32_t to, enum migd_mode mode,
                  uint32_t max_rounds, struct migd_result *r, struct crerr *e);

/* Starts the clusters' migration daemons (b->migd): 0 or -ENOMEM. At
 * the board's boot. */
int migration_init(struct board *b);

#endif /* MIGRATION_H */
