/*
 * fuzz_kcall.c - libFuzzer target: the kernel-call layer driven with
 * arbitrary register values. A process whose code loops on `ecall` runs
 * on the shared cluster; each 33-byte record of the input sets a0-a7 of
 * one of its ready threads (the last byte, when odd, picks a7 among the
 * real call numbers instead) and runs a round, so every call, and every
 * thread a kthread_create starts at an arbitrary pc, meets the kernel as
 * a hostile guest's would. The process may die; the cluster must not,
 * and must get every frame back.
 */
#include <string.h>

#include "diag/crerr.h"
#include "fuzzkit.h"
#include "kernel/uarea.h"
#include "nanvix/abi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REC 33u

static const uint32_t kcall_nrs[] = {
	NR_read,
	NR_write,
	NR_exit,
	NR_exit_group,
	NR_clock_gettime,
	NR_sched_yield,
	NR_getpid,
	NR_gettid,
	NR_brk,
	NR_kthread_create,
	NR_kthread_exit,
	NR_kthread_join,
	NR_kthread_yield,
	NR_kthread_self,
	NR_futex_wait,
	NR_futex_wake,
	NR_sleep_until,
	NR_nv_counters,
	NR_kmigrate_to,
	NR_kmailbox_create,
	NR_kmailbox_open,
	NR_kmailbox_unlink,
	NR_kmailbox_close,
	NR_kmailbox_read,
	NR_kmailbox_write,
	NR_kmailbox_pending,
	NR_kmailbox_write_tagged,
	NR_kmailbox_read_from,
	NR_kportal_create,
	NR_kportal_allow_tagged,
	NR_kportal_write_tagged,
	NR_kportal_pending,
	NR_kportal_allow,
	NR_kportal_open,
	NR_kportal_unlink,
	NR_kportal_close,
	NR_kportal_read,
	NR_kportal_write,
	NR_ksync_create,
	NR_ksync_open,
	NR_ksync_unlink,
	NR_ksync_close,
	NR_ksync_wait,
	NR_ksync_signal,
	NR_kname_lookup,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cluster *c = fuzzkit_cluster();
	char *argv[] = { "kcall", NULL }, *envp[] = { NULL };
	struct crerr e = CRERR_INIT;
	uint8_t elf[FUZZKIT_ELF_LEN];

	fuzzkit_tiny_elf(elf);
	if (cluster_spawn(c, FUZZKIT_PID, elf, sizeof(elf), argv, envp, &e))
		__builtin_trap();
	for (size_t at = 0; at + REC <= size; at += REC) {
		/* Between rounds the kernel's state is at rest; a debugger may
		 * set a ready thread's registers, and so does this target. */
		struct uarea *ua = (struct uarea *)cluster_uarea(c, FUZZKIT_PID);
		struct uthread *t = NULL;
		uint8_t sel = data[at + 32];
		if (!ua || ua->state != UPROC_RUNNING)
			break;
		for (unsigned s = 0; s < ua->nslots && !t; s++)
			if (ua->slot[s].state == UTHREAD_READY)
				t = &ua->slot[s];
		if (t) {
			memcpy(&t->hart.x[HART_REG_A0], data + at, 8 * sizeof(uint32_t));
			if (sel & 1)
				t->hart.x[HART_REG_A7] =
					kcall_nrs[(sel >> 1) %
				                  (sizeof(kcall_nrs) / sizeof(kcall_nrs[0]))];
			t->hart.pc = FUZZKIT_ENTRY;
		}
		if (!cluster_round(c) && !t)
			break; /* every thread waits on something that never comes */
	}
	fuzzkit_settle(c);
	return 0;
}
