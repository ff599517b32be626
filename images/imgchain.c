/*
 * imgchain.c - a set and its parents (see imgchain.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diag/crerr.h"
#include "images/imgchain.h"
#include "images/imgcheck.h"

void imgchain_free(struct imgchain *c)
{
	if (!c)
		return;
	for (unsigned i = 0; i < c->n; i++) {
		imgset_free(c->set[i]);
		free(c->dir[i]);
	}
	free(c);
}

/*
 * Reads dir's set and its parents into c (see imgchain_open). With
 * go_on, a set that cannot be read is stood in for by its inventory, if
 * that can be read, and the walk goes on to its parent: the first
 * problem's code is returned, every problem having gone to e.
 */
static int chain_walk(struct imgchain *c, const char *dir, int go_on, struct crerr *e)
{
	char *path = strdup(dir);
	uint64_t whole = 0; /* bit i: set i read whole, not its inventory alone */
	int first = 0, rc;

	if (!path)
		return crerr_fail(e, -ENOMEM, "%s: out of memory", dir);
	for (;;) {
		struct crerr quiet = CRERR_INIT;
		struct imgset *s;
		const Crimg__Inventory *inv;
		char *next;

		if ((rc = imgset_read_dir(path, &s, e)) == 0)
			whole |= 1ull << c->n;
		else if (!go_on || imgset_read_inventory(path, &s, &quiet) < 0)
			s = NULL; /* (a problem there is the one just said) */
		first = first ? first : rc;
		if (!s) {
			free(path);
			break;
		}
		c->set[c->n] = s;
		c->dir[c->n] = path;
		c->n++;
		if (c->n > 1 && (whole >> (c->n - 2) & 3) == 3 &&
		    (rc = imgcheck_parent(c->set[c->n - 2], s, c->dir[c->n - 2], e)) < 0) {
			first = first ? first : rc;
			if (!go_on)
				break;
		}
		inv = s->inventory;
		if (!*inv->parent)
			break;
		rc = 0;
		for (unsigned i = 0; i < c->n && !rc; i++)
			if (c->set[i]->inventory->id == inv->parent_id)
				rc = crerr_fail(e, -ELOOP, "%s: parent '%s' leads back to %s", path,
				                inv->parent, c->dir[i]);
		if (!rc && c->n == CRIMG_CHAIN_MAX)
			rc = crerr_fail(e, -ELOOP, "%s: more than %u sets in the parent chain", dir,
			                CRIMG_CHAIN_MAX);
		if (!rc && asprintf(&next, "%s/%s", path, inv->parent) < 0)
			rc = crerr_fail(e, -ENOMEM, "%s: out of memory", dir);
		if (rc) {
			first = first ? first : rc;
			break;
		}
		path = next;
	}
	return first;
}

int imgchain_open(const char *dir, struct imgchain **out, struct crerr *e)
{
	struct imgchain *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c)
		return crerr_fail(e, -ENOMEM, "%s: out of memory", dir);
	if ((rc = chain_walk(c, dir, 0, e)) < 0) {
		imgchain_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int imgchain_verify(const char *dir, struct imgchain **out, struct crerr *e)
{
	struct imgchain *c = calloc(1, sizeof(*c));

	*out = c;
	if (!c)
		return crerr_fail(e, -ENOMEM, "%s: out of memory", dir);
	return chain_walk(c, dir, 1, e);
}

enum imgpage imgchain_page(const struct imgchain *c, unsigned from, uint32_t vaddr,
                           const uint8_t **data, unsigned *depth)
{
	for (unsigned d = from; d < c->n; d++) {
		const struct imgset *s = c->set[d];
		long r = imgset_find_run(s, vaddr);
		const Crimg__PagemapRun *run;

		if (r < 0)
			return IMGPAGE_ABSENT;
		run = s->runs[r];
		if (run->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_ZERO)
			return IMGPAGE_ZERO;
		if (run->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT) {
			size_t idx = s->run_first[r] + (vaddr - run->vaddr) / CRIMG_PAGE_SIZE;
			*data = s->pages + idx * CRIMG_PAGE_SIZE;
			if (depth)
				*depth = d;
			return IMGPAGE_PRESENT;
		}
	}
	return IMGPAGE_ABSENT;
}

/* Makes c->set[0] stand alone: its in-parent pages become present or
 * zero pages of its own, and it names no parent. */
static int chain_flatten(struct imgchain *c, struct crerr *e)
{
	struct imgset *s = c->set[0];
	uint32_t n = 0, k = 0;
	Crimg__PagemapRun **runs;
	uint8_t *pages;
	size_t nruns = 0;

	for (size_t i = 0; i < s->nruns; i++)
		n += s->runs[i]->count;
	runs = calloc(n ? n : 1, sizeof(*runs));
	pages = malloc((size_t)(n ? n : 1) * CRIMG_PAGE_SIZE);
	if (!runs || !pages) {
		free(runs);
		free(pages);
		return crerr_fail(e, -ENOMEM, "%s: out of memory merging %u pages", c->dir[0], n);
	}
	for (size_t i = 0; i < s->nruns; i++) {
		for (uint32_t j = 0; j < s->runs[i]->count; j++) {
			uint32_t va = s->runs[i]->vaddr + j * CRIMG_PAGE_SIZE;
			const uint8_t *data = NULL;
			enum imgpage p = imgchain_page(c, 0, va, &data, NULL);
			uint32_t f = p == IMGPAGE_PRESENT ? CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT
			                                  : CRIMG__PAGEMAP_FLAG__PAGEMAP_ZERO;
			Crimg__PagemapRun *r = nruns ? runs[nruns - 1] : NULL;
			if (p == IMGPAGE_ABSENT) {
				crerr_fail(e, -EINVAL, "%s: page 0x%08x is in no set of the chain",
				           c->dir[0], va);
				goto fail;
			}
			/* runs start afresh where the old ones did: they stay in a region */
			if (!r || j == 0 || r->flags != f ||
			    r->vaddr + r->count * CRIMG_PAGE_SIZE != va) {
				if (!(r = imgset_msg_new(&crimg__pagemap_run__descriptor))) {
					crerr_fail(e, -ENOMEM, "%s: out of memory", c->dir[0]);
					goto fail;
				}
				r->vaddr = va;
				r->flags = f;
				runs[nruns++] = r;
			}
			r->count++;
			if (p == IMGPAGE_PRESENT)
				memcpy(pages + (size_t)k++ * CRIMG_PAGE_SIZE, data,
				       CRIMG_PAGE_SIZE);
		}
	}
	for (size_t i = 0; i < s->nruns; i++)
		protobuf_c_message_free_unpacked(&s->runs[i]->base, NULL);
	free(s->runs);
	free(s->pages);
	free(s->run_first);
	s->run_first = NULL;
	s->runs = runs;
	s->nruns = nruns;
	s->pages = pages;
	s->npages = k;
	free(s->inventory->parent);
	s->inventory->parent = strdup("");
	s->inventory->parent_id = 0;
	if (!s->inventory->parent)
		return crerr_fail(e, -ENOMEM, "%s: out of memory", c->dir[0]);
	return 0;
fail:
	for (size_t i = 0; i < nruns; i++)
		protobuf_c_message_free_unpacked(&runs[i]->base, NULL);
	free(runs);
	free(pages);
	return -EINVAL;
}

static void fds_close(int *fds, size_t *n)
{
	while (*n)
		close(fds[--*n]);
}

/* The files of the set in dir (whose inventory s holds) opened, in kind order. */
static int chain_open_files(const char *dir, const struct imgset *s, int *fds, size_t *n,
                            struct crerr *e)
{
	char path[4096 + 64];

	for (int k = 0; k < IMGKIND_COUNT; k++) {
		int fd;
		if (!imgset_has_kind(s, k))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, imgkind_info(k)->file);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			int rc = -errno;
			fds_close(fds, n);
			return crerr_fail(e, rc == -ENOENT ? -EINVAL : rc, "%s: %s", path,
			                  rc == -ENOENT ? "is missing" : strerror(-rc));
		}
		fds[(*n)++] = fd;
	}
	return 0;
}

/* The chain of dir flattened into one anonymous file. */
static int chain_flat_file(const char *dir, int *fds, size_t *n, struct crerr *e)
{
	struct imgchain *c;
	struct imgchan ch;
	int rc = imgchain_open(dir, &c, e), fd;

	if (rc < 0)
		return rc;
	if ((fd = memfd_create("crtool-restore", MFD_CLOEXEC)) < 0) {
		imgchain_free(c);
		return crerr_fail(e, -errno, "%s: cannot make an anonymous file: %s", dir,
		                  strerror(errno));
	}
	ch = imgchan_fd(fd);
	rc = chain_flatten(c, e);
	if (rc == 0)
		rc = imgset_write_stream(c->set[0], &ch, dir, NULL, e);
	imgchain_free(c);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	fds[(*n)++] = fd;
	return 0;
}

int imgchain_stream_files(const char *dir, int *fds, size_t *n, struct imgset **head,
                          struct crerr *e)
{
	int rc = imgset_read_inventory(dir, head, e);

	*n = 0;
	if (rc < 0)
		return rc;
	rc = (*head)->inventory->parent[0] ? chain_flat_file(dir, fds, n, e)
	                                   : chain_open_files(dir, *head, fds, n, e);
	if (rc < 0) {
		imgset_free(*head);
		*head = NULL;
	}
	return rc;
}

struct imgchain *imgchain_new(void)
{
	return calloc(1, sizeof(struct imgchain));
}

int imgchain_push(struct imgchain *c, struct imgset *s, const char *name, struct crerr *e)
{
	char *dir = strdup(name);
	int rc = 0;

	if (!dir)
		rc = crerr_fail(e, -ENOMEM, "%s: out of memory", name);
	else if (c->n == CRIMG_CHAIN_MAX)
		rc = crerr_fail(e, -ELOOP, "%s: more than %u sets in a chain", name,
		                CRIMG_CHAIN_MAX);
	else if (c->n && (s->inventory->parent_id != c->set[0]->inventory->id ||
	                  (rc = imgcheck_parent(s, c->set[0], name, e)) < 0))
		rc = rc ? rc : crerr_fail(e, -EINVAL, "%s: not the child of %s", name, c->dir[0]);
	if (rc < 0) {
		free(dir);
		imgset_free(s);
		return rc;
	}
	memmove(&c->set[1], &c->set[0], c->n * sizeof(c->set[0]));
	memmove(&c->dir[1], &c->dir[0], c->n * sizeof(c->dir[0]));
	c->set[0] = s;
	c->dir[0] = dir;
	c->n++;
	return 0;
}
