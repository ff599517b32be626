/*
 * imgbench.c - image throughput: a 64 MiB page set written and read as
 * an image directory, raw and zstd, beside a memcpy of the same bytes.
 * The pages are real guest pages (all-zero pages left out, as a dump
 * records those as zero), repeated to 64 MiB in whole blocks so that no
 * block holds a page twice.
 *
 *   imgbench GUEST_DIR OUT_DIR    prints metric,value,unit lines
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag/crerr.h"
#include "guestrun.h"
#include "images/imgchain.h"
#include "kernel-hooks/capture.h"
#include "kernel/cluster.h"
#include "params/profile.h"

#define BENCH_PAGES 16384u /* 64 MiB */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Appends the non-zero pages of a guest, once it has retired insns
 * instructions, to pool. */
static void collect(const char *guest_dir, const char *rel, char *const argv[], uint64_t insns,
                    uint8_t **pool, uint32_t *n)
{
	struct capture_opts o = { .pre_dump = 1 };
	struct crerr e = CRERR_INIT;
	char path[512];
	struct cluster *c;
	struct imgset *s;

	snprintf(path, sizeof(path), "%s/%s", guest_dir, rel);
	if (!(c = guestrun_start("default", path, argv, &e))) {
		fprintf(stderr, "imgbench: %s: %s\n", rel, e.msg);
		exit(1);
	}
	guestrun_until(c, insns);
	if (capture_process(c, 1, &o, &s, &e) < 0) {
		/* it ended first: its pages are gone */
		fprintf(stderr, "imgbench: %s left out: %s\n", rel, e.msg);
		cluster_free(c);
		return;
	}
	*pool = realloc(*pool, ((size_t)*n + s->npages) * CRIMG_PAGE_SIZE);
	memcpy(*pool + (size_t)*n * CRIMG_PAGE_SIZE, s->pages, (size_t)s->npages * CRIMG_PAGE_SIZE);
	*n += s->npages;
	imgset_free(s);
	cluster_free(c);
}

/* A pre-dump set of BENCH_PAGES pages, one region. */
static struct imgset *bench_set(uint8_t *pages)
{
	struct imgset *s = imgset_new();
	Crimg__Inventory *inv = imgset_msg_new(&crimg__inventory__descriptor);
	Crimg__Region *r = imgset_msg_new(&crimg__region__descriptor);
	Crimg__PagemapRun *run = imgset_msg_new(&crimg__pagemap_run__descriptor);

	inv->format_version = CRIMG_FORMAT_VERSION;
	inv->tool_version = strdup("bench");
	inv->arch = strdup(CRIMG_ARCH);
	inv->page_size = CRIMG_PAGE_SIZE;
	inv->profile = strdup("default");
	inv->pid = 1;
	inv->parent = strdup("");
	inv->checksum = CRIMG__CHECKSUM_KIND__CHECKSUM_XXH3_64;
	inv->kind = CRIMG__SET_KIND__SET_PRE_DUMP;
	inv->id = 1;
	r->start = CRIMG_USER_BASE;
	r->length = BENCH_PAGES * CRIMG_PAGE_SIZE;
	r->prot = 3;
	r->kind = CRIMG__REGION_KIND__REGION_DATA;
	run->vaddr = CRIMG_USER_BASE;
	run->count = BENCH_PAGES;
	run->flags = CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT;
	s->inventory = inv;
	s->regions = malloc(sizeof(*s->regions));
	s->regions[0] = r;
	s->nregions = 1;
	s->runs = malloc(sizeof(*s->runs));
	s->runs[0] = run;
	s->nruns = 1;
	s->stats = imgset_msg_new(&crimg__stats__descriptor);
	s->pages = pages;
	s->npages = BENCH_PAGES;
	return s;
}

static double median3(double a, double b, double c)
{
	return a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
}

int main(int argc, char **argv)
{
	char *seed[] = { "seedapp", "--threads", "16", "--pages", "32", "--rounds", "50", NULL };
	char *mat[] = { "matmul", NULL };
	char *fj[] = { "forkjoin", "--reps", "5", NULL };
	char *hog[] = { "memhog", "256", NULL };
	const double mib = BENCH_PAGES * (double)CRIMG_PAGE_SIZE / 1048576.0;
	uint8_t *pool = NULL, *pages, *copy;
	uint32_t n = 0;
	char dir[512];

	if (argc != 3) {
		fprintf(stderr, "usage: imgbench GUEST_DIR OUT_DIR\n");
		return 2;
	}
	collect(argv[1], "apps/seedapp.elf", seed, 3000000, &pool, &n);
	collect(argv[1], "apps/matmul.elf", mat, 200000, &pool, &n);
	collect(argv[1], "apps/memhog.elf", hog, 100000, &pool, &n);
	collect(argv[1], "apps/forkjoin.elf", fj, 3000000, &pool, &n);
	n -= n % CRIMG_BLOCK_PAGES_DEFAULT;
	if (n < CRIMG_BLOCK_PAGES_DEFAULT) {
		fprintf(stderr, "imgbench: only %u guest pages\n", n);
		return 1;
	}
	pages = malloc((size_t)BENCH_PAGES * CRIMG_PAGE_SIZE);
	copy = malloc((size_t)BENCH_PAGES * CRIMG_PAGE_SIZE);
	for (uint32_t i = 0; i < BENCH_PAGES; i++)
		memcpy(pages + (size_t)i * CRIMG_PAGE_SIZE,
		       pool + (size_t)(i % n) * CRIMG_PAGE_SIZE, CRIMG_PAGE_SIZE);
	fprintf(stderr, "imgbench: %u distinct non-zero guest pages, repeated to 64 MiB\n", n);
	{
		double t[3];
		for (int r = 0; r < 3; r++) {
			double t0 = now();
			memcpy(copy, pages, (size_t)BENCH_PAGES * CRIMG_PAGE_SIZE);
			t[r] = now() - t0;
		}
		printf("images.memcpy.mbps,%.0f,MiB/s\n", mib / median3(t[0], t[1], t[2]));
	}
	for (int level = 0; level <= 3; level += 3) {
		struct imgset_opts o = { .level = level, .block_pages = 0 };
		struct imgset *s = bench_set(pages);
		double tw[3], tr[3];
		uint64_t stored = 0;
		for (int r = 0; r < 3; r++) {
			struct crerr e = CRERR_INIT;
			struct imgset *back;
			char cmd[600];
			snprintf(dir, sizeof(dir), "%s/imgbench-%d-%d", argv[2], level, r);
			snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
			if (system(cmd) != 0)
				return 1;
			double t0 = now();
			if (imgset_write_dir(s, dir, &o, &e) < 0) {
				fprintf(stderr, "imgbench: %s\n", e.msg);
				return 1;
			}
			tw[r] = now() - t0;
			t0 = now();
			if (imgset_read_dir(dir, &back, &e) < 0) {
				fprintf(stderr, "imgbench: %s\n", e.msg);
				return 1;
			}
			tr[r] = now() - t0;
			stored = back->stored_bytes;
			if (memcmp(back->pages, pages, (size_t)BENCH_PAGES * CRIMG_PAGE_SIZE))
				return 1;
			imgset_free(back);
			if (system(cmd) != 0)
				return 1;
		}
		const char *k = level ? "images.zstd" : "images";
		printf("%s.write.mbps,%.0f,MiB/s\n", k, mib / median3(tw[0], tw[1], tw[2]));
		printf("%s.read.mbps,%.0f,MiB/s\n", k, mib / median3(tr[0], tr[1], tr[2]));
		if (level)
			printf("images.zstd.ratio,%.2f,x\n",
			       (double)BENCH_PAGES * CRIMG_PAGE_SIZE / (double)stored);
		s->pages = NULL;
		imgset_free(s);
	}
	free(pool);
	free(pages);
	free(copy);
	return 0;
}
