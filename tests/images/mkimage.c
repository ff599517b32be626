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

#include "diag/crerr.h"
#include "guestrun.h"
#include "kernel-hooks/capture.h"
#include "kernel/cluster.h"
#include "params/profile.h"

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
	struct imgchain *parent = NULL;
	const struct profile *p;
	struct cluster *c;
	char prev[4096] = "";
	struct crerr e = CRERR_INIT;

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
	if (!(c = guestrun_start(profile, argv[i], argv + i, &e))) {
		fprintf(stderr, "mkimage: cannot start %s: %s\n", argv[i], e.msg);
		return 1;
	}
	for (int k = sep + 1; k < argc; k++) {
		char *colon = strchr(argv[k], ':');
		unsigned long long at = strtoull(argv[k], NULL, 10);
		struct capture_opts o = { .pre_dump = pre && k == sep + 1 };
		struct imgset_opts wo = { .level = level, .block_pages = 0 };
		struct imgset *s = NULL;
		char rel[4096], dirbuf[4096];

		crerr_reset(&e);
		if (!colon) {
			rc = usage();
			goto out;
		}
		guestrun_until(c, at);
		if (incr && parent) {
			/* the parent's path relative to the new set's directory */
			snprintf(dirbuf, sizeof(dirbuf), "%s", prev);
			snprintf(rel, sizeof(rel), "../%s", basename(dirbuf));
			o.parent_chain = parent;
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
	return rc;
}
