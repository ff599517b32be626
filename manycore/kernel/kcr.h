/*
 * kcr.h - the cluster kernel as checkpoint and restore see it: the one
 * header of the kernel that kernel-hooks/ includes (with the UArea's
 * layout, uarea.h), so that the same hooks could sit in a real
 * microkernel.
 *
 * It gives: freeze and thaw, stop points; the UArea of a process, its
 * clock, and an iterator over its pages (no lookup by pid a page, no
 * fetch as a side effect); map and rebuild (a build, and the address
 * space a pre-copy fills ahead, a space); a post-copy's explicit page
 * calls; the save of a process's NoC endpoints (their load is part of a
 * build's commit); and the cluster's node and profile.
 *
 * Between two rounds every thread is between two instructions: ready,
 * blocked in a kernel call with its pc on the ecall (restartable), or a
 * zombie. A frozen process is simply not scheduled; timers and the NoC
 * may still make its threads ready, which it sees when thawed. Only c's
 * own thread calls these, between c's rounds.
 */
#ifndef KCR_H
#define KCR_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/pidns.h"
#include "kernel/uarea.h"
#include "noc/endpoints.h"

struct cluster;
struct crerr;
struct profile;
struct vm;

/* Page permissions, as the UArea's regions hold them. */
#define KCR_PROT_R 0x2u
#define KCR_PROT_W 0x4u
#define KCR_PROT_X 0x8u

/* Brings the bytes of remote page va into frame (its page-sized frame's
 * host memory): 0, or -errno if they are lost. frame NULL: the page was
 * unmapped before they came (nothing may land there). Called with
 * KCR_FILL_DONE (frame NULL) once, when no remote page is left or the
 * address space goes; never again after that. */
#define KCR_FILL_DONE 0xffffffffu
typedef int (*kcr_fill_fn)(void *ctx, uint32_t va, uint8_t *frame);

/* The host's monotonic clock, in ns: for the figures of a checkpoint or
 * a migration (freeze, downtime), never for guest-visible time. */
uint64_t kcr_now_ns(void);

/* The cluster's node and profile. */
uint32_t kcr_node(const struct cluster *c);
const struct profile *kcr_profile(const struct cluster *c);

/* The UArea of pid (running or ended), or NULL. Valid until the next
 * call that runs the cluster. */
const struct uarea *kcr_uarea(const struct cluster *c, uint32_t pid);

/* The pid name space pid lives in (pidns.h), or NULL: the board's. Valid
 * as kcr_uarea's answer. */
const struct pidns *kcr_pidns(const struct cluster *c, uint32_t pid);

/* Copies the NoC endpoints pid holds on c (and what is queued on them)
 * into a new array *eps of *neps (endpoints.h; free it with
 * endpoints_free). 0, or -ENOMEM. A cluster on its own has none. */
int kcr_endpoints_save(struct cluster *c, uint32_t pid, struct noc_ep **eps, uint32_t *neps);

/* Freezes (thaws) running process pid. 0, or -ESRCH (no such running
 * process). Freezing a frozen process, or thawing a thawed one, is 0. */
int kcr_freeze(struct cluster *c, uint32_t pid);
int kcr_thaw(struct cluster *c, uint32_t pid);

/* Seals pid's NoC endpoints (noc_seal): what is sent to it waits, until
 * it is thawed (kcr_thaw unseals) or ends. For a dump that ends it,
 * from before its capture. 0, -ESRCH, or -ENOSPC (too many at once). */
int kcr_seal(struct cluster *c, uint32_t pid);

/* Freezes pid as soon as it has retired insns instructions (all its
 * threads, gone and live), exactly, and calls hooks.stopped. 0 clears
 * it. 0 or -ESRCH. */
int kcr_set_stop(struct cluster *c, uint32_t pid, uint64_t insns);
/* pid's stop point (0: none, or no such process): a migration carries it. */
uint64_t kcr_stop_point(const struct cluster *c, uint32_t pid);

/*
 * The pages of a process, in address order, each once: the page tables
 * walked in step (a table a 4 MiB, then its entries one after another),
 * without touching the pages' A and D bits or the TLB. A capture reads
 * them where they lie while the process stays frozen on c and c does
 * nothing else. A remote page (post-copy: its bytes are still on the
 * node it moved from) is told as such, nothing fetched; kcr_pages_fetch
 * brings it in, when the caller asks.
 */
struct kcr_page {
	uint32_t va;
	const uint8_t *bytes; /* where the page lies (NULL while remote) */
	uint8_t *landing;     /* remote: the frame its bytes are to land in */
	int remote;           /* its bytes are still on the source of a post-copy */
	int dirty;            /* written since mapped, or since kcr_clean_pages */
	int zero;             /* known all zero without reading it (never written) */
};
struct kcr_pages {
	struct vm *vm;    /* the process's address space */
	uint32_t va, end; /* next page to look at, and the end of the range */
};
/* Starts it at pid's pages in [start, end) (page-aligned). 0 or -ESRCH
 * (no such live process). */
int kcr_pages_begin(struct cluster *c, uint32_t pid, uint32_t start, uint32_t end,
                    struct kcr_pages *it);
/* The next mapped page into *pg: 1, or 0 past the last. */
int kcr_pages_next(struct kcr_pages *it, struct kcr_page *pg);
/* Brings in remote page pg->va of the iterator's process (one
 * kcr_pages_next told, or one whose bytes a post-copy landed in its
 * frame) through the post-copy filler, and tells it anew: 0, or -EIO if
 * its bytes were lost with their node. No effect on a present page. */
int kcr_pages_fetch(struct kcr_pages *it, struct kcr_page *pg);

/* Clears the dirty bit of every user page of pid and flushes its TLB,
 * so that later writes set them again. 0 or -ESRCH. */
int kcr_clean_pages(struct cluster *c, uint32_t pid);

/* The process's monotonic time now, in cycles (its clock goes on across
 * clusters: see kcr_build_commit). 0 if there is no such process. */
uint64_t kcr_process_clock(const struct cluster *c, uint32_t pid);

/* Frees user pages (and the page tables they need) on c now. */
uint32_t kcr_free_user_pages(const struct cluster *c);

/* Readies the host memory of the frames a restore of pages user pages
 * (and their page tables) would take next, and makes the empty address
 * space the next build takes: an emulation matter, so that a
 * migration's frozen step does not wait for the host to back fresh
 * memory (tens of microseconds for a small process). */
void kcr_warm_frames(struct cluster *c, uint32_t pages);

/*
 * Rebuilding a process (restore): begin reserves a table entry and an
 * empty address space for pid; the caller fills the UArea (header and
 * nslots slots: the page-table root and page count are set at commit),
 * maps and writes pages, then commits, which attaches pid to this node
 * on the NoC with its input endpoints eps (noc.h: their queued messages
 * and signals), registers it with the name service and makes it runnable
 * (frozen if asked), with its clock going on from clock (cycles). Abort
 * (or any failed step followed by abort) leaves the cluster exactly as
 * it was. Errors: -EEXIST (pid in use on this cluster or on the NoC),
 * -EAGAIN (process table full), -ENOMEM, -EINVAL (bad address); e
 * says which.
 */
struct kcr_build;
int kcr_build_begin(struct cluster *c, uint32_t pid, unsigned nslots, struct kcr_build **out,
                    struct crerr *e);
/* A migration's build: pid still lives on node from (frozen), and commit
 * takes it over from there: the NoC moves its endpoints, with whatever
 * was queued on them meanwhile, and the name service learns the new node
 * (endpoints_move); eps are then ignored. The source copy must then be
 * released with kcr_release_moved. */
int kcr_build_begin_move(struct cluster *c, uint32_t pid, unsigned nslots, uint32_t from,
                         struct kcr_build **out, struct crerr *e);
struct uarea *kcr_build_uarea(struct kcr_build *b);
/* How kcr_build_map takes pages: zeroed; filled (the caller will
 * write every byte through kcr_build_page before commit, so they are
 * not zeroed first); or remote (post-copy: their bytes come later,
 * through the build's filler, kcr_fill_fn). */
enum kcr_map { KCR_MAP_ZERO, KCR_MAP_FILLED, KCR_MAP_REMOTE };
int kcr_build_map(struct kcr_build *b, uint32_t va, uint32_t len, unsigned prot, enum kcr_map how);
/* The filler of the build's remote pages. */
void kcr_build_fill(struct kcr_build *b, kcr_fill_fn fn, void *ctx);
/* The host address of the mapped page at va (CORE_PAGE_SIZE bytes), for
 * the restore to write into directly; NULL if not mapped. */
uint8_t *kcr_build_page(struct kcr_build *b, uint32_t va);
/* The process is built into name space ns (a copy; NULL: the board's):
 * 0, -EINVAL (ns is not well formed for it, pidns_check), -ENOMEM. */
int kcr_build_pidns(struct kcr_build *b, const struct pidns *ns);

/*
 * An address space filled ahead of its process: a pre-copy migration's
 * rounds land in it while the process still runs on its source, so that
 * the rebuild finds them in place (kcr_build_adopt). Its frames come
 * out of c's user memory as they are mapped; free gives them back. Only
 * c's own thread may use it.
 */
struct kcr_space;
/* NULL if out of memory. */
struct kcr_space *kcr_space_new(struct cluster *c);
void kcr_space_free(struct kcr_space *sp);
/* As kcr_build_map (zeroed or filled; not remote). */
int kcr_space_map(struct kcr_space *sp, uint32_t va, uint32_t len, unsigned prot, enum kcr_map how);
/* Unmaps [va, va + len), giving its frames back; unmapped pages skipped. */
int kcr_space_unmap(struct kcr_space *sp, uint32_t va, uint32_t len);
/* Sets the permissions of the mapped pages of [va, va + len). */
int kcr_space_protect(struct kcr_space *sp, uint32_t va, uint32_t len, unsigned prot);
/* The host address of mapped page va, to be rewritten whole; NULL if
 * not mapped. */
uint8_t *kcr_space_page(struct kcr_space *sp, uint32_t va);
/* Is page va mapped in sp? */
int kcr_space_mapped(struct kcr_space *sp, uint32_t va);
/* Pages mapped in sp. */
uint32_t kcr_space_pages(const struct kcr_space *sp);
/* b, with nothing mapped yet, takes sp's pages as its own, and sp is
 * freed: -EINVAL (b has pages or sp is of another cluster) leaves both. */
int kcr_build_adopt(struct kcr_build *b, struct kcr_space *sp);

struct noc_ep;
int kcr_build_commit(struct kcr_build *b, uint64_t clock, int frozen, const struct noc_ep *eps,
                     uint32_t neps, struct crerr *e);
void kcr_build_abort(struct kcr_build *b);

/* Frees the copy of pid that moved to another cluster (its NoC presence
 * went with it): no exit is reported (the process lives on elsewhere).
 * 0 or -ESRCH. */
int kcr_release_moved(struct cluster *c, uint32_t pid);

/*
 * The migration daemon's door (kernel-hooks/migd.h), for kmigrate_to: a
 * thread of pid asks to move the process to node in mode (NV_MIGRATE_*).
 * fn returns 0 if it took the request (the thread waits, UWAIT_MIGRATE,
 * until the process runs on node, where the call returns 0, or until
 * kcr_migrate_failed) or a negative errno the call returns at once.
 * Called on the cluster's host thread, inside cluster_round: fn must not
 * call back into the cluster. Without one, kmigrate_to gives -ENOSYS.
 */
typedef int (*kcr_migrate_fn)(void *ctx, uint32_t pid, uint32_t node, uint32_t mode);
void kcr_set_migrate(struct cluster *c, kcr_migrate_fn fn, void *ctx);

/* pid's move failed with err (a negative errno): its threads waiting in
 * kmigrate_to get err and run on. */
void kcr_migrate_failed(struct cluster *c, uint32_t pid, int err);

#endif /* KCR_H */
