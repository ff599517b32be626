/*
 * test_images.c - libcrimg: round trips of image sets captured from real
 * guests (directory and stream, raw and zstd, with parents), byte-identical
 * decode/encode, truncation at every offset and bit flips, the validation
 * rules, JSON errors and atomic writes.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag/crerr.h"
#include "harness.h"
#include "images/imgchain.h"
#include "images/imgcheck.h"
#include "images/imgjson.h"
#include "images/imgland.h"
#include "kernel-hooks/capture.h"
#include "kernel/uarea.h"
#include "params/profile.h"
#include "tests/images/guestrun.h"

/* ---- sets of real guests ---- */

struct guest {
	struct cluster *c;
};

static void guest_start(struct guest *g, const char *rel, char *const argv[])
{
	const char *dir = getenv("GUEST_DIR");
	char path[512];
	struct crerr e = CRERR_INIT;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/guest", rel);
	g->c = guestrun_start("default", path, argv, &e);
	cr_assert_not_null(g->c, "%s", e.msg);
}

static void guest_run_to(struct guest *g, uint64_t insns)
{
	cr_assert(guestrun_until(g->c, insns), "the guest ended or idled before %llu instructions",
	          (unsigned long long)insns);
}

static struct imgset *guest_capture(struct guest *g, const struct imgchain *parent,
                                    const char *parent_dir, int pre)
{
	struct capture_opts o = { .pre_dump = pre,
		                  .parent_dir = parent_dir,
		                  .parent_chain = parent };
	struct crerr e = CRERR_INIT;
	struct imgset *s;

	cr_assert_eq(capture_process(g->c, 1, &o, &s, &e), 0, "%s", e.msg);
	return s;
}

/* A seedapp of 4 threads captured after insns instructions. */
static struct imgset *seedapp_set(uint64_t insns)
{
	char *argv[] = { "seedapp", "--threads", "4", "--pages", "8", "--rounds", "500", NULL };
	struct guest g;
	struct imgset *s;

	guest_start(&g, "apps/seedapp.elf", argv);
	guest_run_to(&g, insns);
	s = guest_capture(&g, NULL, NULL, 0);
	cluster_free(g.c);
	return s;
}

static char *tmpdir(void)
{
	char *d = strdup("/tmp/crimg-test-XXXXXX");

	cr_assert_not_null(mkdtemp(d));
	return d;
}

static void rmtree(const char *d)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	cr_assert_eq(system(cmd), 0);
}

static void expect_same_sets(const struct imgset *a, const struct imgset *b)
{
	struct imgmem ma = { 0 }, mb = { 0 };
	struct imgchan ca = imgchan_mem(&ma), cb = imgchan_mem(&mb);
	struct crerr e = CRERR_INIT;

	cr_assert_eq(imgset_write_stream(a, &ca, "a", NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(imgset_write_stream(b, &cb, "b", NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(a->npages, b->npages);
	cr_assert_eq(memcmp(a->pages, b->pages, (size_t)a->npages * CRIMG_PAGE_SIZE), 0);
	cr_assert_eq(ma.len, mb.len);
	cr_assert_eq(memcmp(ma.p, mb.p, ma.len), 0, "sets differ");
	free(ma.p);
	free(mb.p);
}

Test(images, directory_round_trip_raw_and_zstd)
{
	struct imgset *s = seedapp_set(2000000), *r;
	struct crerr e = CRERR_INIT;
	char *d = tmpdir(), path[256];

	cr_assert_gt(s->npages, 8);
	cr_assert_eq(s->uarea->n_threads, 4);
	for (int level = 0; level <= 19; level += 19) {
		struct imgset_opts o = { .level = level, .block_pages = 16 };
		snprintf(path, sizeof(path), "%s/set%d", d, level);
		cr_assert_eq(imgset_write_dir(s, path, &o, &e), 0, "%s", e.msg);
		cr_assert_eq(imgset_read_dir(path, &r, &e), 0, "%s", e.msg);
		cr_expect_eq(r->blocks, (s->npages + 15) / 16);
		if (level)
			cr_expect_gt(r->zstd_blocks, 0);
		else
			cr_expect_eq(r->zstd_blocks, 0);
		expect_same_sets(s, r);
		imgset_free(r);
	}
	imgset_free(s);
	rmtree(d);
	free(d);
}

Test(images, stream_round_trip_stops_after_its_set)
{
	struct imgset *s = seedapp_set(500000), *r;
	struct imgmem m = { 0 };
	struct imgchan ch = imgchan_mem(&m);
	struct imgset_opts o = { .level = 3, .block_pages = 0 };
	struct crerr e = CRERR_INIT;
	size_t one;

	cr_assert_eq(imgset_write_stream(s, &ch, "stream", &o, &e), 0, "%s", e.msg);
	one = m.len;
	cr_assert_eq(imgset_write_stream(s, &ch, "stream", &o, &e), 0, "%s", e.msg);
	cr_assert_eq(imgset_read_stream(&ch, "stream", &r, &e), 0, "%s", e.msg);
	cr_expect_eq(m.pos, one, "the reader stops after stats.img");
	expect_same_sets(s, r);
	imgset_free(r);
	cr_assert_eq(imgset_read_stream(&ch, "stream", &r, &e), 0, "%s", e.msg);
	cr_expect_eq(m.pos, m.len);
	imgset_free(r);
	imgset_free(s);
	free(m.p);
}

/* A landing target: each page of the set at its index in one buffer. */
struct land_target {
	const struct imgset *s;
	uint8_t *mem;
	unsigned moves;
};

static uint8_t *land_frame(void *ctx, uint32_t va)
{
	struct land_target *t = ctx;
	size_t idx = 0;

	for (size_t i = 0; i < t->s->nruns; i++) {
		const Crimg__PagemapRun *r = t->s->runs[i];
		if (!(r->flags & CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT))
			continue;
		if (va >= r->vaddr && va < r->vaddr + r->count * CRIMG_PAGE_SIZE)
			return t->mem + (idx + (va - r->vaddr) / CRIMG_PAGE_SIZE) * CRIMG_PAGE_SIZE;
		idx += r->count;
	}
	return NULL;
}

static int land_move(void *ctx, void *const *dst, const void *src, size_t unit, unsigned count)
{
	struct land_target *t = ctx;

	for (unsigned k = 0; k < count; k++)
		memcpy(dst[k], (const uint8_t *)src + k * unit, unit);
	t->moves++;
	return 0;
}

Test(images, read_in_place_lands_every_page_and_checks_each_block)
{
	struct imgset *s = seedapp_set(2000000), *r;
	struct crerr e = CRERR_INIT;

	for (int level = 0; level <= 3; level += 3) {
		struct imgset_opts o = { .level = level, .block_pages = 16 };
		struct imgmem m = { 0 };
		struct imgchan ch = imgchan_mem(&m);
		struct land_target t = { NULL, NULL, 0 };
		struct imgland l = { land_frame, land_move, &t };
		cr_assert_eq(imgset_write_stream(s, &ch, "stream", &o, &e), 0, "%s", e.msg);
		cr_assert_eq(imgset_read_inplace(&ch, "stream", &r, &e), 0, "%s", e.msg);
		/* the payloads stay where they lie: nothing copied yet */
		cr_expect_null(r->pages);
		cr_assert_not_null(r->refs);
		cr_expect_eq(r->npages, s->npages);
		cr_expect(r->refs[0].payload > m.p && r->refs[0].payload < m.p + m.len);
		t.s = r;
		t.mem = calloc(r->npages, CRIMG_PAGE_SIZE);
		cr_assert_eq(imgland_pages(r, &l, "pages.img", &e), 0, "%s", e.msg);
		cr_expect_eq(t.moves, r->blocks, "one move a block");
		cr_expect_eq(memcmp(t.mem, s->pages, (size_t)s->npages * CRIMG_PAGE_SIZE), 0);
		/* a damaged payload reads fine in place but does not land */
		((uint8_t *)r->refs[1].payload)[100] ^= 0x20;
		memset(&e, 0, sizeof(e));
		cr_expect_eq(imgland_pages(r, &l, "pages.img", &e), -EINVAL);
		cr_expect(strstr(e.msg, "pages.img: block 1 checksum mismatch") != NULL, "%s",
		          e.msg);
		/* anything after the set is refused */
		imgset_free(r);
		m.pos = 0;
		cr_assert_eq(imgmem_reserve(&m, 1), 0);
		m.p[m.len++] = 0;
		memset(&e, 0, sizeof(e));
		cr_expect_eq(imgset_read_inplace(&ch, "stream", &r, &e), -EINVAL);
		cr_expect(strstr(e.msg, "follow stats.img") != NULL, "%s", e.msg);
		free(t.mem);
		free(m.p);
	}
	imgset_free(s);
}

Test(images, parent_chain_pages_resolve_through_pre_dump)
{
	char *argv[] = { "seedapp", "--threads", "2", "--pages", "8", "--rounds", "500", NULL };
	struct crerr e = CRERR_INIT;
	struct imgchain *pc, *c;
	struct imgset *pre, *dump;
	struct guest g;
	char *d = tmpdir(), p1[256], p2[256];
	uint32_t in_parent = 0;

	guest_start(&g, "apps/seedapp.elf", argv);
	guest_run_to(&g, 300000);
	pre = guest_capture(&g, NULL, NULL, 1);
	cr_assert_null(pre->uarea);
	snprintf(p1, sizeof(p1), "%s/pre", d);
	cr_assert_eq(imgset_write_dir(pre, p1, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(imgchain_open(p1, &pc, &e), 0, "%s", e.msg);
	guest_run_to(&g, 600000);
	dump = guest_capture(&g, pc, "../pre", 0);
	for (size_t i = 0; i < dump->nruns; i++)
		if (dump->runs[i]->flags == CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT)
			in_parent += dump->runs[i]->count;
	cr_assert_gt(in_parent, 0);
	snprintf(p2, sizeof(p2), "%s/dump", d);
	cr_assert_eq(imgset_write_dir(dump, p2, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(imgchain_open(p2, &c, &e), 0, "%s", e.msg);
	cr_assert_eq(c->n, 2);
	/* every page the process has reads the same through the chain */
	for (size_t i = 0; i < dump->nregions; i++)
		for (uint32_t va = dump->regions[i]->start;
		     va - dump->regions[i]->start < dump->regions[i]->length;
		     va += CRIMG_PAGE_SIZE) {
			const uint8_t *data, *buf = th_page(g.c, 1, va, NULL, NULL);
			enum imgpage k = imgchain_page(c, 0, va, &data, NULL);
			if (!buf) {
				cr_expect_eq(k, IMGPAGE_ABSENT);
				continue;
			}
			if (k == IMGPAGE_PRESENT)
				cr_expect_eq(memcmp(buf, data, CRIMG_PAGE_SIZE), 0, "page 0x%08x",
				             va);
			else
				cr_expect_eq(k, IMGPAGE_ZERO, "page 0x%08x", va);
		}
	/* a parent replaced by another set is refused */
	imgchain_free(c);
	pre->inventory->id ^= 1;
	rmtree(p1);
	cr_assert_eq(imgset_write_dir(pre, p1, NULL, &e), 0, "%s", e.msg);
	crerr_reset(&e);
	cr_assert_lt(imgchain_open(p2, &c, &e), 0);
	cr_expect(strstr(e.msg, "parent replaced?"), "%s", e.msg);
	rmtree(p1);
	crerr_reset(&e);
	cr_assert_lt(imgchain_open(p2, &c, &e), 0);
	cr_expect(strstr(e.msg, "no such directory"), "%s", e.msg);
	imgchain_free(pc);
	imgset_free(pre);
	imgset_free(dump);
	cluster_free(g.c);
	rmtree(d);
	free(d);
}

Test(images, decode_then_encode_gives_the_same_bytes)
{
	struct imgset *s = seedapp_set(1500000);
	struct imgset_opts o = { .level = 5, .block_pages = 8 };
	struct crerr e = CRERR_INIT;
	char *d = tmpdir(), dir[256], path[300], out[300];

	snprintf(dir, sizeof(dir), "%s/set", d);
	cr_assert_eq(imgset_write_dir(s, dir, &o, &e), 0, "%s", e.msg);
	for (int k = 0; k < IMGKIND_COUNT; k++) {
		json_t *j;
		FILE *a, *b;
		int ca, cb;
		snprintf(path, sizeof(path), "%s/%s", dir, imgkind_info(k)->file);
		snprintf(out, sizeof(out), "%s/again.img", d);
		cr_assert_eq(imgjson_decode_file(path, IMGJSON_PAYLOAD, &j, &e), 0, "%s", e.msg);
		cr_assert_eq(imgjson_encode_file(j, out, &e), 0, "%s", e.msg);
		json_decref(j);
		a = fopen(path, "rb");
		b = fopen(out, "rb");
		do {
			ca = fgetc(a);
			cb = fgetc(b);
			cr_assert_eq(ca, cb, "%s differs after decode and encode", path);
		} while (ca != EOF);
		fclose(a);
		fclose(b);
	}
	imgset_free(s);
	rmtree(d);
	free(d);
}

/* Every prefix of a stream, and every single bit flipped, is refused
 * with a message (under ASan: no crash, no leak). */
Test(images, truncation_and_bit_flips_are_refused)
{
	struct imgset *s = seedapp_set(100000), *r;
	struct imgmem m = { 0 };
	struct imgchan ch = imgchan_mem(&m);
	struct imgset_opts o = { .level = 3, .block_pages = 0 };
	struct crerr e = CRERR_INIT;
	size_t full;

	cr_assert_eq(imgset_write_stream(s, &ch, "stream", &o, &e), 0, "%s", e.msg);
	full = m.len;
	cr_assert_lt(full, 64 << 10, "a small set: %zu bytes", full);
	for (size_t n = 0; n < full; n++) {
		m.len = n;
		m.pos = 0;
		crerr_reset(&e);
		cr_assert_lt(imgset_read_stream(&ch, "stream", &r, &e), 0, "prefix of %zu read", n);
		cr_assert_null(r);
		cr_assert_neq(e.msg[0], 0);
	}
	m.len = full;
	srand(42);
	for (int i = 0; i < 3000; i++) {
		size_t at = (size_t)rand() % full;
		uint8_t bit = (uint8_t)(1u << (rand() % 8));
		m.p[at] ^= bit;
		m.pos = 0;
		crerr_reset(&e);
		cr_assert_lt(imgset_read_stream(&ch, "stream", &r, &e), 0, "flip at byte %zu read",
		             at);
		cr_assert_neq(e.msg[0], 0);
		m.p[at] ^= bit;
	}
	m.pos = 0;
	cr_assert_eq(imgset_read_stream(&ch, "stream", &r, &e), 0, "%s", e.msg);
	imgset_free(r);
	imgset_free(s);
	free(m.p);
}

Test(images, truncated_files_name_the_file_and_entry)
{
	struct imgset *s = seedapp_set(100000), *r;
	struct crerr e = CRERR_INIT;
	char *d = tmpdir(), dir[256], path[300];

	snprintf(dir, sizeof(dir), "%s/set", d);
	cr_assert_eq(imgset_write_dir(s, dir, NULL, &e), 0, "%s", e.msg);
	for (int k = 0; k < IMGKIND_COUNT; k++) {
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, imgkind_info(k)->file);
		cr_assert_eq(stat(path, &st), 0);
		for (off_t n = st.st_size - 1; n >= 0; n -= 1 + n / 16) {
			cr_assert_eq(truncate(path, n), 0);
			crerr_reset(&e);
			cr_assert_lt(imgset_read_dir(dir, &r, &e), 0, "%s cut to %lld read", path,
			             (long long)n);
			cr_expect(strstr(e.msg, imgkind_info(k)->file), "%s", e.msg);
		}
		rmtree(dir);
		cr_assert_eq(imgset_write_dir(s, dir, NULL, &e), 0, "%s", e.msg);
	}
	imgset_free(s);
	rmtree(d);
	free(d);
}

/* Breaks one rule of a valid set; the check names it. */
static void expect_rule(struct imgset *s, const char *what)
{
	struct crerr e = CRERR_INIT;

	cr_expect_lt(imgcheck_set(s, "set", &e), 0, "broken rule passed: %s", what);
	cr_expect(strstr(e.msg, what), "expected '%s' in: %s", what, e.msg);
}

Test(images, validation_rules_name_the_problem)
{
	struct imgset *s = seedapp_set(2000000);
	struct crerr e = CRERR_INIT;
	Crimg__Thread *t = s->uarea->threads[1];
	uint32_t v;

	cr_assert_eq(imgcheck_set(s, "set", &e), 0, "%s", e.msg);
	v = s->runs[0]->vaddr, s->runs[0]->vaddr = 0x10000000;
	expect_rule(s, "inside the user range");
	s->runs[0]->vaddr = v;
	v = s->regions[0]->length, s->regions[0]->length = 0x100;
	expect_rule(s, "mm.img: entry 0");
	s->regions[0]->length = v;
	v = s->runs[0]->flags, s->runs[0]->flags = 3;
	expect_rule(s, "exactly one of");
	s->runs[0]->flags = CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT;
	expect_rule(s, "no parent");
	s->runs[0]->flags = v;
	s->npages--;
	expect_rule(s, "pages.img holds");
	s->npages++;
	t->n_regs = 30;
	expect_rule(s, "30 registers");
	t->n_regs = 31;
	v = t->stack_top, t->stack_top = 0x80000000 + t->stack_size;
	expect_rule(s, "not a stack region");
	t->stack_top = v;
	v = s->uarea->process->pid, s->uarea->process->pid = 77;
	expect_rule(s, "inventory.img says");
	s->uarea->process->pid = v;
	v = t->tid, t->tid = s->uarea->threads[0]->tid;
	expect_rule(s, "not above the one before");
	t->tid = v;
	s->inventory->page_size = 8192;
	expect_rule(s, "page size 8192");
	s->inventory->page_size = CRIMG_PAGE_SIZE;
	s->uarea->process->threads_max = 2;
	expect_rule(s, "threads_max 2");
	s->uarea->process->threads_max = 18;
	cr_assert_eq(imgcheck_set(s, "set", &e), 0, "%s", e.msg);
	imgset_free(s);
}

static json_t *decode(const char *path)
{
	struct crerr e = CRERR_INIT;
	json_t *j;

	cr_assert_eq(imgjson_decode_file(path, IMGJSON_PAYLOAD, &j, &e), 0, "%s", e.msg);
	return j;
}

/* Edits entry 0 of decoded JSON j with f(entry) and expects encode to fail saying what. */
static void expect_json_error(json_t *j, const char *key, json_t *value, const char *what,
                              const char *out)
{
	json_t *c = json_deep_copy(j), *ent = json_array_get(json_object_get(c, "entries"), 0);
	struct crerr e = CRERR_INIT;

	if (value)
		json_object_set_new(ent, key, value);
	else
		json_object_del(ent, key);
	cr_expect_lt(imgjson_encode_file(c, out, &e), 0, "bad JSON encoded (%s)", what);
	cr_expect(strstr(e.msg, what), "expected '%s' in: %s", what, e.msg);
	cr_expect_neq(access(out, F_OK), 0, "a failed encode leaves no file");
	json_decref(c);
}

Test(images, json_with_wrong_types_or_missing_fields_is_refused)
{
	struct imgset *s = seedapp_set(300000);
	struct crerr e = CRERR_INIT;
	char *d = tmpdir(), dir[256], path[300], out[300];
	json_t *inv, *pages;

	snprintf(dir, sizeof(dir), "%s/set", d);
	snprintf(out, sizeof(out), "%s/out.img", d);
	cr_assert_eq(imgset_write_dir(s, dir, NULL, &e), 0, "%s", e.msg);
	snprintf(path, sizeof(path), "%s/inventory.img", dir);
	inv = decode(path);
	expect_json_error(inv, "pid", json_string("seven"), "'pid' must be an integer", out);
	expect_json_error(inv, "pid", json_integer(-1), "'pid' must be an integer", out);
	expect_json_error(inv, "pid", json_integer(1ll << 32), "'pid' must be an integer", out);
	expect_json_error(inv, "id", json_string("12x"), "'id' must be a 64-bit integer", out);
	expect_json_error(inv, "arch", NULL, "lacks field 'arch'", out);
	expect_json_error(inv, "kind", json_string("SET_SIDEWAYS"), "'kind' must be a value name",
	                  out);
	expect_json_error(inv, "colour", json_string("blue"), "has no field 'colour'", out);
	snprintf(path, sizeof(path), "%s/pages.img", dir);
	pages = decode(path);
	expect_json_error(pages, "_payload", json_string("!!!"), "not valid base64", out);
	expect_json_error(pages, "_payload", json_string("AAAA"), "holds 3 bytes", out);
	expect_json_error(pages, "_payload", NULL, "--no-payload", out);
	expect_json_error(pages, "checksum", json_string("1"),
	                  "does not match the block's checksum", out);
	json_decref(inv);
	json_decref(pages);
	imgset_free(s);
	rmtree(d);
	free(d);
}

Test(images, writes_are_atomic)
{
	struct imgset *s = seedapp_set(1000000);
	struct crerr e = CRERR_INIT;
	struct rlimit rl = { 16 << 10, RLIM_INFINITY };
	char *d = tmpdir(), dir[256], cmd[512];

	/* a target that is not empty is refused before anything is written */
	snprintf(dir, sizeof(dir), "%s/full", d);
	cr_assert_eq(mkdir(dir, 0755), 0);
	snprintf(cmd, sizeof(cmd), "touch '%s/keep'", dir);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(imgset_write_dir(s, dir, NULL, &e), -EEXIST);
	cr_expect(strstr(e.msg, "not empty"), "%s", e.msg);
	/* a short write (files capped at 16 KiB) leaves no set and no debris */
	snprintf(dir, sizeof(dir), "%s/short", d);
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	crerr_reset(&e);
	cr_assert_lt(imgset_write_dir(s, dir, NULL, &e), 0);
	cr_expect(strstr(e.msg, "pages.img: write failed"), "%s", e.msg);
	snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | wc -l) = 1", d);
	cr_expect_eq(system(cmd), 0, "only the 'full' directory is left");
	imgset_free(s);
	rmtree(d);
	free(d);
}
