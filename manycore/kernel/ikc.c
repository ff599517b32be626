/*
 * ikc.c - inter-cluster communication in the kernel: the kmailbox_*,
 * kportal_* and ksync_* calls, the name service and its per-cluster
 * cache (design.md §5 "naming").
 *
 * A process's endpoints live in its UArea and name peers by pid. Each use
 * resolves the pid to a node: from the cluster's cache, else by asking
 * the name service, a kernel service on node KNAME_NODE, over the NoC;
 * the caller blocks (UWAIT_LOOKUP) until the answer comes, which either
 * fills the cache and makes it retry, or completes its call with -ESRCH.
 * A call the NoC cannot serve yet blocks (UWAIT_IKC) with pc on its
 * ecall; whenever the cluster's doorbell rings, every such thread issues
 * its call again. Each call is atomic: it completes at once or changes
 * nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "kernel/ikc.h"
#include "kernel/kclock.h"
#include "kernel/kernel_priv.h"
#include "kernel/names.h"
#include "kernel/pidns.h"
#include "kernel/thread.h"
#include "kernel/vm.h"
#include "nanvix/abi.h"
#include "noc/doorbell.h"
#include "noc/endpoints.h"
#include "noc/mailbox.h"
#include "noc/noc.h"
#include "noc/portal.h"
#include "noc/sync.h"
#include "params/profile.h"

_Static_assert(NV_SYNC_MAX == NOC_SYNC_MEMBERS, "ABI: sync set size");
_Static_assert(NV_MAILBOX_SIZE == NOC_MAILBOX_MAX, "ABI: mailbox payload");
_Static_assert(NV_IKC_MAX == UAREA_IKC_MAX, "ABI: endpoints per process");

void ikc_poll(struct cluster *c)
{
	if (!c->noc || !doorbell_take(c->noc, c->node))
		return;
	names_poll(c);
	for (uint32_t pi = 0; pi < c->prof->processes_per_cluster; pi++) {
		struct uarea *ua = c->procs[pi].ua;
		if (!ua || ua->state != UPROC_RUNNING)
			continue;
		for (unsigned s = 0; s < ua->nslots; s++)
			if (ua->slot[s].state == UTHREAD_BLOCKED && ua->slot[s].wait == UWAIT_IKC)
				thread_wake(c, pi, s);
	}
}

/* ---- endpoints ---- */

/* A free endpoint slot, or -EMFILE. */
static int ikc_slot_new(struct uarea *ua)
{
	for (int i = 0; i < UAREA_IKC_MAX; i++)
		if (ua->ikc[i].kind == UIKC_FREE)
			return i;
	return -EMFILE;
}

/* The endpoint id of kind, or NULL. */
static struct uikc *ikc_get(struct kctx *k, uint32_t id, unsigned kind)
{
	if (id >= UAREA_IKC_MAX || k->ua->ikc[id].kind != kind)
		return NULL;
	return &k->ua->ikc[id];
}

/* The caller waited for the NoC until ns: its time, and the cluster's at
 * the end of the round, move there. */
static void ikc_advance(struct kctx *k, uint64_t ns)
{
	uint64_t cy = kclock_cycles_at(ns);
	int64_t at = (int64_t)cy - k->ua->clock_offset; /* in the cluster's time */

	if (cy > k->t->hart.clock)
		k->t->hart.clock = cy;
	if (at > 0 && (uint64_t)at > k->c->ikc_until)
		k->c->ikc_until = (uint64_t)at;
}

/* The peer pid is not on the node the cache named (it ended, or it was
 * restored or moved elsewhere): the name service is asked again and the
 * call re-issued with its answer, or failed with -ESRCH if pid is gone. */
static enum kcall_result ikc_moved(struct kctx *k, uint32_t pid)
{
	uint32_t node;

	names_forget(k->c, pid);
	(void)names_resolve(k->c, pid, 1, &node); /* not cached now: asks, -EAGAIN */
	return kctx_block(k, UWAIT_LOOKUP, pid, 0, 0);
}

/* The board pid the caller means by pid (pidns.h). */
static uint32_t ikc_pid(const struct kctx *k, uint32_t pid)
{
	return pidns_to_board(k->c->procs[k->pi].ns, pid);
}

/* What a -EAGAIN from resolving pid or from the NoC means for the call. */

static enum kcall_result ikc_wait(struct kctx *k, int rc, uint32_t what, int32_t *ret)
{
	if (rc == -EAGAIN)
		return kctx_block(k, UWAIT_IKC, what, 0, 0);
	*ret = rc;
	return KCALL_DONE;
}

/* A port-creating call: mailbox or portal input end on port. */
static int32_t ikc_create_in(struct kctx *k, unsigned kind, uint32_t port)
{
	uint32_t ports =
		kind == UIKC_MAILBOX_IN ? k->c->prof->mailbox_ports : k->c->prof->portal_ports;
	int id, rc;

	if (port >= ports)
		return -EINVAL;
	for (int i = 0; i < UAREA_IKC_MAX; i++)
		if (k->ua->ikc[i].kind == kind && k->ua->ikc[i].port == port)
			return -EBUSY;
	id = ikc_slot_new(k->ua);
	if (id < 0)
		return id;
	rc = kind == UIKC_MAILBOX_IN ? mailbox_create(k->c->noc, k->c->node, k->ua->pid, port)
	                             : portal_create(k->c->noc, k->c->node, k->ua->pid, port);
	if (rc)
		return rc;
	memset(&k->ua->ikc[id], 0, sizeof(k->ua->ikc[id]));
	k->ua->ikc[id].kind = (uint8_t)kind;
	k->ua->ikc[id].port = port;
	return id;
}

/* An output end to (pid, port); blocks while the name service answers. */
static enum kcall_result ikc_open_out(struct kctx *k, unsigned kind, uint32_t pid, uint32_t port,
                                      int32_t *ret)
{
	uint32_t ports =
		kind == UIKC_MAILBOX_OUT ? k->c->prof->mailbox_ports : k->c->prof->portal_ports;
	uint32_t node;
	int id, rc;

	if (port >= ports || pid == NOC_KERNEL_PID) {
		*ret = -EINVAL;
		return KCALL_DONE;
	}
	if ((id = ikc_slot_new(k->ua)) < 0) {
		*ret = id;
		return KCALL_DONE;
	}
	/* Opening checks that the peer exists, so that a wrong pid is an
	 * error here rather than a write that waits for ever. */
	rc = names_resolve(k->c, pid, 1, &node);
	if (rc == -EAGAIN)
		return kctx_block(k, UWAIT_LOOKUP, pid, 0, 0);
	memset(&k->ua->ikc[id], 0, sizeof(k->ua->ikc[id]));
	k->ua->ikc[id].kind = (uint8_t)kind;
	k->ua->ikc[id].port = port;
	k->ua->ikc[id].pid = pid;
	*ret = id;
	return KCALL_DONE;
}

/* A tag from user space: NV_TAG_ANY (if any may be) or 0 .. NV_TAG_MAX,
 * as the NoC's; NOC_TAG_NONE if it is neither. */
static uint32_t ikc_tag(uint32_t tag, int any)
{
	if (any && tag == NV_TAG_ANY)
		return NOC_TAG_ANY;
	return tag <= NV_TAG_MAX ? tag : NOC_TAG_NONE;
}

/* Reads the oldest message from process from (0: any) tagged tag. */
static int32_t ikc_mailbox_read(struct kctx *k, uint32_t id, uint32_t buf, uint32_t size,
                                uint32_t from, uint32_t tag, int *again)
{
	struct uikc *e = ikc_get(k, id, UIKC_MAILBOX_IN);
	uint8_t msg[NOC_MAILBOX_MAX];
	uint64_t arrival;
	int rc;

	if (!e)
		return -EBADF;
	if (size == 0 || size > k->c->prof->mailbox_payload || tag == NOC_TAG_NONE)
		return -EINVAL;
	/* Probe the buffer by rewriting its bytes, so that a bad one fails
	 * before a message is taken (and lost). */
	if (vm_copy_in(k->vm, msg, buf, size) || vm_copy_out(k->vm, buf, msg, size))
		return -EFAULT;
	rc = mailbox_recv_from(k->c->noc, k->c->node, k->ua->pid, e->port, from, tag, msg,
	                       &arrival);
	if (rc == -EAGAIN) {
		*again = 1;
		return 0;
	}
	if (rc)
		return rc;
	ikc_advance(k, arrival);
	vm_copy_out(k->vm, buf, msg, size); /* cannot fail: probed above */
	return (int32_t)size;
}

/* Sends one message tagged tag (NOC_TAG_NONE: untagged). */
static enum kcall_result ikc_mailbox_write(struct kctx *k, uint32_t id, uint32_t buf, uint32_t size,
                                           uint32_t tag, int32_t *ret)
{
	struct uikc *e = ikc_get(k, id, UIKC_MAILBOX_OUT);
	uint8_t msg[NOC_MAILBOX_MAX] = { 0 };
	uint32_t node;
	int rc;

	*ret = 0;
	if (!e)
		*ret = -EBADF;
	else if (size == 0 || size > k->c->prof->mailbox_payload)
		*ret = -EINVAL;
	else if (vm_copy_in(k->vm, msg, buf, size))
		*ret = -EFAULT;
	if (*ret)
		return KCALL_DONE;
	if (names_resolve(k->c, e->pid, 0, &node))
		return kctx_block(k, UWAIT_LOOKUP, e->pid, 0, 0);
	rc = mailbox_send_tagged(k->c->noc, k->c->node, k->ua->pid, node, e->pid, e->port, tag, msg,
	                         kclock_ns(k->t));
	if (rc == -ESRCH)
		return ikc_moved(k, e->pid);
	if (rc)
		return ikc_wait(k, rc, id, ret);
	k->ua->ikc_messages++;
	k->ua->ikc_bytes += k->c->prof->mailbox_payload;
	*ret = (int32_t)size;
	return KCALL_DONE;
}

/* Portal data moves straight between user memory and the NoC. */
struct ikc_copy {
	struct vm *vm;
	uint32_t base;
};

static int ikc_copy_in(void *ctx, void *buf, uint32_t off, uint32_t n)
{
	struct ikc_copy *cp = ctx;

	return vm_copy_in(cp->vm, buf, cp->base + off, n);
}

static int ikc_copy_out(void *ctx, void *buf, uint32_t off, uint32_t n)
{
	struct ikc_copy *cp = ctx;

	return vm_copy_out(cp->vm, cp->base + off, buf, n);
}

/* A portal write: of the pid API (tag NOC_TAG_NONE: it waits for the
 * receiver's allow) or tagged (held by the receiver at once). */
static enum kcall_result ikc_portal_write(struct kctx *k, uint32_t id, uint32_t buf, uint32_t size,
                                          uint32_t tag, int32_t *ret)
{
	struct uikc *e = ikc_get(k, id, UIKC_PORTAL_OUT);
	struct ikc_copy cp = { k->vm, buf };
	uint64_t done;
	uint32_t node;
	int rc;

	if (!e || size == 0 || size > k->c->prof->portal_max) {
		*ret = e ? -EINVAL : -EBADF;
		return KCALL_DONE;
	}
	if (names_resolve(k->c, e->pid, 0, &node))
		return kctx_block(k, UWAIT_LOOKUP, e->pid, 0, 0);
	/* The copy runs under the NoC's lock: no page may be fetched then. */
	if (vm_fill_range(k->vm, buf, size)) {
		*ret = -EFAULT;
		return KCALL_DONE;
	}
	rc = tag == NOC_TAG_NONE
	             ? portal_write(k->c->noc, k->c->node, k->ua->pid, node, e->pid, e->port, size,
	                            ikc_copy_in, &cp, kclock_ns(k->t), &done)
	             : portal_write_tagged(k->c->noc, k->c->node, k->ua->pid, node, e->pid, e->port,
	                                   tag, size, ikc_copy_in, &cp, kclock_ns(k->t), &done);
	if (rc == -ESRCH)
		return ikc_moved(k, e->pid);
	if (rc)
		return ikc_wait(k, rc, id, ret);
	ikc_advance(k, done); /* the sender waits for its DMA */
	k->ua->ikc_messages++;
	k->ua->ikc_bytes += size;
	*ret = (int32_t)size;
	return KCALL_DONE;
}

static enum kcall_result ikc_portal_read(struct kctx *k, uint32_t id, uint32_t buf, uint32_t size,
                                         int32_t *ret)
{
	struct uikc *e = ikc_get(k, id, UIKC_PORTAL_IN);
	struct ikc_copy cp = { k->vm, buf };
	uint64_t arrival;
	int rc;

	if (!e || vm_fill_range(k->vm, buf,
	                        size < k->c->prof->portal_max ? size : k->c->prof->portal_max)) {
		*ret = e ? -EFAULT : -EBADF;
		return KCALL_DONE;
	}
	rc = portal_read(k->c->noc, k->c->node, k->ua->pid, e->port, size, ikc_copy_out, &cp,
	                 &arrival);
	if (rc < 0)
		return ikc_wait(k, rc, id, ret);
	ikc_advance(k, arrival);
	*ret = rc;
	return KCALL_DONE;
}

/* ---- syncs ---- */

/* Reads and checks a sync set: n pids (2 .. NV_SYNC_MAX), distinct, not
 * 0, type known. 0 or a negative errno. */
static int ikc_sync_set(struct kctx *k, uint32_t upids, uint32_t n, uint32_t type, uint32_t *pids)
{
	if (n < 2 || n > NOC_SYNC_MEMBERS ||
	    (type != NV_SYNC_ONE_TO_ALL && type != NV_SYNC_ALL_TO_ONE))
		return -EINVAL;
	if (vm_copy_in(k->vm, pids, upids, n * 4))
		return -EFAULT;
	for (uint32_t i = 0; i < n; i++) {
		if (pids[i] == NOC_KERNEL_PID)
			return -EINVAL;
		for (uint32_t j = 0; j < i; j++)
			if (pids[i] == pids[j])
				return -EINVAL;
	}
	return 0;
}

/* Another input endpoint of the process on the sync key, but skip. */
static int ikc_sync_shared(const struct uarea *ua, uint32_t key, const struct uikc *skip)
{
	for (int i = 0; i < UAREA_IKC_MAX; i++)
		if (&ua->ikc[i] != skip && ua->ikc[i].kind == UIKC_SYNC_IN && ua->ikc[i].key == key)
			return 1;
	return 0;
}

/* Both ends derive the same key from the set and its type. */
static uint32_t ikc_sync_key(const uint32_t *pids, uint32_t n, uint32_t type)
{
	return XXH32(pids, n * sizeof(*pids), type);
}

static int32_t ikc_sync_endpoint(struct kctx *k, uint32_t upids, uint32_t n, uint32_t type,
                                 int input)
{
	uint32_t pids[NOC_SYNC_MEMBERS], me = k->ua->pid, key;
	int master, member = 0, id, rc;

	rc = ikc_sync_set(k, upids, n, type, pids);
	if (rc)
		return rc;
	/* The key comes from the set as the process names it, so that a
	 * group copy's members, in a name space of their own, meet each
	 * other and not the original's (pidns.h); the members themselves
	 * are board pids. */
	key = ikc_sync_key(pids, n, type);
	for (uint32_t i = 0; i < n; i++)
		pids[i] = ikc_pid(k, pids[i]);
	for (uint32_t i = 1; i < n; i++)
		member |= pids[i] == me;
	master = pids[0] == me;
	/* Who waits: one-to-all, the others; all-to-one, the master. */
	if (!master && !member)
		return -EINVAL;
	if ((type == NV_SYNC_ONE_TO_ALL) == (input ? master : member))
		return -EINVAL;
	if ((id = ikc_slot_new(k->ua)) < 0)
		return id;
	if (k->ua->sync_used + n > UAREA_SYNC_POOL)
		return -EMFILE;
	/* A set may be created again (Nanvix allows it): the new id shares
	 * the NoC's sync, whose signals either id waits for. */
	if (input && !ikc_sync_shared(k->ua, key, NULL)) {
		rc = type == NV_SYNC_ONE_TO_ALL
		             ? sync_create(k->c->noc, k->c->node, me, key, pids, 1)
		             : sync_create(k->c->noc, k->c->node, me, key, pids + 1, n - 1);
		if (rc)
			return rc;
	}
	memset(&k->ua->ikc[id], 0, sizeof(k->ua->ikc[id]));
	k->ua->ikc[id].kind = input ? UIKC_SYNC_IN : UIKC_SYNC_OUT;
	k->ua->ikc[id].type = (uint8_t)type;
	k->ua->ikc[id].nmembers = (uint8_t)n;
	k->ua->ikc[id].pool = (uint8_t)k->ua->sync_used;
	k->ua->ikc[id].key = key;
	memcpy(&k->ua->sync_pool[k->ua->sync_used], pids, n * 4);
	k->ua->sync_used += n;
	return id;
}

static enum kcall_result ikc_sync_signal(struct kctx *k, uint32_t id, int32_t *ret)
{
	struct uikc *e = ikc_get(k, id, UIKC_SYNC_OUT);
	uint32_t nodes[NOC_SYNC_MEMBERS], pids[NOC_SYNC_MEMBERS], n = 0, missing = 0;
	const uint32_t *set;
	int rc;

	if (!e) {
		*ret = -EBADF;
		return KCALL_DONE;
	}
	set = &k->ua->sync_pool[e->pool];
	if (e->type == NV_SYNC_ALL_TO_ONE)
		pids[n++] = set[0];
	else
		for (uint32_t i = 1; i < e->nmembers; i++)
			pids[n++] = set[i];
	/* Ask about every unknown member at once, then wait for the first. */
	for (uint32_t i = 0; i < n; i++)
		if (names_resolve(k->c, pids[i], 0, &nodes[i]) && !missing)
			missing = pids[i];
	if (missing)
		return kctx_block(k, UWAIT_LOOKUP, missing, 0, 0);
	rc = sync_signal(k->c->noc, k->c->node, k->ua->pid, nodes, pids, n, e->key,
	                 kclock_ns(k->t));
	if (rc == -ESRCH)
		for (uint32_t i = 0; i < n; i++)
			if (!noc_resident(k->c->noc, nodes[i], pids[i]))
				return ikc_moved(k, pids[i]);
	if (rc)
		return ikc_wait(k, rc, id, ret);
	k->ua->ikc_messages += n;
	*ret = 0;
	return KCALL_DONE;
}

static enum kcall_result ikc_sync_wait(struct kctx *k, uint32_t id, int32_t *ret)
{
	struct uikc *e = ikc_get(k, id, UIKC_SYNC_IN);
	uint64_t arrival;
	int rc;

	if (!e) {
		*ret = -EBADF;
		return KCALL_DONE;
	}
	rc = sync_wait(k->c->noc, k->c->node, k->ua->pid, e->key, &arrival);
	if (rc)
		return ikc_wait(k, rc, id, ret);
	ikc_advance(k, arrival);
	*ret = 0;
	return KCALL_DONE;
}

/* Frees endpoint id of kind; its sync members leave the pool, which
 * stays packed. */
static int32_t ikc_release(struct kctx *k, uint32_t id, unsigned kind)
{
	struct uikc *e = ikc_get(k, id, kind);
	struct uarea *ua = k->ua;
	int rc = 0;

	if (!e)
		return -EBADF;
	if (kind == UIKC_MAILBOX_IN)
		rc = mailbox_unlink(k->c->noc, k->c->node, ua->pid, e->port);
	else if (kind == UIKC_PORTAL_IN)
		rc = portal_unlink(k->c->noc, k->c->node, ua->pid, e->port);
	else if (kind == UIKC_SYNC_IN && !ikc_sync_shared(ua, e->key, e))
		rc = sync_unlink(k->c->noc, k->c->node, ua->pid, e->key);
	if (kind == UIKC_SYNC_IN || kind == UIKC_SYNC_OUT) {
		uint32_t at = e->pool, n = e->nmembers;
		memmove(&ua->sync_pool[at], &ua->sync_pool[at + n],
		        (ua->sync_used - at - n) * sizeof(ua->sync_pool[0]));
		ua->sync_used -= n;
		for (int i = 0; i < UAREA_IKC_MAX; i++)
			if ((ua->ikc[i].kind == UIKC_SYNC_IN || ua->ikc[i].kind == UIKC_SYNC_OUT) &&
			    ua->ikc[i].pool > at)
				ua->ikc[i].pool = (uint8_t)(ua->ikc[i].pool - n);
	}
	memset(e, 0, sizeof(*e));
	return rc;
}

enum kcall_result ikc_dispatch(struct kctx *k, uint32_t nr, int32_t *ret)
{
	uint32_t node;
	int again = 0;

	if (!k->c->noc) {
		*ret = -ENOSYS; /* a cluster booted without a NoC */
		return KCALL_DONE;
	}
	switch (nr) {
	case NR_kmailbox_create: *ret = ikc_create_in(k, UIKC_MAILBOX_IN, KARG(k, 0)); break;
	case NR_kportal_create: *ret = ikc_create_in(k, UIKC_PORTAL_IN, KARG(k, 0)); break;
	case NR_kmailbox_open:
		return ikc_open_out(k, UIKC_MAILBOX_OUT, ikc_pid(k, KARG(k, 0)), KARG(k, 1), ret);
	case NR_kportal_open:
		return ikc_open_out(k, UIKC_PORTAL_OUT, ikc_pid(k, KARG(k, 0)), KARG(k, 1), ret);
	case NR_kmailbox_unlink: *ret = ikc_release(k, KARG(k, 0), UIKC_MAILBOX_IN); break;
	case NR_kmailbox_close: *ret = ikc_release(k, KARG(k, 0), UIKC_MAILBOX_OUT); break;
	case NR_kportal_unlink: *ret = ikc_release(k, KARG(k, 0), UIKC_PORTAL_IN); break;
	case NR_kportal_close: *ret = ikc_release(k, KARG(k, 0), UIKC_PORTAL_OUT); break;
	case NR_ksync_unlink: *ret = ikc_release(k, KARG(k, 0), UIKC_SYNC_IN); break;
	case NR_ksync_close: *ret = ikc_release(k, KARG(k, 0), UIKC_SYNC_OUT); break;
	case NR_kmailbox_read:
	case NR_kmailbox_read_from:
		*ret = nr == NR_kmailbox_read ? ikc_mailbox_read(k, KARG(k, 0), KARG(k, 1),
		                                                 KARG(k, 2), 0, NOC_TAG_ANY, &again)
		                              : ikc_mailbox_read(k, KARG(k, 0), KARG(k, 1),
		                                                 KARG(k, 2), ikc_pid(k, KARG(k, 3)),
		                                                 ikc_tag(KARG(k, 4), 1), &again);
		if (again)
			return kctx_block(k, UWAIT_IKC, KARG(k, 0), 0, 0);
		break;
	case NR_kmailbox_write:
		return ikc_mailbox_write(k, KARG(k, 0), KARG(k, 1), KARG(k, 2), NOC_TAG_NONE, ret);
	case NR_kmailbox_write_tagged:
	case NR_kportal_write_tagged:
		if (ikc_tag(KARG(k, 3), 0) == NOC_TAG_NONE) {
			*ret = -EINVAL;
			break;
		}
		return nr == NR_kmailbox_write_tagged
		               ? ikc_mailbox_write(k, KARG(k, 0), KARG(k, 1), KARG(k, 2),
		                                   KARG(k, 3), ret)
		               : ikc_portal_write(k, KARG(k, 0), KARG(k, 1), KARG(k, 2), KARG(k, 3),
		                                  ret);
	case NR_kmailbox_pending: {
		struct uikc *e = ikc_get(k, KARG(k, 0), UIKC_MAILBOX_IN);
		*ret = e ? mailbox_pending(k->c->noc, k->c->node, k->ua->pid, e->port) : -EBADF;
		break;
	}
	case NR_kportal_allow:
	case NR_kportal_allow_tagged: {
		struct uikc *e = ikc_get(k, KARG(k, 0), UIKC_PORTAL_IN);
		uint32_t tag = nr == NR_kportal_allow ? NOC_TAG_ANY : ikc_tag(KARG(k, 2), 1);
		/* the NoC refuses the kernel as sender, and a tag out of range */
		*ret = e ? portal_allow_tagged(k->c->noc, k->c->node, k->ua->pid, e->port,
		                               ikc_pid(k, KARG(k, 1)), tag)
		         : -EBADF;
		break;
	}
	case NR_kportal_pending: {
		struct uikc *e = ikc_get(k, KARG(k, 0), UIKC_PORTAL_IN);
		*ret = e ? portal_pending(k->c->noc, k->c->node, k->ua->pid, e->port) : -EBADF;
		break;
	}
	case NR_kportal_read: return ikc_portal_read(k, KARG(k, 0), KARG(k, 1), KARG(k, 2), ret);
	case NR_kportal_write:
		return ikc_portal_write(k, KARG(k, 0), KARG(k, 1), KARG(k, 2), NOC_TAG_NONE, ret);
	case NR_ksync_create:
	case NR_ksync_open:
		*ret = ikc_sync_endpoint(k, KARG(k, 0), KARG(k, 1), KARG(k, 2),
		                         nr == NR_ksync_create);
		break;
	case NR_ksync_signal: return ikc_sync_signal(k, KARG(k, 0), ret);
	case NR_ksync_wait: return ikc_sync_wait(k, KARG(k, 0), ret);
	case NR_kname_lookup:
		if (KARG(k, 0) == NOC_KERNEL_PID) {
			*ret = -EINVAL;
			break;
		}
		if (names_resolve(k->c, ikc_pid(k, KARG(k, 0)), 1, &node))
			return kctx_block(k, UWAIT_LOOKUP, ikc_pid(k, KARG(k, 0)), 0, 0);
		*ret = (int32_t)node;
		break;
	case NR_knode_get_num: *ret = (int32_t)k->ua->vnode; break;
	case NR_kname_vnode:
		if (KARG(k, 0) >= profile_clusters(k->c->prof)) {
			*ret = -EINVAL;
			break;
		}
		/* in a name space, its own member holds it (pidns.h) */
		if (pidns_vnode(k->c->procs[k->pi].ns, KARG(k, 0), &node)) {
			*ret = (int32_t)node;
			break;
		}
		names_ask_vnode(k->c, KARG(k, 0));
		return kctx_block(k, UWAIT_LOOKUP, KNAME_VNODE_TAG | KARG(k, 0), 0, 0);
	default: *ret = -ENOSYS; break;
	}
	return KCALL_DONE;
}
