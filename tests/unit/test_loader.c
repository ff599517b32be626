/*
 * test_loader.c - ELF loading: a real guest loads with its permissions;
 * every kind of malformed file is rejected with a clear message and
 * without a crash.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/physmem.h"
#include "diag/crerr.h"
#include "harness.h"
#include "kernel/frames.h"
#include "kernel/loader.h"
#include "kernel/vm.h"

static struct physmem *pm;
static struct frames *fa;
static struct vm *vm;

static void setup(void)
{
	pm = physmem_new(4u * 1024 * 1024);
	fa = frames_new(pm);
	vm = vm_new(fa);
	cr_assert(vm);
}

static void teardown(void)
{
	vm_free(vm);
	frames_free(fa);
	physmem_free(pm);
}

TestSuite(loader, .init = setup, .fini = teardown);

/* A minimal valid image: header, two PT_LOADs (text rx, data rw) and a
 * few bytes of code. */
struct image {
	Elf32_Ehdr eh;
	Elf32_Phdr ph[2];
	uint8_t code[16];
};

static void make_image(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS32;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_RISCV;
	im->eh.e_version = EV_CURRENT;
	im->eh.e_entry = 0x80000000 + offsetof(struct image, code);
	im->eh.e_phoff = offsetof(struct image, ph);
	im->eh.e_ehsize = sizeof(Elf32_Ehdr);
	im->eh.e_phentsize = sizeof(Elf32_Phdr);
	im->eh.e_phnum = 2;
	im->ph[0] = (Elf32_Phdr){ .p_type = PT_LOAD,
		                  .p_offset = 0,
		                  .p_vaddr = 0x80000000,
		                  .p_filesz = sizeof(*im),
		                  .p_memsz = sizeof(*im),
		                  .p_flags = PF_R | PF_X,
		                  .p_align = 4096 };
	im->ph[1] = (Elf32_Phdr){ .p_type = PT_LOAD,
		                  .p_offset = 0,
		                  .p_vaddr = 0x80001000,
		                  .p_filesz = 4,
		                  .p_memsz = 0x2000,
		                  .p_flags = PF_R | PF_W,
		                  .p_align = 4096 };
	im->code[0] = 0x73; /* ecall */
}

static int load(const void *img, size_t len, struct crerr *e)
{
	struct elf_info info;

	return loader_load_elf(img, len, vm, &info, e);
}

static void expect_reject(const struct image *im, size_t len, const char *needle)
{
	struct crerr e = CRERR_INIT;
	int rc = load(im, len, &e);

	cr_expect_eq(rc, -ENOEXEC, "expected rejection containing '%s', got %d", needle, rc);
	cr_expect(strstr(e.msg, needle), "message '%s' lacks '%s'", e.msg, needle);
}

Test(loader, minimal_image_loads_with_permissions_and_bss)
{
	struct image im;
	struct elf_info info;
	struct crerr e = CRERR_INIT;
	uint32_t *pte;

	make_image(&im);
	cr_assert_eq(loader_load_elf((uint8_t *)&im, sizeof(im), vm, &info, &e), 0, "%s", e.msg);
	cr_expect_eq(info.entry, im.eh.e_entry);
	cr_expect_eq(info.end, 0x80003000u);
	cr_expect_eq(info.phdr_va, 0x80000000u + im.eh.e_phoff);
	pte = vm_pte(vm, 0x80000000);
	cr_expect((*pte & (PTE_R | PTE_W | PTE_X)) == (PTE_R | PTE_X));
	pte = vm_pte(vm, 0x80002000);
	cr_expect((*pte & (PTE_R | PTE_W | PTE_X)) == (PTE_R | PTE_W), "bss page rw");
	cr_expect_eq(vm_pages(vm), 3u);
}

Test(loader, header_rejections)
{
	struct image im;

	make_image(&im);
	expect_reject(&im, 10, "truncated ELF header");
	make_image(&im);
	im.eh.e_ident[1] = 'X';
	expect_reject(&im, sizeof(im), "not an ELF file");
	make_image(&im);
	im.eh.e_ident[EI_CLASS] = ELFCLASS64;
	expect_reject(&im, sizeof(im), "not ELFCLASS32");
	make_image(&im);
	im.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	expect_reject(&im, sizeof(im), "little-endian");
	make_image(&im);
	im.eh.e_machine = EM_X86_64;
	expect_reject(&im, sizeof(im), "is not RISC-V");
	make_image(&im);
	im.eh.e_type = ET_DYN;
	expect_reject(&im, sizeof(im), "not a static executable");
	make_image(&im);
	im.eh.e_flags = 0x4; /* double-float ABI */
	expect_reject(&im, sizeof(im), "hard-float");
	make_image(&im);
	im.eh.e_phentsize = 56;
	expect_reject(&im, sizeof(im), "program header size");
	make_image(&im);
	im.eh.e_phnum = 0;
	expect_reject(&im, sizeof(im), "program headers");
	make_image(&im);
	im.eh.e_phoff = sizeof(im) - 8;
	expect_reject(&im, sizeof(im), "past the end of the file");
}

Test(loader, segment_rejections)
{
	struct image im;

	make_image(&im);
	im.ph[1].p_filesz = 0x3000;
	expect_reject(&im, sizeof(im), "exceeds memory size");
	make_image(&im);
	im.ph[1].p_offset = 40;
	im.ph[1].p_filesz = 1000;
	expect_reject(&im, sizeof(im), "past the end of the file");
	make_image(&im);
	im.ph[1].p_vaddr = 0x1000;
	expect_reject(&im, sizeof(im), "outside the user range");
	make_image(&im);
	im.ph[1].p_vaddr = 0xEFFFF000;
	expect_reject(&im, sizeof(im), "outside the user range");
	make_image(&im);
	im.ph[1].p_vaddr = 0xFFFFF000; /* wraps around 2^32 */
	expect_reject(&im, sizeof(im), "outside the user range");
	make_image(&im);
	im.ph[1].p_vaddr = 0x80000010;
	expect_reject(&im, sizeof(im), "overlap");
	make_image(&im);
	im.eh.e_entry = 0x80001000;
	expect_reject(&im, sizeof(im), "not in an executable segment");
	make_image(&im);
	im.ph[1].p_type = PT_INTERP;
	expect_reject(&im, sizeof(im), "dynamically linked");
	make_image(&im);
	im.ph[0].p_type = PT_NOTE;
	im.ph[1].p_type = PT_NOTE;
	expect_reject(&im, sizeof(im), "no loadable segment");
}

Test(loader, no_memory_is_enomem)
{
	struct image im;
	struct crerr e = CRERR_INIT;

	make_image(&im);
	im.ph[1].p_memsz = 8u * 1024 * 1024; /* twice the test memory */
	cr_expect_eq(load(&im, sizeof(im), &e), -ENOMEM);
	cr_expect(strstr(e.msg, "no memory"), "%s", e.msg);
}

Test(loader, every_truncation_of_a_real_guest_is_handled)
{
	struct crerr e = CRERR_INIT;
	size_t len;
	uint8_t *img = th_read_guest("apps/hello.elf", &len);
	struct elf_info info;

	cr_expect_eq(loader_check_elf(img, len, &info, &e), 0, "%s", e.msg);
	cr_expect_eq(info.entry, 0x80000000u, "crt0's _start is first");
	/* Every prefix that cuts into a loadable segment is rejected. */
	for (size_t cut = 0; cut < len; cut += cut < 256 ? 1 : 97) {
		int rc = loader_check_elf(img, cut, &info, &e);
		if (rc == 0)
			continue; /* the cut only dropped symbols or debug info */
		cr_expect_eq(rc, -ENOEXEC, "cut at %zu", cut);
		cr_expect(strlen(e.msg) > 0);
	}
	free(img);
}
