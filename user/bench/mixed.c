/*
 * mixed.c - benchmark: the kinds of work an embedded core spends its time
 * on, in small pieces with many branches, calls and short loops: a linked
 * list searched, reversed and sorted, a small matrix multiplied and
 * masked, a state machine scanning text, and a CRC over every result.
 * About 5e8 instructions; the printed CRC is checked against a native
 * build of the same code.
 */
#include "nanvix/bare.h"

#define NODES 64
#define MAT 12
#define TEXT 192
#define ITERATIONS 20000

struct node {
	struct node *next;
	int16_t key, val;
};

static struct node pool[NODES];
static int16_t ma[MAT][MAT], mb[MAT][MAT];
static int32_t mc[MAT][MAT];
static char text[TEXT];

static uint16_t crc16(uint16_t crc, uint32_t v)
{
	for (int i = 0; i < 32; i++) {
		uint16_t bit = (uint16_t)((crc ^ v) & 1);
		crc >>= 1;
		v >>= 1;
		if (bit)
			crc ^= 0xa001;
	}
	return crc;
}

static struct node *list_reverse(struct node *l)
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

static struct node *list_find(struct node *l, int16_t key)
{
	while (l && l->key != key)
		l = l->next;
	return l;
}

/* Merge sort by val, then key (the list's own, no allocation). */
static struct node *list_sort(struct node *l)
{
	struct node *a = 0, *b = 0, **pa = &a, **pb = &b, *out = 0, **po = &out;

	if (!l || !l->next)
		return l;
	for (int k = 0; l; k++, l = l->next) {
		if (k & 1) {
			*pb = l;
			pb = &l->next;
		} else {
			*pa = l;
			pa = &l->next;
		}
	}
	*pa = *pb = 0;
	a = list_sort(a);
	b = list_sort(b);
	while (a && b) {
		struct node **t = (a->val < b->val || (a->val == b->val && a->key <= b->key)) ? &a : &b;
		*po = *t;
		po = &(*t)->next;
		*t = (*t)->next;
	}
	*po = a ? a : b;
	return out;
}

static uint32_t matrix_work(int16_t c)
{
	uint32_t sum = 0;

	for (int i = 0; i < MAT; i++)
		for (int j = 0; j < MAT; j++) {
			int32_t s = 0;
			for (int k = 0; k < MAT; k++)
				s += ma[i][k] * mb[k][j];
			mc[i][j] = s + c;
			sum += (uint32_t)((s >> 2) & 0xff0);
		}
	return sum;
}

/* Counts numbers in text: integers, decimals, exponents and junk. */
static uint32_t scan_text(void)
{
	enum { START, INT, FRAC, EXP, EXPNUM, BAD } st = START;
	uint32_t counts[6] = { 0 };

	for (int i = 0; i < TEXT; i++) {
		char ch = text[i];
		if (ch == ',') {
			counts[st]++;
			st = START;
			continue;
		}
		switch (st) {
		case START:
			st = (ch >= '0' && ch <= '9') || ch == '-' ? INT : ch == '.' ? FRAC : BAD;
			break;
		case INT:
			st = ch == '.' ? FRAC : ch == 'e' ? EXP : (ch >= '0' && ch <= '9') ? INT : BAD;
			break;
		case FRAC: st = ch == 'e' ? EXP : (ch >= '0' && ch <= '9') ? FRAC : BAD; break;
		case EXP: st = (ch >= '0' && ch <= '9') || ch == '-' ? EXPNUM : BAD; break;
		case EXPNUM: st = (ch >= '0' && ch <= '9') ? EXPNUM : BAD; break;
		case BAD: break;
		}
	}
	return counts[INT] | counts[FRAC] << 8 | counts[EXPNUM] << 16 | counts[BAD] << 24;
}

int main(void)
{
	static const char *const words[] = { "12", "-7.5", "3e9", "x1", "0.25e-3", "99", "7..", "-" };
	uint32_t seed = 2026;
	uint16_t crc = 0;
	struct node *list = 0;
	int t = 0;

	for (int i = 0; i < NODES; i++) {
		seed = seed * 1664525u + 1013904223u;
		pool[i].key = (int16_t)i;
		pool[i].val = (int16_t)(seed >> 20);
		pool[i].next = list;
		list = &pool[i];
	}
	for (int i = 0; i < MAT; i++)
		for (int j = 0; j < MAT; j++) {
			seed = seed * 1664525u + 1013904223u;
			ma[i][j] = (int16_t)(seed >> 24);
			mb[i][j] = (int16_t)(seed >> 8);
		}
	for (int w = 0; t < TEXT - 1; w++)
		for (const char *p = words[(w * 5) % 8]; *p && t < TEXT - 1; p++) {
			text[t++] = *p;
			if (!p[1] && t < TEXT - 1)
				text[t++] = ',';
		}
	for (int it = 0; it < ITERATIONS; it++) {
		struct node *f;
		list = list_reverse(list);
		f = list_find(list, (int16_t)(it % (NODES + 8)));
		crc = crc16(crc, f ? (uint32_t)f->val : 0xffffffffu);
		list = list_sort(list);
		for (f = list; f; f = f->next)
			f->val = (int16_t)(f->val ^ (int16_t)it);
		crc = crc16(crc, matrix_work((int16_t)it));
		crc = crc16(crc, scan_text());
		text[it % (TEXT - 1)] ^= (char)(it & 1);
	}
	nv_puts(1, "mixed ");
	nv_put_hex(1, crc);
	nv_puts(1, "\n");
	return 0;
}
