/*
 * groupapp.c - applications of N processes in three patterns, for group
 * checkpoints (tests/cr dumps them whole at many points):
 *
 *   groupapp alltoall|fanin|pipeline|barrier FIRST N ROUNDS
 *
 * The processes are pids FIRST .. FIRST+N-1 (2 to 32), all started with
 * the same arguments (an SPMD launch: manycore run --nodes). The first
 * (the pipeline's last stage) prints one line at the end; any process that finds a wrong byte says
 * so and exits 1.
 *
 * - alltoall: each round (a barrier between two) every process sends
 *   each other one mailbox message and reads N-1, in any order; those
 *   from one sender come in its order.
 * - fanin: every other process sends ROUNDS messages to the first, which
 *   reads them: its mailbox is full and its senders wait on it.
 * - pipeline: process 0 makes ROUNDS items of 4 KiB, each stage adds its
 *   mark and passes the item on by portal to the next (which allows it
 *   first: a writer waits for its allow); the last checks and sums.
 * - barrier: ROUNDS of compute, then a barrier (every other process
 *   signals the first, all-to-one; the first releases them, one-to-all).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanvix/abi.h"
#include "nanvix/ikc.h"
#include "nanvix/syscall.h"

#define PORT 5
#define ITEM 4096

static int me, first, n, rounds;

static void die(const char *what, int rc)
{
	fprintf(stderr, "groupapp %d: %s: error %d\n", me, what, rc);
	exit(1);
}

static uint32_t mix(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	return x;
}

struct msg {
	int from, round;
	uint32_t word[30];
};

/* The barrier of every process: the others signal the first
 * (all-to-one), the first releases them (one-to-all). */
static int arrive, leave;

static void barrier_open(void)
{
	int set[NV_SYNC_MAX];

	for (int j = 0; j < n; j++)
		set[j] = first + j;
	arrive = me == 0 ? nv_sync_create(set, n, NV_SYNC_ALL_TO_ONE)
	                 : nv_sync_open(set, n, NV_SYNC_ALL_TO_ONE);
	leave = me == 0 ? nv_sync_open(set, n, NV_SYNC_ONE_TO_ALL)
	                : nv_sync_create(set, n, NV_SYNC_ONE_TO_ALL);
	if (arrive < 0 || leave < 0)
		die("nv_sync", arrive < 0 ? arrive : leave);
}

static void barrier_pass(void)
{
	int rc;

	if (me == 0) {
		if ((rc = nv_sync_wait(arrive)) < 0 || (rc = nv_sync_signal(leave)) < 0)
			die("barrier (first)", rc);
	} else if ((rc = nv_sync_signal(arrive)) < 0 || (rc = nv_sync_wait(leave)) < 0) {
		die("barrier", rc);
	}
}

static void barrier_close(void)
{
	if (me == 0) {
		nv_sync_unlink(arrive);
		nv_sync_close(leave);
	} else {
		nv_sync_close(arrive);
		nv_sync_unlink(leave);
	}
}

/* A round is N-1 messages to each process, at most 15: with a barrier
 * between rounds no mailbox (16 deep) fills, so no two processes can
 * each wait on the other's full mailbox. */
static int alltoall(void)
{
	int in = nv_mailbox_create(PORT), out[NV_SYNC_MAX], next[NV_SYNC_MAX] = { 0 }, rc;
	uint32_t sum = 0;
	struct msg m;

	if (in < 0)
		die("nv_mailbox_create", in);
	barrier_open();
	for (int j = 0; j < n; j++)
		if (j != me && (out[j] = nv_mailbox_open(first + j, PORT)) < 0)
			die("nv_mailbox_open", out[j]);
	for (int r = 0; r < rounds; r++) {
		barrier_pass();
		for (int j = 0; j < n; j++) {
			if (j == me)
				continue;
			m.from = me;
			m.round = r;
			for (int w = 0; w < 30; w++)
				m.word[w] = mix((uint32_t)(me * 1000003 + r * 31 + w + j));
			if ((rc = nv_mailbox_write(out[j], &m, sizeof(m))) != (int)sizeof(m))
				die("nv_mailbox_write", rc);
		}
		for (int k = 0; k < n - 1; k++) {
			if ((rc = nv_mailbox_read(in, &m, sizeof(m))) != (int)sizeof(m))
				die("nv_mailbox_read", rc);
			if (m.from < 0 || m.from >= n || m.from == me || m.round != next[m.from]) {
				fprintf(stderr, "groupapp %d: message %d from %d out of order\n", me,
				        m.round, m.from);
				exit(1);
			}
			next[m.from]++;
			for (int w = 0; w < 30; w++) {
				if (m.word[w] != mix((uint32_t)(m.from * 1000003 + m.round * 31 + w + me))) {
					fprintf(stderr, "groupapp %d: word %d from %d wrong\n", me, w,
					        m.from);
					exit(1);
				}
				sum += m.word[w];
			}
		}
	}
	for (int j = 0; j < n; j++)
		if (j != me)
			nv_mailbox_close(out[j]);
	barrier_close();
	nv_mailbox_unlink(in);
	return (int)(sum & 0x7fffffff);
}

/* Every other process sends ROUNDS messages to the first, which reads
 * them one by one: its mailbox fills and senders wait on it. */
static int fanin(void)
{
	int in = -1, out = -1, next[NV_SYNC_MAX] = { 0 }, rc;
	uint32_t sum = 0;
	struct msg m;

	if (me == 0 && (in = nv_mailbox_create(PORT)) < 0)
		die("nv_mailbox_create", in);
	if (me > 0 && (out = nv_mailbox_open(first, PORT)) < 0)
		die("nv_mailbox_open", out);
	for (int r = 0; r < rounds && me > 0; r++) {
		m.from = me;
		m.round = r;
		for (int w = 0; w < 30; w++)
			m.word[w] = mix((uint32_t)(me * 7919 + r * 131 + w));
		if ((rc = nv_mailbox_write(out, &m, sizeof(m))) != (int)sizeof(m))
			die("nv_mailbox_write", rc);
	}
	for (int k = 0; me == 0 && k < rounds * (n - 1); k++) {
		if ((rc = nv_mailbox_read(in, &m, sizeof(m))) != (int)sizeof(m))
			die("nv_mailbox_read", rc);
		if (m.from <= 0 || m.from >= n || m.round != next[m.from]++) {
			fprintf(stderr, "groupapp: message %d from %d out of order\n", m.round, m.from);
			exit(1);
		}
		for (int w = 0; w < 30; w++)
			if (m.word[w] != mix((uint32_t)(m.from * 7919 + m.round * 131 + w))) {
				fprintf(stderr, "groupapp: word %d from %d wrong\n", w, m.from);
				exit(1);
			}
		sum += m.word[m.round % 30] ^ (uint32_t)m.from; /* in any order of senders */
	}
	if (out >= 0)
		nv_mailbox_close(out);
	if (in >= 0)
		nv_mailbox_unlink(in);
	return (int)(sum & 0x7fffffff);
}

static int pipeline(void)
{
	static uint8_t item[ITEM];
	int in = -1, out = -1, rc;
	uint32_t sum = 0;

	if (me > 0 && (in = nv_portal_create(PORT)) < 0)
		die("nv_portal_create", in);
	if (me < n - 1 && (out = nv_portal_open(first + me + 1, PORT)) < 0)
		die("nv_portal_open", out);
	for (int r = 0; r < rounds; r++) {
		if (me == 0) {
			for (int i = 0; i < ITEM; i++)
				item[i] = (uint8_t)mix((uint32_t)(r * ITEM + i));
		} else {
			if ((rc = nv_portal_allow(in, first + me - 1)) < 0)
				die("nv_portal_allow", rc);
			if ((rc = nv_portal_read(in, item, ITEM)) != ITEM)
				die("nv_portal_read", rc);
		}
		item[me] ^= (uint8_t)(me + 1); /* this stage's mark */
		if (me < n - 1) {
			if ((rc = nv_portal_write(out, item, ITEM)) != ITEM)
				die("nv_portal_write", rc);
			continue;
		}
		for (int i = 0; i < ITEM; i++) {
			uint8_t want = (uint8_t)mix((uint32_t)(r * ITEM + i));
			if (i < n)
				want ^= (uint8_t)(i + 1);
			if (item[i] != want) {
				fprintf(stderr, "groupapp %d: item %d byte %d wrong\n", me, r, i);
				exit(1);
			}
			sum = sum * 31 + item[i];
		}
	}
	if (out >= 0)
		nv_portal_close(out);
	if (in >= 0)
		nv_portal_unlink(in);
	return (int)(sum & 0x7fffffff);
}

static int barrier(void)
{
	uint32_t acc = (uint32_t)me;

	barrier_open();
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < 2000 * (1 + (me + r) % 4); i++)
			acc = mix(acc + (uint32_t)i);
		barrier_pass();
	}
	barrier_close();
	return (int)(acc & 0x7fffffff);
}

int main(int argc, char **argv)
{
	int v;

	if (argc != 5 || (strcmp(argv[1], "alltoall") && strcmp(argv[1], "pipeline") &&
	                  strcmp(argv[1], "barrier") && strcmp(argv[1], "fanin"))) {
		fprintf(stderr, "usage: groupapp alltoall|fanin|pipeline|barrier FIRST N ROUNDS\n");
		return 2;
	}
	first = atoi(argv[2]);
	n = atoi(argv[3]);
	rounds = atoi(argv[4]);
	me = nv_getpid() - first;
	if (n < 2 || n > NV_SYNC_MAX || rounds < 1 || me < 0 || me >= n) {
		fprintf(stderr, "groupapp: bad arguments (pid %d, first %d, n %d)\n", nv_getpid(),
		        first, n);
		return 2;
	}
	v = !strcmp(argv[1], "alltoall") ? alltoall()
	    : !strcmp(argv[1], "fanin")    ? fanin()
	    : !strcmp(argv[1], "pipeline") ? pipeline()
	                                   : barrier();
	if (me == (!strcmp(argv[1], "pipeline") ? n - 1 : 0)) /* the one that saw it all */
		printf("groupapp %s: %d processes, %d rounds: value %d\n", argv[1], n, rounds, v);
	return 0;
}
