/*
 * showcmd.c - crtool show: an image set at a glance, as text or as an
 * object (see showcmd.h); a group directory's show is groupimg.c's.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <time.h>

#define LOG_MODULE "images"

#include "crtool/groupimg.h"
#include "crtool/imgtext.h"
#include "crtool/showcmd.h"
#include "images/imgapp.h"
#include "images/imgchain.h"
#include "images/imgkind.h"
#include "images/imgparams.h"

cmdline_opts showcmd_show_opts = { OPT_JSON, -1 };

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
		       imgtext_enum(&crimg__thread_state__descriptor, t->state, "THREAD_", st,
		                    sizeof(st)),
		       t->pc,
		       t->wait ? imgtext_enum(&crimg__wait_reason__descriptor, t->wait, "WAIT_", wt,
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
		imgtext_prot(r->prot, pr);
		printf("    0x%08x 0x%08x %10s %4s %s\n", r->start, r->start + r->length,
		       imgtext_size(r->length, sz, sizeof(sz)), pr,
		       imgtext_enum(&crimg__region_kind__descriptor, r->kind, "REGION_", kt,
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
		       imgtext_enum(&crimg__endpoint_kind__descriptor, ep->kind, "", kt,
		                    sizeof(kt)));
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
	       imgtext_enum(&crimg__set_kind__descriptor, inv->kind, "SET_", kt, sizeof(kt)),
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
	printf("sizes     pages %s raw, %s stored in %u block%s (%u zstd",
	       imgtext_size(raw, a, sizeof(a)), imgtext_size(s->stored_bytes, b, sizeof(b)),
	       s->blocks, s->blocks == 1 ? "" : "s", s->zstd_blocks);
	if (s->stored_bytes)
		printf(", %.2fx", (double)raw / (double)s->stored_bytes);
	printf("); files %s\n", imgtext_size(files, a, sizeof(a)));
	if (s->uarea)
		show_ipc(s);
	printf("parent    ");
	if (c->n == 1)
		printf("none\n");
	for (unsigned i = 1; i < c->n; i++) {
		struct page_counts p = count_pages(c->set[i]);
		printf("%s%s (%s, %" PRIu64 " pages present)\n", i > 1 ? "          <- " : "",
		       c->dir[i],
		       imgtext_enum(&crimg__set_kind__descriptor, c->set[i]->inventory->kind,
		                    "SET_", kt, sizeof(kt)),
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

/* A thread as show's JSON gives it. */
static json_t *show_thread_json(const Crimg__Thread *t)
{
	char st[32], wt[32];
	json_t *o = json_pack(
		"{s:I, s:s, s:I}", "tid", (json_int_t)t->tid, "state",
		imgtext_enum(&crimg__thread_state__descriptor, t->state, "THREAD_", st, sizeof(st)),
		"pc", (json_int_t)t->pc);

	if (o && t->wait) {
		json_object_set_new(o, "waits_for",
		                    json_string(imgtext_enum(&crimg__wait_reason__descriptor,
		                                             t->wait, "WAIT_", wt, sizeof(wt))));
		if (t->n_wait_args)
			json_object_set_new(o, "wait_arg", json_integer(t->wait_args[0]));
	}
	return o;
}

static json_t *show_regions_json(const struct imgset *s)
{
	json_t *a = json_array();
	char kt[32], pr[4];

	for (size_t i = 0; a && i < s->nregions; i++) {
		const Crimg__Region *r = s->regions[i];
		imgtext_prot(r->prot, pr);
		json_array_append_new(
			a, json_pack("{s:I, s:I, s:I, s:s, s:s}", "start", (json_int_t)r->start,
		                     "end", (json_int_t)r->start + r->length, "bytes",
		                     (json_int_t)r->length, "prot", pr, "kind",
		                     imgtext_enum(&crimg__region_kind__descriptor, r->kind,
		                                  "REGION_", kt, sizeof(kt))));
	}
	return a;
}

/* The page runs: where each is and what (present, zero, in-parent). */
static json_t *show_runs_json(const struct imgset *s)
{
	json_t *a = json_array();
	char ft[32];

	for (size_t i = 0; a && i < s->nruns; i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:s}", "start",
		                                   (json_int_t)s->runs[i]->vaddr, "pages",
		                                   (json_int_t)s->runs[i]->count, "kind",
		                                   imgtext_enum(&crimg__pagemap_flag__descriptor,
		                                                (int)s->runs[i]->flags, "PAGEMAP_",
		                                                ft, sizeof(ft))));
	return a;
}

static json_t *show_endpoints_json(const struct imgset *s)
{
	json_t *a = json_array();
	char kt[32];

	for (size_t i = 0; a && i < s->nendpoints; i++) {
		const Crimg__Endpoint *ep = s->endpoints[i];
		json_t *o =
			json_pack("{s:I, s:s, s:I, s:I}", "slot", (json_int_t)ep->slot, "kind",
		                  imgtext_enum(&crimg__endpoint_kind__descriptor, ep->kind, "", kt,
		                               sizeof(kt)),
		                  "port", (json_int_t)ep->port, "queued", (json_int_t)ep->n_queued);
		if (o && ep->n_members) {
			json_object_set_new(o, "members", json_integer((json_int_t)ep->n_members));
			json_object_set_new(o, "key", json_integer(ep->key));
		} else if (o && ep->pid) {
			json_object_set_new(o, "pid", json_integer(ep->pid));
		}
		if (o)
			json_array_append_new(a, o);
	}
	return a;
}

/* Sets key to v in o (v's reference taken). */
static void show_set_key(json_t *o, const char *key, json_t *v)
{
	if (o && v)
		json_object_set_new(o, key, v);
	else
		json_decref(v);
}

/* show_set as an object (crtool.show/1, docs/json.md): what the text
 * says, threads, regions and page runs included. */
static json_t *show_json(const struct imgchain *c)
{
	const struct imgset *s = c->set[0];
	const Crimg__Inventory *inv = s->inventory;
	const Crimg__Process *pr = s->uarea ? s->uarea->process : NULL;
	struct page_counts pc = count_pages(s);
	uint64_t files = 0;
	char kt[32], created[24];
	json_t *j = json_pack("{s:s}", "schema", "crtool.show/1"), *a;

	for (int k = 0; k < IMGKIND_COUNT; k++)
		files += s->file_bytes[k];
	snprintf(created, sizeof(created), "%" PRIu64, inv->created_ns);
	show_set_key(j, "dir", json_string(c->dir[0]));
	show_set_key(j, "kind",
	             json_string(imgtext_enum(&crimg__set_kind__descriptor, inv->kind, "SET_", kt,
	                                      sizeof(kt))));
	show_set_key(j, "format", json_integer(inv->format_version));
	show_set_key(j, "tool_version", json_string(inv->tool_version));
	show_set_key(j, "created_ns", json_string(created)); /* wall clock: 64 bits */
	show_set_key(j, "pid", json_integer(inv->pid));
	show_set_key(j, "name", pr ? json_string(pr->name) : json_null());
	show_set_key(j, "app", pr && pr->app[0] ? json_string(pr->app) : json_null());
	show_set_key(j, "source_node", json_integer(inv->source_node));
	show_set_key(j, "profile", json_string(inv->profile));
	show_set_key(j, "arch", json_string(inv->arch));
	show_set_key(j, "page_size", json_integer(inv->page_size));
	if (pr)
		show_set_key(j, "brk", json_integer(pr->brk));
	a = json_array();
	for (size_t i = 0; a && s->uarea && i < s->uarea->n_threads; i++)
		json_array_append_new(a, show_thread_json(s->uarea->threads[i]));
	show_set_key(j, "threads", a);
	show_set_key(j, "regions", show_regions_json(s));
	show_set_key(j, "pages",
	             json_pack("{s:I, s:I, s:I}", "present", (json_int_t)pc.present, "zero",
	                       (json_int_t)pc.zero, "in_parent", (json_int_t)pc.in_parent));
	show_set_key(j, "page_runs", show_runs_json(s));
	show_set_key(j, "bytes_raw", json_integer((json_int_t)s->npages * CRIMG_PAGE_SIZE));
	show_set_key(j, "bytes_stored", json_integer((json_int_t)s->stored_bytes));
	show_set_key(j, "bytes_files", json_integer((json_int_t)files));
	show_set_key(j, "blocks", json_integer(s->blocks));
	show_set_key(j, "zstd_blocks", json_integer(s->zstd_blocks));
	show_set_key(j, "endpoints", show_endpoints_json(s));
	a = json_array();
	for (unsigned i = 1; a && i < c->n; i++)
		json_array_append_new(
			a,
			json_pack("{s:s, s:s, s:I}", "dir", c->dir[i], "kind",
		                  imgtext_enum(&crimg__set_kind__descriptor,
		                               c->set[i]->inventory->kind, "SET_", kt, sizeof(kt)),
		                  "pages_present", (json_int_t)count_pages(c->set[i]).present));
	show_set_key(j, "parents", a);
	if (pr && pr->n_pid_ns) {
		a = json_array();
		for (size_t i = 0; a && i < pr->n_pid_ns; i++)
			json_array_append_new(a,
			                      json_pack("{s:I, s:I, s:I}", "pid",
			                                (json_int_t)pr->pid_ns[i]->pid, "board_pid",
			                                (json_int_t)pr->pid_ns[i]->board_pid,
			                                "vnode", (json_int_t)pr->pid_ns[i]->vnode));
		show_set_key(j, "pid_ns", a);
	}
	if (s->stats)
		show_set_key(j, "stats",
		             json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "freeze_ns",
		                       (json_int_t)s->stats->freeze_ns, "frozen_ns",
		                       (json_int_t)s->stats->frozen_ns, "transfer_ns",
		                       (json_int_t)s->stats->transfer_ns, "model_transfer_ns",
		                       (json_int_t)s->stats->model_transfer_ns, "pages_scanned",
		                       (json_int_t)s->stats->pages_scanned, "pages_written",
		                       (json_int_t)s->stats->pages_written, "pages_zero",
		                       (json_int_t)s->stats->pages_zero, "pages_in_parent",
		                       (json_int_t)s->stats->pages_in_parent));
	return j;
}

int showcmd_show(struct cmdline *cl)
{
	struct imgchain *c;
	int json = cl->set[OPT_JSON], rc;

	if ((rc = cmdline_operands(cl, 1, "one image directory")) != CRT_OK)
		return rc;
	if (imgapp_is_group(cl->argv[0]))
		return groupimg_show(cl->argv[0], json);
	if ((rc = imgtext_open_chain(cl->argv[0], &c)) != CRT_OK)
		return rc;
	if (json)
		rc = cmdline_print_json(show_json(c));
	else
		show_set(c);
	imgchain_free(c);
	return rc;
}
