/*
 * faults.c - the faults a board injects, from MANYCORE_FAULT, and how long
 * it waits for a node before it takes it as lost (see faults.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/faults.h"
#include "diag/crerr.h"

#define BOARD_NODE_TIMEOUT_MS 10000 /* a node that takes no word this long is lost */

/* The number after '@' in point (at least min), or -1 if malformed. */
static long faults_count(const char *at, const char *end, long min)
{
	char *e;
	long n;

	if (at >= end || *at != '@')
		return -1;
	errno = 0;
	n = strtol(at + 1, &e, 10);
	return errno || e != end || e == at + 1 || n < min || n > 1000000 ? -1 : n;
}

/* Past name if [spec, end) starts with it, else NULL. */
static const char *faults_name(const char *spec, const char *end, const char *name)
{
	size_t k = strlen(name);

	return (size_t)(end - spec) >= k && !strncmp(spec, name, k) ? spec + k : NULL;
}

uint64_t faults_node_timeout(struct crerr *e)
{
	const char *t = getenv("MANYCORE_NODE_TIMEOUT_MS");
	char *end;
	long ms = t ? strtol(t, &end, 10) : BOARD_NODE_TIMEOUT_MS;

	if (t && (*end || end == t || ms < 1 || ms > 3600000)) {
		crerr_fail(e, -EINVAL, "MANYCORE_NODE_TIMEOUT_MS: '%s' is not 1 to 3600000", t);
		return 0;
	}
	return (uint64_t)ms * 1000000u;
}

int faults_parse(const char *spec, struct board_faults *f, struct crerr *e)
{
	memset(f, 0, sizeof(*f));
	while (spec && *spec) {
		const char *end = strchr(spec, ','), *at;
		long n = 0;
		if (!end)
			end = spec + strlen(spec);
#define POINT(name, min) \
	((at = faults_name(spec, end, name)) && (n = faults_count(at, end, min)) >= (min))
		if (POINT("migrate-transfer-fail", 1)) {
			f->mig.transfer_fail = (uint32_t)n;
		} else if ((at = faults_name(spec, end, "migrate-target-lost")) && at == end) {
			f->mig.target_lost = 1;
		} else if (POINT("postcopy-source-lost", 0)) {
			f->mig.source_lost = 1;
			f->mig.source_lost_after = (uint32_t)n;
		} else if (POINT("noc-drop", 1)) {
			f->mig.noc_drop = (uint32_t)n;
		} else if (POINT("noc-corrupt", 1)) {
			f->mig.noc_corrupt = (uint32_t)n;
		} else if (POINT("noc-delay", 1)) {
			f->mig.noc_delay_ns = (uint32_t)n * 1000u;
		} else if (POINT("node-hang", 0)) {
			f->mig.hang_node = (uint32_t)n + 1;
		} else if (POINT("frame-alloc-fail", 1)) {
			f->build_frame_fail = (uint32_t)n;
		} else if (POINT("image-write-enospc", 1)) {
			f->image_write_at = (uint32_t)n;
			f->image_write_err = ENOSPC;
		} else if (POINT("image-write-eio", 1)) {
			f->image_write_at = (uint32_t)n;
			f->image_write_err = EIO;
		} else if (POINT("spawn-fail", 1)) {
			f->spawn_fail = (uint32_t)n;
		} else if (POINT("noc-hold-fail", 1)) {
			f->noc_hold_fail = (uint32_t)n;
		} else if (POINT("image-write-short", 1)) {
			f->image_write_at = (uint32_t)n;
			f->image_write_err = ENOSPC;
			f->image_write_short = 1;
		} else {
			return crerr_fail(
				e, -EINVAL,
				"MANYCORE_FAULT: '%.*s' is no fault point "
				"(migrate-transfer-fail@N, "
				"migrate-target-lost, postcopy-source-lost@N, noc-drop@N, "
				"noc-corrupt@N, noc-delay@US, node-hang@NODE, frame-alloc-fail@N, "
				"image-write-enospc@N, image-write-eio@N, image-write-short@N, "
				"spawn-fail@N, noc-hold-fail@N)",
				(int)(end - spec), spec);
		}
#undef POINT
		spec = *end ? end + 1 : end;
	}
	return 0;
}
