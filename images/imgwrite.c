/*
 * imgwrite.c - image sets written: as a stream, as files, as a directory
 * made atomically (see imgset.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag/crerr.h"
#include "images/imgcheck.h"
#include "images/imgenc.h"
#include "images/imgparams.h"
#include "images/imgset.h"
#include "images/pageblock.h"

static int write_msgs(struct imgenc *enc, void *const *m, size_t n, struct crerr *e)
{
	int rc;

	for (size_t i = 0; i < n; i++)
		if ((rc = imgenc_entry(enc, m[i], e)) < 0)
			return rc;
	return 0;
}

static int write_pages(const struct imgset *s, struct imgenc *enc, const struct imgset_opts *o,
                       struct crerr *e)
{
	uint32_t per = o && o->block_pages ? o->block_pages : CRIMG_BLOCK_PAGES_DEFAULT;
	uint64_t stored = 0;
	struct pageblock_codec *c;
	uint8_t *gather = NULL;
	int rc = 0;

	if (per > CRIMG_BLOCK_PAGES_MAX)
		return crerr_fail(e, -EINVAL, "blocks of %u pages asked (at most %u)", per,
		                  CRIMG_BLOCK_PAGES_MAX);
	if (!(c = pageblock_codec_new()))
		return crerr_fail(e, -ENOMEM, "out of memory for the page codec");
	if (s->page_at && o && o->level > 0 && !(gather = malloc((size_t)per * CRIMG_PAGE_SIZE)))
		rc = crerr_fail(e, -ENOMEM, "out of memory for a page block");
	for (uint32_t first = 0; first < s->npages && rc == 0; first += per) {
		uint32_t n = s->npages - first < per ? s->npages - first : per;
		const uint8_t *const *at = s->page_at ? s->page_at + first : NULL;
		const uint8_t *raw = s->pages ? s->pages + (size_t)first * CRIMG_PAGE_SIZE : NULL;
		Crimg__PageBlock h;
		const void *payload;
		if (at && o && o->level > 0) {
			/* zstd packs a contiguous block: gather it */
			for (uint32_t j = 0; j < n; j++)
				memcpy(gather + (size_t)j * CRIMG_PAGE_SIZE, at[j],
				       CRIMG_PAGE_SIZE);
			raw = gather;
			at = NULL;
		}
		rc = at ? pageblock_encode_parts(at, first, n, &h, e)
		        : pageblock_encode(c, raw, first, n, o ? o->level : 0, &h, &payload, e);
		if (rc == 0)
			rc = imgenc_entry(enc, &h.base, e);
		if (rc == 0)
			rc = at ? imgenc_payload_parts(enc, at, CRIMG_PAGE_SIZE, n, e)
			        : imgenc_payload(enc, payload, h.stored_length, e);
		stored += h.stored_length;
	}
	free(gather);
	pageblock_codec_free(c);
	if (rc == 0 && s->stats)
		s->stats->bytes_stored = stored; /* known only now, before stats.img */
	return rc;
}

/* Writes the file of kind k (begin, entries, end), as the table of
 * kinds says the set holds them. */
static int write_kind(const struct imgset *s, struct imgenc *enc, enum imgkind k,
                      const struct imgset_opts *o, struct crerr *e)
{
	struct imgset_slot at = imgset_slot((struct imgset *)s, k);
	int rc = imgenc_begin(enc, k, e);

	if (rc < 0)
		return rc;
	if (k == IMGKIND_STATS && o && o->before_stats)
		o->before_stats(o->ctx, s->stats);
	switch (imgkind_info(k)->holds) {
	case IMGKIND_ONE: rc = imgenc_entry(enc, *at.one, e); break;
	case IMGKIND_MANY: rc = write_msgs(enc, *at.many, *at.n, e); break;
	case IMGKIND_BLOCKS: rc = write_pages(s, enc, o, e); break;
	}
	return rc < 0 ? rc : imgenc_end(enc, e);
}

/* A writer writes only what it could read back. */
static int write_check(const struct imgset *s, const char *where, struct crerr *e)
{
	if (!s->inventory || !s->stats || (imgset_has_kind(s, IMGKIND_UAREA) && !s->uarea))
		return crerr_fail(e, -EINVAL, "%s: the set lacks its %s", where,
		                  !s->inventory ? "inventory"
		                  : !s->stats   ? "stats"
		                                : "uarea");
	return imgcheck_set(s, where, e);
}

int imgset_write_stream(const struct imgset *s, const struct imgchan *ch, const char *name,
                        const struct imgset_opts *o, struct crerr *e)
{
	struct imgenc *enc;
	int rc;

	if ((rc = write_check(s, name, e)) < 0)
		return rc;
	if (!(enc = imgenc_new(ch, name)))
		return crerr_fail(e, -ENOMEM, "%s: out of memory", name);
	for (int k = 0; k < IMGKIND_COUNT && rc == 0; k++)
		if (imgset_has_kind(s, k))
			rc = write_kind(s, enc, k, o, e);
	imgenc_free(enc);
	return rc;
}

/* Removes directory tmp and the image files in it. */
void imgset_remove_dir(const char *tmp)
{
	char path[PATH_MAX + 64];

	for (int k = 0; k < IMGKIND_COUNT; k++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, imgkind_info(k)->file);
		unlink(path);
	}
	rmdir(tmp);
}

/* 0 if dir does not exist or is an empty directory. */
int imgset_dir_free(const char *dir, struct crerr *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		return crerr_fail(e, -errno, "%s: %s", dir,
		                  errno == ENOTDIR ? "exists and is not a directory"
		                                   : strerror(errno));
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			rc = crerr_fail(e, -EEXIST,
			                "%s: directory is not empty (holds '%s'); images go to "
			                "a new or empty directory",
			                dir, de->d_name);
			break;
		}
	closedir(d);
	return rc;
}

/* A set's files being written: a temporary directory beside the target
 * holding one open, empty file per kind. */
struct imgset_files {
	char tmp[PATH_MAX];
	int fd[IMGKIND_COUNT];
};

static void files_close(struct imgset_files *f)
{
	for (int k = 0; k < IMGKIND_COUNT; k++) {
		if (f->fd[k] >= 0)
			close(f->fd[k]);
		f->fd[k] = -1;
	}
}

/* Makes f's directory beside dir (which must not exist or be empty) and its files. */
static int files_begin(const char *dir, struct imgset_files *f, struct crerr *e)
{
	char path[PATH_MAX + 64];
	int rc, n;

	for (int k = 0; k < IMGKIND_COUNT; k++)
		f->fd[k] = -1;
	if ((rc = imgset_dir_free(dir, e)) < 0)
		return rc;
	n = snprintf(f->tmp, sizeof(f->tmp), "%s.tmp-XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(f->tmp) - 64)
		return crerr_fail(e, -ENAMETOOLONG, "%s: path too long", dir);
	if (!mkdtemp(f->tmp))
		return crerr_fail(e, -errno,
		                  "%s: cannot create a temporary directory beside it: %s", dir,
		                  strerror(errno));
	for (int k = 0; k < IMGKIND_COUNT; k++) {
		snprintf(path, sizeof(path), "%s/%s", f->tmp, imgkind_info(k)->file);
		f->fd[k] = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (f->fd[k] < 0) {
			rc = crerr_fail(e, -errno, "%s: cannot create: %s", path, strerror(errno));
			files_close(f);
			imgset_remove_dir(f->tmp);
			return rc;
		}
	}
	return 0;
}

/* Drops the empty files of f (kinds the set does not have). */
static int files_drop_empty(struct imgset_files *f, const char *dir, struct crerr *e)
{
	char path[PATH_MAX + 64];
	struct stat st;

	for (int k = 0; k < IMGKIND_COUNT; k++) {
		if (fstat(f->fd[k], &st) < 0)
			return crerr_fail(e, -errno, "%s/%s: %s", dir, imgkind_info(k)->file,
			                  strerror(errno));
		if (st.st_size == 0) {
			snprintf(path, sizeof(path), "%s/%s", f->tmp, imgkind_info(k)->file);
			unlink(path);
			close(f->fd[k]);
			f->fd[k] = -1;
		}
	}
	return 0;
}

int imgset_sync_dir(const char *dir, struct crerr *e)
{
	char parent[PATH_MAX];
	int pfd, rc = 0;

	snprintf(parent, sizeof(parent), "%s", dir);
	pfd = open(dirname(parent), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0 || syncfs(pfd) < 0)
		rc = crerr_fail(e, -errno, "%s: syncing the images failed: %s", dir,
		                strerror(errno));
	if (pfd >= 0)
		close(pfd);
	return rc;
}

/*
 * After the files were written (rc): with rc 0, keeps the files written
 * (removes the empty ones), renames the directory to dir and makes it all
 * durable with one syncfs: one journal commit, where an fsync per file,
 * per directory and after the rename cost one each. Until syncfs returns
 * nobody is told the images are stored; a crash before then leaves no
 * directory, or (on a file system that may commit the rename before the
 * data) one whose checksums give it away. With rc < 0, or if any step
 * fails, removes everything. Either way the descriptors are closed.
 */
static int files_commit(struct imgset_files *f, const char *dir, int rc, struct crerr *e)
{
	const char *at = f->tmp;

	if (rc == 0)
		rc = files_drop_empty(f, dir, e);
	for (int k = 0; k < IMGKIND_COUNT; k++) {
		if (f->fd[k] >= 0 && close(f->fd[k]) < 0 && rc == 0)
			rc = crerr_fail(e, -errno, "%s/%s: close failed: %s", dir,
			                imgkind_info(k)->file, strerror(errno));
		f->fd[k] = -1;
	}
	if (rc == 0 && rename(f->tmp, dir) < 0)
		rc = crerr_fail(e, -errno, "%s: cannot move the images into place: %s", dir,
		                strerror(errno));
	if (rc == 0) {
		at = dir;
		rc = imgset_sync_dir(dir, e);
	}
	if (rc < 0)
		imgset_remove_dir(at);
	return rc;
}

int imgset_write_files(const struct imgset *s, const struct imgchan *files, const char *name,
                       const struct imgset_opts *o, struct crerr *e)
{
	char where[PATH_MAX + 64];
	int rc;

	if ((rc = write_check(s, name, e)) < 0)
		return rc;
	for (int k = 0; k < IMGKIND_COUNT && rc == 0; k++) {
		struct imgenc *enc;
		if (!imgset_has_kind(s, k))
			continue;
		snprintf(where, sizeof(where), "%s/%s", name, imgkind_info(k)->file);
		if (!(enc = imgenc_new(&files[k], where)))
			return crerr_fail(e, -ENOMEM, "%s: out of memory", where);
		rc = write_kind(s, enc, k, o, e);
		imgenc_free(enc);
	}
	return rc;
}

int imgset_store_files(const char *dir, const struct imgseg *files, struct crerr *e)
{
	struct imgset_files f;
	int rc = files_begin(dir, &f, e);

	if (rc < 0)
		return rc;
	for (int k = 0; k < IMGKIND_COUNT && rc == 0; k++) {
		struct imgchan ch = imgchan_fd(f.fd[k]);
		if (files[k].len && (rc = ch.write(ch.ctx, files[k].p, files[k].len)) < 0)
			rc = crerr_fail(e, rc, "%s/%s: write failed: %s", dir,
			                imgkind_info(k)->file, strerror(-rc));
	}
	return files_commit(&f, dir, rc, e);
}

int imgset_put_files(const char *dir, const struct imgseg *files, struct crerr *e)
{
	char path[PATH_MAX + 64];
	int rc = 0;

	if (mkdir(dir, 0755) < 0)
		return crerr_fail(e, -errno, "%s: cannot create: %s", dir, strerror(errno));
	for (int k = 0; k < IMGKIND_COUNT && rc == 0; k++) {
		struct imgchan ch;
		int fd;
		if (!files[k].len)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, imgkind_info(k)->file);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
			rc = crerr_fail(e, -errno, "%s: cannot create: %s", path, strerror(errno));
			break;
		}
		ch = imgchan_fd(fd);
		if ((rc = ch.write(ch.ctx, files[k].p, files[k].len)) < 0)
			rc = crerr_fail(e, rc, "%s: write failed: %s", path, strerror(-rc));
		if (close(fd) < 0 && rc == 0)
			rc = crerr_fail(e, -errno, "%s: close failed: %s", path, strerror(errno));
	}
	if (rc < 0)
		imgset_remove_dir(dir);
	return rc;
}

int imgset_write_dir(const struct imgset *s, const char *dir, const struct imgset_opts *o,
                     struct crerr *e)
{
	struct imgchan ch[IMGKIND_COUNT];
	struct imgset_files f;
	int rc;

	if ((rc = write_check(s, dir, e)) < 0 || (rc = files_begin(dir, &f, e)) < 0)
		return rc;
	for (int k = 0; k < IMGKIND_COUNT; k++)
		ch[k] = imgchan_fd(f.fd[k]);
	rc = imgset_write_files(s, ch, dir, o, e);
	return files_commit(&f, dir, rc, e);
}
