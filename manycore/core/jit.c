/*
 * jit.c - translation of decoded blocks to x86-64 host code (see jit.h).
 *
 * One template per IR operation. Host registers: rbx points to the frame
 * (guest registers at [rbx + 4*i]), r12 holds the instructions left in
 * the budget, r13 the address space (its read TLB first, then the write
 * TLB); rax, rcx and rdx are scratch. Each block starts with its budget
 * check; what is rare (TLB misses, exits) goes to stubs after the block's
 * body, so the straight path of a block is the common one.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/codecache.h"
#include "core/hart_priv.h"
#include "core/jit.h"
#include "core/mmu_priv.h"

#if defined(__x86_64__)

#include <sys/mman.h>

#include "core/x86emit.h"

/* The code buffer of one address space: reserved once, filled in order,
 * reset with the decoded blocks. Pages are committed only as used. */
#define JIT_BUFFER_BYTES (2u * 1024 * 1024)
/* The most one block can take: its body and its stubs. */
#define JIT_BLOCK_MAX_BYTES (CORE_BLOCK_MAX_INSNS * 200u + 256u)

#define F_R(i) ((int32_t)(offsetof(struct jit_frame, r) + 4 * (size_t)(i)))
#define F_PC ((int32_t)offsetof(struct jit_frame, pc))
#define F_REM ((int32_t)offsetof(struct jit_frame, remaining))
#define F_SLOT ((int32_t)offsetof(struct jit_frame, slot))
#define F_MMU ((int32_t)offsetof(struct jit_frame, m))
#define F_CAUSE ((int32_t)(offsetof(struct jit_frame, t) + offsetof(struct hart_trap, cause)))
#define F_TVAL ((int32_t)(offsetof(struct jit_frame, t) + offsetof(struct hart_trap, tval)))
#define M_TLB_R ((int32_t)offsetof(struct mmu, tlb_r))
#define M_TLB_W ((int32_t)offsetof(struct mmu, tlb_w))

_Static_assert(sizeof(struct tlb_entry) == 16 && offsetof(struct tlb_entry, addend) == 8,
               "the inline TLB lookup scales the index by 16 and reads addend at 8");
_Static_assert(sizeof(enum hart_cause) == 4, "a trap's cause is stored as a dword");

/* ---- the helpers translated code calls (System V ABI) ---- */

/* A load that missed the TLB: the value, or bit 32 set on a trap. kind
 * is the size, plus 8 when it sign-extends. */
static uint64_t jit_h_load(struct jit_frame *f, uint32_t va, uint32_t kind)
{
	uint32_t v, size = kind & 7;

	if (mmu_load_slow(f->m, va, size, &v, &f->t))
		return 1ull << 32;
	if (kind & 8)
		v = size == 1 ? (uint32_t)(int8_t)v : (uint32_t)(int16_t)v;
	return v;
}

/* A store that missed the write TLB: 0, 1 on a trap, 2 when it rewrote
 * decoded code. */
static uint32_t jit_h_store(struct jit_frame *f, uint32_t va, uint32_t val, uint32_t size)
{
	if (mmu_store_slow(f->m, va, size, val, &f->t))
		return 1;
	return f->m->code.code_gen != f->m->pm->code_gen ? 2 : 0;
}

/* LR/SC and AMOs: 0, 1 on a trap, 2 when the store rewrote decoded code. */
static uint32_t jit_h_atomic(struct jit_frame *f, const struct insn *in)
{
	int rc = hart_exec_atomic(f->h, f->m, f->r, in, &f->t);

	return rc < 0 ? 1 : rc > 0 ? 2 : 0;
}

/* A counter CSR; left is the budget left before the reading instruction. */
static uint32_t jit_h_csrr(struct jit_frame *f, uint32_t csr, uint64_t left)
{
	return hart_csr_read(f->h, csr, f->budget - left);
}

/* The code of the block at pc, for an indirect jump; NULL to leave. */
static const uint8_t *jit_h_lookup(struct jit_frame *f, uint32_t pc)
{
	const struct block *b = codecache_lookup(&f->m->code, pc);

	return b ? b->native : NULL;
}

/* ---- emission ---- */

/* Work left for after a block's body: a stub reached by a jump at `at`. */
enum stub_kind { S_CHAIN, S_BUDGET, S_LOAD, S_STORE, S_CALLED, S_JUMP };
struct stub {
	uint8_t kind;
	uint8_t reg;   /* S_LOAD: rd; S_STORE: rs2 */
	uint8_t size;  /* S_LOAD: kind for jit_h_load; S_STORE: size */
	uint8_t i;     /* the instruction's index in the block */
	uint8_t *at;   /* the rel32 to point at the stub */
	uint8_t *back; /* where the slow path rejoins */
	uint32_t pc;   /* S_CHAIN, S_BUDGET: the guest pc to go on at */
};

struct tr {
	struct emit e;
	struct jit_code *jc;
	const struct block *b;
	struct stub stub[CORE_BLOCK_MAX_INSNS * 2 + 2];
	unsigned nstub;
};

static void add_stub(struct tr *tr, enum stub_kind k, uint8_t *at, unsigned i, uint32_t pc)
{
	struct stub *s = &tr->stub[tr->nstub++];

	memset(s, 0, sizeof(*s));
	s->kind = (uint8_t)k;
	s->at = at;
	s->i = (uint8_t)i;
	s->pc = pc;
}

static void load_reg(struct emit *e, int host, unsigned g)
{
	if (g == 0)
		x_mov_ri(e, host, 0);
	else
		x_op_mem(e, 0, X_MOV_LOAD, 0, host, X_BX, X_NONE, F_R(g));
}

static void store_reg(struct emit *e, int host, unsigned g)
{
	if (g != REG_SINK)
		x_op_mem(e, 0, X_MOV_STORE, 0, host, X_BX, X_NONE, F_R(g));
}

/* mov rdi, rbx: the frame as a helper's first argument. */
static void arg_frame(struct emit *e)
{
	x_op_rr(e, 1, 0x89, 0, X_BX, X_DI);
}

static void call_helper(struct emit *e, const void *fn)
{
	x_mov_ri64(e, X_AX, (uint64_t)(uintptr_t)fn);
	x_call_rax(e);
}

/* Leaves for the dispatcher with exit code `why`. */
static void leave(struct tr *tr, enum jit_exit why)
{
	x_mov_ri(&tr->e, X_AX, why);
	x_patch(x_jmp32(&tr->e), tr->jc->base + tr->jc->exit_at);
}

/* The budget back for the instructions from index i on, which did not
 * retire, and the pc to go on at. */
static void give_back(struct tr *tr, unsigned from, uint32_t pc)
{
	uint32_t left = tr->b->n - from;

	if (left)
		x_alu_ri(&tr->e, 1, XI_ADD, X_R12, left);
	x_store_imm(&tr->e, X_BX, F_PC, pc);
}

/* A trap at instruction i: the frame's t is filled already. */
static void exit_trap(struct tr *tr, unsigned i)
{
	give_back(tr, i, tr->b->ins[i].pc);
	leave(tr, JIT_EXIT_TRAP);
}

/* Instruction i rewrote decoded code: go on after it, outside this block. */
static void exit_code(struct tr *tr, unsigned i)
{
	const struct insn *in = &tr->b->ins[i];

	give_back(tr, i + 1, in->pc + in->len);
	leave(tr, JIT_EXIT_CODE);
}

/* The inline TLB lookup for an access of size at eax: leaves the entry's
 * addend in rdx on a hit, jumps to a new stub on a miss. */
static struct stub *tlb_probe(struct tr *tr, enum stub_kind k, int32_t tlb, unsigned size,
                              unsigned i)
{
	struct emit *e = &tr->e;

	x_op_rr(e, 0, 0x89, 0, X_AX, X_CX);                         /* mov ecx, eax */
	x_shift(e, 0, 5, X_CX, CORE_PAGE_SHIFT - 4);                /* shr ecx, 8 */
	x_alu_ri(e, 0, XI_AND, X_CX, (CORE_TLB_SIZE - 1) << 4);     /* index * 16 */
	x_op_rr(e, 0, 0x89, 0, X_AX, X_DX);                         /* mov edx, eax */
	x_alu_ri(e, 0, XI_AND, X_DX, ~CORE_PAGE_MASK | (size - 1)); /* the tag wanted */
	x_op_mem(e, 0, X_CMP, 0, X_DX, X_R13, X_CX, tlb);           /* cmp edx, tag */
	add_stub(tr, k, x_jcc32(e, CC_NE), i, 0);
	x_op_mem(e, 1, X_MOV_LOAD, 0, X_DX, X_R13, X_CX, tlb + 8); /* mov rdx, addend */
	return &tr->stub[tr->nstub - 1];
}

/* eax = rs1 + imm */
static void effective_address(struct emit *e, const struct insn *in)
{
	load_reg(e, X_AX, in->rs1);
	if (in->imm)
		x_alu_ri(e, 0, XI_ADD, X_AX, (uint32_t)in->imm);
}

static void emit_load(struct tr *tr, const struct insn *in, unsigned i)
{
	static const struct {
		uint8_t op1, op2, kind;
	} form[] = {
		[OP_LB - OP_LB] = { 0x0f, 0xbe, 1 | 8 }, [OP_LH - OP_LB] = { 0x0f, 0xbf, 2 | 8 },
		[OP_LW - OP_LB] = { 0x8b, 0, 4 },        [OP_LBU - OP_LB] = { 0x0f, 0xb6, 1 },
		[OP_LHU - OP_LB] = { 0x0f, 0xb7, 2 },
	};
	struct emit *e = &tr->e;
	unsigned f = in->op - OP_LB;
	struct stub *s;

	effective_address(e, in);
	s = tlb_probe(tr, S_LOAD, M_TLB_R, form[f].kind & 7, i);
	x_op_mem(e, 0, form[f].op1, form[f].op2, X_AX, X_DX, X_AX, 0); /* eax = [rdx + rax] */
	store_reg(e, X_AX, in->rd);
	s->reg = in->rd;
	s->size = form[f].kind;
	s->back = e->p;
}

static void emit_store(struct tr *tr, const struct insn *in, unsigned i)
{
	struct emit *e = &tr->e;
	unsigned size = in->op == OP_SB ? 1 : in->op == OP_SH ? 2 : 4;
	struct stub *s;

	effective_address(e, in);
	s = tlb_probe(tr, S_STORE, M_TLB_W, size, i);
	load_reg(e, X_CX, in->rs2);
	if (size == 2)
		x_b(e, 0x66);
	x_op_mem(e, 0, size == 1 ? 0x88 : 0x89, 0, X_CX, X_DX, X_AX, 0); /* [rdx + rax] = cx */
	s->reg = in->rs2;
	s->size = (uint8_t)size;
	s->back = e->p;
}

/* rd = rs1 OP rs2 through eax, with `op r32, r/m32`. */
static void emit_rr(struct emit *e, const struct insn *in, uint8_t op1, uint8_t op2)
{
	load_reg(e, X_AX, in->rs1);
	x_op_mem(e, 0, op1, op2, X_AX, X_BX, X_NONE, F_R(in->rs2));
	store_reg(e, X_AX, in->rd);
}

/* rd = (rs1 < rs2-or-imm), signed or not. */
static void emit_set_less(struct emit *e, const struct insn *in, int imm, enum x86_cond cc)
{
	load_reg(e, X_AX, in->rs1);
	x_mov_ri(e, X_CX, 0);
	if (imm)
		x_alu_ri(e, 0, XI_CMP, X_AX, (uint32_t)in->imm);
	else
		x_op_mem(e, 0, X_CMP, 0, X_AX, X_BX, X_NONE, F_R(in->rs2));
	x_setcc(e, cc, X_CX);
	store_reg(e, X_CX, in->rd);
}

/* The high word of a 64-bit product; sign-extends each side as asked. */
static void emit_mulh(struct emit *e, const struct insn *in, int s1, int s2)
{
	x_op_mem(e, s1, s1 ? 0x63 : X_MOV_LOAD, 0, X_AX, X_BX, X_NONE, F_R(in->rs1));
	x_op_mem(e, s2, s2 ? 0x63 : X_MOV_LOAD, 0, X_CX, X_BX, X_NONE, F_R(in->rs2));
	x_op_rr(e, 1, 0x0f, 0xaf, X_AX, X_CX); /* imul rax, rcx */
	x_shift(e, 1, 5, X_AX, 32);
	store_reg(e, X_AX, in->rd);
}

/* Division with the spec's results: signed in 64 bits, where INT_MIN / -1
 * cannot overflow; by zero, -1 for a quotient and the dividend for a
 * remainder (still in eax). */
static void emit_div(struct emit *e, const struct insn *in, int sign, int rem)
{
	uint8_t *zero, *done;

	x_op_mem(e, sign, sign ? 0x63 : X_MOV_LOAD, 0, X_AX, X_BX, X_NONE, F_R(in->rs1));
	x_op_mem(e, sign, sign ? 0x63 : X_MOV_LOAD, 0, X_CX, X_BX, X_NONE, F_R(in->rs2));
	x_op_rr(e, sign, 0x85, 0, X_CX, X_CX); /* test */
	zero = x_jcc8(e, CC_E);
	if (sign) {
		x_b(e, 0x48);
		x_b(e, 0x99);                    /* cqo */
		x_op_rr(e, 1, 0xf7, 0, 7, X_CX); /* idiv rcx */
	} else {
		x_mov_ri(e, X_DX, 0);
		x_op_rr(e, 0, 0xf7, 0, 6, X_CX); /* div ecx */
	}
	if (rem)
		x_op_rr(e, 0, 0x89, 0, X_DX, X_AX); /* mov eax, edx */
	done = x_jmp8(e);
	x_patch8(e, zero);
	if (!rem)
		x_mov_ri(e, X_AX, UINT32_MAX);
	x_patch8(e, done);
	store_reg(e, X_AX, in->rd);
}

/* A conditional branch: both ways are chaining jumps. */
static void emit_branch(struct tr *tr, const struct insn *in, enum x86_cond cc)
{
	struct emit *e = &tr->e;

	load_reg(e, X_AX, in->rs1);
	x_op_mem(e, 0, X_CMP, 0, X_AX, X_BX, X_NONE, F_R(in->rs2));
	add_stub(tr, S_CHAIN, x_jcc32(e, cc), 0, (uint32_t)in->imm);
	add_stub(tr, S_CHAIN, x_jmp32(e), 0, in->pc + in->len);
}

static void emit_jalr(struct tr *tr, const struct insn *in)
{
	struct emit *e = &tr->e;

	effective_address(e, in);
	x_alu_ri(e, 0, XI_AND, X_AX, ~1u);
	if (in->rd != REG_SINK)
		x_store_imm(e, X_BX, F_R(in->rd), in->pc + in->len);
	x_op_mem(e, 0, X_MOV_STORE, 0, X_AX, X_BX, X_NONE, F_PC);
	arg_frame(e);
	x_op_rr(e, 0, 0x89, 0, X_AX, X_SI);
	call_helper(e, (const void *)jit_h_lookup);
	x_op_rr(e, 1, 0x85, 0, X_AX, X_AX);
	add_stub(tr, S_JUMP, x_jcc32(e, CC_E), 0, 0);
	x_jmp_rax(e);
}

/* ecall, ebreak, illegal: a trap with a cause known now. */
static void emit_trap(struct tr *tr, unsigned i, enum hart_cause c, uint32_t tval)
{
	x_store_imm(&tr->e, X_BX, F_CAUSE, (uint32_t)c);
	x_store_imm(&tr->e, X_BX, F_TVAL, tval);
	exit_trap(tr, i);
}

static void emit_insn(struct tr *tr, const struct insn *in, unsigned i)
{
	struct emit *e = &tr->e;

	switch ((enum op)in->op) {
	case OP_NOP: break;
	case OP_LI: x_store_imm(e, X_BX, F_R(in->rd), (uint32_t)in->imm); break;
	case OP_ADDI:
	case OP_XORI:
	case OP_ORI:
	case OP_ANDI: {
		static const int digit[] = { [OP_ADDI - OP_ADDI] = XI_ADD,
			                     [OP_XORI - OP_ADDI] = XI_XOR,
			                     [OP_ORI - OP_ADDI] = XI_OR,
			                     [OP_ANDI - OP_ADDI] = XI_AND };
		load_reg(e, X_AX, in->rs1);
		x_alu_ri(e, 0, digit[in->op - OP_ADDI], X_AX, (uint32_t)in->imm);
		store_reg(e, X_AX, in->rd);
		break;
	}
	case OP_SLTI: emit_set_less(e, in, 1, CC_L); break;
	case OP_SLTIU: emit_set_less(e, in, 1, CC_B); break;
	case OP_SLT: emit_set_less(e, in, 0, CC_L); break;
	case OP_SLTU: emit_set_less(e, in, 0, CC_B); break;
	case OP_SLLI:
	case OP_SRLI:
	case OP_SRAI:
		load_reg(e, X_AX, in->rs1);
		x_shift(e, 0,
		        in->op == OP_SLLI   ? 4
		        : in->op == OP_SRLI ? 5
		                            : 7,
		        X_AX, in->imm & 31);
		store_reg(e, X_AX, in->rd);
		break;
	case OP_SLL:
	case OP_SRL:
	case OP_SRA:
		load_reg(e, X_CX, in->rs2);
		load_reg(e, X_AX, in->rs1);
		x_shift(e, 0, in->op == OP_SLL ? 4 : in->op == OP_SRL ? 5 : 7, X_AX, -1);
		store_reg(e, X_AX, in->rd);
		break;
	case OP_ADD: emit_rr(e, in, X_ADD, 0); break;
	case OP_SUB: emit_rr(e, in, X_SUB, 0); break;
	case OP_XOR: emit_rr(e, in, X_XOR, 0); break;
	case OP_OR: emit_rr(e, in, X_OR, 0); break;
	case OP_AND: emit_rr(e, in, X_AND, 0); break;
	case OP_MUL: emit_rr(e, in, 0x0f, 0xaf); break;
	case OP_MULH: emit_mulh(e, in, 1, 1); break;
	case OP_MULHSU: emit_mulh(e, in, 1, 0); break;
	case OP_MULHU: emit_mulh(e, in, 0, 0); break;
	case OP_DIV: emit_div(e, in, 1, 0); break;
	case OP_DIVU: emit_div(e, in, 0, 0); break;
	case OP_REM: emit_div(e, in, 1, 1); break;
	case OP_REMU: emit_div(e, in, 0, 1); break;
	case OP_LB:
	case OP_LH:
	case OP_LW:
	case OP_LBU:
	case OP_LHU: emit_load(tr, in, i); break;
	case OP_SB:
	case OP_SH:
	case OP_SW: emit_store(tr, in, i); break;
	case OP_BEQ: emit_branch(tr, in, CC_E); break;
	case OP_BNE: emit_branch(tr, in, CC_NE); break;
	case OP_BLT: emit_branch(tr, in, CC_L); break;
	case OP_BGE: emit_branch(tr, in, CC_GE); break;
	case OP_BLTU: emit_branch(tr, in, CC_B); break;
	case OP_BGEU: emit_branch(tr, in, CC_AE); break;
	case OP_JAL:
		if (in->rd != REG_SINK)
			x_store_imm(e, X_BX, F_R(in->rd), in->pc + in->len);
		add_stub(tr, S_CHAIN, x_jmp32(e), 0, (uint32_t)in->imm);
		break;
	case OP_JALR: emit_jalr(tr, in); break;
	case OP_BLOCK_END: add_stub(tr, S_CHAIN, x_jmp32(e), 0, (uint32_t)in->imm); break;
	case OP_ECALL: emit_trap(tr, i, HART_CAUSE_ECALL, 0); break;
	case OP_EBREAK: emit_trap(tr, i, HART_CAUSE_BREAKPOINT, in->pc); break;
	case OP_ILLEGAL: emit_trap(tr, i, HART_CAUSE_ILLEGAL, (uint32_t)in->imm); break;
	case OP_CSRR:
		arg_frame(e);
		x_mov_ri(e, X_SI, (uint32_t)in->imm);
		x_op_mem(e, 1, 0x8d, 0, X_DX, X_R12, X_NONE, (int32_t)(tr->b->n - i)); /* lea */
		call_helper(e, (const void *)jit_h_csrr);
		store_reg(e, X_AX, in->rd);
		break;
	case OP_LR_W:
	case OP_SC_W:
	case OP_AMOSWAP_W:
	case OP_AMOADD_W:
	case OP_AMOXOR_W:
	case OP_AMOAND_W:
	case OP_AMOOR_W:
	case OP_AMOMIN_W:
	case OP_AMOMAX_W:
	case OP_AMOMINU_W:
	case OP_AMOMAXU_W:
		arg_frame(e);
		x_mov_ri64(e, X_SI, (uint64_t)(uintptr_t)in);
		call_helper(e, (const void *)jit_h_atomic);
		x_op_rr(e, 0, 0x85, 0, X_AX, X_AX);
		add_stub(tr, S_CALLED, x_jcc32(e, CC_NE), i, 0);
		break;
	case OP_BUDGET_END:
	case OP_COUNT: break; /* never in a cached block */
	}
}

/* After a helper said 1 (trap) or 2 (code rewritten) in eax. */
static void emit_called_exit(struct tr *tr, unsigned i)
{
	uint8_t *code;

	x_alu_ri(&tr->e, 0, XI_CMP, X_AX, 1);
	code = x_jcc8(&tr->e, CC_NE);
	exit_trap(tr, i);
	x_patch8(&tr->e, code);
	exit_code(tr, i);
}

static void emit_stub(struct tr *tr, const struct stub *s)
{
	struct emit *e = &tr->e;
	uint8_t *ok;

	x_patch(s->at, e->p);
	switch ((enum stub_kind)s->kind) {
	case S_CHAIN:
		x_store_imm(e, X_BX, F_PC, s->pc);
		x_mov_ri64(e, X_DX, (uint64_t)(uintptr_t)s->at);
		x_op_mem(e, 1, X_MOV_STORE, 0, X_DX, X_BX, X_NONE, F_SLOT);
		leave(tr, JIT_EXIT_CHAIN);
		break;
	case S_BUDGET:
		x_store_imm(e, X_BX, F_PC, s->pc);
		leave(tr, JIT_EXIT_BUDGET);
		break;
	case S_JUMP: leave(tr, JIT_EXIT_JUMP); break;
	case S_LOAD:
		arg_frame(e);
		x_op_rr(e, 0, 0x89, 0, X_AX, X_SI);
		x_mov_ri(e, X_DX, s->size);
		call_helper(e, (const void *)jit_h_load);
		x_b(e, 0x48); /* bt rax, 32 */
		x_b(e, 0x0f);
		x_b(e, 0xba);
		x_b(e, 0xe0);
		x_b(e, 32);
		ok = x_jcc8(e, CC_AE);
		exit_trap(tr, s->i);
		x_patch8(e, ok);
		store_reg(e, X_AX, s->reg);
		x_patch(x_jmp32(e), s->back);
		break;
	case S_STORE:
		arg_frame(e);
		x_op_rr(e, 0, 0x89, 0, X_AX, X_SI);
		load_reg(e, X_DX, s->reg);
		x_mov_ri(e, X_CX, s->size);
		call_helper(e, (const void *)jit_h_store);
		x_op_rr(e, 0, 0x85, 0, X_AX, X_AX);
		x_patch(x_jcc32(e, CC_E), s->back);
		emit_called_exit(tr, s->i);
		break;
	case S_CALLED: emit_called_exit(tr, s->i); break;
	}
}

/* The shared way in and out, at the start of the buffer:
 * enter(frame, code) saves the callee-saved registers, loads rbx, r12 and
 * r13 and jumps to code; the exit stores r12 back and returns eax. */
static int jit_emit_entry(struct jit_code *jc)
{
	static const uint8_t enter[] = {
		0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57, /* push rbx..r15 */
		0x48, 0x83, 0xec, 0x08,                                     /* sub rsp, 8 */
		0x48, 0x89, 0xfb,                                           /* mov rbx, rdi */
	};
	static const uint8_t out[] = {
		0x48, 0x83, 0xc4, 0x08,                         /* add rsp, 8 */
		0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d, 0x41, 0x5c, /* pop r15..r12 */
		0x5d, 0x5b, 0xc3, 0xcc,                         /* pop rbp, rbx; ret */
	};
	struct emit e = { jc->base, jc->base + jc->cap, 0 };

	for (size_t i = 0; i < sizeof(enter); i++)
		x_b(&e, enter[i]);
	x_op_mem(&e, 1, X_MOV_LOAD, 0, X_R12, X_DI, X_NONE, F_REM);
	x_op_mem(&e, 1, X_MOV_LOAD, 0, X_R13, X_DI, X_NONE, F_MMU);
	x_b(&e, 0xff); /* jmp rsi */
	x_b(&e, 0xe6);
	/* The exit: r12 back into the frame, then the epilogue. */
	jc->exit_at = (uint32_t)(e.p - jc->base);
	x_op_mem(&e, 1, X_MOV_STORE, 0, X_R12, X_BX, X_NONE, F_REM);
	for (size_t i = 0; i < sizeof(out); i++)
		x_b(&e, out[i]);
	jc->entry_bytes = (uint32_t)(e.p - jc->base);
	return e.full ? -1 : 0;
}

int jit_available(void)
{
	return 1;
}

static int jit_open(struct jit_code *jc)
{
	void *p = mmap(NULL, JIT_BUFFER_BYTES, PROT_READ | PROT_WRITE | PROT_EXEC,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		jc->broken = 1;
		return -1;
	}
	jc->base = p;
	jc->cap = JIT_BUFFER_BYTES;
	if (jit_emit_entry(jc)) {
		jit_free(jc);
		jc->broken = 1;
		return -1;
	}
	jc->used = jc->entry_bytes;
	return 0;
}

int jit_translate(struct jit_code *jc, struct block *b)
{
	struct tr *tr;
	uint8_t *start;
	unsigned nrec;

	if (!jc->base && jit_open(jc))
		return -1;
	if (jc->cap - jc->used < JIT_BLOCK_MAX_BYTES)
		return -1;
	if (!(tr = malloc(sizeof(*tr)))) {
		jc->broken = 1;
		return -1;
	}
	start = jc->base + jc->used;
	tr->e = (struct emit){ start, start + JIT_BLOCK_MAX_BYTES, 0 };
	tr->jc = jc;
	tr->b = b;
	tr->nstub = 0;
	/* The budget check: the whole block, or none of it here. */
	x_alu_ri(&tr->e, 1, XI_CMP, X_R12, b->n);
	add_stub(tr, S_BUDGET, x_jcc32(&tr->e, CC_B), 0, b->pc);
	x_alu_ri(&tr->e, 1, XI_SUB, X_R12, b->n);
	/* The body: n instructions and, if it falls through, its end. */
	nrec = b->n + !(decode_op_flags((enum op)b->ins[b->n - 1].op) & OPF_TERM);
	for (unsigned i = 0; i < nrec; i++)
		emit_insn(tr, &b->ins[i], i);
	for (unsigned k = 0; k < tr->nstub; k++)
		emit_stub(tr, &tr->stub[k]);
	if (tr->e.full) {
		/* Cannot happen within JIT_BLOCK_MAX_BYTES; refuse rather than run it. */
		free(tr);
		jc->broken = 1;
		return -1;
	}
	jc->used += (uint32_t)(tr->e.p - start);
	jc->emitted += (uint64_t)(tr->e.p - start);
	jc->translated++;
	b->native = start;
	free(tr);
	return 0;
}

enum jit_exit jit_run(struct jit_code *jc, struct jit_frame *f, const uint8_t *native)
{
	int (*enter)(struct jit_frame *, const uint8_t *);
	void *p = jc->base;

	/* The entry is code in an object buffer: convert the pointer as bytes. */
	memcpy(&enter, &p, sizeof(enter));
	return (enum jit_exit)enter(f, native);
}

void jit_chain(uint8_t *slot, const uint8_t *native)
{
	x_patch(slot, native);
}

void jit_reset(struct jit_code *jc)
{
	if (jc->base)
		jc->used = jc->entry_bytes;
}

void jit_free(struct jit_code *jc)
{
	if (jc->base)
		munmap(jc->base, jc->cap);
	jc->base = NULL;
	jc->used = jc->cap = 0;
}

#else /* not x86-64: the interpreter is the whole core */

int jit_available(void)
{
	return 0;
}

int jit_translate(struct jit_code *jc, struct block *b)
{
	(void)b;
	jc->broken = 1;
	return -1;
}

enum jit_exit jit_run(struct jit_code *jc, struct jit_frame *f, const uint8_t *native)
{
	(void)jc;
	(void)f;
	(void)native;
	abort(); /* nothing is ever translated */
}

void jit_chain(uint8_t *slot, const uint8_t *native)
{
	(void)slot;
	(void)native;
}

void jit_reset(struct jit_code *jc)
{
	(void)jc;
}

void jit_free(struct jit_code *jc)
{
	(void)jc;
}

#endif
