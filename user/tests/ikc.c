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
	int in = kmailbox_create(1);
	for (int i = 0; i < NMSG; i++) {
		if (i == 0)
			usleep(1000); /* the checker fills the mailbox meanwhile */
		rc = kmailbox_read(in, msg, sizeof(msg));
		if (rc != NV_MAILBOX_SIZE || msg[0] != (char)i || msg[NV_MAILBOX_SIZE - 1] != (char)~i)
			return 10 + i;
	}
	/* A portal write that waits for our allow. */
	int pin = kportal_create(2);
	usleep(1000);
	if (kportal_allow(pin, checker) || kportal_read(pin, big, sizeof(big)) != 5000)
		return 3;
	for (int i = 0; i < 5000; i++)
		if (big[i] != (char)(i * 7))
			return 4;
	/* A message too big for the first read stays for the second. */
	if (kportal_allow(pin, checker) || kportal_read(pin, big, 100) != E(EMSGSIZE) ||
	    kportal_read(pin, big, sizeof(big)) != 6000)
		return 5;
	/* All-to-one: our signal goes out before the checker creates its end. */
	int s = ksync_open(set, 2, NV_SYNC_ALL_TO_ONE);
	if (s < 0 || ksync_signal(s))
		return 6;
	/* One-to-all: the checker signals us. */
	int w = ksync_create(set, 2, NV_SYNC_ONE_TO_ALL);
	if (w < 0 || ksync_wait(w))
		return 7;
	/* Tell the checker we are done, then end. */
	int out = kmailbox_open(checker, 3);
	memset(msg, 'P', sizeof(msg));
	if (out < 0 || kmailbox_write(out, msg, sizeof(msg)) != NV_MAILBOX_SIZE)
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
	expect("kname_lookup(self) is this cluster", kname_lookup(me), 4);
	expect("kname_lookup(peer) is its cluster", kname_lookup(peer), 5);
	expect("kname_lookup(999): no such process", kname_lookup(999), E(ESRCH));
	expect("kname_lookup(0): not a process", kname_lookup(0), E(EINVAL));

	/* Mailbox arguments. */
	expect("kmailbox_create(-1)", kmailbox_create(-1), E(EINVAL));
	expect("kmailbox_create(32): past the last port", kmailbox_create(NV_PORTS), E(EINVAL));
	int mb = kmailbox_create(3);
	expect("kmailbox_create(3)", mb >= 0, 1);
	expect("kmailbox_create(3) again", kmailbox_create(3), E(EBUSY));
	expect("kmailbox_open(999, 1): no such process", kmailbox_open(999, 1), E(ESRCH));
	expect("kmailbox_open(0, 1)", kmailbox_open(0, 1), E(EINVAL));
	expect("kmailbox_open(peer, 32): wrong port", kmailbox_open(peer, NV_PORTS), E(EINVAL));
	int out = kmailbox_open(peer, 1);
	expect("kmailbox_open(peer, 1)", out >= 0, 1);
	expect("kmailbox_read(bad id)", kmailbox_read(77, msg, sizeof(msg)), E(EBADF));
	expect("kmailbox_read(output end)", kmailbox_read(out, msg, sizeof(msg)), E(EBADF));
	expect("kmailbox_write(input end)", kmailbox_write(mb, msg, sizeof(msg)), E(EBADF));
	expect("kmailbox_read(size 0)", kmailbox_read(mb, msg, 0), E(EINVAL));
	expect("kmailbox_read(size 129)", kmailbox_read(mb, msg, NV_MAILBOX_SIZE + 1), E(EINVAL));
	expect("kmailbox_read(bad buffer)", kmailbox_read(mb, (void *)16, 8), E(EFAULT));
	expect("kmailbox_write(size 0)", kmailbox_write(out, msg, 0), E(EINVAL));
	expect("kmailbox_write(bad buffer)", kmailbox_write(out, (void *)16, 8), E(EFAULT));
	expect("kmailbox_unlink(output end)", kmailbox_unlink(out), E(EBADF));
	expect("kmailbox_close(input end)", kmailbox_close(mb), E(EBADF));

	/* Endpoint table. */
	for (n = 0; n <= NV_IKC_MAX; n++)
		if ((ids[n] = kmailbox_open(peer, 9)) < 0)
			break;
	expect("endpoints run out at the table's size (2 held)", n, NV_IKC_MAX - 2);
	expect("one more is EMFILE", ids[n], E(EMFILE));
	for (int i = 0; i < n; i++)
		kmailbox_close(ids[i]);
	expect("kmailbox_close twice", kmailbox_close(ids[0]), E(EBADF));

	/* Rendezvous: the peer creates its mailbox late and reads slowly;
	 * every message waits, none is lost, order is kept. */
	for (int i = 0; i < NMSG; i++) {
		memset(msg, i, sizeof(msg));
		msg[NV_MAILBOX_SIZE - 1] = (char)~i;
		if ((rc = kmailbox_write(out, msg, sizeof(msg))) != NV_MAILBOX_SIZE)
			break;
	}
	expect("40 messages written before and while the peer reads", rc, NV_MAILBOX_SIZE);

	/* Portals. */
	expect("kportal_create(32)", kportal_create(NV_PORTS), E(EINVAL));
	int pin = kportal_create(2);
	expect("kportal_create(2)", pin >= 0, 1);
	expect("kportal_allow(pid 0)", kportal_allow(pin, 0), E(EINVAL));
	expect("kportal_read before any allow", kportal_read(pin, big, 10), E(EINVAL));
	expect("kportal_allow(peer)", kportal_allow(pin, peer), 0);
	expect("kportal_allow twice", kportal_allow(pin, peer), E(EBUSY));
	expect("kportal_unlink", kportal_unlink(pin), 0);
	expect("kportal_allow after unlink", kportal_allow(pin, peer), E(EBADF));
	int pout = kportal_open(peer, 2);
	expect("kportal_open(peer, 2)", pout >= 0, 1);
	expect("kportal_open(999, 2)", kportal_open(999, 2), E(ESRCH));
	expect("kportal_write(size 0)", kportal_write(pout, big, 0), E(EINVAL));
	expect("kportal_write(over 1 MiB)", kportal_write(pout, big, NV_PORTAL_MAX + 1), E(EINVAL));
	expect("kportal_write(input end)", kportal_write(mb, big, 10), E(EBADF));
	for (int i = 0; i < 5000; i++)
		big[i] = (char)(i * 7);
	expect("kportal_write waits for the peer's allow", kportal_write(pout, big, 5000), 5000);
	expect("kportal_write of 6000 bytes", kportal_write(pout, big, 6000), 6000);

	/* Syncs. */
	int set[2] = { 1, 2 }, dup[2] = { 1, 1 }, other[2] = { 5, 6 };
	expect("ksync_create(1 member)", ksync_create(set, 1, NV_SYNC_ALL_TO_ONE), E(EINVAL));
	expect("ksync_create(bad type)", ksync_create(set, 2, 7), E(EINVAL));
	expect("ksync_create(same pid twice)", ksync_create(dup, 2, NV_SYNC_ALL_TO_ONE), E(EINVAL));
	expect("ksync_create(not a member)", ksync_create(other, 2, NV_SYNC_ALL_TO_ONE), E(EINVAL));
	expect("ksync_create(master of one-to-all waits?)", ksync_create(set, 2, NV_SYNC_ONE_TO_ALL),
	       E(EINVAL));
	expect("ksync_open(master of all-to-one signals?)", ksync_open(set, 2, NV_SYNC_ALL_TO_ONE),
	       E(EINVAL));
	expect("ksync_create(bad pointer)", ksync_create((int *)16, 2, NV_SYNC_ALL_TO_ONE), E(EFAULT));
	usleep(5000); /* the peer signals before our end exists */
	int all = ksync_create(set, 2, NV_SYNC_ALL_TO_ONE);
	expect("ksync_create(all-to-one)", all >= 0, 1);
	expect("ksync_wait takes the early signal", ksync_wait(all), 0);
	expect("ksync_signal(input end)", ksync_signal(all), E(EBADF));
	int one = ksync_open(set, 2, NV_SYNC_ONE_TO_ALL);
	expect("ksync_open(one-to-all)", one >= 0, 1);
	expect("ksync_wait(output end)", ksync_wait(one), E(EBADF));
	expect("ksync_signal(one-to-all)", ksync_signal(one), 0);
	expect("ksync_close", ksync_close(one), 0);
	expect("ksync_unlink", ksync_unlink(all), 0);

	/* The peer's last word, then its end. */
	expect("kmailbox_read of the peer's report", kmailbox_read(mb, msg, sizeof(msg)),
	       NV_MAILBOX_SIZE);
	expect("the report is the peer's", msg[0] == 'P' && msg[NV_MAILBOX_SIZE - 1] == 'P', 1);
	while (kname_lookup(peer) >= 0)
		usleep(1000);
	expect("kmailbox_write to an ended process", kmailbox_write(out, msg, 8), E(ESRCH));
	expect("kmailbox_open of an ended process", kmailbox_open(peer, 1), E(ESRCH));
	expect("kmailbox_unlink", kmailbox_unlink(mb), 0);
	expect("kmailbox_close", kmailbox_close(out), 0);
	printf("%s\n", failures ? "ikc: FAILED" : "ikc: all checks passed");
	return failures != 0;
}
