/*
 * diffcmd.c - crtool diff: what changed between two dumps (process
 * fields, threads, regions and pages, through parents), or between two
 * group dumps member by member; as lines, or as one object (see
 * diffcmd.h).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "images"

#include "crtool/diffcmd.h"
#include "crtool/groupimg.h"
#include "crtool/imgtext.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "images/imgapp.h"
#include "images/imgchain.h"
#include "images/imgjson.h"
#include "images/imgparams.h"

cmdline_opts diffcmd_diff_opts = { OPT_JSON, -1 };

void diffout_json(struct diffout *o)
{
	o->changes = json_array();
	o->ranges = json_array();
	o->pages = NULL;
}

void diffout_put(struct diffout *o, json_t *into)
{
	json_object_set(into, "changes", o->changes);
	json_object_set(into, "page_ranges", o->ranges);
	if (o->pages)
		json_object_set(into, "pages", o->pages);
}

void diffout_free(struct diffout *o)
{
	json_decref(o->changes);
	json_decref(o->ranges);
	json_decref(o->pages);
	*o = (struct diffout){ NULL, NULL, NULL };
}

/* Says that what went from a to b (NULL a: new; NULL b: gone): a line,
 * or an entry of o's changes. */
static void diff_say(struct diffout *o, const char *what, json_t *a, json_t *b)
{
	char *sa, *sb;

	if (o->changes) {
		json_array_append_new(o->changes,
		                      json_pack("{s:s, s:O?, s:O?}", "what", what, "from",
		                                a && b ? a : NULL, "to", a && b ? b : NULL));
		if (!a || !b)
			json_object_set_new(
				json_array_get(o->changes, json_array_size(o->changes) - 1), "only",
				json_string(a ? "first" : "second"));
		return;
	}
	if (!a || !b) {
		printf("%s: %s\n", what, a ? "gone" : "new");
		return;
	}
	sa = json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT);
	sb = json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT);
	printf("%s: %s -> %s\n", what, sa ? sa : "?", sb ? sb : "?");
	free(sa);
	free(sb);
}

/* Says the fields of a and b (same type) that differ ("what.field: A -> B"). */
static int diff_fields(struct diffout *o, const char *what, const ProtobufCMessage *a,
                       const ProtobufCMessage *b)
{
	char name[160];
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
				if (json_equal(x, y))
					continue;
				if (!strcmp(key, "regs")) /* regs[0] is x1 */
					snprintf(name, sizeof(name), "%s.x%zu", what, i + 1);
				else
					snprintf(name, sizeof(name), "%s.%s[%zu]", what, key, i);
				diff_say(o, name, x, y);
				n++;
			}
			continue;
		}
		snprintf(name, sizeof(name), "%s.%s", what, key);
		diff_say(o, name, va, vb);
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
 * Returns how many differences it said. */
static int diff_list(struct diffout *o, const char *label, void *const *a, size_t na,
                     void *const *b, size_t nb)
{
	char what[48];
	int n = 0;

	for (size_t i = 0; i < na; i++) {
		const ProtobufCMessage *ma = a[i], *mb = list_find(b, nb, list_key(ma));
		snprintf(what, sizeof(what), label, list_key(ma));
		if (!mb) {
			diff_say(o, what, json_true(), NULL);
			n++;
		} else {
			n += diff_fields(o, what, ma, mb);
		}
	}
	for (size_t i = 0; i < nb; i++)
		if (!list_find(a, na, list_key(b[i]))) {
			snprintf(what, sizeof(what), label, list_key(b[i]));
			diff_say(o, what, NULL, json_true());
			n++;
		}
	return n;
}

static int diff_threads(struct diffout *o, const Crimg__UArea *a, const Crimg__UArea *b)
{
	if (!a || !b) {
		if (a != b)
			diff_say(o, "uarea", a ? json_true() : NULL, b ? json_true() : NULL);
		return a != b;
	}
	return diff_fields(o, "process", &a->process->base, &b->process->base) +
	       diff_list(o, "thread %u", (void *const *)a->threads, a->n_threads,
	                 (void *const *)b->threads, b->n_threads);
}

static int diff_regions(struct diffout *o, const struct imgset *a, const struct imgset *b)
{
	return diff_list(o, "region 0x%08x", (void *const *)a->regions, a->nregions,
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

/* Says a range of pages that differ: kind '+' new, '-' gone, '~' changed. */
static void diff_range(struct diffout *o, char kind, uint32_t start, uint32_t n)
{
	const char *k = kind == '+' ? "new" : kind == '-' ? "gone" : "changed";
	char at[16];

	if (!kind)
		return;
	if (!o->changes) {
		printf("pages 0x%08x+%u: %s\n", start, n, k);
		return;
	}
	snprintf(at, sizeof(at), "0x%08x", start);
	json_array_append_new(o->ranges, json_pack("{s:s, s:I, s:s}", "start", at, "pages",
	                                           (json_int_t)n, "kind", k));
}

/* Every page either set names, compared in ascending order; changed pages
 * are printed as ranges. 1 if any differ. */
static int diff_pages(struct diffout *o, const struct imgchain *a, const struct imgchain *b)
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
		diff_range(o, run_kind, run_start, run_len);
		run_kind = k;
		run_start = (uint32_t)p;
		run_len = 1;
	}
	diff_range(o, run_kind, run_start, run_len);
	if (o->changes)
		o->pages = json_pack("{s:I, s:I, s:I, s:I}", "same", (json_int_t)same, "changed",
		                     (json_int_t)changed, "new", (json_int_t)added, "gone",
		                     (json_int_t)gone);
	else
		printf("pages: %" PRIu64 " same, %" PRIu64 " changed, %" PRIu64 " new, %" PRIu64
		       " gone\n",
		       same, changed, added, gone);
	return added + gone + changed > 0;
}

/* The differences of two sets (and their parents), said to ctx (a
 * struct diffout): CRT_FAILED if any. */
static int diffcmd_sets(const char *d1, const char *d2, void *ctx)
{
	struct diffout *o = ctx;
	struct imgchain *a = NULL, *b = NULL;
	int rc, n;

	if ((rc = imgtext_open_chain(d1, &a)) != CRT_OK)
		return rc;
	if ((rc = imgtext_open_chain(d2, &b)) != CRT_OK) {
		imgchain_free(a);
		return rc;
	}
	n = diff_threads(o, a->set[0]->uarea, b->set[0]->uarea);
	n += diff_regions(o, a->set[0], b->set[0]);
	n += diff_pages(o, a, b);
	imgchain_free(a);
	imgchain_free(b);
	return n ? CRT_FAILED : CRT_OK;
}

int diffcmd_diff(struct cmdline *cl)
{
	char **argv = cl->argv - 1; /* argv[1], argv[2]: the operands */
	struct diffout o = { NULL, NULL, NULL };
	json_t *members = NULL, *j;
	int rc, prc;

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
		if (!cl->set[OPT_JSON])
			return groupimg_diff(argv[1], argv[2], diffcmd_sets, NULL);
		members = json_array();
		rc = groupimg_diff(argv[1], argv[2], diffcmd_sets, members);
	} else if (!cl->set[OPT_JSON]) {
		return diffcmd_sets(argv[1], argv[2], &o);
	} else {
		diffout_json(&o);
		rc = diffcmd_sets(argv[1], argv[2], &o);
	}
	if (rc != CRT_OK && rc != CRT_FAILED) {
		json_decref(members);
		diffout_free(&o);
		return rc;
	}
	/* crtool.diff/1: the changes, or of two groups each member's */
	j = json_pack("{s:s, s:[s, s], s:b}", "schema", "crtool.diff/1", "dirs", argv[1], argv[2],
	              "differ", rc == CRT_FAILED);
	if (j && members)
		json_object_set_new(j, "members", members);
	else if (j)
		diffout_put(&o, j);
	else
		json_decref(members);
	diffout_free(&o);
	prc = cmdline_print_json(j);
	return prc ? prc : rc;
}
