/*
 * hart_priv.h - the instruction semantics that the interpreter (hart.c)
 * shares with the translator (jit.c), so both tiers run one definition
 * of the rarer instructions (core-internal).
 */
#ifndef HART_PRIV_H
#define HART_PRIV_H

#include <stdint.h>

#include "core/decode.h"
#include "core/hart.h"

struct mmu;

/*
 * Carries out an LR/SC or AMO instruction in on registers r (r[rd] gets the
 * result) with h's reservation. Returns 0, -1 with *t filled (cause and
 * tval) on a trap, or 1 when the store rewrote decoded code (the block
 * running must be left after this instruction).
 */
int hart_exec_atomic(struct hart *h, struct mmu *m, uint32_t *r, const struct insn *in,
                     struct hart_trap *t);

/* The value of counter CSR csr (the imm of OP_CSRR) when done instructions
 * of the current run retired before the reading one. */
uint32_t hart_csr_read(const struct hart *h, uint32_t csr, uint64_t done);

#endif /* HART_PRIV_H */
