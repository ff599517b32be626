/*
 * vm.c - Sv32 page tables for user address spaces.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/physmem.h"
#include "kernel/frames.h"
#include "kernel/vm.h"
#include "params/core_params.h"
#include "params/kparams.h"

/* Sv32 leaves bits 8-9 of a PTE to software; with V clear, the rest is
 * ours too. A remote page has its frame (PPN) and permissions, but stays
 * invalid until its bytes arrive (vm_fill). */
#define PTE_REMOTE 0x100u
/* A page mapped zeroed is born with FRESH, not D: until the walker sets
 * D at its first store (or the kernel writes it, pte_touch) it is known
 * to be all zero without reading it. It counts as dirty (a fresh page
 * differs from whatever a checkpoint held at its address before). */
#define PTE_FRESH 0x200u

/* The kernel writes the page's bytes (not through the MMU). */
static void pte_touch(uint32_t *pte)
{
	*pte = (*pte | PTE_D) & ~PTE_FRESH;
}

struct vm {
	struct frames *fa;
	struct physmem *pm;
	struct mmu *mmu;
	uint32_t root;   /* physical address of the root table */
	uint32_t pages;  /* user pages mapped (remote ones too) */
	uint32_t remote; /* of which remote */
	vm_fill_fn fill; /* brings remote pages in; NULL once none is left */
	void *fill_ctx;
};

/* The page has a frame of its own (present or remote). */
static int pte_owned(uint32_t pte)
{
	return (pte & PTE_V) || (pte & PTE_REMOTE);
}

static uint32_t *pte_at(struct vm *vm, uint32_t table_pa, uint32_t idx)
{
	return (uint32_t *)physmem_ptr(vm->pm, table_pa + idx * 4, 4);
}

static uint32_t pte_pa(uint32_t pte)
{
	return (pte >> PTE_PPN_SHIFT) << CORE_PAGE_SHIFT;
}

/* The level-0 PTE of va; creates its table if create. NULL if absent or
 * no frame is left. */
static uint32_t *vm_leaf(struct vm *vm, uint32_t va, int create)
{
	uint32_t *l1 = pte_at(vm, vm->root, va >> 22);

	if (!(*l1 & PTE_V)) {
		uint32_t t;
		if (!create || !(t = frames_alloc(vm->fa)))
			return NULL;
		*l1 = ((t >> CORE_PAGE_SHIFT) << PTE_PPN_SHIFT) | PTE_V;
	}
	return pte_at(vm, pte_pa(*l1), (va >> 12) & 0x3ff);
}

struct vm *vm_new(struct frames *fa)
{
	struct vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		return NULL;
	vm->fa = fa;
	vm->pm = frames_physmem(fa);
	vm->root = frames_alloc(fa);
	vm->mmu = mmu_new(vm->pm);
	if (!vm->root || !vm->mmu) {
		vm_free(vm);
		return NULL;
	}
	mmu_set_root(vm->mmu, vm->root);
	return vm;
}

/* No remote page is left, or the address space goes: the filler is
 * told once, and never called again. */
static void vm_fill_detach(struct vm *vm)
{
	vm_fill_fn fn = vm->fill;

	vm->fill = NULL;
	if (fn)
		fn(vm->fill_ctx, VM_FILL_DONE, NULL);
}

void vm_free(struct vm *vm)
{
	if (!vm)
		return;
	vm_fill_detach(vm);
	if (vm->root) {
		for (uint32_t i = 0; i < CORE_PTES_PER_TABLE; i++) {
			uint32_t l1 = *pte_at(vm, vm->root, i);
			if (!(l1 & PTE_V) || (l1 & (PTE_R | PTE_X)))
				continue; /* empty, or a superpage the kernel did not allocate */
			for (uint32_t j = 0; j < CORE_PTES_PER_TABLE; j++) {
				uint32_t l0 = *pte_at(vm, pte_pa(l1), j);
				if (pte_owned(l0))
					frames_release_user(vm->fa, pte_pa(l0));
			}
			frames_release(vm->fa, pte_pa(l1));
		}
		frames_release(vm->fa, vm->root);
	}
	mmu_free(vm->mmu);
	free(vm);
}

struct mmu *vm_mmu(struct vm *vm)
{
	return vm->mmu;
}

uint32_t *vm_pte(struct vm *vm, uint32_t va)
{
	return vm_leaf(vm, va, 0);
}

uint32_t vm_root(const struct vm *vm)
{
	return vm->root;
}

int vm_next_page(struct vm *vm, uint32_t *va, uint32_t end, struct vm_page *pg)
{
	uint32_t a = *va;

	while (a < end && a >= *va) {
		uint32_t l1 = *pte_at(vm, vm->root, a >> 22);
		uint32_t next = (a & ~0x3fffffu) + 0x400000u; /* the next table's first page */
		if (!(l1 & PTE_V) || (l1 & (PTE_R | PTE_X))) {
			a = next; /* no table here (or a superpage the kernel never makes) */
			continue;
		}
		for (; a < end && a < next; a += CORE_PAGE_SIZE) {
			uint32_t pte = *pte_at(vm, pte_pa(l1), (a >> 12) & 0x3ff);
			if (!pte_owned(pte))
				continue;
			pg->va = a;
			uint8_t *frame = physmem_ptr(vm->pm, pte_pa(pte), CORE_PAGE_SIZE);
			pg->remote = !(pte & PTE_V);
			pg->bytes = pg->remote ? NULL : frame;
			pg->landing = pg->remote ? frame : NULL;
			pg->dirty = (pte & (PTE_D | PTE_FRESH)) != 0;
			pg->zero = (pte & (PTE_D | PTE_FRESH)) == PTE_FRESH;
			*va = a + CORE_PAGE_SIZE;
			return 1;
		}
		if (next == 0)
			break; /* the top of the address space */
	}
	*va = end;
	return 0;
}

void vm_clean(struct vm *vm)
{
	for (uint32_t i = 0; i < CORE_PTES_PER_TABLE; i++) {
		uint32_t l1 = *pte_at(vm, vm->root, i);
		if (!(l1 & PTE_V) || (l1 & (PTE_R | PTE_X)))
			continue;
		for (uint32_t j = 0; j < CORE_PTES_PER_TABLE; j++) {
			uint32_t *pte = pte_at(vm, pte_pa(l1), j);
			/* written since: no longer fresh either; a page still
			 * fresh stays so (and counts as dirty: it is zero) */
			if (*pte & PTE_D)
				*pte &= ~(uint32_t)(PTE_D | PTE_FRESH);
		}
	}
	mmu_flush_tlb(vm->mmu); /* the next write walks again and sets D */
}

uint32_t vm_pages(const struct vm *vm)
{
	return vm->pages;
}

static int range_ok(uint32_t va, uint32_t len)
{
	return (va & CORE_PAGE_MASK) == 0 && (len & CORE_PAGE_MASK) == 0 && va >= USER_BASE &&
	       va <= USER_END && len <= USER_END - va;
}

/* How vm_map_frames takes its pages. */
enum vm_take { VM_TAKE_ZEROED, VM_TAKE_UNZEROED, VM_TAKE_REMOTE };

static int vm_map_frames(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot, enum vm_take how)
{
	uint32_t off;

	if (!range_ok(va, len) || (prot & ~(VM_R | VM_W | VM_X)) || !(prot & VM_R))
		return -EINVAL;
	for (off = 0; off < len; off += CORE_PAGE_SIZE) {
		uint32_t *pte = vm_leaf(vm, va + off, 0);
		if (pte && pte_owned(*pte))
			return -EEXIST;
	}
	for (off = 0; off < len; off += CORE_PAGE_SIZE) {
		uint32_t *pte = vm_leaf(vm, va + off, 1);
		uint32_t f = !pte                    ? 0
		             : how == VM_TAKE_ZEROED ? frames_alloc_user(vm->fa)
		                                     : frames_alloc_user_unzeroed(vm->fa);
		if (!f) {
			vm_unmap(vm, va, off);
			return -ENOMEM;
		}
		/* Born dirty: a fresh page differs from whatever a checkpoint
		 * held at this address before. */
		*pte = ((f >> CORE_PAGE_SHIFT) << PTE_PPN_SHIFT) | prot | PTE_U | PTE_A |
		       (how == VM_TAKE_ZEROED ? PTE_FRESH : PTE_D) |
		       (how == VM_TAKE_REMOTE ? PTE_REMOTE : PTE_V);
		vm->pages++;
		vm->remote += how == VM_TAKE_REMOTE;
	}
	return 0;
}

int vm_map(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot)
{
	return vm_map_frames(vm, va, len, prot, VM_TAKE_ZEROED);
}

int vm_map_unzeroed(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot)
{
	return vm_map_frames(vm, va, len, prot, VM_TAKE_UNZEROED);
}

int vm_map_remote(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot)
{
	return vm_map_frames(vm, va, len, prot, VM_TAKE_REMOTE);
}

void vm_set_fill(struct vm *vm, vm_fill_fn fn, void *ctx)
{
	vm->fill = fn;
	vm->fill_ctx = ctx;
	if (!vm->remote)
		vm_fill_detach(vm);
}

int vm_fill_range(struct vm *vm, uint32_t va, uint32_t len)
{
	uint32_t end = va + len;

	if (!vm->remote || !len || end < va)
		return 0;
	for (uint32_t p = va & ~CORE_PAGE_MASK; p < end && p >= (va & ~CORE_PAGE_MASK);
	     p += CORE_PAGE_SIZE)
		if (vm_fill(vm, p) == -EIO)
			return -EIO;
	return 0;
}

uint32_t vm_remote_pages(const struct vm *vm)
{
	return vm->remote;
}

int vm_fill(struct vm *vm, uint32_t va)
{
	uint32_t *pte = vm_leaf(vm, va & ~CORE_PAGE_MASK, 0);
	uint8_t *frame;
	int rc;

	if (!pte || !pte_owned(*pte))
		return -EFAULT;
	if (*pte & PTE_V)
		return 0;
	frame = physmem_ptr(vm->pm, pte_pa(*pte), CORE_PAGE_SIZE);
	rc = vm->fill && frame ? vm->fill(vm->fill_ctx, va & ~CORE_PAGE_MASK, frame) : -EIO;
	if (rc < 0)
		return -EIO;
	/* The frame held no code since it was taken: nothing decoded is
	 * stale, and an invalid PTE was never in the TLB. */
	*pte = (*pte & ~PTE_REMOTE) | PTE_V;
	if (--vm->remote == 0)
		vm_fill_detach(vm);
	return 1;
}

/* The present page at page-aligned va, which the caller writes through
 * (no longer fresh), or NULL; note: decoded code in it is dropped. */
static uint8_t *vm_page_for_write(struct vm *vm, uint32_t va, int note)
{
	uint32_t *pte = vm_leaf(vm, va, 0);

	if (!pte || !(*pte & PTE_V))
		return NULL;
	pte_touch(pte);
	if (note)
		physmem_note_write(vm->pm, pte_pa(*pte), CORE_PAGE_SIZE);
	return physmem_ptr(vm->pm, pte_pa(*pte), CORE_PAGE_SIZE);
}

uint8_t *vm_page_ptr(struct vm *vm, uint32_t va)
{
	return vm_page_for_write(vm, va & ~CORE_PAGE_MASK, 0);
}

uint8_t *vm_page_rewrite(struct vm *vm, uint32_t va)
{
	return (va & CORE_PAGE_MASK) ? NULL : vm_page_for_write(vm, va, 1);
}

int vm_unmap(struct vm *vm, uint32_t va, uint32_t len)
{
	int code = 0;

	if (!range_ok(va, len))
		return -EINVAL;
	for (uint32_t off = 0; off < len; off += CORE_PAGE_SIZE) {
		uint32_t *pte = vm_leaf(vm, va + off, 0);
		if (!pte || !pte_owned(*pte))
			continue;
		code |= (*pte & PTE_X) != 0;
		if ((*pte & PTE_REMOTE) && vm->fill)
			vm->fill(vm->fill_ctx, va + off, NULL); /* its frame goes: forget it */
		frames_release_user(vm->fa, pte_pa(*pte));
		if (*pte & PTE_REMOTE && --vm->remote == 0)
			vm_fill_detach(vm);
		*pte = 0;
		vm->pages--;
	}
	/* Decoded code survives unless executable pages went away (stacks
	 * and heap come and go often: threads, brk). */
	if (code)
		mmu_flush_all(vm->mmu);
	else
		mmu_flush_tlb(vm->mmu);
	return 0;
}

/* Sets (keep: adds) prot on the mapped pages of [va, va+len). */
static int vm_prot(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot, uint32_t keep)
{
	int changed = 0;

	if (!range_ok(va, len) || (prot & ~(VM_R | VM_W | VM_X)))
		return -EINVAL;
	for (uint32_t off = 0; off < len; off += CORE_PAGE_SIZE) {
		uint32_t *pte = vm_leaf(vm, va + off, 0);
		uint32_t now;
		if (!pte || !pte_owned(*pte))
			continue;
		now = (*pte & (keep | ~(uint32_t)(VM_R | VM_W | VM_X))) | prot;
		changed |= now != *pte;
		*pte = now;
	}
	if (changed) /* the same permissions: nothing cached is stale */
		mmu_flush_all(vm->mmu);
	return 0;
}

int vm_add_prot(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot)
{
	return vm_prot(vm, va, len, prot, VM_R | VM_W | VM_X);
}

int vm_set_prot(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot)
{
	return vm_prot(vm, va, len, prot, 0);
}

int vm_write(struct vm *vm, uint32_t va, const void *src, uint32_t len)
{
	const uint8_t *s = src;

	while (len) {
		uint32_t n = CORE_PAGE_SIZE - (va & CORE_PAGE_MASK);
		uint32_t *pte = vm_leaf(vm, va, 0);
		if (n > len)
			n = len;
		if (pte && (*pte & PTE_REMOTE) && vm_fill(vm, va) < 0)
			return -EFAULT;
		if (!pte || !(*pte & PTE_V))
			return -EFAULT;
		if (*pte & PTE_X) /* its code is no longer its program's */
			mmu_leave_program(vm->mmu);
		pte_touch(pte);
		if (physmem_write(vm->pm, pte_pa(*pte) + (va & CORE_PAGE_MASK), s, n))
			return -EFAULT;
		va += n;
		s += n;
		len -= n;
	}
	return 0;
}

/* Copies len bytes between user memory at va and buf, page by page. */
static int vm_copy(struct vm *vm, uint32_t va, void *buf, uint32_t len, enum mmu_access acc)
{
	uint8_t *b = buf;

	while (len) {
		uint32_t n = CORE_PAGE_SIZE - (va & CORE_PAGE_MASK), pa;
		if (n > len)
			n = len;
		if (mmu_translate(vm->mmu, va, acc, &pa) &&
		    (vm_fill(vm, va) < 0 || mmu_translate(vm->mmu, va, acc, &pa)))
			return -EFAULT;
		if (acc == MMU_WRITE ? physmem_write(vm->pm, pa, b, n)
		                     : physmem_read(vm->pm, pa, b, n))
			return -EFAULT;
		va += n;
		b += n;
		len -= n;
	}
	return 0;
}

int vm_copy_in(struct vm *vm, void *dst, uint32_t va, uint32_t len)
{
	return vm_copy(vm, va, dst, len, MMU_READ);
}

int vm_copy_out(struct vm *vm, uint32_t va, const void *src, uint32_t len)
{
	return vm_copy(vm, va, (void *)src, len, MMU_WRITE);
}
