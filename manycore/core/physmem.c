/*
 * physmem.c - a cluster's physical memory and its code-frame tracking.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/physmem_priv.h"

struct physmem *physmem_new(uint32_t size)
{
	struct physmem *pm;

	if (size == 0 || size % CORE_PAGE_SIZE || size > 0x80000000u) {
		errno = EINVAL;
		return NULL;
	}
	pm = calloc(1, sizeof(*pm));
	if (!pm)
		return NULL;
	pm->size = size;
	pm->nframes = size >> CORE_PAGE_SHIFT;
	/* Mapped, not allocated: the host backs only the frames a guest
	 * touches, so a board of many large clusters costs what it uses. */
	pm->bytes = mmap(NULL, size, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pm->bytes == MAP_FAILED)
		pm->bytes = NULL;
	pm->code = calloc(pm->nframes, 1);
	if (!pm->bytes || !pm->code) {
		physmem_free(pm);
		errno = ENOMEM;
		return NULL;
	}
	return pm;
}

void physmem_free(struct physmem *pm)
{
	if (!pm)
		return;
	if (pm->bytes)
		munmap(pm->bytes, pm->size);
	free(pm->code);
	free(pm);
}

uint32_t physmem_size(const struct physmem *pm)
{
	return pm->size;
}

uint8_t *physmem_ptr(struct physmem *pm, uint32_t pa, uint32_t len)
{
	if (pa > pm->size || len > pm->size - pa)
		return NULL;
	return pm->bytes + pa;
}

void physmem_note_write(struct physmem *pm, uint32_t pa, uint32_t len)
{
	uint32_t f, last;

	if (len == 0 || pa >= pm->size)
		return;
	if (len > pm->size - pa)
		len = pm->size - pa;
	last = (pa + len - 1) >> CORE_PAGE_SHIFT;
	for (f = pa >> CORE_PAGE_SHIFT; f <= last; f++) {
		if (pm->code[f]) {
			pm->code[f] = 0;
			pm->wlog[pm->code_gen % PHYSMEM_WLOG] = f;
			pm->code_gen++;
		}
	}
}

int physmem_write(struct physmem *pm, uint32_t pa, const void *src, uint32_t len)
{
	uint8_t *p = physmem_ptr(pm, pa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, src, len);
	physmem_note_write(pm, pa, len);
	return 0;
}

int physmem_read(struct physmem *pm, uint32_t pa, void *dst, uint32_t len)
{
	const uint8_t *p = physmem_ptr(pm, pa, len);

	if (!p)
		return -EFAULT;
	memcpy(dst, p, len);
	return 0;
}
