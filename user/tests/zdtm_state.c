/*
 * zdtm_state.c - zdtm-style self-check (after CRIU's zdtm): build state,
 * let time pass (a checkpoint/restore or migration may happen here), then
 * verify every bit of it and print PASS or what differs.
 *
 * State: patterns in data, bss, heap and the main stack; a linked heap
 * structure; a thread blocked in join, one in a futex wait, one asleep,
 * each with values on its own stack and in TLS.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nanvix/syscall.h"

#define NODES 500
#define BSS_WORDS 8192

struct node {
	struct node *next;
	uint32_t value;
	char tag[12];
};

static uint32_t data_words[64] = { 1, 2, 3, 5, 8, 13, 21, 34 };
static uint32_t bss_words[BSS_WORDS];
static __thread uint32_t tls_value;
static volatile uint32_t gate;
static int failures;

static void fail(const char *what, uint32_t got, uint32_t want)
{
	printf("FAIL %s: got 0x%08x, want 0x%08x\n", what, (unsigned)got, (unsigned)want);
	failures++;
}

static void *futex_waiter(void *arg)
{
	uint32_t local[16];

	tls_value = 0xf00d0000u | (uint32_t)(uintptr_t)arg;
	for (int i = 0; i < 16; i++)
		local[i] = 0x11110000u + (uint32_t)i;
	while (__atomic_load_n(&gate, __ATOMIC_ACQUIRE) == 0)
		nv_futex_wait(&gate, 0, 0);
	for (int i = 0; i < 16; i++)
		if (local[i] != 0x11110000u + (uint32_t)i)
			fail("futex waiter's stack", local[i], 0x11110000u + (uint32_t)i);
	if (tls_value != (0xf00d0000u | (uint32_t)(uintptr_t)arg))
		fail("futex waiter's TLS", tls_value, 0xf00d0000u | (uint32_t)(uintptr_t)arg);
	return (void *)0x600d;
}

static void *joiner(void *arg)
{
	void *v = NULL;

	tls_value = 0x70170000u;
	pthread_join(*(pthread_t *)arg, &v);
	if (v != (void *)0x600d)
		fail("value joined", (uint32_t)(uintptr_t)v, 0x600d);
	if (tls_value != 0x70170000u)
		fail("joiner's TLS", tls_value, 0x70170000u);
	return NULL;
}

static void *sleeper(void *arg)
{
	uint64_t t0 = nv_now_ns();

	(void)arg;
	nv_sleep_until(t0 + 20000000); /* 20 ms */
	if (nv_now_ns() < t0 + 20000000)
		fail("sleep woke early", (uint32_t)(nv_now_ns() - t0), 20000000);
	return NULL;
}

int main(void)
{
	uint32_t stack_words[256];
	struct node *head = NULL, *n;
	pthread_t waiter, join_thread, sleep_thread;
	uint32_t i, sum = 0;

	/* Build. */
	for (i = 0; i < 256; i++)
		stack_words[i] = i * 0x01010101u;
	for (i = 0; i < BSS_WORDS; i++)
		bss_words[i] = i ^ 0xdeadbeefu;
	for (i = 8; i < 64; i++)
		data_words[i] = data_words[i - 1] + data_words[i - 2];
	for (i = 0; i < NODES; i++) {
		n = malloc(sizeof(*n));
		n->next = head;
		n->value = i * 7919u;
		snprintf(n->tag, sizeof(n->tag), "node%u", (unsigned)i);
		head = n;
	}
	tls_value = 0xaaaa5555u;
	pthread_create(&waiter, NULL, futex_waiter, (void *)7);
	pthread_create(&join_thread, NULL, joiner, &waiter);
	pthread_create(&sleep_thread, NULL, sleeper, NULL);

	/* Let time pass: everyone blocks in the kernel meanwhile. */
	for (i = 0; i < 50; i++) {
		nv_sleep_until(nv_now_ns() + 100000);
		nv_kthread_yield();
	}
	__atomic_store_n(&gate, 1, __ATOMIC_RELEASE);
	nv_futex_wake(&gate, 1);
	pthread_join(join_thread, NULL);
	pthread_join(sleep_thread, NULL);

	/* Verify. */
	for (i = 0; i < 256; i++)
		if (stack_words[i] != i * 0x01010101u)
			fail("main stack", stack_words[i], i * 0x01010101u);
	for (i = 0; i < BSS_WORDS; i++)
		if (bss_words[i] != (i ^ 0xdeadbeefu))
			fail("bss", bss_words[i], i ^ 0xdeadbeefu);
	for (i = 8; i < 64; i++)
		if (data_words[i] != data_words[i - 1] + data_words[i - 2])
			fail("data", data_words[i], data_words[i - 1] + data_words[i - 2]);
	for (i = NODES, n = head; n; n = n->next) {
		char tag[12];
		i--;
		snprintf(tag, sizeof(tag), "node%u", (unsigned)i);
		if (n->value != i * 7919u || strcmp(n->tag, tag))
			fail("heap list", n->value, i * 7919u);
		sum += n->value;
	}
	if (i != 0)
		fail("heap list length", NODES - i, NODES);
	if (tls_value != 0xaaaa5555u)
		fail("main TLS", tls_value, 0xaaaa5555u);
	printf("%s (heap sum %u)\n", failures ? "FAIL" : "PASS", (unsigned)sum);
	return failures != 0;
}
