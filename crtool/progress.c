/*
 * progress.c - a long operation's progress on a terminal (see progress.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

static uint64_t progress_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void progress_start(struct progress *p, const char *what, const int *fds, unsigned n)
{
	const char *after = getenv("CRTOOL_PROGRESS_AFTER_MS");
	char *end;
	unsigned long ms = after ? strtoul(after, &end, 10) : PROGRESS_AFTER_MS;

	p->what = what;
	p->fds = fds;
	p->nfds = n;
	p->t0 = progress_now_ns();
	p->tty = isatty(STDERR_FILENO);
	p->shown = 0;
	p->after_ms = after && (*end || end == after || ms > 60000) ? PROGRESS_AFTER_MS
								      : (unsigned)ms;
}

static void progress_show(struct progress *p, double s)
{
	uint64_t bytes = 0;
	struct stat st;

	for (unsigned i = 0; i < p->nfds; i++)
		if (p->fds[i] >= 0 && fstat(p->fds[i], &st) == 0)
			bytes += (uint64_t)st.st_size;
	if (p->nfds)
		fprintf(stderr, "\r\033[K%s: %.1f MiB of images written, %.1f s", p->what,
			(double)bytes / (1 << 20), s);
	else
		fprintf(stderr, "\r\033[K%s: %.1f s", p->what, s);
	fflush(stderr);
	p->shown = 1;
}

int progress_wait(struct progress *p, struct client *cl)
{
	struct pollfd pf = { cl->fd, POLLIN, 0 };

	if (!p->tty || cl->fd < 0)
		return CRT_OK; /* the read blocks as it always did */
	for (;;) {
		/* a tenth of a second between lines; sooner if asked to show at once */
		int r = poll(&pf, 1, p->after_ms < 100 ? 5 : 100);
		if (r > 0)
			return CRT_OK;
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, "crtool: waiting for the board: %s\n", strerror(errno));
			return CRT_PROTOCOL;
		}
		double s = (double)(progress_now_ns() - p->t0) / 1e9;
		if (s * 1000 >= p->after_ms)
			progress_show(p, s);
	}
}

void progress_end(struct progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
	p->shown = 0;
}
