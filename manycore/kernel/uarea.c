/*
 * uarea.c - the UArea block: thread slots, ready queue, regions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/uarea.h"
#include "params/kparams.h"

/* The header is the part every process pays for; keep it small (most of
 * it is the 64 IKC endpoints a Nanvix cluster offers a program). */
_Static_assert(sizeof(struct uarea) <= 2048, "UArea header grew past 2 KiB");
_Static_assert(sizeof(struct uthread) == 208, "thread slot size changed");

static size_t uarea_size_for(unsigned nslots)
{
	return sizeof(struct uarea) + nslots * sizeof(struct uthread);
}

struct uarea *uarea_new(uint32_t pid, const char *name, uint32_t threads_max, uint32_t main_stack,
                        uint32_t thread_stack)
{
	struct uarea *ua;

	if (threads_max == 0 || threads_max > UAREA_THREADS_MAX)
		return NULL;
	ua = calloc(1, uarea_size_for(1));
	if (!ua)
		return NULL;
	ua->pid = pid;
	strncpy(ua->name, name ? name : "", UAREA_NAME_MAX - 1);
	ua->state = UPROC_RUNNING;
	ua->nslots = 1;
	ua->ready_head = ua->ready_tail = UAREA_NO_SLOT;
	ua->threads_max = threads_max;
	ua->next_tid = 1;
	ua->main_stack = main_stack;
	ua->thread_stack = thread_stack;
	return ua;
}

void uarea_free(struct uarea *ua)
{
	free(ua);
}

size_t uarea_bytes(const struct uarea *ua)
{
	return uarea_size_for(ua->nslots);
}

void uarea_stack_of(const struct uarea *ua, unsigned s, uint32_t *top, uint32_t *size)
{
	if (s == 0) {
		*top = USER_END;
		*size = ua->main_stack;
		return;
	}
	*top = USER_END - ua->main_stack - KSTACK_GUARD -
	       (s - 1) * (ua->thread_stack + KSTACK_GUARD);
	*size = ua->thread_stack;
}

uint32_t uarea_stacks_floor(const struct uarea *ua)
{
	uint32_t top, size;

	uarea_stack_of(ua, ua->threads_max - 1, &top, &size);
	return top - size - KSTACK_GUARD;
}

int uarea_add_thread(struct uarea **pua)
{
	struct uarea *ua = *pua;
	unsigned s;

	if (ua->nthreads >= ua->threads_max)
		return -EAGAIN;
	for (s = 0; s < ua->nslots; s++)
		if (ua->slot[s].state == UTHREAD_FREE)
			break;
	if (s == ua->nslots) {
		/* Grow by doubling, up to the limit. */
		unsigned n = ua->nslots * 2;
		struct uarea *big;
		if (n > ua->threads_max)
			n = ua->threads_max;
		big = realloc(ua, uarea_size_for(n));
		if (!big)
			return -ENOMEM;
		memset(&big->slot[big->nslots], 0, (n - big->nslots) * sizeof(struct uthread));
		big->nslots = (uint8_t)n;
		*pua = ua = big;
	}
	memset(&ua->slot[s], 0, sizeof(ua->slot[s]));
	ua->slot[s].tid = ua->next_tid++;
	ua->slot[s].state = UTHREAD_READY;
	ua->slot[s].next = UAREA_NO_SLOT;
	uarea_stack_of(ua, s, &ua->slot[s].stack_top, &ua->slot[s].stack_size);
	ua->nthreads++;
	ua->threads_created++;
	return (int)s;
}

void uarea_drop_thread(struct uarea *ua, unsigned s)
{
	struct uthread *t = &ua->slot[s];

	if (t->state == UTHREAD_FREE)
		return;
	uarea_ready_remove(ua, s);
	ua->instret += t->hart.instret;
	memset(t, 0, sizeof(*t));
	ua->nthreads--;
}

void uarea_shrink(struct uarea **pua)
{
	struct uarea *ua = *pua, *small;
	unsigned n = ua->nslots;

	while (n > 1 && ua->slot[n - 1].state == UTHREAD_FREE)
		n--;
	if (n == ua->nslots)
		return;
	small = realloc(ua, uarea_size_for(n));
	if (!small)
		return; /* keeping the larger block is harmless */
	small->nslots = (uint8_t)n;
	*pua = small;
}

uint64_t uarea_retired(const struct uarea *ua)
{
	uint64_t n = ua->instret;

	for (unsigned s = 0; s < ua->nslots; s++)
		if (ua->slot[s].state != UTHREAD_FREE)
			n += ua->slot[s].hart.instret;
	return n;
}

int uarea_find_tid(const struct uarea *ua, uint32_t tid)
{
	for (unsigned s = 0; s < ua->nslots; s++)
		if (ua->slot[s].state != UTHREAD_FREE && ua->slot[s].tid == tid)
			return (int)s;
	return -1;
}

void uarea_ready_push(struct uarea *ua, unsigned s)
{
	ua->slot[s].next = UAREA_NO_SLOT;
	ua->slot[s].state = UTHREAD_READY;
	if (ua->ready_tail == UAREA_NO_SLOT)
		ua->ready_head = (uint8_t)s;
	else
		ua->slot[ua->ready_tail].next = (uint8_t)s;
	ua->ready_tail = (uint8_t)s;
}

int uarea_ready_pop(struct uarea *ua)
{
	unsigned s = ua->ready_head;

	if (s == UAREA_NO_SLOT)
		return -1;
	ua->ready_head = ua->slot[s].next;
	if (ua->ready_head == UAREA_NO_SLOT)
		ua->ready_tail = UAREA_NO_SLOT;
	ua->slot[s].next = UAREA_NO_SLOT;
	return (int)s;
}

void uarea_ready_remove(struct uarea *ua, unsigned s)
{
	unsigned prev = UAREA_NO_SLOT, cur = ua->ready_head;

	while (cur != UAREA_NO_SLOT && cur != s) {
		prev = cur;
		cur = ua->slot[cur].next;
	}
	if (cur == UAREA_NO_SLOT)
		return;
	if (prev == UAREA_NO_SLOT)
		ua->ready_head = ua->slot[s].next;
	else
		ua->slot[prev].next = ua->slot[s].next;
	if (ua->ready_tail == s)
		ua->ready_tail = (uint8_t)prev;
	ua->slot[s].next = UAREA_NO_SLOT;
}

int uarea_add_region(struct uarea *ua, uint32_t start, uint32_t len, unsigned prot, unsigned kind)
{
	struct uregion *r;

	if (ua->nregions >= UAREA_REGIONS_MAX)
		return -ENOSPC;
	r = &ua->regions[ua->nregions++];
	r->start = start;
	r->len = len;
	r->prot = (uint8_t)prot;
	r->kind = (uint8_t)kind;
	return 0;
}

struct uregion *uarea_heap(struct uarea *ua)
{
	for (uint32_t i = 0; i < ua->nregions; i++)
		if (ua->regions[i].kind == UREGION_HEAP)
			return &ua->regions[i];
	return NULL;
}

uint64_t uarea_instret(const struct uarea *ua)
{
	uint64_t n = ua->instret;

	for (unsigned s = 0; s < ua->nslots; s++)
		if (ua->slot[s].state != UTHREAD_FREE)
			n += ua->slot[s].hart.instret;
	return n;
}

uint32_t uarea_live_threads(const struct uarea *ua)
{
	uint32_t n = 0;

	for (unsigned s = 0; s < ua->nslots; s++)
		n += ua->slot[s].state != UTHREAD_FREE && ua->slot[s].state != UTHREAD_ZOMBIE;
	return n;
}

const char *uarea_thread_state_name(unsigned state)
{
	static const char *const names[] = { "free", "ready", "running", "blocked", "zombie" };

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

const char *uarea_wait_name(unsigned wait)
{
	static const char *const names[] = { "-",   "join",   "futex",  "sleep",
		                             "ikc", "lookup", "migrate" };

	return wait < sizeof(names) / sizeof(names[0]) ? names[wait] : "?";
}
