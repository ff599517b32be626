/*
 * transfer.c - the NoC backend of the page transfer: the kernel portal
 * (see transfer.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel-hooks/transfer.h"
#include "noc/portal.h"

static const struct pagexfer_ops transfer_ops;

void transfer_init(struct transfer *t, struct noc *noc, uint32_t src, uint32_t dst,
                   uint32_t portal_max, uint64_t now_ns)
{
	memset(t, 0, sizeof(*t));
	t->x.ops = &transfer_ops;
	t->noc = noc;
	t->src = src;
	t->dst = dst;
	t->max = portal_max;
	t->now_ns = now_ns;
}

void transfer_fini(struct transfer *t)
{
	free(t->buf);
	t->buf = NULL;
}

/* One portal write, counted. */
static int transfer_one(struct transfer *t, void *const *dst, const void *src, uint32_t unit,
                        uint32_t count)
{
	uint32_t nth = t->writes + 1;
	uint64_t done = t->now_ns;
	int rc = t->fail_at && nth == t->fail_at ? -EIO : 0;

	if (rc)
		return rc;
	if (t->delay_ns) {
		struct timespec ts = { 0, t->delay_ns };
		nanosleep(&ts, NULL);
	}
	if (!(t->drop_at && nth == t->drop_at))
		rc = portal_kernel_scatter(t->noc, t->src, t->dst, dst, src, unit, count, t->now_ns,
		                           &done);
	if (rc)
		return rc;
	if (t->corrupt_at && nth == t->corrupt_at && unit)
		((uint8_t *)dst[0])[unit / 2] ^= 0x20;
	t->model_ns += done - t->now_ns;
	t->now_ns = done;
	t->bytes += (uint64_t)unit * count;
	t->writes++;
	return 0;
}

int transfer_scatter(struct transfer *t, void *const *dst_bufs, const void *src_buf, size_t unit,
                     unsigned count)
{
	const uint8_t *p = src_buf;
	uint32_t per;
	int rc;

	if (unit > t->max) { /* one unit at a time, in portal-sized pieces */
		for (unsigned k = 0; k < count; k++)
			if ((rc = transfer_move(t, dst_bufs[k], p + k * unit, unit)))
				return rc;
		return 0;
	}
	per = t->max / (uint32_t)unit;
	for (unsigned k = 0; k < count; k += per) {
		uint32_t n = count - k < per ? count - k : per;
		if ((rc = transfer_one(t, dst_bufs + k, p + (size_t)k * unit, (uint32_t)unit, n)))
			return rc;
	}
	return 0;
}

int transfer_move(struct transfer *t, void *dst_buf, const void *src_buf, size_t n)
{
	const uint8_t *p = src_buf;
	uint8_t *d = dst_buf;

	while (n) {
		uint32_t k = n < t->max ? (uint32_t)n : t->max;
		void *to = d;
		int rc = transfer_one(t, &to, p, k, 1);
		if (rc)
			return rc;
		p += k;
		d += k;
		n -= k;
	}
	return 0;
}

static int transfer_x_move(struct pagexfer *x, void *const *dst, const void *src, size_t unit,
                           unsigned count)
{
	return transfer_scatter((struct transfer *)x, dst, src, unit, count);
}

/* Across a buffer at a time into dst's portal buffer, which dst hands to
 * out. */
static int transfer_x_write(struct pagexfer *x, const struct imgchan *out, const void *src,
                            size_t n)
{
	struct transfer *t = (struct transfer *)x;
	const uint8_t *p = src;

	if (!t->buf && !(t->buf = malloc(t->max)))
		return -ENOMEM;
	while (n) {
		uint32_t k = n < t->max ? (uint32_t)n : t->max;
		int rc = transfer_move(t, t->buf, p, k);
		if (rc || (rc = out->write(out->ctx, t->buf, k)) < 0)
			return rc;
		p += k;
		n -= k;
	}
	return 0;
}

static const struct pagexfer_ops transfer_ops = { transfer_x_move, transfer_x_write, NULL };
