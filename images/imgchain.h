/*
 * imgchain.h - an image set with its parents (pre-dumps and earlier
 * dumps it leaves pages in), read and checked together, and the pages as
 * the newest set sees them.
 */
#ifndef IMGCHAIN_H
#define IMGCHAIN_H

#include <stdint.h>

#include "diag/crerr.h"
#include "images/imgparams.h"
#include "images/imgset.h"

struct imgchain {
	unsigned n; /* sets: [0] the newest */
	struct imgset *set[CRIMG_CHAIN_MAX];
	char *dir[CRIMG_CHAIN_MAX];
};

/* What a page is in a chain. */
enum imgpage {
	IMGPAGE_ABSENT = 0, /* no run holds it */
	IMGPAGE_ZERO,
	IMGPAGE_PRESENT,
};

/*
 * Reads the set in dir and, following inventory.parent (relative to each
 * set's directory), every parent, checking each link (imgcheck_parent):
 * at most CRIMG_CHAIN_MAX sets, no cycles. *out on success (free with
 * imgchain_free); on failure every problem has gone to e.
 */
int imgchain_open(const char *dir, struct imgchain **out, struct crerr *e);

/*
 * As imgchain_open, but going on past a set that cannot be read to its
 * parent (named by its inventory, if that can be read), so that every
 * problem of the chain goes to e (crtool verify): 0, or the first
 * problem's code. *out is the chain as far as it was read (a damaged set
 * there holds its inventory alone; none if even the first inventory
 * could not be read), to free with imgchain_free, whatever the result.
 */
int imgchain_verify(const char *dir, struct imgchain **out, struct crerr *e);

/* An empty chain, built in memory (a pre-copy migration's rounds); NULL
 * if out of memory. */
struct imgchain *imgchain_new(void);

/* Adds s as c's newest set (c takes it; name names it in messages): the
 * first set of c, or a child of c's newest (imgcheck_parent). On error
 * c is unchanged and s is freed. */
int imgchain_push(struct imgchain *c, struct imgset *s, const char *name, struct crerr *e);

/* Frees c. NULL is ignored. */
void imgchain_free(struct imgchain *c);

/* Page vaddr as set `from` of c sees it, following in-parent runs; for a
 * present page *data points at its CRIMG_PAGE_SIZE bytes and *depth (if
 * not NULL) says which set holds them. */
enum imgpage imgchain_page(const struct imgchain *c, unsigned from, uint32_t vaddr,
                           const uint8_t **data, unsigned *depth);

/*
 * The set in dir, with its chain, as a stream that stands alone, given as
 * open files (fds, IMGKIND_COUNT at most; *n of them) whose contents
 * back to back are the stream: a set without parents is its own files,
 * opened and not read (the reader of the stream checks them); a set with
 * parents is read with them, its in-parent pages merged in (raw), and
 * written as one anonymous file that names no parent. *head is the
 * set's inventory (a set holding only that; free with imgset_free). The
 * caller closes the files.
 */
int imgchain_stream_files(const char *dir, int *fds, size_t *n, struct imgset **head,
                          struct crerr *e);

#endif /* IMGCHAIN_H */
