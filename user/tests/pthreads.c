/*
 * pthreads.c - the pthread subset: mutual exclusion under preemption,
 * condition variables, once, and libnanvix semaphores.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "nanvix/sync.h"

#define THREADS 8
#define ITERS 2000
#define ITEMS 500

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter; /* non-atomic: only the mutex keeps it right */

static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t nonempty = PTHREAD_COND_INITIALIZER, nonfull = PTHREAD_COND_INITIALIZER;
static int queue[4], qhead, qlen;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;

static struct nanvix_semaphore slots = NANVIX_SEMAPHORE_INIT(2);
static volatile int inside, max_inside;

static void init_once(void)
{
	once_runs++;
}

static void *adder(void *arg)
{
	(void)arg;
	pthread_once(&once, init_once);
	for (int i = 0; i < ITERS; i++) {
		pthread_mutex_lock(&lock);
		long c = counter;
		for (volatile int d = 0; d < 3; d++)
			; /* widen the window a preemption can hit */
		counter = c + 1;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&qlock);
		while (qlen == 4)
			pthread_cond_wait(&nonfull, &qlock);
		queue[(qhead + qlen++) % 4] = i;
		pthread_cond_signal(&nonempty);
		pthread_mutex_unlock(&qlock);
	}
	return NULL;
}

static void *limited(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++) {
		nanvix_semaphore_down(&slots);
		int in = __atomic_add_fetch(&inside, 1, __ATOMIC_ACQ_REL);
		if (in > max_inside)
			max_inside = in;
		for (volatile int d = 0; d < 20; d++)
			;
		__atomic_sub_fetch(&inside, 1, __ATOMIC_ACQ_REL);
		nanvix_semaphore_up(&slots);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	long sum = 0;

	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, adder, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("mutex: %ld increments of %d (%s)\n", counter, THREADS * ITERS,
	       counter == THREADS * ITERS ? "ok" : "LOST UPDATES");
	printf("once: ran %d time(s)\n", once_runs);

	pthread_create(&t[0], NULL, producer, NULL);
	for (int got = 0; got < ITEMS; got++) {
		pthread_mutex_lock(&qlock);
		while (qlen == 0)
			pthread_cond_wait(&nonempty, &qlock);
		sum += queue[qhead];
		qhead = (qhead + 1) % 4;
		qlen--;
		pthread_cond_signal(&nonfull);
		pthread_mutex_unlock(&qlock);
	}
	pthread_join(t[0], NULL);
	printf("cond: consumed %d items, sum %ld (%s)\n", ITEMS, sum,
	       sum == (long)ITEMS * (ITEMS + 1) / 2 ? "ok" : "WRONG");

	for (int i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, limited, NULL);
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	printf("semaphore: never more than 2 inside (%s)\n",
	       max_inside <= 2 ? "ok" : "WRONG");
	{
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 2000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&qlock);
		printf("cond timedwait: %s\n",
		       pthread_cond_timedwait(&nonempty, &qlock, &ts) == ETIMEDOUT ? "timed out" : "WRONG");
		pthread_mutex_unlock(&qlock);
	}
	return 0;
}
