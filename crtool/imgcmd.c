/*
 * imgcmd.c - crtool decode, encode, verify and diff: image sets
 * offline, through libcrimg (see imgcmd.h; show is showcmd.c).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define LOG_MODULE "images"

#include "crtool/cmdline.h"
#include "crtool/groupimg.h"
#include "crtool/imgcmd.h"
#include "crtool/imgtext.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "images/imgapp.h"
#include "images/imgchain.h"
#include "images/imgcheck.h"
#include "images/imgjson.h"
#include "images/imgkind.h"
#include "images/imgparams.h"
#include "images/imgset.h"

cmdline_opts imgcmd_decode_opts = { OPT_PRETTY, OPT_NO_PAYLOAD, OPT_RAW, OPT_OUTPUT, -1 };
cmdline_opts imgcmd_encode_opts = { -1 };
cmdline_opts imgcmd_verify_opts = { OPT_JSON, -1 };
cmdline_opts imgcmd_diff_opts = { -1 };

/* ---- decode, encode ---- */

/* "-": stdin copied into a file of its own (decode reads a file whole
 * and checks its size); *fd is it, or -1. The path to read. */
static const char *imgcmd_stdin(const char *path, int *fd, char *buf, size_t n)
{
	char chunk[65536];
	ssize_t r;

	*fd = -1;
	if (strcmp(path, "-"))
		return path;
	if ((*fd = memfd_create("stdin", MFD_CLOEXEC)) < 0)
		return NULL;
	while ((r = read(STDIN_FILENO, chunk, sizeof(chunk))) > 0 || (r < 0 && errno == EINTR))
		if (r > 0 && write(*fd, chunk, (size_t)r) != r)
			r = -1;
	if (r < 0) {
		close(*fd);
		*fd = -1;
		return NULL;
	}
	snprintf(buf, n, "/proc/self/fd/%d", *fd);
	return buf;
}

int imgcmd_decode(struct cmdline *cl)
{
	unsigned how = (cl->set[OPT_NO_PAYLOAD] ? 0 : IMGJSON_PAYLOAD) |
	               (cl->set[OPT_RAW] ? IMGJSON_RAW : 0);
	struct crerr e = CRERR_INIT;
	const char *path, *out = cl->val[OPT_OUTPUT];
	char buf[64];
	FILE *f = stdout;
	json_t *j;
	int rc, fd;

	if ((rc = cmdline_operands(cl, 1, "one image file (- for stdin)")) != CRT_OK)
		return rc;
	if (!(path = imgcmd_stdin(cl->argv[0], &fd, buf, sizeof(buf)))) {
		LOG_ERROR("cannot read stdin: %s", strerror(errno));
		return CRT_IO;
	}
	rc = imgjson_decode_file(path, how, &j, &e);
	if (fd >= 0)
		close(fd);
	if (rc < 0) {
		if (fd >= 0 && !strncmp(e.msg, path, strlen(path)))
			LOG_ERROR("stdin%s", e.msg + strlen(path)); /* not /proc/self/fd/N */
		else
			LOG_ERROR("%s", e.msg);
		return imgtext_status(rc);
	}
	if (out && !(f = fopen(out, "we"))) {
		LOG_ERROR("cannot write %s: %s", out, strerror(errno));
		json_decref(j);
		return CRT_IO;
	}
	rc = json_dumpf(
		j, f, (cl->set[OPT_PRETTY] ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (rc < 0 || fputc('\n', f) == EOF || fflush(f) == EOF || (out && fclose(f))) {
		LOG_ERROR("cannot write the JSON to %s: %s", out ? out : "stdout", strerror(errno));
		return CRT_IO;
	}
	return CRT_OK;
}

/* Refuses JSON of one kind of file written to a file named as another
 * kind's (mm.img's JSON to pages.img): CRT_OK or CRT_USAGE, said. */
static int imgcmd_same_kind(const json_t *j, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *file = json_string_value(json_object_get(j, "file"));

	for (int k = 0; k < IMGKIND_COUNT; k++)
		if (!strcmp(base, imgkind_info(k)->file) && file && strcmp(file, base)) {
			LOG_ERROR("the JSON is of %s, and %s is the name of another kind's file: "
			          "write it to a file named %s (or of no kind's name)",
			          file, path, file);
			return CRT_USAGE;
		}
	return CRT_OK;
}

int imgcmd_encode(struct cmdline *cl)
{
	struct crerr e = CRERR_INIT;
	char **argv = cl->argv - 1; /* argv[1], argv[2]: the operands */
	json_error_t je;
	json_t *j;
	int rc;

	if ((rc = cmdline_operands(cl, 2, "a JSON file (- for stdin) and an image file")) != CRT_OK)
		return rc;
	if (!strcmp(argv[1], "-"))
		j = json_loadf(stdin, JSON_REJECT_DUPLICATES, &je);
	else
		j = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		LOG_ERROR("%s: line %d, column %d: %s", strcmp(argv[1], "-") ? argv[1] : "stdin",
		          je.line, je.column, je.text);
		return je.line <= 0 && strstr(je.text, "open") ? CRT_IO : CRT_BAD_IMAGE;
	}
	if ((rc = imgcmd_same_kind(j, argv[2]))) {
		json_decref(j);
		return rc;
	}
	rc = imgjson_encode_file(j, argv[2], &e);
	json_decref(j);
	if (rc < 0) {
		LOG_ERROR("%s", e.msg);
		return imgtext_status(rc);
	}
	return CRT_OK;
}

/* ---- verify ---- */

/* Says one problem: a line, or (ctx: a JSON array) an entry. */
static void verify_line(void *ctx, const char *msg)
{
	if (ctx)
		json_array_append_new(ctx, json_string(msg));
	else
		printf("%s\n", msg);
}

/*
 * Checks every set of dir's chain, saying every problem through e (its
 * each), going on past a damaged set to its parent as long as its
 * inventory names one: the first problem's code (0 if none), and in
 * *sets how many sets it read.
 */
static int imgcmd_verify_chain(const char *dir, struct crerr *e, unsigned *sets)
{
	struct imgset *prev = NULL, *s = NULL, *inv = NULL;
	char *path = strdup(dir), *next = NULL, *prev_path = NULL;
	int first = 0, whole, prev_whole = 0;

	*sets = 0;
	while (path && *sets < CRIMG_CHAIN_MAX) {
		struct crerr one = { .each = e->each, .ctx = e->ctx };
		int rc = imgset_read_dir(path, &s, &one);
		whole = rc == 0;
		if (rc == 0 && prev && prev_whole && imgcheck_parent(prev, s, prev_path, &one) < 0)
			rc = one.code;
		if (rc < 0 && !first)
			first = rc, snprintf(e->msg, sizeof(e->msg), "%s", one.msg);
		e->count += one.count;
		(*sets)++;
		/* the parent, from the set or at least its inventory */
		if (!s && imgset_read_inventory(path, &inv, &one) == 0)
			s = inv, inv = NULL;
		next = s && *s->inventory->parent &&
		                       asprintf(&next, "%s/%s", path, s->inventory->parent) >= 0
		               ? next
		               : NULL;
		imgset_free(prev);
		free(prev_path);
		prev = s;
		prev_whole = whole;
		prev_path = path;
		s = NULL;
		path = next;
	}
	imgset_free(prev);
	free(prev_path);
	free(path);
	e->code = first;
	return first;
}

int imgcmd_verify(struct cmdline *cl)
{
	json_t *problems = cl->set[OPT_JSON] ? json_array() : NULL, *o;
	struct crerr e = { .each = verify_line, .ctx = problems };
	const char *dir = cl->argv[0];
	struct imgchain *c = NULL;
	unsigned sets;
	int rc, st;

	if ((rc = cmdline_operands(cl, 1, "one image directory")) != CRT_OK) {
		json_decref(problems);
		return rc;
	}
	if (imgapp_is_group(dir)) {
		json_decref(problems);
		return groupimg_verify(dir);
	}
	/* every set, damaged or not, then the chain as a whole (loops, length) */
	rc = imgcmd_verify_chain(dir, &e, &sets);
	if (rc == 0)
		rc = imgchain_open(dir, &c, &e);
	st = rc < 0 ? imgtext_status(rc) : CRT_OK;
	if (problems) {
		/* crtool.verify/1: every problem, and what the set is if valid */
		o = json_pack("{s:s, s:s, s:b, s:o}", "schema", "crtool.verify/1", "dir", dir,
		              "valid", rc == 0, "problems", problems);
		if (o && rc == 0) {
			json_object_set_new(
				o, "kind",
				json_string(c->set[0]->inventory->kind == CRIMG__SET_KIND__SET_DUMP
			                            ? "dump"
			                            : "pre-dump"));
			json_object_set_new(o, "pid", json_integer(c->set[0]->inventory->pid));
			json_object_set_new(o, "parents", json_integer(c->n - 1));
		}
		if (rc < 0 && !json_array_size(problems) && o)
			json_array_append_new(problems, json_string(e.msg));
		imgchain_free(c);
		rc = cmdline_print_json(o);
		return st ? st : rc;
	}
	if (rc < 0)
		return st;
	printf("%s: valid %s of pid %u", dir,
	       c->set[0]->inventory->kind == CRIMG__SET_KIND__SET_DUMP ? "dump" : "pre-dump",
	       c->set[0]->inventory->pid);
	if (c->n > 1)
		printf(", with %u parent set%s", c->n - 1, c->n > 2 ? "s" : "");
	printf("\n");
	imgchain_free(c);
	return CRT_OK;
}

/* ---- diff ---- */

/* Prints the fields of a and b (same type) that differ, as "what.field: A -> B". */
static int diff_fields(const char *what, const ProtobufCMessage *a, const ProtobufCMessage *b)
{
	struct crerr e = CRERR_INIT;
	json_t *ja = imgjson_from_message(a, what, &e), *jb = imgjson_from_message(b, what, &e);
	const char *key;
	json_t *va;
	int n = 0;

	json_object_foreach(ja, key, va)
	{
		json_t *vb = json_object_get(jb, key);
		if (json_equal(va, vb))
			continue;
		if (json_is_array(va) && json_is_array(vb) &&
		    json_array_size(va) == json_array_size(vb)) {
			/* a list of the same length (a thread's registers): what changed only */
			for (size_t i = 0; i < json_array_size(va); i++) {
				json_t *x = json_array_get(va, i), *y = json_array_get(vb, i);
				char *sx, *sy;
				if (json_equal(x, y))
					continue;
				sx = json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT);
				sy = json_dumps(y, JSON_ENCODE_ANY | JSON_COMPACT);
				if (!strcmp(key, "regs")) /* regs[0] is x1 */
					printf("%s.x%zu: %s -> %s\n", what, i + 1, sx ? sx : "?",
					       sy ? sy : "?");
				else
					printf("%s.%s[%zu]: %s -> %s\n", what, key, i,
					       sx ? sx : "?", sy ? sy : "?");
				free(sx);
				free(sy);
				n++;
			}
			continue;
		}
		char *sa = json_dumps(va, JSON_ENCODE_ANY | JSON_COMPACT);
		char *sb = json_dumps(vb, JSON_ENCODE_ANY | JSON_COMPACT);
		printf("%s.%s: %s -> %s\n", what, key, sa ? sa : "?", sb ? sb : "?");
		free(sa);
		free(sb);
		n++;
	}
	json_decref(ja);
	json_decref(jb);
	return n;
}

/* The key of a listed message: its field 1, a uint32 (a thread's tid,
 * a region's start). */
static uint32_t list_key(const ProtobufCMessage *m)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field(m->descriptor, 1);

	return *(const uint32_t *)((const char *)m + f->offset);
}

static const ProtobufCMessage *list_find(void *const *l, size_t n, uint32_t key)
{
	for (size_t i = 0; i < n; i++)
		if (list_key(l[i]) == key)
			return l[i];
	return NULL;
}

/* Items of lists a and b, matched by key and named by label (a format
 * taking the key): those gone, those changed (field by field), those new.
 * Returns how many lines it printed. */
static int diff_list(const char *label, void *const *a, size_t na, void *const *b, size_t nb)
{
	char what[48];
	int n = 0;

	for (size_t i = 0; i < na; i++) {
		const ProtobufCMessage *ma = a[i], *mb = list_find(b, nb, list_key(ma));
		snprintf(what, sizeof(what), label, list_key(ma));
		if (!mb) {
			printf("%s: gone\n", what);
			n++;
		} else {
			n += diff_fields(what, ma, mb);
		}
	}
	for (size_t i = 0; i < nb; i++)
		if (!list_find(a, na, list_key(b[i]))) {
			snprintf(what, sizeof(what), label, list_key(b[i]));
			printf("%s: new\n", what);
			n++;
		}
	return n;
}

static int diff_threads(const Crimg__UArea *a, const Crimg__UArea *b)
{
	if (!a || !b)
		return a != b ? (printf("uarea: only in %s\n", a ? "the first" : "the second"), 1)
		              : 0;
	return diff_fields("process", &a->process->base, &b->process->base) +
	       diff_list("thread %u", (void *const *)a->threads, a->n_threads,
	                 (void *const *)b->threads, b->n_threads);
}

static int diff_regions(const struct imgset *a, const struct imgset *b)
{
	return diff_list("region 0x%08x", (void *const *)a->regions, a->nregions,
	                 (void *const *)b->regions, b->nregions);
}

/* How page vaddr differs between chains a and b: 0 same, else a letter. */
static char page_change(const struct imgchain *a, const struct imgchain *b, uint32_t va)
{
	const uint8_t *da = NULL, *db = NULL;
	enum imgpage pa = imgchain_page(a, 0, va, &da, NULL);
	enum imgpage pb = imgchain_page(b, 0, va, &db, NULL);

	if (pa == IMGPAGE_ABSENT)
		return pb == IMGPAGE_ABSENT ? 0 : '+';
	if (pb == IMGPAGE_ABSENT)
		return '-';
	if (pa == IMGPAGE_ZERO && pb == IMGPAGE_ZERO)
		return 0;
	if (pa == IMGPAGE_PRESENT && pb == IMGPAGE_PRESENT && !memcmp(da, db, CRIMG_PAGE_SIZE))
		return 0;
	return '~';
}

/* A walk over the pages a set's pagemap names, in ascending order. */
struct page_walk {
	const struct imgset *s;
	size_t run;
	uint32_t k; /* page within the run */
};

static uint64_t walk_addr(const struct page_walk *w)
{
	if (w->run >= w->s->nruns)
		return UINT64_MAX;
	return w->s->runs[w->run]->vaddr + (uint64_t)w->k * CRIMG_PAGE_SIZE;
}

static void walk_next(struct page_walk *w)
{
	if (++w->k == w->s->runs[w->run]->count) {
		w->run++;
		w->k = 0;
	}
}

static void print_range(char kind, uint32_t start, uint32_t n)
{
	if (kind)
		printf("pages 0x%08x+%u: %s\n", start, n,
		       kind == '+'   ? "new"
		       : kind == '-' ? "gone"
		                     : "changed");
}

/* Every page either set names, compared in ascending order; changed pages
 * are printed as ranges. 1 if any differ. */
static int diff_pages(const struct imgchain *a, const struct imgchain *b)
{
	struct page_walk wa = { a->set[0], 0, 0 }, wb = { b->set[0], 0, 0 };
	uint64_t added = 0, gone = 0, changed = 0, same = 0;
	uint32_t run_start = 0, run_len = 0;
	char run_kind = 0;

	for (;;) {
		uint64_t pa = walk_addr(&wa), pb = walk_addr(&wb), p = pa < pb ? pa : pb;
		char k;
		if (p == UINT64_MAX)
			break;
		k = page_change(a, b, (uint32_t)p);
		if (pa == p)
			walk_next(&wa);
		if (pb == p)
			walk_next(&wb);
		same += !k;
		added += k == '+';
		gone += k == '-';
		changed += k == '~';
		if (k && k == run_kind && p == run_start + (uint64_t)run_len * CRIMG_PAGE_SIZE) {
			run_len++;
			continue;
		}
		print_range(run_kind, run_start, run_len);
		run_kind = k;
		run_start = (uint32_t)p;
		run_len = 1;
	}
	print_range(run_kind, run_start, run_len);
	printf("pages: %" PRIu64 " same, %" PRIu64 " changed, %" PRIu64 " new, %" PRIu64 " gone\n",
	       same, changed, added, gone);
	return added + gone + changed > 0;
}

/* The differences of two sets (and their parents): CRT_FAILED if any. */
static int imgcmd_diff_sets(const char *d1, const char *d2)
{
	struct imgchain *a = NULL, *b = NULL;
	int rc, n;

	if ((rc = imgtext_open_chain(d1, &a)) != CRT_OK)
		return rc;
	if ((rc = imgtext_open_chain(d2, &b)) != CRT_OK) {
		imgchain_free(a);
		return rc;
	}
	n = diff_threads(a->set[0]->uarea, b->set[0]->uarea);
	n += diff_regions(a->set[0], b->set[0]);
	n += diff_pages(a, b);
	imgchain_free(a);
	imgchain_free(b);
	return n ? CRT_FAILED : CRT_OK;
}

int imgcmd_diff(struct cmdline *cl)
{
	char **argv = cl->argv - 1; /* argv[1], argv[2]: the operands */
	int rc;

	if ((rc = cmdline_operands(cl, 2, "two image directories")) != CRT_OK)
		return rc;
	if (imgapp_is_group(argv[1]) || imgapp_is_group(argv[2])) {
		if (!imgapp_is_group(argv[1]) || !imgapp_is_group(argv[2])) {
			LOG_ERROR("%s is a group dump and %s is not: compare groups with "
			          "groups, or a member's directory (pid-N) with a set",
			          imgapp_is_group(argv[1]) ? argv[1] : argv[2],
			          imgapp_is_group(argv[1]) ? argv[2] : argv[1]);
			return CRT_USAGE;
		}
		return groupimg_diff(argv[1], argv[2], imgcmd_diff_sets);
	}
	return imgcmd_diff_sets(argv[1], argv[2]);
}
