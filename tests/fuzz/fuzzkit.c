/*
 * fuzzkit.c - the cluster the kernel-side fuzz targets share.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzkit.h"
#include "noc/noc.h"
#include "params/profile.h"

static struct cluster *fuzzkit_c;
static uint32_t fuzzkit_frames_free; /* at rest, before any input */

static long fuzzkit_write(void *ctx, uint32_t pid, int fd, const void *buf, size_t n)
{
	(void)ctx, (void)pid, (void)fd, (void)buf;
	return (long)n; /* a guest's output goes nowhere */
}

struct cluster *fuzzkit_cluster(void)
{
	static const struct cluster_hooks hooks = { fuzzkit_write, NULL, NULL, NULL, NULL };
	const struct profile *p;
	struct cluster_stats st;
	struct noc *noc;

	if (fuzzkit_c)
		return fuzzkit_c;
	p = profile_find(FUZZKIT_PROFILE);
	noc = p ? noc_new(p) : NULL;
	fuzzkit_c = noc ? cluster_new(p, profile_first_compute(p), 0, noc, &hooks, NULL) : NULL;
	if (!fuzzkit_c)
		abort();
	cluster_set_insn_limit(fuzzkit_c, FUZZKIT_INSNS);
	cluster_set_quantum(fuzzkit_c, 64);
	cluster_get_stats(fuzzkit_c, &st);
	fuzzkit_frames_free = st.frames_free;
	return fuzzkit_c;
}

void fuzzkit_settle(struct cluster *c)
{
	uint32_t pids[64];
	struct cluster_stats st;
	size_t n;

	for (unsigned r = 0; r < FUZZKIT_ROUNDS && cluster_round(c); r++)
		;
	n = cluster_list(c, pids, 64);
	for (size_t i = 0; i < n; i++) {
		cluster_kill(c, pids[i], KILL_REQUEST, 137); /* -ESRCH if it ended */
		if (cluster_reap(c, pids[i]))
			__builtin_trap();
	}
	cluster_get_stats(c, &st);
	if (cluster_processes(c) || st.frames_free != fuzzkit_frames_free || st.user_frames_used)
		__builtin_trap(); /* the input's process left something behind */
}

void fuzzkit_tiny_elf(uint8_t buf[FUZZKIT_ELF_LEN])
{
	Elf32_Ehdr eh = { 0 };
	Elf32_Phdr ph = { 0 };
	/* _start: ecall; j _start */
	static const uint32_t code[2] = { 0x00000073u, 0xffdff06fu };

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS32;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_RISCV;
	eh.e_version = EV_CURRENT;
	eh.e_entry = FUZZKIT_ENTRY;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	ph.p_type = PT_LOAD;
	ph.p_offset = sizeof(eh) + sizeof(ph);
	ph.p_vaddr = ph.p_paddr = FUZZKIT_ENTRY;
	ph.p_filesz = ph.p_memsz = sizeof(code);
	ph.p_flags = PF_R | PF_X;
	ph.p_align = 4096;
	_Static_assert(sizeof(eh) + sizeof(ph) + sizeof(code) == FUZZKIT_ELF_LEN, "tiny ELF size");
	memcpy(buf, &eh, sizeof(eh));
	memcpy(buf + sizeof(eh), &ph, sizeof(ph));
	memcpy(buf + sizeof(eh) + sizeof(ph), code, sizeof(code));
}
