/*
 * guestrun.c - one guest on one cluster (see guestrun.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/crerr.h"
#include "guestrun.h"
#include "kernel/uarea.h"
#include "params/profile.h"

static long discard(void *ctx, uint32_t pid, int fd, const void *buf, size_t n)
{
	(void)ctx, (void)pid, (void)fd, (void)buf;
	return (long)n;
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    !(b = malloc((size_t)n + 1)) || fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	} else {
		*len = (size_t)n;
	}
	if (f)
		fclose(f);
	return b;
}

struct cluster *guestrun_start(const char *profile, const char *path, char *const argv[],
                               struct crerr *e)
{
	static const struct cluster_hooks con = { .write = discard };
	const struct profile *p = profile_find(profile);
	struct cluster *c = NULL;
	uint8_t *img = NULL;
	size_t len = 0;

	if (!p)
		crerr_fail(e, -EINVAL, "no profile '%s'", profile);
	else if (!(img = read_all(path, &len)))
		crerr_fail(e, -errno, "cannot read %s: %s", path, strerror(errno));
	else if (!(c = cluster_new(p, profile_first_compute(p), 0, NULL, &con, NULL)))
		crerr_fail(e, -ENOMEM, "out of memory for a cluster");
	else if (cluster_spawn(c, 1, img, len, argv, NULL, e) < 0) {
		cluster_free(c);
		c = NULL;
	}
	free(img);
	return c;
}

int guestrun_until(struct cluster *c, uint64_t insns)
{
	const struct uarea *ua;

	while ((ua = cluster_uarea(c, 1)) && ua->state == UPROC_RUNNING &&
	       uarea_retired(ua) < insns)
		if (!cluster_round(c))
			return 0;
	return ua && ua->state == UPROC_RUNNING;
}
