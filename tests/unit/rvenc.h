/*
 * rvenc.h - RV32 instruction encoders for hand-written test programs.
 */
#ifndef RVENC_H
#define RVENC_H

#include <stdint.h>

/* Macros, not functions, so that encodings can fill static tables. */
#define U32(v) ((uint32_t)(v))
#define enc_r(f7, rs2, rs1, f3, rd, op) \
	(U32(f7) << 25 | U32(rs2) << 20 | U32(rs1) << 15 | U32(f3) << 12 | U32(rd) << 7 | U32(op))
#define enc_i(imm, rs1, f3, rd, op) \
	((U32(imm) & 0xfff) << 20 | U32(rs1) << 15 | U32(f3) << 12 | U32(rd) << 7 | U32(op))
#define enc_s(imm, rs2, rs1, f3, op)                                                        \
	(((U32(imm) >> 5) & 0x7f) << 25 | U32(rs2) << 20 | U32(rs1) << 15 | U32(f3) << 12 | \
	 (U32(imm) & 0x1f) << 7 | U32(op))
#define enc_b(off, rs2, rs1, f3)                                                          \
	(((U32(off) >> 12) & 1) << 31 | ((U32(off) >> 5) & 0x3f) << 25 | U32(rs2) << 20 | \
	 U32(rs1) << 15 | U32(f3) << 12 | ((U32(off) >> 1) & 0xf) << 8 |                  \
	 ((U32(off) >> 11) & 1) << 7 | 0x63u)
#define enc_j(off, rd)                                                    \
	(((U32(off) >> 20) & 1) << 31 | ((U32(off) >> 1) & 0x3ff) << 21 | \
	 ((U32(off) >> 11) & 1) << 20 | ((U32(off) >> 12) & 0xff) << 12 | U32(rd) << 7 | 0x6fu)

#define ADDI(rd, rs1, imm) enc_i(imm, rs1, 0, rd, 0x13)
#define SLTI(rd, rs1, imm) enc_i(imm, rs1, 2, rd, 0x13)
#define SLTIU(rd, rs1, imm) enc_i(imm, rs1, 3, rd, 0x13)
#define XORI(rd, rs1, imm) enc_i(imm, rs1, 4, rd, 0x13)
#define ORI(rd, rs1, imm) enc_i(imm, rs1, 6, rd, 0x13)
#define ANDI(rd, rs1, imm) enc_i(imm, rs1, 7, rd, 0x13)
#define SLLI(rd, rs1, sh) enc_i(sh, rs1, 1, rd, 0x13)
#define SRLI(rd, rs1, sh) enc_i(sh, rs1, 5, rd, 0x13)
#define SRAI(rd, rs1, sh) enc_i(0x400 | (sh), rs1, 5, rd, 0x13)
#define OPR(f7, f3, rd, rs1, rs2) enc_r(f7, rs2, rs1, f3, rd, 0x33)
#define ADD(rd, a, b) OPR(0, 0, rd, a, b)
#define SUB(rd, a, b) OPR(0x20, 0, rd, a, b)
#define SLL(rd, a, b) OPR(0, 1, rd, a, b)
#define SLT(rd, a, b) OPR(0, 2, rd, a, b)
#define SLTU(rd, a, b) OPR(0, 3, rd, a, b)
#define XOR(rd, a, b) OPR(0, 4, rd, a, b)
#define SRL(rd, a, b) OPR(0, 5, rd, a, b)
#define SRA(rd, a, b) OPR(0x20, 5, rd, a, b)
#define OR(rd, a, b) OPR(0, 6, rd, a, b)
#define AND(rd, a, b) OPR(0, 7, rd, a, b)
#define MUL(rd, a, b) OPR(1, 0, rd, a, b)
#define MULH(rd, a, b) OPR(1, 1, rd, a, b)
#define MULHSU(rd, a, b) OPR(1, 2, rd, a, b)
#define MULHU(rd, a, b) OPR(1, 3, rd, a, b)
#define DIV(rd, a, b) OPR(1, 4, rd, a, b)
#define DIVU(rd, a, b) OPR(1, 5, rd, a, b)
#define REM(rd, a, b) OPR(1, 6, rd, a, b)
#define REMU(rd, a, b) OPR(1, 7, rd, a, b)
#define LUI(rd, imm20) ((uint32_t)(imm20) << 12 | (rd) << 7 | 0x37)
#define AUIPC(rd, imm20) ((uint32_t)(imm20) << 12 | (rd) << 7 | 0x17)
#define LB(rd, rs1, imm) enc_i(imm, rs1, 0, rd, 0x03)
#define LH(rd, rs1, imm) enc_i(imm, rs1, 1, rd, 0x03)
#define LW(rd, rs1, imm) enc_i(imm, rs1, 2, rd, 0x03)
#define LBU(rd, rs1, imm) enc_i(imm, rs1, 4, rd, 0x03)
#define LHU(rd, rs1, imm) enc_i(imm, rs1, 5, rd, 0x03)
#define SB(rs2, rs1, imm) enc_s(imm, rs2, rs1, 0, 0x23)
#define SH(rs2, rs1, imm) enc_s(imm, rs2, rs1, 1, 0x23)
#define SW(rs2, rs1, imm) enc_s(imm, rs2, rs1, 2, 0x23)
#define BEQ(a, b, off) enc_b(off, b, a, 0)
#define BNE(a, b, off) enc_b(off, b, a, 1)
#define BLT(a, b, off) enc_b(off, b, a, 4)
#define BGE(a, b, off) enc_b(off, b, a, 5)
#define BLTU(a, b, off) enc_b(off, b, a, 6)
#define BGEU(a, b, off) enc_b(off, b, a, 7)
#define JAL(rd, off) enc_j(off, rd)
#define JALR(rd, rs1, imm) enc_i(imm, rs1, 0, rd, 0x67)
#define ECALL 0x00000073u
#define EBREAK 0x00100073u
#define FENCE 0x0ff0000fu
#define FENCE_I 0x0000100fu
#define CSRRS(rd, csr, rs1) enc_i((int32_t)(csr), rs1, 2, rd, 0x73)
#define CSRRW(rd, csr, rs1) enc_i((int32_t)(csr), rs1, 1, rd, 0x73)
#define AMO(f5, rd, rs1, rs2) enc_r((f5) << 2, rs2, rs1, 2, rd, 0x2f)
#define LR_W(rd, rs1) AMO(0x02, rd, rs1, 0)
#define SC_W(rd, rs1, rs2) AMO(0x03, rd, rs1, rs2)
#define NOP ADDI(0, 0, 0)

/* Loads a 32-bit constant into rd: lui + addi (two instructions). */
#define LI32(rd, v) \
	LUI(rd, ((uint32_t)(v) + 0x800u) >> 12), ADDI(rd, rd, (int32_t)((uint32_t)(v) << 20) >> 20)

/* Register numbers. */
enum { X0, RA, SP, GP, TP, T0, T1, T2, S0, S1, A0, A1, A2, A3, A4, A5, A6, A7 };

#endif /* RVENC_H */
