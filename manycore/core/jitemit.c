/*
 * jitemit.c - the x86-64 templates of the translator, one per IR
 * operation, and the stubs of their rare paths (see jit_priv.h for the
 * host registers).
 */
#if defined(__x86_64__)

#include <string.h>

#include "core/jit_priv.h"

/*
 * Guest registers held in host registers, by how much GCC's code for
 * RV32 uses them (a5 and a4 are its first choices): the callee-saved
 * hosts first (helpers keep them), then the caller-saved ones.
 */
const struct jit_reg jit_reg_map[JIT_NMAPPED] = {
	{ 15, X_BP }, { 14, X_R14 }, { 2, X_R15 }, { 10, X_SI }, { 13, X_DI },
	{ 1, 8 },     { 11, 9 },     { 12, 10 },   { 8, 11 },
};

/* The host register of guest register g, or -1 when it lives in the frame. */
static int host_of(unsigned g)
{
	for (unsigned i = 0; i < JIT_NMAPPED; i++)
		if (jit_reg_map[i].guest == g)
			return jit_reg_map[i].host;
	return -1;
}

/* In a block's body, eax doubles as a cache of the frame register last
 * loaded into it or stored from it, so a value passed between ALU
 * instructions through the frame does not wait for its store. Only the
 * ALU templates (keeps_ax) keep and use it; the other instructions and
 * the stubs run with it off. */
static int ax_has(const struct emit *e, unsigned g)
{
	return e->ax_on && e->ax_reg == (int)g + 1;
}

static void ax_note(struct emit *e, unsigned g)
{
	e->ax_reg = e->ax_on ? (int)g + 1 : 0;
}

/* host register reg = guest register g */
static void load_reg(struct emit *e, int reg, unsigned g)
{
	int h = host_of(g);

	if (g == 0)
		x_mov_ri(e, reg, 0);
	else if (h >= 0 && h != reg)
		x_op_rr(e, 0, X_MOV_STORE, 0, h, reg);
	else if (h < 0 && ax_has(e, g) && reg != X_AX)
		x_op_rr(e, 0, X_MOV_STORE, 0, X_AX, reg);
	else if (h < 0 && !ax_has(e, g))
		x_op_mem(e, 0, X_MOV_LOAD, 0, reg, X_BX, X_NONE, F_R(g));
	if (reg == X_AX) {
		if (h < 0 && g != 0)
			ax_note(e, g);
		else
			e->ax_reg = 0;
	}
}

/* guest register g = host register reg */
static void store_reg(struct emit *e, int reg, unsigned g)
{
	int h = host_of(g);

	if (g == REG_SINK)
		return;
	if (h >= 0 && h != reg)
		x_op_rr(e, 0, X_MOV_STORE, 0, reg, h);
	else if (h < 0)
		x_op_mem(e, 0, X_MOV_STORE, 0, reg, X_BX, X_NONE, F_R(g));
	if (reg == X_AX && h < 0)
		ax_note(e, g);
	else if (reg == X_AX || ax_has(e, g))
		e->ax_reg = 0;
}

/* guest register g = v */
static void set_imm(struct emit *e, unsigned g, uint32_t v)
{
	int h = host_of(g);

	if (g == REG_SINK)
		return;
	if (h >= 0)
		x_mov_ri(e, h, v);
	else
		x_store_imm(e, X_BX, F_R(g), v);
	if (ax_has(e, g))
		e->ax_reg = 0;
}

/* op reg, g: guest register g as the r/m operand (x0 reads the frame's 0). */
static void op_src(struct emit *e, int w, uint8_t op1, uint8_t op2, int reg, unsigned g)
{
	int h = host_of(g);

	if (h >= 0)
		x_op_rr(e, w, op1, op2, reg, h);
	else if (ax_has(e, g))
		x_op_rr(e, w, op1, op2, reg, X_AX);
	else
		x_op_mem(e, w, op1, op2, reg, X_BX, X_NONE, F_R(g));
	if (reg == X_AX && op1 != X_CMP)
		e->ax_reg = 0;
}

/* Where guest register g can be read as a register: its host, or eax
 * loaded with it. */
static int reg_of(struct emit *e, unsigned g)
{
	int h = host_of(g);

	if (h >= 0)
		return h;
	load_reg(e, X_AX, g);
	return X_AX;
}

/* The register an operation writing rd computes in: rd's host, unless
 * reading `keep` afterwards would see it overwritten. */
static int dest_of(const struct insn *in, int keep)
{
	int h = host_of(in->rd);

	return h >= 0 && in->rd != keep ? h : X_AX;
}

/* Stores the mapped registers from index `from` on into the frame, or
 * loads them back: around calls to helpers (which may clobber or read
 * them) and on the way out and in. */
static void spill(struct emit *e, unsigned from)
{
	for (unsigned i = from; i < JIT_NMAPPED; i++)
		x_op_mem(e, 0, X_MOV_STORE, 0, jit_reg_map[i].host, X_BX, X_NONE,
		         F_R(jit_reg_map[i].guest));
}

static void reload(struct emit *e, unsigned from)
{
	for (unsigned i = from; i < JIT_NMAPPED; i++)
		x_op_mem(e, 0, X_MOV_LOAD, 0, jit_reg_map[i].host, X_BX, X_NONE,
		         F_R(jit_reg_map[i].guest));
}

void jit_spill_all(struct emit *e)
{
	spill(e, 0);
}

void jit_reload_all(struct emit *e)
{
	reload(e, 0);
}

struct jit_stub *jit_add_stub(struct jit_tr *tr, enum jit_stub_kind k, uint8_t *at, unsigned i,
                              uint32_t pc)
{
	struct jit_stub *s = &tr->stub[tr->nstub++];

	memset(s, 0, sizeof(*s));
	s->kind = (uint8_t)k;
	s->at = at;
	s->i = (uint8_t)i;
	s->pc = pc;
	return s;
}

/* mov rdi, rbx: the frame as a helper's first argument. */
static void arg_frame(struct emit *e)
{
	x_op_rr(e, 1, X_MOV_STORE, 0, X_BX, X_DI);
}

static void call_helper(struct emit *e, const void *fn)
{
	x_mov_ri64(e, X_AX, (uint64_t)(uintptr_t)fn);
	x_call_rax(e);
}

/* Leaves for the dispatcher with exit code `why`. */
static void leave(struct jit_tr *tr, enum jit_exit why)
{
	x_mov_ri(&tr->e, X_AX, why);
	x_patch(x_jmp32(&tr->e), tr->jc->base + tr->jc->exit_at);
}

/* The budget back for the instructions from index `from` on, which did
 * not retire, and the pc to go on at. */
static void give_back(struct jit_tr *tr, unsigned from, uint32_t pc)
{
	uint32_t left = tr->b->n - from;

	if (left)
		x_alu_ri(&tr->e, 1, XI_ADD, X_R12, left);
	x_store_imm(&tr->e, X_BX, F_PC, pc);
}

/* A trap at instruction i: the frame's t is filled already. */
static void exit_trap(struct jit_tr *tr, unsigned i)
{
	give_back(tr, i, tr->b->ins[i].pc);
	leave(tr, JIT_EXIT_TRAP);
}

/* Instruction i rewrote decoded code: go on after it, outside this block. */
static void exit_code(struct jit_tr *tr, unsigned i)
{
	const struct insn *in = &tr->b->ins[i];

	give_back(tr, i + 1, in->pc + in->len);
	leave(tr, JIT_EXIT_CODE);
}

/* ecx = the offset of the TLB entry of the address in eax. */
static void tlb_offset(struct emit *e)
{
	x_op_rr(e, 0, X_MOV_STORE, 0, X_AX, X_CX);              /* mov ecx, eax */
	x_shift(e, 0, 5, X_CX, CORE_PAGE_SHIFT - 4);            /* shr: page * 16 */
	x_alu_ri(e, 0, XI_AND, X_CX, (CORE_TLB_SIZE - 1) << 4); /* the entry's offset */
}

/*
 * The lookup for an access of size at eax: leaves the page's addend in
 * rdx and the access to follow, or jumps to a new stub. The access's site
 * is compared first (its loads do not wait for the address); where no
 * site is left, the TLB is probed inline.
 */
static struct jit_stub *mem_probe(struct jit_tr *tr, enum jit_stub_kind k, int32_t tlb,
                                  unsigned size, unsigned i)
{
	struct jit_code *jc = tr->jc;
	struct jit_site *site = jc->nsites < jc->sites_cap ? &jc->sites[jc->nsites] : NULL;
	struct emit *e = &tr->e;
	struct jit_stub *s;

	x_op_rr(e, 0, X_MOV_STORE, 0, X_AX, X_DX);                  /* mov edx, eax */
	x_alu_ri(e, 0, XI_AND, X_DX, ~CORE_PAGE_MASK | (size - 1)); /* the tag wanted */
	if (site) {
		jc->nsites++;
		site->tag = TLB_INVALID;
		x_op_rip(e, 0, X_CMP, X_DX, &site->tag);
		if (jc->shared) { /* and the page is this address space's */
			uint8_t *other = x_jcc8(e, CC_NE);
			x_op_rip(e, 1, X_CMP, X_R13, &site->owner);
			x_patch8(e, other); /* (lands on the jne below, flags NE) */
		}
		s = jit_add_stub(tr, k, x_jcc32(e, CC_NE), i, 0);
		x_op_rip(e, 1, X_MOV_LOAD, X_DX, &site->addend);
	} else {
		tlb_offset(e);
		x_op_mem(e, 0, X_CMP, 0, X_DX, X_R13, X_CX, tlb);
		s = jit_add_stub(tr, k, x_jcc32(e, CC_NE), i, 0);
		x_op_mem(e, 1, X_MOV_LOAD, 0, X_DX, X_R13, X_CX, tlb + 8); /* mov rdx, addend */
	}
	s->site = site;
	s->access = e->p;
	return s;
}

/* A site's miss: the TLB probed (edx holds the tag wanted); a hit fills
 * the site and goes back to the access, a miss goes on below. */
static void site_refill(struct jit_tr *tr, const struct jit_stub *s)
{
	struct emit *e = &tr->e;
	int32_t tlb = s->kind == S_LOAD ? M_TLB_R : M_TLB_W;
	uint8_t *miss;

	tlb_offset(e);
	x_op_mem(e, 0, X_CMP, 0, X_DX, X_R13, X_CX, tlb);
	miss = x_jcc8(e, CC_NE);
	x_op_rip(e, 0, X_MOV_STORE, X_DX, &s->site->tag);
	x_op_mem(e, 1, X_MOV_LOAD, 0, X_DX, X_R13, X_CX, tlb + 8);
	x_op_rip(e, 1, X_MOV_STORE, X_DX, &s->site->addend);
	if (tr->jc->shared)
		x_op_rip(e, 1, X_MOV_STORE, X_R13, &s->site->owner);
	x_patch(x_jmp32(e), s->access);
	x_patch8(e, miss);
}

/* reg = guest g + imm, in 32 bits (one lea where g has a host register) */
static void add_imm(struct emit *e, int reg, unsigned g, int32_t imm)
{
	int h = host_of(g);

	if (h >= 0 && h != reg && imm) {
		x_op_mem(e, 0, 0x8d, 0, reg, h, X_NONE, imm); /* lea */
	} else {
		load_reg(e, reg, g);
		if (imm)
			x_alu_ri(e, 0, XI_ADD, reg, (uint32_t)imm);
	}
	if (reg == X_AX && (h >= 0 || imm))
		e->ax_reg = 0; /* eax is no longer g */
}

/* eax = rs1 + imm */
static void effective_address(struct emit *e, const struct insn *in)
{
	add_imm(e, X_AX, in->rs1, in->imm);
}

static void emit_load(struct jit_tr *tr, const struct insn *in, unsigned i)
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
	int dst = dest_of(in, -1);
	struct jit_stub *s;

	effective_address(e, in);
	s = mem_probe(tr, S_LOAD, M_TLB_R, form[f].kind & 7, i);
	x_op_mem(e, 0, form[f].op1, form[f].op2, dst, X_DX, X_AX, 0); /* dst = [rdx + rax] */
	if (dst == X_AX)
		store_reg(e, X_AX, in->rd);
	s->reg = in->rd;
	s->size = form[f].kind;
	s->back = e->p;
}

static void emit_store(struct jit_tr *tr, const struct insn *in, unsigned i)
{
	struct emit *e = &tr->e;
	unsigned size = in->op == OP_SB ? 1 : in->op == OP_SH ? 2 : 4;
	int src = host_of(in->rs2);
	struct jit_stub *s;

	effective_address(e, in);
	s = mem_probe(tr, S_STORE, M_TLB_W, size, i);
	if (size == 1 || src < 0) {
		/* a byte of a mapped register may need a REX the encoder omits */
		load_reg(e, X_CX, in->rs2);
		src = X_CX;
	}
	if (size == 2)
		x_b(e, 0x66);
	x_op_mem(e, 0, size == 1 ? 0x88 : 0x89, 0, src, X_DX, X_AX, 0); /* [rdx + rax] = src */
	s->reg = in->rs2;
	s->size = (uint8_t)size;
	s->back = e->p;
}

/* rd = rs1 OP rs2, with `op r32, r/m32` (two opcode bytes for imul). */
static void emit_rr(struct emit *e, const struct insn *in, uint8_t op1, uint8_t op2)
{
	int dst = dest_of(in, in->rs2);

	load_reg(e, dst, in->rs1);
	op_src(e, 0, op1, op2, dst, in->rs2);
	if (dst == X_AX)
		store_reg(e, X_AX, in->rd);
}

/* rd = rs1 OP imm (digit d of `op r/m32, imm32`). */
static void emit_ri(struct emit *e, const struct insn *in, int d)
{
	int dst = dest_of(in, -1);

	if (d == XI_ADD) {
		add_imm(e, dst, in->rs1, in->imm);
		if (dst == X_AX)
			store_reg(e, X_AX, in->rd);
		return;
	}
	load_reg(e, dst, in->rs1);
	if (in->imm || d == XI_AND)
		x_alu_ri(e, 0, d, dst, (uint32_t)in->imm);
	if (dst == X_AX) {
		e->ax_reg = 0; /* eax is rd's now, not rs1's */
		store_reg(e, X_AX, in->rd);
	}
}

/* rd = rs1 shifted (digit d: 4 left, 5 right, 7 arithmetic) by imm, or
 * by rs2 (in cl, read first) when imm < 0. */
static void emit_shift(struct emit *e, const struct insn *in, int d, int imm)
{
	int dst = dest_of(in, -1);

	if (imm < 0)
		load_reg(e, X_CX, in->rs2);
	load_reg(e, dst, in->rs1);
	x_shift(e, 0, d, dst, imm);
	if (dst == X_AX) {
		e->ax_reg = 0; /* eax is rd's now, not rs1's */
		store_reg(e, X_AX, in->rd);
	}
}

/* Compares rs1 with rs2 (or imm), for a set or a branch. */
static void compare(struct emit *e, const struct insn *in, int imm)
{
	int a = reg_of(e, in->rs1);

	if (imm)
		x_alu_ri(e, 0, XI_CMP, a, (uint32_t)in->imm);
	else if (in->rs2 == 0)
		x_op_rr(e, 0, 0x85, 0, a, a); /* test: as cmp with 0 for every condition */
	else
		op_src(e, 0, X_CMP, 0, a, in->rs2);
}

/* rd = (rs1 < rs2-or-imm), signed or not. */
static void emit_set_less(struct emit *e, const struct insn *in, int imm, enum x86_cond cc)
{
	x_mov_ri(e, X_CX, 0); /* before the compare: it is an xor */
	compare(e, in, imm);
	x_setcc(e, cc, X_CX);
	store_reg(e, X_CX, in->rd);
}

/* The high word of a 64-bit product; sign-extends each side as asked. */
static void emit_mulh(struct emit *e, const struct insn *in, int s1, int s2)
{
	op_src(e, s1, s1 ? 0x63 : X_MOV_LOAD, 0, X_AX, in->rs1);
	op_src(e, s2, s2 ? 0x63 : X_MOV_LOAD, 0, X_CX, in->rs2);
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

	op_src(e, sign, sign ? 0x63 : X_MOV_LOAD, 0, X_AX, in->rs1);
	op_src(e, sign, sign ? 0x63 : X_MOV_LOAD, 0, X_CX, in->rs2);
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
		x_op_rr(e, 0, X_MOV_STORE, 0, X_DX, X_AX); /* mov eax, edx */
	done = x_jmp8(e);
	x_patch8(e, zero);
	if (!rem)
		x_mov_ri(e, X_AX, UINT32_MAX);
	x_patch8(e, done);
	store_reg(e, X_AX, in->rd);
}

/* A conditional branch: both ways are chaining jumps. */
static void emit_branch(struct jit_tr *tr, const struct insn *in, enum x86_cond cc)
{
	compare(&tr->e, in, 0);
	jit_add_stub(tr, S_CHAIN, x_jcc32(&tr->e, cc), 0, (uint32_t)in->imm);
	jit_add_stub(tr, S_CHAIN, x_jmp32(&tr->e), 0, in->pc + in->len);
}

/* An indirect jump: its target's code from the jump table when the entry
 * for that pc is there, else out to the dispatcher (which fills it). */
static void emit_jalr(struct jit_tr *tr, const struct insn *in)
{
	struct emit *e = &tr->e;

	effective_address(e, in);
	x_alu_ri(e, 0, XI_AND, X_AX, ~1u);
	set_imm(e, in->rd, in->pc + in->len);
	jit_emit_jump_probe(tr);
}

void jit_emit_jump_probe(struct jit_tr *tr)
{
	struct emit *e = &tr->e;

	x_op_rr(e, 0, X_MOV_STORE, 0, X_AX, X_CX);
	x_shift(e, 0, 4, X_CX, 3); /* (pc / 2) * 16 */
	x_alu_ri(e, 0, XI_AND, X_CX, (JIT_JUMPS - 1) << 4);
	x_mov_ri64(e, X_DX, (uint64_t)(uintptr_t)tr->jc->jumps);
	x_op_mem(e, 0, X_CMP, 0, X_AX, X_DX, X_CX, 0);
	jit_add_stub(tr, S_JUMP, x_jcc32(e, CC_NE), 0, 0);
	x_op_mem(e, 0, 0xff, 0, 4, X_DX, X_CX, 8); /* jmp [rdx + rcx + 8] */
}

/* ecall, ebreak, illegal: a trap with a cause known now. */
static void emit_trap(struct jit_tr *tr, unsigned i, enum hart_cause c, uint32_t tval)
{
	x_store_imm(&tr->e, X_BX, F_CAUSE, (uint32_t)c);
	x_store_imm(&tr->e, X_BX, F_TVAL, tval);
	exit_trap(tr, i);
}

static void emit_csrr(struct jit_tr *tr, const struct insn *in, unsigned i)
{
	struct emit *e = &tr->e;

	spill(e, JIT_CALLEE_SAVED);
	arg_frame(e);
	x_mov_ri(e, X_SI, (uint32_t)in->imm);
	x_op_mem(e, 1, 0x8d, 0, X_DX, X_R12, X_NONE, (int32_t)(tr->b->n - i)); /* lea */
	call_helper(e, (const void *)jit_h_csrr);
	reload(e, JIT_CALLEE_SAVED);
	store_reg(e, X_AX, in->rd);
}

/* LR/SC and AMOs: the helper reads and writes the frame's registers. */
static void emit_atomic(struct jit_tr *tr, const struct insn *in, unsigned i)
{
	struct emit *e = &tr->e;

	spill(e, 0);
	arg_frame(e);
	x_mov_ri64(e, X_SI, (uint64_t)(uintptr_t)in);
	call_helper(e, (const void *)jit_h_atomic);
	reload(e, 0);
	x_op_rr(e, 0, 0x85, 0, X_AX, X_AX);
	jit_add_stub(tr, S_CALLED, x_jcc32(e, CC_NE), i, 0);
}

static void jit_emit_op(struct jit_tr *tr, const struct insn *in, unsigned i)
{
	struct emit *e = &tr->e;

	switch ((enum op)in->op) {
	case OP_NOP: break;
	case OP_LI: set_imm(e, in->rd, (uint32_t)in->imm); break;
	case OP_ADDI: emit_ri(e, in, XI_ADD); break;
	case OP_XORI: emit_ri(e, in, XI_XOR); break;
	case OP_ORI: emit_ri(e, in, XI_OR); break;
	case OP_ANDI: emit_ri(e, in, XI_AND); break;
	case OP_SLTI: emit_set_less(e, in, 1, CC_L); break;
	case OP_SLTIU: emit_set_less(e, in, 1, CC_B); break;
	case OP_SLT: emit_set_less(e, in, 0, CC_L); break;
	case OP_SLTU: emit_set_less(e, in, 0, CC_B); break;
	case OP_SLLI: emit_shift(e, in, 4, in->imm & 31); break;
	case OP_SRLI: emit_shift(e, in, 5, in->imm & 31); break;
	case OP_SRAI: emit_shift(e, in, 7, in->imm & 31); break;
	case OP_SLL: emit_shift(e, in, 4, -1); break;
	case OP_SRL: emit_shift(e, in, 5, -1); break;
	case OP_SRA: emit_shift(e, in, 7, -1); break;
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
		set_imm(e, in->rd, in->pc + in->len);
		jit_add_stub(tr, S_CHAIN, x_jmp32(e), 0, (uint32_t)in->imm);
		break;
	case OP_JALR: emit_jalr(tr, in); break;
	case OP_BLOCK_END: jit_add_stub(tr, S_CHAIN, x_jmp32(e), 0, (uint32_t)in->imm); break;
	case OP_ECALL: emit_trap(tr, i, HART_CAUSE_ECALL, 0); break;
	case OP_EBREAK: emit_trap(tr, i, HART_CAUSE_BREAKPOINT, in->pc); break;
	case OP_ILLEGAL: emit_trap(tr, i, HART_CAUSE_ILLEGAL, (uint32_t)in->imm); break;
	case OP_CSRR: emit_csrr(tr, in, i); break;
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
	case OP_AMOMAXU_W: emit_atomic(tr, in, i); break;
	case OP_BUDGET_END:
	case OP_COUNT: break; /* never in a cached block */
	}
}

/* The operations whose templates keep eax's record (see ax_has). */
static const uint8_t keeps_ax[OP_COUNT] = {
	[OP_NOP] = 1,  [OP_LI] = 1,    [OP_ADDI] = 1, [OP_XORI] = 1, [OP_ORI] = 1,  [OP_ANDI] = 1,
	[OP_SLTI] = 1, [OP_SLTIU] = 1, [OP_SLT] = 1,  [OP_SLTU] = 1, [OP_SLLI] = 1, [OP_SRLI] = 1,
	[OP_SRAI] = 1, [OP_SLL] = 1,   [OP_SRL] = 1,  [OP_SRA] = 1,  [OP_ADD] = 1,  [OP_SUB] = 1,
	[OP_XOR] = 1,  [OP_OR] = 1,    [OP_AND] = 1,  [OP_MUL] = 1,  [OP_BEQ] = 1,  [OP_BNE] = 1,
	[OP_BLT] = 1,  [OP_BGE] = 1,   [OP_BLTU] = 1, [OP_BGEU] = 1,
};

void jit_emit_insn(struct jit_tr *tr, const struct insn *in, unsigned i)
{
	struct emit *e = &tr->e;
	int keep = keeps_ax[in->op], on = e->ax_on;

	if (!keep) /* not kept, not used: eax serves the template alone */
		e->ax_on = e->ax_reg = 0;
	jit_emit_op(tr, in, i);
	if (!keep)
		e->ax_on = on;
}

/* After a helper said 1 (trap) or 2 (code rewritten) in eax. */
static void emit_called_exit(struct jit_tr *tr, unsigned i)
{
	uint8_t *code;

	x_alu_ri(&tr->e, 0, XI_CMP, X_AX, 1);
	code = x_jcc8(&tr->e, CC_NE);
	exit_trap(tr, i);
	x_patch8(&tr->e, code);
	exit_code(tr, i);
}

void jit_emit_stub(struct jit_tr *tr, const struct jit_stub *s)
{
	struct emit *e = &tr->e;
	uint8_t *ok;

	x_patch(s->at, e->p);
	switch ((enum jit_stub_kind)s->kind) {
	case S_CHAIN:
		x_store_imm(e, X_BX, F_PC, s->pc);
		x_mov_ri64(e, X_DX, (uint64_t)(uintptr_t)s->at);
		x_op_mem(e, 1, X_MOV_STORE, 0, X_DX, X_BX, X_NONE, F_SLOT);
		leave(tr, JIT_EXIT_CHAIN);
		break;
	case S_BUDGET:
		x_alu_ri(e, 1, XI_ADD, X_R12, tr->b->n); /* the check took it */
		x_store_imm(e, X_BX, F_PC, s->pc);
		leave(tr, JIT_EXIT_BUDGET);
		break;
	case S_JUMP:
		x_op_mem(e, 0, X_MOV_STORE, 0, X_AX, X_BX, X_NONE, F_PC);
		leave(tr, JIT_EXIT_JUMP);
		break;
	case S_LOAD:
		if (s->site)
			site_refill(tr, s);
		spill(e, JIT_CALLEE_SAVED);
		arg_frame(e);
		x_op_rr(e, 0, X_MOV_STORE, 0, X_AX, X_SI);
		x_mov_ri(e, X_DX, s->size);
		call_helper(e, (const void *)jit_h_load);
		reload(e, JIT_CALLEE_SAVED);
		x_b(e, 0x48); /* bt rax, 32: the helper's trap bit */
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
		if (s->site)
			site_refill(tr, s);
		spill(e, JIT_CALLEE_SAVED);
		load_reg(e, X_DX, s->reg); /* before rsi and rdi take the arguments */
		x_mov_ri(e, X_CX, s->size);
		x_op_rr(e, 0, X_MOV_STORE, 0, X_AX, X_SI);
		arg_frame(e);
		call_helper(e, (const void *)jit_h_store);
		reload(e, JIT_CALLEE_SAVED);
		x_op_rr(e, 0, 0x85, 0, X_AX, X_AX);
		x_patch(x_jcc32(e, CC_E), s->back);
		emit_called_exit(tr, s->i);
		break;
	case S_CALLED: emit_called_exit(tr, s->i); break;
	}
}

#else
typedef int jitemit_unused; /* the interpreter is the whole core here */
#endif
