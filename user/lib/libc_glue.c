/*
 * libc_glue.c - picolibc's system interface on Nanvix kernel calls.
 *
 * stdout is line-buffered (flushed at newline, when full, and at exit);
 * stderr is unbuffered; stdin reads fd 0. The heap grows with brk. The
 * C library's own locks (malloc's, stdout's) are futex mutexes, so
 * threads may share it.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <sys/lock.h>

#include "nanvix/sync.h"
#include "nanvix/syscall.h"

static struct nanvix_mutex out_lock = NANVIX_MUTEX_INIT;
static char out_buf[256];
static unsigned out_len;

static void out_flush(void)
{
	unsigned off = 0;

	while (off < out_len) {
		long w = nv_write(1, out_buf + off, out_len - off);
		if (w <= 0)
			break;
		off += (unsigned)w;
	}
	out_len = 0;
}

static int out_putc(char c, FILE *f)
{
	(void)f;
	nanvix_mutex_lock(&out_lock);
	out_buf[out_len++] = c;
	if (c == '\n' || out_len == sizeof(out_buf))
		out_flush();
	nanvix_mutex_unlock(&out_lock);
	return (unsigned char)c;
}

static int out_flush_stream(FILE *f)
{
	(void)f;
	nanvix_mutex_lock(&out_lock);
	out_flush();
	nanvix_mutex_unlock(&out_lock);
	return 0;
}

static int err_putc(char c, FILE *f)
{
	(void)f;
	return nv_write(2, &c, 1) == 1 ? (unsigned char)c : EOF;
}

static int in_getc(FILE *f)
{
	unsigned char c;

	(void)f;
	out_flush(); /* a prompt should be visible before we block */
	return nv_read(0, &c, 1) == 1 ? c : EOF;
}

static FILE nv_stdout = FDEV_SETUP_STREAM(out_putc, NULL, out_flush_stream, _FDEV_SETUP_WRITE);
static FILE nv_stderr = FDEV_SETUP_STREAM(err_putc, NULL, NULL, _FDEV_SETUP_WRITE);
static FILE nv_stdin = FDEV_SETUP_STREAM(NULL, in_getc, NULL, _FDEV_SETUP_READ);

FILE *const stdin = &nv_stdin;
FILE *const stdout = &nv_stdout;
FILE *const stderr = &nv_stderr;

void _exit(int status)
{
	out_flush_stream(stdout);
	nv_exit(status);
}

void *sbrk(ptrdiff_t incr)
{
	static uintptr_t cur;
	uintptr_t old, want;

	if (!cur)
		cur = nv_brk(0);
	old = cur;
	want = old + (uintptr_t)incr;
	if ((incr > 0 && want < old) || (incr < 0 && want > old) || nv_brk(want) != want) {
		errno = ENOMEM;
		return (void *)-1;
	}
	cur = want;
	return (void *)old;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	long r;

	if (fd == 1)
		out_flush_stream(stdout); /* keep order with buffered printf output */
	r = nv_write(fd, buf, len);
	if (r < 0) {
		errno = nv_errno(-r);
		return -1;
	}
	return r;
}

ssize_t read(int fd, void *buf, size_t len)
{
	long r = nv_read(fd, buf, len);

	if (r < 0) {
		errno = nv_errno(-r);
		return -1;
	}
	return r;
}

/* picolibc numbers its clocks its own way (REALTIME 1, MONOTONIC 4) and
 * declares clock_gettime only where _POSIX_TIMERS is set; the kernel takes
 * Linux's numbers. */
#define PICOLIBC_CLOCK_REALTIME 1
#define PICOLIBC_CLOCK_MONOTONIC 4

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	int64_t t[2];
	long r;

	if (clk == PICOLIBC_CLOCK_REALTIME)
		r = nv_clock_gettime(ABI_CLOCK_REALTIME, t);
	else if (clk == PICOLIBC_CLOCK_MONOTONIC)
		r = nv_clock_gettime(ABI_CLOCK_MONOTONIC, t);
	else
		r = -EINVAL;

	if (r < 0) {
		errno = nv_errno(-r);
		return -1;
	}
	ts->tv_sec = (time_t)t[0];
	ts->tv_nsec = (long)t[1];
	return 0;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;

	(void)tz;
	if (clock_gettime(PICOLIBC_CLOCK_REALTIME, &ts))
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = (suseconds_t)(ts.tv_nsec / 1000);
	return 0;
}

pid_t getpid(void)
{
	return nv_getpid();
}

int sched_yield(void);
int sched_yield(void)
{
	return (int)nv_kthread_yield();
}

/* Sleeps on the cluster's (modelled) clock: an absolute deadline, so the
 * call can be re-issued as is after a checkpoint. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (req->tv_nsec < 0 || req->tv_nsec >= 1000000000 || req->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	nv_sleep_until(nv_now_ns() + (uint64_t)req->tv_sec * 1000000000ull +
		       (uint64_t)req->tv_nsec);
	if (rem)
		rem->tv_sec = rem->tv_nsec = 0;
	return 0;
}

int usleep(useconds_t us)
{
	nv_sleep_until(nv_now_ns() + (uint64_t)us * 1000ull);
	return 0;
}

unsigned sleep(unsigned s)
{
	nv_sleep_until(nv_now_ns() + (uint64_t)s * 1000000000ull);
	return 0;
}

/*
 * picolibc's retargetable locks (malloc, the environment, ...): futex
 * mutexes; recursive ones remember their owner by its thread pointer,
 * which is unique per thread.
 */
struct __lock {
	struct nanvix_mutex m;
	uintptr_t owner;
	unsigned depth;
};

struct __lock __lock___libc_recursive_mutex;

static uintptr_t lock_self(void)
{
	uintptr_t tp;

	__asm__("mv %0, tp" : "=r"(tp));
	return tp;
}

void __retarget_lock_init(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof(**lock));
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof(**lock));
}

void __retarget_lock_close(_LOCK_T lock)
{
	if (lock != &__lock___libc_recursive_mutex)
		free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	__retarget_lock_close(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	if (lock)
		nanvix_mutex_lock(&lock->m);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return lock ? nanvix_mutex_trylock(&lock->m) == 0 : 1;
}

void __retarget_lock_release(_LOCK_T lock)
{
	if (lock)
		nanvix_mutex_unlock(&lock->m);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	if (!lock)
		return;
	if (lock->depth && lock->owner == lock_self()) {
		lock->depth++;
		return;
	}
	nanvix_mutex_lock(&lock->m);
	lock->owner = lock_self();
	lock->depth = 1;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	if (!lock)
		return 1;
	if (lock->depth && lock->owner == lock_self()) {
		lock->depth++;
		return 1;
	}
	if (nanvix_mutex_trylock(&lock->m))
		return 0;
	lock->owner = lock_self();
	lock->depth = 1;
	return 1;
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (!lock || --lock->depth)
		return;
	lock->owner = 0;
	nanvix_mutex_unlock(&lock->m);
}
