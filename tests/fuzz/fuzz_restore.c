/*
 * fuzz_restore.c - libFuzzer target: restore validation. Arbitrary bytes
 * are read as an image stream and, if the reader takes them, restored as
 * a process of the shared cluster. The set must be refused with a reason
 * (and the cluster left as it was) or become a process that runs within
 * its limits and gives every frame back when it ends.
 */
#include <stdint.h>

#include "diag/crerr.h"
#include "fuzzkit.h"
#include "images/imgset.h"
#include "kernel-hooks/restore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cluster *c = fuzzkit_cluster();
	struct imgmem m = { (uint8_t *)data, size, size, 0 }; /* only read */
	struct imgchan ch = imgchan_mem(&m);
	struct crerr e = CRERR_INIT;
	struct restore_opts o = { .pid = FUZZKIT_PID, .move_from = -1 };
	struct imgset *s;

	if (imgset_read_stream(&ch, "fuzz", &s, &e) == 0) {
		if (restore_process(c, s, &o, &e) && !e.msg[0])
			__builtin_trap(); /* a refusal always says why */
		imgset_free(s);
	}
	fuzzkit_settle(c);
	return 0;
}
