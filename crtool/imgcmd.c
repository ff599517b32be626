/*
 * imgcmd.c - crtool show, decode, encode, verify and diff: image sets
 * offline, through libcrimg (see imgcmd.h).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOG_MODULE "images"

#include "crtool/cmdline.h"
#include "crtool/groupimg.h"
#include "crtool/imgcmd.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "images/imgapp.h"
#include "images/imgchain.h"
#include "images/imgjson.h"

cmdline_opts imgcmd_show_opts = { OPT_JSON, -1 };
cmdline_opts imgcmd_decode_opts = { OPT_PRETTY, OPT_NO_PAYLOAD, -1 };
cmdline_opts imgcmd_encode_opts = { -1 };
cmdline_opts imgcmd_verify_opts = { -1 };
cmdline_opts imgcmd_diff_opts = { -1 };

/* The exit status for libcrimg's error err. */
static int status_of(int err)
{
	switch (-err) {
	case EINVAL:
	case EPROTONOSUPPORT:
	case ELOOP:
	case EFBIG: return CRT_BAD_IMAGE;
	case ENOMEM: return CRT_FAILED;
	default: return CRT_IO;
	}
}

/* An enum value's name, lowercased, without prefix, '_' as '-':
 * ("THREAD_", 1) -> "ready", ("SET_", 2) -> "pre-dump". */
static const char *enum_name(const ProtobufCEnumDescriptor *d, int v, const char *prefix, char *buf,
                             size_t n)
{
	const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, v);
	const char *s;
	size_t i;

	if (!ev) {
		snprintf(buf, n, "%d?", v);
		return buf;
	}
	s = ev->name;
	if (!strncmp(s, prefix, strlen(prefix)))
		s += strlen(prefix);
	for (i = 0; s[i] && i + 1 < n; i++)
		buf[i] = s[i] == '_' ? '-' : (char)tolower((unsigned char)s[i]);
	buf[i] = 0;
	return buf;
}

static const char *kib(uint64_t bytes, char *buf, size_t n)
{
	if (bytes < 10 * 1024)
		snprintf(buf, n, "%" PRIu64 " B", bytes);
	else if (bytes < 10 * 1024 * 1024)
		snprintf(buf, n, "%.1f KiB", bytes / 1024.0);
	else
		snprintf(buf, n, "%.1f MiB", bytes / 1048576.0);
	return buf;
}

static void prot_text(uint32_t p, char out[4])
{
	out[0] = p & 1 ? 'r' : '-';
	out[1] = p & 2 ? 'w' : '-';
	out[2] = p & 4 ? 'x' : '-';
	out[3] = 0;
}

/* Opens dir's chain, or says why not (and points at verify). */
static int open_chain(const char *dir, struct imgchain **c)
{
	struct crerr e = CRERR_INIT;
	int rc = imgchain_open(dir, c, &e);

	if (rc < 0) {
		LOG_ERROR("%s", e.msg);
		if (e.count > 1)
			LOG_ERROR("and %d more problems (crtool verify %s lists them)", e.count - 1,
			          dir);
		return status_of(rc);
	}
	return CRT_OK;
}

/* ---- show ---- */

struct page_counts {
	uint64_t present, zero, in_parent;
};

static struct page_counts count_pages(const struct imgset *s)
{
	struct page_counts pc = { 0, 0, 0 };

	for (size_t i = 0; i < s->nruns; i++) {
		uint32_t f = s->runs[i]->flags, n = s->runs[i]->count;
		if (f == CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT)
			pc.present += n;
		else if (f == CRIMG__PAGEMAP_FLAG__PAGEMAP_ZERO)
			pc.zero += n;
		else if (f == CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT)
			pc.in_parent += n;
	}
	return pc;
}

static void show_threads(const Crimg__UArea *ua)
{
	char st[32], wt[32];

	printf("threads   %zu\n", ua->n_threads);
	printf("    %5s %-8s %-10s %s\n", "TID", "STATE", "PC", "WAITS FOR");
	for (size_t i = 0; i < ua->n_threads; i++) {
		const Crimg__Thread *t = ua->threads[i];
		printf("    %5u %-8s 0x%08x %s", t->tid,
		       enum_name(&crimg__thread_state__descriptor, t->state, "THREAD_", st,
		                 sizeof(st)),
		       t->pc,
		       t->wait ? enum_name(&crimg__wait_reason__descriptor, t->wait, "WAIT_", wt,
		                           sizeof(wt))
		               : "");
		if (t->wait == CRIMG__WAIT_REASON__WAIT_JOIN && t->n_wait_args)
			printf(" tid %u", t->wait_args[0]);
		else if (t->wait == CRIMG__WAIT_REASON__WAIT_FUTEX && t->n_wait_args)
			printf(" 0x%08x", t->wait_args[0]);
		else if (t->wait == CRIMG__WAIT_REASON__WAIT_LOOKUP && t->n_wait_args)
			printf(" pid %u", t->wait_args[0]);
		printf("\n");
	}
}

static void show_regions(const struct imgset *s)
{
	char kt[32], sz[32], pr[4];

	printf("regions   %zu\n", s->nregions);
	printf("    %-10s %-10s %10s %4s %s\n", "START", "END", "SIZE", "PROT", "KIND");
	for (size_t i = 0; i < s->nregions; i++) {
		const Crimg__Region *r = s->regions[i];
		prot_text(r->prot, pr);
		printf("    0x%08x 0x%08x %10s %4s %s\n", r->start, r->start + r->length,
		       kib(r->length, sz, sizeof(sz)), pr,
		       enum_name(&crimg__region_kind__descriptor, r->kind, "REGION_", kt,
		                 sizeof(kt)));
	}
}

static void show_ipc(const struct imgset *s)
{
	char kt[32];

	printf("ipc       %zu endpoints\n", s->nendpoints);
	for (size_t i = 0; i < s->nendpoints; i++) {
		const Crimg__Endpoint *ep = s->endpoints[i];
		printf("    %2u %-12s", ep->slot,
		       enum_name(&crimg__endpoint_kind__descriptor, ep->kind, "", kt, sizeof(kt)));
		if (ep->n_members)
			printf(" %zu members, key 0x%08x", ep->n_members, ep->key);
		else if (ep->pid)
			printf(" to pid %u port %u", ep->pid, ep->port);
		else
			printf(" port %u", ep->port);
		if (ep->n_queued)
			printf(", %zu queued", ep->n_queued);
		printf("\n");
	}
}

static void show_set(const struct imgchain *c)
{
	const struct imgset *s = c->set[0];
	const Crimg__Inventory *inv = s->inventory;
	struct page_counts pc = count_pages(s);
	uint64_t files = 0, raw = (uint64_t)s->npages * CRIMG_PAGE_SIZE;
	char when[64], a[32], b[32], kt[32];
	time_t t = (time_t)(inv->created_ns / 1000000000u);
	struct tm tm;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&t, &tm));
	for (int k = 0; k < IMGKIND_COUNT; k++)
		files += s->file_bytes[k];
	printf("image set %s: %s, format %u, written by crtool %s at %s\n", c->dir[0],
	       enum_name(&crimg__set_kind__descriptor, inv->kind, "SET_", kt, sizeof(kt)),
	       inv->format_version, inv->tool_version, when);
	printf("process   pid %u", inv->pid);
	if (s->uarea)
		printf(" '%s', brk 0x%08x", s->uarea->process->name, s->uarea->process->brk);
	printf(", from node %u of a %s board (%s, %u-byte pages)\n", inv->source_node, inv->profile,
	       inv->arch, inv->page_size);
	if (s->uarea && s->uarea->process->app[0])
		printf("app       %s\n", s->uarea->process->app);
	if (s->uarea && s->uarea->process->n_pid_ns) {
		/* a group copy's: each member as its peers see it = on the board */
		printf("pid ns   ");
		for (size_t i = 0; i < s->uarea->process->n_pid_ns; i++)
			printf(" %u=%u", s->uarea->process->pid_ns[i]->pid,
			       s->uarea->process->pid_ns[i]->board_pid);
		printf(" (seen=board)\n");
	}
	if (s->uarea)
		show_threads(s->uarea);
	show_regions(s);
	printf("pages     %" PRIu64 " present, %" PRIu64 " zero, %" PRIu64 " in parent\n",
	       pc.present, pc.zero, pc.in_parent);
	printf("sizes     pages %s raw, %s stored in %u block%s (%u zstd", kib(raw, a, sizeof(a)),
	       kib(s->stored_bytes, b, sizeof(b)), s->blocks, s->blocks == 1 ? "" : "s",
	       s->zstd_blocks);
	if (s->stored_bytes)
		printf(", %.2fx", (double)raw / (double)s->stored_bytes);
	printf("); files %s\n", kib(files, a, sizeof(a)));
	if (s->uarea)
		show_ipc(s);
	printf("parent    ");
	if (c->n == 1)
		printf("none\n");
	for (unsigned i = 1; i < c->n; i++) {
		struct page_counts p = count_pages(c->set[i]);
		printf("%s%s (%s, %" PRIu64 " pages present)\n", i > 1 ? "          <- " : "",
		       c->dir[i],
		       enum_name(&crimg__set_kind__descriptor, c->set[i]->inventory->kind, "SET_",
		                 kt, sizeof(kt)),
		       p.present);
	}
	if (s->stats) {
		const Crimg__Stats *st = s->stats;
		printf("stats     freeze %.1f us, frozen %.1f us, transfer %.1f us (NoC model %.1f "
		       "us);"
		       " %u pages scanned, %u written, %u zero, %u in parent\n",
		       st->freeze_ns / 1e3, st->frozen_ns / 1e3, st->transfer_ns / 1e3,
		       st->model_transfer_ns / 1e3, st->pages_scanned, st->pages_written,
		       st->pages_zero, st->pages_in_parent);
	}
}

/* show_set's figures as an object (show --json), for scripts. */
static json_t *show_json(const struct imgchain *c)
{
	const struct imgset *s = c->set[0];
	const Crimg__Inventory *inv = s->inventory;
	struct page_counts pc = count_pages(s);
	uint64_t files = 0;
	char kt[32];
	json_t *j, *parents = json_array();

	for (int k = 0; k < IMGKIND_COUNT; k++)
		files += s->file_bytes[k];
	j = json_pack("{s:s, s:s, s:I, s:s, s:I, s:I, s:s, s:I, s:s, s:s, s:I}", "dir", c->dir[0],
	              "kind",
	              enum_name(&crimg__set_kind__descriptor, inv->kind, "SET_", kt, sizeof(kt)),
	              "format", (json_int_t)inv->format_version, "tool_version", inv->tool_version,
	              "created_ns", (json_int_t)inv->created_ns, "pid", (json_int_t)inv->pid,
	              "name", s->uarea ? s->uarea->process->name : "", "source_node",
	              (json_int_t)inv->source_node, "profile", inv->profile, "arch", inv->arch,
	              "page_size", (json_int_t)inv->page_size);
	if (!j || !parents ||
	    json_object_update_new(
		    j, json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "threads",
	                         (json_int_t)(s->uarea ? s->uarea->n_threads : 0), "regions",
	                         (json_int_t)s->nregions, "pages_present", (json_int_t)pc.present,
	                         "pages_zero", (json_int_t)pc.zero, "pages_in_parent",
	                         (json_int_t)pc.in_parent, "bytes_raw",
	                         (json_int_t)((uint64_t)s->npages * CRIMG_PAGE_SIZE),
	                         "bytes_stored", (json_int_t)s->stored_bytes, "bytes_files",
	                         (json_int_t)files, "blocks", (json_int_t)s->blocks, "endpoints",
	                         (json_int_t)s->nendpoints))) {
		json_decref(j);
		json_decref(parents);
		return NULL;
	}
	for (unsigned i = 1; i < c->n; i++)
		json_array_append_new(
			parents,
			json_pack("{s:s, s:s, s:I}", "dir", c->dir[i], "kind",
		                  enum_name(&crimg__set_kind__descriptor,
		                            c->set[i]->inventory->kind, "SET_", kt, sizeof(kt)),
		                  "pages_present", (json_int_t)count_pages(c->set[i]).present));
	json_object_set_new(j, "parents", parents);
	if (s->uarea && s->uarea->process->app[0])
		json_object_set_new(j, "app", json_string(s->uarea->process->app));
	if (s->uarea && s->uarea->process->n_pid_ns) {
		json_t *ns = json_array();
		for (size_t i = 0; i < s->uarea->process->n_pid_ns; i++) {
			const Crimg__PidName *a = s->uarea->process->pid_ns[i];
			json_array_append_new(ns, json_pack("{s:I, s:I, s:I}", "pid",
			                                    (json_int_t)a->pid, "board_pid",
			                                    (json_int_t)a->board_pid, "vnode",
			                                    (json_int_t)a->vnode));
		}
		json_object_set_new(j, "pid_ns", ns);
	}
	if (s->stats)
		json_object_set_new(j, "stats",
		                    json_pack("{s:f, s:f, s:f, s:f}", "freeze_us",
		                              s->stats->freeze_ns / 1e3, "frozen_us",
		                              s->stats->frozen_ns / 1e3, "transfer_us",
		                              s->stats->transfer_ns / 1e3, "model_transfer_us",
		                              s->stats->model_transfer_ns / 1e3));
	return j;
}

int imgcmd_show(struct cmdline *cl)
{
	struct imgchain *c;
	int json = cl->set[OPT_JSON], rc;

	if ((rc = cmdline_operands(cl, 1, "one image directory")) != CRT_OK)
		return rc;
	if (imgapp_is_group(cl->argv[0]))
		return groupimg_show(cl->argv[0], json);
	if ((rc = open_chain(cl->argv[0], &c)) != CRT_OK)
		return rc;
	if (json)
		rc = cmdline_print_json(show_json(c));
	else
		show_set(c);
	imgchain_free(c);
	return rc;
}

/* ---- decode, encode ---- */

int imgcmd_decode(struct cmdline *cl)
{
	int pretty = cl->set[OPT_PRETTY];
	int payload = !cl->set[OPT_NO_PAYLOAD];
	struct crerr e = CRERR_INIT;
	json_t *j;
	int rc;

	if ((rc = cmdline_operands(cl, 1, "one image file")) != CRT_OK)
		return rc;
	if ((rc = imgjson_decode_file(cl->argv[0], payload, &j, &e)) < 0) {
		LOG_ERROR("%s", e.msg);
		return status_of(rc);
	}
	rc = json_dumpf(j, stdout, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (rc < 0 || fputc('\n', stdout) == EOF || fflush(stdout) == EOF) {
		LOG_ERROR("cannot write the JSON: %s", strerror(errno));
		return CRT_IO;
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
	rc = imgjson_encode_file(j, argv[2], &e);
	json_decref(j);
	if (rc < 0) {
		LOG_ERROR("%s", e.msg);
		return status_of(rc);
	}
	return CRT_OK;
}

/* ---- verify ---- */

static void verify_line(void *ctx, const char *msg)
{
	(void)ctx;
	printf("%s\n", msg);
}

int imgcmd_verify(struct cmdline *cl)
{
	struct crerr e = { .each = verify_line };
	char **argv = cl->argv - 1; /* argv[1]: the operand */
	struct imgchain *c;
	int rc;

	if ((rc = cmdline_operands(cl, 1, "one image directory")) != CRT_OK)
		return rc;
	if (imgapp_is_group(argv[1]))
		return groupimg_verify(argv[1]);
	if ((rc = imgchain_open(argv[1], &c, &e)) < 0)
		return status_of(rc);
	printf("%s: valid %s of pid %u", argv[1],
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

	if ((rc = open_chain(d1, &a)) != CRT_OK)
		return rc;
	if ((rc = open_chain(d2, &b)) != CRT_OK) {
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
