/*
 * pages.h - what the pages of a process (pages.c) offer beyond their
 * place among the kinds of object (crobj.h): the frames a set's restore
 * takes, and a pre-copy migration's rounds landed ahead.
 *
 * A pre-copy's target lands each round of pages (a pre-dump set: the
 * pages written since the round before, the others in-parent) as it
 * comes, into an address space of the cluster kept for the process
 * (kcr_space), while the process still runs on its source. Every round
 * must be the child of the one before (imgcheck_parent); pages a round
 * no longer lists are unmapped, and every page takes its region's
 * permissions. The last set, a dump, is then restored with
 * restore_opts.rounds: only its own pages land while the process is
 * frozen. The rounds hold frames of the cluster until they are freed
 * (or spent by a restore, which frees nothing: free them still).
 */
#ifndef PAGES_H
#define PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "images/imgset.h"
#include "kernel/kcr.h"

struct pages_rounds;
struct restore_opts;

/* Frames (user pages) restoring s takes. */
uint32_t pages_needed(const struct imgset *s);

/* Rounds to land on c. NULL if out of memory. */
struct pages_rounds *pages_rounds_new(struct cluster *c);
void pages_rounds_free(struct pages_rounds *st);

/* Lands round s (which st keeps, until the next round or free; on
 * error it is freed), its pages moved by o->xfer. 0, or -EINVAL (not
 * the child of the round before, or pages outside its regions), -EBADMSG
 * (a damaged page block), -ENOMEM (out of frames): st is then unusable
 * (free it); e says why. */
int pages_rounds_take(struct pages_rounds *st, struct imgset *s, const struct restore_opts *o,
                      struct crerr *e);

/* Pages the rounds hold now (0 once a restore took them). */
uint32_t pages_rounds_staged(const struct pages_rounds *st);

#endif /* PAGES_H */
