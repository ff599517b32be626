/*
 * decode.c - RV32IMAC (with Zicsr counters and Zifencei) decoding.
 */
#include <string.h>

#include "core/decode.h"

static const char *const op_names[OP_COUNT] = {
#define OP(name, mnem, flags) [OP_##name] = mnem,
#include "core/isa.def"
#undef OP
};

static const unsigned char op_flags[OP_COUNT] = {
#define OP(name, mnem, flags) [OP_##name] = flags,
#include "core/isa.def"
#undef OP
};

const char *decode_op_name(enum op op)
{
	return (unsigned)op < OP_COUNT ? op_names[op] : "?";
}

unsigned decode_op_flags(enum op op)
{
	return (unsigned)op < OP_COUNT ? op_flags[op] : OPF_TERM;
}

/* Sign-extends the low `bits` bits of v. */
static inline int32_t sext(uint32_t v, unsigned bits)
{
	uint32_t m = 1u << (bits - 1);
	v &= (bits == 32) ? 0xffffffffu : ((1u << bits) - 1);
	return (int32_t)((v ^ m) - m);
}

static inline uint32_t bits(uint32_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}

static void set(struct insn *in, enum op op, unsigned rd, unsigned rs1, unsigned rs2, int32_t imm)
{
	in->op = (uint8_t)op;
	in->rd = (uint8_t)(rd ? rd : REG_SINK);
	in->rs1 = (uint8_t)rs1;
	in->rs2 = (uint8_t)rs2;
	in->imm = imm;
}

static void illegal(struct insn *in, uint32_t raw)
{
	set(in, OP_ILLEGAL, 0, 0, 0, (int32_t)raw);
}

/* Read-only counter CSRs; everything else is illegal in user mode. */
static int csr_is_counter(uint32_t csr)
{
	return (csr >= 0xC00 && csr <= 0xC1F) || (csr >= 0xC80 && csr <= 0xC9F);
}

static void decode_32(uint32_t r, uint32_t pc, struct insn *in)
{
	unsigned rd = bits(r, 11, 7), rs1 = bits(r, 19, 15), rs2 = bits(r, 24, 20);
	unsigned f3 = bits(r, 14, 12), f7 = bits(r, 31, 25);
	int32_t imm_i = sext(r >> 20, 12);
	int32_t imm_s = sext((bits(r, 31, 25) << 5) | bits(r, 11, 7), 12);
	int32_t imm_b = sext((bits(r, 31, 31) << 12) | (bits(r, 7, 7) << 11) |
	                             (bits(r, 30, 25) << 5) | (bits(r, 11, 8) << 1),
	                     13);
	int32_t imm_u = (int32_t)(r & 0xfffff000u);
	int32_t imm_j = sext((bits(r, 31, 31) << 20) | (bits(r, 19, 12) << 12) |
	                             (bits(r, 20, 20) << 11) | (bits(r, 30, 21) << 1),
	                     21);

	switch (r & 0x7f) {
	case 0x37: /* LUI */ set(in, OP_LI, rd, 0, 0, imm_u); return;
	case 0x17: /* AUIPC */ set(in, OP_LI, rd, 0, 0, (int32_t)(pc + (uint32_t)imm_u)); return;
	case 0x6f: /* JAL */ set(in, OP_JAL, rd, 0, 0, (int32_t)(pc + (uint32_t)imm_j)); return;
	case 0x67: /* JALR */
		if (f3)
			break;
		set(in, OP_JALR, rd, rs1, 0, imm_i);
		return;
	case 0x63: { /* BRANCH */
		static const enum op br[8] = { OP_BEQ, OP_BNE, OP_ILLEGAL, OP_ILLEGAL,
			                       OP_BLT, OP_BGE, OP_BLTU,    OP_BGEU };
		if (br[f3] == OP_ILLEGAL)
			break;
		set(in, br[f3], 0, rs1, rs2, (int32_t)(pc + (uint32_t)imm_b));
		return;
	}
	case 0x03: { /* LOAD */
		static const enum op ld[8] = { OP_LB,  OP_LH,  OP_LW,      OP_ILLEGAL,
			                       OP_LBU, OP_LHU, OP_ILLEGAL, OP_ILLEGAL };
		if (ld[f3] == OP_ILLEGAL)
			break;
		set(in, ld[f3], rd, rs1, 0, imm_i);
		return;
	}
	case 0x23: { /* STORE */
		static const enum op st[8] = { OP_SB,      OP_SH,      OP_SW,      OP_ILLEGAL,
			                       OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL, OP_ILLEGAL };
		if (st[f3] == OP_ILLEGAL)
			break;
		set(in, st[f3], 0, rs1, rs2, imm_s);
		return;
	}
	case 0x13: { /* OP-IMM */
		static const enum op oi[8] = { OP_ADDI, OP_SLLI, OP_SLTI, OP_SLTIU,
			                       OP_XORI, OP_SRLI, OP_ORI,  OP_ANDI };
		enum op op = oi[f3];
		if (f3 == 1 && f7 != 0)
			break; /* shamt[5] set is reserved on RV32 */
		if (f3 == 5) {
			if (f7 == 0x20)
				op = OP_SRAI;
			else if (f7 != 0)
				break;
		}
		if (f3 == 1 || f3 == 5)
			imm_i = (int32_t)rs2; /* shamt */
		if (op == OP_ADDI && rs1 == 0)
			op = OP_LI;
		set(in, op, rd, rs1, 0, imm_i);
		return;
	}
	case 0x33: { /* OP */
		static const enum op base[8] = { OP_ADD, OP_SLL, OP_SLT, OP_SLTU,
			                         OP_XOR, OP_SRL, OP_OR,  OP_AND };
		static const enum op mext[8] = { OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU,
			                         OP_DIV, OP_DIVU, OP_REM,    OP_REMU };
		enum op op;
		if (f7 == 0x00)
			op = base[f3];
		else if (f7 == 0x01)
			op = mext[f3];
		else if (f7 == 0x20 && f3 == 0)
			op = OP_SUB;
		else if (f7 == 0x20 && f3 == 5)
			op = OP_SRA;
		else
			break;
		set(in, op, rd, rs1, rs2, 0);
		return;
	}
	case 0x0f: /* MISC-MEM: fence, fence.i (decoded code follows stores) */
		if (f3 > 1)
			break;
		set(in, OP_NOP, 0, 0, 0, 0);
		return;
	case 0x73: { /* SYSTEM */
		uint32_t csr = r >> 20;
		if (r == 0x00000073) {
			set(in, OP_ECALL, 0, 0, 0, 0);
			return;
		}
		if (r == 0x00100073) {
			set(in, OP_EBREAK, 0, 0, 0, 0);
			return;
		}
		/* Counters are read-only: only csrrs/csrrc(i) with no bits to
		 * change read them; any write attempt is illegal. */
		if ((f3 == 2 || f3 == 3 || f3 == 6 || f3 == 7) && rs1 == 0 && csr_is_counter(csr)) {
			set(in, OP_CSRR, rd, 0, 0, (int32_t)csr);
			return;
		}
		break;
	}
	case 0x2f: { /* AMO */
		static const signed char amo[32] = {
			[0x00] = OP_AMOADD_W,  [0x01] = OP_AMOSWAP_W, [0x02] = OP_LR_W,
			[0x03] = OP_SC_W,      [0x04] = OP_AMOXOR_W,  [0x08] = OP_AMOOR_W,
			[0x0c] = OP_AMOAND_W,  [0x10] = OP_AMOMIN_W,  [0x14] = OP_AMOMAX_W,
			[0x18] = OP_AMOMINU_W, [0x1c] = OP_AMOMAXU_W,
		};
		unsigned f5 = r >> 27;
		if (f3 != 2 || amo[f5] == 0 || (amo[f5] == OP_LR_W && rs2 != 0))
			break;
		set(in, (enum op)amo[f5], rd, rs1, rs2, 0);
		return;
	}
	default: break;
	}
	illegal(in, r);
}

/* Compressed register fields name x8-x15. */
#define CREG(v) (8u + ((v)&7u))

static void decode_16(uint32_t r, uint32_t pc, struct insn *in)
{
	unsigned f3 = bits(r, 15, 13);
	unsigned rd = bits(r, 11, 7), rs2 = bits(r, 6, 2);
	unsigned rdp = CREG(bits(r, 4, 2)), rs1p = CREG(bits(r, 9, 7));
	int32_t imm6 = sext((bits(r, 12, 12) << 5) | bits(r, 6, 2), 6);
	uint32_t shamt = (bits(r, 12, 12) << 5) | bits(r, 6, 2);
	uint32_t lwimm = (bits(r, 12, 10) << 3) | (bits(r, 6, 6) << 2) | (bits(r, 5, 5) << 6);
	int32_t jimm =
		sext((bits(r, 12, 12) << 11) | (bits(r, 11, 11) << 4) | (bits(r, 10, 9) << 8) |
	                     (bits(r, 8, 8) << 10) | (bits(r, 7, 7) << 6) | (bits(r, 6, 6) << 7) |
	                     (bits(r, 5, 3) << 1) | (bits(r, 2, 2) << 5),
	             12);
	int32_t bimm = sext((bits(r, 12, 12) << 8) | (bits(r, 11, 10) << 3) | (bits(r, 6, 5) << 6) |
	                            (bits(r, 4, 3) << 1) | (bits(r, 2, 2) << 5),
	                    9);

	switch ((r & 3) << 3 | f3) {
	case 000: { /* C.ADDI4SPN */
		uint32_t nz = (bits(r, 12, 11) << 4) | (bits(r, 10, 7) << 6) |
		              (bits(r, 6, 6) << 2) | (bits(r, 5, 5) << 3);
		if (nz == 0)
			break; /* includes the all-zero illegal instruction */
		set(in, OP_ADDI, rdp, 2, 0, (int32_t)nz);
		return;
	}
	case 002: /* C.LW */ set(in, OP_LW, rdp, rs1p, 0, (int32_t)lwimm); return;
	case 006: /* C.SW */ set(in, OP_SW, 0, rs1p, rdp, (int32_t)lwimm); return;
	case 010: /* C.ADDI, C.NOP */ set(in, OP_ADDI, rd, rd, 0, imm6); return;
	case 011: /* C.JAL */ set(in, OP_JAL, 1, 0, 0, (int32_t)(pc + (uint32_t)jimm)); return;
	case 012: /* C.LI */ set(in, OP_LI, rd, 0, 0, imm6); return;
	case 013:
		if (rd == 2) { /* C.ADDI16SP */
			int32_t nz = sext((bits(r, 12, 12) << 9) | (bits(r, 6, 6) << 4) |
			                          (bits(r, 5, 5) << 6) | (bits(r, 4, 3) << 7) |
			                          (bits(r, 2, 2) << 5),
			                  10);
			if (nz == 0)
				break;
			set(in, OP_ADDI, 2, 2, 0, nz);
			return;
		}
		/* C.LUI */
		if (imm6 == 0)
			break;
		set(in, OP_LI, rd, 0, 0, (int32_t)((uint32_t)imm6 << 12));
		return;
	case 014:
		switch (bits(r, 11, 10)) {
		case 0: /* C.SRLI */
		case 1: /* C.SRAI */
			if (shamt & 32)
				break; /* reserved on RV32 */
			set(in, bits(r, 11, 10) ? OP_SRAI : OP_SRLI, rs1p, rs1p, 0, (int32_t)shamt);
			return;
		case 2: /* C.ANDI */ set(in, OP_ANDI, rs1p, rs1p, 0, imm6); return;
		case 3: {
			static const enum op alu[4] = { OP_SUB, OP_XOR, OP_OR, OP_AND };
			if (bits(r, 12, 12))
				break; /* RV64's subw/addw */
			set(in, alu[bits(r, 6, 5)], rs1p, rs1p, rdp, 0);
			return;
		}
		}
		break;
	case 015: /* C.J */ set(in, OP_JAL, 0, 0, 0, (int32_t)(pc + (uint32_t)jimm)); return;
	case 016: /* C.BEQZ */
	case 017: /* C.BNEZ */
		set(in, f3 == 6 ? OP_BEQ : OP_BNE, 0, rs1p, 0, (int32_t)(pc + (uint32_t)bimm));
		return;
	case 020: /* C.SLLI */
		if (shamt & 32)
			break;
		set(in, OP_SLLI, rd, rd, 0, (int32_t)shamt);
		return;
	case 022: { /* C.LWSP */
		uint32_t off = (bits(r, 12, 12) << 5) | (bits(r, 6, 4) << 2) | (bits(r, 3, 2) << 6);
		if (rd == 0)
			break;
		set(in, OP_LW, rd, 2, 0, (int32_t)off);
		return;
	}
	case 024:
		if (!bits(r, 12, 12)) {
			if (rs2 == 0) { /* C.JR */
				if (rd == 0)
					break;
				set(in, OP_JALR, 0, rd, 0, 0);
			} else { /* C.MV */
				set(in, OP_ADD, rd, 0, rs2, 0);
			}
			return;
		}
		if (rd == 0 && rs2 == 0) { /* C.EBREAK */
			set(in, OP_EBREAK, 0, 0, 0, 0);
			return;
		}
		if (rs2 == 0) /* C.JALR */
			set(in, OP_JALR, 1, rd, 0, 0);
		else /* C.ADD */
			set(in, OP_ADD, rd, rd, rs2, 0);
		return;
	case 026: { /* C.SWSP */
		uint32_t off = (bits(r, 12, 9) << 2) | (bits(r, 8, 7) << 6);
		set(in, OP_SW, 0, 2, rs2, (int32_t)off);
		return;
	}
	default: /* C.FLD, C.FLW, C.FSD, C.FSW and their sp forms: no F/D */ break;
	}
	illegal(in, r);
}

unsigned decode_insn(uint32_t raw, uint32_t pc, struct insn *in)
{
	memset(in, 0, sizeof(*in));
	in->pc = pc;
	if ((raw & 3) == 3) {
		in->len = 4;
		/* 48-bit and longer encodings (bits 4:2 all set) are not RV32IMAC. */
		if ((raw & 0x1c) == 0x1c)
			illegal(in, raw);
		else
			decode_32(raw, pc, in);
	} else {
		in->len = 2;
		decode_16(raw & 0xffff, pc, in);
	}
	/* Hints and other writes to x0 without side effects: one nop. */
	if (in->rd == REG_SINK && (op_flags[in->op] & OPF_PURE)) {
		in->op = OP_NOP;
		in->rs1 = in->rs2 = 0;
		in->imm = 0;
	}
	return in->len;
}
