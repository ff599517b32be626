/*
 * hostile.c - a guest that attacks its own kernel; at worst it may kill
 * itself, never its cluster, the board or another process.
 *
 *   hostile calls SEED N   N kernel calls with random numbers and
 *                          arguments (pointers anywhere: null, its own
 *                          memory, read-only code, the kernel's range,
 *                          random), from a worker thread that a watchdog
 *                          gives up on if a call blocks for good
 *   hostile jump SEED      jumps to a random address: killed by the fault
 *   hostile memory         takes memory until the kernel refuses, touches
 *                          every page, then asks for far too much
 *   hostile threads        starts threads until the kernel refuses
 *   hostile flood          takes endpoints until refused, floods its own
 *                          mailbox from a second thread, and the name
 *                          service with lookups of random pids
 *
 * Each prints only what is the same on every run of the same program.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nanvix/ikc.h"
#include "nanvix/syscall.h"

static uint32_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static long ecall6(uint32_t nr, const uint32_t a[6])
{
	register long r_a0 __asm__("a0") = (long)a[0];
	register long r_a1 __asm__("a1") = (long)a[1];
	register long r_a2 __asm__("a2") = (long)a[2];
	register long r_a3 __asm__("a3") = (long)a[3];
	register long r_a4 __asm__("a4") = (long)a[4];
	register long r_a5 __asm__("a5") = (long)a[5];
	register long r_a7 __asm__("a7") = (long)nr;

	__asm__ volatile("ecall"
			 : "+r"(r_a0)
			 : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a7)
			 : "memory");
	return r_a0;
}

/* ---- calls ---- */

static uint8_t scratch[8192];
static volatile uint32_t calls_made, calls_done;

static const uint32_t call_nrs[] = {
	NR_read, NR_write, NR_clock_gettime, NR_sched_yield, NR_getpid, NR_gettid, NR_brk,
	NR_kthread_create, NR_kthread_join, NR_kthread_yield, NR_kthread_self, NR_futex_wait,
	NR_futex_wake, NR_sleep_until, NR_nv_counters, NR_kmailbox_create, NR_kmailbox_open,
	NR_kmailbox_unlink, NR_kmailbox_close, NR_kmailbox_read, NR_kmailbox_write,
	NR_kportal_create, NR_kportal_allow, NR_kportal_open, NR_kportal_unlink,
	NR_kportal_close, NR_kportal_read, NR_kportal_write, NR_ksync_create, NR_ksync_open,
	NR_ksync_unlink, NR_ksync_close, NR_ksync_wait, NR_ksync_signal, NR_kname_lookup,
};

/* An argument: a small number, a pointer of some kind, or anything. */
static uint32_t arg(void)
{
	switch (rnd() % 8) {
	case 0: return 0;
	case 1: return rnd() % 64;                                   /* ids, ports, fds */
	case 2: return (uint32_t)(uintptr_t)scratch + rnd() % sizeof(scratch); /* ours */
	case 3: return (uint32_t)(uintptr_t)&arg + rnd() % 256;       /* read-only code */
	case 4: return 0xf0000000u + rnd() % 0x10000000u;            /* the kernel's */
	case 5: return (uint32_t)(uintptr_t)scratch + sizeof(scratch) - rnd() % 16; /* straddles */
	case 6: return 0xffffffffu - rnd() % 16;
	default: return rnd();
	}
}

static void thread_quit(uint32_t a)
{
	nv_kthread_exit(a);
}

static void calls_worker(uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t a[6], nr;
		for (int k = 0; k < 6; k++)
			a[k] = arg();
		nr = rnd() % 4 ? call_nrs[rnd() % (sizeof(call_nrs) / sizeof(call_nrs[0]))] : rnd();
		switch (nr) {
		case NR_exit: case NR_exit_group: case NR_kthread_exit: case NR_kmigrate_to:
			continue; /* ending or moving itself is not an attack */
		case NR_write:
			a[0] = 2; /* garbage, but on stderr */
			break;
		case NR_brk:
			a[0] = 0; /* the C library owns the heap: asking is fine */
			break;
		case NR_kthread_create:
			a[0] = (uint32_t)(uintptr_t)thread_quit;
			break;
		case NR_futex_wait:
		case NR_sleep_until: {
			/* bounded: a deadline within a millisecond */
			uint64_t d = nv_now_ns() + rnd() % 1000000;
			int at = nr == NR_futex_wait ? 2 : 0;
			a[at] = (uint32_t)d;
			a[at + 1] = (uint32_t)(d >> 32);
			break;
		}
		}
		calls_made = i + 1;
		ecall6(nr, a);
	}
	calls_done = 1;
	nv_kthread_exit(0);
}

static int calls(uint32_t seed, uint32_t n)
{
	uint64_t until;
	long tid;

	rng = seed ? seed : 1;
	tid = nv_kthread_create((uintptr_t)calls_worker, n, 0, 0);
	if (tid < 0) {
		printf("calls: cannot start the worker: %ld\n", tid);
		return 1;
	}
	/* The watchdog: a worker blocked for good (a read of an endpoint of
	 * its own that nobody writes) is left behind after a second. */
	until = nv_now_ns() + 1000000000ull;
	while (!calls_done && nv_now_ns() < until)
		nv_sleep_until(nv_now_ns() + 1000000);
	printf("calls: %u of %u made, the kernel %s\n", (unsigned)calls_made, (unsigned)n,
	       calls_done ? "answered every one" : "still holds the last (a wait)");
	fflush(stdout);
	nv_write(2, "\n", 1); /* ends the garbage's last line */
	nv_exit(0); /* ends the worker too, wherever it waits */
}

/* ---- jump ---- */

static int jump(uint32_t seed)
{
	void (*fn)(void);

	rng = seed ? seed : 1;
	fn = (void (*)(void))(uintptr_t)(rnd() & ~1u);
	printf("jump: to 0x%08x\n", (unsigned)(uintptr_t)fn);
	fflush(stdout);
	fn();
	printf("jump: came back\n");
	return 0;
}

/* ---- memory ---- */

static int memory(void)
{
	uintptr_t start = nv_brk(0), end = start, want;
	unsigned touched = 0;

	for (;;) {
		want = end + 64 * 1024;
		if (nv_brk(want) != want)
			break;
		for (uintptr_t p = end; p < want; p += 4096, touched++)
			*(volatile uint8_t *)p = 1;
		end = want;
	}
	printf("memory: took %u KiB in 64 KiB steps until refused, touched %u pages\n",
	       (unsigned)((end - start) / 1024), touched);
	printf("memory: 1 GiB more: %s\n", nv_brk(end + (1u << 30)) == end ? "refused" : "GIVEN");
	printf("memory: the kernel's range: %s\n",
	       nv_brk(0xf0001000u) == end ? "refused" : "GIVEN");
	if (nv_brk(start) != start)
		printf("memory: cannot give it back\n");
	printf("memory: given back, malloc(64 KiB) %s\n", malloc(65536) ? "works" : "FAILS");
	return 0;
}

/* ---- threads ---- */

static volatile uint32_t gate;

static void thread_wait(uint32_t a)
{
	(void)a;
	while (!gate)
		nv_futex_wait(&gate, 0, 0);
	nv_kthread_exit(0);
}

static int threads(void)
{
	long tids[256], rc = 0;
	unsigned n = 0, joined = 0;

	while (n < 256 && (rc = nv_kthread_create((uintptr_t)thread_wait, 0, 0, 0)) >= 0)
		tids[n++] = rc;
	if (rc == -ABI_EAGAIN)
		printf("threads: %u started, then EAGAIN (its thread slots)\n", n);
	else
		printf("threads: %u started, then error %ld (ENOMEM is -12: the cluster's)\n", n, rc);
	gate = 1;
	nv_futex_wake(&gate, 0xffffffffu);
	for (unsigned i = 0; i < n; i++)
		joined += nv_kthread_join((unsigned)tids[i], NULL) == 0;
	printf("threads: %u joined\n", joined);
	return joined != n;
}

/* ---- flood ---- */

#define FLOOD_MSGS 3000
static int flood_out;

static void flood_writer(uint32_t a)
{
	uint8_t msg[NV_MAILBOX_SIZE];

	(void)a;
	for (uint32_t i = 0; i < FLOOD_MSGS; i++) {
		memset(msg, (int)(i & 0xff), sizeof(msg));
		memcpy(msg, &i, sizeof(i));
		if (nv_mailbox_write(flood_out, msg, sizeof(msg)) != (int)sizeof(msg))
			nv_kthread_exit(1);
	}
	nv_kthread_exit(0);
}

static int flood(void)
{
	int ids[NV_IKC_MAX + 1], n = 0, nin, rc = 0, in, bad = 0;
	uint8_t msg[NV_MAILBOX_SIZE];
	unsigned found = 0;
	long tid;

	/* an input on every port, then outputs until the table is full */
	for (int p = 0; p < NV_PORTS && (rc = nv_mailbox_create(p)) >= 0; p++)
		ids[n++] = rc;
	nin = n;
	while (rc >= 0 && n <= NV_IKC_MAX && (rc = nv_mailbox_open(nv_getpid(), 0)) >= 0)
		ids[n++] = rc;
	printf("flood: %d mailboxes and %d outputs, then %s\n", nin, n - nin,
	       rc == -ABI_EMFILE ? "EMFILE" : "something else");
	for (int i = nin; i < n; i++)
		nv_mailbox_close(ids[i]);
	for (int i = 1; i < nin; i++)
		nv_mailbox_unlink(ids[i]);
	in = ids[0];
	flood_out = nv_mailbox_open(nv_getpid(), 0);
	tid = nv_kthread_create((uintptr_t)flood_writer, 0, 0, 0);
	if (in < 0 || flood_out < 0 || tid < 0) {
		printf("flood: no writer: mailbox %d, output %d, thread %ld\n", in, flood_out, tid);
		return 1;
	}
	for (uint32_t i = 0; i < FLOOD_MSGS; i++) {
		uint32_t got;
		if (nv_mailbox_read(in, msg, sizeof(msg)) != (int)sizeof(msg))
			return printf("flood: read %u failed\n", (unsigned)i), 1;
		memcpy(&got, msg, sizeof(got));
		bad += got != i || msg[sizeof(msg) - 1] != (uint8_t)i;
	}
	nv_kthread_join((unsigned)tid, NULL);
	printf("flood: %d messages through its own mailbox, %d out of order or damaged\n",
	       FLOOD_MSGS, bad);
	rng = 7;
	for (int i = 0; i < 2000; i++)
		found += nv_name_lookup((int)(rnd() % 100000)) >= 0;
	printf("flood: 2000 name lookups of random pids, %u of them found\n", found);
	return bad != 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	if (!strcmp(m, "calls") && argc == 4)
		return calls((uint32_t)strtoul(argv[2], NULL, 0), (uint32_t)strtoul(argv[3], NULL, 0));
	if (!strcmp(m, "jump") && argc == 3)
		return jump((uint32_t)strtoul(argv[2], NULL, 0));
	if (!strcmp(m, "memory"))
		return memory();
	if (!strcmp(m, "threads"))
		return threads();
	if (!strcmp(m, "flood"))
		return flood();
	fprintf(stderr, "usage: hostile calls SEED N | jump SEED | memory | threads | flood\n");
	return 2;
}
