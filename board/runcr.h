/*
 * runcr.h - checkpoints inside `manycore run` (--cr KIND@N): the first
 * program is frozen exactly when it has retired N instructions, dumped
 * to an image directory through the board's checkpoint path, and
 * restored from it on the next compute cluster; or pre-dumped, so that
 * the next dump is incremental. The zdtm-style tests use it to check that
 * a program under C/R prints what its plain run prints.
 */
#ifndef RUNCR_H
#define RUNCR_H

#include <stdint.h>

struct board;

#define RUNCR_POINTS_MAX 64

enum runcr_kind {
	RUNCR_DUMP = 1, /* dump, end, restore on the next compute cluster */
	RUNCR_PRE,      /* pre-dump; the next dump names it as parent */
	RUNCR_MIG,      /* migrate (stop-copy) to the next compute cluster */
	RUNCR_PMIG,     /* migrate (pre-copy) to the next compute cluster */
	RUNCR_POSTMIG,  /* migrate (post-copy): its pages follow as it runs */
	RUNCR_APPDUMP,  /* dump every running process as one group, at one cut,
	                 * end them, restore the group where it ran */
	RUNCR_APPMOVE,  /* the same, each member restored on the compute cluster
	                 * after the one it ran on */
	RUNCR_APPCOPY,  /* dump every running process but copies as one group,
	                 * leave them running, restore a copy beside them
	                 * (new pids, a pid name space; its output marked) */
	RUNCR_APPMIG,   /* migrate every running process, each to the compute
	                 * cluster after its own, the modes in turn */
	RUNCR_DRAIN,    /* migrate every process off the first program's
	                 * cluster, to the ones after it, the modes in turn */
};

struct runcr_point {
	enum runcr_kind kind;
	uint64_t at;
};

struct runcr {
	struct runcr_point point[RUNCR_POINTS_MAX];
	unsigned n, next;
	char dir[4096]; /* where the image sets go */
	int keep;       /* dir was given: keep it */
	int level;      /* zstd level */
	int quiet;
	uint64_t parent_id; /* the last pre-dump since the last restore */
	char parent[64];    /* its directory's name in dir */
	int failed;         /* a checkpoint or restore failed */
};

/* Adds point "KIND@N" (dump@N, pre@N, mig@N, premig@N, postmig@N,
 * appdump@N, appmove@N): 0, or -EINVAL. */
int runcr_add(struct runcr *r, const char *spec);

/* Makes dir (given, or a temporary one) and sorts the points. 0 or -errno. */
int runcr_setup(struct runcr *r, const char *dir);

/* Removes the temporary directory. */
void runcr_cleanup(struct runcr *r);

/* board_config.on_stop: takes the point pid reached and arms the next. */
void runcr_on_stop(void *ctx, struct board *b, uint32_t pid);

#endif /* RUNCR_H */
