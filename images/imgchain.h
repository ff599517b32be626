/*
 * imgchain.h - an image set with its parents (pre-dumps and earlier
 * dumps it leaves pages in), read and checked together, and the pages as
 * the newest set sees them.
 */
#ifndef IMGCHAIN_H
#define IMGCHAIN_H

#include <stdint.h>

#include "imgerr.h"
#include "imgparams.h"
#include "imgset.h"

struct imgchain {
	unsigned n;                             /* sets: [0] the newest */
	struct imgset *set[CRIMG_CHAIN_MAX];
	char *dir[CRIMG_CHAIN_MAX];
};

/* What a page is in a chain. */
enum imgpage {
	IMGPAGE_ABSENT = 0,     /* no run holds it */
	IMGPAGE_ZERO,
	IMGPAGE_PRESENT,
};

/*
 * Reads the set in dir and, following inventory.parent (relative to each
 * set's directory), every parent, checking each link (imgcheck_parent):
 * at most CRIMG_CHAIN_MAX sets, no cycles. *out on success (free with
 * imgchain_free); on failure every problem has gone to e.
 */
int imgchain_open(const char *dir, struct imgchain **out, struct crimg_error *e);

/* Frees c. NULL is ignored. */
void imgchain_free(struct imgchain *c);

/* Page vaddr as set `from` of c sees it, following in-parent runs; for a
 * present page *data points at its CRIMG_PAGE_SIZE bytes and *depth (if
 * not NULL) says which set holds them. */
enum imgpage imgchain_page(const struct imgchain *c, unsigned from, uint32_t vaddr,
			   const uint8_t **data, unsigned *depth);

/*
 * The set in dir, with its chain, as one stream that stands alone,
 * appended to m: a set without parents goes as its files are; a set
 * with parents has its in-parent pages merged in (raw) and names no
 * parent. *out is the newest set as read (with its parent, if it had
 * one; free with imgset_free).
 */
int imgchain_stream(const char *dir, struct imgmem *m, struct imgset **out,
		    struct crimg_error *e);

#endif /* IMGCHAIN_H */
