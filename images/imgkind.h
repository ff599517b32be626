/*
 * imgkind.h - the table of image kinds: for each file of an image set, its
 * name, magic, protobuf message type, entry-size limit and whether a set
 * must hold it, and how a set holds its entries (one, a list, or page
 * blocks with payloads). The only place these are spelled out: readers
 * and writers go through the kinds in table order and switch on none.
 */
#ifndef IMGKIND_H
#define IMGKIND_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

/* In the order files go into a stream. */
enum imgkind {
	IMGKIND_INVENTORY,
	IMGKIND_UAREA,
	IMGKIND_MM,
	IMGKIND_PAGEMAP,
	IMGKIND_PAGES,
	IMGKIND_IPC,
	IMGKIND_STATS,
	IMGKIND_COUNT, /* the kinds of a process's image set */
	/* A group dump's application image (app.img): a file of its own,
	 * never part of a set or its stream. */
	IMGKIND_APP = IMGKIND_COUNT,
	IMGKIND_ALL
};

/* How an image set holds a kind's entries (imgset.h, imgset_slot). */
enum imgkind_holds {
	IMGKIND_ONE = 1, /* exactly one entry */
	IMGKIND_MANY,    /* a list, of at most max_entries */
	IMGKIND_BLOCKS,  /* page blocks, each followed by its payload (pages.img) */
};

struct imgkind_info {
	const char *name;                       /* "pages" */
	const char *file;                       /* "pages.img" */
	uint32_t magic;                         /* first 4 bytes of the file, little-endian */
	const ProtobufCMessageDescriptor *desc; /* every entry's type */
	uint32_t entry_max;                     /* largest entry accepted, bytes */
	uint8_t in_dump;                        /* a dump set must hold it */
	uint8_t in_pre_dump;                    /* a pre-dump set must hold it */
	enum imgkind_holds holds;
	uint32_t max_entries; /* a list's: the most a set may hold */
	const char *noun;     /* a list's entries, for messages ("regions") */
};

/* The kind's entry; k must be < IMGKIND_ALL. */
const struct imgkind_info *imgkind_info(enum imgkind k);

/* The kind whose magic is magic (app.img's too), or -1. */
int imgkind_by_magic(uint32_t magic);

/* The kind whose file name (no directory) or kind name is s, or -1. */
int imgkind_by_name(const char *s);

#endif /* IMGKIND_H */
