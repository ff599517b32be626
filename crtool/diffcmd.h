/*
 * diffcmd.h - crtool diff: what changed between two dumps, or two group
 * dumps member by member; as lines ("thread 1.x10: "0x.." -> "0x.."",
 * "pages 0x80001000+3: changed") or, with --json, as one object
 * (crtool.diff/1). Exit 0 if nothing did, 1 if something did.
 */
#ifndef DIFFCMD_H
#define DIFFCMD_H

#include <jansson.h>

#include "crtool/cmdline.h"

extern cmdline_opts diffcmd_diff_opts;

int diffcmd_diff(struct cmdline *c);

/* Where diff's findings go: lines on stdout (changes NULL), or the
 * lists of an object. */
struct diffout {
	json_t *changes; /* each {what, from, to} or {what, only} */
	json_t *ranges;  /* each {start, pages, kind} */
	json_t *pages;   /* {same, changed, new, gone} */
};

/* Makes o collect JSON; puts its lists into object into; frees them. */
void diffout_json(struct diffout *o);
void diffout_put(struct diffout *o, json_t *into);
void diffout_free(struct diffout *o);

#endif /* DIFFCMD_H */
