/*
 * proc.c - spawning a process from an ELF image and running it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core_params.h"
#include "kparams.h"
#include "nanvix/abi.h"
#include "proc.h"
#include "vm.h"

/* Builds the Linux-style initial stack below USER_END; sets *sp. */
static int proc_setup_stack(struct proc *p, char *const argv[], char *const envp[],
			    uint32_t *sp, char *err, size_t errlen)
{
	uint32_t argc = 0, envc = 0, strbytes = 0, words, nwords, top = USER_END;
	uint32_t *w, base, str, i, k = 0;
	uint8_t *buf;
	int rc;

	for (; argv && argv[argc]; argc++)
		strbytes += (uint32_t)strlen(argv[argc]) + 1;
	for (; envp && envp[envc]; envc++)
		strbytes += (uint32_t)strlen(envp[envc]) + 1;
	words = 1 + argc + 1 + envc + 1 + 2 * 7;
	if (strbytes + 16 + words * 4 + 16 > KARGS_MAX) {
		snprintf(err, errlen, "arguments and environment take more than %u bytes", KARGS_MAX);
		return -E2BIG;
	}
	/* Layout, from the top: strings, 16 AT_RANDOM bytes, then the
	 * 16-byte-aligned vector argc/argv/envp/auxv at sp. */
	str = top - strbytes;
	base = ((str - 16 - words * 4) & ~15u);
	nwords = (top - base) / 4;
	buf = calloc(nwords, 4);
	if (!buf) {
		snprintf(err, errlen, "out of host memory");
		return -ENOMEM;
	}
	w = (uint32_t *)buf;
	w[k++] = argc;
	for (i = 0; i < argc + envc; i++) {
		const char *s = i < argc ? argv[i] : envp[i - argc];
		uint32_t n = (uint32_t)strlen(s) + 1;
		if (i == argc)
			w[k++] = 0; /* end of argv */
		memcpy(buf + (str - base), s, n);
		w[k++] = str;
		str += n;
	}
	if (envc == 0)
		w[k++] = 0; /* end of argv */
	w[k++] = 0; /* end of envp */
	/* AT_RANDOM: fixed bytes, since runs must be deterministic. */
	memcpy(buf + (top - strbytes - 16 - base), "crtool-nanvix-rv", 16);
	w[k++] = ABI_AT_PAGESZ; w[k++] = CORE_PAGE_SIZE;
	w[k++] = ABI_AT_ENTRY; w[k++] = p->elf.entry;
	w[k++] = ABI_AT_PHDR; w[k++] = p->elf.phdr_va;
	w[k++] = ABI_AT_PHENT; w[k++] = p->elf.phent;
	w[k++] = ABI_AT_PHNUM; w[k++] = p->elf.phnum;
	w[k++] = ABI_AT_RANDOM; w[k++] = top - strbytes - 16;
	w[k++] = ABI_AT_NULL; w[k++] = 0;
	rc = vm_write(p->vm, base, buf, nwords * 4);
	free(buf);
	if (rc) {
		snprintf(err, errlen, "cannot write the initial stack");
		return rc;
	}
	*sp = base;
	return 0;
}

int proc_spawn(struct frames *fa, const uint8_t *img, size_t len, char *const argv[],
	       char *const envp[], const struct proc_opts *opts, struct proc **out, char *err,
	       size_t errlen)
{
	struct proc *p = calloc(1, sizeof(*p));
	uint32_t stack = opts && opts->stack_size ? opts->stack_size : KSTACK_DEFAULT;
	uint32_t sp;
	struct timespec now;
	int rc;

	*out = NULL;
	if (!p || !(p->vm = vm_new(fa))) {
		snprintf(err, errlen, "no memory for a new address space");
		free(p);
		return -ENOMEM;
	}
	if (stack % CORE_PAGE_SIZE || stack < KARGS_MAX + CORE_PAGE_SIZE ||
	    stack > (USER_END - USER_BASE) / 2) {
		snprintf(err, errlen, "stack size %u: must be a page multiple from %u to %u", stack,
			 KARGS_MAX + CORE_PAGE_SIZE, (USER_END - USER_BASE) / 2);
		rc = -EINVAL;
		goto fail;
	}
	rc = loader_load_elf(img, len, p->vm, &p->elf, err, errlen);
	if (rc)
		goto fail;
	p->stack_bottom = USER_END - stack;
	if (p->elf.end > p->stack_bottom - KSTACK_GUARD) {
		snprintf(err, errlen, "program ends at 0x%08x, inside the stack", p->elf.end);
		rc = -ENOEXEC;
		goto fail;
	}
	rc = vm_map(p->vm, p->stack_bottom, stack, VM_R | VM_W);
	if (rc) {
		snprintf(err, errlen, "no memory for a %u-byte stack", stack);
		goto fail;
	}
	rc = proc_setup_stack(p, argv, envp, &sp, err, errlen);
	if (rc)
		goto fail;
	hart_init(&p->hart, p->elf.entry, sp);
	p->heap_start = p->brk = p->elf.end;
	p->brk_limit = p->stack_bottom - KSTACK_GUARD;
	p->fd_in = opts ? opts->fd_in : 0;
	p->fd_out = opts ? opts->fd_out : 1;
	p->fd_err = opts ? opts->fd_err : 2;
	clock_gettime(CLOCK_REALTIME, &now);
	p->boot_realtime_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	*out = p;
	return 0;
fail:
	proc_free(p);
	return rc;
}

void proc_free(struct proc *p)
{
	if (!p)
		return;
	vm_free(p->vm);
	free(p);
}

enum proc_state proc_run(struct proc *p, uint32_t quantum, uint64_t max_instructions)
{
	struct mmu *m = vm_mmu(p->vm);

	if (quantum == 0)
		quantum = KQUANTUM_DEFAULT;
	while (p->state == PROC_RUNNING) {
		uint64_t budget = quantum;
		struct hart_trap t;

		if (max_instructions) {
			if (p->hart.instret >= max_instructions) {
				p->state = PROC_LIMIT;
				break;
			}
			if (max_instructions - p->hart.instret < budget)
				budget = max_instructions - p->hart.instret;
		}
		if (hart_run(&p->hart, m, budget, &t, NULL) == HART_STOP_BUDGET)
			continue;
		if (t.cause == HART_CAUSE_ECALL) {
			syscall_dispatch(p);
			continue;
		}
		p->trap = t;
		p->state = PROC_FAULTED;
	}
	return p->state;
}
