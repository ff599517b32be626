/*
 * test_jit.c - the translation tier against the interpreter: random
 * programs run on both in lockstep with the full hart state and memory
 * compared after every slice; budgets that stop translated code at every
 * instruction of a block; self-modifying code across translated blocks.
 * (The ISA, budget and MMU tests run translated too: see harness.c.)
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/codepool.h"
#include "harness.h"
#include "params/core_params.h"
#include "rvenc.h"

/* Every block translated on its first run, whatever TH_CORE says. */
static void th_setup_jit(struct th *t, uint32_t code_prot)
{
	th_setup(t, code_prot);
	cr_assert_eq(mmu_set_tier(t->m, CORE_TIER_JIT), 0);
	mmu_set_jit_hot(t->m, 1);
}

static void th_setup_interp(struct th *t, uint32_t code_prot)
{
	th_setup(t, code_prot);
	cr_assert_eq(mmu_set_tier(t->m, CORE_TIER_INTERP), 0);
}

/* xorshift64: the programs are random but the same on every run. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Values that find the edges: 0, +-1, INT_MIN, INT_MAX, shift counts. */
static uint32_t edge_value(uint64_t *s)
{
	static const uint32_t v[] = { 0,  1,  UINT32_MAX, 0x80000000u, 0x7fffffffu, 31,
		                      32, 33, 2,          0xfffffffeu, 0x8000u,     0xffff8000u };
	return (rnd(s) & 1) ? v[rnd(s) % (sizeof(v) / sizeof(v[0]))] : (uint32_t)rnd(s);
}

#define PMAX 1000

/*
 * A random program: registers t0-t2, a0-a7 and s2-s11 loaded with edge
 * values, then a body of ALU, M, load/store, AMO, CSR and forward-branch
 * instructions run `loops` times (so translated blocks chain and are
 * re-entered), then ecall. s0 holds the data page, s1 the loop counter.
 * With `faults`, some accesses are misaligned or out of the page: the run
 * then ends in the same trap on both tiers.
 */
static size_t random_program(uint64_t seed, int faults, uint32_t *p)
{
	static const uint8_t regs[] = {
		1, 2, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23
	};
	static const uint32_t bf3[] = { 0, 1, 4, 5, 6, 7 };
	uint64_t s = seed;
	size_t n = 0, body, nunit = 0, nbr = 0;
	/* Branches skip whole units (an access and its address, say): where
	 * each unit starts, and each branch's place and units to skip. */
	size_t unit[PMAX], br[PMAX][2];
	const size_t nregs = sizeof(regs);
#define R() regs[rnd(&s) % nregs]
#define RX() (rnd(&s) % 8 ? R() : X0)

	p[n++] = LUI(S0, TH_DATA >> 12);
	p[n++] = ADDI(S1, X0, 3 + (int32_t)(rnd(&s) % 4));
	p[n++] = ADDI(T0, S0, 0);
	p[n++] = ADDI(T1, S0, 0);
	for (size_t i = 0; i < nregs; i++) {
		uint32_t v = edge_value(&s);
		p[n++] = LUI(regs[i], (v + 0x800u) >> 12);
		p[n++] = ADDI(regs[i], regs[i], (int32_t)(v << 20) >> 20);
	}
	body = n;
	while (n < PMAX - 40) {
		unit[nunit++] = n;
		unsigned k = (unsigned)(rnd(&s) % 100);
		int32_t imm = (int32_t)(rnd(&s) % 4096) - 2048;
		uint32_t off = (uint32_t)(rnd(&s) % 1024) * 4;
		if (k < 12) {
			static const uint32_t f3[] = { 0, 2, 3, 4, 6, 7 };
			p[n++] = enc_i(imm, RX(), f3[rnd(&s) % 6], R(), 0x13);
		} else if (k < 18) {
			uint32_t sh = (uint32_t)(rnd(&s) % 32);
			p[n++] = rnd(&s) % 3 == 0 ? SLLI(R(), RX(), sh)
			         : rnd(&s) % 2    ? SRLI(R(), RX(), sh)
			                          : SRAI(R(), RX(), sh);
		} else if (k < 34) {
			static const uint32_t f[][2] = { { 0, 0 }, { 0x20, 0 }, { 0, 1 },
				                         { 0, 2 }, { 0, 3 },    { 0, 4 },
				                         { 0, 5 }, { 0x20, 5 }, { 0, 6 },
				                         { 0, 7 } };
			unsigned w = (unsigned)(rnd(&s) % 10);
			p[n++] = OPR(f[w][0], f[w][1], R(), RX(), RX());
		} else if (k < 46) {
			p[n++] = OPR(1, (uint32_t)(rnd(&s) % 8), R(), RX(), RX());
		} else if (k < 50) {
			uint32_t v = edge_value(&s);
			p[n++] = LUI(R(), v >> 12);
			p[n++] = AUIPC(R(), v >> 12);
		} else if (k < 62) {
			static const uint32_t f3[] = { 0, 1, 2, 4, 5 };
			uint32_t w = f3[rnd(&s) % 5], size = w == 2 ? 4 : (w & 3) == 1 ? 2 : 1;
			uint32_t a = off & ~(size - 1);
			if (faults && rnd(&s) % 40 == 0)
				a = size > 1 ? off | 1 : 4096 + off; /* misaligned, or unmapped */
			if (a < 2048)
				p[n++] = enc_i((int32_t)a, S0, w, R(), 0x03);
			else {
				p[n++] = LUI(T0, (TH_DATA + a + 0x800u) >> 12);
				p[n++] = enc_i((int32_t)((TH_DATA + a) << 20) >> 20, T0, w, R(),
				               0x03);
			}
		} else if (k < 74) {
			uint32_t w = (uint32_t)(rnd(&s) % 3), size = 1u << w;
			uint32_t a = (off % 2048) & ~(size - 1);
			if (faults && rnd(&s) % 40 == 0 && size > 1)
				a |= 1;
			p[n++] = enc_s((int32_t)a, RX(), S0, w, 0x23);
		} else if (k < 80) {
			/* An AMO, LR or SC on a word of the page. */
			static const uint32_t f5[] = { 0x00, 0x01, 0x04, 0x08, 0x0c, 0x10,
				                       0x14, 0x18, 0x1c, 0x02, 0x03 };
			p[n++] = ADDI(T1, S0, (int32_t)(off % 2048));
			p[n++] = AMO(f5[rnd(&s) % 11], R(), T1, RX());
		} else if (k < 84) {
			static const uint32_t csr[] = { 0xc00, 0xc01, 0xc02, 0xc80, 0xc82, 0xc03 };
			p[n++] = CSRRS(R(), csr[rnd(&s) % 6], X0);
		} else if (k < 97) {
			/* A forward branch over 1-4 units, placed below. */
			br[nbr][0] = n;
			br[nbr++][1] = nunit + 1 + rnd(&s) % 4;
			p[n++] = enc_b(0, RX(), RX(), bf3[rnd(&s) % 6]);
		} else {
			/* jal over one instruction, or jalr through a computed target. */
			if (rnd(&s) % 2) {
				p[n++] = JAL(R(), 8);
			} else {
				p[n++] = AUIPC(T2, 0);
				p[n++] = JALR(R(), T2, 12);
			}
			p[n++] = ADDI(R(), R(), 1);
		}
	}
	/* Pad so that every branch lands on a unit, then place them. */
	for (int i = 0; i < 5; i++) {
		unit[nunit++] = n;
		p[n++] = ADDI(A0, A0, 1);
	}
	for (size_t i = 0; i < nbr; i++) {
		size_t at = br[i][0], to = unit[br[i][1] < nunit ? br[i][1] : nunit - 1];
		p[at] |= enc_b((int32_t)((to - at) * 4), 0, 0, 0);
	}
	p[n++] = ADDI(S1, S1, -1);
	p[n] = BNE(S1, X0, -(int32_t)((n - body) * 4));
	n++;
	p[n++] = ECALL;
	return n;
#undef R
#undef RX
}

/* Runs both machines in slices, comparing everything after each. */
static void lockstep(struct th *a, struct th *b, uint64_t seed)
{
	static const uint64_t slices[] = { 1, 2, 3, 5, 8, 13, 64, 97, 500 };
	for (unsigned k = 0;; k++) {
		uint64_t n = slices[(k + seed) % (sizeof(slices) / sizeof(slices[0]))];
		enum hart_stop sa = th_run(a, n), sb = th_run(b, n);

		cr_assert_eq(sa, sb, "seed %llu slice %u: stop %d vs %d", (unsigned long long)seed,
		             k, sa, sb);
		cr_assert_eq(a->retired, b->retired, "seed %llu slice %u", (unsigned long long)seed,
		             k);
		cr_assert(!memcmp(&a->h, &b->h, sizeof(a->h)),
		          "seed %llu slice %u: hart states differ (pc 0x%08x vs 0x%08x)",
		          (unsigned long long)seed, k, a->h.pc, b->h.pc);
		cr_assert(!memcmp(vm_page_ptr(a->vm, TH_DATA), vm_page_ptr(b->vm, TH_DATA), 4096),
		          "seed %llu slice %u: memory differs", (unsigned long long)seed, k);
		if (sa == HART_STOP_TRAP) {
			cr_assert_eq(a->trap.cause, b->trap.cause, "seed %llu",
			             (unsigned long long)seed);
			cr_assert_eq(a->trap.pc, b->trap.pc);
			cr_assert_eq(a->trap.tval, b->trap.tval);
			return;
		}
	}
}

static void differential(int faults, uint64_t first, uint64_t count)
{
	uint32_t *prog = malloc(PMAX * sizeof(*prog));

	cr_assert(prog);
	for (uint64_t seed = first; seed < first + count; seed++) {
		struct th a, b;
		size_t n = random_program(seed * 0x9e3779b97f4a7c15ull + 1, faults, prog);
		cr_assert(n <= 1024, "program of %zu words outgrows the code page", n);
		th_setup_interp(&a, VM_R | VM_X);
		th_setup_jit(&b, VM_R | VM_X);
		th_code(&a, prog, n);
		th_code(&b, prog, n);
		lockstep(&a, &b, seed);
		th_teardown(&a);
		th_teardown(&b);
	}
	free(prog);
}

Test(jit, random_programs_match_the_interpreter_in_lockstep)
{
	if (!mmu_jit_available())
		cr_skip_test("this host does not translate");
	differential(0, 1, 120);
}

Test(jit, random_programs_with_faults_trap_alike)
{
	if (!mmu_jit_available())
		cr_skip_test("this host does not translate");
	differential(1, 1000, 120);
}

/* A loop of 10 iterations over a block of 5; a0 sums i*i. */
static void load_loop(struct th *t)
{
	PROG(t, ADDI(A0, X0, 0), ADDI(T0, X0, 10), LUI(S0, TH_DATA >> 12),
	     /* loop: */ MUL(T1, T0, T0), ADD(A0, A0, T1), SW(A0, S0, 0), ADDI(T0, T0, -1),
	     BNE(T0, X0, -16), LW(A1, S0, 0), ECALL);
}

Test(jit, budgets_stop_translated_code_at_every_instruction)
{
	if (!mmu_jit_available())
		cr_skip_test("this host does not translate");
	/* Three iterations run (and translate) the loop; then each budget
	 * from 1 to 20 stops inside or between translated blocks. */
	for (uint64_t n = 1; n <= 20; n++) {
		struct th a, b;
		th_setup_interp(&a, VM_R | VM_X);
		th_setup_jit(&b, VM_R | VM_X);
		load_loop(&a);
		load_loop(&b);
		cr_assert_eq(th_run(&a, 3 + 15), HART_STOP_BUDGET);
		cr_assert_eq(th_run(&b, 3 + 15), HART_STOP_BUDGET);
		cr_assert_eq(th_run(&a, n), th_run(&b, n));
		cr_assert_eq(b.retired, n);
		cr_assert(!memcmp(&a.h, &b.h, sizeof(a.h)), "budget %llu: pc 0x%08x vs 0x%08x",
		          (unsigned long long)n, a.h.pc, b.h.pc);
		th_run_to_ecall(&b);
		cr_assert_eq(b.h.x[A1], 385u);
		cr_assert_eq(b.h.instret, 3u + 50 + 1);
		th_teardown(&a);
		th_teardown(&b);
	}
}

Test(jit, translations_are_counted)
{
	struct th t;
	struct mmu_stats st;

	if (!mmu_jit_available())
		cr_skip_test("this host does not translate");
	th_setup_jit(&t, VM_R | VM_X);
	load_loop(&t);
	th_run_to_ecall(&t);
	mmu_get_stats(t.m, &st);
	cr_expect_eq(st.jit_blocks, 3u, "blocks: the head, the loop, the tail");
	cr_expect_gt(st.jit_cache, 0u);
	cr_expect_geq(st.jit_bytes, st.jit_cache);
	th_teardown(&t);

	th_setup_interp(&t, VM_R | VM_X);
	load_loop(&t);
	th_run_to_ecall(&t);
	mmu_get_stats(t.m, &st);
	cr_expect_eq(st.jit_blocks, 0u);
	th_teardown(&t);
}

Test(jit, code_rewritten_by_a_translated_block_runs_anew)
{
	/* A loop calls a routine (its own block), then rewrites the routine's
	 * first instruction (addi a0, a0, 1 becomes addi a0, a0, 100) from
	 * translated code; the next calls must run the new instruction. */
	struct th t;
	const uint32_t patched = ADDI(A0, A0, 100);

	if (!mmu_jit_available())
		cr_skip_test("this host does not translate");
	th_setup_jit(&t, VM_R | VM_W | VM_X);
	PROG(&t, ADDI(A0, X0, 0), ADDI(T0, X0, 4), LI32(T2, patched), AUIPC(S0, 0),
	     /* 0x14 loop: */ JAL(RA, 24), ADDI(T0, T0, -1), SW(T2, S0, 28), BNE(T0, X0, -12),
	     ECALL, NOP,
	     /* 0x2c routine: */ ADDI(A0, A0, 1), JALR(X0, RA, 0));
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.x[A0], 1u + 3 * 100, "a0 = %u", t.h.x[A0]);
	th_teardown(&t);
}

Test(jit, a_write_to_code_drops_only_the_blocks_of_its_page)
{
	/* A loop in one page calls a routine in the next and rewrites the
	 * routine's first instruction each time round (addi a0, a0, 1 becomes
	 * addi a0, a0, 100). Only the routine's block goes, four times; the
	 * loop's blocks stay translated, and nothing is flushed whole. */
	const uint32_t patched = ADDI(A0, A0, 100);
	const uint32_t routine[] = { ADDI(A0, A0, 1), JALR(X0, RA, 0) };
	const int jit = mmu_jit_available();

	for (int tier = 0; tier < 1 + jit; tier++) {
		struct th t;
		struct mmu_stats before, after;
		if (tier)
			th_setup_jit(&t, VM_R | VM_W | VM_X);
		else
			th_setup_interp(&t, VM_R | VM_W | VM_X);
		cr_assert_eq(vm_map(t.vm, TH_CODE + 4096, 4096, VM_R | VM_W | VM_X), 0);
		th_poke(&t, TH_CODE + 4096, routine, sizeof(routine));
		PROG(&t, ADDI(A0, X0, 0), ADDI(T0, X0, 4), LI32(T2, patched),
		     LUI(S0, (TH_CODE + 4096) >> 12),
		     /* 0x14 loop: */ JALR(RA, S0, 0), ADDI(T0, T0, -1), SW(T2, S0, 0),
		     BNE(T0, X0, -12), ECALL);
		/* (a run first, so that the figures compared are of the loop alone) */
		cr_assert_eq(th_run(&t, 1), HART_STOP_BUDGET);
		mmu_get_stats(t.m, &before);
		th_run_to_ecall(&t);
		mmu_get_stats(t.m, &after);
		cr_expect_eq(t.h.x[A0], 1u + 3 * 100, "a0 = %u", t.h.x[A0]);
		cr_expect_eq(after.code_flushes, before.code_flushes, "a whole flush");
		cr_expect_eq(after.blocks_dropped, 4u);
		/* decoded during the run: from 0x04 to the call, the call alone
		 * (the loop's head), the body, its tail from the branch on (where
		 * the store leaves it), the ecall, and the routine at each call;
		 * nothing decoded twice but the routine */
		cr_expect_eq(after.blocks_built - before.blocks_built, 5u + 4, "built %llu",
		             (unsigned long long)(after.blocks_built - before.blocks_built));
		if (tier)
			cr_expect_eq(after.jit_blocks - before.jit_blocks, 5u + 4,
			             "translated %llu",
			             (unsigned long long)(after.jit_blocks - before.jit_blocks));
		th_teardown(&t);
	}
}

Test(jit, a_dropped_jump_target_leaves_the_jump_table, .timeout = 20)
{
	/* The routine is called twice a round, so that its code is in the
	 * jump table (by pc) when the loop rewrites it; the dropped
	 * translation must leave the table, or the next call, through the
	 * table, lands in the detour that leads back to the table, for good. */
	const uint32_t patched = ADDI(A0, A0, 100);
	const uint32_t routine[] = { ADDI(A0, A0, 1), JALR(X0, RA, 0) };
	struct th t;
	struct mmu_stats st;

	if (!mmu_jit_available())
		cr_skip_test("this host does not translate");
	th_setup_jit(&t, VM_R | VM_W | VM_X);
	cr_assert_eq(vm_map(t.vm, TH_CODE + 4096, 4096, VM_R | VM_W | VM_X), 0);
	th_poke(&t, TH_CODE + 4096 + 0x40, routine, sizeof(routine));
	PROG(&t, ADDI(A0, X0, 0), ADDI(T0, X0, 4), LI32(T2, patched),
	     LUI(S0, (TH_CODE + 4096) >> 12),
	     /* 0x14 loop: */ JALR(RA, S0, 0x40), JALR(RA, S0, 0x40), ADDI(T0, T0, -1),
	     SW(T2, S0, 0x40), BNE(T0, X0, -16), ECALL);
	th_run_to_ecall(&t);
	mmu_get_stats(t.m, &st);
	cr_expect_eq(t.h.x[A0], 2u + 3 * 200, "a0 = %u", t.h.x[A0]);
	cr_expect_eq(st.blocks_dropped, 4u);
	th_teardown(&t);
}

Test(jit, a_store_that_knew_a_data_page_sees_it_become_code)
{
	/* One store writes a routine's first instruction every round; the
	 * routine is called from the third round on. The store's site learns
	 * the page while it holds data; once the page holds code the store
	 * must take the slow path again, or the rewrite (addi a0, a0, 1 to
	 * addi a0, a0, 100) is never seen. */
	const uint32_t orig = ADDI(A0, A0, 1), patched = ADDI(A0, A0, 100);
	const uint32_t routine[] = { orig, JALR(X0, RA, 0) };
	struct th t;

	if (!mmu_jit_available())
		cr_skip_test("this host does not translate");
	th_setup_jit(&t, VM_R | VM_W | VM_X);
	cr_assert_eq(vm_map(t.vm, TH_CODE + 4096, 4096, VM_R | VM_W | VM_X), 0);
	th_poke(&t, TH_CODE + 4096, routine, sizeof(routine));
	PROG(&t, ADDI(A0, X0, 0), ADDI(T0, X0, 5), LI32(T2, orig), LUI(S0, (TH_CODE + 4096) >> 12),
	     /* 0x14 loop: */ SW(T2, S0, 0), ADDI(T0, T0, -1), SLTI(T1, T0, 3), BEQ(T1, X0, 16),
	     JALR(RA, S0, 0), LI32(T2, patched),
	     /* 0x30 */ BNE(T0, X0, -28), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.x[A0], 1u + 2 * 100, "a0 = %u", t.h.x[A0]);
	th_teardown(&t);
}

Test(codepool, takes_whole_chunks_up_to_its_size_and_counts_what_it_refuses)
{
	struct codepool p;

	cr_assert_eq(codepool_init(&p, CODEPOOL_CHUNK_COST - 1), -1, "smaller than a chunk");
	cr_assert_eq(codepool_init(&p, 3 * CODEPOOL_CHUNK_COST + 100), 0);
	cr_expect_eq(p.size, 3 * CODEPOOL_CHUNK_COST, "rounded down to whole chunks");
	for (int i = 0; i < 3; i++)
		cr_assert_eq(codepool_take(&p), 0);
	cr_expect(codepool_empty(&p));
	cr_expect_eq(codepool_take(&p), -1);
	cr_expect_eq(atomic_load(&p.refused), 1u);
	codepool_give(&p, 2);
	cr_expect_eq(atomic_load(&p.held), CODEPOOL_CHUNK_COST);
	cr_expect_eq(atomic_load(&p.peak), 3 * CODEPOOL_CHUNK_COST);
	cr_expect_eq(codepool_take(&p), 0);
}

/* A loop over a body of n words of loads, stores and adds (four pages of
 * code: far more host code than a chunk holds), run three times. */
static void th_setup_long(struct th *t, int jit, uint32_t *prog, size_t n)
{
	size_t k = 0;

	if (jit)
		th_setup_jit(t, VM_R | VM_X);
	else
		th_setup_interp(t, VM_R | VM_X);
	cr_assert_eq(vm_map(t->vm, TH_CODE + 4096, 3 * 4096, VM_R | VM_X), 0);
	prog[k++] = ADDI(S1, X0, 3);
	prog[k++] = LUI(S0, TH_DATA >> 12);
	while (k < n - 4) {
		uint32_t i = (uint32_t)k;
		prog[k++] = i % 4 == 0   ? ADDI(A0, A0, (int32_t)(i & 0x3ff))
		            : i % 4 == 1 ? SW(A0, S0, (int32_t)((i * 4) & 0x7fc))
		            : i % 4 == 2 ? LW(A1, S0, (int32_t)((i * 12) & 0x7fc))
		                         : XOR(A0, A0, A1);
	}
	prog[k++] = ADDI(S1, S1, -1);
	prog[k++] = BEQ(S1, X0, 8);
	prog[k] = JAL(X0, -(int32_t)((k - 2) * 4));
	k++;
	prog[k++] = ECALL;
	th_code(t, prog, k);
}

Test(jit, the_code_cache_stays_within_its_pool)
{
	/* One chunk for all the code: the buffer fills, is flushed and fills
	 * again, never taking more, and the results are the interpreter's. */
	enum { N = 4096 };
	uint32_t *prog = malloc(N * sizeof(*prog));
	struct codepool pool;
	struct mmu_stats st;
	struct th a, b;

	if (!mmu_jit_available())
		cr_skip_test("this host does not translate");
	cr_assert(prog);
	cr_assert_eq(codepool_init(&pool, CODEPOOL_CHUNK_COST), 0);
	th_setup_long(&a, 1, prog, N);
	mmu_set_code_pool(a.m, &pool);
	th_setup_long(&b, 0, prog, N);
	th_run_to_ecall(&a);
	th_run_to_ecall(&b);
	cr_expect(!memcmp(&a.h, &b.h, sizeof(a.h)), "a0 0x%08x vs 0x%08x", a.h.x[A0], b.h.x[A0]);
	cr_expect(!memcmp(vm_page_ptr(a.vm, TH_DATA), vm_page_ptr(b.vm, TH_DATA), 4096));
	mmu_get_stats(a.m, &st);
	cr_expect_gt(st.code_flushes, 1u, "flushes %llu", (unsigned long long)st.code_flushes);
	cr_expect_gt(st.jit_blocks, 3u * (N / CORE_BLOCK_MAX_INSNS) / 2);
	cr_expect_eq(atomic_load(&pool.peak), CODEPOOL_CHUNK_COST);
	cr_expect_gt(atomic_load(&pool.refused), 0u);
	th_teardown(&a);
	th_teardown(&b);
	cr_expect_eq(atomic_load(&pool.held), 0u, "the chunk goes back with its address space");
	free(prog);
}

Test(jit, an_address_space_the_pool_cannot_serve_is_interpreted)
{
	/* The only chunk is held: the second address space runs the same
	 * program in the interpreter, to the same end. */
	struct codepool pool;
	struct mmu_stats st;
	struct th a, b;

	if (!mmu_jit_available())
		cr_skip_test("this host does not translate");
	cr_assert_eq(codepool_init(&pool, CODEPOOL_CHUNK_COST), 0);
	th_setup_jit(&a, VM_R | VM_X);
	th_setup_jit(&b, VM_R | VM_X);
	mmu_set_code_pool(a.m, &pool);
	mmu_set_code_pool(b.m, &pool);
	load_loop(&a);
	load_loop(&b);
	th_run_to_ecall(&a);
	th_run_to_ecall(&b);
	cr_expect(!memcmp(&a.h, &b.h, sizeof(a.h)));
	mmu_get_stats(b.m, &st);
	cr_expect_eq(st.jit_blocks, 0u);
	mmu_get_stats(a.m, &st);
	cr_expect_gt(st.jit_blocks, 0u);
	th_teardown(&a);
	th_teardown(&b);
}

/* A second address space over a's memory, with the same pages mapped. */
static void th_setup_beside(struct th *b, const struct th *a)
{
	memset(b, 0, sizeof(*b));
	b->pm = a->pm;
	b->fa = a->fa;
	cr_assert(b->vm = vm_new(a->fa));
	b->m = vm_mmu(b->vm);
	cr_assert_eq(mmu_set_tier(b->m, CORE_TIER_JIT), 0);
	mmu_set_jit_hot(b->m, 1);
	cr_assert_eq(vm_map(b->vm, TH_CODE, 4096, VM_R | VM_X), 0);
	cr_assert_eq(vm_map(b->vm, TH_DATA, 4096, VM_R | VM_W), 0);
	hart_init(&b->h, TH_CODE, TH_DATA + 4096);
}

Test(jit, processes_of_one_program_share_its_translations_until_one_changes_its_code)
{
	/* Two address spaces load the same code and join its group: the
	 * second translates nothing of its own, and the last one out has
	 * the group's figures (as many blocks as one alone translates). One
	 * whose code the kernel rewrites, or that makes it writable, leaves
	 * the group: its rewrite is its own, the others still run the
	 * program's code. */
	const uint32_t patched = ADDI(A0, A0, 100);
	const uint32_t range[2] = { TH_CODE, TH_CODE + 4096 };
	struct codegroup *list = NULL;
	struct mmu_stats alone, st;
	struct th a, b, c;

	if (!mmu_jit_available())
		cr_skip_test("this host does not translate");
	th_setup_jit(&a, VM_R | VM_X);
	load_loop(&a);
	th_run_to_ecall(&a);
	mmu_get_stats(a.m, &alone);
	th_teardown(&a);

	th_setup_jit(&a, VM_R | VM_X);
	th_setup_beside(&b, &a);
	load_loop(&a);
	load_loop(&b);
	cr_assert_eq(mmu_join_program(a.m, &list, 42, range, 1, NULL), 0);
	cr_assert_eq(mmu_join_program(b.m, &list, 42, range, 1, NULL), 0);
	th_run_to_ecall(&a);
	th_run_to_ecall(&b);
	cr_expect_eq(a.h.x[A1], b.h.x[A1]);
	mmu_get_stats(b.m, &st);
	cr_expect_eq(st.jit_blocks, 0u, "the second translated %llu of its own",
	             (unsigned long long)st.jit_blocks);

	/* b leaves: the kernel rewrites its code (the loop's add becomes
	 * addi); c, a third member, makes its code page writable first */
	th_poke(&b, TH_CODE + 16, &patched, 4);
	th_setup_beside(&c, &a);
	load_loop(&c);
	cr_assert_eq(mmu_join_program(c.m, &list, 42, range, 1, NULL), 0);
	cr_assert_eq(vm_set_prot(c.vm, TH_CODE, 4096, VM_R | VM_W | VM_X), 0);
	th_poke(&c, TH_CODE + 16, &patched, 4);
	a.h.pc = b.h.pc = TH_CODE;
	th_run_to_ecall(&a);
	th_run_to_ecall(&b);
	th_run_to_ecall(&c);
	cr_expect_neq(a.h.x[A1], b.h.x[A1], "b ran the program's code, not its own");
	cr_expect_eq(b.h.x[A1], c.h.x[A1], "c ran the program's code, not its own");
	mmu_get_stats(a.m, &st);
	cr_expect_eq(st.jit_blocks, alone.jit_blocks, "group translated %llu, alone %llu",
	             (unsigned long long)st.jit_blocks, (unsigned long long)alone.jit_blocks);
	vm_free(b.vm);
	vm_free(c.vm);
	th_teardown(&a);
	cr_expect_null(list, "the last member out frees the group");
}
