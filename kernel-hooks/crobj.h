/*
 * crobj.h - the kinds of object checkpoint and restore know, one file
 * each, as CRIU has them: the set's inventory (inventory.c), its figures
 * (stats.c), the process with its UArea and threads (process.c), its
 * memory map (mm.c), its pages (pages.c) and its IPC endpoints (ipc.c).
 * Each holds its capture into an image set, its checks of a set against
 * the target, and its restore into a process being rebuilt, side by
 * side, and registers them in crobjs[] with the image kinds it owns.
 *
 * capture.c and restore.c run these in the table's order, a stage each;
 * nothing else switches on the kind of object.
 */
#ifndef CROBJ_H
#define CROBJ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag/crerr.h"
#include "images/imgkind.h"
#include "images/imgset.h"
#include "kernel-hooks/capture.h"
#include "kernel-hooks/restore.h"
#include "kernel/kcr.h"
#include "noc/endpoints.h"

/* A capture in progress (capture.c): the process, frozen on its node,
 * and the set being made of it. */
struct crdump {
	struct cluster *c;
	uint32_t pid;
	const struct uarea *ua;
	const struct capture_opts *o;
	struct imgset *s;
};

/* A restore in progress (restore.c). The checks fill layout, slot_of
 * and nslots; the restores fill the build and its endpoints. */
struct crbuild {
	struct cluster *c;
	const struct profile *p; /* the target's profile */
	const struct imgset *s;
	const struct restore_opts *o;
	int *slot_of;        /* the set's thread i goes to slot slot_of[i] */
	unsigned nslots;     /* thread slots the process needs */
	struct kcr_build *b; /* the process being built */
	struct uarea *ua;    /* its UArea */
	struct noc_ep *eps;  /* its NoC endpoints, for the commit */
	uint32_t neps;
	struct crerr *e; /* why a step failed */
};

/* One kind of object: the image kinds it owns (the first its main one),
 * and its steps, each 0 or a negative errno; one it does not need is
 * NULL. A check or a restore that fails says why in r->e (and returns its
 * code). A check may not change the target; a restore's failure is undone
 * with the whole build. */
struct crobj {
	const char *name;
	enum imgkind kind[2];
	unsigned nkinds;
	int (*capture)(struct crdump *d);
	int (*check)(struct crbuild *r);
	int (*restore)(struct crbuild *r);
};

extern const struct crobj crobj_inventory, crobj_stats, crobj_process, crobj_mm, crobj_pages,
	crobj_ipc;

/* Every object, in the order a capture and a restore take them; NULL
 * after the last. */
extern const struct crobj *const crobjs[];

/* 1 if set s holds object ob (its main kind is one of s's kind's). */
int crobj_in(const struct crobj *ob, const struct imgset *s);

/* A copy of s for a message's string (NULL: ""), or NULL if out of memory. */
char *crobj_str(const char *s);

/* The region of s holding [va, va + len), or NULL (mm.c). */
const Crimg__Region *mm_region_of(const struct imgset *s, uint32_t va, uint64_t len);

/* Frees endpoints made for a commit (ipc.c): their messages point into
 * the set and are not freed. */
void ipc_eps_free(struct noc_ep *eps, uint32_t n);

#endif /* CROBJ_H */
