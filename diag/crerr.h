/*
 * crerr.h - the one error carrier of crtool, its board and libcrimg: a
 * code for the program (a negative errno) and a sentence for the person,
 * one that says what failed, on what, and what to do ("dump/pages.img:
 * entry 12: checksum mismatch (file corrupted?)").
 *
 * Every call that can fail in a way a person must hear of takes a
 * struct crerr and returns the code it recorded (0 on success). The
 * first problem is kept (code, msg); a checker that goes on after a
 * problem (imgcheck) reports each one to the optional each() callback,
 * so that `crtool verify` can print them all. How a code reaches a
 * client of the control protocol is one table (proto/rpcerr.h).
 */
#ifndef CRERR_H
#define CRERR_H

#define CRERR_MSG_MAX 512

struct crerr {
	int code;                                 /* the first problem's; 0 if none */
	char msg[CRERR_MSG_MAX];                  /* the first problem's sentence; "" if none */
	int count;                                /* problems reported */
	void (*each)(void *ctx, const char *msg); /* optional: every problem */
	void *ctx;
};

/* An empty carrier. */
#define CRERR_INIT                   \
	{                            \
		0, "", 0, NULL, NULL \
	}

/* Records a problem (code a negative errno, a printf-style sentence) in
 * e; returns code, so that callers can `return crerr_fail(e, -EINVAL, ...)`. */
int crerr_fail(struct crerr *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The code a layer above gives e's problem (a set that does not check
 * out is a damaged image, say): e->code becomes code, which it returns. */
int crerr_recode(struct crerr *e, int code);

/* Clears e's code, message and count (keeps the callback). */
void crerr_reset(struct crerr *e);

#endif /* CRERR_H */
