/*
 * imgbuf.c - a set's files in anonymous memory (see imgbuf.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imgbuf.h"
#include "imgcheck.h"

int imgbuf_new(struct imgbuf *b, struct crimg_error *e)
{
	memset(b->map, 0, sizeof(b->map));
	for (int k = 0; k < IMGKIND_COUNT; k++)
		b->fd[k] = -1;
	for (int k = 0; k < IMGKIND_COUNT; k++)
		if ((b->fd[k] = memfd_create(imgkind_info(k)->file, MFD_CLOEXEC)) < 0) {
			int rc = -errno;
			imgbuf_free(b);
			return crimg_fail(e, rc, "cannot make an anonymous file for %s: %s",
					  imgkind_info(k)->file, strerror(-rc));
		}
	return 0;
}

int imgbuf_read(struct imgbuf *b, const char *name, struct imgset **out,
		struct crimg_error *e)
{
	struct imgseg segs[IMGKIND_COUNT];
	struct imgsegs g;
	struct imgchan ch;
	size_t n = 0;

	*out = NULL;
	for (int k = 0; k < IMGKIND_COUNT; k++) {
		struct stat st;
		void *p;
		if (fstat(b->fd[k], &st) < 0)
			return crimg_fail(e, -errno, "%s: %s: %s", name, imgkind_info(k)->file,
					  strerror(errno));
		if (st.st_size == 0)
			continue;
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED | MAP_POPULATE, b->fd[k],
			 0);
		if (p == MAP_FAILED)
			return crimg_fail(e, -errno, "%s: cannot map %s: %s", name,
					  imgkind_info(k)->file, strerror(errno));
		b->map[k] = (struct imgseg){ p, (size_t)st.st_size };
		segs[n++] = b->map[k];
	}
	g = (struct imgsegs){ segs, n, 0, 0 };
	ch = imgchan_segs(&g);
	return imgset_read_inplace(&ch, name, out, e);
}

int imgbuf_store(struct imgbuf *b, const char *dir, const struct imgset *parent,
		 struct imgset **out, struct crimg_error *e)
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
		if (b->map[k].len)
			munmap((void *)b->map[k].p, b->map[k].len);
		b->map[k] = (struct imgseg){ NULL, 0 };
		if (b->fd[k] >= 0)
			close(b->fd[k]);
		b->fd[k] = -1;
	}
}
