/*
 * test_mmu.c - Sv32 translation: faults by kind, permissions, A/D bits,
 * TLB invalidation, superpages, and decoded code kept coherent.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "rvenc.h"

static struct th t;

static void setup(void)
{
	th_setup(&t, VM_R | VM_X);
}

static void teardown(void)
{
	th_teardown(&t);
}

TestSuite(mmu, .init = setup, .fini = teardown);

static void expect_trap(enum hart_cause cause, uint32_t pc, uint32_t tval)
{
	cr_assert_eq(th_run(&t, 1000), HART_STOP_TRAP);
	cr_expect_eq(t.trap.cause, cause, "got %s", hart_cause_name(t.trap.cause));
	cr_expect_eq(t.trap.pc, pc, "pc 0x%08x", t.trap.pc);
	cr_expect_eq(t.trap.tval, tval, "tval 0x%08x", t.trap.tval);
}

Test(mmu, unmapped_pages_fault_by_access_kind)
{
	PROG(&t, LI32(S0, 0x90000000), LW(A0, S0, 8), ECALL);
	expect_trap(HART_CAUSE_LOAD_PAGE, TH_CODE + 8, 0x90000008);
	PROG(&t, LI32(S0, 0x90000000), SW(A0, S0, 12), ECALL);
	expect_trap(HART_CAUSE_STORE_PAGE, TH_CODE + 8, 0x9000000c);
	PROG(&t, LI32(S0, 0x90000000), JALR(X0, S0, 0), ECALL);
	expect_trap(HART_CAUSE_FETCH_PAGE, 0x90000000, 0x90000000);
	PROG(&t, LI32(S0, 0x00001000), AMO(0x00, A0, S0, A1), ECALL);
	expect_trap(HART_CAUSE_STORE_PAGE, TH_CODE + 8, 0x00001000);
}

Test(mmu, permissions_are_enforced)
{
	/* Stores to the read-only code page, execution of the data page. */
	PROG(&t, LI32(S0, TH_CODE), SW(A0, S0, 0), ECALL);
	expect_trap(HART_CAUSE_STORE_PAGE, TH_CODE + 8, TH_CODE);
	PROG(&t, LI32(S0, TH_DATA), JALR(X0, S0, 0), ECALL);
	expect_trap(HART_CAUSE_FETCH_PAGE, TH_DATA, TH_DATA);
	/* LR on the data page is fine, an AMO on the code page is not. */
	PROG(&t, LI32(S0, TH_CODE), AMO(0x01, A0, S0, A1), ECALL);
	expect_trap(HART_CAUSE_STORE_PAGE, TH_CODE + 8, TH_CODE);
	/* A page without U is the kernel's: user access faults. */
	*th_pte(&t, TH_DATA) &= ~PTE_U;
	mmu_flush_all(t.m);
	PROG(&t, LI32(S0, TH_DATA), LW(A0, S0, 0), ECALL);
	expect_trap(HART_CAUSE_LOAD_PAGE, TH_CODE + 8, TH_DATA);
}

Test(mmu, execute_only_page_cannot_be_read)
{
	*th_pte(&t, TH_CODE) &= ~PTE_R;
	mmu_flush_all(t.m);
	PROG(&t, LI32(S0, TH_CODE), LW(A0, S0, 0), ECALL);
	expect_trap(HART_CAUSE_LOAD_PAGE, TH_CODE + 8, TH_CODE);
}

Test(mmu, accessed_and_dirty_bits)
{
	uint32_t *pte = th_pte(&t, TH_DATA);

	int dirty = 0, zero = 0;

	/* A fresh page is born dirty (a checkpoint must take it) and known
	 * zero: its D bit stays clear until the first store. */
	cr_assert(th_vm_page(t.vm, TH_DATA, &dirty, &zero));
	cr_expect(dirty && zero, "fresh page: dirty %d, known zero %d", dirty, zero);
	cr_expect(!(*pte & PTE_D), "fresh page: D clear");
	*pte &= ~(PTE_A | PTE_D);
	*th_pte(&t, TH_CODE) &= ~(PTE_A | PTE_D);
	mmu_flush_tlb(t.m);
	PROG(&t, LI32(S0, TH_DATA), LW(A0, S0, 0), ECALL);
	th_run_to_ecall(&t);
	cr_expect(*pte & PTE_A, "a read sets A");
	cr_expect(!(*pte & PTE_D), "a read leaves D clear");
	cr_expect(*th_pte(&t, TH_CODE) & PTE_A, "a fetch sets A");

	cr_assert(th_vm_page(t.vm, TH_DATA, &dirty, &zero));
	cr_expect(zero, "a read leaves it known zero");

	PROG(&t, LI32(S0, TH_DATA), SW(A0, S0, 0), SW(A0, S0, 4), ECALL);
	th_run_to_ecall(&t);
	cr_expect(*pte & PTE_D, "a write sets D");
	cr_assert(th_vm_page(t.vm, TH_DATA, &dirty, &zero));
	cr_expect(dirty && !zero, "a written page: dirty %d, known zero %d", dirty, zero);

	/* A clean forgets it was fresh: it may have been written before. */
	vm_clean(t.vm);
	cr_assert(th_vm_page(t.vm, TH_DATA, &dirty, &zero));
	cr_expect(!dirty && !zero, "cleaned: dirty %d, known zero %d", dirty, zero);

	/* The kernel clears D; after a TLB flush the next write sets it again. */
	*pte &= ~PTE_D;
	mmu_flush_tlb(t.m);
	t.h.pc = TH_CODE;
	th_run_to_ecall(&t);
	cr_expect(*pte & PTE_D, "D set again on the first write after the flush");
}

Test(mmu, a_kernel_write_ends_a_fresh_page)
{
	const uint32_t va = TH_DATA + 0x10000;
	const uint32_t word = 0x1234;
	int dirty, zero;

	/* Not through the MMU: the walker never sees these stores, so the
	 * kernel's own writes must end the page's known-zero state. */
	cr_assert_eq(vm_map(t.vm, va, 3 * 4096, VM_R | VM_W), 0);
	cr_assert_eq(vm_write(t.vm, va, &word, sizeof(word)), 0);
	cr_assert(vm_page_ptr(t.vm, va + 4096));
	for (uint32_t k = 0; k < 3; k++) {
		cr_assert(th_vm_page(t.vm, va + k * 4096, &dirty, &zero));
		cr_expect_eq(zero, k == 2, "page %u: known zero %d", k, zero);
		cr_expect(dirty, "page %u: dirty", k);
	}
}

Test(mmu, stale_translation_until_flush)
{
	uint32_t *pte = th_pte(&t, TH_DATA);
	uint32_t other_va = TH_DATA + 0x1000, v1 = 111, v2 = 222;

	cr_assert_eq(vm_map(t.vm, other_va, 4096, VM_R | VM_W), 0);
	th_poke(&t, TH_DATA, &v1, 4);
	th_poke(&t, other_va, &v2, 4);
	PROG(&t, LI32(S0, TH_DATA), LW(A0, S0, 0), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.x[A0], 111u);

	/* Point TH_DATA at the other page's frame, without a flush: the TLB
	 * still holds the old translation, as sfence.vma semantics allow. */
	*pte = *th_pte(&t, other_va);
	t.h.pc = TH_CODE;
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.x[A0], 111u, "cached translation used before the flush");

	mmu_flush_tlb(t.m);
	t.h.pc = TH_CODE;
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.x[A0], 222u, "new translation after the flush");
	/* Undo the alias so that teardown frees each frame once. */
	cr_assert_eq(vm_unmap(t.vm, other_va, 4096), 0);
	*pte = 0;
	mmu_flush_all(t.m);
}

Test(mmu, superpage_translation)
{
	/* A 4 MiB superpage at 0xC0000000 onto physical 0 (the whole test
	 * memory): level-1 leaf. */
	uint32_t *root = (uint32_t *)physmem_ptr(t.pm, vm_root(t.vm), 4096);
	uint32_t pa, v = 0x5a5a5a5a;

	root[0xC0000000u >> 22] = (0u << 10) | PTE_V | PTE_R | PTE_W | PTE_U;
	cr_assert_eq(mmu_translate(t.m, 0xC0012344, MMU_READ, &pa), 0);
	cr_expect_eq(pa, 0x12344u);
	cr_expect(root[0xC0000000u >> 22] & PTE_A);
	physmem_write(t.pm, 0x200000, &v, 4);
	PROG(&t, LI32(S0, 0xC0200000), LW(A0, S0, 0), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.x[A0], v);

	/* A superpage whose PPN[0] is not zero is misaligned: page fault. */
	root[0xC0000000u >> 22] = (1u << 10) | PTE_V | PTE_R | PTE_W | PTE_U;
	mmu_flush_all(t.m);
	cr_expect_eq(mmu_translate(t.m, 0xC0000000, MMU_READ, &pa), -EFAULT);
	root[0xC0000000u >> 22] = 0;
}

Test(mmu, reserved_pte_and_out_of_memory_frame)
{
	uint32_t pa;

	/* W without R is reserved. */
	*th_pte(&t, TH_DATA) &= ~PTE_R;
	mmu_flush_all(t.m);
	cr_expect_eq(mmu_translate(t.m, TH_DATA, MMU_WRITE, &pa), -EFAULT);
	*th_pte(&t, TH_DATA) |= PTE_R;
	/* A PTE naming a frame past the end of physical memory: access fault. */
	{
		uint32_t saved = *th_pte(&t, TH_DATA);
		*th_pte(&t, TH_DATA) = (0x3fffffu << 10) | PTE_V | PTE_R | PTE_W | PTE_U;
		mmu_flush_all(t.m);
		PROG(&t, LI32(S0, TH_DATA), LW(A0, S0, 0), ECALL);
		expect_trap(HART_CAUSE_LOAD_ACCESS, TH_CODE + 8, TH_DATA);
		*th_pte(&t, TH_DATA) = saved;
		mmu_flush_all(t.m);
	}
}

Test(mmu, self_modifying_code_is_seen)
{
	/* Make the code page writable too: the program patches the
	 * instruction it runs next, twice, inside one loop. */
	cr_assert_eq(vm_add_prot(t.vm, TH_CODE, 4096, VM_W), 0);
	PROG(&t, LI32(S0, TH_CODE + 20), LI32(T0, ADDI(A0, X0, 77)), SW(T0, S0, 0),
	     ADDI(A0, X0, 1), /* patched into addi a0, x0, 77 */
	     ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.x[A0], 77u, "the store to code took effect before the next fetch");
	/* Run again: the block is re-decoded from the patched bytes. */
	t.h.pc = TH_CODE + 20;
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.x[A0], 77u);
}

Test(mmu, kernel_writes_to_code_invalidate_blocks)
{
	PROG(&t, ADDI(A0, X0, 1), ECALL);
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.x[A0], 1u);
	PROG(&t, ADDI(A0, X0, 2), ECALL); /* vm_write -> physmem_note_write */
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.x[A0], 2u, "decoded block dropped after the kernel rewrote it");
}

Test(mmu, instruction_straddling_into_unmapped_page)
{
	/* A 32-bit instruction at the last halfword of the code page: its
	 * second half lies in the unmapped next page. */
	uint16_t c_nop = 0x0001, half = 0x0513; /* low half of addi a0,... */
	for (uint32_t off = 0; off < 4094; off += 2)
		th_poke(&t, TH_CODE + off, &c_nop, 2);
	th_poke(&t, TH_CODE + 4094, &half, 2);
	t.h.pc = TH_CODE;
	cr_assert_eq(th_run(&t, 100000), HART_STOP_TRAP);
	cr_expect_eq(t.trap.cause, HART_CAUSE_FETCH_PAGE);
	cr_expect_eq(t.trap.pc, TH_CODE + 4094);
	cr_expect_eq(t.trap.tval, TH_CODE + 4096, "tval names the missing page");
	cr_expect_eq(t.h.instret, 2047u);
}

/* A post-copy filler: page bytes come from here, or are lost. */
struct fake_source {
	uint8_t byte;
	int calls, done, lose, dropped;
};

static int fake_fill(void *ctx, uint32_t va, uint8_t *frame)
{
	struct fake_source *s = ctx;

	if (va == VM_FILL_DONE) {
		s->done++;
		return 0;
	}
	if (!frame) {
		s->dropped++;
		return 0;
	}
	s->calls++;
	if (s->lose)
		return -EIO;
	memset(frame, s->byte, 4096);
	return 0;
}

Test(mmu, remote_page_faults_until_filled_then_reads_its_bytes)
{
	struct fake_source src = { 0x5a, 0, 0, 0, 0 };
	uint32_t frames = frames_user_used(t.fa);

	cr_assert_eq(vm_map_remote(t.vm, 0x90000000, 8192, VM_R | VM_W), 0);
	cr_expect_eq(frames_user_used(t.fa), frames + 2, "remote pages take their frames now");
	cr_expect_eq(vm_remote_pages(t.vm), 2);
	cr_expect_eq(vm_map(t.vm, 0x90001000, 4096, VM_R), -EEXIST, "a remote page is mapped");
	vm_set_fill(t.vm, fake_fill, &src);
	/* the hart sees an invalid page; the kernel brings it in */
	PROG(&t, LI32(S0, 0x90000000), LW(A0, S0, 8), ECALL);
	expect_trap(HART_CAUSE_LOAD_PAGE, TH_CODE + 8, 0x90000008);
	cr_assert_eq(vm_fill(t.vm, 0x90000008), 1);
	cr_expect_eq(vm_fill(t.vm, 0x90000008), 0, "present now: nothing to do");
	t.h.pc = TH_CODE;
	th_run_to_ecall(&t);
	cr_expect_eq(t.h.x[A0], 0x5a5a5a5au);
	/* a kernel copy fills on its own */
	uint32_t w = 0;
	cr_assert_eq(vm_copy_in(t.vm, &w, 0x90001ffc, 4), 0);
	cr_expect_eq(w, 0x5a5a5a5au);
	cr_expect_eq(src.calls, 2);
	cr_expect_eq(src.done, 1, "told once, when no remote page is left");
	cr_expect_eq(vm_remote_pages(t.vm), 0);
}

Test(mmu, lost_remote_page_stays_remote_and_unmaps_cleanly)
{
	struct fake_source src = { 0, 0, 0, 1, 0 };
	uint32_t frames = frames_user_used(t.fa), w;

	cr_assert_eq(vm_map_remote(t.vm, 0x90000000, 8192, VM_R), 0);
	vm_set_fill(t.vm, fake_fill, &src);
	cr_expect_eq(vm_fill(t.vm, 0x90000000), -EIO);
	cr_expect_eq(vm_copy_in(t.vm, &w, 0x90000000, 4), -EFAULT);
	cr_expect_eq(vm_fill_range(t.vm, 0x90000000, 8192), -EIO);
	cr_expect_eq(vm_remote_pages(t.vm), 2);
	cr_assert_eq(vm_unmap(t.vm, 0x90000000, 8192), 0);
	cr_expect_eq(frames_user_used(t.fa), frames, "the frames came back");
	cr_expect_eq(src.dropped, 2, "each page unmapped before it came is forgotten");
	cr_expect_eq(src.done, 1, "no remote page left: told once");
	cr_expect_eq(vm_fill(t.vm, 0x90000000), -EFAULT);
}
