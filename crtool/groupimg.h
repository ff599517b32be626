/*
 * groupimg.h - crtool's offline commands on a group directory (a group
 * dump: app.img and a set per member, images/imgapp.h): show, verify and
 * diff. imgcmd.c hands a directory holding app.img here. Each returns
 * crtool's exit status.
 */
#ifndef GROUPIMG_H
#define GROUPIMG_H

#include <jansson.h>

/* The group, its members and the channels at its cut (json: the
 * application image as JSON). */
int groupimg_show(const char *dir, int json);

/* Checks app.img and every member's set through its parents, and that
 * each set is the one app.img names; says every problem. */
int groupimg_verify(const char *dir);

/* Each member's differences (diff, the differences of two sets, run on
 * each pair with a struct diffout), and the members only one group has:
 * as lines, or (members not NULL) an object each appended to members.
 * CRT_FAILED if any differ. */
int groupimg_diff(const char *d1, const char *d2, int (*diff)(const char *, const char *, void *),
                  json_t *members);

#endif /* GROUPIMG_H */
