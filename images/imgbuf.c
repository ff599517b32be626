/*
 * imgbuf.c - a set's files in anonymous memory (see imgbuf.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diag/crerr.h"
#include "images/imgbuf.h"
#include "images/imgcheck.h"

int imgbuf_new(struct imgbuf *b, struct crerr *e)
{
	memset(b->map, 0, sizeof(b->map));
	for (int k = 0; k < IMGKIND_COUNT; k++)
		b->fd[k] = -1;
	for (int k = 0; k < IMGKIND_COUNT; k++)
		if ((b->fd[k] = memfd_create(imgkind_info(k)->file, MFD_CLOEXEC)) < 0) {
			int rc = -errno;
			imgbuf_free(b);
			return crerr_fail(e, rc, "cannot make an anonymous file for %s: %s",
			                  imgkind_info(k)->file, strerror(-rc));
		}
	return 0;
}

int imgbuf_read(struct imgbuf *b, const char *name, struct imgset **out, struct crerr *e)
{
	struct imgseg segs[IMGKIND_COUNT];
	struct imgsegs g;
	struct imgchan ch;
	size_t n = 0;

	*out = NULL;
	for (int k = 0; k < IMGKIND_COUNT; k++) {
		int rc = imgseg_map(b->fd[k], UINT64_MAX, &b->map[k]);
		if (rc < 0)
			return crerr_fail(e, rc, "%s: cannot map %s: %s", name,
			                  imgkind_info(k)->file, strerror(-rc));
		if (b->map[k].len)
			segs[n++] = b->map[k];
	}
	g = (struct imgsegs){ segs, n, 0, 0 };
	ch = imgchan_segs(&g);
	return imgset_read_inplace(&ch, name, out, e);
}

int imgbuf_store(struct imgbuf *b, const char *dir, const struct imgset *parent,
                 struct imgset **out, struct crerr *e)
{
	int rc = imgbuf_read(b, "dump", out, e);

	/* an incremental set must fit its parent before it is stored */
	if (rc == 0 && parent)
		rc = imgcheck_parent(*out, parent, dir, e);
	if (rc == 0)
		rc = imgset_store_files(dir, b->map, e);
	if (rc < 0) {
		imgset_free(*out);
		*out = NULL;
	}
	return rc;
}

void imgbuf_free(struct imgbuf *b)
{
	for (int k = 0; k < IMGKIND_COUNT; k++) {
		imgseg_unmap(&b->map[k]);
		if (b->fd[k] >= 0)
			close(b->fd[k]);
		b->fd[k] = -1;
	}
}
