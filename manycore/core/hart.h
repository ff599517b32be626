/*
 * hart.h - one RV32IMAC hardware thread: its state and the interpreter.
 *
 * The state is a plain, pointer-free struct: copying it saves the hart and
 * copying it back restores it (checkpoint/restore relies on this). The
 * interpreter runs a hart in an address space (struct mmu) for an exact
 * number of instructions, or until a trap, which it hands back to the
 * caller (the kernel) with full detail. The hart runs in user mode only:
 * the kernel is host code.
 */
#ifndef HART_H
#define HART_H

#include <stdint.h>

struct mmu;

/* Indices into x[] of the registers the kernel reads or sets (psABI names). */
enum hart_reg {
	HART_REG_SP = 2,
	HART_REG_GP = 3,
	HART_REG_TP = 4,
	HART_REG_A0 = 10, /* a0-a5: call arguments, a0 the result */
	HART_REG_A1 = 11,
	HART_REG_A7 = 17, /* the kernel-call number */
};

/* Architectural state of a hart; pointer-free and serialisable as is. */
struct hart {
	uint32_t x[32]; /* x[0] always reads 0 */
	uint32_t pc;
	uint32_t resv_addr;  /* LR/SC reservation: word address ... */
	uint32_t resv_valid; /* ... and whether it is held (0 or 1) */
	uint32_t pad;
	uint64_t instret; /* instructions retired */
	uint64_t cycle;   /* cycles: instret plus what the kernel adds */
	uint64_t clock;   /* cluster clock in cycles, for the time CSR */
};
_Static_assert(sizeof(struct hart) == 168, "struct hart is part of the image format");

/* Trap causes, numbered as the RISC-V privileged spec's mcause. */
enum hart_cause {
	HART_CAUSE_FETCH_MISALIGNED = 0,
	HART_CAUSE_FETCH_ACCESS = 1,
	HART_CAUSE_ILLEGAL = 2,
	HART_CAUSE_BREAKPOINT = 3,
	HART_CAUSE_LOAD_MISALIGNED = 4,
	HART_CAUSE_LOAD_ACCESS = 5,
	HART_CAUSE_STORE_MISALIGNED = 6,
	HART_CAUSE_STORE_ACCESS = 7,
	HART_CAUSE_ECALL = 8,
	HART_CAUSE_FETCH_PAGE = 12,
	HART_CAUSE_LOAD_PAGE = 13,
	HART_CAUSE_STORE_PAGE = 15,
};

/* Why hart_run returned. */
enum hart_stop {
	HART_STOP_BUDGET = 0, /* the budget ran out: exactly that many retired */
	HART_STOP_TRAP = 1,   /* a trap: see struct hart_trap */
};

/*
 * A trap: the hart's pc is left on the trapping instruction, which has not
 * retired. tval is the faulting address for misaligned, access and page
 * faults, the instruction's encoding for illegal instructions, else 0.
 */
struct hart_trap {
	enum hart_cause cause;
	uint32_t pc;
	uint32_t tval;
};

/* Resets a hart: zero registers, pc = entry, sp = stack, counters zero. */
void hart_init(struct hart *h, uint32_t entry, uint32_t sp);

/*
 * Runs h in address space m for at most budget instructions. Returns
 * HART_STOP_BUDGET when exactly budget instructions retired, or
 * HART_STOP_TRAP with *trap filled when a trap stopped it earlier.
 * *retired (may be NULL) gets the count retired by this call; the hart's
 * instret, cycle and clock advance by it. Deterministic: the same state,
 * memory and budget always give the same result.
 */
enum hart_stop hart_run(struct hart *h, struct mmu *m, uint64_t budget, struct hart_trap *trap,
                        uint64_t *retired);

/*
 * Completes an ecall the kernel has carried out: advances pc past it and
 * counts it retired. The kernel sets a0 first. A blocking call that is not
 * complete leaves pc on the ecall, so that it is simply issued again.
 */
void hart_retire_ecall(struct hart *h);

/* Human-readable name of a trap cause ("load page fault"). */
const char *hart_cause_name(enum hart_cause c);

#endif /* HART_H */
