/*
 * jit.h - the translation tier: decoded blocks that run often become
 * x86-64 host code in a code buffer of their address space (core-internal;
 * hart.c decides what to translate and runs it, codecache.c owns the
 * buffer's lifetime).
 *
 * A translated block keeps every rule of the interpreter. It begins with
 * the budget check: it runs only when the budget covers all of it, and
 * otherwise leaves to the interpreter, which runs its head. Guest registers
 * stay in the frame (struct jit_frame), each load and store remembers the
 * page it last reached (a copy of its TLB entry, forgotten with the TLB),
 * probes the TLB when that does not match and calls the MMU's slow paths
 * on a miss, and every way out of a block
 * (a trap, a store into decoded code, a jump whose target is not yet
 * translated) hands back the exact pc and the instructions left. Blocks
 * chain by patched direct jumps; the whole buffer goes with the decoded
 * blocks when the code cache is flushed, so no jump outlives its target.
 *
 * On hosts other than x86-64 nothing is translated: jit_available() is 0
 * and the interpreter is the whole core.
 */
#ifndef JIT_H
#define JIT_H

#include <stdint.h>

#include "core/hart.h"

struct block;
struct codepool;
struct mmu;

/* What translated code works on: the guest registers and the run's
 * bookkeeping, in one frame that a host register points to. */
struct jit_frame {
	uint32_t r[33];     /* x0-x31, then the sink for writes to x0 */
	uint32_t pc;        /* the guest pc at an exit */
	uint64_t remaining; /* instructions left in this run's budget */
	uint64_t budget;    /* the run's whole budget (for the counters) */
	uint8_t *slot;      /* JIT_EXIT_CHAIN: the jump to point at pc's code */
	struct mmu *m;
	struct hart *h;
	struct hart_trap t; /* JIT_EXIT_TRAP: cause and tval */
};

/* Why translated code returned. */
enum jit_exit {
	JIT_EXIT_CHAIN = 0,  /* go on at pc; slot may be chained to its code */
	JIT_EXIT_JUMP = 1,   /* go on at pc (an indirect jump not in the table) */
	JIT_EXIT_BUDGET = 2, /* the block at pc is longer than the budget left */
	JIT_EXIT_TRAP = 3,   /* a trap at pc (not retired); t says which */
	JIT_EXIT_CODE = 4,   /* a store rewrote decoded code; go on at pc */
};

/* An entry of the jump table: the code of the block at pc. */
struct jit_jump {
	uint32_t pc; /* 1: empty */
	uint32_t pad;
	const uint8_t *code;
};
#define JIT_JUMPS 1024u /* entries (a power of two) */

/* The code buffer of one address space: chunks of the board's pool, if it
 * has one (codepool.h), taken as it fills. */
struct jit_code {
	uint8_t *base; /* NULL until the first translation */
	uint32_t used, cap;
	struct codepool *pool;  /* NULL: no bound but the buffer's */
	uint32_t chunks;        /* taken from the pool */
	uint32_t wait;          /* hot blocks to let by before asking an empty pool again */
	uint32_t entry_bytes;   /* the shared entry and exit at the start */
	uint32_t exit_at;       /* where the shared exit begins */
	int broken;             /* no buffer could be made: interpret */
	int shared;             /* of a group of two or more: sites check their owner */
	struct jit_jump *jumps; /* targets of indirect jumps, by pc */
	struct jit_site *sites; /* the loads' and stores' last pages, after the code */
	uint32_t nsites, sites_cap;
	uint64_t translated; /* blocks translated, since made */
	uint64_t emitted;    /* bytes of host code emitted, since made */
};

/* 1 when this build translates (an x86-64 host), else 0. */
int jit_available(void);

/*
 * Translates block b into jc, setting b->native. Returns 0; -1 when the
 * buffer is full (the caller flushes the code cache and goes on) or could
 * not be made (jc->broken is then set); -2 when the pool has no chunk for
 * an empty buffer (the block runs interpreted; later tries may succeed).
 */
int jit_translate(struct jit_code *jc, struct block *b);

/* Runs translated code from native (a block's entry) on frame f until it
 * leaves; says why. */
enum jit_exit jit_run(struct jit_code *jc, struct jit_frame *f, const uint8_t *native);

/* Enters the code of the block at pc in the jump table, for indirect
 * jumps (after JIT_EXIT_JUMP) to find it. */
void jit_note_jump(struct jit_code *jc, uint32_t pc, const uint8_t *native);

/* 1 if p lies in jc's buffer. */
int jit_owns(const struct jit_code *jc, const void *p);

/* Points a chaining jump (from JIT_EXIT_CHAIN) at the code native. */
void jit_chain(uint8_t *slot, const uint8_t *native);

/*
 * Retires the translation native of the block at pc, whose code was
 * rewritten: jumps chained into it go on through the jump table to
 * whatever is translated at pc next (or out to the dispatcher), and the
 * table forgets it. 0, or -1 when the buffer has no room for the detour
 * (the caller flushes everything).
 */
int jit_kill(struct jit_code *jc, uint32_t pc, const uint8_t *native);

/* Forgets the page every load and store of translated code remembers:
 * after the TLB is flushed, or a frame becomes code (stores to it must
 * take the slow path again). */
void jit_forget_sites(struct jit_code *jc);

/* Drops every translation (the buffer is kept; when the pool is empty,
 * all but its first chunk go back to it). */
void jit_reset(struct jit_code *jc);

/* Frees the buffer; jc is empty (and usable) again. */
void jit_free(struct jit_code *jc);

#endif /* JIT_H */
