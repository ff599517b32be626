/*
 * fuzz_jit.c - libFuzzer target: any bytes as guest code, run on both
 * tiers of the core in lockstep. The input's first byte picks the
 * slicing, the rest is a page of code (any encodings, compressed or not,
 * legal or not) over a page of data and a stack; the interpreter and the
 * translator (every block translated at its first run) must stop alike
 * after every slice: the same stop, trap, hart state and data. An ecall
 * is retired with a0 = 0 and the run goes on, so that code past it runs
 * too. Aborts on any difference.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/hart.h"
#include "core/mmu.h"
#include "core/physmem.h"
#include "kernel/frames.h"
#include "kernel/vm.h"

#define CODE 0x80000000u
#define DATA 0x80001000u
#define STACK 0x80002000u
#define MAX_INSNS 20000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct side {
	struct physmem *pm;
	struct frames *fa;
	struct vm *vm;
	struct hart h;
};

static int side_open(struct side *s, const uint8_t *code, size_t len, enum core_tier tier)
{
	uint8_t page[4096];

	memset(s, 0, sizeof(*s));
	if (!(s->pm = physmem_new(1024 * 1024)) || !(s->fa = frames_new(s->pm)) ||
	    !(s->vm = vm_new(s->fa)))
		return -1;
	if (vm_map(s->vm, CODE, 4096, VM_R | VM_W | VM_X) ||
	    vm_map(s->vm, DATA, 4096, VM_R | VM_W) || vm_map(s->vm, STACK, 4096, VM_R | VM_W))
		return -1;
	memset(page, 0, sizeof(page));
	memcpy(page, code, len);
	if (vm_write(s->vm, CODE, page, sizeof(page)))
		return -1;
	if (mmu_set_tier(vm_mmu(s->vm), tier))
		return -1;
	mmu_set_jit_hot(vm_mmu(s->vm), 1);
	hart_init(&s->h, CODE, STACK + 4096);
	/* base registers pointing at the data page, so loads and stores land */
	for (unsigned r = 5; r < 32; r += 3)
		s->h.x[r] = DATA + 64 * r;
	return 0;
}

static void side_close(struct side *s)
{
	vm_free(s->vm);
	frames_free(s->fa);
	physmem_free(s->pm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t slices[] = { 1, 2, 3, 7, 16, 64, 333 };
	struct side a, b;
	uint64_t done = 0;
	unsigned pick;

	if (size < 2 || !mmu_jit_available())
		return 0;
	pick = data[0];
	data++;
	size = size - 1 > 4096 ? 4096 : size - 1;
	if (side_open(&a, data, size, CORE_TIER_INTERP) || side_open(&b, data, size, CORE_TIER_JIT))
		abort(); /* host memory: not the input's fault, but say so */
	for (unsigned k = 0; done < MAX_INSNS; k++) {
		uint64_t n = slices[(pick + k) % (sizeof(slices) / sizeof(slices[0]))], ra, rb;
		struct hart_trap ta, tb;
		enum hart_stop sa = hart_run(&a.h, vm_mmu(a.vm), n, &ta, &ra);
		enum hart_stop sb = hart_run(&b.h, vm_mmu(b.vm), n, &tb, &rb);

		if (sa != sb || ra != rb || memcmp(&a.h, &b.h, sizeof(a.h)) ||
		    memcmp(vm_page_ptr(a.vm, DATA), vm_page_ptr(b.vm, DATA), 4096) ||
		    memcmp(vm_page_ptr(a.vm, CODE), vm_page_ptr(b.vm, CODE), 4096) ||
		    memcmp(vm_page_ptr(a.vm, STACK), vm_page_ptr(b.vm, STACK), 4096))
			abort();
		done += ra;
		if (sa == HART_STOP_TRAP) {
			if (ta.cause != tb.cause || ta.pc != tb.pc || ta.tval != tb.tval)
				abort();
			if (ta.cause != HART_CAUSE_ECALL)
				break;
			a.h.x[HART_REG_A0] = b.h.x[HART_REG_A0] = 0;
			hart_retire_ecall(&a.h);
			hart_retire_ecall(&b.h);
			done++;
		}
	}
	side_close(&a);
	side_close(&b);
	return 0;
}
