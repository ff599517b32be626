/* atomics.c - C11 atomics compile to LR/SC and AMOs; check their results. */
#include <stdatomic.h>
#include <stdio.h>

int main(void)
{
	atomic_int a = 10;
	atomic_uint u = 0xf0;
	int expected = 10;
	int old;

	old = atomic_fetch_add(&a, 5);
	printf("fetch_add %d -> %d\n", old, atomic_load(&a));
	old = atomic_exchange(&a, -7);
	printf("exchange %d -> %d\n", old, atomic_load(&a));
	expected = -7;
	printf("cas ok %d -> %d\n", atomic_compare_exchange_strong(&a, &expected, 100),
	       atomic_load(&a));
	expected = 5;
	printf("cas fail %d expected now %d\n", atomic_compare_exchange_strong(&a, &expected, 1),
	       expected);
	printf("fetch_or %x -> %x\n", atomic_fetch_or(&u, 0x0f), atomic_load(&u));
	printf("fetch_and %x -> %x\n", atomic_fetch_and(&u, 0x3c), atomic_load(&u));
	printf("fetch_xor %x -> %x\n", atomic_fetch_xor(&u, 0xff), atomic_load(&u));
	return 0;
}
