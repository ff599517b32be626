/*
 * test_isa.c - instruction semantics: RV32I, M, A, Zicsr counters, traps.
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "harness.h"
#include "rvenc.h"

static struct th t;

static void setup(void)
{
	th_setup(&t, VM_R | VM_X);
}

static void teardown(void)
{
	th_teardown(&t);
}

TestSuite(isa, .init = setup, .fini = teardown);

#define X(i) (t.h.x[i])

Test(isa, add_sub_wrap_and_x0_stays_zero)
{
	PROG(&t, LI32(A0, 0x7fffffff), ADDI(A1, A0, 1), SUB(A2, X0, A1), ADDI(X0, A0, 5),
	     ADD(A3, X0, X0), ADDI(A4, X0, -1), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(X(A1), 0x80000000u);
	cr_expect_eq(X(A2), 0x80000000u);
	cr_expect_eq(X(0), 0u);
	cr_expect_eq(X(A3), 0u);
	cr_expect_eq(X(A4), 0xffffffffu, "addi sign-extends its immediate");
}

Test(isa, compares_signed_and_unsigned)
{
	PROG(&t, ADDI(A0, X0, -1), ADDI(A1, X0, 1), SLT(A2, A0, A1), SLTU(A3, A0, A1),
	     SLTI(A4, A0, 0), SLTIU(A5, A1, -1), SLTIU(A6, A0, -1), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(X(A2), 1u);
	cr_expect_eq(X(A3), 0u);
	cr_expect_eq(X(A4), 1u);
	cr_expect_eq(X(A5), 1u, "sltiu compares with the sign-extended immediate as unsigned");
	cr_expect_eq(X(A6), 0u);
}

Test(isa, shifts_by_0_31_and_register_amounts_masked)
{
	PROG(&t, LI32(A0, 0x80000001), SLLI(A1, A0, 31), SRLI(A2, A0, 31), SRAI(A3, A0, 31),
	     SRAI(A4, A0, 0), ADDI(T0, X0, 32), SLL(A5, A0, T0), ADDI(T1, X0, 33), SRL(A6, A0, T1),
	     SRA(A7, A0, T1), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(X(A1), 0x80000000u);
	cr_expect_eq(X(A2), 1u);
	cr_expect_eq(X(A3), 0xffffffffu);
	cr_expect_eq(X(A4), 0x80000001u);
	cr_expect_eq(X(A5), 0x80000001u, "shift by 32 uses 32 & 31 = 0");
	cr_expect_eq(X(A6), 0x40000000u, "shift by 33 uses 1");
	cr_expect_eq(X(A7), 0xc0000000u);
}

Test(isa, logic_and_upper_immediates)
{
	PROG(&t, LI32(A0, 0x0f0f0f0f), XORI(A1, A0, -1), ORI(A2, A0, 0x7f0), ANDI(A3, A0, -16),
	     LUI(A4, 0xfffff), AUIPC(A5, 1), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(X(A1), 0xf0f0f0f0u);
	cr_expect_eq(X(A2), 0x0f0f0fffu);
	cr_expect_eq(X(A3), 0x0f0f0f00u);
	cr_expect_eq(X(A4), 0xfffff000u);
	cr_expect_eq(X(A5), TH_CODE + 6 * 4 + 0x1000);
}

Test(isa, multiply_high_parts)
{
	PROG(&t, ADDI(A0, X0, -2), ADDI(A1, X0, 3), MUL(A2, A0, A1), MULH(A3, A0, A1),
	     MULHU(A4, A0, A1), MULHSU(A5, A0, A1), LI32(T0, 0x80000000), MULH(A6, T0, T0),
	     MULHSU(A7, T0, A0), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(X(A2), (uint32_t)-6);
	cr_expect_eq(X(A3), 0xffffffffu);
	cr_expect_eq(X(A4), 2u, "(2^32-2)*3 >> 32");
	cr_expect_eq(X(A5), 0xffffffffu);
	cr_expect_eq(X(A6), 0x40000000u, "INT_MIN * INT_MIN >> 32");
	cr_expect_eq(X(A7), 0x80000001u, "-2^31 * (2^32-2) >> 32, signed by unsigned");
}

Test(isa, division_by_zero_and_overflow)
{
	PROG(&t, ADDI(A0, X0, 7), DIV(A1, A0, X0), DIVU(A2, A0, X0), REM(A3, A0, X0),
	     REMU(A4, A0, X0), LI32(T0, 0x80000000), ADDI(T1, X0, -1), DIV(A5, T0, T1),
	     REM(A6, T0, T1), ADDI(T2, X0, -7), ADDI(S0, X0, 2), DIV(A7, T2, S0), REM(S1, T2, S0),
	     DIVU(28, T2, S0), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(X(A1), 0xffffffffu, "div by 0 is -1");
	cr_expect_eq(X(A2), 0xffffffffu, "divu by 0 is all ones");
	cr_expect_eq(X(A3), 7u, "rem by 0 is the dividend");
	cr_expect_eq(X(A4), 7u, "remu by 0 is the dividend");
	cr_expect_eq(X(A5), 0x80000000u, "INT_MIN / -1 is INT_MIN");
	cr_expect_eq(X(A6), 0u, "INT_MIN % -1 is 0");
	cr_expect_eq(X(A7), (uint32_t)-3, "division rounds toward zero");
	cr_expect_eq(X(S1), (uint32_t)-1, "remainder has the dividend's sign");
	cr_expect_eq(X(28), 0xfffffff9u / 2);
}

Test(isa, loads_extend_and_stores_write_only_their_bytes)
{
	const uint8_t bytes[8] = { 0x80, 0xff, 0x7f, 0x01, 0x11, 0x22, 0x33, 0x44 };

	th_poke(&t, TH_DATA, bytes, sizeof(bytes));
	PROG(&t, LI32(S0, TH_DATA), LB(A0, S0, 0), LBU(A1, S0, 0), LH(A2, S0, 0), LHU(A3, S0, 0),
	     LW(A4, S0, 0), LB(A5, S0, 2), ADDI(T0, X0, -1), SB(T0, S0, 4), SH(T0, S0, 6),
	     LW(A6, S0, 4), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(X(A0), 0xffffff80u);
	cr_expect_eq(X(A1), 0x80u);
	cr_expect_eq(X(A2), 0xffffff80u);
	cr_expect_eq(X(A3), 0xff80u);
	cr_expect_eq(X(A4), 0x017fff80u);
	cr_expect_eq(X(A5), 0x7fu);
	cr_expect_eq(X(A6), 0xffff22ffu);
}

Test(isa, misaligned_accesses_trap_with_address)
{
	static const struct {
		uint32_t insn;
		enum hart_cause cause;
	} cases[] = {
		{ LW(A0, S0, 1), HART_CAUSE_LOAD_MISALIGNED },
		{ LW(A0, S0, 2), HART_CAUSE_LOAD_MISALIGNED },
		{ LH(A0, S0, 1), HART_CAUSE_LOAD_MISALIGNED },
		{ LHU(A0, S0, 3), HART_CAUSE_LOAD_MISALIGNED },
		{ SW(A0, S0, 2), HART_CAUSE_STORE_MISALIGNED },
		{ SH(A0, S0, 1), HART_CAUSE_STORE_MISALIGNED },
		{ LR_W(A0, S1), HART_CAUSE_LOAD_MISALIGNED },
		{ AMO(0x00, A0, S1, A1), HART_CAUSE_STORE_MISALIGNED },
		{ SC_W(A0, S1, A1), HART_CAUSE_STORE_MISALIGNED },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		PROG(&t, LI32(S0, TH_DATA), ADDI(S1, S0, 2), cases[i].insn, ECALL);
		cr_assert_eq(th_run(&t, 100), HART_STOP_TRAP);
		cr_expect_eq(t.trap.cause, cases[i].cause, "case %zu: %s", i,
		             hart_cause_name(t.trap.cause));
		cr_expect_eq(t.trap.pc, TH_CODE + 12, "case %zu: pc stays on the access", i);
		cr_expect_eq(t.h.pc, TH_CODE + 12);
		cr_expect(t.trap.tval == TH_DATA + 1 || t.trap.tval == TH_DATA + 2 ||
		                  t.trap.tval == TH_DATA + 3,
		          "case %zu: tval 0x%08x", i, t.trap.tval);
		cr_expect_eq(t.retired, 3u, "the faulting access does not retire");
	}
}

Test(isa, branches_signed_and_unsigned)
{
	/* Each taken branch skips an addi that would set the bit. */
	PROG(&t, ADDI(A0, X0, -1), ADDI(A1, X0, 1), ADDI(A2, X0, 0), BLT(A0, A1, 8), ORI(A2, A2, 1),
	     BLTU(A1, A0, 8), ORI(A2, A2, 2), BGE(A1, A0, 8), ORI(A2, A2, 4), BGEU(A0, A1, 8),
	     ORI(A2, A2, 8), BEQ(A0, A0, 8), ORI(A2, A2, 16), BNE(A0, A1, 8), ORI(A2, A2, 32),
	     /* not taken: */
	     BLT(A1, A0, 8), ORI(A2, A2, 64), BLTU(A0, A1, 8), ORI(A2, A2, 128), BEQ(A0, A1, 8),
	     ORI(A2, A2, 256), BNE(A0, A0, 8), ORI(A2, A2, 512), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(X(A2), 64u | 128 | 256 | 512);
}

Test(isa, jal_and_jalr_link_and_clear_bit_0)
{
	PROG(&t, JAL(RA, 8), ECALL, AUIPC(T0, 0), ADDI(T0, T0, 13), JALR(A0, T0, 0), ECALL, ECALL);
	/* jalr target t0+13 = pc_of_auipc + 13 -> bit 0 cleared -> auipc + 12. */
	th_run_to_ecall(&t);
	cr_expect_eq(X(RA), TH_CODE + 4);
	cr_expect_eq(X(A0), TH_CODE + 20);
	cr_expect_eq(t.trap.pc, TH_CODE + 20, "landed at (target & ~1)");
}

Test(isa, ecall_leaves_pc_and_does_not_retire)
{
	PROG(&t, ADDI(A7, X0, 64), ECALL, ADDI(A0, X0, 9), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.pc, TH_CODE + 4);
	cr_expect_eq(t.h.instret, 1u);
	hart_retire_ecall(&t.h);
	cr_expect_eq(t.h.pc, TH_CODE + 8);
	cr_expect_eq(t.h.instret, 2u);
	th_run_to_ecall(&t);
	cr_expect_eq(X(A0), 9u);
	cr_expect_eq(t.h.instret, 3u);
}

Test(isa, ebreak_and_illegal_report_details)
{
	PROG(&t, NOP, EBREAK);
	cr_assert_eq(th_run(&t, 10), HART_STOP_TRAP);
	cr_expect_eq(t.trap.cause, HART_CAUSE_BREAKPOINT);
	cr_expect_eq(t.trap.pc, TH_CODE + 4);

	PROG(&t, NOP, NOP, 0x00000053u /* fadd.s */);
	cr_assert_eq(th_run(&t, 10), HART_STOP_TRAP);
	cr_expect_eq(t.trap.cause, HART_CAUSE_ILLEGAL);
	cr_expect_eq(t.trap.pc, TH_CODE + 8);
	cr_expect_eq(t.trap.tval, 0x00000053u, "tval holds the encoding");

	/* c.ebreak (0x9002) followed by padding. */
	{
		uint16_t c[2] = { 0x9002, 0x0001 };
		th_poke(&t, TH_CODE, c, sizeof(c));
		t.h.pc = TH_CODE;
		cr_assert_eq(th_run(&t, 10), HART_STOP_TRAP);
		cr_expect_eq(t.trap.cause, HART_CAUSE_BREAKPOINT);
	}
}

Test(isa, counters_read_exact_values_and_refuse_writes)
{
	PROG(&t, NOP, NOP, CSRRS(A0, 0xC02, 0), CSRRS(A1, 0xC00, 0), CSRRS(A2, 0xC82, 0),
	     CSRRS(A3, 0xC01, 0), CSRRS(A4, 0xC03, 0), ECALL);
	t.h.instret = 0x100000005ull;
	t.h.cycle = 1000;
	t.h.clock = 400;
	th_run_to_ecall(&t);
	cr_expect_eq(X(A0), 7u, "instret low word before this instruction: 2^32+5+2");
	cr_expect_eq(X(A1), 1003u);
	cr_expect_eq(X(A2), 1u, "instreth");
	cr_expect_eq(X(A3), (400u + 5) / 40, "time ticks at 10 MHz of a 400 MHz clock");
	cr_expect_eq(X(A4), 0u, "hpmcounter3 reads zero");

	PROG(&t, CSRRW(X0, 0xC00, A0), ECALL);
	cr_assert_eq(th_run(&t, 10), HART_STOP_TRAP);
	cr_expect_eq(t.trap.cause, HART_CAUSE_ILLEGAL, "counters are read-only");
}

Test(isa, lr_sc_reservation_rules)
{
	PROG(&t, LI32(S0, TH_DATA), ADDI(T0, X0, 5), SW(T0, S0, 0),
	     /* SC without reservation fails and writes nothing */
	     ADDI(T1, X0, 11), SC_W(A0, S0, T1), LW(A1, S0, 0),
	     /* LR then SC succeeds */
	     LR_W(A2, S0), ADDI(T1, X0, 22), SC_W(A3, S0, T1), LW(A4, S0, 0),
	     /* a second SC fails: the first one consumed the reservation */
	     ADDI(T1, X0, 33), SC_W(A5, S0, T1),
	     /* SC to another address fails and clears the reservation */
	     LR_W(T2, S0), ADDI(S1, S0, 4), SC_W(A6, S1, T1), SC_W(A7, S0, T1), LW(18, S0, 0),
	     ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(X(A0), 1u);
	cr_expect_eq(X(A1), 5u);
	cr_expect_eq(X(A2), 5u);
	cr_expect_eq(X(A3), 0u);
	cr_expect_eq(X(A4), 22u);
	cr_expect_eq(X(A5), 1u);
	cr_expect_eq(X(A6), 1u);
	cr_expect_eq(X(A7), 1u);
	cr_expect_eq(X(18), 22u);
	cr_expect_eq(t.h.resv_valid, 0u);
}

Test(isa, amos_return_the_old_value)
{
	static const struct {
		uint32_t f5;
		uint32_t mem, src, expect_mem;
	} cases[] = {
		{ 0x01, 5, 9, 9 },                            /* swap */
		{ 0x00, 0xffffffff, 2, 1 },                   /* add */
		{ 0x04, 0xf0f0, 0xff00, 0x0ff0 },             /* xor */
		{ 0x0c, 0xf0f0, 0xff00, 0xf000 },             /* and */
		{ 0x08, 0xf0f0, 0xff00, 0xfff0 },             /* or */
		{ 0x10, 0xffffffff, 1, 0xffffffff },          /* min (signed) */
		{ 0x14, 0xffffffff, 1, 1 },                   /* max */
		{ 0x18, 0xffffffff, 1, 1 },                   /* minu */
		{ 0x1c, 0xffffffff, 1, 0xffffffff },          /* maxu */
		{ 0x10, 0x80000000, 0x7fffffff, 0x80000000 }, /* min extremes */
		{ 0x1c, 0x80000000, 0x7fffffff, 0x80000000 }, /* maxu extremes */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		th_poke(&t, TH_DATA, &cases[i].mem, 4);
		PROG(&t, LI32(S0, TH_DATA), LI32(A1, cases[i].src), AMO(cases[i].f5, A0, S0, A1),
		     ECALL);
		th_run_to_ecall(&t);
		cr_expect_eq(X(A0), cases[i].mem, "case %zu returns the old value", i);
		cr_expect_eq(th_peek(&t, TH_DATA), cases[i].expect_mem, "case %zu memory 0x%08x", i,
		             th_peek(&t, TH_DATA));
	}
}

Test(isa, amo_with_rd_equal_rs2)
{
	uint32_t v = 40;

	th_poke(&t, TH_DATA, &v, 4);
	PROG(&t, LI32(S0, TH_DATA), ADDI(A0, X0, 2), AMO(0x00, A0, S0, A0), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(X(A0), 40u);
	cr_expect_eq(th_peek(&t, TH_DATA), 42u);
}

Test(isa, compressed_program_runs)
{
	/* c.li a0, 5; c.addi a0, -2; c.mv a1, a0; c.add a1, a0; c.slli a1, 2;
	 * c.j +4 (skips c.li a0, 0); c.nop ... then ecall (32-bit). */
	const uint16_t prog[] = { 0x4515, 0x1579, 0x85aa, 0x95aa, 0x058a,
		                  0xa011, 0x4501, 0x0001, 0x0073, 0x0000 };
	th_poke(&t, TH_CODE, prog, sizeof(prog));
	t.h.pc = TH_CODE;
	th_run_to_ecall(&t);
	cr_expect_eq(X(A0), 3u);
	cr_expect_eq(X(A1), 24u);
	cr_expect_eq(t.trap.pc, TH_CODE + 16);
}
