/*
 * crerr.c - the error carrier (see crerr.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "diag/crerr.h"

int crerr_fail(struct crerr *e, int code, const char *fmt, ...)
{
	char buf[sizeof(e->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (e->count++ == 0) {
		e->code = code;
		snprintf(e->msg, sizeof(e->msg), "%s", buf);
	}
	if (e->each)
		e->each(e->ctx, buf);
	return code;
}

void crerr_reset(struct crerr *e)
{
	e->code = 0;
	e->msg[0] = 0;
	e->count = 0;
}

int crerr_recode(struct crerr *e, int code)
{
	e->code = code;
	return code;
}
