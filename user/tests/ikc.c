/*
 * ikc.c - every IKC call and its errors, between this process (pid 1,
 * the checker) and a peer (pid 2) on another cluster: see ikc.args.
 *
 * Also checks rendezvous ordering: writes and signals that come before
 * the receiver's endpoint exists wait for it (or are kept for it), and
 * messages arrive in the order they were sent, across a full mailbox.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nanvix/ikc.h"
#include "nanvix/syscall.h"

#define E(x) (-ABI_##x)
#define NMSG 40 /* more than a mailbox holds */

static int failures;

static void expect(const char *what, int got, int want)
{
	if (got == want) {
		printf("ok   %s\n", what);
	} else {
		printf("FAIL %s: got %d, want %d\n", what, got, want);
		failures++;
	}
}

static int peer_main(void)
{
	char msg[NV_MAILBOX_SIZE];
	static char big[8192];
	int checker = 1, set[2] = { 1, 2 }, rc;

	/* Let the checker write first: its writes must wait for us. */
	usleep(2000);
	int in = nv_mailbox_create(1);
	for (int i = 0; i < NMSG; i++) {
		if (i == 0)
			usleep(1000); /* the checker fills the mailbox meanwhile */
		rc = nv_mailbox_read(in, msg, sizeof(msg));
		if (rc != NV_MAILBOX_SIZE || msg[0] != (char)i || msg[NV_MAILBOX_SIZE - 1] != (char)~i)
			return 10 + i;
	}
	/* A portal write that waits for our allow. */
	int pin = nv_portal_create(2);
	usleep(1000);
	if (nv_portal_allow(pin, checker) || nv_portal_read(pin, big, sizeof(big)) != 5000)
		return 3;
	for (int i = 0; i < 5000; i++)
		if (big[i] != (char)(i * 7))
			return 4;
	/* A message too big for the first read stays for the second. */
	if (nv_portal_allow(pin, checker) || nv_portal_read(pin, big, 100) != E(EMSGSIZE) ||
	    nv_portal_read(pin, big, sizeof(big)) != 6000)
		return 5;
	/* All-to-one: our signal goes out before the checker creates its end. */
	int s = nv_sync_open(set, 2, NV_SYNC_ALL_TO_ONE);
	if (s < 0 || nv_sync_signal(s))
		return 6;
	/* One-to-all: the checker signals us. */
	int w = nv_sync_create(set, 2, NV_SYNC_ONE_TO_ALL);
	if (w < 0 || nv_sync_wait(w))
		return 7;
	/* Tell the checker we are done, then end. */
	int out = nv_mailbox_open(checker, 3);
	memset(msg, 'P', sizeof(msg));
	if (out < 0 || nv_mailbox_write(out, msg, sizeof(msg)) != NV_MAILBOX_SIZE)
		return 8;
	return 0;
}

int main(int argc, char **argv)
{
	char msg[NV_MAILBOX_SIZE];
	static char big[8192];
	int peer = 2, me = (int)nv_getpid(), ids[NV_IKC_MAX + 1], n, rc;

	if (argc > 1 && !strcmp(argv[1], "peer"))
		return peer_main();

	/* Names. */
	expect("nv_name_lookup(self) is this cluster", nv_name_lookup(me), 4);
	expect("nv_name_lookup(peer) is its cluster", nv_name_lookup(peer), 5);
	expect("nv_name_lookup(999): no such process", nv_name_lookup(999), E(ESRCH));
	expect("nv_name_lookup(0): not a process", nv_name_lookup(0), E(EINVAL));

	/* Mailbox arguments. */
	expect("nv_mailbox_create(-1)", nv_mailbox_create(-1), E(EINVAL));
	expect("nv_mailbox_create(32): past the last port", nv_mailbox_create(NV_PORTS), E(EINVAL));
	int mb = nv_mailbox_create(3);
	expect("nv_mailbox_create(3)", mb >= 0, 1);
	expect("nv_mailbox_create(3) again", nv_mailbox_create(3), E(EBUSY));
	expect("nv_mailbox_open(999, 1): no such process", nv_mailbox_open(999, 1), E(ESRCH));
	expect("nv_mailbox_open(0, 1)", nv_mailbox_open(0, 1), E(EINVAL));
	expect("nv_mailbox_open(peer, 32): wrong port", nv_mailbox_open(peer, NV_PORTS), E(EINVAL));
	int out = nv_mailbox_open(peer, 1);
	expect("nv_mailbox_open(peer, 1)", out >= 0, 1);
	expect("nv_mailbox_read(bad id)", nv_mailbox_read(77, msg, sizeof(msg)), E(EBADF));
	expect("nv_mailbox_read(output end)", nv_mailbox_read(out, msg, sizeof(msg)), E(EBADF));
	expect("nv_mailbox_write(input end)", nv_mailbox_write(mb, msg, sizeof(msg)), E(EBADF));
	expect("nv_mailbox_read(size 0)", nv_mailbox_read(mb, msg, 0), E(EINVAL));
	expect("nv_mailbox_read(size 129)", nv_mailbox_read(mb, msg, NV_MAILBOX_SIZE + 1), E(EINVAL));
	expect("nv_mailbox_read(bad buffer)", nv_mailbox_read(mb, (void *)16, 8), E(EFAULT));
	expect("nv_mailbox_write(size 0)", nv_mailbox_write(out, msg, 0), E(EINVAL));
	expect("nv_mailbox_write(bad buffer)", nv_mailbox_write(out, (void *)16, 8), E(EFAULT));
	expect("nv_mailbox_unlink(output end)", nv_mailbox_unlink(out), E(EBADF));
	expect("nv_mailbox_close(input end)", nv_mailbox_close(mb), E(EBADF));

	/* Endpoint table. */
	for (n = 0; n <= NV_IKC_MAX; n++)
		if ((ids[n] = nv_mailbox_open(peer, 9)) < 0)
			break;
	expect("endpoints run out at the table's size (2 held)", n, NV_IKC_MAX - 2);
	expect("one more is EMFILE", ids[n], E(EMFILE));
	for (int i = 0; i < n; i++)
		nv_mailbox_close(ids[i]);
	expect("nv_mailbox_close twice", nv_mailbox_close(ids[0]), E(EBADF));

	/* Rendezvous: the peer creates its mailbox late and reads slowly;
	 * every message waits, none is lost, order is kept. */
	for (int i = 0; i < NMSG; i++) {
		memset(msg, i, sizeof(msg));
		msg[NV_MAILBOX_SIZE - 1] = (char)~i;
		if ((rc = nv_mailbox_write(out, msg, sizeof(msg))) != NV_MAILBOX_SIZE)
			break;
	}
	expect("40 messages written before and while the peer reads", rc, NV_MAILBOX_SIZE);

	/* Portals. */
	expect("nv_portal_create(32)", nv_portal_create(NV_PORTS), E(EINVAL));
	int pin = nv_portal_create(2);
	expect("nv_portal_create(2)", pin >= 0, 1);
	expect("nv_portal_allow(pid 0)", nv_portal_allow(pin, 0), E(EINVAL));
	expect("nv_portal_read before any allow", nv_portal_read(pin, big, 10), E(EINVAL));
	expect("nv_portal_allow(peer)", nv_portal_allow(pin, peer), 0);
	expect("nv_portal_allow twice", nv_portal_allow(pin, peer), E(EBUSY));
	expect("nv_portal_unlink", nv_portal_unlink(pin), 0);
	expect("nv_portal_allow after unlink", nv_portal_allow(pin, peer), E(EBADF));
	int pout = nv_portal_open(peer, 2);
	expect("nv_portal_open(peer, 2)", pout >= 0, 1);
	expect("nv_portal_open(999, 2)", nv_portal_open(999, 2), E(ESRCH));
	expect("nv_portal_write(size 0)", nv_portal_write(pout, big, 0), E(EINVAL));
	expect("nv_portal_write(over 1 MiB)", nv_portal_write(pout, big, NV_PORTAL_MAX + 1), E(EINVAL));
	expect("nv_portal_write(input end)", nv_portal_write(mb, big, 10), E(EBADF));
	for (int i = 0; i < 5000; i++)
		big[i] = (char)(i * 7);
	expect("nv_portal_write waits for the peer's allow", nv_portal_write(pout, big, 5000), 5000);
	expect("nv_portal_write of 6000 bytes", nv_portal_write(pout, big, 6000), 6000);

	/* Syncs. */
	int set[2] = { 1, 2 }, dup[2] = { 1, 1 }, other[2] = { 5, 6 };
	expect("nv_sync_create(1 member)", nv_sync_create(set, 1, NV_SYNC_ALL_TO_ONE), E(EINVAL));
	expect("nv_sync_create(bad type)", nv_sync_create(set, 2, 7), E(EINVAL));
	expect("nv_sync_create(same pid twice)", nv_sync_create(dup, 2, NV_SYNC_ALL_TO_ONE), E(EINVAL));
	expect("nv_sync_create(not a member)", nv_sync_create(other, 2, NV_SYNC_ALL_TO_ONE), E(EINVAL));
	expect("nv_sync_create(master of one-to-all waits?)", nv_sync_create(set, 2, NV_SYNC_ONE_TO_ALL),
	       E(EINVAL));
	expect("nv_sync_open(master of all-to-one signals?)", nv_sync_open(set, 2, NV_SYNC_ALL_TO_ONE),
	       E(EINVAL));
	expect("nv_sync_create(bad pointer)", nv_sync_create((int *)16, 2, NV_SYNC_ALL_TO_ONE), E(EFAULT));
	usleep(5000); /* the peer signals before our end exists */
	int all = nv_sync_create(set, 2, NV_SYNC_ALL_TO_ONE);
	expect("nv_sync_create(all-to-one)", all >= 0, 1);
	expect("nv_sync_wait takes the early signal", nv_sync_wait(all), 0);
	expect("nv_sync_signal(input end)", nv_sync_signal(all), E(EBADF));
	int one = nv_sync_open(set, 2, NV_SYNC_ONE_TO_ALL);
	expect("nv_sync_open(one-to-all)", one >= 0, 1);
	expect("nv_sync_wait(output end)", nv_sync_wait(one), E(EBADF));
	expect("nv_sync_signal(one-to-all)", nv_sync_signal(one), 0);
	expect("nv_sync_close", nv_sync_close(one), 0);
	expect("nv_sync_unlink", nv_sync_unlink(all), 0);

	/* The peer's last word, then its end. */
	expect("nv_mailbox_read of the peer's report", nv_mailbox_read(mb, msg, sizeof(msg)),
	       NV_MAILBOX_SIZE);
	expect("the report is the peer's", msg[0] == 'P' && msg[NV_MAILBOX_SIZE - 1] == 'P', 1);
	while (nv_name_lookup(peer) >= 0)
		usleep(1000);
	expect("nv_mailbox_write to an ended process", nv_mailbox_write(out, msg, 8), E(ESRCH));
	expect("nv_mailbox_open of an ended process", nv_mailbox_open(peer, 1), E(ESRCH));
	expect("nv_mailbox_unlink", nv_mailbox_unlink(mb), 0);
	expect("nv_mailbox_close", nv_mailbox_close(out), 0);
	printf("%s\n", failures ? "ikc: FAILED" : "ikc: all checks passed");
	return failures != 0;
}
