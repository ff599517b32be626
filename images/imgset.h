/*
 * imgset.h - an image set in memory (imgset.c), and its reading
 * (imgread.c) and writing (imgwrite.c) as a directory of files or as one
 * stream (the same encoder and decoder, imgenc.h and imgdec.h).
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

#include "diag/crerr.h"
#include "images/imgchan.h"
#include "images/imgkind.h"
#include "proto/inventory.pb-c.h"
#include "proto/ipc.pb-c.h"
#include "proto/mm.pb-c.h"
#include "proto/pagemap.pb-c.h"
#include "proto/pages.pb-c.h"
#include "proto/stats.pb-c.h"
#include "proto/uarea.pb-c.h"

/* A page block of pages.img left in place: its header (checked for
 * framing and against the pagemap) and where its payload lies. */
struct imgset_block {
	Crimg__PageBlock h;
	const uint8_t *payload;
};

/*
 * Every message is heap-allocated the way protobuf-c's unpack does it
 * (strings, arrays and submessages too), so that imgset_free can free it
 * with protobuf_c_message_free_unpacked. A writer only reads the set, but
 * for stats.bytes_stored, which it fills in (known once the pages are out).
 */
struct imgarena;

struct imgset {
	Crimg__Inventory *inventory;
	Crimg__UArea *uarea;     /* NULL in a pre-dump */
	Crimg__Region **regions; /* ascending start */
	size_t nregions;
	Crimg__PagemapRun **runs; /* ascending vaddr */
	size_t nruns;
	uint8_t *pages; /* the present pages, in pagemap order */
	uint32_t npages;
	/* Or, for a writer, each present page where it lies (a capture of a
	 * frozen process, read in place): pages is NULL then. */
	const uint8_t **page_at;
	/* Read by reference (imgset_read_inplace): pages is NULL, and each
	 * block stays where it lies, its payload not checked yet (imgland.h
	 * checks it as it lands). blocks of them. */
	struct imgset_block *refs;
	Crimg__Endpoint **endpoints;
	size_t nendpoints;
	Crimg__Stats *stats;
	/* Filled by the reader. */
	uint32_t *run_first;                /* per run: its first page's index in pages */
	uint64_t file_bytes[IMGKIND_COUNT]; /* bytes of each file, 0 if absent */
	uint64_t stored_bytes;              /* page payload bytes as stored */
	uint32_t blocks, zstd_blocks;
	/* A stream's reader unpacks the messages into this arena (NULL:
	 * each is malloc'd): they are freed only with the set, and such a
	 * set's messages are not to be replaced or freed one by one. */
	struct imgarena *arena;
};

/* How a writer stores pages. */
struct imgset_opts {
	int level;            /* zstd level 1 .. 22; 0: raw */
	uint32_t block_pages; /* pages a block, 1 .. CRIMG_BLOCK_PAGES_MAX; 0: default */
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
                        const struct imgset_opts *o, struct crerr *e);

/* Writes s as directory dir, which must not exist or be empty. */
int imgset_write_dir(const struct imgset *s, const char *dir, const struct imgset_opts *o,
                     struct crerr *e);

/* Reads and validates one set from a stream on ch (name in messages);
 * stops after its stats file. *out is the set (free with imgset_free). */
int imgset_read_stream(const struct imgchan *ch, const char *name, struct imgset **out,
                       struct crerr *e);

/* Reads and validates one set from ch, which must hold nothing after it
 * and lend payloads in place (its take: imgchan_mem, imgchan_segs), its
 * pages by reference: see struct imgset's refs. What ch lends must
 * outlive *out. */
int imgset_read_inplace(const struct imgchan *ch, const char *name, struct imgset **out,
                        struct crerr *e);

/* Writes the files of s, each kind k it has to files[k] (IMGKIND_COUNT
 * channels, by kind; name in messages). */
int imgset_write_files(const struct imgset *s, const struct imgchan *files, const char *name,
                       const struct imgset_opts *o, struct crerr *e);

/* Stores files (IMGKIND_COUNT byte ranges, by kind; an empty one is a
 * file the set does not have) as directory dir, atomically as
 * imgset_write_dir does: the files of a set someone else encoded. */
int imgset_store_files(const char *dir, const struct imgseg *files, struct crerr *e);

/* Makes directory dir, which must not exist, and writes files into it
 * as imgset_store_files does, but without its temporary directory,
 * rename and sync: one set of a group that is stored atomically as a
 * whole (imgapp_store). On failure, removes what it made. */
int imgset_put_files(const char *dir, const struct imgseg *files, struct crerr *e);

/* Makes dir, just renamed into place, and everything in it durable:
 * one syncfs of its file system. 0 or -errno, said in e. */
int imgset_sync_dir(const char *dir, struct crerr *e);

/* Removes set directory dir: the image files in it, then dir if empty. */
void imgset_remove_dir(const char *dir);

/* 0 if dir does not exist or is an empty directory; else -EEXIST (or
 * why it cannot be read), said in e: images go to new directories. */
int imgset_dir_free(const char *dir, struct crerr *e);

/* Reads only the inventory of the set in dir into *out (a set holding
 * just that: enough to know its kind and parent). */
int imgset_read_inventory(const char *dir, struct imgset **out, struct crerr *e);

/* Reads and validates the set in directory dir (not its parents: see
 * imgchain.h). */
int imgset_read_dir(const char *dir, struct imgset **out, struct crerr *e);

/* Indexes s's present pages (run_first): the count of pages the pagemap
 * says are present, or a negative errno (more than the user range holds). */
int imgset_index(struct imgset *s, const char *where, struct crerr *e);

/* Where set s holds the entries of kind k, as the table of kinds says
 * (imgkind.h): one message (*one), or a list (*many of *n); neither for
 * page blocks (pages, refs). */
struct imgset_slot {
	void **one;
	void ***many;
	size_t *n;
};
struct imgset_slot imgset_slot(struct imgset *s, enum imgkind k);

/* Index of the run holding page vaddr, or -1. */
long imgset_find_run(const struct imgset *s, uint32_t vaddr);

#endif /* IMGSET_H */
