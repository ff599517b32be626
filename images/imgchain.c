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
