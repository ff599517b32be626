/*
 * list.c - benchmark: linked-list work on 256 nodes of a static pool:
 * sorted insertion, search by key, reversal, merge sort by value and a
 * filter that unlinks and reinserts, all pointer chasing and branches.
 * About 6e8 instructions; the result is checked against a native build of
 * the same code.
 */
#include "nanvix/bare.h"

#define NODES 256
#define ROUNDS 1890

struct node {
	struct node *next;
	int32_t key, val;
};

static struct node pool[NODES];

static struct node *insert_sorted(struct node *l, struct node *n)
{
	struct node **pp = &l;

	while (*pp && (*pp)->key < n->key)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
	return l;
}

static struct node *find(struct node *l, int32_t key)
{
	while (l && l->key != key)
		l = l->next;
	return l;
}

static struct node *reverse(struct node *l)
{
	struct node *r = 0;

	while (l) {
		struct node *n = l->next;
		l->next = r;
		r = l;
		l = n;
	}
	return r;
}

static struct node *merge_sort(struct node *l)
{
	struct node *slow = l, *fast, *b, *out = 0, **po = &out;

	if (!l || !l->next)
		return l;
	for (fast = l->next; fast && fast->next; fast = fast->next->next)
		slow = slow->next;
	b = slow->next;
	slow->next = 0;
	l = merge_sort(l);
	b = merge_sort(b);
	while (l && b) {
		struct node **t = (l->val <= b->val) ? &l : &b;
		*po = *t;
		po = &(*t)->next;
		*t = (*t)->next;
	}
	*po = l ? l : b;
	return out;
}

int main(void)
{
	uint32_t seed = 4242, check = 0;
	struct node *l = 0;

	for (int r = 0; r < ROUNDS; r++) {
		l = 0;
		for (int i = 0; i < NODES; i++) {
			seed = seed * 22695477u + 1u;
			pool[i].key = (int32_t)(seed >> 8) & 1023;
			pool[i].val = (int32_t)(seed >> 16) - 32768;
			l = insert_sorted(l, &pool[i]);
		}
		for (int32_t k = 0; k < 1024; k += 5) {
			struct node *f = find(l, k);
			check += f ? (uint32_t)f->val : 1u;
		}
		l = reverse(l);
		l = merge_sort(l);
		/* Filter: odd values move to a second list, kept in order. */
		struct node *odd = 0, **pp = &l;
		while (*pp) {
			if ((*pp)->val & 1) {
				struct node *n = *pp;
				*pp = n->next;
				n->next = odd;
				odd = n;
			} else {
				pp = &(*pp)->next;
			}
		}
		*pp = reverse(odd);
		for (struct node *n = l; n; n = n->next)
			check = (check << 1 | check >> 31) ^ (uint32_t)n->val;
	}
	nv_puts(1, "list ");
	nv_put_hex(1, check);
	nv_puts(1, "\n");
	return 0;
}
