/*
 * imgerr.c - problem reports (see imgerr.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "images/imgerr.h"

int crimg_fail(struct crimg_error *e, int err, const char *fmt, ...)
{
	char buf[sizeof(e->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (e->count++ == 0)
		snprintf(e->msg, sizeof(e->msg), "%s", buf);
	if (e->each)
		e->each(e->ctx, buf);
	return err;
}

void crimg_error_reset(struct crimg_error *e)
{
	e->msg[0] = 0;
	e->count = 0;
}
