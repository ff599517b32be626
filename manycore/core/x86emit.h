/*
 * x86emit.h - the few x86-64 encodings the translator (jit.c) emits,
 * written into a bounded buffer (core-internal).
 *
 * Only what the templates need: 32-bit ALU operations between a register
 * and a memory operand [base + index + disp], immediates, shifts,
 * multiplies and divides, sets and jumps. An emission past the end of the
 * buffer is dropped and remembered, so a caller checks once per block.
 */
#ifndef X86EMIT_H
#define X86EMIT_H

#include <stdint.h>
#include <string.h>

/* Host registers by encoding number. */
enum x86_reg {
	X_AX = 0,
	X_CX = 1,
	X_DX = 2,
	X_BX = 3,
	X_SP = 4,
	X_BP = 5,
	X_SI = 6,
	X_DI = 7,
	X_R12 = 12,
	X_R13 = 13,
	X_R14 = 14,
	X_R15 = 15,
	X_NONE = -1,
};

/* Condition codes (the low nibble of jcc and setcc). */
enum x86_cond {
	CC_B = 0x2,
	CC_AE = 0x3,
	CC_E = 0x4,
	CC_NE = 0x5,
	CC_L = 0xc,
	CC_GE = 0xd,
};

struct emit {
	uint8_t *p, *end;
	int full; /* an emission did not fit */
	/* The user's record of what eax holds, kept while ax_on (ax_reg 0:
	 * nothing known); the emitter itself never reads it. */
	int ax_on, ax_reg;
};

static inline void x_b(struct emit *e, uint8_t v)
{
	if (e->p < e->end)
		*e->p++ = v;
	else
		e->full = 1;
}

static inline void x_d32(struct emit *e, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		x_b(e, (uint8_t)(v >> (8 * i)));
}

static inline void x_d64(struct emit *e, uint64_t v)
{
	x_d32(e, (uint32_t)v);
	x_d32(e, (uint32_t)(v >> 32));
}

/* REX for operand size w, ModRM reg, SIB index and base/rm; omitted when
 * plain (byte registers used here are al-dl, which need none). */
static inline void x_rex(struct emit *e, int w, int reg, int index, int base)
{
	uint8_t rex =
		(uint8_t)(0x40 | (w ? 8 : 0) | (reg & 8 ? 4 : 0) |
	                  (index >= 0 && (index & 8) ? 2 : 0) | (base >= 0 && (base & 8) ? 1 : 0));
	if (rex != 0x40)
		x_b(e, rex);
}

/* ModRM, SIB and displacement of [base + index + disp] with reg. */
static inline void x_mem(struct emit *e, int reg, int base, int index, int32_t disp)
{
	int mod = (disp == 0 && (base & 7) != 5) ? 0 : (disp >= -128 && disp <= 127) ? 1 : 2;

	if (index < 0 && (base & 7) != 4) {
		x_b(e, (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7)));
	} else {
		x_b(e, (uint8_t)(mod << 6 | (reg & 7) << 3 | 4));
		x_b(e, (uint8_t)((index < 0 ? 4 : index & 7) << 3 | (base & 7)));
	}
	if (mod == 1)
		x_b(e, (uint8_t)(int8_t)disp);
	else if (mod == 2)
		x_d32(e, (uint32_t)disp);
}

/* op reg, [base + index + disp] (or the reverse, as the opcode says):
 * one or two opcode bytes (op2 = 0 for one), w for 64-bit. */
static inline void x_op_mem(struct emit *e, int w, uint8_t op1, uint8_t op2, int reg, int base,
                            int index, int32_t disp)
{
	x_rex(e, w, reg, index, base);
	x_b(e, op1);
	if (op2)
		x_b(e, op2);
	x_mem(e, reg, base, index, disp);
}

/* op reg, [rip + to target] (or the reverse): target within 2 GiB of
 * the code, as the buffer's own data is. */
static inline void x_op_rip(struct emit *e, int w, uint8_t op1, int reg, const void *target)
{
	x_rex(e, w, reg, -1, 0);
	x_b(e, op1);
	x_b(e, (uint8_t)((reg & 7) << 3 | 5));
	x_d32(e, (uint32_t)(int32_t)((const uint8_t *)target - (e->p + 4)));
}

/* op reg, rm between registers. */
static inline void x_op_rr(struct emit *e, int w, uint8_t op1, uint8_t op2, int reg, int rm)
{
	x_rex(e, w, reg, -1, rm);
	x_b(e, op1);
	if (op2)
		x_b(e, op2);
	x_b(e, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

/* Opcodes of "op r32, r/m32" and the /digit of "op r/m32, imm32". */
#define X_ADD 0x03
#define X_OR 0x0b
#define X_AND 0x23
#define X_SUB 0x2b
#define X_XOR 0x33
#define X_CMP 0x3b
#define X_MOV_LOAD 0x8b
#define X_MOV_STORE 0x89
#define XI_ADD 0
#define XI_OR 1
#define XI_AND 4
#define XI_SUB 5
#define XI_XOR 6
#define XI_CMP 7

/* op r/m, imm32 with the /digit d (on a register). */
static inline void x_alu_ri(struct emit *e, int w, int d, int rm, uint32_t imm)
{
	if ((int32_t)imm >= -128 && (int32_t)imm <= 127) {
		x_op_rr(e, w, 0x83, 0, d, rm);
		x_b(e, (uint8_t)imm);
	} else {
		x_op_rr(e, w, 0x81, 0, d, rm);
		x_d32(e, imm);
	}
}

/* mov dword [base + disp], imm32 */
static inline void x_store_imm(struct emit *e, int base, int32_t disp, uint32_t imm)
{
	x_op_mem(e, 0, 0xc7, 0, 0, base, -1, disp);
	x_d32(e, imm);
}

/* mov r32, imm32 (zero-extends) */
static inline void x_mov_ri(struct emit *e, int reg, uint32_t imm)
{
	if (imm == 0) {
		x_op_rr(e, 0, 0x31, 0, reg, reg); /* xor reg, reg */
		return;
	}
	x_rex(e, 0, 0, -1, reg);
	x_b(e, (uint8_t)(0xb8 + (reg & 7)));
	x_d32(e, imm);
}

/* mov r64, imm64 */
static inline void x_mov_ri64(struct emit *e, int reg, uint64_t imm)
{
	x_rex(e, 1, 0, -1, reg);
	x_b(e, (uint8_t)(0xb8 + (reg & 7)));
	x_d64(e, imm);
}

/* shl/shr/sar r32 by imm8 (d = 4, 5, 7), or by cl when imm < 0. */
static inline void x_shift(struct emit *e, int w, int d, int rm, int imm)
{
	if (imm < 0) {
		x_op_rr(e, w, 0xd3, 0, d, rm);
	} else {
		x_op_rr(e, w, 0xc1, 0, d, rm);
		x_b(e, (uint8_t)imm);
	}
}

/* setcc r8 (al-dl) */
static inline void x_setcc(struct emit *e, enum x86_cond cc, int reg)
{
	x_b(e, 0x0f);
	x_b(e, (uint8_t)(0x90 | cc));
	x_b(e, (uint8_t)(0xc0 | (reg & 7)));
}

/* jcc rel32 / jmp rel32 to a target not yet known: returns where the
 * rel32 is, for x_patch (NULL if it did not fit). */
static inline uint8_t *x_jcc32(struct emit *e, enum x86_cond cc)
{
	x_b(e, 0x0f);
	x_b(e, (uint8_t)(0x80 | cc));
	uint8_t *at = e->p;
	x_d32(e, 0);
	return e->full ? NULL : at;
}

static inline uint8_t *x_jmp32(struct emit *e)
{
	x_b(e, 0xe9);
	uint8_t *at = e->p;
	x_d32(e, 0);
	return e->full ? NULL : at;
}

/* Points the rel32 at `at` to target (NULL: the jump did not fit). */
static inline void x_patch(uint8_t *at, const uint8_t *target)
{
	if (!at)
		return;
	int32_t rel = (int32_t)(target - (at + 4));
	memcpy(at, &rel, 4);
}

/* jcc rel8 forward, patched by x_patch8 once the target is emitted. */
static inline uint8_t *x_jcc8(struct emit *e, enum x86_cond cc)
{
	x_b(e, (uint8_t)(0x70 | cc));
	uint8_t *at = e->p;
	x_b(e, 0);
	return at;
}

static inline uint8_t *x_jmp8(struct emit *e)
{
	x_b(e, 0xeb);
	uint8_t *at = e->p;
	x_b(e, 0);
	return at;
}

static inline void x_patch8(struct emit *e, uint8_t *at)
{
	if (!e->full)
		*at = (uint8_t)(e->p - (at + 1));
}

/* call/jmp through rax */
static inline void x_call_rax(struct emit *e)
{
	x_b(e, 0xff);
	x_b(e, 0xd0);
}

static inline void x_jmp_rax(struct emit *e)
{
	x_b(e, 0xff);
	x_b(e, 0xe0);
}

#endif /* X86EMIT_H */
