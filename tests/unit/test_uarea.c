/*
 * test_uarea.c - the UArea block: thread slots grow and shrink, the ready
 * queue is FIFO, stacks do not overlap, limits hold; pid name spaces
 * translate.
 */
#include <criterion/criterion.h>
#include <errno.h>

#include "kernel/pidns.h"
#include "kernel/uarea.h"
#include "params/kparams.h"

Test(uarea, grows_to_the_limit_then_refuses)
{
	struct uarea *ua = uarea_new(1, "t", 5, 8192, 8192);
	int s;

	cr_assert_not_null(ua);
	cr_expect_eq(uarea_bytes(ua), sizeof(struct uarea) + sizeof(struct uthread));
	for (int i = 0; i < 5; i++) {
		s = uarea_add_thread(&ua);
		cr_assert_eq(s, i);
		cr_expect_eq(ua->slot[s].tid, (uint32_t)i + 1);
	}
	cr_expect_eq(ua->nslots, 5);
	cr_expect_eq(uarea_add_thread(&ua), -EAGAIN);
	uarea_drop_thread(ua, 4);
	uarea_drop_thread(ua, 3);
	uarea_shrink(&ua);
	cr_expect_eq(ua->nslots, 3);
	s = uarea_add_thread(&ua);
	cr_expect_eq(s, 3);
	cr_expect_eq(ua->slot[s].tid, 6u, "tids are never reused");
	uarea_free(ua);
}

Test(uarea, ready_queue_is_fifo_and_removal_keeps_order)
{
	struct uarea *ua = uarea_new(1, "t", 8, 8192, 8192);

	for (int i = 0; i < 4; i++)
		uarea_add_thread(&ua);
	for (unsigned i = 0; i < 4; i++)
		uarea_ready_push(ua, i);
	uarea_ready_remove(ua, 2);
	cr_expect_eq(uarea_ready_pop(ua), 0);
	uarea_ready_remove(ua, 3); /* the tail */
	cr_expect_eq(uarea_ready_pop(ua), 1);
	cr_expect_eq(uarea_ready_pop(ua), -1);
	uarea_ready_push(ua, 3);
	cr_expect_eq(uarea_ready_pop(ua), 3, "the tail was fixed by the removal");
	uarea_free(ua);
}

Test(uarea, stacks_are_disjoint_with_guard_pages_below_the_top)
{
	struct uarea *ua = uarea_new(1, "t", 18, 16384, 8192);
	uint32_t prev_bottom = USER_END + KSTACK_GUARD, top, size;

	for (unsigned s = 0; s < 18; s++) {
		uarea_stack_of(ua, s, &top, &size);
		cr_expect_eq(size, s ? 8192u : 16384u);
		cr_expect_eq(top % 16, 0u);
		cr_expect_leq(top + KSTACK_GUARD, prev_bottom, "slot %u overlaps", s);
		prev_bottom = top - size;
	}
	cr_expect_eq(uarea_stacks_floor(ua), prev_bottom - KSTACK_GUARD);
	uarea_free(ua);
}

Test(uarea, header_is_pointer_free_and_small)
{
	cr_expect_leq(sizeof(struct uarea) + sizeof(struct uthread), 2048u);
	cr_expect_null(uarea_new(1, "t", 0, 8192, 8192));
	cr_expect_null(uarea_new(1, "t", UAREA_THREADS_MAX + 1, 8192, 8192));
}

/* A group copy's name space: its members' old pids in, board pids out;
 * any other pid (a process outside) is the same on both sides. */
Test(pidns, translates_members_and_passes_others_through)
{
	struct pidns ns = { 2, { { 5, 41, 12 }, { 6, 42, 13 } } };
	uint32_t seen = 0;

	cr_expect_eq(pidns_to_board(&ns, 5), 41u);
	cr_expect_eq(pidns_to_board(&ns, 6), 42u);
	cr_expect_eq(pidns_to_board(&ns, 9), 9u, "outside the name space");
	cr_expect_eq(pidns_to_seen(&ns, 42), 6u);
	cr_expect_eq(pidns_to_seen(&ns, 5), 5u, "the original's member, seen from inside");
	cr_expect_eq(pidns_to_board(NULL, 5), 5u);
	cr_expect_eq(pidns_to_seen(NULL, 41), 41u);
	cr_expect(pidns_vnode(&ns, 13, &seen));
	cr_expect_eq(seen, 6u);
	cr_expect_not(pidns_vnode(&ns, 14, &seen));
	cr_expect_not(pidns_vnode(NULL, 12, &seen));
}

Test(pidns, check_refuses_what_cannot_be_one)
{
	struct pidns ns = { 2, { { 5, 41, 12 }, { 6, 42, 13 } } };

	cr_expect_eq(pidns_check(&ns, 41), 0);
	cr_expect_eq(pidns_check(&ns, 43), -EINVAL, "not its own");
	ns.name[1].seen = 5;
	cr_expect_eq(pidns_check(&ns, 41), -EINVAL, "two members seen as one pid");
	ns.name[1].seen = 6;
	ns.name[1].pid = 41;
	cr_expect_eq(pidns_check(&ns, 41), -EINVAL, "two members on one board pid");
	ns.name[1].pid = 0;
	cr_expect_eq(pidns_check(&ns, 41), -EINVAL);
	ns.n = 0;
	cr_expect_eq(pidns_check(&ns, 41), -EINVAL);
}
