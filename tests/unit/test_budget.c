/*
 * test_budget.c - exact instruction budgets and determinism: a program
 * run in slices of any size ends in the same state as one run whole.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"
#include "rvenc.h"

/* A loop of 10 iterations over 3 blocks: sums i*i into a0, stores it. */
static void load_loop(struct th *t)
{
	PROG(t, ADDI(A0, X0, 0), ADDI(T0, X0, 10), LUI(S0, TH_DATA >> 12),
	     /* loop: */ MUL(T1, T0, T0), ADD(A0, A0, T1), SW(A0, S0, 0), ADDI(T0, T0, -1),
	     BNE(T0, X0, -16), LW(A1, S0, 0), ECALL);
}

#define LOOP_INSNS (3 + 10 * 5 + 1)

Test(budget, stops_after_exactly_n)
{
	for (uint64_t n = 1; n < LOOP_INSNS; n++) {
		struct th t;
		th_setup(&t, VM_R | VM_X);
		load_loop(&t);
		cr_assert_eq(th_run(&t, n), HART_STOP_BUDGET, "budget %llu", (unsigned long long)n);
		cr_expect_eq(t.retired, n);
		cr_expect_eq(t.h.instret, n);
		th_teardown(&t);
	}
}

Test(budget, zero_budget_does_nothing)
{
	struct th t;

	th_setup(&t, VM_R | VM_X);
	load_loop(&t);
	cr_expect_eq(th_run(&t, 0), HART_STOP_BUDGET);
	cr_expect_eq(t.h.pc, TH_CODE);
	cr_expect_eq(t.h.instret, 0u);
	th_teardown(&t);
}

Test(budget, slices_give_the_same_state_as_one_run)
{
	struct hart whole;
	struct th t;
	const uint64_t slices[] = { 1, 2, 3, 5, 7, 13, 64, 1000 };

	th_setup(&t, VM_R | VM_X);
	load_loop(&t);
	th_run_to_ecall(&t);
	whole = t.h;
	cr_expect_eq(whole.instret, (uint64_t)LOOP_INSNS);
	cr_expect_eq(whole.x[A1], 385u);
	th_teardown(&t);

	for (size_t s = 0; s < sizeof(slices) / sizeof(slices[0]); s++) {
		th_setup(&t, VM_R | VM_X);
		load_loop(&t);
		while (th_run(&t, slices[s]) == HART_STOP_BUDGET)
			;
		cr_expect_eq(t.trap.cause, HART_CAUSE_ECALL);
		cr_expect(memcmp(&t.h, &whole, sizeof(whole)) == 0,
		          "slice %llu: state differs (instret %llu vs %llu)",
		          (unsigned long long)slices[s], (unsigned long long)t.h.instret,
		          (unsigned long long)whole.instret);
		th_teardown(&t);
	}
}

Test(budget, hart_state_is_plain_data)
{
	/* Save the state mid-run, run on, restore the copy into a second
	 * machine with the same memory contents, and finish both. */
	struct th a, b;
	struct hart saved;
	uint32_t mem;

	th_setup(&a, VM_R | VM_X);
	th_setup(&b, VM_R | VM_X);
	load_loop(&a);
	load_loop(&b);
	cr_assert_eq(th_run(&a, 20), HART_STOP_BUDGET);
	saved = a.h;
	mem = th_peek(&a, TH_DATA);
	th_run_to_ecall(&a);

	b.h = saved;
	th_poke(&b, TH_DATA, &mem, 4);
	th_run_to_ecall(&b);
	cr_expect(memcmp(&a.h, &b.h, sizeof(a.h)) == 0, "resumed copy ends identically");
	th_teardown(&a);
	th_teardown(&b);
}
