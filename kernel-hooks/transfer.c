/*
 * transfer.c - image streams over the kernel portal (see transfer.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "noc/portal.h"
#include "transfer.h"

void transfer_init(struct transfer *t, struct noc *noc, uint32_t src, uint32_t dst,
		   uint32_t portal_max, uint64_t now_ns)
{
	memset(t, 0, sizeof(*t));
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

int transfer_move(struct transfer *t, void *dst_buf, const void *src_buf, size_t n)
{
	const uint8_t *p = src_buf;
	uint8_t *d = dst_buf;

	while (n) {
		uint32_t k = n < t->max ? (uint32_t)n : t->max;
		uint64_t done;
		int rc = portal_kernel_write(t->noc, t->src, t->dst, d, p, k, t->now_ns, &done);
		if (rc)
			return rc;
		t->model_ns += done - t->now_ns;
		t->now_ns = done;
		t->bytes += k;
		t->writes++;
		p += k;
		d += k;
		n -= k;
	}
	return 0;
}

static int port_write(void *ctx, const void *buf, size_t n)
{
	struct transfer_port *pt = ctx;
	struct transfer *t = pt->t;
	const uint8_t *p = buf;

	if (!t->buf && !(t->buf = malloc(t->max)))
		return -ENOMEM;
	while (n) {
		uint32_t k = n < t->max ? (uint32_t)n : t->max;
		int rc = transfer_move(t, t->buf, p, k);
		if (rc || (rc = pt->out.write(pt->out.ctx, t->buf, k)) < 0)
			return rc;
		p += k;
		n -= k;
	}
	return 0;
}

static ssize_t port_read(void *ctx, void *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return -EBADF; /* a port only writes */
}

struct imgchan transfer_port_chan(struct transfer_port *p)
{
	return (struct imgchan){ port_write, port_read, p, NULL };
}

static int source_write(void *ctx, const void *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return -EBADF; /* a source only reads */
}

static ssize_t source_read(void *ctx, void *buf, size_t n)
{
	struct transfer_source *s = ctx;
	uint8_t *out = buf;
	size_t got = 0;

	while (got < n) {
		size_t left = (size_t)imgsegs_left(&s->segs);
		size_t k = n - got < left ? n - got : left;
		const uint8_t *p;
		int rc;
		if (k == 0)
			break;
		/* what the current piece holds, moved across in place */
		if (k > s->segs.seg[s->segs.i].len - s->segs.off)
			k = s->segs.seg[s->segs.i].len - s->segs.off;
		if (k == 0) {
			s->segs.i++;
			s->segs.off = 0;
			continue;
		}
		p = s->segs.seg[s->segs.i].p + s->segs.off;
		if ((rc = transfer_move(s->t, out + got, p, k)))
			return rc;
		s->segs.off += k;
		got += k;
	}
	return (ssize_t)got;
}

static const uint8_t *source_take(void *ctx, size_t n)
{
	struct transfer_source *s = ctx;
	struct imgchan segs = imgchan_segs(&s->segs);

	return segs.take(segs.ctx, n);
}

struct imgchan transfer_source_chan(struct transfer_source *s)
{
	return (struct imgchan){ source_write, source_read, s, source_take };
}
