/*
 * proctab.c - a cluster's process table (see proctab.h).
 */
#include <stdlib.h>

#include "core/mmu.h"
#include "kernel/kernel_priv.h"
#include "kernel/proctab.h"
#include "kernel/vm.h"
#include "params/profile.h"

int proctab_find(const struct cluster *c, uint32_t pid)
{
	for (uint32_t i = 0; i < c->prof->processes_per_cluster; i++)
		if (c->procs[i].ua && c->procs[i].ua->pid == pid)
			return (int)i;
	return -1;
}

int proctab_free_entry(const struct cluster *c)
{
	for (uint32_t i = 0; i < c->prof->processes_per_cluster; i++)
		if (!c->procs[i].ua)
			return (int)i;
	return -1;
}

uint32_t proctab_next(const struct cluster *c, uint32_t from)
{
	uint32_t n = c->prof->processes_per_cluster;

	for (uint32_t w = from / 64; w * 64 < n; w++) {
		uint64_t bits = c->occupied[w] & (w == from / 64 ? ~0ull << (from % 64) : ~0ull);
		if (bits)
			return w * 64 + (uint32_t)__builtin_ctzll(bits);
	}
	return n;
}

void proctab_install(struct cluster *c, uint32_t pi, struct uarea *ua, struct vm *vm)
{
	ua->root = vm_root(vm);
	ua->pages = vm_pages(vm);
	c->procs[pi].ua = ua;
	c->procs[pi].vm = vm;
	mmu_set_tier(vm_mmu(vm), c->core); /* checked by cluster_set_core */
	mmu_set_code_pool(vm_mmu(vm), c->code_pool);
	c->procs[pi].stop_at = 0;
	c->procs[pi].ns = NULL;
	c->occupied[pi / 64] |= 1ull << (pi % 64);
	c->nprocs++;
	c->nrunning++;
}

/* Table entry of running process pid, or -1. */
int proctab_find_running(const struct cluster *c, uint32_t pid)
{
	int pi = proctab_find(c, pid);

	return pi >= 0 && c->procs[pi].ua->state == UPROC_RUNNING ? pi : -1;
}

void proctab_remove(struct cluster *c, uint32_t pi)
{
	uarea_free(c->procs[pi].ua);
	free(c->procs[pi].ns);
	c->procs[pi].ua = NULL;
	c->procs[pi].ns = NULL;
	c->occupied[pi / 64] &= ~(1ull << (pi % 64));
	c->nprocs--;
}
