/*
 * libcrtool.h - the C library of crtool: everything the crtool command
 * does with a serving board (`manycore serve`), for programs of your own.
 *
 * One convention throughout, as zstd's and libcriu's: a call returns an
 * int status, CRT_OK (0) or one of enum crt_status (the same numbers the
 * crtool command exits with); crt_error() then gives a sentence a person
 * can act on, and crt_board_error() the board's own code, if the board
 * refused. Results come in structures the call allocates; free them with
 * crt_free(). A handle serves one thread at a time; open one per thread.
 *
 * The images of a dump are written, checked and stored by the library,
 * and a restore's are opened and checked by it: a client names
 * directories, never descriptors. See docs/libcrtool.md.
 */
#ifndef LIBCRTOOL_H
#define LIBCRTOOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CRT_API __attribute__((visibility("default")))

/* What a call gave: 0, or why not. crtool exits with these. */
enum crt_status {
	CRT_OK = 0,
	CRT_FAILED = 1,      /* the board refused; a group member did not move */
	CRT_USAGE = 2,       /* an argument is not valid (the message says which) */
	CRT_UNREACHABLE = 3, /* no board answers at the socket */
	CRT_PROTOCOL = 4,    /* the board's reply made no sense */
	CRT_NO_PROCESS = 5,  /* no such process */
	CRT_BAD_IMAGE = 6,   /* an image is invalid or does not fit the board */
	CRT_IO = 7,          /* a host file or directory cannot be read or written */
	CRT_DENIED = 8,      /* the board serves another user */
};

/* The board's error codes (crt_board_error), as the control protocol
 * (proto/rpc.proto) numbers them. */
enum crt_board_error {
	CRT_BOARD_OK = 0,
	CRT_BOARD_BAD_REQUEST = 1,
	CRT_BOARD_NO_SUCH_PROCESS = 2,
	CRT_BOARD_NO_SUCH_NODE = 3,
	CRT_BOARD_NOT_A_PROGRAM = 4,
	CRT_BOARD_NO_MEMORY = 5,
	CRT_BOARD_CLUSTER_FULL = 6,
	CRT_BOARD_ARGS_TOO_BIG = 7,
	CRT_BOARD_INTERNAL = 8,
	CRT_BOARD_SHUTTING_DOWN = 9,
	CRT_BOARD_BAD_IMAGE = 10,
	CRT_BOARD_IMAGE_MISMATCH = 11,
	CRT_BOARD_PID_IN_USE = 12,
	CRT_BOARD_BAD_PARENT = 13,
	CRT_BOARD_NOT_STORED = 14,
	CRT_BOARD_NODE_LOST = 15,
	CRT_BOARD_PERMISSION = 16,
};

/* ---- the handle ---- */

typedef struct crt_board crt_board;

/* A handle on the board at socket path (NULL: $CRTOOL_BOARD, else
 * $XDG_RUNTIME_DIR/crtool.sock, else /tmp/crtool-UID.sock). Nothing is
 * connected until the first call that needs the board. CRT_OK, or
 * CRT_FAILED if out of memory (*out NULL). */
CRT_API int crt_open(const char *path, crt_board **out);

/* Connects now (a call connects by itself otherwise): CRT_OK,
 * CRT_UNREACHABLE or CRT_DENIED. */
CRT_API int crt_connect(crt_board *b);

/* Closes the connection and frees b (NULL: nothing). */
CRT_API void crt_close(crt_board *b);

/* The socket b talks to. */
CRT_API const char *crt_path(const crt_board *b);

/* The sentence of b's last failure, "" after a success. */
CRT_API const char *crt_error(const crt_board *b);

/* The board's code of b's last failure (enum crt_board_error), or
 * CRT_BOARD_OK if the board did not refuse it. */
CRT_API int crt_board_error(const crt_board *b);

/* A few words for a status ("no such process"). */
CRT_API const char *crt_status_text(int status);

/* The version of the library (and of the crtool and manycore built with it). */
CRT_API const char *crt_version(void);

/* Frees a result of a call (NULL: nothing). */
CRT_API void crt_free(void *result);

/*
 * While a long call (dump, restore, migrate) waits for the board, fn is
 * called every interval_ms with what is going on ("dump of pid 7"), the
 * bytes of images written so far (0 if not known) and the seconds since
 * it began. fn NULL: no calls (the default).
 */
typedef void (*crt_progress_fn)(void *ctx, const char *what, uint64_t bytes, double seconds);
CRT_API void crt_set_progress(crt_board *b, crt_progress_fn fn, void *ctx, unsigned interval_ms);

/* ---- processes ---- */

enum crt_proc_state { CRT_RUNNING = 1, CRT_EXITED = 2, CRT_KILLED = 3 };

#define CRT_NAME_MAX 32 /* a process's or an application's name, with its NUL */

/* What the board knows of a process. */
struct crt_proc {
	uint32_t pid;
	uint32_t node;   /* where it runs (ran) */
	uint32_t vnode;  /* its virtual node: where it started */
	uint32_t ns_pid; /* the pid it sees (getpid) */
	int state;       /* enum crt_proc_state */
	int status;      /* once ended: its exit status, or 128+signal */
	char name[CRT_NAME_MAX];
	char app[CRT_NAME_MAX]; /* its application; "" if none */
	char killed_by[16];     /* once killed: fault, limit, deadlock, request,
	                           dumped, migrated, pages lost; else "" */
	uint32_t threads, pages, uarea_bytes;
	uint64_t instructions, kernel_calls, ikc_messages, ikc_bytes;
	/* killed by a fault: what, where, which thread (has_fault 1) */
	int has_fault;
	char fault[32];       /* the trap's name ("load page fault") */
	uint32_t fault_cause; /* mcause */
	uint32_t fault_pc, fault_addr, fault_tid;
};

/* What to start: an ELF (a file, or bytes), where, with what arguments. */
struct crt_run_opts {
	const char *path; /* the rv32imac ELF; or NULL and elf */
	const void *elf;  /* its bytes, elf_len of them */
	size_t elf_len;
	int node;              /* a node, or -1: the least busy compute cluster */
	const uint32_t *nodes; /* SPMD: one process on each (distinct) */
	size_t n_nodes;
	const char *app;         /* its application (1-31 of [A-Za-z0-9._-]) */
	const char *const *argv; /* argv[0] names it; argc 0: path's name */
	size_t argc;
};
#define CRT_RUN_OPTS_INIT                                 \
	{                                                 \
		NULL, NULL, 0, -1, NULL, 0, NULL, NULL, 0 \
	}

/* Starts a program: the new pids (one; or one per node of an SPMD launch,
 * in their order) in *pids (crt_free), *n of them. */
CRT_API int crt_run(crt_board *b, const struct crt_run_opts *o, uint32_t **pids, size_t *n);

/* The board's processes, running and recently ended (of application app
 * only, unless NULL), in pid order: *procs (crt_free), *n of them. */
CRT_API int crt_ps(crt_board *b, const char *app, struct crt_proc **procs, size_t *n);

/* Kills pid (its status becomes 137). */
CRT_API int crt_kill(crt_board *b, uint32_t pid);

/* Waits until pid has ended; how, into *out. */
CRT_API int crt_wait(crt_board *b, uint32_t pid, struct crt_proc *out);

/* Called with each piece of a process's output; lost: bytes before it
 * the board no longer keeps. A non-zero return stops crt_logs (which
 * then returns CRT_OK). */
typedef int (*crt_output_fn)(void *ctx, const void *data, size_t len, uint64_t lost);

/* What pid wrote to stream (1 stdout, 2 stderr), through fn; with follow,
 * until the process ends. */
CRT_API int crt_logs(crt_board *b, uint32_t pid, int stream, int follow, crt_output_fn fn,
                     void *ctx);

/* ---- the board ---- */

struct crt_cluster {
	uint32_t node;
	int io; /* an I/O cluster (runs no program) */
	uint32_t processes;
	uint64_t model_ns; /* its modelled clock */
	uint64_t instructions, rounds;
	uint64_t user_bytes_used, user_bytes_limit;
	uint64_t noc_messages, noc_bytes, noc_hops, noc_model_ns; /* sent from it */
	uint64_t name_hits, name_lookups;
};

struct crt_stats {
	const char *version; /* the board's manycore */
	const char *profile;
	double host_seconds; /* since it started */
	uint64_t host_ns;
	uint64_t model_ns;
	uint64_t spawned;
	uint32_t running;
	uint64_t noc_messages, noc_bytes, noc_hops, noc_model_ns;
	size_t n_features;
	const char *const *features; /* what the board offers ("migrate.pre-copy") */
	size_t n_clusters;
	const struct crt_cluster *clusters;
};

/* The board's figures into *out (crt_free). */
CRT_API int crt_stats(crt_board *b, struct crt_stats **out);

struct crt_check_item {
	const char *feature; /* "migrate.post-copy" */
	const char *what;    /* what it is for */
	int present;
};

struct crt_check {
	const char *version, *profile;
	size_t clusters;
	size_t n_items, missing;
	const struct crt_check_item *items;
};

/* Does the board offer every feature this library needs? Into *out
 * (crt_free); CRT_OK even if some are missing (out->missing says). */
CRT_API int crt_check(crt_board *b, struct crt_check **out);

/* Stops the board (its processes are killed) and returns once it has
 * exited. */
CRT_API int crt_shutdown(crt_board *b);

/* ---- checkpoints ---- */

/* What to dump: one process (n_pids 1), or a group at one cut (several
 * pids, or the running members of app). */
struct crt_dump_opts {
	const uint32_t *pids;
	size_t n_pids;
	const char *app;
	const char *dir;      /* new or empty; made if need be */
	const char *prev_dir; /* the parent (pre-)dump, relative to dir ("../pre") */
	int level;            /* zstd level of the pages, 1-22; 0: raw */
	int pre_dump;         /* pages only; the process runs on */
	int leave_running;    /* a dump: the process runs on */
	int track_mem;        /* a dump: a later one may name it as parent */
};
#define CRT_DUMP_OPTS_INIT                            \
	{                                             \
		NULL, 0, NULL, NULL, NULL, 0, 0, 0, 0 \
	}

struct crt_dump_member {
	uint32_t pid, node;
	char id[24]; /* the set's inventory id, decimal digits, as decode prints it */
	uint64_t freeze_ns, frozen_ns, stream_bytes, model_ns;
	uint32_t pages_scanned, pages_written, pages_zero, pages_in_parent;
	uint64_t bytes_raw, bytes_stored;
	int has_parent;
};

struct crt_dump_result {
	int group; /* a group dump (app.img and a set per member) */
	int pre_dump;
	char app[CRT_NAME_MAX]; /* a group's application ("" if mixed) */
	uint64_t cut_ns;        /* a group: first member frozen to the last */
	uint64_t stream_bytes;
	uint64_t store_ns, total_ns;
	size_t n;
	struct crt_dump_member members[]; /* in pid order */
};

/* Dumps as o says into *out (crt_free). If anything fails, the
 * processes run on and o->dir is as it was. */
CRT_API int crt_dump(crt_board *b, const struct crt_dump_opts *o, struct crt_dump_result **out);

struct crt_restore_opts {
	const char *dir;      /* a dump, or a group dump */
	const int32_t *nodes; /* one for every member, or one each (pid
	                         order); -1: the least busy; none: where each ran
	                         (a single process: the least busy) */
	size_t n_nodes;
	const uint32_t *map_from; /* a group: members that ran on map_from[i] */
	const uint32_t *map_to;   /* go to map_to[i] */
	size_t n_map;
	int new_pid; /* fresh pids (a second copy) */
};
#define CRT_RESTORE_OPTS_INIT                   \
	{                                       \
		NULL, NULL, 0, NULL, NULL, 0, 0 \
	}

struct crt_restore_member {
	uint32_t pid, node;
	uint64_t stream_bytes, model_ns, restore_ns;
};

struct crt_restore_result {
	int group;
	char app[CRT_NAME_MAX];
	uint64_t open_ns;    /* reading and checking the images */
	uint64_t restore_ns; /* the board: request to every member running */
	uint64_t resume_ns;  /* a group: first member thawed to the last */
	uint64_t total_ns;
	size_t n;
	struct crt_restore_member members[];
};

/* Restores the dump in o->dir into *out (crt_free); all or nothing. */
CRT_API int crt_restore(crt_board *b, const struct crt_restore_opts *o,
                        struct crt_restore_result **out);

/* ---- migration ---- */

enum crt_mode { CRT_STOP_COPY = 0, CRT_PRE_COPY = 1, CRT_POST_COPY = 2 };

/* "stop-copy", "pre-copy", "post-copy"; NULL for another number. */
CRT_API const char *crt_mode_name(int mode);
/* The mode named name, or -1. */
CRT_API int crt_mode_of(const char *name);

struct crt_migrate_opts {
	const uint32_t *pids; /* one: that process; several: a group */
	size_t n_pids;
	const char *app;    /* or the running members of app */
	const uint32_t *to; /* one node for all, or one each (pid order) */
	size_t n_to;
	const uint32_t *map_from; /* or: members on map_from[i] go to map_to[i] */
	const uint32_t *map_to;
	size_t n_map;
	int mode;            /* enum crt_mode */
	uint32_t max_rounds; /* pre-copy, 1-64; 0: the board's default */
};
#define CRT_MIGRATE_OPTS_INIT                                           \
	{                                                               \
		NULL, 0, NULL, NULL, 0, NULL, NULL, 0, CRT_STOP_COPY, 0 \
	}

struct crt_migration {
	uint32_t pid, from;
	int32_t to; /* -1: not asked to move (--map left it) */
	int status; /* CRT_OK: moved; else it runs on where it was */
	char error[512];
	uint64_t freeze_ns, downtime_ns, total_ns, model_ns;
	uint64_t bytes;
	uint32_t pages, rounds;
	uint32_t lazy_pages, faults, pushed; /* post-copy */
};

struct crt_migrate_result {
	int group;
	int mode;
	size_t moved, failed, stayed;
	uint64_t total_ns, downtime_max_ns;
	size_t n;
	struct crt_migration members[]; /* in pid order */
};

/* Moves processes as o says, every one at once, into *out (crt_free).
 * CRT_FAILED (with *out set) if one could not move: it runs on where it
 * was, as does every other that failed. */
CRT_API int crt_migrate(crt_board *b, const struct crt_migrate_opts *o,
                        struct crt_migrate_result **out);

/* Moves every process off node: to the nodes of to in turn (n_to 0:
 * each to the compute cluster running fewest), in mode; as crt_migrate. */
CRT_API int crt_drain(crt_board *b, uint32_t node, const uint32_t *to, size_t n_to, int mode,
                      struct crt_migrate_result **out);

/* ---- JSON ---- */

/*
 * One call described in JSON, its result in JSON: the objects crtool's
 * --json prints (docs/json.md), for bindings in other languages.
 * request: {"call": "ps", "app": "x"}, {"call": "dump", "pids": [7],
 * "dir": "d", "leave_running": true}, ... (docs/libcrtool.md lists them).
 * *reply (crt_free) is set on CRT_OK, and also on a group migration's
 * CRT_FAILED; after any other failure crt_error() says why.
 */
CRT_API int crt_call_json(crt_board *b, const char *request, char **reply);

#ifdef __cplusplus
}
#endif

#endif /* LIBCRTOOL_H */
