/*
 * imgset.c - image sets: reading and writing, as a directory or a stream
 * (see imgset.h).
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

#include "images/imgarena.h"
#include "images/imgcheck.h"
#include "images/imgparams.h"
#include "images/imgset.h"
#include "images/pageblock.h"

struct imgset *imgset_new(void)
{
	return calloc(1, sizeof(struct imgset));
}

void *imgset_msg_new(const ProtobufCMessageDescriptor *d)
{
	ProtobufCMessage *m = calloc(1, d->sizeof_message);

	if (m)
		d->message_init(m);
	return m;
}

/* Frees the messages of array m (those of an arena go with it) and m. */
static void free_msgs(const struct imgset *s, void **m, size_t n)
{
	for (size_t i = 0; !s->arena && i < n; i++)
		protobuf_c_message_free_unpacked(m[i], NULL);
	free(m);
}

void imgset_free(struct imgset *s)
{
	if (!s)
		return;
	if (s->inventory && !s->arena)
		crimg__inventory__free_unpacked(s->inventory, NULL);
	if (s->uarea && !s->arena)
		crimg__uarea__free_unpacked(s->uarea, NULL);
	free_msgs(s, (void **)s->regions, s->nregions);
	free_msgs(s, (void **)s->runs, s->nruns);
	free_msgs(s, (void **)s->endpoints, s->nendpoints);
	if (s->stats && !s->arena)
		crimg__stats__free_unpacked(s->stats, NULL);
	imgarena_free(s->arena);
	free(s->pages);
	free(s->page_at);
	free(s->refs);
	free(s->run_first);
	free(s);
}

int imgset_has_kind(const struct imgset *s, enum imgkind k)
{
	const struct imgkind_info *ki = imgkind_info(k);

	if (s->inventory && s->inventory->kind == CRIMG__SET_KIND__SET_PRE_DUMP)
		return ki->in_pre_dump;
	return ki->in_dump;
}

long imgset_find_run(const struct imgset *s, uint32_t vaddr)
{
	size_t lo = 0, hi = s->nruns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const Crimg__PagemapRun *r = s->runs[mid];
		if (vaddr < r->vaddr)
			hi = mid;
		else if ((uint64_t)vaddr >=
		         (uint64_t)r->vaddr + (uint64_t)r->count * CRIMG_PAGE_SIZE)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

/* ---- writing ---- */

static int write_msgs(struct imgenc *enc, void *const *m, size_t n, struct crimg_error *e)
{
	int rc;

	for (size_t i = 0; i < n; i++)
		if ((rc = imgenc_entry(enc, m[i], e)) < 0)
			return rc;
	return 0;
}

static int write_pages(const struct imgset *s, struct imgenc *enc, const struct imgset_opts *o,
                       struct crimg_error *e)
{
	uint32_t per = o && o->block_pages ? o->block_pages : CRIMG_BLOCK_PAGES_DEFAULT;
	uint64_t stored = 0;
	struct pageblock_codec *c;
	uint8_t *gather = NULL;
	int rc = 0;

	if (per > CRIMG_BLOCK_PAGES_MAX)
		return crimg_fail(e, -EINVAL, "blocks of %u pages asked (at most %u)", per,
		                  CRIMG_BLOCK_PAGES_MAX);
	if (!(c = pageblock_codec_new()))
		return crimg_fail(e, -ENOMEM, "out of memory for the page codec");
	if (s->page_at && o && o->level > 0 && !(gather = malloc((size_t)per * CRIMG_PAGE_SIZE)))
		rc = crimg_fail(e, -ENOMEM, "out of memory for a page block");
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

/* Writes the file of kind k (begin, entries, end). */
static int write_kind(const struct imgset *s, struct imgenc *enc, enum imgkind k,
                      const struct imgset_opts *o, struct crimg_error *e)
{
	int rc = imgenc_begin(enc, k, e);

	if (rc < 0)
		return rc;
	switch (k) {
	case IMGKIND_INVENTORY: rc = imgenc_entry(enc, &s->inventory->base, e); break;
	case IMGKIND_UAREA: rc = imgenc_entry(enc, &s->uarea->base, e); break;
	case IMGKIND_MM: rc = write_msgs(enc, (void *const *)s->regions, s->nregions, e); break;
	case IMGKIND_PAGEMAP: rc = write_msgs(enc, (void *const *)s->runs, s->nruns, e); break;
	case IMGKIND_PAGES: rc = write_pages(s, enc, o, e); break;
	case IMGKIND_IPC:
		rc = write_msgs(enc, (void *const *)s->endpoints, s->nendpoints, e);
		break;
	case IMGKIND_STATS:
		if (o && o->before_stats)
			o->before_stats(o->ctx, s->stats);
		rc = imgenc_entry(enc, &s->stats->base, e);
		break;
	default: rc = crimg_fail(e, -EINVAL, "unknown image kind %d", (int)k);
	}
	return rc < 0 ? rc : imgenc_end(enc, e);
}

/* A writer writes only what it could read back. */
static int write_check(const struct imgset *s, const char *where, struct crimg_error *e)
{
	if (!s->inventory || !s->stats || (imgset_has_kind(s, IMGKIND_UAREA) && !s->uarea))
		return crimg_fail(e, -EINVAL, "%s: the set lacks its %s", where,
		                  !s->inventory ? "inventory"
		                  : !s->stats   ? "stats"
		                                : "uarea");
	return imgcheck_set(s, where, e);
}

int imgset_write_stream(const struct imgset *s, const struct imgchan *ch, const char *name,
                        const struct imgset_opts *o, struct crimg_error *e)
{
	struct imgenc *enc;
	int rc;

	if ((rc = write_check(s, name, e)) < 0)
		return rc;
	if (!(enc = imgenc_new(ch, name)))
		return crimg_fail(e, -ENOMEM, "%s: out of memory", name);
	for (int k = 0; k < IMGKIND_COUNT && rc == 0; k++)
		if (imgset_has_kind(s, k))
			rc = write_kind(s, enc, k, o, e);
	imgenc_free(enc);
	return rc;
}

/* Removes directory tmp and the image files in it. */
static void remove_tmp(const char *tmp)
{
	char path[PATH_MAX + 64];

	for (int k = 0; k < IMGKIND_COUNT; k++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, imgkind_info(k)->file);
		unlink(path);
	}
	rmdir(tmp);
}

/* 0 if dir does not exist or is an empty directory. */
static int dir_free(const char *dir, struct crimg_error *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		return crimg_fail(e, -errno, "%s: %s", dir,
		                  errno == ENOTDIR ? "exists and is not a directory"
		                                   : strerror(errno));
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			rc = crimg_fail(e, -EEXIST,
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
static int files_begin(const char *dir, struct imgset_files *f, struct crimg_error *e)
{
	char path[PATH_MAX + 64];
	int rc, n;

	for (int k = 0; k < IMGKIND_COUNT; k++)
		f->fd[k] = -1;
	if ((rc = dir_free(dir, e)) < 0)
		return rc;
	n = snprintf(f->tmp, sizeof(f->tmp), "%s.tmp-XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(f->tmp) - 64)
		return crimg_fail(e, -ENAMETOOLONG, "%s: path too long", dir);
	if (!mkdtemp(f->tmp))
		return crimg_fail(e, -errno,
		                  "%s: cannot create a temporary directory beside it: %s", dir,
		                  strerror(errno));
	for (int k = 0; k < IMGKIND_COUNT; k++) {
		snprintf(path, sizeof(path), "%s/%s", f->tmp, imgkind_info(k)->file);
		f->fd[k] = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (f->fd[k] < 0) {
			rc = crimg_fail(e, -errno, "%s: cannot create: %s", path, strerror(errno));
			files_close(f);
			remove_tmp(f->tmp);
			return rc;
		}
	}
	return 0;
}

/* Drops the empty files of f (kinds the set does not have). */
static int files_drop_empty(struct imgset_files *f, const char *dir, struct crimg_error *e)
{
	char path[PATH_MAX + 64];
	struct stat st;

	for (int k = 0; k < IMGKIND_COUNT; k++) {
		if (fstat(f->fd[k], &st) < 0)
			return crimg_fail(e, -errno, "%s/%s: %s", dir, imgkind_info(k)->file,
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
static int files_commit(struct imgset_files *f, const char *dir, int rc, struct crimg_error *e)
{
	char parent[PATH_MAX];
	const char *at = f->tmp;
	int pfd;

	if (rc == 0)
		rc = files_drop_empty(f, dir, e);
	for (int k = 0; k < IMGKIND_COUNT; k++) {
		if (f->fd[k] >= 0 && close(f->fd[k]) < 0 && rc == 0)
			rc = crimg_fail(e, -errno, "%s/%s: close failed: %s", dir,
			                imgkind_info(k)->file, strerror(errno));
		f->fd[k] = -1;
	}
	if (rc == 0 && rename(f->tmp, dir) < 0)
		rc = crimg_fail(e, -errno, "%s: cannot move the images into place: %s", dir,
		                strerror(errno));
	if (rc == 0) {
		at = dir;
		snprintf(parent, sizeof(parent), "%s", dir);
		pfd = open(dirname(parent), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pfd < 0 || syncfs(pfd) < 0)
			rc = crimg_fail(e, -errno, "%s: syncing the images failed: %s", dir,
			                strerror(errno));
		if (pfd >= 0)
			close(pfd);
	}
	if (rc < 0)
		remove_tmp(at);
	return rc;
}

int imgset_write_files(const struct imgset *s, const struct imgchan *files, const char *name,
                       const struct imgset_opts *o, struct crimg_error *e)
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
			return crimg_fail(e, -ENOMEM, "%s: out of memory", where);
		rc = write_kind(s, enc, k, o, e);
		imgenc_free(enc);
	}
	return rc;
}

int imgset_store_files(const char *dir, const struct imgseg *files, struct crimg_error *e)
{
	struct imgset_files f;
	int rc = files_begin(dir, &f, e);

	if (rc < 0)
		return rc;
	for (int k = 0; k < IMGKIND_COUNT && rc == 0; k++) {
		struct imgchan ch = imgchan_fd(f.fd[k]);
		if (files[k].len && (rc = ch.write(ch.ctx, files[k].p, files[k].len)) < 0)
			rc = crimg_fail(e, rc, "%s/%s: write failed: %s", dir,
			                imgkind_info(k)->file, strerror(-rc));
	}
	return files_commit(&f, dir, rc, e);
}

int imgset_write_dir(const struct imgset *s, const char *dir, const struct imgset_opts *o,
                     struct crimg_error *e)
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

static int push_msg(void ***arr, size_t *n, size_t max, void *m, ProtobufCAllocator *a,
                    const char *where, const char *what, struct crimg_error *e)
{
	void **p;

	if (*n >= max) {
		protobuf_c_message_free_unpacked(m, a);
		return crimg_fail(e, -EINVAL, "%s: more than %zu %s", where, max, what);
	}
	if ((*n & (*n - 1)) == 0) { /* grow at powers of two */
		p = realloc(*arr, (*n ? *n * 2 : 1) * sizeof(*p));
		if (!p) {
			protobuf_c_message_free_unpacked(m, a);
			return crimg_fail(e, -ENOMEM, "%s: out of memory", where);
		}
		*arr = p;
	}
	(*arr)[(*n)++] = m;
	return 0;
}

/* Pages the pagemap says are present, with the first index of each run. */
static int count_present(struct imgset *s, const char *where, struct crimg_error *e)
{
	uint64_t total = 0;

	free(s->run_first);
	if (!(s->run_first = malloc((s->nruns ? s->nruns : 1) * sizeof(uint32_t))))
		return crimg_fail(e, -ENOMEM, "%s: out of memory", where);
	for (size_t i = 0; i < s->nruns; i++) {
		s->run_first[i] = (uint32_t)total;
		if (s->runs[i]->flags & CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT)
			total += s->runs[i]->count;
		if (total > CRIMG_USER_PAGES)
			return crimg_fail(e, -EINVAL,
			                  "%s: entry %zu: more present pages than the user range "
			                  "holds (%u)",
			                  where, i, CRIMG_USER_PAGES);
	}
	return (int)total;
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
                       uint32_t want, const char *where, struct crimg_error *e)
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
		return crimg_fail(e, -ENOMEM, "%s: out of memory for %zu pages", where, cap);
	if (pr->refs)
		s->refs = p;
	else
		s->pages = p;
	pr->cap = cap;
	return 0;
}

static int read_block(struct imgset *s, struct imgdec *dec, struct page_reader *pr,
                      const Crimg__PageBlock *h, uint32_t want, struct crimg_error *e)
{
	const char *where = imgdec_where(dec);
	unsigned idx = imgdec_index(dec);
	uint8_t *dst;
	int rc;

	if ((rc = pageblock_check(h, s->npages, where, idx, e)) < 0)
		return rc;
	if (h->pages > want - s->npages)
		return crimg_fail(e, -EINVAL,
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
			return crimg_fail(e, -ENOMEM, "%s: out of memory", where);
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

static int read_pages(struct imgset *s, struct imgdec *dec, int refs, struct crimg_error *e)
{
	struct page_reader pr = { pageblock_codec_new(), NULL, 0, refs };
	ProtobufCMessage *m;
	int want, rc;

	if (!pr.codec)
		return crimg_fail(e, -ENOMEM, "%s: out of memory", imgdec_where(dec));
	if ((want = count_present(s, imgdec_where(dec), e)) < 0) {
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
		rc = crimg_fail(e, -EINVAL,
		                "%s: holds %u pages, pagemap.img says %d are present (blocks "
		                "missing?)",
		                imgdec_where(dec), s->npages, want);
	return rc;
}

/* The only entry of a single-entry file into *slot. */
static int read_single(struct imgdec *dec, void **slot, struct crimg_error *e)
{
	ProtobufCMessage *m, *extra;
	int rc = imgdec_entry(dec, &m, e);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return crimg_fail(e, -EINVAL, "%s: holds no entry", imgdec_where(dec));
	if ((rc = imgdec_entry(dec, &extra, e)) != 0) {
		protobuf_c_message_free_unpacked(m, imgdec_allocator(dec));
		if (rc > 0) {
			protobuf_c_message_free_unpacked(extra, imgdec_allocator(dec));
			return crimg_fail(e, -EINVAL, "%s: more than one entry", imgdec_where(dec));
		}
		return rc;
	}
	*slot = m;
	return 0;
}

static int read_many(struct imgdec *dec, void ***arr, size_t *n, size_t max, const char *what,
                     struct crimg_error *e)
{
	ProtobufCMessage *m;
	int rc;

	while ((rc = imgdec_entry(dec, &m, e)) > 0)
		if ((rc = push_msg(arr, n, max, m, imgdec_allocator(dec), imgdec_where(dec), what,
		                   e)) < 0)
			return rc;
	return rc;
}

/* Reads the entries of kind k (its magic read already) up to its end mark. */
static int read_kind(struct imgset *s, struct imgdec *dec, enum imgkind k, int refs,
                     struct crimg_error *e)
{
	switch (k) {
	case IMGKIND_INVENTORY: return read_single(dec, (void **)&s->inventory, e);
	case IMGKIND_UAREA: return read_single(dec, (void **)&s->uarea, e);
	case IMGKIND_MM:
		return read_many(dec, (void ***)&s->regions, &s->nregions, CRIMG_REGIONS_MAX,
		                 "regions", e);
	case IMGKIND_PAGEMAP:
		return read_many(dec, (void ***)&s->runs, &s->nruns, CRIMG_USER_PAGES, "runs", e);
	case IMGKIND_PAGES:
		if (!s->file_bytes[IMGKIND_PAGEMAP])
			return crimg_fail(e, -EINVAL,
			                  "%s: pagemap.img is missing, so its pages "
			                  "cannot be placed",
			                  imgdec_where(dec));
		return read_pages(s, dec, refs, e);
	case IMGKIND_IPC:
		return read_many(dec, (void ***)&s->endpoints, &s->nendpoints, CRIMG_ENDPOINTS_MAX,
		                 "endpoints", e);
	case IMGKIND_STATS: return read_single(dec, (void **)&s->stats, e);
	default: return crimg_fail(e, -EINVAL, "unknown image kind %d", (int)k);
	}
}

/* The inventory must be readable before the rest means anything. */
static int check_inventory_early(const struct imgset *s, const char *where, struct crimg_error *e)
{
	const Crimg__Inventory *inv = s->inventory;

	if (inv->format_version != CRIMG_FORMAT_VERSION)
		return crimg_fail(e, -EPROTONOSUPPORT,
		                  "%s: format version %u; this crtool reads version %u%s", where,
		                  inv->format_version, CRIMG_FORMAT_VERSION,
		                  inv->format_version > CRIMG_FORMAT_VERSION ? " (upgrade crtool)"
		                                                             : "");
	if (inv->kind != CRIMG__SET_KIND__SET_DUMP && inv->kind != CRIMG__SET_KIND__SET_PRE_DUMP)
		return crimg_fail(e, -EINVAL, "%s: unknown set kind %d", where, (int)inv->kind);
	return 0;
}

/* Every file the set's kind needs was read (pages.img among them, so
 * read_pages has placed the runs' pages); the rules hold. */
static int read_finish(struct imgset *s, const char *where, struct crimg_error *e)
{
	for (int k = 0; k < IMGKIND_COUNT; k++)
		if (imgset_has_kind(s, k) && !s->file_bytes[k])
			return crimg_fail(e, -EINVAL, "%s: %s is missing", where,
			                  imgkind_info(k)->file);
	return imgcheck_set(s, where, e);
}

/* Reads one set from ch (pages by reference if refs). */
static int read_stream(const struct imgchan *ch, const char *name, int refs, struct imgset **out,
                       struct crimg_error *e)
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
		rc = crimg_fail(e, -ENOMEM, "%s: out of memory", name);
		goto out;
	}
	imgdec_set_allocator(dec, imgarena_allocator(s->arena));
	while (rc == 0 && last != IMGKIND_STATS) {
		before = imgdec_bytes(dec);
		rc = imgdec_begin(dec, &k, e);
		if (rc == 1) {
			rc = crimg_fail(e, -EINVAL, "%s: stream ended before stats.img", name);
			break;
		}
		if (rc < 0)
			break;
		if ((int)k <= last || (last < 0 && k != IMGKIND_INVENTORY)) {
			rc = crimg_fail(e, -EINVAL, "%s: %s out of order (files go %s)", name,
			                imgkind_info(k)->file,
			                last < 0 ? "inventory.img first"
			                         : "in kind order, once each");
			break;
		}
		if (k != IMGKIND_INVENTORY && !imgset_has_kind(s, k)) {
			rc = crimg_fail(e, -EINVAL, "%s: %s does not belong in a %s set", name,
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

int imgset_index(struct imgset *s, const char *where, struct crimg_error *e)
{
	return count_present(s, where, e);
}

int imgset_read_stream(const struct imgchan *ch, const char *name, struct imgset **out,
                       struct crimg_error *e)
{
	return read_stream(ch, name, 0, out, e);
}

int imgset_read_inplace(const struct imgchan *ch, const char *name, struct imgset **out,
                        struct crimg_error *e)
{
	uint8_t extra;
	int rc = read_stream(ch, name, 1, out, e);

	if (rc == 0 && ch->read(ch->ctx, &extra, 1) != 0) {
		rc = crimg_fail(e, -EINVAL, "%s: bytes follow stats.img", name);
		imgset_free(*out);
		*out = NULL;
	}
	return rc;
}

/* Reads file k of dir into s; 1 if it is absent. */
static int read_file(struct imgset *s, const char *dir, enum imgkind k, struct crimg_error *e)
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
		return crimg_fail(e, -errno, "%s: cannot open: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return crimg_fail(e, -EINVAL, "%s: not a regular file", path);
	}
	ch = imgchan_fd(fd);
	if (!(dec = imgdec_new(&ch, path, (uint64_t)st.st_size))) {
		close(fd);
		return crimg_fail(e, -ENOMEM, "%s: out of memory", path);
	}
	rc = imgdec_begin(dec, &got, e);
	if (rc == 1)
		rc = crimg_fail(e, -EINVAL, "%s: empty file", path);
	else if (rc == 0 && got != k)
		rc = crimg_fail(e, -EINVAL, "%s: holds %s (wrong magic for this file name)", path,
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
static int dir_check(const char *dir, struct crimg_error *e)
{
	struct stat st;

	errno = 0;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return crimg_fail(e, errno ? -errno : -ENOTDIR, "%s: %s", dir,
		                  errno == ENOENT ? "no such directory" : "not an image directory");
	return 0;
}

int imgset_read_inventory(const char *dir, struct imgset **out, struct crimg_error *e)
{
	struct imgset *s = imgset_new();
	int rc;

	*out = NULL;
	if (!s)
		return crimg_fail(e, -ENOMEM, "%s: out of memory", dir);
	rc = dir_check(dir, e);
	if (rc == 0)
		rc = read_file(s, dir, IMGKIND_INVENTORY, e);
	if (rc == 1)
		rc = crimg_fail(e, -EINVAL, "%s: no inventory.img (not an image directory?)", dir);
	if (rc < 0) {
		imgset_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int imgset_read_dir(const char *dir, struct imgset **out, struct crimg_error *e)
{
	struct imgset *s = imgset_new();
	int rc = 0;

	*out = NULL;
	if (!s)
		return crimg_fail(e, -ENOMEM, "%s: out of memory", dir);
	if ((rc = dir_check(dir, e)) < 0)
		goto out;
	for (int k = 0; k < IMGKIND_COUNT && rc == 0; k++) {
		rc = read_file(s, dir, k, e);
		if (rc == 1) {
			rc = 0;
			if (k == IMGKIND_INVENTORY)
				rc = crimg_fail(e, -ENOENT,
				                "%s: inventory.img is missing (not an image "
				                "directory?)",
				                dir);
		} else if (rc == 0 && !imgset_has_kind(s, k)) {
			rc = crimg_fail(e, -EINVAL, "%s: %s does not belong in a pre-dump set", dir,
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
