/*
 * pingpong.c - ping-pong between two processes over mailboxes or portals,
 * each side checking every byte it gets (Nanvix's ping-pong benchmark).
 *
 *   pingpong [-p] [-t] [-q] [-s SIZE] pong PEER          (waits, echoes back)
 *   pingpong [-p] [-t] [-q] [-s SIZE] ping PEER [ROUNDS]  (sends, checks echoes)
 *
 * PEER is the other side's pid. -p uses portals (SIZE bytes a message,
 * default 4096), else mailboxes (SIZE <= 128, default 128). -t prints the
 * host time and the modelled time per one-way trip (not deterministic
 * across quanta, so off by default). -q neither fills nor checks the data,
 * so that -t times the transfers alone (for benchmarks).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanvix/ikc.h"
#include "nanvix/syscall.h"

#define PORT 1

static int portal, timing, quick;
static size_t size;

static void die(const char *what, int rc)
{
	fprintf(stderr, "pingpong %d: %s: error %d\n", (int)nv_getpid(), what, rc);
	exit(1);
}

/* Byte i of message `round` from sender pid. */
static unsigned char pattern(int pid, int round, size_t i)
{
	return (unsigned char)(pid * 31 + round * 7 + i * 13);
}

static void fill(unsigned char *b, int pid, int round)
{
	if (quick) {
		b[0] = 0;
		return;
	}
	for (size_t i = 0; i < size; i++)
		b[i] = pattern(pid, round, i);
}

static void check(const unsigned char *b, int pid, int round)
{
	if (quick)
		return;
	for (size_t i = 0; i < size; i++)
		if (b[i] != pattern(pid, round, i)) {
			fprintf(stderr, "pingpong: round %d: byte %u is %u, expected %u\n", round,
				(unsigned)i, b[i], pattern(pid, round, i));
			exit(1);
		}
}

struct link {
	int in, out, peer;
};

/* The input end now; the output end at the first send, so that pong can
 * start before ping exists (opening checks that the peer exists). */
static void link_open(struct link *l, int peer)
{
	l->peer = peer;
	l->out = -1;
	l->in = portal ? nv_portal_create(PORT) : nv_mailbox_create(PORT);
	if (l->in < 0)
		die("create", l->in);
}

static void link_send(struct link *l, const void *b)
{
	int rc;

	if (l->out < 0) {
		l->out = portal ? nv_portal_open(l->peer, PORT) : nv_mailbox_open(l->peer, PORT);
		if (l->out < 0)
			die("open", l->out);
	}
	rc = portal ? nv_portal_write(l->out, b, size) : nv_mailbox_write(l->out, b, size);

	if (rc != (int)size)
		die("write", rc);
}

static void link_recv(struct link *l, void *b)
{
	int rc;

	if (portal && (rc = nv_portal_allow(l->in, l->peer)) < 0)
		die("allow", rc);
	rc = portal ? nv_portal_read(l->in, b, size) : nv_mailbox_read(l->in, b, size);
	if (rc != (int)size)
		die("read", rc);
}

int main(int argc, char **argv)
{
	int i = 1, rounds = 100, me = (int)nv_getpid(), peer, ping, mynode, peernode;
	unsigned long long h0, m0, h1, m1;
	unsigned char *buf;
	struct link l;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-p"))
			portal = 1;
		else if (!strcmp(argv[i], "-t"))
			timing = 1;
		else if (!strcmp(argv[i], "-q"))
			quick = 1;
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			size = strtoul(argv[++i], NULL, 0);
		else
			break;
	}
	if (argc - i < 2 || (strcmp(argv[i], "ping") && strcmp(argv[i], "pong"))) {
		fprintf(stderr, "usage: pingpong [-p] [-t] [-q] [-s SIZE] ping|pong PEER [ROUNDS]\n");
		return 2;
	}
	ping = !strcmp(argv[i], "ping");
	peer = atoi(argv[i + 1]);
	if (argc - i > 2)
		rounds = atoi(argv[i + 2]);
	if (!size)
		size = portal ? 4096 : NV_MAILBOX_SIZE;
	if (size < 2 || size > (portal ? NV_PORTAL_MAX : NV_MAILBOX_SIZE) || rounds < 1) {
		fprintf(stderr, "pingpong: bad size or rounds\n");
		return 2;
	}
	if (!(buf = malloc(size)))
		die("malloc", 0);
	link_open(&l, peer);
	/* where the pair started: the report stays the same if either moves */
	mynode = nv_name_lookup(me);
	peernode = nv_name_lookup(peer);
	h0 = nv_host_ns();
	m0 = nv_now_ns();
	for (int r = 0; r < (ping ? rounds : 1 << 30); r++) {
		if (ping) {
			fill(buf, me, r);
			link_send(&l, buf);
			link_recv(&l, buf);
			check(buf, peer, r);
		} else {
			link_recv(&l, buf);
			if (buf[0] == 0xff && buf[1] == 0xee && size > 1)
				break; /* the end */
			check(buf, peer, r);
			fill(buf, me, r);
			link_send(&l, buf);
		}
	}
	if (!ping)
		return 0;
	h1 = nv_host_ns();
	m1 = nv_now_ns();
	memset(buf, 0, size);
	buf[0] = 0xff;
	buf[1] = 0xee;
	link_send(&l, buf);
	printf("pingpong: %d round trips of %u bytes over %s between pids %d (node %d) and %d "
	       "(node %d): %s\n", rounds, (unsigned)size, portal ? "portals" : "mailboxes",
	       me, mynode, peer, peernode, quick ? "data not checked" : "data ok");
	if (timing)
		printf("pingpong: one way: host %llu ns, modelled %llu ns\n",
		       (h1 - h0) / (2ull * rounds), (m1 - m0) / (2ull * rounds));
	return 0;
}
