/*
 * test_uarea.c - the UArea block: thread slots grow and shrink, the ready
 * queue is FIFO, stacks do not overlap, limits hold.
 */
#include <criterion/criterion.h>
#include <errno.h>

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
