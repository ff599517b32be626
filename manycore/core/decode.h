/*
 * decode.h - RV32IMAC instruction decoding into the core's IR.
 *
 * Decoding is pure: bits and pc in, one IR record out. Compressed
 * instructions become the IR of their 32-bit expansion, so execution has
 * one implementation of each operation. pc-relative values (branch and
 * jump targets, auipc results) are computed here, once.
 */
#ifndef DECODE_H
#define DECODE_H

#include <stdint.h>

#define OPF_TERM 1u
#define OPF_PURE 2u

enum op {
#define OP(name, mnem, flags) OP_##name,
#include "core/isa.def"
#undef OP
	OP_COUNT
};

/* The register index that stands for x0 as a destination: writes there are
 * discarded, so no operation needs a test for rd == 0. */
#define REG_SINK 32

/* One decoded instruction. */
struct insn {
	const void *h; /* interpreter handler; set by the block builder */
	int32_t imm;   /* immediate; absolute target or result for pc-relative
	                * forms; the encoding itself for OP_ILLEGAL */
	uint32_t pc;   /* address of this instruction */
	uint8_t op;    /* enum op */
	uint8_t rd;    /* destination, REG_SINK for x0 */
	uint8_t rs1, rs2;
	uint8_t len; /* 2 or 4 */
	uint8_t pad[3];
};
_Static_assert(sizeof(struct insn) == 24, "keep the IR record small: it is the hot loop's data");

/* Length in bytes of the instruction whose first halfword is lo: 2 or 4
 * (longer encodings do not exist in RV32IMAC; they decode as illegal). */
static inline unsigned decode_len(uint16_t lo)
{
	return (lo & 3) == 3 ? 4 : 2;
}

/* Decodes raw (its low 16 bits if compressed) at pc into *in. Unknown,
 * reserved and unsupported encodings give OP_ILLEGAL. Returns in->len. */
unsigned decode_insn(uint32_t raw, uint32_t pc, struct insn *in);

/* Mnemonic of an op ("addi"). */
const char *decode_op_name(enum op op);

/* Flags of an op (OPF_*). */
unsigned decode_op_flags(enum op op);

#endif /* DECODE_H */
