/*
 * fuzz_app.c - libFuzzer target: arbitrary bytes read as a group's
 * application image (app.img: its framing, its one entry, its rules).
 * They must be refused with a message or read as a valid image; never
 * crash or leak.
 */
#include <stdint.h>
#include <string.h>

#include "diag/crerr.h"
#include "images/imgapp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* only read: the channel never writes to the fuzzer's bytes */
	struct imgmem m = { (uint8_t *)data, size, size, 0 };
	struct imgchan ch = imgchan_mem(&m);
	struct crerr e = CRERR_INIT;
	Crimg__App *a;

	if (imgapp_read_chan(&ch, size, "fuzz", &a, &e) == 0)
		imgapp_free(a);
	else if (!e.msg[0])
		__builtin_trap(); /* a refusal always says why */
	return 0;
}
