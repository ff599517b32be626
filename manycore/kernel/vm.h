/*
 * vm.h - a process's address space: Sv32 page tables built from the
 * cluster's frames, and the MMU that walks them.
 *
 * Pages are mapped eagerly, zeroed, with user permissions VM_R/W/X. The
 * kernel reads and writes user memory through vm_copy_in/out, which check
 * the user's permissions and set A/D as the hart would, or through
 * vm_write (loading only), which ignores permissions and leaves D clear.
 *
 * A page may also be remote (post-copy migration): its frame is taken,
 * but its bytes are still on another node. It stays invalid to the hart
 * until vm_fill brings it in, which the kernel does on the hart's page
 * fault and on its own accesses (vm_copy_*, vm_write); vm_next_page
 * tells it remote and leaves it so.
 */
#ifndef VM_H
#define VM_H

#include <stdint.h>

#include "core/mmu.h"

#define VM_R PTE_R
#define VM_W PTE_W
#define VM_X PTE_X

struct frames;
struct vm;

/* A new, empty address space. NULL if no frame or memory is left. */
struct vm *vm_new(struct frames *fa);

/* Releases every page and table of vm back to its frames. NULL ignored. */
void vm_free(struct vm *vm);

/* The MMU to run harts of this address space in. */
struct mmu *vm_mmu(struct vm *vm);

/* Maps [va, va+len) (page-aligned, inside the user range) to fresh zeroed
 * frames with permissions prot. All or nothing. Returns 0, -EINVAL (range),
 * -EEXIST (a page already mapped) or -ENOMEM (no frames). */
int vm_map(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot);

/* As vm_map, but the frames are not zeroed: for a caller that writes
 * every byte of them before the address space runs (a restore). */
int vm_map_unzeroed(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot);

/* Brings the bytes of a remote page into frame (host memory of its
 * page-sized frame): 0, or -errno if they are lost. frame NULL: the page
 * is unmapped before it came, its frame freed (nothing may land there).
 * Called with VM_FILL_DONE (frame NULL) once, when no remote page is
 * left or the address space goes; never again after that. */
#define VM_FILL_DONE 0xffffffffu
typedef int (*vm_fill_fn)(void *ctx, uint32_t va, uint8_t *frame);

/* As vm_map_unzeroed, but the pages are remote: their frames are taken
 * now, their bytes come through the filler (vm_set_fill). */
int vm_map_remote(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot);

/* Sets the filler of remote pages (called at once with VM_FILL_DONE if
 * there is none). */
void vm_set_fill(struct vm *vm, vm_fill_fn fn, void *ctx);

/* Makes the page at va present: a remote one through the filler. 1 (it
 * was remote and is present now), 0 (it was present), -EFAULT (not mapped at all) or -EIO (its
 * bytes are lost: it stays remote). */
int vm_fill(struct vm *vm, uint32_t va);

/* vm_fill of every page of [va, va + len) that is remote: for the kernel
 * to call before it copies user memory under a lock the filler needs
 * (the NoC's, for portal data). 0, or -EIO if one is lost. */
int vm_fill_range(struct vm *vm, uint32_t va, uint32_t len);

/* Remote pages left. */
uint32_t vm_remote_pages(const struct vm *vm);

/* Host address of the page-sized frame that maps va, or NULL. Writes
 * through it must be noted (physmem_note_write) unless the frame is fresh. */
uint8_t *vm_page_ptr(struct vm *vm, uint32_t va);

/* As vm_page_ptr, for the kernel to rewrite the whole page: decoded code
 * from its frame is dropped first. */
uint8_t *vm_page_rewrite(struct vm *vm, uint32_t va);

/* Unmaps [va, va+len) (page-aligned) and frees its frames; pages not
 * mapped are skipped. Returns 0 or -EINVAL. */
int vm_unmap(struct vm *vm, uint32_t va, uint32_t len);

/* Adds permissions to the mapped pages of [va, va+len). 0 or -EINVAL. */
int vm_add_prot(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot);
/* Sets the permissions of the mapped pages of [va, va+len) to prot. 0 or -EINVAL. */
int vm_set_prot(struct vm *vm, uint32_t va, uint32_t len, uint32_t prot);

/* Kernel write into mapped pages, whatever their permissions (loading).
 * Returns 0 or -EFAULT if a page is not mapped. */
int vm_write(struct vm *vm, uint32_t va, const void *src, uint32_t len);

/* Copies between user memory and the kernel, as the user could access it.
 * Returns 0 or -EFAULT. */
int vm_copy_in(struct vm *vm, void *dst, uint32_t va, uint32_t len);
int vm_copy_out(struct vm *vm, uint32_t va, const void *src, uint32_t len);

/* The level-0 PTE that maps va, or NULL if its table does not exist.
 * Writing it must be followed by an mmu flush (see mmu.h). */
uint32_t *vm_pte(struct vm *vm, uint32_t va);

/* Physical address of the root page table. */
uint32_t vm_root(const struct vm *vm);

/* A mapped page, as vm_next_page tells it. */
struct vm_page {
	uint32_t va;
	uint8_t *bytes;   /* host memory of its frame; NULL while remote */
	uint8_t *landing; /* remote: the frame its bytes are to land in; else NULL */
	int remote;       /* its bytes are still to come (vm_fill) */
	int dirty;        /* written since mapped (fresh pages count) or since vm_clean */
	int zero;         /* mapped zeroed (vm_map) and never written since */
};

/* The first mapped page (present or remote) at or above *va (page-
 * aligned) and below end, into *pg, without touching its A and D bits or
 * the TLB: 1 with *va moved past it, or 0 if there is none (*va = end).
 * Walks each page table once: a whole range costs a step a page. */
int vm_next_page(struct vm *vm, uint32_t *va, uint32_t end, struct vm_page *pg);

/* Clears the D bit of every user page and flushes the TLB (dirty
 * tracking for incremental checkpoints). */
void vm_clean(struct vm *vm);

/* User pages mapped now. */
uint32_t vm_pages(const struct vm *vm);

#endif /* VM_H */
