/*
 * fuzz_call.c - libFuzzer target: arbitrary text as a request of
 * crt_call_json (libcrtool's JSON entry point, the Python module's way
 * in). No board answers: a request that passes every check fails to
 * connect; every failure must be said (crt_error), nothing may crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libcrtool/libcrtool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static crt_board *b;
	char *req = malloc(size + 1), *reply = NULL;
	int rc;

	if (!b && crt_open("/nonexistent/crtool-fuzz.sock", &b))
		__builtin_trap();
	if (!req)
		return 0;
	memcpy(req, data, size);
	req[size] = 0;
	rc = crt_call_json(b, req, &reply);
	if (rc != CRT_OK && !*crt_error(b))
		__builtin_trap(); /* a failure nobody is told of */
	if (rc == CRT_OK && !reply)
		__builtin_trap();
	crt_free(reply);
	free(req);
	return 0;
}
