/*
 * test_proc.c - processes from real guest ELFs: output, exit status,
 * arguments on the initial stack, and the heap.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"
#include "harness.h"
#include "physmem.h"
#include "proc.h"

/* Runs a guest with args; returns its state, output in out (NUL-ended). */
static enum proc_state run_guest(const char *rel, char *const argv[], char *out, size_t outlen,
				 int *status)
{
	struct physmem *pm = physmem_new(16u * 1024 * 1024);
	struct frames *fa = frames_new(pm);
	FILE *cap = tmpfile();
	struct proc_opts opts = { 0, 0, fileno(cap), fileno(cap) };
	char *const envp[] = { "CRTOOL=1", NULL };
	struct proc *p;
	char err[256];
	size_t len, got;
	uint8_t *img = th_read_guest(rel, &len);
	enum proc_state st;

	cr_assert_eq(proc_spawn(fa, img, len, argv, envp, &opts, &p, err, sizeof(err)), 0, "%s", err);
	free(img);
	st = proc_run(p, 10000, 0);
	*status = p->status;
	proc_free(p);
	cr_expect_eq(frames_available(fa), frames_total(fa), "every frame returned");
	rewind(cap);
	got = fread(out, 1, outlen - 1, cap);
	out[got] = 0;
	fclose(cap);
	frames_free(fa);
	physmem_free(pm);
	return st;
}

Test(proc, hello_prints_its_arguments)
{
	char out[1024];
	int status;
	char *const argv[] = { "hello", "one", "two words", NULL };

	cr_assert_eq(run_guest("apps/hello.elf", argv, out, sizeof(out), &status), PROC_EXITED);
	cr_expect_eq(status, 0);
	cr_expect_str_eq(out, "Hello from a Nanvix cluster! rv32imac, 2 arguments\n"
			      "  argv[1] = one\n  argv[2] = two words\n");
}

Test(proc, spawn_rejects_garbage_and_leaves_memory_untouched)
{
	struct physmem *pm = physmem_new(4u * 1024 * 1024);
	struct frames *fa = frames_new(pm);
	uint32_t before = frames_available(fa);
	uint8_t junk[200];
	struct proc *p = (struct proc *)1;
	char err[256] = "";
	char *const argv[] = { "x", NULL };

	memset(junk, 0x7f, sizeof(junk));
	cr_expect_eq(proc_spawn(fa, junk, sizeof(junk), argv, NULL, NULL, &p, err, sizeof(err)),
		     -ENOEXEC);
	cr_expect_null(p);
	cr_expect(strlen(err) > 0);
	cr_expect_eq(frames_available(fa), before, "no frame kept after a failed spawn");
	frames_free(fa);
	physmem_free(pm);
}

Test(proc, program_too_big_for_memory_is_enomem)
{
	struct physmem *pm = physmem_new(1u * 1024 * 1024);
	struct frames *fa = frames_new(pm);
	size_t len;
	uint8_t *img = th_read_guest("bench/strided.elf", &len); /* 2 MiB of bss */
	struct proc *p;
	char err[256];
	char *const argv[] = { "strided", NULL };

	cr_expect_eq(proc_spawn(fa, img, len, argv, NULL, NULL, &p, err, sizeof(err)), -ENOMEM);
	cr_expect_eq(frames_available(fa), frames_total(fa));
	free(img);
	frames_free(fa);
	physmem_free(pm);
}
