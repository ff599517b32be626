/*
 * proc.c - processes of a cluster: spawning a program, the end of a
 * process (exit, kill, fault, a move), and of its last thread.
 *
 * All state goes into the process's UArea; the only other thing a
 * process holds is its vm (page tables and the MMU caches).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "diag/crerr.h"
#include "kernel/frames.h"
#include "kernel/kclock.h"
#include "kernel/kernel_priv.h"
#include "kernel/loader.h"
#include "kernel/names.h"
#include "kernel/proc.h"
#include "kernel/proctab.h"
#include "kernel/thread.h"
#include "kernel/vm.h"
#include "nanvix/abi.h"
#include "params/core_params.h"
#include "params/kparams.h"
#include "params/profile.h"

_Static_assert(USER_BASE == NV_USER_BASE && USER_END == NV_USER_END,
               "guests see the user range the kernel maps");

/* Builds the Linux-style initial stack of the main thread (argc, argv,
 * envp, auxv and the strings) at the top of its stack; sets *sp. */
static int proc_setup_stack(struct vm *vm, const struct elf_info *elf, uint32_t stack_size,
                            char *const argv[], char *const envp[], uint32_t *sp, struct crerr *e)
{
	uint32_t argc = 0, envc = 0, strbytes = 0, words, nwords, top = USER_END;
	uint32_t max = stack_size / 2 < KARGS_MAX ? stack_size / 2 : KARGS_MAX;
	uint32_t *w, base, str, i, k = 0;
	uint8_t *buf;
	int rc;

	for (; argv && argv[argc]; argc++)
		strbytes += (uint32_t)strlen(argv[argc]) + 1;
	for (; envp && envp[envc]; envc++)
		strbytes += (uint32_t)strlen(envp[envc]) + 1;
	words = 1 + argc + 1 + envc + 1 + 2 * 7;
	if ((uint64_t)strbytes + 16 + words * 4 + 16 > max) {
		return crerr_fail(e, -E2BIG,
		                  "arguments and environment take %u bytes, more than the %u "
		                  "this stack allows (half of it)",
		                  strbytes + words * 4 + 32, max);
	}
	/* Layout, from the top: strings, 16 AT_RANDOM bytes, then the
	 * 16-byte-aligned vector argc/argv/envp/auxv at sp. */
	str = top - strbytes;
	base = ((str - 16 - words * 4) & ~15u);
	nwords = (top - base) / 4;
	buf = calloc(nwords, 4);
	if (!buf) {
		return crerr_fail(e, -ENOMEM, "out of host memory");
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
	w[k++] = 0;         /* end of envp */
	/* AT_RANDOM: fixed bytes, since runs must be deterministic. */
	memcpy(buf + (top - strbytes - 16 - base), "crtool-nanvix-rv", 16);
	w[k++] = ABI_AT_PAGESZ;
	w[k++] = CORE_PAGE_SIZE;
	w[k++] = ABI_AT_ENTRY;
	w[k++] = elf->entry;
	w[k++] = ABI_AT_PHDR;
	w[k++] = elf->phdr_va;
	w[k++] = ABI_AT_PHENT;
	w[k++] = elf->phent;
	w[k++] = ABI_AT_PHNUM;
	w[k++] = elf->phnum;
	w[k++] = ABI_AT_RANDOM;
	w[k++] = top - strbytes - 16;
	w[k++] = ABI_AT_NULL;
	w[k++] = 0;
	rc = vm_write(vm, base, buf, nwords * 4);
	free(buf);
	if (rc) {
		return crerr_fail(e, rc, "cannot write the initial stack");
	}
	*sp = base;
	return 0;
}

/*
 * Makes vm a member of the cluster's group for its program (codegroup.h):
 * the one named by the addresses and bytes of its read-only executable
 * segments, made if it is not there yet. A program with a segment both
 * writable and executable keeps its code to itself; so does a process
 * when the host has no memory for a group.
 */
static void proc_join_group(struct cluster *c, struct vm *vm, const struct elf_info *elf)
{
	uint32_t lohi[2 * MMU_GROUP_RANGES], n = 0;
	uint8_t page[CORE_PAGE_SIZE];
	XXH3_state_t *st = XXH3_createState();

	if (!st || XXH3_64bits_reset(st) != XXH_OK)
		goto out;
	for (uint32_t i = 0; i < elf->nsegs; i++) {
		const struct elf_seg *sg = &elf->seg[i];
		if (!(sg->prot & VM_X))
			continue;
		if ((sg->prot & VM_W) || n == MMU_GROUP_RANGES)
			goto out;
		lohi[2 * n] = sg->start;
		lohi[2 * n + 1] = sg->start + sg->len;
		n++;
		for (uint32_t off = 0; off < sg->len; off += CORE_PAGE_SIZE) {
			if (vm_copy_in(vm, page, sg->start + off, CORE_PAGE_SIZE))
				goto out;
			XXH3_64bits_update(st, page, sizeof(page));
		}
	}
	XXH3_64bits_update(st, lohi, n * 2 * sizeof(*lohi));
	if (n)
		mmu_join_program(vm_mmu(vm), &c->groups, XXH3_64bits_digest(st), lohi, n,
		                 c->code_pool);
out:
	XXH3_freeState(st);
}

static const char *proc_basename(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "?";
}

int proc_spawn(struct cluster *c, uint32_t pid, const uint8_t *img, size_t len, char *const argv[],
               char *const envp[], struct crerr *e)
{
	const struct profile *p = c->prof;
	struct elf_info elf;
	struct uarea *ua = NULL;
	struct vm *vm = NULL;
	uint32_t sp = 0, need, have, i;
	int pi = proctab_free_entry(c), s, rc;

	if (proctab_find(c, pid) >= 0) {
		return crerr_fail(e, -EEXIST, "pid %u is in use on this cluster", pid);
	}
	if (pi < 0) {
		return crerr_fail(e, -EAGAIN, "the cluster runs %u processes, its limit",
		                  p->processes_per_cluster);
	}
	rc = loader_check_elf(img, len, &elf, e);
	if (rc)
		return rc;
	/* Refuse early, with figures, what cannot fit in user memory. */
	need = elf.pages + p->main_stack / CORE_PAGE_SIZE;
	have = frames_user_limit(c->fa) - frames_user_used(c->fa);
	if (need > have) {
		return crerr_fail(e, -ENOMEM,
		                  "needs %u KiB of user memory (program %u KiB, stack %u KiB); "
		                  "the cluster has %u KiB free of %u KiB",
		                  need * 4, elf.pages * 4, p->main_stack / 1024, have * 4,
		                  frames_user_limit(c->fa) * 4);
	}
	ua = uarea_new(pid, proc_basename(argv ? argv[0] : NULL), p->threads_per_process,
	               p->main_stack, p->thread_stack);
	vm = vm_new(c->fa);
	if (!ua || !vm) {
		rc = crerr_fail(e, -ENOMEM, "no memory for a new process");
		goto fail;
	}
	if (elf.end > uarea_stacks_floor(ua)) {
		rc = crerr_fail(e, -ENOEXEC,
		                "program ends at 0x%08x, inside the stacks (from 0x%08x)", elf.end,
		                uarea_stacks_floor(ua));
		goto fail;
	}
	rc = loader_load_elf(img, len, vm, &elf, e);
	if (rc) {
		/* the loader said which page: what the person needs is how much */
		if (rc == -ENOMEM) {
			crerr_reset(e);
			crerr_fail(e, rc,
			           "no memory for the program (%u KiB); the cluster's "
			           "kernel memory is exhausted",
			           elf.pages * 4);
		}
		goto fail;
	}
	for (i = 0; i < elf.nsegs; i++)
		uarea_add_region(ua, elf.seg[i].start, elf.seg[i].len, elf.seg[i].prot,
		                 elf.seg[i].prot & VM_X   ? UREGION_TEXT
		                 : elf.seg[i].prot & VM_W ? UREGION_DATA
		                                          : UREGION_RODATA);
	uarea_add_region(ua, elf.end, 0, VM_R | VM_W, UREGION_HEAP);
	s = uarea_add_thread(&ua);
	if (s < 0 || (rc = thread_map_stack(vm, &ua->slot[s]))) {
		rc = crerr_fail(e, -ENOMEM, "no memory for the %u KiB main stack",
		                p->main_stack / 1024);
		goto fail;
	}
	rc = proc_setup_stack(vm, &elf, p->main_stack, argv, envp, &sp, e);
	if (rc)
		goto fail;
	ua->vnode = c->node; /* known by the node it starts on, for life */
	rc = names_start(c, pid, ua->vnode);
	if (rc) {
		crerr_fail(e, rc, "pid %u runs on another node", pid);
		goto fail;
	}
	hart_init(&ua->slot[s].hart, elf.entry, sp);
	ua->entry = elf.entry;
	ua->heap_start = ua->brk = elf.end;
	ua->brk_limit = uarea_stacks_floor(ua);
	uarea_ready_push(ua, (unsigned)s);
	proc_join_group(c, vm, &elf);
	proctab_install(c, (uint32_t)pi, ua, vm);
	return 0;
fail:
	vm_free(vm);
	uarea_free(ua);
	return rc;
}

/* What ending pi takes inside the cluster: threads, memory, endpoints. */
static void proc_teardown(struct cluster *c, uint32_t pi, enum uproc_state state, int status,
                          enum cluster_kill why)
{
	struct kproc *kp = &c->procs[pi];
	struct uarea *ua = kp->ua;

	c->nrunning--;
	ua->end_clock = (uint64_t)((int64_t)c->clock + ua->clock_offset);
	for (unsigned s = 0; s < ua->nslots; s++) {
		/* a thread on a core now is ahead of the round's start */
		if (ua->slot[s].state != UTHREAD_FREE && ua->slot[s].hart.clock > ua->end_clock)
			ua->end_clock = ua->slot[s].hart.clock;
		uarea_drop_thread(ua, s);
	}
	ua->state = (uint8_t)state;
	ua->status = status;
	ua->killed_by = (uint8_t)why;
	ua->ready_head = ua->ready_tail = UAREA_NO_SLOT;
	ua->pages = 0;
	ua->root = 0;
	{
		struct mmu_stats ms;
		mmu_get_stats(vm_mmu(kp->vm), &ms);
		c->stats.walks += ms.walks;
		c->stats.blocks_built += ms.blocks_built;
		c->stats.code_flushes += ms.code_flushes;
		c->stats.jit_blocks += ms.jit_blocks;
		c->stats.blocks_dropped += ms.blocks_dropped;
		c->stats.jit_bytes += ms.jit_bytes;
		if (ms.jit_cache > c->stats.jit_cache_max)
			c->stats.jit_cache_max = ms.jit_cache;
	}
	vm_free(kp->vm);
	kp->vm = NULL;
	memset(ua->ikc, 0, sizeof(ua->ikc));
	ua->sync_used = 0;
}

void proc_end(struct cluster *c, uint32_t pi, enum uproc_state state, int status,
              enum cluster_kill why)
{
	struct uarea *ua = c->procs[pi].ua;

	if (ua->state != UPROC_RUNNING)
		return;
	proc_teardown(c, pi, state, status, why);
	names_end(c, ua->pid, why == KILL_DUMPED);
	if (c->hooks.ended)
		c->hooks.ended(c->hooks.ctx, ua);
}

void proc_release_moved(struct cluster *c, uint32_t pi)
{
	struct uarea *ua = c->procs[pi].ua;

	if (ua->state != UPROC_RUNNING)
		return;
	proc_teardown(c, pi, UPROC_KILLED, 0, KILL_MIGRATED);
	names_moved_out(c, ua->pid);
}

/* The signal a Linux process would die of for trap cause. */
static int proc_fault_signal(uint32_t cause)
{
	switch (cause) {
	case HART_CAUSE_ILLEGAL: return 4;    /* SIGILL */
	case HART_CAUSE_BREAKPOINT: return 5; /* SIGTRAP */
	case HART_CAUSE_FETCH_MISALIGNED:
	case HART_CAUSE_LOAD_MISALIGNED:
	case HART_CAUSE_STORE_MISALIGNED: return 7; /* SIGBUS */
	default: return 11;                         /* SIGSEGV */
	}
}

/* The trap that killed the process, for ps and the dump of its threads. */
static void proc_note_fault(struct uarea *ua, uint32_t tid, const struct hart_trap *t)
{
	ua->fault.cause = t->cause;
	ua->fault.pc = t->pc;
	ua->fault.tval = t->tval;
	ua->fault.tid = tid;
}

void proc_fault(struct cluster *c, uint32_t pi, unsigned s, const struct hart_trap *t)
{
	struct uarea *ua = c->procs[pi].ua;
	uint32_t tid = ua->slot[s].tid;
	uint64_t n = uarea_instret(ua);

	if (c->log) {
		fprintf(c->log, "manycore: cluster %u: process %u (%s), thread %u: %s at pc 0x%08x",
		        c->node, ua->pid, ua->name, tid, hart_cause_name(t->cause), t->pc);
		if (t->cause == HART_CAUSE_ILLEGAL)
			fprintf(c->log, " (encoding 0x%08x)", t->tval);
		else if (t->cause != HART_CAUSE_BREAKPOINT)
			fprintf(c->log, ", address 0x%08x", t->tval);
		fprintf(c->log, " after %" PRIu64 " instructions; process killed\n", n);
		fflush(c->log);
	}
	proc_note_fault(ua, tid, t);
	proc_end(c, pi, UPROC_KILLED, 128 + proc_fault_signal(t->cause), KILL_FAULT);
}

void proc_lost_page(struct cluster *c, uint32_t pi, unsigned s, const struct hart_trap *t)
{
	struct uarea *ua = c->procs[pi].ua;

	if (c->log) {
		fprintf(c->log,
		        "manycore: cluster %u: process %u (%s), thread %u: page 0x%08x was lost "
		        "with "
		        "the node it came from (post-copy source failed); process killed\n",
		        c->node, ua->pid, ua->name, ua->slot[s].tid, t->tval & ~CORE_PAGE_MASK);
		fflush(c->log);
	}
	proc_note_fault(ua, ua->slot[s].tid, t);
	proc_end(c, pi, UPROC_KILLED, 128 + 7, KILL_LOST); /* SIGBUS */
}

void proc_thread_exit(struct cluster *c, uint32_t pi, unsigned s, uint32_t v, int status)
{
	struct uarea *ua = c->procs[pi].ua;
	struct uthread *t = &ua->slot[s];

	uarea_ready_remove(ua, s);
	t->state = UTHREAD_ZOMBIE;
	t->wait = UWAIT_NONE;
	t->exit_value = v;
	/* Its joiner re-issues kthread_join and finds it a zombie. */
	for (unsigned j = 0; j < ua->nslots; j++)
		if (ua->slot[j].state == UTHREAD_BLOCKED && ua->slot[j].wait == UWAIT_JOIN &&
		    ua->slot[j].wait_arg[0] == t->tid)
			thread_wake(c, pi, j);
	if (uarea_live_threads(ua) == 0)
		proc_end(c, pi, UPROC_EXITED, status & 0xff, KILL_NONE);
}
