/*
 * bproc.h - the board's process table: a record for every process the
 * board knows (running, and the last BOARD_ENDED_KEPT ended), by pid,
 * with its output and its last tracked capture. Every call here but
 * bproc_free and bproc_append_output wants the board's lock held, but
 * bproc_node_of and bproc_set_track, which take it.
 */
#ifndef BPROC_H
#define BPROC_H

#include <stddef.h>
#include <stdint.h>

#include "board/board.h"

struct uarea;

/* A bounded output stream: the last BOARD_OUTPUT_MAX bytes, as a ring. */
struct bout {
	uint8_t *buf;
	uint32_t len;   /* bytes held, <= BOARD_OUTPUT_MAX */
	uint32_t head;  /* index of the oldest byte held */
	uint64_t total; /* bytes ever written */
};

struct bproc {
	struct board_proc_info info;
	struct bout out[2]; /* stdout, stderr */
	/* The image set id of the last capture that cleaned its dirty bits
	 * (pre-dump, dump --track-mem), while nothing else did: an
	 * incremental dump may name it as parent. 0: none. */
	uint64_t track_id;
	/* Run mode with console_prefix: a line not ended yet per stream
	 * (lines are prefixed with its virtual node, info.vnode). */
	char *partial[2];
	size_t npartial[2];
};

/* The process record of pid, or NULL. */
struct bproc *bproc_find(struct board *b, uint32_t pid);

/* Adds record p to the table, in pid order. 0 or -ENOMEM. */
int bproc_insert(struct board *b, struct bproc *p);

/* Takes record p out of the table and frees it. */
void bproc_remove(struct board *b, struct bproc *p);

/* Frees a record. NULL is ignored. */
void bproc_free(struct bproc *p);

/* Forgets the oldest ended processes beyond BOARD_ENDED_KEPT. */
void bproc_prune(struct board *b);

/* Appends n bytes to stream o, keeping its last BOARD_OUTPUT_MAX. */
void bproc_append_output(struct bout *o, const uint8_t *p, size_t n);

/* Copies what the UArea says into info (the process's node's thread). */
void bproc_fill_info(struct board_proc_info *in, const struct uarea *ua);

/* Node of running process pid (and its last tracked capture), or
 * -ESRCH. Takes the lock. */
int bproc_node_of(struct board *b, uint32_t pid, uint64_t *track_id);

/* Sets pid's last tracked capture (0: none). Takes the lock. */
void bproc_set_track(struct board *b, uint32_t pid, uint64_t id);

#endif /* BPROC_H */
