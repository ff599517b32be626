/*
 * pidns.h - pid name spaces: the pids a group copy's members see.
 *
 * A group restored beside its running original (crtool restore
 * --new-pid) gets pids of its own on the board, while its members hold
 * the old ones in their memory. So each member lives in a name space: a
 * table of the group's members, each with the pid its peers see (the one
 * it was dumped with), the pid it has on the board and its virtual node.
 * The kernel translates at the kernel-call boundary only: a pid a member
 * names (open, read-from, allow, a sync's set, lookup) is taken as a seen
 * pid, and a pid the kernel hands back (getpid, kname_vnode) is given as
 * one. Inside, everything (UArea, NoC, name service) is board pids. A pid
 * that is no member's seen pid is the board's own, so members reach
 * processes outside the name space as the original did, and processes
 * outside reach members by their board pids. A process outside every
 * name space (ns NULL) sees board pids: each function is then identity.
 *
 * The table is not in the UArea (it is the group's, as Linux's pid
 * namespace is an object its processes point to): each cluster keeps a
 * copy per process that lives in one (struct kproc), saved with the
 * process in uarea.img and rebuilt wherever it is restored or moved.
 */
#ifndef PIDNS_H
#define PIDNS_H

#include <stdint.h>

#define PIDNS_MAX 64 /* members of a name space: those of a group dump */

struct pidns_name {
	uint32_t seen;  /* the pid its peers name it by */
	uint32_t pid;   /* its pid on the board */
	uint32_t vnode; /* its virtual node */
};

struct pidns {
	uint32_t n;
	struct pidns_name name[PIDNS_MAX];
};

/* The board pid a process of ns means by seen. */
uint32_t pidns_to_board(const struct pidns *ns, uint32_t seen);

/* The pid a process of ns sees for board pid pid. */
uint32_t pidns_to_seen(const struct pidns *ns, uint32_t pid);

/* 1 with *seen if a member of ns holds virtual node vnode (a lookup from
 * inside finds it there, not the original's), else 0. */
int pidns_vnode(const struct pidns *ns, uint32_t vnode, uint32_t *seen);

/* 0 if ns is well formed: 1 to PIDNS_MAX names, no pid 0, seen pids
 * distinct, board pids distinct, one of them self; else -EINVAL. */
int pidns_check(const struct pidns *ns, uint32_t self);

#endif /* PIDNS_H */
