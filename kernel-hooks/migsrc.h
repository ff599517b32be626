/*
 * migsrc.h - the source's side of a migration (migd.h, migwire.h): a
 * state machine for each process moving off a node, kept in the node's
 * daemon (d->out) and driven by its thread alone.
 *
 *   START    (asked: a START came, or the process called kmigrate_to)
 *     --step--> PREPARE sent        PREPARE
 *   PREPARE  READY -> a round (pre-copy) or the last; REFUSED -> end;
 *            no word in the answer timeout -> end (EHOSTDOWN)
 *   ROUND    TAKEN -> another round, or the last; REFUSED -> end
 *   LAST     RUNNING -> release the copy and end (post-copy: LAND);
 *            REFUSED -> thaw, end
 *   LAND     LANDED -> release the copy, end
 */
#ifndef MIGSRC_H
#define MIGSRC_H

#include <stdint.h>

struct migd;
struct migd_out;
struct migwire_msg;

/* A START from requester node via: the job begins at the next step, or
 * the requester hears why not. */
void migsrc_start(struct migd *d, const struct migwire_msg *msg, uint32_t via);

/* kmigrate_to's door (kcr_set_migrate, ctx the daemon): 0 if the job
 * begins, or why not (the call returns it). */
int migsrc_self(void *ctx, uint32_t pid, uint32_t node, uint32_t mode);

/* A target's word (READY, REFUSED, TAKEN, RUNNING, LANDED) on its job. */
void migsrc_heard(struct migd *d, const struct migwire_msg *msg);

/* Moves d's jobs on between messages: 1 if it did anything. */
int migsrc_step(struct migd *d);

/* 1 if d holds a job of pid (from any thread). */
int migsrc_holds(struct migd *d, uint32_t pid);

/* 1 if d moves pid and it does not run on its target yet (any thread). */
int migsrc_moving(struct migd *d, uint32_t pid);

/* 1 if a frozen process of d waits for its target's word (now: host ns). */
int migsrc_watching(struct migd *d, uint64_t now);

/* The host time by which a target's READY falls due (0: none). */
uint64_t migsrc_deadline(struct migd *d);

/* Frees a job (the daemons' end). */
void migsrc_free(struct migd_out *o);

#endif /* MIGSRC_H */
