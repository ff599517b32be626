/*
 * harness.c - the test machine of harness.h.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "kernel/kcr.h"

void th_setup(struct th *t, uint32_t code_prot)
{
	memset(t, 0, sizeof(*t));
	t->pm = physmem_new(4u * 1024 * 1024);
	cr_assert(t->pm);
	t->fa = frames_new(t->pm);
	cr_assert(t->fa);
	t->vm = vm_new(t->fa);
	cr_assert(t->vm);
	t->m = vm_mmu(t->vm);
	th_set_core(t);
	cr_assert_eq(vm_map(t->vm, TH_CODE, 4096, code_prot), 0);
	cr_assert_eq(vm_map(t->vm, TH_DATA, 4096, VM_R | VM_W), 0);
	hart_init(&t->h, TH_CODE, TH_DATA + 4096);
}

void th_set_core(struct th *t)
{
	const char *core = getenv("TH_CORE");

	if (core && !strcmp(core, "interp")) {
		cr_assert_eq(mmu_set_tier(t->m, CORE_TIER_INTERP), 0);
	} else if (mmu_jit_available()) {
		cr_assert_eq(mmu_set_tier(t->m, CORE_TIER_JIT), 0);
		mmu_set_jit_hot(t->m, 1);
	}
}

void th_teardown(struct th *t)
{
	vm_free(t->vm);
	frames_free(t->fa);
	physmem_free(t->pm);
}

void th_code(struct th *t, const uint32_t *words, size_t n)
{
	th_poke(t, TH_CODE, words, n * 4);
	t->h.pc = TH_CODE;
}

void th_poke(struct th *t, uint32_t va, const void *p, size_t n)
{
	cr_assert_eq(vm_write(t->vm, va, p, (uint32_t)n), 0, "poke 0x%08x", va);
}

uint32_t th_peek(struct th *t, uint32_t va)
{
	uint32_t pa, v;

	cr_assert_eq(mmu_translate(t->m, va, MMU_READ, &pa), 0, "peek 0x%08x", va);
	cr_assert_eq(physmem_read(t->pm, pa, &v, 4), 0);
	return v;
}

enum hart_stop th_run(struct th *t, uint64_t budget)
{
	return hart_run(&t->h, t->m, budget, &t->trap, &t->retired);
}

void th_run_to_ecall(struct th *t)
{
	cr_assert_eq(th_run(t, 100000), HART_STOP_TRAP, "program did not trap");
	cr_assert_eq(t->trap.cause, HART_CAUSE_ECALL, "trap %s at 0x%08x tval 0x%08x",
	             hart_cause_name(t->trap.cause), t->trap.pc, t->trap.tval);
}

uint32_t *th_pte(struct th *t, uint32_t va)
{
	uint32_t *pte = vm_pte(t->vm, va);

	cr_assert(pte, "no page table for 0x%08x", va);
	return pte;
}

uint8_t *th_read_guest(const char *rel, size_t *len)
{
	char path[512];
	const char *dir = getenv("GUEST_DIR");
	FILE *f;
	uint8_t *img;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/guest", rel);
	f = fopen(path, "rb");
	cr_assert(f, "cannot open %s (build the guests first)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	img = malloc((size_t)n);
	cr_assert(img);
	cr_assert_eq(fread(img, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return img;
}

const uint8_t *th_vm_page(struct vm *vm, uint32_t va, int *dirty, int *zero)
{
	uint32_t at = va;
	struct vm_page pg;

	if (!vm_next_page(vm, &at, va + 4096, &pg) || (pg.remote && vm_fill(vm, va) < 0))
		return NULL;
	if (pg.remote) {
		at = va;
		vm_next_page(vm, &at, va + 4096, &pg);
	}
	if (dirty)
		*dirty = pg.dirty;
	if (zero)
		*zero = pg.zero;
	return pg.bytes;
}

const uint8_t *th_page(struct cluster *c, uint32_t pid, uint32_t va, int *dirty, int *zero)
{
	struct kcr_pages it;
	struct kcr_page pg;

	if (kcr_pages_begin(c, pid, va, va + 4096, &it) || !kcr_pages_next(&it, &pg) ||
	    (pg.remote && kcr_pages_fetch(&it, &pg)))
		return NULL;
	if (dirty)
		*dirty = pg.dirty;
	if (zero)
		*zero = pg.zero;
	return pg.bytes;
}
