/*
 * fuzz_stream.c - libFuzzer target: an arbitrary byte stream read as an
 * image set (every entry reader, the validation rules). It must be
 * refused with a message or read as a valid set; never crash or leak.
 */
#include <stdint.h>
#include <string.h>

#include "diag/crerr.h"
#include "images/imgset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* only read: the channel never writes to the fuzzer's bytes */
	struct imgmem m = { (uint8_t *)data, size, size, 0 };
	struct imgchan ch = imgchan_mem(&m);
	struct crerr e = CRERR_INIT;
	struct imgset *s;

	if (imgset_read_stream(&ch, "fuzz", &s, &e) == 0)
		imgset_free(s);
	else if (!e.msg[0])
		__builtin_trap(); /* a refusal always says why */
	return 0;
}
