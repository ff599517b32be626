/*
 * imgtext.c - image fields as crtool shows them (see imgtext.h).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define LOG_MODULE "images"

#include "crtool/imgtext.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "libcrtool/lcstatus.h"
#include "libcrtool/libcrtool.h"

/* An enum value's name, lowercased, without prefix, '_' as '-':
 * ("THREAD_", 1) -> "ready", ("SET_", 2) -> "pre-dump". */
const char *imgtext_enum(const ProtobufCEnumDescriptor *d, int v, const char *prefix, char *buf,
                         size_t n)
{
	const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, v);
	const char *s;
	size_t i;

	if (!ev) {
		snprintf(buf, n, "%d?", v);
		return buf;
	}
	s = ev->name;
	if (!strncmp(s, prefix, strlen(prefix)))
		s += strlen(prefix);
	for (i = 0; s[i] && i + 1 < n; i++)
		buf[i] = s[i] == '_' ? '-' : (char)tolower((unsigned char)s[i]);
	buf[i] = 0;
	return buf;
}

const char *imgtext_size(uint64_t bytes, char *buf, size_t n)
{
	if (bytes < 10 * 1024)
		snprintf(buf, n, "%" PRIu64 " B", bytes);
	else if (bytes < 10 * 1024 * 1024)
		snprintf(buf, n, "%.1f KiB", bytes / 1024.0);
	else
		snprintf(buf, n, "%.1f MiB", bytes / 1048576.0);
	return buf;
}

void imgtext_prot(uint32_t p, char out[4])
{
	out[0] = p & 1 ? 'r' : '-';
	out[1] = p & 2 ? 'w' : '-';
	out[2] = p & 4 ? 'x' : '-';
	out[3] = 0;
}

/* Opens dir's chain, or says why not (and points at verify). */
int imgtext_open_chain(const char *dir, struct imgchain **c)
{
	struct crerr e = CRERR_INIT;
	int rc = imgchain_open(dir, c, &e);

	if (rc < 0) {
		LOG_ERROR("%s", e.msg);
		if (e.count > 1)
			LOG_ERROR("and %d more problems (crtool verify %s lists them)", e.count - 1,
			          dir);
		return lcstatus_of_image(rc);
	}
	return CRT_OK;
}
