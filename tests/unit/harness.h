/*
 * harness.h - a minimal machine for core tests: one physical memory, one
 * address space with a code page and a data page, one hart.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "core/hart.h"
#include "core/mmu.h"
#include "core/physmem.h"
#include "kernel/frames.h"
#include "kernel/vm.h"

#define TH_CODE 0x80000000u
#define TH_DATA 0x80100000u

struct th {
	struct physmem *pm;
	struct frames *fa;
	struct vm *vm;
	struct mmu *m;
	struct hart h;
	struct hart_trap trap;
	uint64_t retired;
};

/* Sets up memory with a code page (prot code_prot) and a data page (RW).
 * The hart runs with every block translated from its first run (on hosts
 * that translate), or in the interpreter alone when TH_CORE=interp. */
void th_setup(struct th *t, uint32_t code_prot);
/* Applies TH_CORE to t's address space (th_setup does). */
void th_set_core(struct th *t);
void th_teardown(struct th *t);

/* Writes n 32-bit instructions at TH_CODE and points the hart there. */
void th_code(struct th *t, const uint32_t *words, size_t n);
/* Writes raw bytes at va (kernel write; the page must be mapped). */
void th_poke(struct th *t, uint32_t va, const void *p, size_t n);
/* Reads a word through the page tables (kernel read). */
uint32_t th_peek(struct th *t, uint32_t va);

/* Runs until a trap or budget; returns the stop reason. */
enum hart_stop th_run(struct th *t, uint64_t budget);

/* Runs to the first ecall and checks that it stopped there. */
void th_run_to_ecall(struct th *t);

/* The level-0 PTE of va (pointer into physical memory). */
uint32_t *th_pte(struct th *t, uint32_t va);

struct cluster;

/* The page at va where it lies, as the page iterators tell it (a remote
 * page fetched first), with its dirty and zero bits (either may be
 * NULL); NULL if it is not mapped. Of an address space, or of process
 * pid on cluster c. */
const uint8_t *th_vm_page(struct vm *vm, uint32_t va, int *dirty, int *zero);
const uint8_t *th_page(struct cluster *c, uint32_t pid, uint32_t va, int *dirty, int *zero);

/* Reads build/guest/REL (or $GUEST_DIR/REL) into a malloc'd buffer. */
uint8_t *th_read_guest(const char *rel, size_t *len);

#define PROG(t, ...)                                                 \
	do {                                                         \
		const uint32_t prog_[] = { __VA_ARGS__ };            \
		th_code(t, prog_, sizeof(prog_) / sizeof(prog_[0])); \
	} while (0)

#endif /* HARNESS_H */
