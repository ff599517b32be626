/*
 * imgchain.c - a set and its parents (see imgchain.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgchain.h"
#include "imgcheck.h"

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

int imgchain_open(const char *dir, struct imgchain **out, struct crimg_error *e)
{
	struct imgchain *c = calloc(1, sizeof(*c));
	char *path = strdup(dir);
	int rc = 0;

	*out = NULL;
	if (!c || !path) {
		free(c);
		free(path);
		return crimg_fail(e, -ENOMEM, "%s: out of memory", dir);
	}
	for (;;) {
		struct imgset *s;
		const Crimg__Inventory *inv;
		char *next;

		if ((rc = imgset_read_dir(path, &s, e)) < 0) {
			free(path);
			break;
		}
		c->set[c->n] = s;
		c->dir[c->n] = path;
		c->n++;
		if (c->n > 1 && (rc = imgcheck_parent(c->set[c->n - 2], s, c->dir[c->n - 2], e)) < 0)
			break;
		inv = s->inventory;
		if (!*inv->parent)
			break;
		for (unsigned i = 0; i < c->n; i++)
			if (c->set[i]->inventory->id == inv->parent_id) {
				rc = crimg_fail(e, -ELOOP, "%s: parent '%s' leads back to %s", path,
						inv->parent, c->dir[i]);
				break;
			}
		if (rc < 0)
			break;
		if (c->n == CRIMG_CHAIN_MAX) {
			rc = crimg_fail(e, -ELOOP, "%s: more than %u sets in the parent chain", dir,
					CRIMG_CHAIN_MAX);
			break;
		}
		if (asprintf(&next, "%s/%s", path, inv->parent) < 0) {
			rc = crimg_fail(e, -ENOMEM, "%s: out of memory", dir);
			break;
		}
		path = next;
	}
	if (rc < 0) {
		imgchain_free(c);
		return rc;
	}
	*out = c;
	return 0;
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
static int chain_flatten(struct imgchain *c, struct crimg_error *e)
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
		return crimg_fail(e, -ENOMEM, "%s: out of memory merging %u pages", c->dir[0], n);
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
				crimg_fail(e, -EINVAL, "%s: page 0x%08x is in no set of the chain",
					   c->dir[0], va);
				goto fail;
			}
			/* runs start afresh where the old ones did: they stay in a region */
			if (!r || j == 0 || r->flags != f ||
			    r->vaddr + r->count * CRIMG_PAGE_SIZE != va) {
				if (!(r = imgset_msg_new(&crimg__pagemap_run__descriptor))) {
					crimg_fail(e, -ENOMEM, "%s: out of memory", c->dir[0]);
					goto fail;
				}
				r->vaddr = va;
				r->flags = f;
				runs[nruns++] = r;
			}
			r->count++;
			if (p == IMGPAGE_PRESENT)
				memcpy(pages + (size_t)k++ * CRIMG_PAGE_SIZE, data, CRIMG_PAGE_SIZE);
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
		return crimg_fail(e, -ENOMEM, "%s: out of memory", c->dir[0]);
	return 0;
fail:
	for (size_t i = 0; i < nruns; i++)
		protobuf_c_message_free_unpacked(&runs[i]->base, NULL);
	free(runs);
	free(pages);
	return -EINVAL;
}

/* Appends file k of dir to m. */
static int chain_append_file(const char *dir, enum imgkind k, struct imgmem *m,
			     struct crimg_error *e)
{
	char path[4096 + 64];
	uint8_t buf[1 << 16];
	struct imgchan ch = imgchan_mem(m);
	FILE *f;
	size_t n;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, imgkind_info(k)->file);
	if (!(f = fopen(path, "rb")))
		return crimg_fail(e, -errno, "%s: %s", path, strerror(errno));
	while (rc == 0 && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		rc = ch.write(ch.ctx, buf, n);
	if (rc == 0 && ferror(f))
		rc = crimg_fail(e, -EIO, "%s: read error", path);
	else if (rc < 0)
		rc = crimg_fail(e, rc, "%s: out of memory", path);
	fclose(f);
	return rc;
}

int imgchain_stream(const char *dir, struct imgmem *m, struct imgset **out,
		    struct crimg_error *e)
{
	struct imgchain *c;
	int rc = imgchain_open(dir, &c, e);

	*out = NULL;
	if (rc < 0)
		return rc;
	if (c->n == 1) {
		/* Validated as read: the files go as they are. */
		for (int k = 0; k < IMGKIND_COUNT && rc == 0; k++)
			if (c->set[0]->file_bytes[k])
				rc = chain_append_file(dir, k, m, e);
	} else {
		struct imgchan ch = imgchan_mem(m);
		rc = chain_flatten(c, e);
		if (rc == 0)
			rc = imgset_write_stream(c->set[0], &ch, dir, NULL, e);
	}
	if (rc == 0) {
		*out = c->set[0];
		c->set[0] = NULL;
		free(c->dir[0]);
		c->dir[0] = NULL;
		for (unsigned i = 1; i < c->n; i++) {
			imgset_free(c->set[i]);
			free(c->dir[i]);
		}
		free(c);
		return 0;
	}
	imgchain_free(c);
	return rc;
}
