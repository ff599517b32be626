/*
 * hart.c - one RV32IMAC hart and its interpreter: every instruction's
 * semantics, the building of decoded blocks and the dispatch loop.
 *
 * Guest code is decoded once into basic blocks of IR records (decode.c),
 * cached per address space by virtual pc (codecache.c). Execution is direct-threaded:
 * each record holds its handler's address. Blocks chain to their
 * successors, so a loop runs without lookups. Budgets are exact: a block
 * runs whole when the budget covers it, else a truncated copy of its head
 * runs and stops. Loads and stores hit the software TLB inline; misses,
 * faults, A/D updates and stores to code take the slow paths of mmu.c.
 */
#include <stdlib.h>
#include <string.h>

#include "core/codecache.h"
#include "core/decode.h"
#include "core/hart.h"
#include "core/hart_priv.h"
#include "core/jit.h"
#include "core/mmu_priv.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * Decodes the block at pc. Returns it, or NULL with *t filled when its
 * first instruction cannot be fetched. A later instruction that cannot be
 * fetched ends the block before it, to fault when it is reached.
 */
static struct block *block_build(struct mmu *m, struct codecache *cc, uint32_t pc, uint32_t limit,
                                 const void *const *labels, struct hart_trap *t, int *flushed)
{
	struct block *b;
	const uint8_t *page = NULL;
	uint32_t page_va = 1, a = pc, n = 0, frame[2] = { 0, 0 }, fetched = 0;
	size_t bytes;

	if (pc & 1) {
		t->cause = HART_CAUSE_FETCH_MISALIGNED;
		t->tval = pc;
		return NULL;
	}
	if (!(b = codecache_reserve(cc, m->pm->code_gen, flushed))) {
		t->cause = HART_CAUSE_FETCH_ACCESS; /* host out of memory */
		t->tval = pc;
		return NULL;
	}
	while (n < CORE_BLOCK_MAX_INSNS) {
		uint16_t half[2];
		uint32_t raw;
		struct insn *in = &b->ins[n];

		if (n && limit - a < 4)
			break; /* a shared block stays in its group's range */
		for (unsigned i = 0; i < 2; i++) {
			uint32_t ha = a + 2 * i;
			if ((ha & ~CORE_PAGE_MASK) != page_va) {
				page = mmu_fetch_ptr(m, ha & ~CORE_PAGE_MASK, t);
				page_va = ha & ~CORE_PAGE_MASK;
				if (!page) {
					if (n == 0) {
						t->tval = ha;
						return NULL;
					}
					goto done;
				}
				/* the frames it comes from: a write there drops it */
				frame[fetched] =
					(uint32_t)((page - m->pm->bytes) >> CORE_PAGE_SHIFT);
				fetched = 1;
			}
			memcpy(&half[i], page + (ha & CORE_PAGE_MASK), 2);
			if (i == 0 && decode_len(half[0]) == 2)
				break;
		}
		raw = half[0];
		if (decode_len(half[0]) == 4)
			raw |= (uint32_t)half[1] << 16;
		decode_insn(raw, a, in);
		in->h = labels[in->op];
		a += in->len;
		n++;
		if (decode_op_flags((enum op)in->op) & OPF_TERM)
			break;
	}
done:
	bytes = CODECACHE_BLOCK_BYTES(n);
	if (!(decode_op_flags((enum op)b->ins[n - 1].op) & OPF_TERM)) {
		struct insn *end = &b->ins[n];
		memset(end, 0, sizeof(*end));
		end->op = OP_BLOCK_END;
		end->h = labels[OP_BLOCK_END];
		end->imm = (int32_t)a;
		end->pc = a;
		bytes = CODECACHE_BLOCK_BYTES(n + 1);
	}
	b->pc = pc;
	b->n = n;
	b->succ[0] = b->succ[1] = NULL;
	b->native = NULL;
	b->hits = 0;
	b->dead = 0;
	b->shared = cc != &m->code;
	b->frame[0] = frame[0];
	b->frame[1] = frame[1] ? frame[1] : frame[0];
	codecache_add(cc, b, bytes);
	return b;
}

/* The cache of the blocks at pc: m's group's, or m's own; *limit is
 * where a block there must end. */
static struct codecache *hart_cache(struct mmu *m, uint32_t pc, uint32_t *limit)
{
	if (m->group && codegroup_covers(m->group, pc, limit))
		return &m->group->code;
	*limit = UINT32_MAX;
	return &m->code;
}

/* The cache block b is in. */
static struct codecache *hart_block_cache(struct mmu *m, const struct block *b)
{
	return b->shared ? &m->group->code : &m->code;
}

/* m's own blocks go when its group's are flushed or dropped, since they
 * may chain into them. */
static void hart_sync_group(struct mmu *m)
{
	if (!m->group || m->group_epoch == codegroup_epoch(m->group))
		return;
	codecache_flush(&m->code, m->pm->code_gen);
	m->group_epoch = codegroup_epoch(m->group);
}

/* Both caches brought up to the memory's code generation. */
static void hart_sync(struct mmu *m)
{
	if (m->group)
		codecache_sync(&m->group->code, m->pm);
	codecache_sync(&m->code, m->pm);
	hart_sync_group(m);
}

void hart_init(struct hart *h, uint32_t entry, uint32_t sp)
{
	memset(h, 0, sizeof(*h));
	h->pc = entry;
	h->x[HART_REG_SP] = sp;
}

void hart_retire_ecall(struct hart *h)
{
	h->pc += 4;
	h->instret++;
	h->cycle++;
	h->clock++;
}

const char *hart_cause_name(enum hart_cause c)
{
	switch (c) {
	case HART_CAUSE_FETCH_MISALIGNED: return "instruction address misaligned";
	case HART_CAUSE_FETCH_ACCESS: return "instruction access fault";
	case HART_CAUSE_ILLEGAL: return "illegal instruction";
	case HART_CAUSE_BREAKPOINT: return "breakpoint";
	case HART_CAUSE_LOAD_MISALIGNED: return "load address misaligned";
	case HART_CAUSE_LOAD_ACCESS: return "load access fault";
	case HART_CAUSE_STORE_MISALIGNED: return "store address misaligned";
	case HART_CAUSE_STORE_ACCESS: return "store access fault";
	case HART_CAUSE_ECALL: return "environment call";
	case HART_CAUSE_FETCH_PAGE: return "instruction page fault";
	case HART_CAUSE_LOAD_PAGE: return "load page fault";
	case HART_CAUSE_STORE_PAGE: return "store page fault";
	}
	return "unknown trap";
}

uint32_t hart_csr_read(const struct hart *h, uint32_t csr, uint64_t done)
{
	uint64_t v;

	switch (csr & 0x7f) {
	case 0x00: v = h->cycle + done; break;
	case 0x01: v = (h->clock + done) / CORE_CYCLES_PER_TICK; break;
	case 0x02: v = h->instret + done; break;
	default: v = 0; break; /* hpmcounter3-31: not counted */
	}
	return (csr & 0x80) ? (uint32_t)(v >> 32) : (uint32_t)v;
}

int hart_exec_atomic(struct hart *h, struct mmu *m, uint32_t *r, const struct insn *in,
                     struct hart_trap *t)
{
	uint32_t a = r[in->rs1], b = r[in->rs2], old, new;
	uint64_t gen = m->pm->code_gen;
	uint8_t *p;

	if (in->op == OP_LR_W) {
		const struct tlb_entry *e = &m->tlb_r[tlb_index(a)];
		if (e->tag == (a & (~CORE_PAGE_MASK | 3u)))
			memcpy(&old, (const void *)(e->addend + a), 4);
		else if (mmu_load_slow(m, a, 4, &old, t))
			return -1;
		h->resv_addr = a;
		h->resv_valid = 1;
		r[in->rd] = old;
		return 0;
	}
	if (in->op == OP_SC_W) {
		if (a & 3) {
			t->cause = HART_CAUSE_STORE_MISALIGNED;
			t->tval = a;
			return -1;
		}
		if (!h->resv_valid || h->resv_addr != a) {
			h->resv_valid = 0;
			r[in->rd] = 1;
			return 0;
		}
	}
	/* SC with its reservation, and the AMOs: a store to a writable page. */
	if (!(p = mmu_amo_ptr(m, a, t)))
		return -1;
	memcpy(&old, p, 4);
	switch ((enum op)in->op) {
	case OP_AMOADD_W: new = old + b; break;
	case OP_AMOXOR_W: new = old ^ b; break;
	case OP_AMOAND_W: new = old &b; break;
	case OP_AMOOR_W: new = old | b; break;
	case OP_AMOMIN_W: new = (int32_t)old < (int32_t)b ? old : b; break;
	case OP_AMOMAX_W: new = (int32_t)old > (int32_t)b ? old : b; break;
	case OP_AMOMINU_W: new = old < b ? old : b; break;
	case OP_AMOMAXU_W: new = old > b ? old : b; break;
	default: new = b; break; /* amoswap, sc */
	}
	memcpy(p, &new, 4);
	if (in->op == OP_SC_W) {
		h->resv_valid = 0;
		old = 0; /* success */
	}
	r[in->rd] = old;
	return m->pm->code_gen != gen ? 1 : 0;
}

/* clang-format off */
/* Host address of a TLB hit. */
#define HOST(e, a) ((void *)((e)->addend + (a)))
/* The tag a lookup must match: page, plus the alignment bits that must be 0. */
#define TAG(a, size) ((a) & (~CORE_PAGE_MASK | ((size) - 1)))
/* clang-format on */

enum hart_stop hart_run(struct hart *h, struct mmu *m, uint64_t budget, struct hart_trap *trap,
                        uint64_t *retired)
{
	static const void *const labels[OP_COUNT] = {
#define OP(name, mnem, flags) [OP_##name] = &&L_##name,
#include "core/isa.def"
#undef OP
	};
	/* Where a block cut short by the budget runs. */
	_Alignas(struct block) uint8_t scratch_mem[CODECACHE_BLOCK_MAX];
	struct block *const scratch = (struct block *)scratch_mem;
	const struct tlb_entry *const tlbr = m->tlb_r;
	const struct tlb_entry *const tlbw = m->tlb_w;
	struct jit_frame f;
	uint32_t *const r = f.r;
	uint8_t *slot = NULL; /* a translated block's jump to chain at dispatch */
	int jump = 0;         /* translated code's indirect jump missed the table */
	int jit = m->tier == CORE_TIER_JIT && !m->code.jit.broken;
	enum jit_exit why;
	uint64_t remaining = budget, ran;
	uint32_t pc = h->pc;
	struct block *blk = NULL, **link = NULL;
	struct codecache *cc = &m->code; /* the cache of the block at pc */
	uint32_t limit;
	int link_shared = 0, slot_shared = 0; /* (chain a shared block to shared ones only) */
	const struct insn *in = NULL;
	struct hart_trap t = { 0 };
	enum hart_stop stop = HART_STOP_BUDGET;

	memcpy(r, h->x, sizeof(h->x));
	r[0] = 0;
	f.budget = budget;
	f.m = m;
	f.h = h;
	hart_sync(m);

/* The dispatch and the instruction semantics: a table, one line an
 * operation, kept as written. */
/* clang-format off */
#define RD r[in->rd]
#define RS1 r[in->rs1]
#define RS2 r[in->rs2]
#define IMM ((uint32_t)in->imm)
#define NEXT do { in++; goto *in->h; } while (0)
#define NEXT_PC (in->pc + in->len)
/* Continue with successor k of this block, chaining it on first use. */
#define CHAIN(k)                                       \
	do {                                           \
		struct block *nb_ = blk->succ[k];      \
		if (likely(nb_ != NULL)) {             \
			blk = nb_;                     \
			goto enter;                    \
		}                                      \
		link = &blk->succ[k];                  \
		link_shared = (int)blk->shared;        \
		goto dispatch;                         \
	} while (0)
#define TRAP(c, v) do { t.cause = (c); t.tval = (v); goto trap; } while (0)
/* After a slow-path store: if it hit decoded code, leave this block. */
#define CHECK_CODE() do { if (unlikely(m->code.code_gen != m->pm->code_gen)) goto code_changed; } while (0)

dispatch:
	if (remaining == 0)
		goto out;
	cc = hart_cache(m, pc, &limit);
	blk = codecache_lookup(cc, pc);
	if (unlikely(!blk)) {
		int flushed = 0;
		blk = block_build(m, cc, pc, limit, labels, &t, &flushed);
		if (flushed) {
			link = NULL, slot = NULL;
			hart_sync_group(m);
		}
		if (!blk) {
			t.pc = pc;
			*trap = t;
			stop = HART_STOP_TRAP;
			goto out;
		}
	}
	if (link) {
		if (!link_shared || blk->shared)
			*link = blk;
		link = NULL;
	}
	if (slot) {
		if (blk->native && (!slot_shared || blk->shared))
			jit_chain(slot, blk->native);
		slot = NULL;
	} else if (jump && blk->native) {
		/* in the table of its own code, and in m's for m's jumps into it */
		jit_note_jump(&cc->jit, pc, blk->native);
		if (blk->shared && m->code.jit.jumps)
			jit_note_jump(&m->code.jit, pc, blk->native);
	}
	jump = 0;
enter:
	if (unlikely(blk->n > remaining)) {
		/* The budget ends inside this block: run a copy of its head. */
		uint32_t k = (uint32_t)remaining;
		if (k == 0) {
			pc = blk->pc;
			goto out;
		}
		struct insn *end = &scratch->ins[k];
		memcpy(scratch->ins, blk->ins, k * sizeof(struct insn));
		memset(end, 0, sizeof(*end));
		end->op = OP_BUDGET_END;
		end->h = labels[OP_BUDGET_END];
		end->pc = end[-1].pc + end[-1].len;
		end->imm = (int32_t)end->pc;
		scratch->pc = blk->pc;
		scratch->n = k;
		scratch->succ[0] = scratch->succ[1] = NULL;
		scratch->native = NULL;
		scratch->shared = 0;
		blk = scratch;
	} else if (jit && (blk->native || ++blk->hits >= m->jit_hot)) {
		struct codecache *bc = hart_block_cache(m, blk);
		int rc = blk->native ? 0 : jit_translate(&bc->jit, blk);
		if (!rc)
			goto native;
		if (rc == -2 || (bc->jit.broken && blk->shared)) {
			blk->hits = 0; /* the pool has no room now: try again later */
		} else if (bc->jit.broken) {
			jit = 0; /* no buffer to be had: the interpreter runs it all */
		} else {
			/* The buffer is full: every translation and block goes. */
			pc = blk->pc;
			codecache_flush(bc, m->pm->code_gen);
			hart_sync_group(m);
			link = NULL;
			goto dispatch;
		}
	}
	remaining -= blk->n;
	in = blk->ins;
	goto *in->h;

	/* ---- RV32I: immediates and register-register ---- */
L_NOP:   NEXT;
L_LI:    RD = IMM; NEXT;
L_ADDI:  RD = RS1 + IMM; NEXT;
L_SLTI:  RD = (int32_t)RS1 < in->imm; NEXT;
L_SLTIU: RD = RS1 < IMM; NEXT;
L_XORI:  RD = RS1 ^ IMM; NEXT;
L_ORI:   RD = RS1 | IMM; NEXT;
L_ANDI:  RD = RS1 & IMM; NEXT;
L_SLLI:  RD = RS1 << IMM; NEXT;
L_SRLI:  RD = RS1 >> IMM; NEXT;
L_SRAI:  RD = (uint32_t)((int32_t)RS1 >> IMM); NEXT;
L_ADD:   RD = RS1 + RS2; NEXT;
L_SUB:   RD = RS1 - RS2; NEXT;
L_SLL:   RD = RS1 << (RS2 & 31); NEXT;
L_SLT:   RD = (int32_t)RS1 < (int32_t)RS2; NEXT;
L_SLTU:  RD = RS1 < RS2; NEXT;
L_XOR:   RD = RS1 ^ RS2; NEXT;
L_SRL:   RD = RS1 >> (RS2 & 31); NEXT;
L_SRA:   RD = (uint32_t)((int32_t)RS1 >> (RS2 & 31)); NEXT;
L_OR:    RD = RS1 | RS2; NEXT;
L_AND:   RD = RS1 & RS2; NEXT;

	/* ---- M: results on division by zero and overflow as the spec fixes ---- */
L_MUL:    RD = RS1 * RS2; NEXT;
L_MULH:   RD = (uint32_t)(((int64_t)(int32_t)RS1 * (int64_t)(int32_t)RS2) >> 32); NEXT;
L_MULHSU: RD = (uint32_t)(((int64_t)(int32_t)RS1 * (int64_t)(uint64_t)RS2) >> 32); NEXT;
L_MULHU:  RD = (uint32_t)(((uint64_t)RS1 * RS2) >> 32); NEXT;
L_DIV: {
	int32_t a = (int32_t)RS1, b = (int32_t)RS2;
	RD = b == 0 ? UINT32_MAX : (a == INT32_MIN && b == -1) ? (uint32_t)a : (uint32_t)(a / b);
	NEXT;
}
L_DIVU: RD = RS2 == 0 ? UINT32_MAX : RS1 / RS2; NEXT;
L_REM: {
	int32_t a = (int32_t)RS1, b = (int32_t)RS2;
	RD = b == 0 ? (uint32_t)a : (a == INT32_MIN && b == -1) ? 0 : (uint32_t)(a % b);
	NEXT;
}
L_REMU: RD = RS2 == 0 ? RS1 : RS1 % RS2; NEXT;

	/* ---- loads and stores: TLB hit inline, the rest in mmu.c ---- */
#define LOAD(type, size)                                                    \
	do {                                                                \
		uint32_t a_ = RS1 + IMM, v_;                                \
		const struct tlb_entry *e_ = &tlbr[tlb_index(a_)];          \
		if (likely(e_->tag == TAG(a_, size))) {                     \
			type x_;                                            \
			memcpy(&x_, HOST(e_, a_), size);                    \
			RD = (uint32_t)x_;                                  \
			NEXT;                                               \
		}                                                           \
		if (mmu_load_slow(m, a_, size, &v_, &t))                    \
			goto trap;                                          \
		RD = (uint32_t)(type)v_;                                    \
		NEXT;                                                       \
	} while (0)
L_LB:  LOAD(int8_t, 1);
L_LH:  LOAD(int16_t, 2);
L_LW:  LOAD(uint32_t, 4);
L_LBU: LOAD(uint8_t, 1);
L_LHU: LOAD(uint16_t, 2);
#undef LOAD

#define STORE(type, size)                                                   \
	do {                                                                \
		uint32_t a_ = RS1 + IMM;                                    \
		const struct tlb_entry *e_ = &tlbw[tlb_index(a_)];          \
		type x_ = (type)RS2;                                        \
		if (likely(e_->tag == TAG(a_, size))) {                     \
			memcpy(HOST(e_, a_), &x_, size);                    \
			NEXT;                                               \
		}                                                           \
		if (mmu_store_slow(m, a_, size, x_, &t))                    \
			goto trap;                                          \
		CHECK_CODE();                                               \
		NEXT;                                                       \
	} while (0)
L_SB: STORE(uint8_t, 1);
L_SH: STORE(uint16_t, 2);
L_SW: STORE(uint32_t, 4);
#undef STORE

	/* ---- control transfer ---- */
L_BEQ:  if (RS1 == RS2) { pc = IMM; CHAIN(0); } pc = NEXT_PC; CHAIN(1);
L_BNE:  if (RS1 != RS2) { pc = IMM; CHAIN(0); } pc = NEXT_PC; CHAIN(1);
L_BLT:  if ((int32_t)RS1 < (int32_t)RS2) { pc = IMM; CHAIN(0); } pc = NEXT_PC; CHAIN(1);
L_BGE:  if ((int32_t)RS1 >= (int32_t)RS2) { pc = IMM; CHAIN(0); } pc = NEXT_PC; CHAIN(1);
L_BLTU: if (RS1 < RS2) { pc = IMM; CHAIN(0); } pc = NEXT_PC; CHAIN(1);
L_BGEU: if (RS1 >= RS2) { pc = IMM; CHAIN(0); } pc = NEXT_PC; CHAIN(1);
L_JAL:  RD = NEXT_PC; pc = IMM; CHAIN(0);
L_JALR: {
	uint32_t target = (RS1 + IMM) & ~1u;
	RD = NEXT_PC;
	pc = target;
	goto dispatch;
}
L_BLOCK_END: pc = IMM; CHAIN(1);
L_BUDGET_END: pc = IMM; goto out;

	/* ---- system ---- */
L_ECALL:   TRAP(HART_CAUSE_ECALL, 0);
L_EBREAK:  TRAP(HART_CAUSE_BREAKPOINT, in->pc);
L_ILLEGAL: TRAP(HART_CAUSE_ILLEGAL, IMM);
L_CSRR: {
	/* Retired before this instruction, in this run. */
	uint64_t done = budget - remaining - blk->n + (uint64_t)(in - blk->ins);
	RD = hart_csr_read(h, IMM, done);
	NEXT;
}

	/* ---- A: one definition for both tiers (hart_exec_atomic) ---- */
L_LR_W:
L_SC_W:
L_AMOSWAP_W:
L_AMOADD_W:
L_AMOXOR_W:
L_AMOAND_W:
L_AMOOR_W:
L_AMOMIN_W:
L_AMOMAX_W:
L_AMOMINU_W:
L_AMOMAXU_W: {
	int rc_ = hart_exec_atomic(h, m, r, in, &t);
	if (rc_ < 0)
		goto trap;
	if (rc_ > 0)
		goto code_changed;
	NEXT;
}

/* clang-format on */
native:
	/* Translated code runs until it leaves; it says where to go on. */
	f.remaining = remaining;
	why = jit_run(&hart_block_cache(m, blk)->jit, &f, blk->native);
	remaining = f.remaining;
	pc = f.pc;
	link = NULL;
	switch (why) {
	case JIT_EXIT_CHAIN:
	case JIT_EXIT_JUMP:
		slot = why == JIT_EXIT_CHAIN ? f.slot : NULL;
		slot_shared = slot && m->group && jit_owns(&m->group->code.jit, slot);
		jump = why == JIT_EXIT_JUMP;
		goto dispatch;
	case JIT_EXIT_BUDGET:
		/* The block at pc runs its head in the interpreter. */
		blk = codecache_lookup(hart_cache(m, pc, &limit), pc);
		goto enter;
	case JIT_EXIT_TRAP:
		t = f.t;
		t.pc = pc;
		*trap = t;
		stop = HART_STOP_TRAP;
		goto out;
	case JIT_EXIT_CODE: hart_sync(m); goto dispatch;
	}
	abort(); /* no other exit exists */

code_changed:
	/* A store rewrote decoded code: the rest of this block may be stale. */
	remaining += blk->n - (uint64_t)(in - blk->ins + 1);
	pc = NEXT_PC;
	hart_sync(m);
	link = NULL;
	slot = NULL;
	goto dispatch;

trap:
	/* The trapping instruction and those after it did not retire. */
	remaining += blk->n - (uint64_t)(in - blk->ins);
	pc = in->pc;
	t.pc = pc;
	*trap = t;
	stop = HART_STOP_TRAP;

out:
	ran = budget - remaining;
	memcpy(h->x, r, sizeof(h->x));
	h->x[0] = 0;
	h->pc = pc;
	h->instret += ran;
	h->cycle += ran;
	h->clock += ran;
	if (retired)
		*retired = ran;
	return stop;
}
