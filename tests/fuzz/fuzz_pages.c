/*
 * fuzz_pages.c - libFuzzer target: arbitrary bytes read as a pages.img
 * file: block headers, payloads, checksums, zstd frames.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "diag/crerr.h"
#include "images/imgchan.h"
#include "images/imgdec.h"
#include "images/imgkind.h"
#include "images/imgparams.h"
#include "images/pageblock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t payload[ZSTD_COMPRESSBOUND(CRIMG_BLOCK_RAW_MAX)];
	static uint8_t raw[CRIMG_BLOCK_RAW_MAX];
	/* only read: the channel never writes to the fuzzer's bytes */
	struct imgmem m = { (uint8_t *)data, size, size, 0 };
	struct imgchan ch = imgchan_mem(&m);
	struct crerr e = CRERR_INIT;
	struct imgdec *dec = imgdec_new(&ch, "fuzz", size);
	struct pageblock_codec *c = pageblock_codec_new();
	ProtobufCMessage *msg;
	enum imgkind k;
	uint32_t first = 0;

	if (imgdec_begin(dec, &k, &e) == 0 && k == IMGKIND_PAGES) {
		while (imgdec_entry(dec, &msg, &e) > 0) {
			const Crimg__PageBlock *h = (const Crimg__PageBlock *)msg;
			int rc = pageblock_check(h, first, "fuzz", imgdec_index(dec), &e);
			if (rc == 0)
				rc = imgdec_payload(dec, h, payload, &e);
			if (rc == 0)
				rc = pageblock_decode(c, h, payload, raw, "fuzz", 0, &e);
			first += h->pages;
			protobuf_c_message_free_unpacked(msg, NULL);
			if (rc < 0)
				break;
		}
	}
	pageblock_codec_free(c);
	imgdec_free(dec);
	return 0;
}
