/*
 * imgland.h - a restore's last step: the present pages of a set put into
 * the frames of the process being rebuilt, each moved by the target's
 * transport (a NoC portal on the board) straight into its frame. For a
 * set read by reference (imgset_read_inplace) each block is checked
 * against its checksum there, as it lands: a restore that gets an error
 * here must abandon what it built.
 */
#ifndef IMGLAND_H
#define IMGLAND_H

#include <stddef.h>
#include <stdint.h>

#include "diag/crerr.h"
#include "images/imgset.h"

struct imgland {
	/* The page-sized frame that backs user address va, or NULL. */
	uint8_t *(*frame)(void *ctx, uint32_t va);
	/* Moves count units of unit bytes, back to back at src (the
	 * stream), the k-th to dst[k] (the target): 0 or -errno. */
	int (*move)(void *ctx, void *const *dst, const void *src, size_t unit, unsigned count);
	void *ctx;
};

/* Lands every present page of s (where names s in messages): 0, or a
 * negative errno with e saying which block or page failed. */
int imgland_pages(const struct imgset *s, const struct imgland *l, const char *where,
                  struct crerr *e);

#endif /* IMGLAND_H */
