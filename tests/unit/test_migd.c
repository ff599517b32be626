/*
 * test_migd.c - the migration daemons on their own: the clusters of an
 * mppa256 board on a NoC, without a board, the daemons stepped in turn
 * as node threads would (the processes themselves do not run).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "diag/crerr.h"
#include "harness.h"
#include "images/imgparams.h"
#include "kernel-hooks/capture.h"
#include "kernel-hooks/migd.h"
#include "kernel-hooks/pages.h"
#include "kernel-hooks/restore.h"
#include "kernel/cluster.h"
#include "kernel/uarea.h"
#include "noc/noc.h"
#include "params/kparams.h"
#include "params/profile.h"

#define MD_NODES 24
#define MD_ASKS 4

struct md_answer {
	uint32_t id;
	enum migd_stage stage;
	int rc;
	struct migd_result r;
	char err[512];
};

struct md {
	const struct profile *p;
	struct noc *noc;
	struct cluster *c[MD_NODES];
	struct migd_net *m;
	struct md_answer a[MD_ASKS];
	uint32_t moved_pid, moved_from, moved_to;
};

static void md_answered(void *ctx, uint32_t id, enum migd_stage stage, int rc,
                        const struct migd_result *r, const char *err)
{
	struct md *k = ctx;

	for (int i = 0; i < MD_ASKS; i++)
		if (k->a[i].id == id) {
			k->a[i].stage = stage;
			k->a[i].rc = rc;
			k->a[i].r = *r;
			snprintf(k->a[i].err, sizeof(k->a[i].err), "%s", err);
		}
}

static void md_moved(void *ctx, uint32_t pid, uint32_t from, uint32_t to)
{
	struct md *k = ctx;

	k->moved_pid = pid;
	k->moved_from = from;
	k->moved_to = to;
}

static void md_spawn_app(struct md *k, uint32_t node, uint32_t pid, const char *elf, char **argv)
{
	size_t len;
	uint8_t *img = th_read_guest(elf, &len);
	struct crerr e = CRERR_INIT;

	cr_assert_eq(cluster_spawn(k->c[node], pid, img, len, argv, NULL, &e), 0, "%s", e.msg);
	free(img);
}

static void md_spawn(struct md *k, uint32_t node, uint32_t pid)
{
	char *argv[] = { "seedapp", "--size", "64", "--pages", "4", NULL };

	md_spawn_app(k, node, pid, "apps/seedapp.elf", argv);
}

/* The board's clusters and daemons, with pid 7 (a seedapp) on node 8. */
static void md_boot(struct md *k, const struct migd_faults *f)
{
	struct cluster_hooks none = { 0 };
	struct migd_env env;

	memset(k, 0, sizeof(*k));
	k->p = profile_find("mppa256");
	cr_assert_eq(profile_clusters(k->p), MD_NODES);
	k->noc = noc_new(k->p);
	cr_assert_not_null(k->noc);
	for (uint32_t i = 0; i < MD_NODES; i++)
		cr_assert_not_null(k->c[i] = cluster_new(k->p, i, 0, k->noc, &none, NULL));
	env = (struct migd_env){ k->noc,
		                 k->p->name,
		                 k->p->portal_max,
		                 profile_first_compute(k->p),
		                 f ? *f : (struct migd_faults){ 0 },
		                 0,
		                 md_moved,
		                 NULL,
		                 md_answered,
		                 k };
	cr_assert_not_null(k->m = migd_net_new(&env, k->c, MD_NODES));
	md_spawn(k, 8, 7);
}

static void md_free(struct md *k)
{
	for (uint32_t i = 0; i < MD_NODES; i++)
		cluster_free(k->c[i]);
	migd_net_free(k->m);
	noc_free(k->noc);
}

/* Asks from node 0 to move pid from node from to node to; slot i keeps
 * the answers. */
static void md_ask(struct md *k, int i, uint32_t pid, uint32_t from, uint32_t to,
                   enum migd_mode mode)
{
	memset(&k->a[i], 0, sizeof(k->a[i]));
	cr_assert_eq(migd_request(k->m, 0, pid, from, to, mode, 0, &k->a[i].id), 0);
}

/* Steps every daemon until nothing moves; returns the steps taken. */
static int md_settle(struct md *k)
{
	int steps = 0, did = 1;

	while (did && steps < 100000) {
		did = migd_step_all(k->m);
		steps++;
	}
	return steps;
}

/* Answer i: refused with rc, its reason saying why. */
static void md_expect_refused(const struct md *k, int i, int rc, const char *why)
{
	cr_expect_eq(k->a[i].stage, MIGD_DONE, "answer %d never came", i);
	cr_expect_eq(k->a[i].rc, rc, "answer %d: %d, not %d (%s)", i, k->a[i].rc, rc, k->a[i].err);
	cr_expect(strstr(k->a[i].err, why), "answer %d: '%s' does not say '%s'", i, k->a[i].err,
	          why);
}

static int md_runs_on(struct md *k, uint32_t node, uint32_t pid)
{
	const struct uarea *ua = cluster_uarea(k->c[node], pid);

	return ua && ua->state == UPROC_RUNNING && !ua->frozen && noc_resident(k->noc, node, pid);
}

Test(migd, a_move_in_each_mode_goes_cluster_to_cluster)
{
	static const enum migd_mode modes[] = { MIGD_STOP_COPY, MIGD_PRE_COPY, MIGD_POST_COPY };
	struct md k;
	uint32_t at = 8;

	md_boot(&k, NULL);
	/* the last one back to where it started, where its released copy waits to be reaped */
	for (int i = 0; i < 7; i++) {
		uint32_t to = i == 6 ? 8 : 9 + (uint32_t)i;
		md_ask(&k, 0, 7, at, to, modes[i % 3]);
		md_settle(&k);
		cr_assert_eq(k.a[0].stage, MIGD_DONE, "move %d never answered", i);
		cr_assert_eq(k.a[0].rc, 0, "move %d: %s", i, k.a[0].err);
		cr_expect(md_runs_on(&k, to, 7));
		const struct uarea *old = cluster_uarea(k.c[at], 7);
		cr_expect(old && old->state != UPROC_RUNNING && old->killed_by == KILL_MIGRATED,
		          "the source's copy was not released");
		cr_expect(k.moved_pid == 7 && k.moved_from == at && k.moved_to == to);
		cr_expect(k.a[0].r.from == at && k.a[0].r.to == to);
		cr_expect_gt(k.a[0].r.pages, 0);
		cr_expect_gt(k.a[0].r.bytes, 0);
		if (modes[i % 3] == MIGD_POST_COPY)
			cr_expect_eq(k.a[0].r.lazy_pages, k.a[0].r.pushed + k.a[0].r.faults);
		at = to;
	}
	md_free(&k);
}

Test(migd, a_second_move_of_a_process_on_its_way_is_refused)
{
	struct md k;

	md_boot(&k, NULL);
	md_ask(&k, 0, 7, 8, 13, MIGD_PRE_COPY);
	md_ask(&k, 1, 7, 8, 14, MIGD_STOP_COPY);
	md_settle(&k);
	cr_expect_eq(k.a[0].rc, 0, "%s", k.a[0].err);
	md_expect_refused(&k, 1, -EBUSY, "being migrated already");
	cr_expect(md_runs_on(&k, 13, 7));
	md_free(&k);
}

Test(migd, a_refused_move_leaves_the_process_running_where_it_was)
{
	struct migd_faults lost = { .target_lost = 1 };
	struct migd_faults broken = { .transfer_fail = 2 };
	const struct migd_faults *f[] = { &lost, &broken };

	for (int i = 0; i < 2; i++) {
		for (enum migd_mode mode = MIGD_STOP_COPY; mode <= MIGD_POST_COPY; mode++) {
			struct md k;
			uint32_t free0;
			md_boot(&k, f[i]);
			free0 = kcr_free_user_pages(k.c[13]);
			md_ask(&k, 0, 7, 8, 13, mode);
			md_settle(&k);
			cr_expect_eq(kcr_free_user_pages(k.c[13]), free0,
			             "mode %d: the target kept frames of the rounds", mode);
			cr_expect_not(migd_watching(k.m, 9), "mode %d: the target still watches",
			              mode);
			cr_expect_eq(k.a[0].stage, MIGD_DONE);
			cr_expect_eq(k.a[0].rc, i == 0 ? -EHOSTDOWN : -EIO, "mode %d: %d %s", mode,
			             k.a[0].rc, k.a[0].err);
			cr_expect(md_runs_on(&k, 8, 7), "mode %d: not running on the source", mode);
			cr_expect_null(cluster_uarea(k.c[13], 7), "mode %d: the target kept it",
			               mode);
			cr_expect_eq(k.moved_pid, 0);
			md_free(&k);
		}
	}
}

Test(migd, bad_requests_get_clear_answers)
{
	struct md k;

	md_boot(&k, NULL);
	md_ask(&k, 0, 7, 8, 99, MIGD_STOP_COPY);
	md_ask(&k, 1, 7, 8, 8, MIGD_STOP_COPY);
	md_ask(&k, 2, 8, 8, 13, MIGD_STOP_COPY);
	md_ask(&k, 3, 7, 8, 13, (enum migd_mode)9);
	md_settle(&k);
	md_expect_refused(&k, 0, -EINVAL, "is not a node");
	md_expect_refused(&k, 1, -EINVAL, "already runs on node 8");
	md_expect_refused(&k, 2, -ESRCH, "no such running process");
	md_expect_refused(&k, 3, -EINVAL, "unknown migration mode");
	cr_expect(md_runs_on(&k, 8, 7));
	md_free(&k);
}

/* ---- a pre-copy's rounds landed ahead of the rebuild (pages_rounds) ---- */

/* Pid of node 8 captured as a migration does it: a round (pre: pages
 * written since the last round, the process thawed after), or the last
 * set, frozen; sent through a stream in *buf and read back from it. */
static struct imgset *md_round(struct md *k, uint32_t pid, int pre, uint64_t parent,
                               struct imgmem *buf)
{
	struct capture_opts o = {
		.pre_dump = pre, .parent_id = parent, .parent_dir = "../round", .in_place = !pre
	};
	struct crerr e = CRERR_INIT;
	struct imgchan ch;
	struct imgset *s = NULL, *back = NULL;

	cr_assert_eq(kcr_freeze(k->c[8], pid), 0);
	cr_assert_eq(capture_process(k->c[8], pid, &o, &s, &e), 0, "%s", e.msg);
	if (pre) {
		kcr_clean_pages(k->c[8], pid);
		kcr_thaw(k->c[8], pid);
	}
	buf->len = buf->pos = 0;
	ch = imgchan_mem(buf);
	cr_assert_eq(imgset_write_stream(s, &ch, "round", NULL, &e), 0, "%s", e.msg);
	imgset_free(s);
	cr_assert_eq(imgset_read_inplace(&ch, "round", &back, &e), 0, "%s", e.msg);
	return back;
}

static void md_run(struct md *k, uint32_t node, int rounds)
{
	for (int i = 0; i < rounds; i++)
		cluster_round(k->c[node]);
}

/* Pages of a that b lacks. */
static uint32_t md_pages_gone(const struct imgset *a, const struct imgset *b)
{
	uint32_t n = 0;

	for (size_t i = 0; i < a->nruns; i++)
		for (uint32_t j = 0; j < a->runs[i]->count; j++)
			n += imgset_find_run(b, a->runs[i]->vaddr + j * CRIMG_PAGE_SIZE) < 0;
	return n;
}

Test(migd, pre_copy_rounds_land_ahead_and_the_rebuild_matches_the_source_page_for_page)
{
	char *argv[] = { "forkjoin", "--reps", "400", "--max", "6", NULL };
	struct restore_opts ro = { .pid = 8, .frozen = 1, .move_from = 8 };
	struct imgmem buf[2] = { { 0 }, { 0 } };
	struct imgset *round[6] = { NULL };
	struct pages_rounds *st;
	struct md k;
	uint32_t free0, gone = 0, pages = 0;
	struct crerr e = CRERR_INIT;
	int n = 0;

	md_boot(&k, NULL);
	md_spawn_app(&k, 8, 8, "apps/forkjoin.elf", argv); /* its threads' stacks come and go */
	free0 = kcr_free_user_pages(k.c[13]);
	cr_assert_not_null(st = pages_rounds_new(k.c[13]));
	/* rounds at points where different threads live */
	for (n = 0; n < 5; n++) {
		md_run(&k, 8, 7 + 13 * n);
		round[n] = md_round(&k, 8, 1, n ? round[n - 1]->inventory->id : 0, &buf[n % 2]);
		if (n)
			gone += md_pages_gone(round[n - 1], round[n]);
		cr_assert_eq(pages_rounds_take(st, round[n], &ro, &e), 0, "round %d: %s", n, e.msg);
		cr_expect_lt(kcr_free_user_pages(k.c[13]), free0, "round %d took no frames", n);
	}
	cr_expect_gt(gone, 0, "no round dropped a page: the test misses what it is for");
	md_run(&k, 8, 5);
	round[n] = md_round(&k, 8, 0, round[n - 1]->inventory->id, &buf[n % 2]);
	ro.rounds = st;
	cr_assert_eq(restore_process(k.c[13], round[n], &ro, &e), 0, "%s", e.msg);
	/* exactly the last set's pages, each as on the source (which also
	 * keeps its zombie threads' stacks: no image holds those) */
	for (uint32_t va = USER_BASE; va < USER_END; va += CRIMG_PAGE_SIZE) {
		const uint8_t *a = th_page(k.c[8], 8, va, NULL, NULL);
		const uint8_t *b = th_page(k.c[13], 8, va, NULL, NULL);
		cr_assert_eq(b != NULL, imgset_find_run(round[n], va) >= 0,
		             "page 0x%08x: %s on the target", va, b ? "extra" : "missing");
		if (b)
			cr_assert(a && !memcmp(a, b, CRIMG_PAGE_SIZE), "page 0x%08x differs", va);
		pages += b != NULL;
	}
	cr_expect_eq(pages, pages_needed(round[n]));
	imgset_free(round[n]);
	cr_expect_gt(pages, 10);
	pages_rounds_free(st);
	free(buf[0].p);
	free(buf[1].p);
	md_free(&k);
}
