/*
 * test_lib.c - libcrtool's calls against a board served in this process
 * (under ASan and UBSan, with leaks checked): each call's results, its
 * failures said with their status and the board's code, the JSON entry
 * point, and nothing leaked either way.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board/board.h"
#include "board/server.h"
#include "diag/crerr.h"
#include "libcrtool/libcrtool.h"
#include "params/profile.h"
#include "tests/unit/harness.h"

static struct board *b;
static pthread_t th;
static char path[108], dir[64], elf[512];
static crt_board *h;

static void *serve(void *arg)
{
	struct crerr e = CRERR_INIT;

	(void)arg;
	server_run(b, path, NULL, &e);
	return NULL;
}

static void setup(void)
{
	struct board_config cfg = { .prof = profile_find("mppa256") };
	struct crerr e = CRERR_INIT;
	const char *g = getenv("GUEST_DIR");

	snprintf(path, sizeof(path), "/tmp/crtool-lib-%d.sock", (int)getpid());
	snprintf(dir, sizeof(dir), "/tmp/crtool-lib-%d", (int)getpid());
	snprintf(elf, sizeof(elf), "%s/apps/seedapp.elf", g ? g : "build/guest");
	b = board_new(&cfg, &e);
	cr_assert(b, "%s", e.msg);
	cr_assert_eq(board_start(b), 0);
	cr_assert_eq(pthread_create(&th, NULL, serve, NULL), 0);
	cr_assert_eq(crt_open(path, &h), CRT_OK);
	/* connected once the socket listens */
	for (int i = 0; i < 500 && crt_connect(h); i++)
		usleep(10000);
	cr_assert_eq(crt_connect(h), CRT_OK, "%s", crt_error(h));
}

static void teardown(void)
{
	cr_expect_eq(crt_shutdown(h), CRT_OK, "%s", crt_error(h));
	crt_close(h);
	pthread_join(th, NULL);
	board_free(b);
}

/* Starts seedapp on node with rounds: its pid. */
static uint32_t start(int node, const char *rounds)
{
	const char *argv[] = { elf,      "--threads", "2",        "--pages", "4",
		               "--size", "100",       "--rounds", rounds };
	struct crt_run_opts o = CRT_RUN_OPTS_INIT;
	uint32_t *pids, pid;
	size_t n;

	o.path = elf;
	o.node = node;
	o.argv = argv;
	o.argc = sizeof(argv) / sizeof(argv[0]);
	cr_assert_eq(crt_run(h, &o, &pids, &n), CRT_OK, "%s", crt_error(h));
	cr_assert_eq(n, 1);
	pid = pids[0];
	crt_free(pids);
	return pid;
}

TestSuite(lib, .init = setup, .fini = teardown, .timeout = 120);

Test(lib, run_ps_wait_logs)
{
	uint32_t pid = start(8, "300");
	struct crt_proc *ps, end;
	size_t n, found = 0;

	cr_assert_eq(crt_ps(h, NULL, &ps, &n), CRT_OK);
	for (size_t i = 0; i < n; i++)
		found += ps[i].pid == pid && ps[i].node == 8 && !strcmp(ps[i].name, "seedapp.elf");
	crt_free(ps);
	cr_expect_eq(found, 1);
	cr_assert_eq(crt_wait(h, pid, &end), CRT_OK);
	cr_expect_eq(end.state, CRT_EXITED);
	cr_expect_eq(end.status, 0);
	cr_expect_eq(end.has_fault, 0);
}

Test(lib, failures_are_said_with_their_status)
{
	struct crt_proc p;
	struct crt_run_opts o = CRT_RUN_OPTS_INIT;
	uint32_t *pids;
	size_t n;

	cr_expect_eq(crt_wait(h, 4242, &p), CRT_NO_PROCESS);
	cr_expect_eq(crt_board_error(h), CRT_BOARD_NO_SUCH_PROCESS);
	cr_expect(strstr(crt_error(h), "4242"), "%s", crt_error(h));
	cr_expect_eq(crt_kill(h, 0), CRT_USAGE);
	cr_expect_eq(crt_board_error(h), CRT_BOARD_OK);
	o.path = "/nonexistent/x.elf";
	cr_expect_eq(crt_run(h, &o, &pids, &n), CRT_IO);
	cr_expect(strstr(crt_error(h), "/nonexistent/x.elf"));
	o.path = elf;
	o.app = "not a name";
	cr_expect_eq(crt_run(h, &o, &pids, &n), CRT_USAGE);
	/* a success clears the last failure */
	cr_assert_eq(crt_ps(h, NULL, (struct crt_proc **)&pids, &n), CRT_OK);
	crt_free(pids);
	cr_expect_str_empty(crt_error(h));
}

Test(lib, migrate_in_every_mode)
{
	uint32_t pid = start(9, "100000000"), to;
	struct crt_migrate_opts o = CRT_MIGRATE_OPTS_INIT;
	struct crt_migrate_result *r;
	struct crt_proc end;

	o.pids = &pid;
	o.n_pids = 1;
	o.to = &to;
	o.n_to = 1;
	for (int mode = CRT_STOP_COPY; mode <= CRT_POST_COPY; mode++) {
		to = 10 + (uint32_t)mode;
		o.mode = mode;
		cr_assert_eq(crt_migrate(h, &o, &r), CRT_OK, "%s", crt_error(h));
		cr_expect_eq(r->n, 1);
		cr_expect_eq(r->members[0].to, (int32_t)to);
		cr_expect_gt(r->members[0].downtime_ns, 0);
		crt_free(r);
	}
	o.mode = 7;
	cr_expect_eq(crt_migrate(h, &o, &r), CRT_USAGE);
	cr_expect_null(r);
	cr_assert_eq(crt_kill(h, pid), CRT_OK);
	cr_assert_eq(crt_wait(h, pid, &end), CRT_OK);
	cr_expect_eq(end.status, 137);
}

Test(lib, dump_and_restore_a_copy)
{
	uint32_t pid = start(12, "100000000");
	struct crt_dump_opts d = CRT_DUMP_OPTS_INIT;
	struct crt_restore_opts r = CRT_RESTORE_OPTS_INIT;
	struct crt_dump_result *dr, *again;
	struct crt_restore_result *rr;
	int32_t node = 13;
	char bad[96], cmd[160];

	/* a place that cannot take images is said before anything is frozen */
	snprintf(bad, sizeof(bad), "%s/no/such/dir", dir);
	d.pids = &pid;
	d.n_pids = 1;
	d.dir = bad;
	d.leave_running = 1;
	cr_expect_eq(crt_dump(h, &d, &dr), CRT_IO);
	cr_expect_null(dr);
	d.dir = dir;
	cr_assert_eq(crt_dump(h, &d, &dr), CRT_OK, "%s", crt_error(h));
	cr_expect_eq(dr->n, 1);
	cr_expect_gt(dr->members[0].pages_written, 0);
	cr_expect_eq(crt_dump(h, &d, &again), CRT_USAGE); /* DIR holds images now */
	cr_expect_null(again);
	r.dir = dir;
	r.nodes = &node;
	r.n_nodes = 1;
	r.new_pid = 1;
	cr_assert_eq(crt_restore(h, &r, &rr), CRT_OK, "%s", crt_error(h));
	cr_expect_eq(rr->members[0].node, 13);
	cr_expect_neq(rr->members[0].pid, pid);
	cr_expect_eq(crt_kill(h, rr->members[0].pid), CRT_OK);
	crt_free(rr);
	crt_free(dr);
	cr_expect_eq(crt_kill(h, pid), CRT_OK);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_expect_eq(system(cmd), 0);
}

Test(lib, json_calls)
{
	char *reply;

	cr_assert_eq(crt_call_json(h, "{\"call\": \"stats\"}", &reply), CRT_OK);
	cr_expect(strstr(reply, "\"schema\":\"crtool.stats/1\""), "%s", reply);
	crt_free(reply);
	cr_expect_eq(crt_call_json(h, "{\"call\": \"ps\", \"bogus\": 1}", &reply), CRT_USAGE);
	cr_expect_null(reply);
	cr_expect(strstr(crt_error(h), "bogus"));
	cr_expect_eq(crt_call_json(h, "{\"call\": \"wait\", \"pid\": 99999}", &reply),
	             CRT_NO_PROCESS);
	cr_expect_eq(crt_call_json(h, "not json", &reply), CRT_USAGE);
	cr_expect_eq(
		crt_call_json(h, "{\"call\": \"migrate\", \"pids\": [1], \"mode\": \"x\"}", &reply),
		CRT_USAGE);
}
