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
