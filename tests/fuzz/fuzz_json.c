/*
 * fuzz_json.c - libFuzzer target: arbitrary text read as the JSON of an
 * image file (crtool encode): every kind's message built from it and
 * packed; wrong shapes must be refused with a message.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "diag/crerr.h"
#include "images/imgjson.h"
#include "images/imgkind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	const json_t *ent;
	size_t i;

	if (!j)
		return 0;
	json_array_foreach(json_object_get(j, "entries"), i, ent)
	{
		for (int k = 0; k < IMGKIND_COUNT; k++) {
			struct crerr e = CRERR_INIT;
			ProtobufCMessage *m =
				imgjson_to_message(ent, imgkind_info(k)->desc, "fuzz", &e);
			if (!m) {
				if (!e.msg[0])
					__builtin_trap();
				continue;
			}
			size_t n = protobuf_c_message_get_packed_size(m);
			uint8_t *buf = malloc(n ? n : 1);
			if (buf)
				protobuf_c_message_pack(m, buf);
			free(buf);
			json_t *back = imgjson_from_message(m, "fuzz", &e);
			json_decref(back);
			protobuf_c_message_free_unpacked(m, NULL);
		}
	}
	json_decref(j);
	return 0;
}
