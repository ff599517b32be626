/*
 * test_decode.c - decoding: every compressed form against its 32-bit
 * expansion (encodings from the GNU assembler), reserved and illegal
 * encodings, and pc-relative folding.
 */
#include <criterion/criterion.h>

#include "core/decode.h"
#include "rvenc.h"

struct cpair {
	uint16_t c;
	uint32_t full;
	const char *text;
};

/* Produced by riscv64-unknown-elf-as: each compressed instruction and its
 * expansion, assembled with .option rvc / norvc. */
static const struct cpair pairs[] = {
	{ 0x0040, 0x00410413, "c.addi4spn s0, sp, 4" },
	{ 0x1ffc, 0x3fc10793, "c.addi4spn a5, sp, 1020" },
	{ 0x0028, 0x00810513, "c.addi4spn a0, sp, 8" },
	{ 0x0404, 0x20010493, "c.addi4spn s1, sp, 512" },
	{ 0x4100, 0x00052403, "c.lw s0, 0(a0)" },
	{ 0xc100, 0x00852023, "c.sw s0, 0(a0)" },
	{ 0x5cfc, 0x07c4a783, "c.lw a5, 124(s1)" },
	{ 0xdcfc, 0x06f4ae23, "c.sw a5, 124(s1)" },
	{ 0x42b0, 0x0406a603, "c.lw a2, 64(a3)" },
	{ 0xc2b0, 0x04c6a023, "c.sw a2, 64(a3)" },
	{ 0x4344, 0x00472483, "c.lw s1, 4(a4)" },
	{ 0xc344, 0x00972223, "c.sw s1, 4(a4)" },
	{ 0x0001, 0x00000013, "c.nop" },
	{ 0x1501, 0xfe050513, "c.addi a0, -32" },
	{ 0x02fd, 0x01f28293, "c.addi t0, 31" },
	{ 0x0105, 0x00110113, "c.addi sp, 1" },
	{ 0x1ffd, 0xffff8f93, "c.addi x31, -1" },
	{ 0x3001, 0x801ff0ef, "c.jal .-2048" },
	{ 0xb001, 0x801ff06f, "c.j .-2048" },
	{ 0x2ffd, 0x7fe000ef, "c.jal .+2046" },
	{ 0xaffd, 0x7fe0006f, "c.j .+2046" },
	{ 0x2001, 0x000000ef, "c.jal .+0" },
	{ 0xa001, 0x0000006f, "c.j .+0" },
	{ 0x3ffd, 0xfffff0ef, "c.jal .-2" },
	{ 0xbffd, 0xfffff06f, "c.j .-2" },
	{ 0x2101, 0x400000ef, "c.jal .+1024" },
	{ 0xa101, 0x4000006f, "c.j .+1024" },
	{ 0x2009, 0x002000ef, "c.jal .+2" },
	{ 0xa009, 0x0020006f, "c.j .+2" },
	{ 0x5501, 0xfe000513, "c.li a0, -32" },
	{ 0x4ffd, 0x01f00f93, "c.li t6, 31" },
	{ 0x4081, 0x00000093, "c.li ra, 0" },
	{ 0x5dfd, 0xfff00d93, "c.li s11, -1" },
	{ 0x7101, 0xe0010113, "c.addi16sp sp, -512" },
	{ 0x617d, 0x1f010113, "c.addi16sp sp, 496" },
	{ 0x6141, 0x01010113, "c.addi16sp sp, 16" },
	{ 0x717d, 0xff010113, "c.addi16sp sp, -16" },
	{ 0x6505, 0x00001537, "c.lui a0, 1" },
	{ 0x62fd, 0x0001f2b7, "c.lui t0, 31" },
	{ 0x7901, 0xfffe0937, "c.lui s2, 1048544" },
	{ 0x77fd, 0xfffff7b7, "c.lui a5, 1048575" },
	{ 0x8005, 0x00145413, "c.srli s0, 1" },
	{ 0x8405, 0x40145413, "c.srai s0, 1" },
	{ 0x83fd, 0x01f7d793, "c.srli a5, 31" },
	{ 0x87fd, 0x41f7d793, "c.srai a5, 31" },
	{ 0x8141, 0x01055513, "c.srli a0, 16" },
	{ 0x8541, 0x41055513, "c.srai a0, 16" },
	{ 0x9801, 0xfe047413, "c.andi s0, -32" },
	{ 0x8bfd, 0x01f7f793, "c.andi a5, 31" },
	{ 0x8981, 0x0005f593, "c.andi a1, 0" },
	{ 0x8c1d, 0x40f40433, "c.sub s0, a5" },
	{ 0x8f81, 0x408787b3, "c.sub a5, s0" },
	{ 0x8e11, 0x40c60633, "c.sub a2, a2" },
	{ 0x8c3d, 0x00f44433, "c.xor s0, a5" },
	{ 0x8fa1, 0x0087c7b3, "c.xor a5, s0" },
	{ 0x8e31, 0x00c64633, "c.xor a2, a2" },
	{ 0x8c5d, 0x00f46433, "c.or s0, a5" },
	{ 0x8fc1, 0x0087e7b3, "c.or a5, s0" },
	{ 0x8e51, 0x00c66633, "c.or a2, a2" },
	{ 0x8c7d, 0x00f47433, "c.and s0, a5" },
	{ 0x8fe1, 0x0087f7b3, "c.and a5, s0" },
	{ 0x8e71, 0x00c67633, "c.and a2, a2" },
	{ 0xd001, 0xf00400e3, "c.beqz s0, .-256" },
	{ 0xf001, 0xf00410e3, "c.bnez s0, .-256" },
	{ 0xcffd, 0x0e078f63, "c.beqz a5, .+254" },
	{ 0xeffd, 0x0e079f63, "c.bnez a5, .+254" },
	{ 0xc101, 0x00050063, "c.beqz a0, .+0" },
	{ 0xe101, 0x00051063, "c.bnez a0, .+0" },
	{ 0xdcfd, 0xfe048fe3, "c.beqz s1, .-2" },
	{ 0xfcfd, 0xfe049fe3, "c.bnez s1, .-2" },
	{ 0xc1c1, 0x08058063, "c.beqz a1, .+128" },
	{ 0xe1c1, 0x08059063, "c.bnez a1, .+128" },
	{ 0x0506, 0x00151513, "c.slli a0, 1" },
	{ 0x0ffe, 0x01ff9f93, "c.slli t6, 31" },
	{ 0x0116, 0x00511113, "c.slli sp, 5" },
	{ 0x4082, 0x00012083, "c.lwsp ra, 0(sp)" },
	{ 0x557e, 0x0fc12503, "c.lwsp a0, 252(sp)" },
	{ 0x4f92, 0x00412f83, "c.lwsp t6, 4(sp)" },
	{ 0x440a, 0x08012403, "c.lwsp s0, 128(sp)" },
	{ 0xc006, 0x00112023, "c.swsp ra, 0(sp)" },
	{ 0xdfaa, 0x0ea12e23, "c.swsp a0, 252(sp)" },
	{ 0xc27e, 0x01f12223, "c.swsp t6, 4(sp)" },
	{ 0xc402, 0x00012423, "c.swsp x0, 8(sp)" },
	{ 0x8082, 0x00008067, "c.jr ra" },
	{ 0x9082, 0x000080e7, "c.jalr ra" },
	{ 0x8502, 0x00050067, "c.jr a0" },
	{ 0x9502, 0x000500e7, "c.jalr a0" },
	{ 0x8f82, 0x000f8067, "c.jr t6" },
	{ 0x9f82, 0x000f80e7, "c.jalr t6" },
	{ 0x852e, 0x00b00533, "c.mv a0, a1" },
	{ 0x952e, 0x00b50533, "c.add a0, a1" },
	{ 0x8f86, 0x00100fb3, "c.mv t6, ra" },
	{ 0x9f86, 0x001f8fb3, "c.add t6, ra" },
	{ 0x8122, 0x00800133, "c.mv sp, s0" },
	{ 0x9122, 0x00810133, "c.add sp, s0" },
	{ 0x9002, 0x00100073, "c.ebreak" },
};

static void same_ir(const struct insn *a, const struct insn *b, const char *what)
{
	cr_expect_eq(a->op, b->op, "%s: op %s vs %s", what, decode_op_name(a->op),
	             decode_op_name(b->op));
	cr_expect_eq(a->rd, b->rd, "%s: rd %u vs %u", what, a->rd, b->rd);
	cr_expect_eq(a->rs1, b->rs1, "%s: rs1 %u vs %u", what, a->rs1, b->rs1);
	cr_expect_eq(a->rs2, b->rs2, "%s: rs2 %u vs %u", what, a->rs2, b->rs2);
	cr_expect_eq(a->imm, b->imm, "%s: imm %d vs %d", what, a->imm, b->imm);
}

Test(decode, compressed_expands_like_the_assembler)
{
	const uint32_t pc = 0x80001000;

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct insn c, f;
		cr_expect_eq(decode_insn(pairs[i].c, pc, &c), 2u, "%s", pairs[i].text);
		cr_expect_eq(decode_insn(pairs[i].full, pc, &f), 4u, "%s", pairs[i].text);
		cr_expect_neq(c.op, OP_ILLEGAL, "%s decoded as illegal", pairs[i].text);
		same_ir(&c, &f, pairs[i].text);
	}
}

Test(decode, every_compressed_form_is_covered)
{
	/* Each RV32C form (quadrant, funct3 and, where needed, sub-fields)
	 * appears in the table at least once. */
	static const char *const forms[] = {
		"c.addi4spn", "c.lw",  "c.sw",     "c.nop",  "c.addi ", "c.jal ", "c.li",
		"c.addi16sp", "c.lui", "c.srli",   "c.srai", "c.andi",  "c.sub",  "c.xor",
		"c.or",       "c.and", "c.j ",     "c.beqz", "c.bnez",  "c.slli", "c.lwsp",
		"c.jr ",      "c.mv",  "c.ebreak", "c.jalr", "c.add ",  "c.swsp",
	};
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		int found = 0;
		for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
			found |= strncmp(pairs[i].text, forms[f], strlen(forms[f])) == 0;
		cr_expect(found, "no test pair for %s", forms[f]);
	}
}

Test(decode, reserved_compressed_encodings_are_illegal)
{
	static const uint16_t bad[] = {
		0x0000, /* all zeros */
		0x0008, /* c.addi4spn with nzuimm = 0 */
		0x4002, /* c.lwsp x0 */
		0x8002, /* c.jr x0 */
		0x6501, /* c.lui a0, 0 */
		0x6101, /* c.addi16sp 0 */
		0x9001, /* c.srli shamt[5] = 1 (RV32) */
		0x9401, /* c.srai shamt[5] = 1 */
		0x1002, /* c.slli shamt[5] = 1 */
		0x9c01, /* c.subw (RV64 only) */
		0x2000, /* c.fld */
		0x6000, /* c.flw */
		0xa000, /* c.fsd */
		0xe000, /* c.fsw */
		0x2002, /* c.fldsp */
		0x6002, /* c.flwsp */
		0x8000, /* reserved Q0 funct3 = 100 */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct insn in;
		decode_insn(bad[i], 0x80000000, &in);
		cr_expect_eq(in.op, OP_ILLEGAL, "0x%04x decoded as %s", bad[i],
		             decode_op_name(in.op));
		cr_expect_eq((uint32_t)in.imm, bad[i], "illegal keeps its encoding");
	}
}

Test(decode, illegal_32bit_encodings)
{
	static const uint32_t bad[] = {
		0xffffffff,                            /* 48-bit+ prefix */
		0x0000001f,                            /* 48-bit prefix */
		SLLI(A0, A0, 32),                      /* shamt[5] set */
		enc_i(0x7ff, A0, 5, A0, 0x13),         /* srai/srli with bad funct7 */
		OPR(0x40, 0, A0, A1, A2),              /* bad funct7 */
		enc_i(0, A0, 3, A0, 0x03),             /* ld: RV64 */
		enc_s(0, A0, A1, 3, 0x23),             /* sd: RV64 */
		enc_b(8, A0, A1, 2),                   /* branch funct3 2 */
		enc_i(0, A0, 1, A0, 0x67),             /* jalr funct3 != 0 */
		CSRRW(A0, 0xC00, A1),                  /* write to cycle */
		CSRRS(A0, 0xC00, A1),                  /* set bits of cycle */
		CSRRS(A0, 0x300, 0),                   /* mstatus */
		CSRRS(A0, 0x003, 0),                   /* fcsr: no F */
		0x30200073,                            /* mret */
		0x10500073,                            /* wfi */
		AMO(0x02, A0, A1, A2),                 /* lr.w with rs2 != 0 */
		enc_r(0x3 << 2, A2, A1, 3, A0, 0x2f),  /* sc.d */
		enc_r(0x1f << 2, A2, A1, 2, A0, 0x2f), /* bad AMO funct5 */
		0x00000007,                            /* flw */
		0x00000053,                            /* fadd.s */
		enc_i(0, 0, 2, 0, 0x0f),               /* misc-mem funct3 2 */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct insn in;
		decode_insn(bad[i], 0x80000000, &in);
		cr_expect_eq(in.op, OP_ILLEGAL, "0x%08x decoded as %s", bad[i],
		             decode_op_name(in.op));
		cr_expect_eq((uint32_t)in.imm, bad[i]);
	}
}

Test(decode, counters_fences_and_pc_relative_forms)
{
	struct insn in;

	decode_insn(CSRRS(A0, 0xC01, 0), 0x80000000, &in);
	cr_expect_eq(in.op, OP_CSRR);
	cr_expect_eq(in.imm, 0xC01);
	decode_insn(enc_i(0xC82, 0, 6, A0, 0x73), 0x80000000, &in); /* csrrsi a0, instreth, 0 */
	cr_expect_eq(in.op, OP_CSRR);
	decode_insn(FENCE, 0x80000000, &in);
	cr_expect_eq(in.op, OP_NOP);
	decode_insn(FENCE_I, 0x80000000, &in);
	cr_expect_eq(in.op, OP_NOP);
	decode_insn(AUIPC(A0, 0xfffff), 0x80000010, &in);
	cr_expect_eq(in.op, OP_LI);
	cr_expect_eq((uint32_t)in.imm, 0x80000010u - 0x1000u);
	decode_insn(JAL(RA, -4096), 0x80002000, &in);
	cr_expect_eq((uint32_t)in.imm, 0x80001000u);
	decode_insn(BGE(A0, A1, 4094), 0x80000000, &in);
	cr_expect_eq((uint32_t)in.imm, 0x80000ffeu);
	decode_insn(ADDI(X0, A0, 5), 0x80000000, &in);
	cr_expect_eq(in.rd, REG_SINK, "x0 as destination goes to the sink");
}

Test(decode, any_halfword_decodes_without_crashing)
{
	for (uint32_t v = 0; v < 0x10000; v++) {
		struct insn in;
		unsigned len = decode_insn(v, 0x80000000, &in);
		cr_assert_eq(len, (v & 3) == 3 ? 4u : 2u);
		cr_assert(in.op < OP_COUNT);
		cr_assert(in.rd <= REG_SINK && in.rs1 < 32 && in.rs2 < 32);
	}
}
