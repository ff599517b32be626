/*
 * lib_priv.h - libcrtool's own: the handle, and the exchanges with the
 * board every call is made of (handle.c).
 */
#ifndef LIB_PRIV_H
#define LIB_PRIV_H

#include <stdarg.h>
#include <stdint.h>

#include "libcrtool/libcrtool.h"
#include "proto/rpc.pb-c.h"
#include "proto/stats.pb-c.h"

struct crt_board {
	char path[108]; /* the socket (sun_path's size) */
	int fd;         /* -1: not connected yet */
	char err[512];
	int board_err;
	crt_progress_fn progress;
	void *progress_ctx;
	unsigned progress_ms;
};

/* Records b's failure (status, a sentence): returns status. */
int lib_fail(crt_board *b, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Clears b's last failure (a call begins). */
void lib_clear(crt_board *b);

/* Sends rq (with n descriptors passed along), connecting first. */
int lib_send(crt_board *b, const Crtool__Request *rq, const int *fds, size_t n);

/* Reads one reply that is not an error, carrying want
 * (CRTOOL__REPLY__REP__NOT_SET: nothing but success), into *rp (free
 * with crtool__reply__free_unpacked). While it waits, b's progress
 * function hears of what (NULL: nothing) and of the bytes written into
 * the n descriptors fds. */
int lib_next(crt_board *b, Crtool__Reply__RepCase want, const char *what, const int *fds, size_t n,
             Crtool__Reply **rp);

/* lib_send then lib_next, with no descriptors and no progress. */
int lib_call(crt_board *b, const Crtool__Request *rq, Crtool__Reply__RepCase want,
             Crtool__Reply **rp);

/* Closes b's connection, if made. */
void lib_disconnect(crt_board *b);

/* Monotonic host time, ns. */
uint64_t lib_now_ns(void);

/* 1 if s names an application; else 0, with b's failure said. */
int lib_app_name(crt_board *b, const char *s);

/* The board's processes (ps) into *rp. */
int lib_ps(crt_board *b, Crtool__Reply **rp);

/* Where --prev-images-dir prev (relative to the new set's directory
 * dir) is, seen from here, into out. */
void lib_parent_path(const char *dir, const char *prev, char *out, size_t n);

/* A dump's last exchange: tells the board whether the images are stored
 * (stored, else why not) and reads its reply, carrying want. CRT_IO if
 * not stored. */
int lib_commit(crt_board *b, int stored, const char *why, Crtool__Reply__RepCase want,
               const char *dir, Crtool__Reply **rp);

/* A dump's result with room for n members, zeroed (crt_free), or NULL. */
struct crt_dump_result *lib_dump_result_new(size_t n);

/* Fills m, a dumped member: pid, its set's figures st, the board's d. */
void lib_dump_member(struct crt_dump_member *m, uint32_t pid, const Crimg__Stats *st,
                     const Crtool__DumpReply *d, int has_parent);

/* A running process chosen as a member of a group. */
struct lib_member {
	uint32_t pid;
	uint32_t node; /* where it runs */
	int32_t to;    /* where it goes; -1: it stays */
	char app[CRT_NAME_MAX];
};

/*
 * The running processes chosen (members.c): members of app (if not NULL)
 * and the pids listed (each must run), or every one if neither is
 * given; of those, the ones on node (if >= 0); in pid order, into *out
 * (malloc'd), *n of them. CRT_NO_PROCESS for a listed pid that does not run.
 */
int lib_members_select(crt_board *b, const char *app, const uint32_t *pids, size_t npids, int node,
                       struct lib_member **out, size_t *n);

/* Sets each member's target: to (one node for all, or one per member in
 * pid order), else map (a member on from[i] goes to to[i]; others stay). */
int lib_members_target(crt_board *b, struct lib_member *m, size_t n, const uint32_t *to,
                       size_t n_to, const uint32_t *from, const uint32_t *map_to, size_t n_map);

#endif /* LIB_PRIV_H */
