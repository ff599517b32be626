/*
 * migrate-and-copy.c - libcrtool's example (docs/libcrtool.md): starts a
 * program on a serving board, moves it to another cluster while it runs
 * (post-copy), checkpoints it as it runs on, restores the checkpoint as
 * a second copy, and waits for both: their outputs must be the same.
 *
 *   cc migrate-and-copy.c $(pkg-config --cflags --libs crtool) -o example
 *   ./example PROGRAM.elf IMAGES-DIR [ARGS...]
 *
 * The board is $CRTOOL_BOARD's (manycore serve). Exits 0 if both copies
 * ran to the same end, else the library's status of what failed.
 */
#include <libcrtool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Gathers a process's output (crt_logs's callback). */
struct text {
	char buf[65536];
	size_t len;
};

static int gather(void *ctx, const void *data, size_t len, uint64_t lost)
{
	struct text *t = ctx;

	(void)lost;
	if (len > sizeof(t->buf) - t->len)
		len = sizeof(t->buf) - t->len;
	memcpy(t->buf + t->len, data, len);
	t->len += len;
	return 0;
}

/* Says what failed, and returns its status. */
static int fail(crt_board *b, const char *what, int st)
{
	fprintf(stderr, "example: %s: %s (%s)\n", what, crt_error(b), crt_status_text(st));
	return st;
}

int main(int argc, char **argv)
{
	struct crt_run_opts run = CRT_RUN_OPTS_INIT;
	struct crt_migrate_opts mig = CRT_MIGRATE_OPTS_INIT;
	struct crt_dump_opts dump = CRT_DUMP_OPTS_INIT;
	struct crt_restore_opts rest = CRT_RESTORE_OPTS_INIT;
	struct crt_migrate_result *moved;
	struct crt_dump_result *dumped;
	struct crt_restore_result *copy;
	struct crt_proc *ps, end1, end2;
	static struct text out1, out2;
	uint32_t *pids, pid, twin, to = 0;
	const char *dir;
	crt_board *b;
	size_t n;
	int st;

	if (argc < 3) {
		fprintf(stderr, "usage: example PROGRAM.elf IMAGES-DIR [ARGS...]\n");
		return CRT_USAGE;
	}
	dir = argv[2];
	if (crt_open(NULL, &b)) /* $CRTOOL_BOARD, or the default socket */
		return CRT_FAILED;
	printf("libcrtool %s, board at %s\n", crt_version(), crt_path(b));

	/* 1. start the program: its argv is PROGRAM.elf ARGS... */
	argv[2] = argv[1];
	run.path = argv[1];
	run.argv = (const char *const *)argv + 2;
	run.argc = (size_t)argc - 2;
	if ((st = crt_run(b, &run, &pids, &n)))
		return fail(b, "run", st);
	pid = pids[0];
	crt_free(pids);

	/* 2. move it to the next cluster while it runs: post-copy */
	if ((st = crt_ps(b, NULL, &ps, &n)))
		return fail(b, "ps", st);
	for (size_t i = 0; i < n; i++)
		if (ps[i].pid == pid)
			to = ps[i].node + 1;
	crt_free(ps);
	mig.pids = &pid;
	mig.n_pids = 1;
	mig.to = &to;
	mig.n_to = 1;
	mig.mode = CRT_POST_COPY;
	if ((st = crt_migrate(b, &mig, &moved)))
		return fail(b, "migrate", st);
	printf("pid %u moved to node %d\n", pid, moved->members[0].to);
	crt_free(moved);

	/* 3. checkpoint it as it runs on */
	dump.pids = &pid;
	dump.n_pids = 1;
	dump.dir = dir;
	dump.leave_running = 1;
	if ((st = crt_dump(b, &dump, &dumped)))
		return fail(b, "dump", st);
	printf("dumped: %u pages written\n", dumped->members[0].pages_written);
	crt_free(dumped);

	/* 4. its checkpoint restored as a second copy, with a pid of its own */
	rest.dir = dir;
	rest.new_pid = 1;
	if ((st = crt_restore(b, &rest, &copy)))
		return fail(b, "restore", st);
	twin = copy->members[0].pid;
	printf("restored as pid %u on node %u\n", twin, copy->members[0].node);
	crt_free(copy);

	/* 5. both to their end: the same status, the same output */
	if ((st = crt_wait(b, pid, &end1)) || (st = crt_wait(b, twin, &end2)))
		return fail(b, "wait", st);
	if ((st = crt_logs(b, pid, 1, 0, gather, &out1)) ||
	    (st = crt_logs(b, twin, 1, 0, gather, &out2)))
		return fail(b, "logs", st);
	printf("pid %u: %s %d; pid %u: %s %d\n", pid,
	       end1.state == CRT_EXITED ? "exited" : "killed", end1.status, twin,
	       end2.state == CRT_EXITED ? "exited" : "killed", end2.status);
	st = end1.status == end2.status && out1.len == out2.len &&
	                     !memcmp(out1.buf, out2.buf, out1.len)
	             ? CRT_OK
	             : CRT_FAILED;
	printf("%s\n", st ? "the copies differ" : "the same end and the same output");
	crt_close(b);
	return st;
}
