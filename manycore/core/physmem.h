/*
 * physmem.h - a cluster's physical memory: a flat array of page frames.
 *
 * The kernel owns it (frames, page tables and user pages all live here);
 * harts reach it only through an address space's page tables. Physical
 * address 0 is the first byte. It also tracks which frames hold decoded
 * code, so that a write to one invalidates the decoded blocks (self-
 * modifying code and code loaded by the kernel stay coherent).
 */
#ifndef PHYSMEM_H
#define PHYSMEM_H

#include <stddef.h>
#include <stdint.h>

struct physmem;

/* Allocates size bytes of zeroed memory (a multiple of the page size,
 * at most 2 GiB). Returns NULL with errno set on failure. */
struct physmem *physmem_new(uint32_t size);

/* Frees pm; no address space may still use it. NULL is ignored. */
void physmem_free(struct physmem *pm);

/* Size in bytes. */
uint32_t physmem_size(const struct physmem *pm);

/* Host pointer to [pa, pa+len) or NULL if the range is outside memory.
 * Writing through it must be followed by physmem_note_write. */
uint8_t *physmem_ptr(struct physmem *pm, uint32_t pa, uint32_t len);

/* Declares that [pa, pa+len) was written by the kernel: decoded code from
 * those frames becomes stale. Cheap when they hold no code. */
void physmem_note_write(struct physmem *pm, uint32_t pa, uint32_t len);

/* Copies len bytes to pa; returns 0 or -EFAULT if out of range. */
int physmem_write(struct physmem *pm, uint32_t pa, const void *src, uint32_t len);

/* Copies len bytes from pa; returns 0 or -EFAULT if out of range. */
int physmem_read(struct physmem *pm, uint32_t pa, void *dst, uint32_t len);

#endif /* PHYSMEM_H */
