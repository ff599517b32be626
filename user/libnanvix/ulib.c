/*
 * ulib.c - the small runtime of a Nanvix program (nanvix/ulib.h), the
 * runtime fence (nanvix/runtime/fence.h) and the performance monitors
 * (nanvix/sys/perf.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nanvix/runtime/fence.h"
#include "nanvix/sys/perf.h"
#include "nanvix/sys/thread.h"
#include "nanvix/syscall.h"

ssize_t nanvix_write(int fd, const char *buf, size_t n)
{
	long r;

	(void)fd; /* one console: stdout */
	fflush(stdout); /* keeps order with the C library's output */
	r = nv_write(1, buf, n);
	return r < 0 ? -nv_errno(-r) : r;
}

/* fmt with Nanvix's bare %l (a 64-bit unsigned: "%l;") spelled %llu, in
 * buf; fmt itself when it has none or does not fit. */
static const char *ulib_nanvix_format(const char *fmt, char *buf, size_t size)
{
	size_t n = 0;
	int bare = 0;

	for (const char *p = fmt; *p; p++) {
		if (n + 4 >= size)
			return fmt;
		buf[n++] = *p;
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			buf[n++] = *++p;
			continue;
		}
		if (p[1] == 'l' && (p[2] == '\0' || !strchr("diouxXnlcsaAeEfFgG", p[2]))) {
			memcpy(buf + n, "llu", 3);
			n += 3;
			p++;
			bare = 1;
		}
	}
	buf[n] = '\0';
	return bare ? buf : fmt;
}

/* Formats into a line and writes it whole, so that lines of threads and
 * of nodes sharing a terminal do not interleave. */
static void ulib_vline(const char *fmt, va_list ap)
{
	char line[256], spelled[256];
	int n = vsnprintf(line, sizeof(line) - 1, ulib_nanvix_format(fmt, spelled, sizeof(spelled)), ap);

	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	nanvix_write(1, line, (size_t)n);
}

void uprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ulib_vline(fmt, ap);
	va_end(ap);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ulib_vline(fmt, ap);
	va_end(ap);
}

void uputs(const char *str)
{
	uprintf("%s", str);
}

void upanic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ulib_vline(fmt, ap);
	va_end(ap);
	fflush(stdout);
	_exit(134); /* as a process that aborts: 128 + SIGABRT */
}

void *umemset(void *p, int c, size_t n) { return memset(p, c, n); }
void *umemcpy(void *d, const void *s, size_t n) { return memcpy(d, s, n); }
int umemcmp(const void *a, const void *b, size_t n) { return memcmp(a, b, n); }
size_t ustrlen(const char *s) { return strlen(s); }
int ustrcmp(const char *a, const char *b) { return strcmp(a, b); }
char *ustrcpy(char *d, const char *s) { return strcpy(d, s); }

/* ---- fence ---- */

int nanvix_fence_init(struct nanvix_fence *b, int nthreads)
{
	if (!b || nthreads < 1 || nthreads > THREAD_MAX)
		return -EINVAL;
	b->release = 0;
	b->nreached = 0;
	b->nthreads = nthreads;
	nanvix_mutex_init(&b->mutex, NULL);
	nanvix_cond_init(&b->cond);
	return 0;
}

int nanvix_fence_destroy(struct nanvix_fence *b)
{
	if (!b)
		return -EINVAL;
	b->nthreads = THREAD_MAX + 1; /* what a later call refuses */
	b->nreached = 0;
	return 0;
}

int nanvix_fence(struct nanvix_fence *b)
{
	int release;

	if (!b || b->nthreads < 1 || b->nthreads > THREAD_MAX)
		return -EINVAL;
	nanvix_mutex_lock(&b->mutex);
	release = !b->release;
	if (++b->nreached == b->nthreads) {
		b->nreached = 0;
		b->release = release;
		nanvix_cond_broadcast(&b->cond);
	}
	while (b->release != release)
		nanvix_cond_wait(&b->cond, &b->mutex);
	nanvix_mutex_unlock(&b->mutex);
	return 0;
}

/* ---- performance monitors ---- */

/* One monitor per thread would be Nanvix's; the board counts per
 * thread already, so a monitor is a start value and its event. */
static __thread struct {
	int event; /* -1: stopped */
	uint64_t start;
	uint64_t stopped_at; /* the count when stopped */
} monitors[PERF_MONITORS_NUM] = { { -1, 0, 0 }, { -1, 0, 0 } };

static uint64_t perf_count(int event)
{
	struct nv_counters c;
	uint64_t cy;

	if (event == PERF_INSTRUCTIONS) {
		if (nv_counters(&c) < 0)
			return 0;
		return c.thread_instret;
	}
	kclock(&cy);
	return cy;
}

int perf_start(int perf, int event)
{
	if (perf < 0 || perf >= PERF_MONITORS_NUM || event < 0 || event >= PERF_EVENTS_MAX)
		return -EINVAL;
	if (monitors[perf].event >= 0)
		return -EBUSY;
	monitors[perf].event = event;
	monitors[perf].start = perf_count(event);
	return 0;
}

int perf_stop(int perf)
{
	if (perf < 0 || perf >= PERF_MONITORS_NUM || monitors[perf].event < 0)
		return -EINVAL;
	monitors[perf].stopped_at = perf_count(monitors[perf].event) - monitors[perf].start;
	monitors[perf].event = -(monitors[perf].event + 2); /* stopped, event kept */
	return 0;
}

int perf_restart(int perf)
{
	int ev;

	if (perf < 0 || perf >= PERF_MONITORS_NUM || monitors[perf].event >= -1)
		return -EINVAL;
	ev = -monitors[perf].event - 2;
	monitors[perf].event = ev;
	monitors[perf].start = perf_count(ev) - monitors[perf].stopped_at;
	return 0;
}

uint64_t perf_read(int perf)
{
	if (perf < 0 || perf >= PERF_MONITORS_NUM)
		return 0;
	if (monitors[perf].event >= 0)
		return perf_count(monitors[perf].event) - monitors[perf].start;
	return monitors[perf].stopped_at;
}

int kstats(uint64_t *buffer, int perf)
{
	if (!buffer || perf < 0 || perf >= PERF_EVENTS_MAX)
		return -EINVAL;
	*buffer = perf_count(perf);
	return 0;
}
