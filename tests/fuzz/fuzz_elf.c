/*
 * fuzz_elf.c - libFuzzer target: arbitrary bytes loaded as a program on
 * a cluster (the ELF loader, the initial stack, the regions). Either the
 * spawn is refused with a reason and the cluster is as it was, or the
 * program runs within its instruction limit and, killed or ended, leaves
 * every frame free.
 */
#include <errno.h>
#include <stdint.h>

#include "diag/crerr.h"
#include "fuzzkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cluster *c = fuzzkit_cluster();
	char *argv[] = { "fuzz", "one", NULL }, *envp[] = { "K=v", NULL };
	struct crerr e = CRERR_INIT;
	int rc = cluster_spawn(c, FUZZKIT_PID, data, size, argv, envp, &e);

	if (rc && rc != -ENOEXEC && rc != -ENOMEM)
		__builtin_trap(); /* no other refusal is possible here */
	if (rc && !e.msg[0])
		__builtin_trap(); /* a refusal always says why */
	fuzzkit_settle(c);
	return 0;
}
