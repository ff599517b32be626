/*
 * transfer.c - image streams over the kernel portal (see transfer.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "noc/portal.h"
#include "transfer.h"

int transfer_init(struct transfer *t, struct noc *noc, uint32_t src, uint32_t dst,
		  uint32_t portal_max, uint64_t now_ns, const struct imgchan *out,
		  struct imgmem *mem)
{
	memset(t, 0, sizeof(*t));
	t->noc = noc;
	t->src = src;
	t->dst = dst;
	t->max = portal_max;
	t->now_ns = now_ns;
	t->out = out;
	t->mem = mem;
	if (out && !(t->buf = malloc(portal_max)))
		return -ENOMEM;
	return 0;
}

void transfer_fini(struct transfer *t)
{
	free(t->buf);
	t->buf = NULL;
}

static int transfer_write(void *ctx, const void *buf, size_t n)
{
	struct transfer *t = ctx;
	const uint8_t *p = buf;

	while (n) {
		uint32_t k = n < t->max ? (uint32_t)n : t->max;
		uint8_t *dst = t->buf;
		uint64_t done;
		int rc;
		if (!t->out) {
			if ((rc = imgmem_reserve(t->mem, k)) < 0)
				return rc;
			dst = t->mem->p + t->mem->len;
		}
		if ((rc = portal_kernel_write(t->noc, t->src, t->dst, dst, p, k, t->now_ns, &done)))
			return rc;
		t->model_ns += done - t->now_ns;
		t->now_ns = done;
		t->bytes += k;
		t->writes++;
		if (t->out && (rc = t->out->write(t->out->ctx, dst, k)) < 0)
			return rc;
		if (!t->out)
			t->mem->len += k;
		p += k;
		n -= k;
	}
	return 0;
}

static ssize_t transfer_read(void *ctx, void *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return -EBADF; /* a transfer only writes */
}

struct imgchan transfer_chan(struct transfer *t)
{
	struct imgchan ch = { transfer_write, transfer_read, t };

	return ch;
}
