/*
 * imgfield.c - fields read otherwise than as numbers (see imgfield.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images/imgfield.h"
#include "proto/pagemap.pb-c.h"

/* The fields, by message and name. */
static const struct {
	const char *msg, *field;
	enum imgfield_kind kind;
} imgfield_table[] = {
	{ "crimg.Region", "start", IMGFIELD_ADDR },
	{ "crimg.Region", "prot", IMGFIELD_PROT },
	{ "crimg.Process", "entry", IMGFIELD_ADDR },
	{ "crimg.Process", "heap_start", IMGFIELD_ADDR },
	{ "crimg.Process", "brk", IMGFIELD_ADDR },
	{ "crimg.Process", "brk_limit", IMGFIELD_ADDR },
	{ "crimg.Thread", "regs", IMGFIELD_ADDR },
	{ "crimg.Thread", "pc", IMGFIELD_ADDR },
	{ "crimg.Thread", "resv_addr", IMGFIELD_ADDR },
	{ "crimg.PagemapRun", "vaddr", IMGFIELD_ADDR },
	{ "crimg.PagemapRun", "flags", IMGFIELD_PAGEFLAGS },
};

/* Page flags by name: the enum's values, lowercased, '_' as '-'. */
static const struct {
	uint32_t bit;
	const char *name;
} imgfield_flags[] = {
	{ CRIMG__PAGEMAP_FLAG__PAGEMAP_PRESENT, "present" },
	{ CRIMG__PAGEMAP_FLAG__PAGEMAP_IN_PARENT, "in-parent" },
	{ CRIMG__PAGEMAP_FLAG__PAGEMAP_ZERO, "zero" },
	{ CRIMG__PAGEMAP_FLAG__PAGEMAP_LAZY, "lazy" },
};
#define IMGFIELD_NFLAGS (sizeof(imgfield_flags) / sizeof(imgfield_flags[0]))

enum imgfield_kind imgfield_kind(const ProtobufCMessageDescriptor *d,
                                 const ProtobufCFieldDescriptor *f)
{
	if (f->type != PROTOBUF_C_TYPE_UINT32)
		return IMGFIELD_NUMBER;
	for (size_t i = 0; i < sizeof(imgfield_table) / sizeof(imgfield_table[0]); i++)
		if (!strcmp(d->name, imgfield_table[i].msg) &&
		    !strcmp(f->name, imgfield_table[i].field))
			return imgfield_table[i].kind;
	return IMGFIELD_NUMBER;
}

json_t *imgfield_to_json(enum imgfield_kind k, uint32_t v)
{
	char buf[64];
	size_t n = 0;
	uint32_t left = v;

	switch (k) {
	case IMGFIELD_ADDR: snprintf(buf, sizeof(buf), "0x%08x", v); return json_string(buf);
	case IMGFIELD_PROT:
		if (v > 7)
			break;
		snprintf(buf, sizeof(buf), "%c%c%c", v & 1 ? 'r' : '-', v & 2 ? 'w' : '-',
		         v & 4 ? 'x' : '-');
		return json_string(buf);
	case IMGFIELD_PAGEFLAGS:
		buf[0] = 0;
		for (size_t i = 0; i < IMGFIELD_NFLAGS; i++)
			if (v & imgfield_flags[i].bit) {
				n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
				                      n ? "|" : "", imgfield_flags[i].name);
				left &= ~imgfield_flags[i].bit;
			}
		if (left || !v)
			break; /* bits without a name, or none: the number says it */
		return json_string(buf);
	case IMGFIELD_NUMBER: break;
	}
	return json_integer(v);
}

/* "0x" and 1-8 hex digits. */
static int imgfield_hex(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (strncmp(s, "0x", 2) || !s[2] || strlen(s) > 10 ||
	    strspn(s + 2, "0123456789abcdefABCDEF") != strlen(s + 2))
		return -1;
	errno = 0;
	v = strtoul(s + 2, &end, 16);
	if (errno || *end)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int imgfield_parse(enum imgfield_kind k, const json_t *j, uint32_t *out)
{
	const char *s = json_string_value(j);
	char buf[64], *save = NULL, *tok;
	uint32_t v = 0;

	if (json_is_integer(j)) {
		json_int_t x = json_integer_value(j);
		if (x < 0 || x > UINT32_MAX)
			return -1;
		*out = (uint32_t)x;
		return 0;
	}
	if (!s)
		return -1;
	switch (k) {
	case IMGFIELD_ADDR: return imgfield_hex(s, out);
	case IMGFIELD_PROT:
		if (strlen(s) != 3 || (s[0] != 'r' && s[0] != '-') ||
		    (s[1] != 'w' && s[1] != '-') || (s[2] != 'x' && s[2] != '-'))
			return -1;
		*out = (s[0] == 'r') | (s[1] == 'w') << 1 | (s[2] == 'x') << 2;
		return 0;
	case IMGFIELD_PAGEFLAGS:
		if (!*s || strlen(s) >= sizeof(buf))
			return -1;
		strcpy(buf, s);
		for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
			size_t i = 0;
			while (i < IMGFIELD_NFLAGS && strcmp(tok, imgfield_flags[i].name))
				i++;
			if (i == IMGFIELD_NFLAGS || (v & imgfield_flags[i].bit))
				return -1;
			v |= imgfield_flags[i].bit;
		}
		*out = v;
		return 0;
	case IMGFIELD_NUMBER: break;
	}
	return -1;
}

const char *imgfield_form(enum imgfield_kind k)
{
	switch (k) {
	case IMGFIELD_ADDR: return "an address (\"0x\" and hex digits) or an integer";
	case IMGFIELD_PROT: return "a protection (\"rwx\", '-' for each bit absent) or an integer";
	case IMGFIELD_PAGEFLAGS:
		return "page flags (\"present\", \"in-parent\", \"zero\", \"lazy\", joined by '|') "
		       "or "
		       "an integer";
	case IMGFIELD_NUMBER: break;
	}
	return "an integer in its type's range";
}
