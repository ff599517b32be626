/*
 * migdst.h - the target's side of a migration (migd.h, migwire.h): a
 * state machine for each process moving onto a node, kept in the node's
 * daemon (d->in) and driven by its thread alone.
 *
 *   (none)   PREPARE -> READY (room, frames warmed, the stream watched
 *            for) or REFUSED (the pid's copy still drains from here, or
 *            no room)
 *   READY    OFFER round -> land it, TAKEN (ROUNDS); OFFER last ->
 *            rebuild, RUNNING (post-copy: LANDING) or REFUSED
 *   ROUNDS   OFFER round -> TAKEN; OFFER last -> as from READY
 *   LANDING  (post-copy, between rounds) pull pages; all in, or none
 *            will come -> LANDED; gone once the process asks no more
 *   any      ABORT -> forgotten (but a LANDING one)
 */
#ifndef MIGDST_H
#define MIGDST_H

#include <stdint.h>

struct migd;
struct migd_in;
struct migwire_msg;

/* A source's PREPARE, OFFER and ABORT. */
void migdst_prepared(struct migd *d, const struct migwire_msg *msg, uint32_t from);
void migdst_offered(struct migd *d, const struct migwire_msg *msg, uint32_t from);
void migdst_aborted(struct migd *d, const struct migwire_msg *msg, uint32_t from);

/* Moves d's post-copies on between rounds: 1 if it did anything. */
int migdst_step(struct migd *d);

/* 1 if a stream is due here soon (now: host ns). */
int migdst_watching(struct migd *d, uint64_t now);

/* Frees a job (the daemons' end). */
void migdst_free(struct migd_in *in);

#endif /* MIGDST_H */
