/*
 * mkimage.c - makes image sets of real guest processes for the image
 * tests and benchmarks (crtool dump comes with the dump/restore issue):
 * runs a guest on one cluster and captures it at given instruction counts.
 *
 *   mkimage [--profile P] [--level L] [--pre-dump] [--incremental]
 *           GUEST.elf [ARGS...] -- INSNS:DIR [INSNS:DIR ...]
 *
 * Each INSNS:DIR captures the process once it has retired INSNS
 * instructions. --pre-dump makes the first set a pre-dump; --incremental
 * makes every later set a child of the one before (pages unchanged since
 * recorded in-parent). Exits 0, 1 on failure (said on stderr), 2 on usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board/profile.h"
#include "cluster.h"
#include "kernel-hooks/capture.h"
#include "uarea.h"

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

static int usage(void)
{
	fprintf(stderr, "usage: mkimage [--profile P] [--level L] [--pre-dump] [--incremental] "
			"GUEST.elf [ARGS...] -- INSNS:DIR [INSNS:DIR ...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *profile = "default";
	int level = 0, pre = 0, incr = 0, i = 1, sep, rc = 1;
	struct cluster_hooks con = { discard, NULL, NULL, NULL };
	struct imgchain *parent = NULL;
	const struct profile *p;
	struct cluster *c;
	char err[256] = "", prev[4096] = "";
	uint8_t *img;
	size_t len;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--profile") && i + 1 < argc)
			profile = argv[++i];
		else if (!strcmp(argv[i], "--level") && i + 1 < argc)
			level = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--pre-dump"))
			pre = 1;
		else if (!strcmp(argv[i], "--incremental"))
			incr = 1;
		else
			return usage();
	}
	for (sep = i; sep < argc && strcmp(argv[sep], "--"); sep++)
		;
	if (i >= sep || sep + 1 >= argc)
		return usage();
	argv[sep] = NULL;
	if (!(p = profile_find(profile))) {
		fprintf(stderr, "mkimage: no profile '%s'\n", profile);
		return 2;
	}
	if (!(img = read_all(argv[i], &len))) {
		fprintf(stderr, "mkimage: cannot read %s\n", argv[i]);
		return 1;
	}
	c = cluster_new(p, profile_first_compute(p), 0, NULL, &con, NULL);
	if (!c || cluster_spawn(c, 1, img, len, argv + i, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "mkimage: cannot start %s: %s\n", argv[i], err);
		goto out;
	}
	for (int k = sep + 1; k < argc; k++) {
		char *colon = strchr(argv[k], ':');
		unsigned long long at = strtoull(argv[k], NULL, 10);
		struct capture_opts o = { p->name, profile_first_compute(p), pre && k == sep + 1,
					  NULL, NULL };
		struct imgset_opts wo = { level, 0 };
		struct crimg_error e = { 0 };
		struct imgset *s = NULL;
		const struct uarea *ua;
		char rel[4096], dirbuf[4096];

		if (!colon) {
			rc = usage();
			goto out;
		}
		while ((ua = cluster_uarea(c, 1)) && ua->state == UPROC_RUNNING && uarea_retired(ua) < at)
			if (!cluster_round(c))
				break;
		if (incr && parent) {
			/* the parent's path relative to the new set's directory */
			snprintf(dirbuf, sizeof(dirbuf), "%s", prev);
			snprintf(rel, sizeof(rel), "../%s", basename(dirbuf));
			o.parent = parent;
			o.parent_dir = rel;
		}
		if (capture_process(c, 1, &o, &s, &e) < 0 ||
		    imgset_write_dir(s, colon + 1, &wo, &e) < 0) {
			fprintf(stderr, "mkimage: %s\n", e.msg);
			imgset_free(s);
			goto out;
		}
		imgset_free(s);
		snprintf(prev, sizeof(prev), "%s", colon + 1);
		imgchain_free(parent);
		parent = NULL;
		if (incr && imgchain_open(prev, &parent, &e) < 0) {
			fprintf(stderr, "mkimage: %s\n", e.msg);
			goto out;
		}
	}
	rc = 0;
out:
	imgchain_free(parent);
	cluster_free(c);
	free(img);
	return rc;
}
