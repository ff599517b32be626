/*
 * imgchan.h - the byte channels that image files and streams travel on:
 * a file descriptor, memory that grows as it is written, and pieces of
 * memory read as one (files of a set, each mapped where it lies). Other
 * layers make their own (a NoC portal, kernel-hooks/transfer.h).
 */
#ifndef IMGCHAN_H
#define IMGCHAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A byte channel. */
struct imgchan {
	/* Writes all n bytes: 0, or a negative errno. */
	int (*write)(void *ctx, const void *buf, size_t n);
	/* Reads up to n bytes: how many (0 only at the end), or a negative errno. */
	ssize_t (*read)(void *ctx, void *buf, size_t n);
	void *ctx;
	/* Optional (NULL): the next n bytes where they lie, skipping past
	 * them, or NULL if the channel does not hold n contiguous bytes.
	 * Lets a reader use a payload in place instead of copying it. */
	const uint8_t *(*take)(void *ctx, size_t n);
	/* Writes cost no more than a copy into a buffer (memory): the
	 * encoder writes straight through instead of gathering first. */
	int unbuffered;
};

/* A channel over file descriptor fd (not owned). */
struct imgchan imgchan_fd(int fd);

/* Bytes in memory: reads take p[pos .. len), writes append at len and
 * grow p with realloc (so a buffer that is written must be the
 * channel's own: start from all zeros and free(p) at the end). */
struct imgmem {
	uint8_t *p;
	size_t len, cap, pos;
};

/* A channel over m. */
struct imgchan imgchan_mem(struct imgmem *m);
/* Room for n more bytes after m->len (a writer filling p itself). 0 or -ENOMEM. */
int imgmem_reserve(struct imgmem *m, size_t n);

/* Bytes in several pieces read as one stream (files of a set, each
 * mapped where it lies): reads go piece after piece; take never spans
 * two pieces. */
struct imgseg {
	const uint8_t *p;
	size_t len;
};
struct imgsegs {
	const struct imgseg *seg;
	size_t n;
	size_t i, off; /* read position: piece, byte in it */
};

/* A read-only channel over s (start it at i = off = 0). */
struct imgchan imgchan_segs(struct imgsegs *s);

/* Up to max of the next bytes of s that lie together: *n of them (0 at
 * the end) at the pointer returned; s moves past them. */
const uint8_t *imgsegs_next(struct imgsegs *s, size_t max, size_t *n);

/* The next n bytes of s if they lie together in one piece (s moves past
 * them), else NULL (s stays). */
const uint8_t *imgsegs_take(struct imgsegs *s, size_t n);

/* Maps all of regular file fd read-only as *seg ({NULL, 0} if it is
 * empty), refusing one over max bytes: 0, -EINVAL (not a regular file),
 * -EFBIG, or -errno. */
int imgseg_map(int fd, uint64_t max, struct imgseg *seg);

/* Unmaps *seg (from imgseg_map) and empties it. */
void imgseg_unmap(struct imgseg *seg);

#endif /* IMGCHAN_H */
