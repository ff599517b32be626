/*
 * sort.c - benchmark: sorting 1,024 signed words three ways, from fresh
 * pseudo-random data each round: quicksort (median of three, recursive,
 * insertion sort below 16), heapsort and a binary search of every key.
 * About 6e8 instructions; the result is checked against a native build of
 * the same code.
 */
#include "nanvix/bare.h"

#define N 1024
#define ROUNDS 1470

static int32_t v[N], w[N];

static void insertion(int32_t *a, int n)
{
	for (int i = 1; i < n; i++) {
		int32_t x = a[i];
		int j = i - 1;
		while (j >= 0 && a[j] > x) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = x;
	}
}

static void swap(int32_t *a, int32_t *b)
{
	int32_t t = *a;
	*a = *b;
	*b = t;
}

static void quicksort(int32_t *a, int n)
{
	while (n > 16) {
		int m = n / 2, i = 0, j = n - 1;
		if (a[m] < a[0])
			swap(&a[m], &a[0]);
		if (a[n - 1] < a[0])
			swap(&a[n - 1], &a[0]);
		if (a[n - 1] < a[m])
			swap(&a[n - 1], &a[m]);
		int32_t p = a[m];
		for (;;) {
			while (a[i] < p)
				i++;
			while (a[j] > p)
				j--;
			if (i >= j)
				break;
			swap(&a[i++], &a[j--]);
		}
		/* The smaller side by recursion, the larger by the loop. */
		if (j + 1 < n - j - 1) {
			quicksort(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			quicksort(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	insertion(a, n);
}

static void sift(int32_t *a, int root, int n)
{
	for (;;) {
		int c = 2 * root + 1;
		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[root] >= a[c])
			return;
		swap(&a[root], &a[c]);
		root = c;
	}
}

static void heapsort(int32_t *a, int n)
{
	for (int i = n / 2 - 1; i >= 0; i--)
		sift(a, i, n);
	for (int i = n - 1; i > 0; i--) {
		swap(&a[0], &a[i]);
		sift(a, 0, i);
	}
}

static int find(const int32_t *a, int n, int32_t key)
{
	int lo = 0, hi = n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (a[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int main(void)
{
	uint32_t seed = 99, check = 0;

	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < N; i++) {
			seed = seed * 1664525u + 1013904223u;
			v[i] = w[i] = (int32_t)seed >> (r & 7);
		}
		quicksort(v, N);
		heapsort(w, N);
		for (int i = 0; i < N; i++) {
			if (v[i] != w[i])
				check += 0x10000u; /* the two sorts disagree */
			check += (uint32_t)find(v, N, w[(i * 37) % N]) ^ (uint32_t)i;
		}
		check = check * 31u + (uint32_t)v[r % N];
	}
	nv_puts(1, "sort ");
	nv_put_hex(1, check);
	nv_puts(1, "\n");
	return 0;
}
