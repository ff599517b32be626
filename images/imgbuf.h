/*
 * imgbuf.h - a set's files in anonymous memory (one memfd per kind),
 * for a writer in another process: crtool passes the descriptors to the
 * board, whose I/O node writes the files of a dump into them, then reads
 * the set where it lies and stores it as a directory (imgset_store_files).
 */
#ifndef IMGBUF_H
#define IMGBUF_H

#include "diag/crerr.h"
#include "images/imgchan.h"
#include "images/imgkind.h"
#include "images/imgset.h"

struct imgbuf {
	int fd[IMGKIND_COUNT];            /* one empty anonymous file per kind */
	struct imgseg map[IMGKIND_COUNT]; /* their contents, once mapped */
};

/* Makes b's files. 0, or -errno with e saying why. */
int imgbuf_new(struct imgbuf *b, struct crerr *e);

/*
 * After the writer is done: maps the files and reads the set they hold
 * (name in messages), checking its framing, its entries and the rules
 * but not the page payloads (imgset_read_inplace: *out refers to b).
 */
int imgbuf_read(struct imgbuf *b, const char *name, struct imgset **out, struct crerr *e);

/* imgbuf_read (named "dump"), then, if parent is not NULL, a check that
 * the set fits it (imgcheck_parent), then imgset_store_files as dir.
 * *out is the set read, or NULL on error. */
int imgbuf_store(struct imgbuf *b, const char *dir, const struct imgset *parent,
                 struct imgset **out, struct crerr *e);

/* Unmaps and closes everything. */
void imgbuf_free(struct imgbuf *b);

#endif /* IMGBUF_H */
