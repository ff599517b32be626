/*
 * test_noc.c - the NoC's handover of a migrating process
 * (endpoints_move): endpoints and everything queued on them move in
 * order, or nothing moves.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "noc/endpoints.h"
#include "noc/mailbox.h"
#include "noc/noc.h"
#include "noc/portal.h"
#include "params/profile.h"

static int copy_in(void *ctx, void *buf, uint32_t off, uint32_t n)
{
	memcpy(buf, (const uint8_t *)ctx + off, n);
	return 0;
}

static int copy_out(void *ctx, void *buf, uint32_t off, uint32_t n)
{
	memcpy((uint8_t *)ctx + off, buf, n);
	return 0;
}

Test(noc, a_moved_process_takes_its_queues_in_order)
{
	const struct profile *p = profile_find("mppa256");
	struct noc *n = noc_new(p);
	uint8_t msg[NOC_MAILBOX_MAX], got[NOC_MAILBOX_MAX], data[64] = "portal data";
	uint8_t back[64] = { 0 };
	uint64_t at;

	cr_assert_not_null(n);
	cr_assert_eq(noc_attach(n, 8, 7), 0);  /* the mover, on node 8 */
	cr_assert_eq(noc_attach(n, 13, 8), 0); /* its peer, on node 13 */
	cr_assert_eq(mailbox_create(n, 8, 7, 1), 0);
	cr_assert_eq(portal_create(n, 8, 7, 2), 0);
	cr_assert_eq(portal_allow(n, 8, 7, 2, 8), 0);
	for (int i = 0; i < 5; i++) {
		memset(msg, 'a' + i, sizeof(msg));
		cr_assert_eq(mailbox_send(n, 13, 8, 8, 7, 1, msg, 0), 0);
	}
	cr_assert_eq(portal_write(n, 13, 8, 8, 7, 2, sizeof(data), copy_in, data, 0, &at), 0);
	cr_assert_eq(endpoints_move(n, 7, 8, 10), 0);
	/* gone from node 8: a sender that still aims there is told so */
	cr_expect_eq(noc_resident(n, 8, 7), 0);
	cr_expect_eq(mailbox_send(n, 13, 8, 8, 7, 1, msg, 0), -ESRCH);
	/* on node 10, everything queued, in order */
	cr_expect_eq(noc_resident(n, 10, 7), 1);
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(mailbox_recv(n, 10, 7, 1, got, &at), 0);
		cr_expect_eq(got[0], 'a' + i, "message %d out of order", i);
	}
	cr_expect_eq(mailbox_recv(n, 10, 7, 1, got, &at), -EAGAIN);
	cr_expect_eq(portal_read(n, 10, 7, 2, sizeof(back), copy_out, back, &at),
	             (int)sizeof(data));
	cr_expect_str_eq((char *)back, "portal data");
	/* and new messages reach it there */
	cr_expect_eq(mailbox_send(n, 13, 8, 10, 7, 1, msg, 0), 0);
	noc_free(n);
}

Test(noc, a_move_that_does_not_fit_changes_nothing)
{
	const struct profile *p = profile_find("mppa256");
	struct noc *n = noc_new(p);
	uint8_t msg[NOC_MAILBOX_MAX] = { 'x' }, got[NOC_MAILBOX_MAX];
	uint32_t port;
	uint64_t at;

	cr_assert_not_null(n);
	cr_assert_eq(noc_attach(n, 8, 7), 0);
	cr_assert_eq(noc_attach(n, 9, 9), 0);
	cr_assert_eq(mailbox_create(n, 8, 7, 1), 0);
	cr_assert_eq(mailbox_send(n, 8, 7, 8, 7, 1, msg, 0), 0);
	/* node 9's mailboxes are all taken */
	for (port = 0; mailbox_create(n, 9, 9, port) == 0; port++)
		;
	cr_expect_eq(endpoints_move(n, 7, 8, 9), -ENOSPC);
	cr_expect_eq(endpoints_move(n, 7, 7, 10), -ESRCH, "not on node 7");
	cr_expect_eq(endpoints_move(n, 7, 8, 8), -EINVAL);
	cr_expect_eq(noc_resident(n, 8, 7), 1);
	cr_expect_eq(noc_resident(n, 9, 7), 0);
	cr_assert_eq(mailbox_recv(n, 8, 7, 1, got, &at), 0);
	cr_expect_eq(got[0], 'x');
	noc_free(n);
}

Test(noc, a_sealed_process_takes_nothing_until_unsealed_or_gone)
{
	const struct profile *p = profile_find("mppa256");
	struct noc *n = noc_new(p);
	uint8_t msg[NOC_MAILBOX_MAX] = { 's' }, got[NOC_MAILBOX_MAX];
	uint64_t at;

	cr_assert_not_null(n);
	cr_assert_eq(noc_attach(n, 8, 7), 0); /* the one dumped */
	cr_assert_eq(noc_attach(n, 9, 3), 0); /* its peer */
	cr_assert_eq(mailbox_create(n, 8, 7, 1), 0);
	cr_assert_eq(noc_seal(n, 8, 7, 1), 0);
	/* the sender waits, and nothing is queued */
	cr_expect_eq(mailbox_send(n, 9, 3, 8, 7, 1, msg, 0), -EAGAIN);
	cr_expect_eq(mailbox_recv(n, 8, 7, 1, got, &at), -EAGAIN);
	/* a failed dump thaws it: what is sent is taken again */
	cr_assert_eq(noc_seal(n, 8, 7, 0), 0);
	cr_expect_eq(mailbox_send(n, 9, 3, 8, 7, 1, msg, 0), 0);
	cr_expect_eq(mailbox_recv(n, 8, 7, 1, got, &at), 0);
	/* a dump that ends it: gone, then restored with its pid, unsealed */
	cr_assert_eq(noc_seal(n, 8, 7, 1), 0);
	noc_detach(n, 8, 7);
	cr_expect_eq(mailbox_send(n, 9, 3, 8, 7, 1, msg, 0), -ESRCH);
	cr_assert_eq(noc_attach(n, 12, 7), 0);
	cr_assert_eq(mailbox_create(n, 12, 7, 1), 0);
	cr_expect_eq(mailbox_send(n, 9, 3, 12, 7, 1, msg, 0), 0);
	noc_free(n);
}

Test(noc, a_filtered_read_takes_one_senders_port_and_keeps_the_order_of_the_rest)
{
	struct noc *n = noc_new(profile_find("mppa256"));
	uint8_t msg[NOC_MAILBOX_MAX] = { 0 }, got[NOC_MAILBOX_MAX];
	uint64_t at;

	cr_assert_not_null(n);
	cr_assert_eq(noc_attach(n, 8, 7), 0);
	cr_assert_eq(noc_attach(n, 9, 3), 0);
	cr_assert_eq(mailbox_create(n, 8, 7, 1), 0);
	for (int i = 0; i < 4; i++) { /* tags 0, 1, 0, 1; the last untagged */
		msg[0] = (uint8_t)('a' + i);
		cr_assert_eq(mailbox_send_tagged(n, 9, 3, 8, 7, 1, (uint32_t)(i % 2), msg, 0), 0);
	}
	msg[0] = 'e';
	cr_assert_eq(mailbox_send(n, 9, 3, 8, 7, 1, msg, 0), 0);
	cr_expect_eq(mailbox_recv_from(n, 8, 7, 1, 3, 1, got, &at), 0);
	cr_expect_eq(got[0], 'b');
	cr_expect_eq(mailbox_recv_from(n, 8, 7, 1, 4, NOC_TAG_ANY, got, &at), -EAGAIN,
	             "nothing from pid 4");
	cr_expect_eq(mailbox_recv_from(n, 8, 7, 1, 0, 1, got, &at), 0);
	cr_expect_eq(got[0], 'd');
	for (const char *want = "ace"; *want; want++) {
		cr_assert_eq(mailbox_recv(n, 8, 7, 1, got, &at), 0);
		cr_expect_eq(got[0], *want, "the rest keep their order");
	}
	noc_free(n);
}

Test(noc, tagged_portal_writes_move_while_the_receiver_waits_for_the_sender)
{
	struct noc *n = noc_new(profile_find("mppa256"));
	uint8_t data[3][8] = { "port 0", "port 1", "port 2" }, back[8];
	uint64_t at;

	cr_assert_not_null(n);
	cr_assert_eq(noc_attach(n, 8, 7), 0);
	cr_assert_eq(noc_attach(n, 9, 3), 0);
	cr_assert_eq(portal_create(n, 8, 7, 2), 0);
	/* nobody waits for pid 3 yet: its write waits */
	cr_expect_eq(portal_write_tagged(n, 9, 3, 8, 7, 2, 0, 8, copy_in, data[0], 0, &at),
	             -EAGAIN);
	cr_expect_eq(portal_read(n, 8, 7, 2, 8, copy_out, back, &at), -EINVAL, "no allow");
	cr_assert_eq(portal_allow_tagged(n, 8, 7, 2, 3, 2), 0);
	/* now each moves: tags 0 and 1 are held, a port nobody created drops */
	for (int i = 0; i < 2; i++)
		cr_expect_eq(portal_write_tagged(n, 9, 3, 8, 7, 2, (uint32_t)i, 8, copy_in, data[i],
		                                 0, &at),
		             0);
	cr_expect_eq(portal_write_tagged(n, 9, 3, 8, 7, 5, 9, 8, copy_in, data[0], 0, &at), 0);
	cr_expect_eq(portal_pending(n, 8, 7, 2), 2);
	cr_expect_eq(portal_write_tagged(n, 9, 3, 8, 7, 2, 2, 8, copy_in, data[2], 0, &at), 0);
	/* the allow matched: the sender waits again */
	cr_expect_eq(portal_write_tagged(n, 9, 3, 8, 7, 2, 3, 8, copy_in, data[2], 0, &at),
	             -EAGAIN);
	cr_expect_eq(portal_allow_tagged(n, 8, 7, 2, 3, 0), -EBUSY, "one allow at a time");
	cr_assert_eq(portal_read(n, 8, 7, 2, 8, copy_out, back, &at), 8);
	cr_expect_str_eq((char *)back, "port 2");
	cr_assert_eq(portal_allow_tagged(n, 8, 7, 2, 3, NOC_TAG_ANY), 0);
	cr_assert_eq(portal_read(n, 8, 7, 2, 8, copy_out, back, &at), 8);
	cr_expect_str_eq((char *)back, "port 0", "the oldest the allow takes");
	cr_expect_eq(portal_pending(n, 8, 7, 2), 1);
	cr_expect_eq(portal_allow_tagged(n, 8, 7, 2, 3, NOC_TAG_NONE), -EINVAL);
	noc_free(n);
}

Test(noc, held_writes_and_tags_survive_a_save_and_a_load)
{
	struct noc *n = noc_new(profile_find("mppa256"));
	uint8_t msg[NOC_MAILBOX_MAX] = { 'm' }, got[NOC_MAILBOX_MAX], data[2][8] = { "w0", "w1" };
	uint8_t back[8];
	struct noc_ep *eps;
	uint32_t neps;
	uint64_t at;

	cr_assert_not_null(n);
	cr_assert_eq(noc_attach(n, 8, 7), 0);
	cr_assert_eq(noc_attach(n, 9, 3), 0);
	cr_assert_eq(mailbox_create(n, 8, 7, 1), 0);
	cr_assert_eq(portal_create(n, 8, 7, 2), 0);
	cr_assert_eq(mailbox_send_tagged(n, 9, 3, 8, 7, 1, 4, msg, 0), 0);
	cr_assert_eq(portal_allow_tagged(n, 8, 7, 2, 3, 1), 0);
	cr_assert_eq(portal_write_tagged(n, 9, 3, 8, 7, 2, 0, 8, copy_in, data[0], 0, &at), 0);
	cr_assert_eq(endpoints_save(n, 8, 7, &eps, &neps), 0);
	noc_detach(n, 8, 7);
	cr_assert_eq(noc_attach(n, 10, 7), 0);
	cr_assert_eq(endpoints_load(n, 10, 7, eps, neps, 0), 0);
	endpoints_free(eps, neps);
	/* the message keeps its tag; the held write and the allow for tag 1 stay */
	cr_expect_eq(mailbox_recv_from(n, 10, 7, 1, 3, 4, got, &at), 0);
	cr_expect_eq(portal_pending(n, 10, 7, 2), 1);
	cr_expect_eq(portal_allow_tagged(n, 10, 7, 2, 3, 0), -EBUSY);
	cr_assert_eq(portal_write_tagged(n, 9, 3, 10, 7, 2, 1, 8, copy_in, data[1], 0, &at), 0);
	cr_assert_eq(portal_read(n, 10, 7, 2, 8, copy_out, back, &at), 8);
	cr_expect_str_eq((char *)back, "w1");
	noc_free(n);
}
