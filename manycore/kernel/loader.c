/*
 * loader.c - static ELF32 RISC-V executables: validation and loading.
 *
 * Everything in the file is untrusted: every offset and size is checked
 * against the file and the user range before it is used.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "diag/crerr.h"
#include "kernel/loader.h"
#include "kernel/vm.h"
#include "params/core_params.h"
#include "params/kparams.h"

#define ELF_MAX_PHNUM 64
/* e_flags: the float ABI bits and RVE; we run soft-float rv32imac only. */
#ifndef EF_RISCV_FLOAT_ABI
#define EF_RISCV_FLOAT_ABI 0x0006u
#endif
#ifndef EF_RISCV_RVE
#define EF_RISCV_RVE 0x0008u
#endif

static void read_phdr(const uint8_t *img, const Elf32_Ehdr *eh, unsigned i, Elf32_Phdr *ph)
{
	memcpy(ph, img + eh->e_phoff + (size_t)i * sizeof(*ph), sizeof(*ph));
}

int loader_check_elf(const uint8_t *img, size_t len, struct elf_info *info, struct crerr *e)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph, other;
	int entry_ok = 0;

	memset(info, 0, sizeof(*info));
	if (len < sizeof(eh))
		return crerr_fail(e, -ENOEXEC, "truncated ELF header (%zu of %zu bytes)", len,
		                  sizeof(eh));
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return crerr_fail(e, -ENOEXEC, "not an ELF file (bad magic)");
	if (eh.e_ident[EI_CLASS] != ELFCLASS32)
		return crerr_fail(e, -ENOEXEC,
		                  "ELF class %u is not ELFCLASS32: an rv32 program is needed",
		                  eh.e_ident[EI_CLASS]);
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return crerr_fail(e, -ENOEXEC, "ELF is not little-endian");
	if (eh.e_machine != EM_RISCV)
		return crerr_fail(e, -ENOEXEC, "ELF machine %u is not RISC-V (%u)", eh.e_machine,
		                  EM_RISCV);
	if (eh.e_type != ET_EXEC)
		return crerr_fail(e, -ENOEXEC,
		                  "ELF type %u is not a static executable (ET_EXEC); "
		                  "link with -static and no -pie",
		                  eh.e_type);
	if (eh.e_version != EV_CURRENT)
		return crerr_fail(e, -ENOEXEC, "ELF version %u unknown", eh.e_version);
	if (eh.e_flags & (EF_RISCV_FLOAT_ABI | EF_RISCV_RVE))
		return crerr_fail(e, -ENOEXEC,
		                  "ELF flags 0x%x: hard-float or RVE ABI, the core runs "
		                  "rv32imac/ilp32 only",
		                  eh.e_flags);
	if (eh.e_phentsize != sizeof(Elf32_Phdr))
		return crerr_fail(e, -ENOEXEC, "program header size %u, expected %zu",
		                  eh.e_phentsize, sizeof(Elf32_Phdr));
	if (eh.e_phnum == 0 || eh.e_phnum > ELF_MAX_PHNUM)
		return crerr_fail(e, -ENOEXEC, "%u program headers (1 to %u allowed)", eh.e_phnum,
		                  ELF_MAX_PHNUM);
	if ((uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf32_Phdr) > len)
		return crerr_fail(e, -ENOEXEC,
		                  "program headers at offset %u run past the end of "
		                  "the file (%zu bytes): truncated?",
		                  eh.e_phoff, len);

	for (unsigned i = 0; i < eh.e_phnum; i++) {
		uint64_t end;
		read_phdr(img, &eh, i, &ph);
		if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC)
			return crerr_fail(e, -ENOEXEC,
			                  "segment %u: dynamically linked programs are not "
			                  "supported; link with -static",
			                  i);
		if (ph.p_type == PT_PHDR)
			info->phdr_va = ph.p_vaddr;
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		end = (uint64_t)ph.p_vaddr + ph.p_memsz;
		if (ph.p_filesz > ph.p_memsz)
			return crerr_fail(e, -ENOEXEC,
			                  "segment %u: file size %u exceeds memory size %u", i,
			                  ph.p_filesz, ph.p_memsz);
		if ((uint64_t)ph.p_offset + ph.p_filesz > len)
			return crerr_fail(e, -ENOEXEC,
			                  "segment %u: bytes %u-%llu lie past the end of the "
			                  "file (%zu bytes): truncated?",
			                  i, ph.p_offset,
			                  (unsigned long long)ph.p_offset + ph.p_filesz, len);
		if (ph.p_vaddr < USER_BASE || end > USER_END)
			return crerr_fail(e, -ENOEXEC,
			                  "segment %u: 0x%08x-0x%08llx is outside the user "
			                  "range 0x%08x-0x%08x",
			                  i, ph.p_vaddr, (unsigned long long)end, USER_BASE,
			                  USER_END);
		for (unsigned j = 0; j < i; j++) {
			read_phdr(img, &eh, j, &other);
			if (other.p_type != PT_LOAD || other.p_memsz == 0)
				continue;
			if (ph.p_vaddr < (uint64_t)other.p_vaddr + other.p_memsz &&
			    other.p_vaddr < end)
				return crerr_fail(
					e, -ENOEXEC, "segments %u and %u overlap at 0x%08x", j, i,
					ph.p_vaddr > other.p_vaddr ? ph.p_vaddr : other.p_vaddr);
		}
		if ((ph.p_flags & PF_X) && eh.e_entry >= ph.p_vaddr && eh.e_entry < end)
			entry_ok = 1;
		if (!info->phdr_va && eh.e_phoff >= ph.p_offset &&
		    (uint64_t)eh.e_phoff + eh.e_phnum * sizeof(Elf32_Phdr) <=
		            (uint64_t)ph.p_offset + ph.p_filesz)
			info->phdr_va = ph.p_vaddr + (eh.e_phoff - ph.p_offset);
		end = (end + CORE_PAGE_MASK) & ~(uint64_t)CORE_PAGE_MASK;
		if (info->nsegs == ELF_MAX_LOAD)
			return crerr_fail(e, -ENOEXEC, "more than %u loadable segments",
			                  ELF_MAX_LOAD);
		info->seg[info->nsegs].start = ph.p_vaddr & ~CORE_PAGE_MASK;
		info->seg[info->nsegs].len = (uint32_t)(end - (ph.p_vaddr & ~CORE_PAGE_MASK));
		info->seg[info->nsegs].prot =
			VM_R | (ph.p_flags & PF_W ? VM_W : 0) | (ph.p_flags & PF_X ? VM_X : 0);
		info->nsegs++;
		if (end > info->end)
			info->end = (uint32_t)end;
		info->pages +=
			(uint32_t)((end - (ph.p_vaddr & ~CORE_PAGE_MASK)) >> CORE_PAGE_SHIFT);
	}
	if (!info->end)
		return crerr_fail(e, -ENOEXEC, "no loadable segment");
	if (!entry_ok)
		return crerr_fail(e, -ENOEXEC, "entry point 0x%08x is not in an executable segment",
		                  eh.e_entry);
	info->entry = eh.e_entry;
	info->phnum = eh.e_phnum;
	info->phent = eh.e_phentsize;
	return 0;
}

int loader_load_elf(const uint8_t *img, size_t len, struct vm *vm, struct elf_info *info,
                    struct crerr *e)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	int rc = loader_check_elf(img, len, info, e);

	if (rc)
		return rc;
	memcpy(&eh, img, sizeof(eh));
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		uint32_t prot, va;
		read_phdr(img, &eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		prot = VM_R | (ph.p_flags & PF_W ? VM_W : 0) | (ph.p_flags & PF_X ? VM_X : 0);
		/* Segments may share a page; it gets both permissions. */
		for (va = ph.p_vaddr & ~CORE_PAGE_MASK; va < ph.p_vaddr + ph.p_memsz;
		     va += CORE_PAGE_SIZE) {
			rc = vm_map(vm, va, CORE_PAGE_SIZE, prot);
			if (rc == -EEXIST)
				rc = vm_add_prot(vm, va, CORE_PAGE_SIZE, prot);
			if (rc) {
				return crerr_fail(e, rc, "segment %u: no memory for page 0x%08x", i,
				                  va);
			}
			if (va + CORE_PAGE_SIZE < va)
				break;
		}
		if (ph.p_filesz && vm_write(vm, ph.p_vaddr, img + ph.p_offset, ph.p_filesz)) {
			return crerr_fail(e, -EFAULT, "segment %u: cannot write 0x%08x", i,
			                  ph.p_vaddr);
		}
	}
	return 0;
}
