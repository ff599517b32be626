/*
 * imgcheck.h - the rules an image set obeys beyond its framing
 * (docs/image-format.md, "Validation"): fields within the format's
 * limits, and the cross-references between files: threads and their
 * stacks, regions, pagemap runs inside regions, endpoints. Each broken
 * rule is one problem reported through the struct crerr (so a caller with
 * an each() callback sees them all).
 */
#ifndef IMGCHECK_H
#define IMGCHECK_H

#include "diag/crerr.h"

struct imgset;

/* Checks set s (where names it in messages: its directory or stream).
 * 0, or -EINVAL after reporting every problem found. */
int imgcheck_set(const struct imgset *s, const char *where, struct crerr *e);

/* 1 if s names an application (crtool run --app): 1 to CRIMG_APP_MAX
 * letters, digits, '.', '_' or '-'; else 0. */
int imgcheck_app_name(const char *s);

/* Checks that parent can be child's parent: same process, the id the
 * child names, and every page the child leaves in its parent is there. */
int imgcheck_parent(const struct imgset *child, const struct imgset *parent, const char *where,
                    struct crerr *e);

#endif /* IMGCHECK_H */
