/*
 * imgset.h - an image set in memory, and its reading and writing as a
 * directory of files or as one stream (the same encoder and decoder,
 * imgstream.h).
 *
 * A set read by libcrimg has been validated (imgcheck.h) before the
 * caller sees it. Writing is atomic: the files go to a temporary
 * directory beside the target, are fsynced, and the directory is renamed
 * into place; on any failure nothing is left behind.
 */
#ifndef IMGSET_H
#define IMGSET_H

#include <stddef.h>
#include <stdint.h>

#include "imgerr.h"
#include "imgkind.h"
#include "imgstream.h"
#include "proto/inventory.pb-c.h"
#include "proto/ipc.pb-c.h"
#include "proto/mm.pb-c.h"
#include "proto/pagemap.pb-c.h"
#include "proto/pages.pb-c.h"
#include "proto/stats.pb-c.h"
#include "proto/uarea.pb-c.h"

/*
 * Every message is heap-allocated the way protobuf-c's unpack does it
 * (strings, arrays and submessages too), so that imgset_free can free it
 * with protobuf_c_message_free_unpacked. A writer only reads the set, but
 * for stats.bytes_stored, which it fills in (known once the pages are out).
 */
struct imgset {
	Crimg__Inventory *inventory;
	Crimg__UArea *uarea;            /* NULL in a pre-dump */
	Crimg__Region **regions;        /* ascending start */
	size_t nregions;
	Crimg__PagemapRun **runs;       /* ascending vaddr */
	size_t nruns;
	uint8_t *pages;                 /* the present pages, in pagemap order */
	uint32_t npages;
	Crimg__Endpoint **endpoints;
	size_t nendpoints;
	Crimg__Stats *stats;
	/* Filled by the reader. */
	uint32_t *run_first;            /* per run: its first page's index in pages */
	uint64_t file_bytes[IMGKIND_COUNT]; /* bytes of each file, 0 if absent */
	uint64_t stored_bytes;          /* page payload bytes as stored */
	uint32_t blocks, zstd_blocks;
};

/* How a writer stores pages. */
struct imgset_opts {
	int level;              /* zstd level 1 .. 22; 0: raw */
	uint32_t block_pages;   /* pages a block, 1 .. CRIMG_BLOCK_PAGES_MAX; 0: default */
	/* Called just before stats.img is written, to fill in figures known
	 * only then (the time the rest took); may be NULL. */
	void (*before_stats)(void *ctx, Crimg__Stats *st);
	void *ctx;
};

/* An empty set; NULL if out of memory. */
struct imgset *imgset_new(void);

/* A new message of type d, initialised and allocated as the reader's are,
 * for building a set; NULL if out of memory. */
void *imgset_msg_new(const ProtobufCMessageDescriptor *d);

/* Frees s and everything it holds. NULL is ignored. */
void imgset_free(struct imgset *s);

/* The kinds a set of s's kind holds (by inventory), as a predicate. */
int imgset_has_kind(const struct imgset *s, enum imgkind k);

/* Writes s as a stream on ch (name in messages): its files in kind order,
 * inventory first, stats last. */
int imgset_write_stream(const struct imgset *s, const struct imgchan *ch, const char *name,
			const struct imgset_opts *o, struct crimg_error *e);

/* Writes s as directory dir, which must not exist or be empty. */
int imgset_write_dir(const struct imgset *s, const char *dir, const struct imgset_opts *o,
		     struct crimg_error *e);

/* Reads and validates one set from a stream on ch (name in messages);
 * stops after its stats file. *out is the set (free with imgset_free). */
int imgset_read_stream(const struct imgchan *ch, const char *name, struct imgset **out,
		       struct crimg_error *e);

/* Reads and validates one set from the len bytes of stream at buf (name
 * in messages), with nothing after it. */
int imgset_read_buffer(const uint8_t *buf, size_t len, const char *name, struct imgset **out,
		       struct crimg_error *e);

/* Stores set s, read by imgset_read_buffer from buf, as directory dir,
 * each file as the stream carried it, atomically as imgset_write_dir does. */
int imgset_store_stream(const struct imgset *s, const uint8_t *buf, const char *dir,
			struct crimg_error *e);

/* imgset_read_buffer, then imgset_store_stream; *out is the set read
 * (free with imgset_free). */
int imgset_save_stream(const uint8_t *buf, size_t len, const char *name, const char *dir,
		       struct imgset **out, struct crimg_error *e);

/* Reads and validates the set in directory dir (not its parents: see
 * imgchain.h). */
int imgset_read_dir(const char *dir, struct imgset **out, struct crimg_error *e);

/* Index of the run holding page vaddr, or -1. */
long imgset_find_run(const struct imgset *s, uint32_t vaddr);

#endif /* IMGSET_H */
