/*
 * imgapp.h - a group dump's directory: the application image (app.img,
 * proto/app.proto) and one image set per member in a subdirectory of
 * its own (pid-N), stored atomically as a whole: either every file of
 * every member and app.img are there, or none is (docs/image-format.md,
 * "Group dumps").
 */
#ifndef IMGAPP_H
#define IMGAPP_H

#include <stddef.h>
#include <stdint.h>

#include "diag/crerr.h"
#include "images/imgchan.h"
#include "images/imgset.h"
#include "proto/app.pb-c.h"

#define IMGAPP_FILE "app.img"

/* 1 if dir holds an application image (a group dump), else 0. */
int imgapp_is_group(const char *dir);

/* The subdirectory that holds member pid's set ("pid-7"). */
void imgapp_member_dir(uint32_t pid, char *out, size_t n);

/* A new application image of kind (SET_DUMP or SET_PRE_DUMP) named name,
 * with n members, zeroed but for their pid and dir, and a fresh id; NULL
 * if out of memory. Free with imgapp_free. */
Crimg__App *imgapp_new(const char *name, Crimg__SetKind kind, const uint32_t *pids, size_t n);

/* Frees a (from imgapp_new or imgapp_read). NULL is ignored. */
void imgapp_free(Crimg__App *a);

/* Fills member i of a from its set s (its vnode, name, set id and
 * pages; the node is the set's source node), and, once every member is
 * filled (sets[i] is member i's, n of them), a's channels from what
 * their ipc.img and threads hold. 0 or -ENOMEM. */
int imgapp_fill(Crimg__App *a, struct imgset *const *sets, struct crerr *e);

/* Checks a's own rules (kind, member count, pids ascending and unique,
 * member directories plain names, channels' kinds, the name's
 * characters); where names it in messages. 0 or -EINVAL. */
int imgapp_check(const Crimg__App *a, const char *where, struct crerr *e);

/* Checks that set s (the newest of member i's chain) is what a says of
 * member i: its pid, id, kind and profile. 0 or -EINVAL. */
int imgapp_check_member(const Crimg__App *a, size_t i, const struct imgset *s, const char *where,
                        struct crerr *e);

/* Reads and checks an application image of size bytes from ch (path
 * names it in messages) into *out: one entry, nothing after it. */
int imgapp_read_chan(const struct imgchan *ch, uint64_t size, const char *path, Crimg__App **out,
                     struct crerr *e);

/* Reads and checks dir/app.img into *out. */
int imgapp_read(const char *dir, Crimg__App **out, struct crerr *e);

/*
 * Stores a group as dir (which must not exist or be empty): each member
 * i's files (files[i], IMGKIND_COUNT ranges by kind, an empty one a kind
 * the set lacks) in dir/<a->members[i]->dir>, and a as dir/app.img, all
 * in a temporary directory beside dir renamed into place and made
 * durable with one syncfs. On any failure nothing is left.
 */
int imgapp_store(const char *dir, const Crimg__App *a, const struct imgseg (*files)[IMGKIND_COUNT],
                 struct crerr *e);

/* Removes group directory dir as imgapp_store makes it: its members'
 * sets (pid-N), app.img, then dir if empty. */
void imgapp_remove_dir(const char *dir);

#endif /* IMGAPP_H */
