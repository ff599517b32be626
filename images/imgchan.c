/*
 * imgchan.c - byte channels: a descriptor, memory, pieces of memory, and
 * files mapped as pieces (see imgchan.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "images/imgchan.h"

static int fd_write(void *ctx, const void *buf, size_t n)
{
	int fd = (int)(intptr_t)ctx;
	const uint8_t *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	int fd = (int)(intptr_t)ctx;

	for (;;) {
		ssize_t r = read(fd, buf, n);
		if (r >= 0)
			return r;
		if (errno != EINTR)
			return -errno;
	}
}

struct imgchan imgchan_fd(int fd)
{
	return (struct imgchan){ fd_write, fd_read, (void *)(intptr_t)fd, NULL, 0 };
}

int imgmem_reserve(struct imgmem *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 4096;
	uint8_t *p;

	if (n <= m->cap - m->len)
		return 0;
	while (cap - m->len < n)
		cap *= 2;
	if (!(p = realloc(m->p, cap)))
		return -ENOMEM;
	m->p = p;
	m->cap = cap;
	return 0;
}

static int mem_write(void *ctx, const void *buf, size_t n)
{
	struct imgmem *m = ctx;

	if (imgmem_reserve(m, n))
		return -ENOMEM;
	memcpy(m->p + m->len, buf, n);
	m->len += n;
	return 0;
}

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct imgmem *m = ctx;

	if (n > m->len - m->pos)
		n = m->len - m->pos;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

static const uint8_t *mem_take(void *ctx, size_t n)
{
	struct imgmem *m = ctx;
	const uint8_t *p = m->p + m->pos;

	if (n > m->len - m->pos)
		return NULL;
	m->pos += n;
	return p;
}

struct imgchan imgchan_mem(struct imgmem *m)
{
	return (struct imgchan){ mem_write, mem_read, m, mem_take, 1 };
}

static int segs_write(void *ctx, const void *buf, size_t n)
{
	(void)ctx;
	(void)buf;
	(void)n;
	return -EBADF; /* read-only */
}

/* Skips the pieces s has read to their end. */
static void segs_settle(struct imgsegs *s)
{
	while (s->i < s->n && s->off == s->seg[s->i].len) {
		s->i++;
		s->off = 0;
	}
}

const uint8_t *imgsegs_next(struct imgsegs *s, size_t max, size_t *n)
{
	const uint8_t *p;

	segs_settle(s);
	*n = 0;
	if (s->i == s->n)
		return NULL;
	*n = s->seg[s->i].len - s->off;
	if (*n > max)
		*n = max;
	p = s->seg[s->i].p + s->off;
	s->off += *n;
	return p;
}

const uint8_t *imgsegs_take(struct imgsegs *s, size_t n)
{
	const uint8_t *p;

	segs_settle(s);
	if (s->i == s->n || n > s->seg[s->i].len - s->off)
		return NULL;
	p = s->seg[s->i].p + s->off;
	s->off += n;
	return p;
}

static ssize_t segs_read(void *ctx, void *buf, size_t n)
{
	uint8_t *out = buf;
	size_t got = 0, k;
	const uint8_t *p;

	while (got < n && (p = imgsegs_next(ctx, n - got, &k)) != NULL) {
		memcpy(out + got, p, k);
		got += k;
	}
	return (ssize_t)got;
}

static const uint8_t *segs_take(void *ctx, size_t n)
{
	return imgsegs_take(ctx, n);
}

struct imgchan imgchan_segs(struct imgsegs *s)
{
	return (struct imgchan){ segs_write, segs_read, s, segs_take, 0 };
}

int imgseg_map(int fd, uint64_t max, struct imgseg *seg)
{
	struct stat st;
	void *p;

	*seg = (struct imgseg){ NULL, 0 };
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	if (st.st_size == 0)
		return 0;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	*seg = (struct imgseg){ p, (size_t)st.st_size };
	return 0;
}

void imgseg_unmap(struct imgseg *seg)
{
	if (seg->len)
		munmap((void *)seg->p, seg->len);
	*seg = (struct imgseg){ NULL, 0 };
}
