/*
 * imgjson.c - image files as JSON and back, through protobuf-c's
 * descriptors (see imgjson.h). Base64 is libsodium's.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "diag/crerr.h"
#include "images/imgchan.h"
#include "images/imgdec.h"
#include "images/imgenc.h"
#include "images/imgfield.h"
#include "images/imgjson.h"
#include "images/imgkind.h"
#include "images/pageblock.h"

#define B64 sodium_base64_VARIANT_ORIGINAL

#define MEMBER(type, m, off) (*(type *)((char *)(m) + (off)))
#define CMEMBER(type, m, off) (*(const type *)((const char *)(m) + (off)))

/* ---- base64 ---- */

static json_t *b64_json(const void *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, B64);
	char *s = malloc(len);
	json_t *j;

	if (!s)
		return NULL;
	sodium_bin2base64(s, len, p, n, B64);
	j = json_stringn_nocheck(s, len - 1);
	free(s);
	return j;
}

/* Decodes base64 string j into a new buffer *out of *n bytes. */
static int b64_parse(const json_t *j, uint8_t **out, size_t *n, const char *where, const char *name,
                     struct crerr *e)
{
	const char *s = json_string_value(j), *end;
	size_t len = json_string_length(j);

	if (!s)
		return crerr_fail(e, -EINVAL, "%s: '%s' must be a base64 string", where, name);
	*out = malloc(len / 4 * 3 + 3);
	if (!*out)
		return crerr_fail(e, -ENOMEM, "%s: out of memory", where);
	if (sodium_base642bin(*out, len / 4 * 3 + 3, s, len, NULL, n, &end, B64) < 0 ||
	    end != s + len) {
		free(*out);
		*out = NULL;
		return crerr_fail(e, -EINVAL, "%s: '%s' is not valid base64", where, name);
	}
	return 0;
}

/* ---- message to JSON ---- */

static size_t elem_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
	case PROTOBUF_C_TYPE_DOUBLE: return 8;
	case PROTOBUF_C_TYPE_STRING: return sizeof(char *);
	case PROTOBUF_C_TYPE_BYTES: return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_MESSAGE: return sizeof(ProtobufCMessage *);
	default: return 4;
	}
}

static int is_signed64(ProtobufCType t)
{
	return t == PROTOBUF_C_TYPE_INT64 || t == PROTOBUF_C_TYPE_SINT64 ||
	       t == PROTOBUF_C_TYPE_SFIXED64;
}

static json_t *message_json(const ProtobufCMessage *m, const char *where, int raw, struct crerr *e);

static json_t *value_json(const ProtobufCMessageDescriptor *d, const ProtobufCFieldDescriptor *f,
                          const void *p, const char *where, int raw, struct crerr *e)
{
	enum imgfield_kind k = raw ? IMGFIELD_NUMBER : imgfield_kind(d, f);
	char buf[32];

	if (k != IMGFIELD_NUMBER)
		return imgfield_to_json(k, *(const uint32_t *)p);
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32: return json_integer(*(const int32_t *)p);
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32: return json_integer(*(const uint32_t *)p);
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		snprintf(buf, sizeof(buf), "%" PRId64, *(const int64_t *)p);
		return json_string(buf);
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		snprintf(buf, sizeof(buf), "%" PRIu64, *(const uint64_t *)p);
		return json_string(buf);
	case PROTOBUF_C_TYPE_FLOAT: return json_real(*(const float *)p);
	case PROTOBUF_C_TYPE_DOUBLE: return json_real(*(const double *)p);
	case PROTOBUF_C_TYPE_BOOL: return json_boolean(*(const protobuf_c_boolean *)p);
	case PROTOBUF_C_TYPE_ENUM: {
		int v = *(const int *)p;
		const ProtobufCEnumValue *ev =
			protobuf_c_enum_descriptor_get_value(f->descriptor, v);
		return ev ? json_string(ev->name) : json_integer(v);
	}
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(char *const *)p;
		json_t *j = json_string(s ? s : "");
		if (!j)
			crerr_fail(e, -EINVAL, "%s: field '%s' is not UTF-8 text", where, f->name);
		return j;
	}
	case PROTOBUF_C_TYPE_BYTES: {
		const ProtobufCBinaryData *b = p;
		return b64_json(b->data, b->len);
	}
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessage *m = *(ProtobufCMessage *const *)p;
		return m ? message_json(m, where, raw, e) : json_null();
	}
	}
	return NULL;
}

static json_t *unknown_json(const ProtobufCMessage *m)
{
	json_t *a = json_array();

	for (unsigned i = 0; a && i < m->n_unknown_fields; i++) {
		const ProtobufCMessageUnknownField *u = &m->unknown_fields[i];
		if (json_array_append_new(a, json_pack("{s:I,s:i,s:o}", "tag", (json_int_t)u->tag,
		                                       "wire_type", (int)u->wire_type, "data",
		                                       b64_json(u->data, u->len))) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *imgjson_from_message(const ProtobufCMessage *m, const char *where, struct crerr *e)
{
	return message_json(m, where, 0, e);
}

static json_t *message_json(const ProtobufCMessage *m, const char *where, int raw, struct crerr *e)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	json_t *o = json_object();

	for (unsigned i = 0; o && i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		json_t *v;

		if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			if (CMEMBER(uint32_t, m, f->quantifier_offset) != f->id)
				continue;
		} else if (f->label == PROTOBUF_C_LABEL_OPTIONAL &&
		           f->type != PROTOBUF_C_TYPE_MESSAGE &&
		           f->type != PROTOBUF_C_TYPE_STRING &&
		           !CMEMBER(protobuf_c_boolean, m, f->quantifier_offset)) {
			continue;
		}
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = CMEMBER(size_t, m, f->quantifier_offset);
			const char *arr = CMEMBER(char *, m, f->offset);
			v = json_array();
			for (size_t k = 0; v && k < n; k++)
				if (json_array_append_new(
					    v, value_json(d, f, arr + k * elem_size(f->type), where,
				                          raw, e)) < 0) {
					json_decref(v);
					v = NULL;
				}
		} else {
			v = value_json(d, f, (const char *)m + f->offset, where, raw, e);
		}
		if (json_object_set_new(o, f->name, v) < 0) {
			json_decref(o);
			o = NULL;
		}
	}
	if (o && m->n_unknown_fields && json_object_set_new(o, "_unknown", unknown_json(m)) < 0) {
		json_decref(o);
		o = NULL;
	}
	if (!o && !e->count)
		crerr_fail(e, -ENOMEM, "%s: out of memory for JSON", where);
	return o;
}

/* ---- JSON to message ---- */

static int int_value(const json_t *j, long long lo, unsigned long long hi, long long *out)
{
	if (!json_is_integer(j))
		return -1;
	*out = json_integer_value(j);
	if (*out < lo || (*out >= 0 && (unsigned long long)*out > hi))
		return -1;
	return 0;
}

/* A 64-bit integer: a decimal string (or, for convenience, a JSON integer). */
static int int64_value(const json_t *j, int sign, void *out)
{
	const char *s = json_string_value(j);
	char *end;

	if (json_is_integer(j)) {
		long long v = json_integer_value(j);
		if (!sign && v < 0)
			return -1;
		memcpy(out, &v, 8);
		return 0;
	}
	if (!s || !*s || (!sign && *s == '-') || *s == ' ' || *s == '+')
		return -1;
	errno = 0;
	if (sign) {
		long long v = strtoll(s, &end, 10);
		memcpy(out, &v, 8);
	} else {
		unsigned long long v = strtoull(s, &end, 10);
		memcpy(out, &v, 8);
	}
	return errno || *end ? -1 : 0;
}

static int value_parse(const ProtobufCMessageDescriptor *d, const ProtobufCFieldDescriptor *f,
                       const json_t *j, void *p, const char *where, struct crerr *e)
{
	enum imgfield_kind k = imgfield_kind(d, f);
	long long v;

	if (k != IMGFIELD_NUMBER) {
		if (imgfield_parse(k, j, p) == 0)
			return 0;
		return crerr_fail(e, -EINVAL, "%s: field '%s' must be %s", where, f->name,
		                  imgfield_form(k));
	}
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		if (int_value(j, INT32_MIN, INT32_MAX, &v) < 0)
			goto bad;
		*(int32_t *)p = (int32_t)v;
		return 0;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		if (int_value(j, 0, UINT32_MAX, &v) < 0)
			goto bad;
		*(uint32_t *)p = (uint32_t)v;
		return 0;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		if (int64_value(j, is_signed64(f->type), p) < 0)
			goto bad;
		return 0;
	case PROTOBUF_C_TYPE_FLOAT:
		if (!json_is_number(j))
			goto bad;
		*(float *)p = (float)json_number_value(j);
		return 0;
	case PROTOBUF_C_TYPE_DOUBLE:
		if (!json_is_number(j))
			goto bad;
		*(double *)p = json_number_value(j);
		return 0;
	case PROTOBUF_C_TYPE_BOOL:
		if (!json_is_boolean(j))
			goto bad;
		*(protobuf_c_boolean *)p = json_is_true(j);
		return 0;
	case PROTOBUF_C_TYPE_ENUM: {
		const ProtobufCEnumValue *ev = NULL;
		if (json_is_string(j))
			ev = protobuf_c_enum_descriptor_get_value_by_name(f->descriptor,
			                                                  json_string_value(j));
		if (ev) {
			*(int *)p = ev->value;
			return 0;
		}
		if (int_value(j, INT32_MIN, INT32_MAX, &v) < 0)
			goto bad;
		*(int *)p = (int)v;
		return 0;
	}
	case PROTOBUF_C_TYPE_STRING: {
		char *s;
		if (!json_is_string(j))
			goto bad;
		if (!(s = strdup(json_string_value(j))))
			return crerr_fail(e, -ENOMEM, "%s: out of memory", where);
		*(char **)p = s;
		return 0;
	}
	case PROTOBUF_C_TYPE_BYTES: {
		ProtobufCBinaryData *b = p;
		return b64_parse(j, &b->data, &b->len, where, f->name, e);
	}
	case PROTOBUF_C_TYPE_MESSAGE:
		if (json_is_null(j)) {
			*(ProtobufCMessage **)p = NULL;
			return 0;
		}
		*(ProtobufCMessage **)p = imgjson_to_message(j, f->descriptor, where, e);
		return *(ProtobufCMessage **)p ? 0 : -EINVAL;
	}
bad:
	return crerr_fail(e, -EINVAL, "%s: field '%s' must be %s", where, f->name,
	                  f->type == PROTOBUF_C_TYPE_ENUM ? "a value name of its enum or an integer"
	                  : f->type == PROTOBUF_C_TYPE_BOOL ? "true or false"
	                  : f->type == PROTOBUF_C_TYPE_FLOAT || f->type == PROTOBUF_C_TYPE_DOUBLE
	                          ? "a number"
	                  : elem_size(f->type) == 8 ? "a 64-bit integer as a decimal string"
	                  : f->type == PROTOBUF_C_TYPE_STRING ? "a string"
	                                                      : "an integer in its type's range");
}

static int unknown_parse(ProtobufCMessage *m, const json_t *a, const char *where, struct crerr *e)
{
	size_t n = json_array_size(a);

	if (!json_is_array(a))
		return crerr_fail(e, -EINVAL, "%s: '_unknown' must be an array", where);
	if (!n)
		return 0;
	if (!(m->unknown_fields = calloc(n, sizeof(*m->unknown_fields))))
		return crerr_fail(e, -ENOMEM, "%s: out of memory", where);
	for (size_t i = 0; i < n; i++) {
		const json_t *u = json_array_get(a, i);
		ProtobufCMessageUnknownField *f = &m->unknown_fields[i];
		long long tag, wt;
		if (int_value(json_object_get(u, "tag"), 1, (1u << 29) - 1, &tag) < 0 ||
		    int_value(json_object_get(u, "wire_type"), 0, 5, &wt) < 0 || wt == 3 || wt == 4)
			return crerr_fail(e, -EINVAL,
			                  "%s: '_unknown' %zu needs a tag (1 to 2^29-1) and a "
			                  "wire_type (0, 1, 2 or 5)",
			                  where, i);
		f->tag = (uint32_t)tag;
		f->wire_type = (ProtobufCWireType)wt;
		if (b64_parse(json_object_get(u, "data"), &f->data, &f->len, where, "_unknown", e) <
		    0)
			return -EINVAL;
		m->n_unknown_fields++;
	}
	return 0;
}

ProtobufCMessage *imgjson_to_message(const json_t *j, const ProtobufCMessageDescriptor *d,
                                     const char *where, struct crerr *e)
{
	ProtobufCMessage *m;
	const char *key;
	json_t *v;

	if (!json_is_object(j)) {
		crerr_fail(e, -EINVAL, "%s: a %s must be a JSON object", where, d->short_name);
		return NULL;
	}
	json_object_foreach((json_t *)j, key, v)
	{
		if (!protobuf_c_message_descriptor_get_field_by_name(d, key) &&
		    strcmp(key, "_unknown") && strcmp(key, "_payload")) {
			crerr_fail(e, -EINVAL, "%s: %s has no field '%s'", where, d->short_name,
			           key);
			return NULL;
		}
	}
	if (!(m = malloc(d->sizeof_message))) {
		crerr_fail(e, -ENOMEM, "%s: out of memory", where);
		return NULL;
	}
	d->message_init(m);
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const json_t *fj = json_object_get(j, f->name);
		int rc = 0;

		if (!fj) {
			/* oneof members and proto2 optionals may be absent */
			if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) ||
			    f->label == PROTOBUF_C_LABEL_OPTIONAL)
				continue;
			crerr_fail(e, -EINVAL, "%s: %s lacks field '%s'", where, d->short_name,
			           f->name);
			goto fail;
		}
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = json_array_size(fj), sz = elem_size(f->type);
			char *arr;
			if (!json_is_array(fj)) {
				crerr_fail(e, -EINVAL, "%s: field '%s' must be an array", where,
				           f->name);
				goto fail;
			}
			if (!n)
				continue;
			if (!(arr = calloc(n, sz))) {
				crerr_fail(e, -ENOMEM, "%s: out of memory", where);
				goto fail;
			}
			MEMBER(char *, m, f->offset) = arr;
			for (size_t k = 0; k < n && rc == 0; k++) {
				rc = value_parse(d, f, json_array_get(fj, k), arr + k * sz, where,
				                 e);
				/* count what is set, so a failure frees only that */
				MEMBER(size_t, m, f->quantifier_offset) = k + (rc == 0);
			}
		} else {
			if (f->type == PROTOBUF_C_TYPE_STRING)
				MEMBER(char *, m, f->offset) = NULL;
			rc = value_parse(d, f, fj, (char *)m + f->offset, where, e);
			if (f->type == PROTOBUF_C_TYPE_STRING && rc < 0)
				MEMBER(const char *, m, f->offset) = f->default_value;
			if (rc == 0 && (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
				MEMBER(uint32_t, m, f->quantifier_offset) = f->id;
			else if (rc == 0 && f->label == PROTOBUF_C_LABEL_OPTIONAL &&
			         f->type != PROTOBUF_C_TYPE_MESSAGE &&
			         f->type != PROTOBUF_C_TYPE_STRING)
				MEMBER(protobuf_c_boolean, m, f->quantifier_offset) = 1;
		}
		if (rc < 0)
			goto fail;
	}
	if ((v = json_object_get(j, "_unknown")) && unknown_parse(m, v, where, e) < 0)
		goto fail;
	return m;
fail:
	protobuf_c_message_free_unpacked(m, NULL);
	return NULL;
}

/* ---- files ---- */

/* 0 if protobuf-c packs m into exactly the n bytes at p. */
static int canonical(const ProtobufCMessage *m, const uint8_t *p, size_t n)
{
	uint8_t small[1024], *q = small;
	int rc;

	if (protobuf_c_message_get_packed_size(m) != n)
		return -1;
	if (n > sizeof(small) && !(q = malloc(n)))
		return -1;
	protobuf_c_message_pack(m, q);
	rc = memcmp(p, q, n) ? -1 : 0;
	if (q != small)
		free(q);
	return rc;
}

/* Appends entry m (and, in pages.img, its payload) to array a. */
static int decode_entry(struct imgdec *dec, enum imgkind k, const ProtobufCMessage *m, unsigned how,
                        json_t *a, struct crerr *e)
{
	const char *where = imgdec_where(dec);
	unsigned idx = imgdec_index(dec);
	const uint8_t *raw;
	size_t n;
	json_t *o;
	int rc = 0;

	raw = imgdec_entry_bytes(dec, &n);
	if (canonical(m, raw, n) < 0)
		return crerr_fail(e, -EINVAL,
		                  "%s: entry %u is not in canonical protobuf encoding, so encode "
		                  "could not give the same bytes back",
		                  where, idx);
	if (!(o = message_json(m, where, (how & IMGJSON_RAW) != 0, e)))
		return -EINVAL;
	if (k == IMGKIND_PAGES) {
		const Crimg__PageBlock *h = (const Crimg__PageBlock *)m;
		uint8_t *buf = malloc(h->stored_length ? h->stored_length : 1);
		if (!buf)
			rc = crerr_fail(e, -ENOMEM, "%s: out of memory", where);
		if (rc == 0)
			rc = imgdec_payload(dec, h, buf, e);
		if (rc == 0 && (how & IMGJSON_PAYLOAD) &&
		    json_object_set_new(o, "_payload", b64_json(buf, h->stored_length)) < 0)
			rc = crerr_fail(e, -ENOMEM, "%s: out of memory", where);
		free(buf);
	}
	if (rc == 0 && json_array_append_new(a, o) < 0)
		return crerr_fail(e, -ENOMEM, "%s: out of memory", where);
	if (rc < 0)
		json_decref(o);
	return rc;
}

int imgjson_decode_file(const char *path, unsigned how, json_t **out, struct crerr *e)
{
	struct imgdec *dec = NULL;
	struct imgchan ch;
	struct stat st;
	enum imgkind k;
	json_t *root = NULL, *a;
	ProtobufCMessage *m;
	int fd, rc;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return crerr_fail(e, -errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = crerr_fail(e, -EINVAL, "%s: not a regular file", path);
		goto out;
	}
	ch = imgchan_fd(fd);
	if (!(dec = imgdec_new(&ch, path, (uint64_t)st.st_size))) {
		rc = crerr_fail(e, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	rc = imgdec_begin(dec, &k, e);
	if (rc == 1)
		rc = crerr_fail(e, -EINVAL, "%s: empty file", path);
	if (rc < 0)
		goto out;
	root = json_pack("{s:s,s:[]}", "file", imgkind_info(k)->file, "entries");
	if (!root) {
		rc = crerr_fail(e, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	a = json_object_get(root, "entries");
	while ((rc = imgdec_entry(dec, &m, e)) > 0) {
		rc = decode_entry(dec, k, m, how, a, e);
		protobuf_c_message_free_unpacked(m, NULL);
		if (rc < 0)
			break;
	}
	if (rc == 0)
		rc = imgdec_expect_eof(dec, e);
out:
	imgdec_free(dec);
	close(fd);
	if (rc < 0) {
		json_decref(root);
		return rc;
	}
	*out = root;
	return 0;
}

/* Encodes JSON entry j of kind k (and its payload) with enc. */
static int encode_entry(struct imgenc *enc, enum imgkind k, const json_t *j, const char *where,
                        struct crerr *e)
{
	ProtobufCMessage *m = imgjson_to_message(j, imgkind_info(k)->desc, where, e);
	const json_t *pj = json_object_get(j, "_payload");
	uint8_t *payload = NULL;
	size_t n = 0;
	int rc;

	if (!m)
		return -EINVAL;
	if (k != IMGKIND_PAGES && pj) {
		rc = crerr_fail(e, -EINVAL, "%s: '_payload' belongs only in pages.img", where);
	} else if (k == IMGKIND_PAGES && !pj) {
		rc = crerr_fail(e, -EINVAL, "%s: no '_payload' (decoded with --no-payload?)",
		                where);
	} else if (k == IMGKIND_PAGES) {
		const Crimg__PageBlock *h = (const Crimg__PageBlock *)m;
		rc = b64_parse(pj, &payload, &n, where, "_payload", e);
		if (rc == 0 && n != h->stored_length)
			rc = crerr_fail(e, -EINVAL,
			                "%s: '_payload' holds %zu bytes, stored_length says %u",
			                where, n, h->stored_length);
		if (rc == 0 && XXH3_64bits(payload, n) != h->checksum)
			rc = crerr_fail(e, -EINVAL,
			                "%s: '_payload' does not match the block's checksum "
			                "(XXH3-64 of the payload is %" PRIu64 ")",
			                where, XXH3_64bits(payload, n));
		if (rc == 0)
			rc = imgenc_entry(enc, m, e);
		if (rc == 0)
			rc = imgenc_payload(enc, payload, n, e);
	} else {
		rc = imgenc_entry(enc, m, e);
	}
	free(payload);
	protobuf_c_message_free_unpacked(m, NULL);
	return rc;
}

int imgjson_encode_file(const json_t *j, const char *path, struct crerr *e)
{
	const json_t *entries = json_object_get(j, "entries"), *ej;
	const char *file = json_string_value(json_object_get(j, "file"));
	struct imgenc *enc = NULL;
	struct imgchan ch;
	char tmp[PATH_MAX], where[64];
	int k, fd, rc = 0;
	size_t i;

	if (!json_is_object(j) || !file || !json_is_array(entries))
		return crerr_fail(e, -EINVAL,
		                  "JSON: expected {\"file\": NAME, \"entries\": [...]} (as crtool "
		                  "decode writes)");
	if ((k = imgkind_by_name(file)) < 0)
		return crerr_fail(e, -EINVAL, "JSON: unknown image file '%s'", file);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
		return crerr_fail(e, -ENAMETOOLONG, "%s: path too long", path);
	if ((fd = mkstemp(tmp)) < 0)
		return crerr_fail(e, -errno, "%s: cannot create a temporary file beside it: %s",
		                  path, strerror(errno));
	ch = imgchan_fd(fd);
	if (!(enc = imgenc_new(&ch, path)))
		rc = crerr_fail(e, -ENOMEM, "%s: out of memory", path);
	if (rc == 0)
		rc = imgenc_begin(enc, k, e);
	json_array_foreach(entries, i, ej)
	{
		if (rc < 0)
			break;
		snprintf(where, sizeof(where), "JSON: entry %zu", i);
		rc = encode_entry(enc, k, ej, where, e);
	}
	if (rc == 0)
		rc = imgenc_end(enc, e);
	imgenc_free(enc);
	if (rc == 0 && fchmod(fd, 0644) < 0)
		rc = crerr_fail(e, -errno, "%s: chmod failed: %s", tmp, strerror(errno));
	if (rc == 0 && fsync(fd) < 0)
		rc = crerr_fail(e, -errno, "%s: fsync failed: %s", tmp, strerror(errno));
	close(fd);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = crerr_fail(e, -errno, "%s: cannot move into place: %s", path, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	return rc;
}
