/*
 * nvpingpong.c - mailbox or portal ping-pong between two nodes named by
 * number, in Nanvix's style: the figure `make bench` sets beside the pid
 * API's pingpong, measured in the same run.
 *
 *   nvpingpong [-p] [-t] [-s SIZE] NODE_A NODE_B ROUNDS
 *
 * Started on both nodes (SPMD); A pings, B echoes, ROUNDS round trips of
 * SIZE bytes (mailboxes: up to KMAILBOX_MESSAGE_SIZE, the default;
 * portals with -p: up to 1 MiB, 256 KiB on mppa256, default 4096), data
 * checked. -t also
 * prints the host and modelled time of a one-way trip.
 */
#include <nanvix/sys/mailbox.h>
#include <nanvix/sys/noc.h>
#include <nanvix/sys/portal.h>
#include <nanvix/sys/thread.h>
#include <posix/errno.h>
#include <stdlib.h>
#include <string.h>

#include "nanvix/syscall.h" /* nv_host_ns: the board's host clock, for -t */

#define PORT 5

#ifdef __mppa256__
static char buf[256 * 1024]; /* a compute cluster has 512 KiB */
#else
static char buf[1024 * 1024];
#endif

NORETURN static void die(const char *what, long r)
{
	uprintf("nvpingpong: node %d: %s failed (%ld)", knode_get_num(), what, r);
	_kexit(1);
}

static void fill(int from, int round, size_t size)
{
	for (size_t i = 0; i < size; i += 512)
		buf[i] = (char)(from + round + (int)i);
}

static void check(int from, int round, size_t size)
{
	for (size_t i = 0; i < size; i += 512)
		if (buf[i] != (char)(from + round + (int)i))
			die("data check", round);
}

int main(int argc, char **argv)
{
	int portal = 0, timing = 0, a, b, me, peer, rounds, in, out;
	size_t size = 0;
	uint64_t c0, c1;
	unsigned long long h0, h1;
	long r;

	for (; argc > 1 && argv[1][0] == '-'; argc--, argv++) {
		if (!strcmp(argv[1], "-p"))
			portal = 1;
		else if (!strcmp(argv[1], "-t"))
			timing = 1;
		else if (!strcmp(argv[1], "-s") && argc > 2) {
			size = (size_t)atol(argv[2]);
			argc--, argv++;
		} else
			break;
	}
	if (argc != 4) {
		uprintf("usage: nvpingpong [-p] [-t] [-s SIZE] NODE_A NODE_B ROUNDS");
		return 2;
	}
	a = atoi(argv[1]), b = atoi(argv[2]), rounds = atoi(argv[3]);
	if (!size)
		size = portal ? 4096 : KMAILBOX_MESSAGE_SIZE;
	me = knode_get_num();
	peer = me == a ? b : a;
	if ((me != a && me != b) || a == b || rounds < 1 || size > sizeof(buf) ||
	    (!portal && size > KMAILBOX_MESSAGE_SIZE)) {
		uprintf("nvpingpong: node %d: bad nodes, rounds or size", me);
		return 2;
	}
	if ((in = portal ? kportal_create(me, PORT) : kmailbox_create(me, PORT)) < 0)
		die("create", in);
	if ((out = portal ? kportal_open(me, peer, PORT) : kmailbox_open(peer, PORT)) < 0)
		die("open", out);
	kclock(&c0);
	h0 = nv_host_ns();
	for (int round = 0; round < rounds; round++) {
		for (int leg = 0; leg < 2; leg++) {
			if ((leg == 0) == (me == a)) { /* our turn to send */
				fill(me, round, size);
				r = portal ? kportal_write(out, buf, size) : kmailbox_write(out, buf, size);
				if (r != (long)size)
					die("write", r);
				continue;
			}
			/* the peer's only portal output to us is port 0 of its node */
			if (portal && (r = kportal_allow(in, peer, 0)) < 0)
				die("allow", r);
			r = portal ? kportal_read(in, buf, size) : kmailbox_read(in, buf, size);
			if (r != (long)size)
				die("read", r);
			check(peer, round, size);
		}
	}
	h1 = nv_host_ns();
	kclock(&c1);
	if (me == a) {
		uprintf("nvpingpong: %d round trips of %u bytes over %s between nodes %d and %d: "
		        "data ok",
		        rounds, (unsigned)size, portal ? "portals" : "mailboxes", a, b);
		if (timing)
			uprintf("nvpingpong: one way: host %llu ns, modelled %llu ns",
			        (h1 - h0) / (2ull * (unsigned)rounds),
			        (unsigned long long)((c1 - c0) * 1000000000ull / CLUSTER_FREQ) /
			                (2ull * (unsigned)rounds));
	}
	return 0;
}
