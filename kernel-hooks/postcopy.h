/*
 * postcopy.h - the pages a post-copy migration leaves on its source
 * (design.md §5). The process runs on the target at once; its pages
 * outside the stacks stay on the source, the process frozen there, until
 * the target has them all.
 *
 * On the source they are listed where they lie, in a table the target
 * reads across the portal (its address travels in the last OFFER,
 * migwire.h). On the target each comes when the process first touches it
 * (the fetch-on-fault backend of the page transfer, pagexfer.h: one
 * request, one portal read), and the target pulls the others in the
 * background, a few between two of its rounds. Every byte is a portal
 * transfer of the NoC model. Nothing is shared: the source's side is
 * its table and its frozen copy, which it releases when the target says
 * the pages have landed; the target's side is its own, used by its
 * thread alone.
 */
#ifndef POSTCOPY_H
#define POSTCOPY_H

#include <stdint.h>

#include "kernel-hooks/pagexfer.h"
#include "kernel/kcr.h"

struct noc;

/* ---- on the source ---- */

/* A page left behind, as the table lies on the source. */
struct postcopy_page {
	uint32_t va;
	uint32_t pad;
	uint64_t src; /* where its bytes lie, on the source */
};

struct postcopy_table {
	struct postcopy_page *page; /* ascending va */
	uint32_t n, cap;
};

/* Lists lazy page va at page (capture_opts.lazy, ctx the table): 0 or
 * -ENOMEM. */
int postcopy_table_add(void *table, uint32_t va, const uint8_t *page);
void postcopy_table_free(struct postcopy_table *t);

/* ---- on the target ---- */

struct postcopy;

/* The target's side of a post-copy of pid from node from to node to,
 * portal_max bytes at most a portal transfer. NULL if out of memory. */
struct postcopy *postcopy_new(struct noc *noc, uint32_t pid, uint32_t from, uint32_t to,
                              uint32_t portal_max);
void postcopy_free(struct postcopy *pc);

/* Reads the source's table of n pages at addr (its memory) across the
 * portal: 0 or -ENOMEM. */
int postcopy_read_table(struct postcopy *pc, uint64_t addr, uint32_t n);

/* After the restore and before the process runs: takes note of the
 * frame each lazy page lands in, in one walk of pid's page tables on c
 * (one that is not a remote page there is dropped). */
void postcopy_bind(struct postcopy *pc, struct cluster *c);

/* The fetch-on-fault backend of the page transfer (pagexfer.h), the
 * filler of the process's remote pages (restore_opts.lazy): a page that
 * has landed is merely mapped, any other comes across now. */
struct pagexfer *postcopy_xfer(struct postcopy *pc);

/* Pulls up to max pages not yet on the target into their frames and
 * maps them (kcr_pages_fetch, which finds them landed): how many came. */
unsigned postcopy_pull(struct postcopy *pc, struct cluster *c, unsigned max);

/* 1 once no page will come any more: every one is in, the process left
 * the target, or the source was cut off (its missing pages are lost). */
int postcopy_settled(struct postcopy *pc);

/* 1 once the process's address space asks nothing more of pc (its filler
 * was told it is done): only then may pc be freed, but with the board. */
int postcopy_released(struct postcopy *pc);

/* The source fails once n pages have left it (fault injection; 0: at
 * once): from then on nothing more comes from it, and a page the target
 * still lacks is lost (the process dies when it touches one). */
void postcopy_cut_after(struct postcopy *pc, uint32_t n);

struct postcopy_stats {
	uint32_t pid;
	uint32_t pages;    /* lazy pages */
	uint32_t fetched;  /* brought when the target touched them */
	uint32_t pulled;   /* brought in the background */
	uint32_t lost;     /* still on a source that failed (or past a NoC that did) */
	uint64_t bytes;    /* portal bytes */
	uint64_t model_ns; /* modelled NoC time of the requests and transfers */
};
void postcopy_get_stats(struct postcopy *pc, struct postcopy_stats *st);

#endif /* POSTCOPY_H */
