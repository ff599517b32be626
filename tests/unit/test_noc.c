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
	cr_assert_eq(noc_attach(n, 4, 7), 0); /* the mover, on node 4 */
	cr_assert_eq(noc_attach(n, 9, 8), 0); /* its peer, on node 9 */
	cr_assert_eq(mailbox_create(n, 4, 7, 1), 0);
	cr_assert_eq(portal_create(n, 4, 7, 2), 0);
	cr_assert_eq(portal_allow(n, 4, 7, 2, 8), 0);
	for (int i = 0; i < 5; i++) {
		memset(msg, 'a' + i, sizeof(msg));
		cr_assert_eq(mailbox_send(n, 9, 8, 4, 7, 1, msg, 0), 0);
	}
	cr_assert_eq(portal_write(n, 9, 8, 4, 7, 2, sizeof(data), copy_in, data, 0, &at), 0);
	cr_assert_eq(endpoints_move(n, 7, 4, 6), 0);
	/* gone from node 4: a sender that still aims there is told so */
	cr_expect_eq(noc_resident(n, 4, 7), 0);
	cr_expect_eq(mailbox_send(n, 9, 8, 4, 7, 1, msg, 0), -ESRCH);
	/* on node 6, everything queued, in order */
	cr_expect_eq(noc_resident(n, 6, 7), 1);
	for (int i = 0; i < 5; i++) {
		cr_assert_eq(mailbox_recv(n, 6, 7, 1, got, &at), 0);
		cr_expect_eq(got[0], 'a' + i, "message %d out of order", i);
	}
	cr_expect_eq(mailbox_recv(n, 6, 7, 1, got, &at), -EAGAIN);
	cr_expect_eq(portal_read(n, 6, 7, 2, sizeof(back), copy_out, back, &at), (int)sizeof(data));
	cr_expect_str_eq((char *)back, "portal data");
	/* and new messages reach it there */
	cr_expect_eq(mailbox_send(n, 9, 8, 6, 7, 1, msg, 0), 0);
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
	cr_assert_eq(noc_attach(n, 4, 7), 0);
	cr_assert_eq(noc_attach(n, 5, 9), 0);
	cr_assert_eq(mailbox_create(n, 4, 7, 1), 0);
	cr_assert_eq(mailbox_send(n, 4, 7, 4, 7, 1, msg, 0), 0);
	/* node 5's mailboxes are all taken */
	for (port = 0; mailbox_create(n, 5, 9, port) == 0; port++)
		;
	cr_expect_eq(endpoints_move(n, 7, 4, 5), -ENOSPC);
	cr_expect_eq(endpoints_move(n, 7, 3, 6), -ESRCH, "not on node 3");
	cr_expect_eq(endpoints_move(n, 7, 4, 4), -EINVAL);
	cr_expect_eq(noc_resident(n, 4, 7), 1);
	cr_expect_eq(noc_resident(n, 5, 7), 0);
	cr_assert_eq(mailbox_recv(n, 4, 7, 1, got, &at), 0);
	cr_expect_eq(got[0], 'x');
	noc_free(n);
}
