/*
 * test_kernel.c - the cluster kernel through its API: spawning, the
 * UArea, memory limits, several processes, faults and determinism, with
 * real guest programs.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag/crerr.h"
#include "harness.h"
#include "kernel/cluster.h"
#include "kernel/uarea.h"
#include "params/profile.h"

#define KH_PIDS 4
#define KH_OUT 8192

/* A cluster whose console keeps each process's stdout+stderr. */
struct kh {
	struct cluster *c;
	char out[KH_PIDS + 1][KH_OUT];
	size_t len[KH_PIDS + 1];
};

static long kh_write(void *ctx, uint32_t pid, int fd, const void *buf, size_t n)
{
	struct kh *k = ctx;

	(void)fd;
	cr_assert(pid >= 1 && pid <= KH_PIDS);
	if (n > KH_OUT - 1 - k->len[pid])
		n = KH_OUT - 1 - k->len[pid];
	memcpy(k->out[pid] + k->len[pid], buf, n);
	k->len[pid] += n;
	return (long)n;
}

static void kh_boot(struct kh *k, const char *profile)
{
	struct cluster_hooks con = { .write = kh_write, .ctx = k };

	memset(k, 0, sizeof(*k));
	k->c = cluster_new(profile_find(profile), 4, 0, NULL, &con, NULL);
	cr_assert_not_null(k->c);
}

/* Spawns build/guest/REL as pid with argv; returns cluster_spawn's code. */
static int kh_spawn(struct kh *k, uint32_t pid, const char *rel, char *const argv[])
{
	size_t len;
	uint8_t *img = th_read_guest(rel, &len);
	struct crerr e = CRERR_INIT;
	int rc = cluster_spawn(k->c, pid, img, len, argv, NULL, &e);

	free(img);
	return rc;
}

/* Runs rounds until the cluster is idle or every process ended. */
static void kh_run(struct kh *k)
{
	for (int guard = 0; guard < 10000000 && cluster_round(k->c); guard++)
		;
}

Test(kernel, hello_prints_its_arguments_and_exits)
{
	struct kh k;
	char *const argv[] = { "hello", "one", "two words", NULL };
	const struct uarea *ua;

	kh_boot(&k, "default");
	cr_assert_eq(kh_spawn(&k, 1, "apps/hello.elf", argv), 0);
	kh_run(&k);
	ua = cluster_uarea(k.c, 1);
	cr_assert_not_null(ua);
	cr_expect_eq(ua->state, UPROC_EXITED);
	cr_expect_eq(ua->status, 0);
	cr_expect_str_eq(k.out[1], "Hello from a Nanvix cluster! rv32imac, 2 arguments\n"
	                           "  argv[1] = one\n  argv[2] = two words\n");
	cr_expect_eq(cluster_reap(k.c, 1), 0);
	cr_expect_null(cluster_uarea(k.c, 1));
	cluster_free(k.c);
}

Test(kernel, uarea_of_a_one_thread_process_fits_in_2_kib)
{
	struct kh k;
	char *const argv[] = { "hello", NULL };
	const struct uarea *ua;

	kh_boot(&k, "mppa256");
	cr_assert_eq(kh_spawn(&k, 1, "apps/hello.elf", argv), 0);
	ua = cluster_uarea(k.c, 1);
	cr_expect_leq(uarea_bytes(ua), 2048u, "UArea is %zu bytes", uarea_bytes(ua));
	cr_expect_eq(ua->nslots, 1);
	cr_expect_eq(ua->threads_max, 18);
	cr_expect_neq(ua->root, 0u);
	cr_expect_geq(ua->nregions, 3u, "text, data and heap at least");
	cluster_free(k.c);
}

Test(kernel, spawn_rejects_garbage_and_changes_nothing)
{
	struct kh k;
	struct cluster_stats before, after;
	uint8_t junk[200];
	struct crerr e = CRERR_INIT;
	char *const argv[] = { "x", NULL };

	kh_boot(&k, "mppa256");
	cluster_get_stats(k.c, &before);
	memset(junk, 0x7f, sizeof(junk));
	cr_expect_eq(cluster_spawn(k.c, 1, junk, sizeof(junk), argv, NULL, &e), -ENOEXEC);
	cr_expect(strlen(e.msg) > 0);
	cluster_get_stats(k.c, &after);
	cr_expect_eq(after.frames_free, before.frames_free, "no frame kept");
	cr_expect_eq(cluster_processes(k.c), 0u);
	cluster_free(k.c);
}

Test(kernel, program_larger_than_user_memory_is_enomem_with_figures)
{
	struct kh k;
	size_t len;
	uint8_t *img = th_read_guest("bench/strided.elf", &len); /* 2 MiB of bss */
	struct crerr e = CRERR_INIT;
	char *const argv[] = { "strided", NULL };
	struct cluster_stats st;

	kh_boot(&k, "mppa256");
	cr_expect_eq(cluster_spawn(k.c, 1, img, len, argv, NULL, &e), -ENOMEM);
	cr_expect(strstr(e.msg, "KiB of user memory") != NULL, "%s", e.msg);
	cluster_get_stats(k.c, &st);
	cr_expect_eq(st.user_frames_used, 0u);
	cr_expect_eq(st.frames_free, st.frames_total);
	free(img);
	cluster_free(k.c);
}

Test(kernel, duplicate_pid_is_refused)
{
	struct kh k;
	char *const argv[] = { "hello", NULL };

	kh_boot(&k, "default");
	cr_assert_eq(kh_spawn(&k, 7, "apps/hello.elf", argv), 0);
	cr_expect_eq(kh_spawn(&k, 7, "apps/hello.elf", argv), -EEXIST);
	cluster_free(k.c);
}

Test(kernel, a_fault_kills_only_its_process)
{
	struct kh k;
	char *const bad[] = { "segv", NULL };
	char *const good[] = { "hello", "still", NULL };
	const struct uarea *ua;

	kh_boot(&k, "default");
	cr_assert_eq(kh_spawn(&k, 1, "tests/segv.elf", bad), 0);
	cr_assert_eq(kh_spawn(&k, 2, "apps/hello.elf", good), 0);
	kh_run(&k);
	ua = cluster_uarea(k.c, 1);
	cr_expect_eq(ua->state, UPROC_KILLED);
	cr_expect_eq(ua->killed_by, KILL_FAULT);
	cr_expect_eq(ua->status, 128 + 11);
	cr_expect_eq(ua->fault.cause, HART_CAUSE_LOAD_PAGE);
	cr_expect_eq(ua->fault.tid, 1u);
	ua = cluster_uarea(k.c, 2);
	cr_expect_eq(ua->state, UPROC_EXITED);
	cr_expect_eq(ua->status, 0);
	cr_expect_str_eq(k.out[2], "Hello from a Nanvix cluster! rv32imac, 1 argument\n"
	                           "  argv[1] = still\n");
	cluster_free(k.c);
}

Test(kernel, memory_is_returned_when_processes_end)
{
	struct kh k;
	char *const argv[] = { "hello", NULL };
	struct cluster_stats before, after;

	kh_boot(&k, "mppa256");
	cluster_get_stats(k.c, &before);
	cr_assert_eq(kh_spawn(&k, 1, "apps/hello.elf", argv), 0);
	cr_assert_eq(kh_spawn(&k, 2, "apps/hello.elf", argv), 0);
	kh_run(&k);
	cluster_get_stats(k.c, &after);
	cr_expect_eq(after.frames_free, before.frames_free);
	cr_expect_eq(after.user_frames_used, 0u);
	cluster_free(k.c);
}

Test(kernel, kill_ends_a_running_process)
{
	struct kh k;
	char *const argv[] = { "alu", NULL };

	kh_boot(&k, "default");
	cr_assert_eq(kh_spawn(&k, 3, "bench/alu.elf", argv), 0);
	cr_expect_eq(cluster_round(k.c), 1);
	cr_expect_eq(cluster_reap(k.c, 3), -EBUSY);
	cr_expect_eq(cluster_kill(k.c, 3, KILL_REQUEST, 137), 0);
	cr_expect_eq(cluster_uarea(k.c, 3)->state, UPROC_KILLED);
	cr_expect_eq(cluster_kill(k.c, 3, KILL_REQUEST, 137), -ESRCH);
	cr_expect_eq(cluster_round(k.c), 0, "nothing left to run");
	cluster_free(k.c);
}
