/*
 * progress.c - a long operation's progress on a terminal (see progress.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "crtool/progress.h"

static unsigned progress_after; /* ms */
static int progress_shown;

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

static void progress_show(void *ctx, const char *what, uint64_t bytes, double s)
{
	(void)ctx;
	if (s * 1000 < progress_after)
		return;
	if (bytes)
		fprintf(stderr, "\r\033[K%s: %.1f MiB of images written, %.1f s", what,
		        (double)bytes / (1 << 20), s);
	else
		fprintf(stderr, "\r\033[K%s: %.1f s", what, s);
	fflush(stderr);
	progress_shown = 1;
}

void progress_attach(crt_board *b)
{
	if (!isatty(STDERR_FILENO))
		return;
	progress_after = progress_after_ms();
	/* a tenth of a second between lines; sooner if asked to show at once */
	crt_set_progress(b, progress_show, NULL, progress_after < 100 ? 5 : 100);
}

void progress_end(void)
{
	if (progress_shown)
		fprintf(stderr, "\r\033[K");
	progress_shown = 0;
}
