/*
 * imgread.c - image sets read and validated: from a stream, in place
 * (pages left where they lie), or from a directory (see imgset.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag/crerr.h"
#include "images/imgarena.h"
#include "images/imgcheck.h"
#include "images/imgdec.h"
#include "images/imgparams.h"
#include "images/imgset.h"
#include "images/pageblock.h"

static int push_msg(void ***arr, size_t *n, size_t max, void *m, ProtobufCAllocator *a,
                    const char *where, const char *what, struct crerr *e)
{
	void **p;

	if (*n >= max) {
		protobuf_c_message_free_unpacked(m, a);
		return crerr_fail(e, -EINVAL, "%s: more than %zu %s", where, max, what);
	}
	if ((*n & (*n - 1)) == 0) { /* grow at powers of two */
		p = realloc(*arr, (*n ? *n * 2 : 1) * sizeof(*p));
		if (!p) {
			protobuf_c_message_free_unpacked(m, a);
			return crerr_fail(e, -ENOMEM, "%s: out of memory", where);
		}
		*arr = p;
	}
	(*arr)[(*n)++] = m;
	return 0;
}

struct page_reader {
	struct pageblock_codec *codec;
	uint8_t *scratch; /* a zstd payload */
	size_t cap;       /* pages (or refs) allocated */
	int refs;         /* leave payloads in place (s->refs) */
};

/* Room for the pages of h (or its reference): grown as blocks come, so a
 * forged page count costs nothing up front. */
static int reader_grow(struct imgset *s, struct page_reader *pr, const Crimg__PageBlock *h,
                       uint32_t want, const char *where, struct crerr *e)
{
	size_t need = pr->refs ? s->blocks + 1u : s->npages + h->pages, cap;
	size_t unit = pr->refs ? sizeof(*s->refs) : CRIMG_PAGE_SIZE;
	void *p;

	if (need <= pr->cap)
		return 0;
	cap = pr->cap ? pr->cap * 2 : 64;
	while (cap < need)
		cap *= 2;
	if (cap > want)
		cap = want;
	if (!(p = realloc(pr->refs ? (void *)s->refs : (void *)s->pages, cap * unit)))
		return crerr_fail(e, -ENOMEM, "%s: out of memory for %zu pages", where, cap);
	if (pr->refs)
		s->refs = p;
	else
		s->pages = p;
	pr->cap = cap;
	return 0;
}

static int read_block(struct imgset *s, struct imgdec *dec, struct page_reader *pr,
                      const Crimg__PageBlock *h, uint32_t want, struct crerr *e)
{
	const char *where = imgdec_where(dec);
	unsigned idx = imgdec_index(dec);
	uint8_t *dst;
	int rc;

	if ((rc = pageblock_check(h, s->npages, where, idx, e)) < 0)
		return rc;
	if (h->pages > want - s->npages)
		return crerr_fail(e, -EINVAL,
		                  "%s: entry %u: blocks hold more pages than the %u present in "
		                  "pagemap.img",
		                  where, idx, want);
	if ((rc = reader_grow(s, pr, h, want, where, e)) < 0)
		return rc;
	if (pr->refs) {
		struct imgset_block *r = &s->refs[s->blocks];
		r->h = *h; /* scalars only: the copy owns nothing */
		rc = imgdec_payload_ref(dec, h, &r->payload, e);
		s->zstd_blocks += h->codec != CRIMG__CODEC__CODEC_RAW;
	} else if (h->codec == CRIMG__CODEC__CODEC_RAW) {
		dst = s->pages + (size_t)s->npages * CRIMG_PAGE_SIZE;
		rc = imgdec_payload(dec, h, dst, e);
	} else {
		dst = s->pages + (size_t)s->npages * CRIMG_PAGE_SIZE;
		if (!pr->scratch && !(pr->scratch = malloc(pageblock_stored_max())))
			return crerr_fail(e, -ENOMEM, "%s: out of memory", where);
		rc = imgdec_payload(dec, h, pr->scratch, e);
		if (rc == 0)
			rc = pageblock_decode(pr->codec, h, pr->scratch, dst, where, idx, e);
		s->zstd_blocks++;
	}
	if (rc < 0)
		return rc;
	s->npages += h->pages;
	s->stored_bytes += h->stored_length;
	s->blocks++;
	return 0;
}

static int read_pages(struct imgset *s, struct imgdec *dec, int refs, struct crerr *e)
{
	struct page_reader pr = { pageblock_codec_new(), NULL, 0, refs };
	ProtobufCMessage *m;
	int want, rc;

	if (!pr.codec)
		return crerr_fail(e, -ENOMEM, "%s: out of memory", imgdec_where(dec));
	if ((want = imgset_index(s, imgdec_where(dec), e)) < 0) {
		pageblock_codec_free(pr.codec);
		return want;
	}
	while ((rc = imgdec_entry(dec, &m, e)) > 0) {
		rc = read_block(s, dec, &pr, (const Crimg__PageBlock *)m, (uint32_t)want, e);
		protobuf_c_message_free_unpacked(m, imgdec_allocator(dec));
		if (rc < 0)
			break;
	}
	pageblock_codec_free(pr.codec);
	free(pr.scratch);
	if (rc == 0 && s->npages != (uint32_t)want)
		rc = crerr_fail(e, -EINVAL,
		                "%s: holds %u pages, pagemap.img says %d are present (blocks "
		                "missing?)",
		                imgdec_where(dec), s->npages, want);
	return rc;
}

/* The only entry of a single-entry file into *slot. */
static int read_single(struct imgdec *dec, void **slot, struct crerr *e)
{
	ProtobufCMessage *m, *extra;
	int rc = imgdec_entry(dec, &m, e);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return crerr_fail(e, -EINVAL, "%s: holds no entry", imgdec_where(dec));
	if ((rc = imgdec_entry(dec, &extra, e)) != 0) {
		protobuf_c_message_free_unpacked(m, imgdec_allocator(dec));
		if (rc > 0) {
			protobuf_c_message_free_unpacked(extra, imgdec_allocator(dec));
			return crerr_fail(e, -EINVAL, "%s: more than one entry", imgdec_where(dec));
		}
		return rc;
	}
	*slot = m;
	return 0;
}

static int read_many(struct imgdec *dec, void ***arr, size_t *n, size_t max, const char *what,
                     struct crerr *e)
{
	ProtobufCMessage *m;
	int rc;

	while ((rc = imgdec_entry(dec, &m, e)) > 0)
		if ((rc = push_msg(arr, n, max, m, imgdec_allocator(dec), imgdec_where(dec), what,
		                   e)) < 0)
			return rc;
	return rc;
}

/* Reads the entries of kind k (its magic read already) up to its end
 * mark, into where the table of kinds says the set holds them. */
static int read_kind(struct imgset *s, struct imgdec *dec, enum imgkind k, int refs,
                     struct crerr *e)
{
	const struct imgkind_info *ki = imgkind_info(k);
	struct imgset_slot at = imgset_slot(s, k);

	switch (ki->holds) {
	case IMGKIND_ONE: return read_single(dec, at.one, e);
	case IMGKIND_MANY: return read_many(dec, at.many, at.n, ki->max_entries, ki->noun, e);
	case IMGKIND_BLOCKS:
		if (!s->file_bytes[IMGKIND_PAGEMAP])
			return crerr_fail(e, -EINVAL,
			                  "%s: pagemap.img is missing, so its pages "
			                  "cannot be placed",
			                  imgdec_where(dec));
		return read_pages(s, dec, refs, e);
	}
	return crerr_fail(e, -EINVAL, "unknown image kind %d", (int)k);
}

/* The inventory must be readable before the rest means anything. */
static int check_inventory_early(const struct imgset *s, const char *where, struct crerr *e)
{
	const Crimg__Inventory *inv = s->inventory;

	if (inv->format_version != CRIMG_FORMAT_VERSION)
		return crerr_fail(e, -EPROTONOSUPPORT,
		                  "%s: format version %u; this crtool reads version %u%s", where,
		                  inv->format_version, CRIMG_FORMAT_VERSION,
		                  inv->format_version > CRIMG_FORMAT_VERSION ? " (upgrade crtool)"
		                                                             : "");
	if (inv->kind != CRIMG__SET_KIND__SET_DUMP && inv->kind != CRIMG__SET_KIND__SET_PRE_DUMP)
		return crerr_fail(e, -EINVAL, "%s: unknown set kind %d", where, (int)inv->kind);
	return 0;
}

/* Every file the set's kind needs was read (pages.img among them, so
 * read_pages has placed the runs' pages); the rules hold. */
static int read_finish(struct imgset *s, const char *where, struct crerr *e)
{
	for (int k = 0; k < IMGKIND_COUNT; k++)
		if (imgset_has_kind(s, k) && !s->file_bytes[k])
			return crerr_fail(e, -EINVAL, "%s: %s is missing", where,
			                  imgkind_info(k)->file);
	return imgcheck_set(s, where, e);
}

/* Reads one set from ch (pages by reference if refs). */
static int read_stream(const struct imgchan *ch, const char *name, int refs, struct imgset **out,
                       struct crerr *e)
{
	struct imgset *s = imgset_new();
	struct imgdec *dec = imgdec_new(ch, name, IMGDEC_STREAM);
	enum imgkind k;
	int rc = 0, last = -1;
	uint64_t before;

	*out = NULL;
	/* A stream's set is read whole and not edited: its messages lie in
	 * one arena (a migration reads it in the process's downtime). */
	if (!s || !dec || !(s->arena = imgarena_new())) {
		rc = crerr_fail(e, -ENOMEM, "%s: out of memory", name);
		goto out;
	}
	imgdec_set_allocator(dec, imgarena_allocator(s->arena));
	while (rc == 0 && last != IMGKIND_STATS) {
		before = imgdec_bytes(dec);
		rc = imgdec_begin(dec, &k, e);
		if (rc == 1) {
			rc = crerr_fail(e, -EINVAL, "%s: stream ended before stats.img", name);
			break;
		}
		if (rc < 0)
			break;
		if (k >= IMGKIND_COUNT) {
			rc = crerr_fail(e, -EINVAL,
			                "%s: %s is a group's application image, not part of a "
			                "process's set",
			                name, imgkind_info(k)->file);
			break;
		}
		if ((int)k <= last || (last < 0 && k != IMGKIND_INVENTORY)) {
			rc = crerr_fail(e, -EINVAL, "%s: %s out of order (files go %s)", name,
			                imgkind_info(k)->file,
			                last < 0 ? "inventory.img first"
			                         : "in kind order, once each");
			break;
		}
		if (k != IMGKIND_INVENTORY && !imgset_has_kind(s, k)) {
			rc = crerr_fail(e, -EINVAL, "%s: %s does not belong in a %s set", name,
			                imgkind_info(k)->file, "pre-dump");
			break;
		}
		last = (int)k;
		rc = read_kind(s, dec, k, refs, e);
		s->file_bytes[k] = imgdec_bytes(dec) - before;
		if (rc == 0 && k == IMGKIND_INVENTORY)
			rc = check_inventory_early(s, imgdec_where(dec), e);
	}
	if (rc == 0)
		rc = read_finish(s, name, e);
out:
	imgdec_free(dec);
	if (rc < 0) {
		imgset_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int imgset_read_stream(const struct imgchan *ch, const char *name, struct imgset **out,
                       struct crerr *e)
{
	return read_stream(ch, name, 0, out, e);
}

int imgset_read_inplace(const struct imgchan *ch, const char *name, struct imgset **out,
                        struct crerr *e)
{
	uint8_t extra;
	int rc = read_stream(ch, name, 1, out, e);

	if (rc == 0 && ch->read(ch->ctx, &extra, 1) != 0) {
		rc = crerr_fail(e, -EINVAL, "%s: bytes follow stats.img", name);
		imgset_free(*out);
		*out = NULL;
	}
	return rc;
}

/* Reads file k of dir into s; 1 if it is absent. */
static int read_file(struct imgset *s, const char *dir, enum imgkind k, struct crerr *e)
{
	char path[PATH_MAX + 64];
	struct imgchan ch;
	struct imgdec *dec;
	struct stat st;
	enum imgkind got;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, imgkind_info(k)->file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		return crerr_fail(e, -errno, "%s: cannot open: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return crerr_fail(e, -EINVAL, "%s: not a regular file", path);
	}
	ch = imgchan_fd(fd);
	if (!(dec = imgdec_new(&ch, path, (uint64_t)st.st_size))) {
		close(fd);
		return crerr_fail(e, -ENOMEM, "%s: out of memory", path);
	}
	rc = imgdec_begin(dec, &got, e);
	if (rc == 1)
		rc = crerr_fail(e, -EINVAL, "%s: empty file", path);
	else if (rc == 0 && got != k)
		rc = crerr_fail(e, -EINVAL, "%s: holds %s (wrong magic for this file name)", path,
		                imgkind_info(got)->file);
	if (rc == 0)
		rc = read_kind(s, dec, k, 0, e);
	if (rc == 0)
		rc = imgdec_expect_eof(dec, e);
	if (rc == 0 && k == IMGKIND_INVENTORY)
		rc = check_inventory_early(s, path, e);
	s->file_bytes[k] = (uint64_t)st.st_size;
	imgdec_free(dec);
	close(fd);
	return rc;
}

/* 0 if dir is a directory. */
static int dir_check(const char *dir, struct crerr *e)
{
	struct stat st;

	errno = 0;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return crerr_fail(e, errno ? -errno : -ENOTDIR, "%s: %s", dir,
		                  errno == ENOENT ? "no such directory" : "not an image directory");
	return 0;
}

int imgset_read_inventory(const char *dir, struct imgset **out, struct crerr *e)
{
	struct imgset *s = imgset_new();
	int rc;

	*out = NULL;
	if (!s)
		return crerr_fail(e, -ENOMEM, "%s: out of memory", dir);
	rc = dir_check(dir, e);
	if (rc == 0)
		rc = read_file(s, dir, IMGKIND_INVENTORY, e);
	if (rc == 1)
		rc = crerr_fail(e, -EINVAL, "%s: no inventory.img (not an image directory?)", dir);
	if (rc < 0) {
		imgset_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int imgset_read_dir(const char *dir, struct imgset **out, struct crerr *e)
{
	struct imgset *s = imgset_new();
	int rc = 0;

	*out = NULL;
	if (!s)
		return crerr_fail(e, -ENOMEM, "%s: out of memory", dir);
	if ((rc = dir_check(dir, e)) < 0)
		goto out;
	for (int k = 0; k < IMGKIND_COUNT && rc == 0; k++) {
		rc = read_file(s, dir, k, e);
		if (rc == 1) {
			rc = 0;
			if (k == IMGKIND_INVENTORY)
				rc = crerr_fail(e, -ENOENT,
				                "%s: inventory.img is missing (not an image "
				                "directory?)",
				                dir);
		} else if (rc == 0 && !imgset_has_kind(s, k)) {
			rc = crerr_fail(e, -EINVAL, "%s: %s does not belong in a pre-dump set", dir,
			                imgkind_info(k)->file);
		}
	}
	if (rc == 0)
		rc = read_finish(s, dir, e);
out:
	if (rc < 0) {
		imgset_free(s);
		return rc;
	}
	*out = s;
	return 0;
}
