/*
 * fuzz_stream.c - libFuzzer target: an arbitrary byte stream read as an
 * image set (every entry reader, the validation rules). It must be
 * refused with a message or read as a valid set; never crash or leak.
 */
#include <stdint.h>
#include <string.h>

#include "images/imgset.h"

struct mem {
	const uint8_t *p;
	size_t len, pos;
};

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct mem *m = ctx;

	if (n > m->len - m->pos)
		n = m->len - m->pos;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = { data, size, 0 };
	struct imgchan ch = { NULL, mem_read, &m };
	struct crimg_error e = { 0 };
	struct imgset *s;

	if (imgset_read_stream(&ch, "fuzz", &s, &e) == 0)
		imgset_free(s);
	else if (!e.msg[0])
		__builtin_trap();       /* a refusal always says why */
	return 0;
}
