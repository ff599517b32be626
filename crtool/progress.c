/*
 * progress.c - a long operation's progress on a terminal (see progress.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOG_MODULE "progress"

#include "crtool/args.h"
#include "crtool/progress.h"
#include "diag/log.h"

/* When to show the line: PROGRESS_AFTER_MS unless the environment says. */
static unsigned progress_after_ms(void)
{
	const char *after = getenv("CRTOOL_PROGRESS_AFTER_MS");
	char *end;
	unsigned long ms;

	if (!after)
		return PROGRESS_AFTER_MS;
	ms = strtoul(after, &end, 10);
	return *end || end == after || ms > 60000 ? PROGRESS_AFTER_MS : (unsigned)ms;
}

static void progress_show(const char *what, const int *fds, unsigned n, double s)
{
	uint64_t bytes = 0;
	struct stat st;

	for (unsigned i = 0; i < n; i++)
		if (fds[i] >= 0 && fstat(fds[i], &st) == 0)
			bytes += (uint64_t)st.st_size;
	if (n)
		fprintf(stderr, "\r\033[K%s: %.1f MiB of images written, %.1f s", what,
		        (double)bytes / (1 << 20), s);
	else
		fprintf(stderr, "\r\033[K%s: %.1f s", what, s);
	fflush(stderr);
}

/* Waits until cl's reply is ready, showing the line on a terminal:
 * CRT_OK, or CRT_PROTOCOL if the wait fails. *shown says if it did. */
static int progress_wait(struct client *cl, const char *what, const int *fds, unsigned n,
                         int *shown)
{
	struct pollfd pf = { cl->fd, POLLIN, 0 };
	unsigned after = progress_after_ms();
	uint64_t t0 = args_now_ns();

	if (!isatty(STDERR_FILENO) || cl->fd < 0)
		return CRT_OK; /* the read blocks as it always did */
	for (;;) {
		/* a tenth of a second between lines; sooner if asked to show at once */
		int r = poll(&pf, 1, after < 100 ? 5 : 100);
		if (r > 0)
			return CRT_OK;
		if (r < 0 && errno != EINTR) {
			LOG_ERROR("waiting for the board: %s", strerror(errno));
			return CRT_PROTOCOL;
		}
		double s = (double)(args_now_ns() - t0) / 1e9;
		if (s * 1000 >= after) {
			progress_show(what, fds, n, s);
			*shown = 1;
		}
	}
}

int progress_next(struct client *cl, const char *what, const int *fds, unsigned n,
                  Crtool__Reply__RepCase want, Crtool__Reply **rp)
{
	int shown = 0, rc = progress_wait(cl, what, fds, n, &shown);

	if (shown)
		fprintf(stderr, "\r\033[K");
	*rp = NULL;
	return rc ? rc : client_next(cl, want, rp);
}
