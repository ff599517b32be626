/*
 * pagexfer.c - the page-transfer interface, its memory backend and the
 * channels over any backend (see pagexfer.h).
 */
#include <errno.h>
#include <string.h>

#include "kernel-hooks/pagexfer.h"

static int memory_move(struct pagexfer *x, void *const *dst, const void *src, size_t unit,
                       unsigned count)
{
	(void)x;
	for (unsigned k = 0; k < count; k++)
		memcpy(dst[k], (const uint8_t *)src + k * unit, unit);
	return 0;
}

static int memory_write(struct pagexfer *x, const struct imgchan *out, const void *src, size_t n)
{
	(void)x;
	return out->write(out->ctx, src, n);
}

static const struct pagexfer_ops memory_ops = { memory_move, memory_write, NULL };

struct pagexfer pagexfer_memory = { &memory_ops };

int pagexfer_move(struct pagexfer *x, void *dst, const void *src, size_t n)
{
	return x->ops->move(x, &dst, src, n, 1);
}

int pagexfer_fetch(void *ctx, uint32_t va, uint8_t *frame)
{
	struct pagexfer *x = ctx;

	return x->ops->fetch(x, va, frame);
}

static int out_write(void *ctx, const void *buf, size_t n)
{
	struct pagexfer_out *o = ctx;

	return o->x->ops->write(o->x, &o->out, buf, n);
}

static ssize_t out_read(void *ctx, void *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return -EBADF; /* a channel out only writes */
}

struct imgchan pagexfer_chan_out(struct pagexfer_out *o)
{
	return (struct imgchan){ out_write, out_read, o, NULL, 0 };
}

static int in_write(void *ctx, const void *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return -EBADF; /* a channel in only reads */
}

static ssize_t in_read(void *ctx, void *buf, size_t n)
{
	struct pagexfer_in *in = ctx;
	uint8_t *out = buf;
	size_t got = 0, k;
	const uint8_t *p;

	/* each piece that lies together, moved across in place */
	while (got < n && (p = imgsegs_next(&in->segs, n - got, &k)) != NULL) {
		int rc = pagexfer_move(in->x, out + got, p, k);
		if (rc)
			return rc;
		got += k;
	}
	return (ssize_t)got;
}

static const uint8_t *in_take(void *ctx, size_t n)
{
	return imgsegs_take(&((struct pagexfer_in *)ctx)->segs, n);
}

struct imgchan pagexfer_chan_in(struct pagexfer_in *in)
{
	return (struct imgchan){ in_write, in_read, in, in_take, 0 };
}
