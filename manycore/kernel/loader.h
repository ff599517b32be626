/*
 * loader.h - loading static RV32 ELF executables into an address space.
 */
#ifndef LOADER_H
#define LOADER_H

#include <stddef.h>
#include <stdint.h>

struct crerr;

struct vm;

/* Loadable segments a program may have (each becomes a region). */
#define ELF_MAX_LOAD 8

/* A loadable segment, widened to whole pages. */
struct elf_seg {
	uint32_t start, len;
	uint32_t prot; /* VM_R, VM_W, VM_X */
};

/* What the loader learned, for the initial stack, regions and heap. */
struct elf_info {
	uint32_t entry;
	uint32_t end;     /* page-aligned end of the highest segment: heap start */
	uint32_t phdr_va; /* program headers in memory, or 0 if not loaded */
	uint32_t phnum;
	uint32_t phent;
	uint32_t pages; /* pages the segments occupy */
	uint32_t nsegs;
	struct elf_seg seg[ELF_MAX_LOAD];
};

/*
 * Checks img (len bytes) completely, then maps its PT_LOAD segments into vm
 * with their permissions, copies their file bytes and leaves bss zeroed.
 * Returns 0, -ENOEXEC for a file that is not a valid static ELF32 RISC-V
 * executable for the user range (e says what and where), or -ENOMEM.
 * On error vm may hold part of the image: the caller discards it.
 */
int loader_load_elf(const uint8_t *img, size_t len, struct vm *vm, struct elf_info *info,
                    struct crerr *e);

/* Checks img as loader_load_elf does, without loading; fills info. */
int loader_check_elf(const uint8_t *img, size_t len, struct elf_info *info, struct crerr *e);

#endif /* LOADER_H */
