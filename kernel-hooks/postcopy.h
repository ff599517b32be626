/*
 * postcopy.h - the pages of a process that moved by post-copy migration
 * (design.md §5). The process runs on the target at once; its pages
 * outside the stacks stay on the source node, the process frozen there,
 * until they come across the kernel portal: a page the target touches
 * first is fetched at once (one request, one portal write), and the
 * source pushes the others in the background, which the target maps
 * when they have landed. Every byte is a portal write of the NoC model.
 *
 * Both nodes' kernels use one of these, each holding a reference; a lock
 * keeps them apart. The
 * source keeps its frozen copy until postcopy_push says every page has
 * left it (or the target no longer needs any), then releases it.
 */
#ifndef POSTCOPY_H
#define POSTCOPY_H

#include <stdint.h>

#include "kernel/kcr.h"

struct noc;
struct postcopy;

/* A post-copy of pid from node from to node to, portal_max bytes at most
 * a portal write, with one reference (the source's). NULL if out of
 * memory. */
struct postcopy *postcopy_new(struct noc *noc, uint32_t pid, uint32_t from, uint32_t to,
                              uint32_t portal_max);
/* Another reference (the target's: it may fill pages as long as the
 * process lives there). */
void postcopy_hold(struct postcopy *pc);
/* Drops a reference; the last frees pc. NULL is ignored. */
void postcopy_put(struct postcopy *pc);

/* On the source, while capturing (capture_opts.lazy, ctx pc): lazy page
 * va lies at page (the frozen process's memory). 0 or -ENOMEM. */
int postcopy_add(void *pc, uint32_t va, const uint8_t *page);

/* On the target, after the restore and before the process runs: takes
 * note of the frame each lazy page lands in (one that is not a remote
 * page of pid on c is dropped). */
void postcopy_bind(struct postcopy *pc, struct cluster *c);

/* The target's filler of remote pages (restore_opts.fill, ctx pc): a page
 * that has landed is merely mapped, any other comes across now. */
int postcopy_fill(void *pc, uint32_t va, uint8_t *frame);

/* On the source: pushes up to max pages not yet on the target into their
 * frames there. Returns the pages pushed; 0 once none is left to push
 * (every page is on the target, or the target needs none any more, or
 * the source is cut off), when the source may release its copy. */
unsigned postcopy_push(struct postcopy *pc, unsigned max);

/* On the target: maps the pages that have landed since (kcr_fill_page).
 * Returns 1 while the target may still need pages or call postcopy_fill,
 * 0 once it never will (all of them are in, or the process left the
 * target): only then may pc be freed. */
int postcopy_land(struct postcopy *pc, struct cluster *c);

/* The source fails once n pages have left it (fault injection; 0: at
 * once): from then on nothing more comes from it, and a page the target
 * still lacks is lost (the process dies when it touches one). */
void postcopy_cut_after(struct postcopy *pc, uint32_t n);

/* The source is cut off (postcopy_cut_after). */
int postcopy_is_cut(struct postcopy *pc);

struct postcopy_stats {
	uint32_t pid;
	uint32_t pages;    /* lazy pages */
	uint32_t fetched;  /* brought by a fault on the target */
	uint32_t pushed;   /* brought by the source's push */
	uint64_t bytes;    /* portal bytes */
	uint64_t model_ns; /* modelled NoC time of the requests and writes */
};
void postcopy_get_stats(struct postcopy *pc, struct postcopy_stats *st);

#endif /* POSTCOPY_H */
