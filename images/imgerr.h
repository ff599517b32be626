/*
 * imgerr.h - how libcrimg reports problems: a negative errno for the
 * program, a sentence for the person ("dump/pages.img: entry 12: checksum
 * mismatch (file corrupted?)").
 *
 * Every libcrimg call that can fail takes a struct crimg_error. The first
 * problem's sentence is kept in msg; a checker that goes on after a
 * problem (imgcheck) reports each one to the optional each() callback, so
 * `crtool verify` can print them all.
 */
#ifndef IMGERR_H
#define IMGERR_H

struct crimg_error {
	char msg[512];                            /* the first problem; "" if none */
	int count;                                /* problems reported */
	void (*each)(void *ctx, const char *msg); /* optional: every problem */
	void *ctx;
};

/* Records a problem (printf-style sentence) in e; returns err (a negative
 * errno) so that callers can `return crimg_fail(e, -EINVAL, ...)`. */
int crimg_fail(struct crimg_error *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Clears e's message and count (keeps the callback). */
void crimg_error_reset(struct crimg_error *e);

#endif /* IMGERR_H */
