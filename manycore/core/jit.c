/*
 * jit.c - translation of decoded blocks to x86-64 host code (see jit.h):
 * the code buffer, the shared way in and out, the jump table, the helpers
 * translated code calls, and the translation of a block (its templates
 * are in jitemit.c; the host registers in jit_priv.h).
 *
 * Each block starts with its budget check; what is rare (TLB misses,
 * exits) goes to stubs after the block's body, so the straight path of a
 * block is the common one. Indirect jumps find their target in a small
 * table of pc and code, filled by the dispatcher.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/codecache.h"
#include "core/codepool.h"
#include "core/hart_priv.h"
#include "core/jit.h"
#include "core/mmu_priv.h"

#if defined(__x86_64__)

#include <sys/mman.h>

#include "core/jit_priv.h"

/* The code buffer of one address space: reserved once, filled in order,
 * reset with the decoded blocks; its chunks are taken from the pool as it
 * fills, and the host backs pages only as they are used. */
#define JIT_BUFFER_BYTES (2u * 1024 * 1024)
/* The buffer's last eighth holds the access sites (jit_priv.h): data on
 * pages of its own, within reach of rip-relative operands; each chunk of
 * code brings its share. */
#define JIT_SITES_BYTES (JIT_BUFFER_BYTES / 8)
#define JIT_CHUNKS_MAX ((JIT_BUFFER_BYTES - JIT_SITES_BYTES) / CODEPOOL_CHUNK)
#define JIT_CHUNK_SITES (CODEPOOL_CHUNK / 8 / sizeof(struct jit_site))
/* Blocks found hot before an empty pool is asked again. */
#define JIT_POOL_RETRY 4096u
_Static_assert(JIT_CHUNKS_MAX *JIT_CHUNK_SITES * sizeof(struct jit_site) <= JIT_SITES_BYTES,
               "the sites of a full buffer fit its last eighth");
/* The most one block can take: its body and its stubs. */
#define JIT_BLOCK_MAX_BYTES (CORE_BLOCK_MAX_INSNS * 200u + 256u)

_Static_assert(sizeof(struct tlb_entry) == 16 && offsetof(struct tlb_entry, addend) == 8,
               "the inline TLB lookup scales the index by 16 and reads addend at 8");
_Static_assert(sizeof(enum hart_cause) == 4, "a trap's cause is stored as a dword");
_Static_assert(sizeof(struct jit_jump) == 16, "the jump table's probe scales by 16");

/* ---- the helpers translated code calls (System V ABI) ---- */

/* A load that missed the TLB: the value, or bit 32 set on a trap. kind
 * is the size, plus 8 when it sign-extends. */
uint64_t jit_h_load(struct jit_frame *f, uint32_t va, uint32_t kind)
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
uint32_t jit_h_store(struct jit_frame *f, uint32_t va, uint32_t val, uint32_t size)
{
	if (mmu_store_slow(f->m, va, size, val, &f->t))
		return 1;
	return f->m->code.code_gen != f->m->pm->code_gen ? 2 : 0;
}

/* LR/SC and AMOs: 0, 1 on a trap, 2 when the store rewrote decoded code. */
uint32_t jit_h_atomic(struct jit_frame *f, const struct insn *in)
{
	int rc = hart_exec_atomic(f->h, f->m, f->r, in, &f->t);

	return rc < 0 ? 1 : rc > 0 ? 2 : 0;
}

/* A counter CSR; left is the budget left before the reading instruction. */
uint32_t jit_h_csrr(struct jit_frame *f, uint32_t csr, uint64_t left)
{
	return hart_csr_read(f->h, csr, f->budget - left);
}

/* The shared way in and out, at the start of the buffer:
 * enter(frame, code) saves the callee-saved registers, loads rbx, r12, r13
 * and the mapped guest registers and jumps to code; the exit stores r12
 * and the guest registers back into the frame and returns eax. */
static int jit_emit_entry(struct jit_code *jc)
{
	static const uint8_t enter[] = {
		0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57, /* push rbx..r15 */
		0x48, 0x83, 0xec, 0x08,                                     /* sub rsp, 8 */
		0x48, 0x89, 0xfb,                                           /* mov rbx, rdi */
		0x48, 0x89, 0xf0,                                           /* mov rax, rsi */
	};
	static const uint8_t out[] = {
		0x48, 0x83, 0xc4, 0x08,                         /* add rsp, 8 */
		0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d, 0x41, 0x5c, /* pop r15..r12 */
		0x5d, 0x5b, 0xc3, 0xcc,                         /* pop rbp, rbx; ret */
	};
	struct emit e = { .p = jc->base, .end = jc->base + jc->cap };

	for (size_t i = 0; i < sizeof(enter); i++)
		x_b(&e, enter[i]);
	x_op_mem(&e, 1, X_MOV_LOAD, 0, X_R12, X_DI, X_NONE, F_REM);
	x_op_mem(&e, 1, X_MOV_LOAD, 0, X_R13, X_DI, X_NONE, F_MMU);
	jit_reload_all(&e);
	x_jmp_rax(&e);
	/* The exit: r12 and the guest registers back into the frame. */
	jc->exit_at = (uint32_t)(e.p - jc->base);
	x_op_mem(&e, 1, X_MOV_STORE, 0, X_R12, X_BX, X_NONE, F_REM);
	jit_spill_all(&e);
	for (size_t i = 0; i < sizeof(out); i++)
		x_b(&e, out[i]);
	jc->entry_bytes = (uint32_t)(e.p - jc->base);
	return e.full ? -1 : 0;
}

int jit_available(void)
{
	return 1;
}

/* Empties the jump table: pc 1 is no jump's target (they are even). */
static void jit_clear_jumps(struct jit_code *jc)
{
	for (unsigned i = 0; i < JIT_JUMPS; i++) {
		jc->jumps[i].pc = 1;
		jc->jumps[i].code = NULL;
	}
}

void jit_note_jump(struct jit_code *jc, uint32_t pc, const uint8_t *native)
{
	struct jit_jump *j = &jc->jumps[(pc >> 1) & (JIT_JUMPS - 1)];

	j->pc = pc;
	j->code = native;
}

/* One more chunk of the pool: 0, or -1 when the buffer or the pool has
 * none left. */
static int jit_grow(struct jit_code *jc)
{
	if (jc->chunks >= JIT_CHUNKS_MAX || (jc->pool && codepool_take(jc->pool)))
		return -1;
	jc->chunks++;
	jc->cap = jc->chunks * CODEPOOL_CHUNK;
	jc->sites_cap = jc->chunks * (uint32_t)JIT_CHUNK_SITES;
	return 0;
}

/* Gives the pool back the chunks past the first `keep`; the host drops
 * their pages. */
static void jit_shrink(struct jit_code *jc, uint32_t keep)
{
	uint32_t n = jc->chunks - keep;

	if (!n)
		return;
	if (jc->base) {
		madvise(jc->base + keep * CODEPOOL_CHUNK, n * CODEPOOL_CHUNK, MADV_DONTNEED);
		madvise((uint8_t *)(jc->sites + keep * JIT_CHUNK_SITES),
		        n * JIT_CHUNK_SITES * sizeof(*jc->sites), MADV_DONTNEED);
	}
	if (jc->pool)
		codepool_give(jc->pool, n);
	jc->chunks = keep;
	jc->cap = keep * CODEPOOL_CHUNK;
	jc->sites_cap = keep * (uint32_t)JIT_CHUNK_SITES;
}

/* -1: no buffer to be had (broken); -2: no chunk in the pool now. */
static int jit_open(struct jit_code *jc)
{
	void *p;

	/* A pool with no chunk is asked again only after a while: the
	 * interpreter meanwhile, at its full speed. */
	if (jc->wait) {
		jc->wait--;
		return -2;
	}
	if (jit_grow(jc)) {
		jc->wait = JIT_POOL_RETRY;
		return -2;
	}
	/* The table apart from the code: stores near running code cost. */
	if (!(jc->jumps = malloc(JIT_JUMPS * sizeof(*jc->jumps)))) {
		jit_free(jc);
		jc->broken = 1;
		return -1;
	}
	jit_clear_jumps(jc);
	p = mmap(NULL, JIT_BUFFER_BYTES, PROT_READ | PROT_WRITE | PROT_EXEC,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		jit_free(jc);
		jc->broken = 1;
		return -1;
	}
	jc->base = p;
	jc->sites = (struct jit_site *)(jc->base + JIT_BUFFER_BYTES - JIT_SITES_BYTES);
	jc->nsites = 0;
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
	struct jit_tr *tr;
	uint8_t *start;
	unsigned nrec;

	if (jc->broken)
		return -1;
	if (!jc->base) {
		int rc = jit_open(jc);
		if (rc)
			return rc;
	}
	while (jc->cap - jc->used < JIT_BLOCK_MAX_BYTES)
		if (jit_grow(jc))
			return -1;
	if (!(tr = malloc(sizeof(*tr)))) {
		jc->broken = 1;
		return -1;
	}
	start = jc->base + jc->used;
	tr->e = (struct emit){ .p = start, .end = start + JIT_BLOCK_MAX_BYTES };
	tr->jc = jc;
	tr->b = b;
	tr->nstub = 0;
	/* The budget check: the whole block, or none of it here. */
	x_alu_ri(&tr->e, 1, XI_SUB, X_R12, b->n);
	jit_add_stub(tr, S_BUDGET, x_jcc32(&tr->e, CC_B), 0, b->pc);
	/* The body: n instructions and, if it falls through, its end. */
	nrec = b->n + !(decode_op_flags((enum op)b->ins[b->n - 1].op) & OPF_TERM);
	tr->e.ax_on = 1; /* eax's record is kept in the body only */
	for (unsigned i = 0; i < nrec; i++)
		jit_emit_insn(tr, &b->ins[i], i);
	tr->e.ax_on = tr->e.ax_reg = 0;
	for (unsigned k = 0; k < tr->nstub; k++)
		jit_emit_stub(tr, &tr->stub[k]);
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

int jit_kill(struct jit_code *jc, uint32_t pc, const uint8_t *native)
{
	uint8_t *entry = jc->base + (native - jc->base), *start = jc->base + jc->used;
	struct jit_tr *tr;

	for (unsigned i = 0; i < JIT_JUMPS; i++)
		if (jc->jumps[i].code == native) {
			jc->jumps[i].pc = 1;
			jc->jumps[i].code = NULL;
		}
	if (jc->cap - jc->used < 128 || !(tr = malloc(sizeof(*tr))))
		return -1;
	/* The detour: an indirect jump to pc, as a jalr would make. */
	tr->e = (struct emit){ .p = start, .end = start + 128 };
	tr->jc = jc;
	tr->b = NULL;
	tr->nstub = 0;
	x_mov_ri(&tr->e, X_AX, pc);
	jit_emit_jump_probe(tr);
	jit_emit_stub(tr, &tr->stub[0]);
	if (tr->e.full) {
		free(tr);
		return -1;
	}
	jc->used += (uint32_t)(tr->e.p - start);
	jc->emitted += (uint64_t)(tr->e.p - start);
	free(tr);
	/* Its entry (a budget check of 10 bytes or more) becomes a jump there. */
	entry[0] = 0xe9;
	x_patch(entry + 1, start);
	return 0;
}

int jit_owns(const struct jit_code *jc, const void *p)
{
	const uint8_t *b = p;

	return jc->base && b >= jc->base && b < jc->base + JIT_BUFFER_BYTES;
}

void jit_forget_sites(struct jit_code *jc)
{
	for (uint32_t i = 0; i < jc->nsites; i++)
		jc->sites[i].tag = TLB_INVALID;
}

void jit_reset(struct jit_code *jc)
{
	if (jc->base) {
		jc->used = jc->entry_bytes;
		jc->nsites = 0;
		if (jc->pool && codepool_empty(jc->pool))
			jit_shrink(jc, 1);
		jit_clear_jumps(jc);
	}
}

void jit_free(struct jit_code *jc)
{
	jit_shrink(jc, 0);
	if (jc->base)
		munmap(jc->base, JIT_BUFFER_BYTES);
	free(jc->jumps);
	jc->jumps = NULL;
	jc->base = NULL;
	jc->sites = NULL;
	jc->used = jc->cap = jc->nsites = jc->sites_cap = jc->chunks = 0;
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

int jit_kill(struct jit_code *jc, uint32_t pc, const uint8_t *native)
{
	(void)jc;
	(void)pc;
	(void)native;
	return 0; /* nothing is ever translated */
}

void jit_reset(struct jit_code *jc)
{
	(void)jc;
}

void jit_forget_sites(struct jit_code *jc)
{
	(void)jc;
}

int jit_owns(const struct jit_code *jc, const void *p)
{
	(void)jc;
	(void)p;
	return 0;
}

void jit_note_jump(struct jit_code *jc, uint32_t pc, const uint8_t *native)
{
	(void)jc;
	(void)pc;
	(void)native;
}

void jit_free(struct jit_code *jc)
{
	(void)jc;
}

#endif
