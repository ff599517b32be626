/*
 * jit_priv.h - what the translator's two halves share (core-internal,
 * x86-64 only): jit.c owns the buffer, the way in and out and the helpers
 * translated code calls; jitemit.c emits each block's code.
 *
 * Host registers in translated code: rbx points to the frame (guest
 * registers at [rbx + 4*i]), r12 holds the instructions left in the
 * budget, r13 the address space (its read TLB first, then the write
 * TLB); rax, rcx and rdx are scratch. The guest registers of jit_reg_map
 * live in the other nine host registers for as long as translated code
 * runs, the same in every block, so that chained blocks need no moves:
 * loaded on the way in, stored on the way out and around the calls that
 * read the frame.
 */
#ifndef JIT_PRIV_H
#define JIT_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "core/codecache.h"
#include "core/jit.h"
#include "core/mmu_priv.h"
#include "core/x86emit.h"

#define F_R(i) ((int32_t)(offsetof(struct jit_frame, r) + 4 * (size_t)(i)))
#define F_PC ((int32_t)offsetof(struct jit_frame, pc))
#define F_REM ((int32_t)offsetof(struct jit_frame, remaining))
#define F_SLOT ((int32_t)offsetof(struct jit_frame, slot))
#define F_MMU ((int32_t)offsetof(struct jit_frame, m))
#define F_CAUSE ((int32_t)(offsetof(struct jit_frame, t) + offsetof(struct hart_trap, cause)))
#define F_TVAL ((int32_t)(offsetof(struct jit_frame, t) + offsetof(struct hart_trap, tval)))
#define M_TLB_R ((int32_t)offsetof(struct mmu, tlb_r))
#define M_TLB_W ((int32_t)offsetof(struct mmu, tlb_w))

/* What one load or store of translated code remembers: the last page it
 * reached, as its TLB entry had it (tag TLB_INVALID: nothing), and, in
 * code a group shares, whose address space that was. Reading it does not
 * wait for the address, so a hit costs a compare (two when shared). */
struct jit_site {
	uint32_t tag;
	uint32_t pad;
	uintptr_t addend;
	const struct mmu *owner; /* a group's code: whose page it is */
	uintptr_t pad2;
};

/* Guest registers held in host registers: (guest, host) pairs. The first
 * JIT_CALLEE_SAVED hosts survive helper calls; the rest do not. */
struct jit_reg {
	uint8_t guest, host;
};
#define JIT_NMAPPED 9
#define JIT_CALLEE_SAVED 3
extern const struct jit_reg jit_reg_map[JIT_NMAPPED];

/* Work left for after a block's body: a stub reached by a jump at `at`. */
enum jit_stub_kind { S_CHAIN, S_BUDGET, S_LOAD, S_STORE, S_CALLED, S_JUMP };
struct jit_stub {
	uint8_t kind;
	uint8_t reg;           /* S_LOAD: rd; S_STORE: rs2 */
	uint8_t size;          /* S_LOAD: kind for jit_h_load; S_STORE: size */
	uint8_t i;             /* the instruction's index in the block */
	uint8_t *at;           /* the rel32 to point at the stub */
	uint8_t *back;         /* where the slow path rejoins */
	uint8_t *access;       /* S_LOAD, S_STORE: the access the TLB hit goes to */
	struct jit_site *site; /* S_LOAD, S_STORE: its site, or NULL (probe inline) */
	uint32_t pc;           /* S_CHAIN, S_BUDGET: the guest pc to go on at */
};

/* One block's translation under way. */
struct jit_tr {
	struct emit e;
	struct jit_code *jc;
	const struct block *b;
	struct jit_stub stub[CORE_BLOCK_MAX_INSNS * 2 + 2];
	unsigned nstub;
};

/* Stores every mapped guest register into the frame, or loads them all
 * from it (the way out and in). */
void jit_spill_all(struct emit *e);
void jit_reload_all(struct emit *e);

/* Emits instruction i of the block (its IR record in). */
void jit_emit_insn(struct jit_tr *tr, const struct insn *in, unsigned i);
/* Emits the jump to the code of the pc in eax through the jump table, or
 * out to the dispatcher (an S_JUMP stub) when the table lacks it. */
void jit_emit_jump_probe(struct jit_tr *tr);
/* Emits a stub after the body and points its jump at it. */
void jit_emit_stub(struct jit_tr *tr, const struct jit_stub *s);
/* Records a stub for the jump at `at`; returns it for more detail. */
struct jit_stub *jit_add_stub(struct jit_tr *tr, enum jit_stub_kind k, uint8_t *at, unsigned i,
                              uint32_t pc);

/* The helpers translated code calls (System V ABI), in jit.c. */
uint64_t jit_h_load(struct jit_frame *f, uint32_t va, uint32_t kind);
uint32_t jit_h_store(struct jit_frame *f, uint32_t va, uint32_t val, uint32_t size);
uint32_t jit_h_atomic(struct jit_frame *f, const struct insn *in);
uint32_t jit_h_csrr(struct jit_frame *f, uint32_t csr, uint64_t left);

#endif /* JIT_PRIV_H */
