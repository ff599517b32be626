/*
 * kcall.c - kernel calls: the POSIX subset (Linux RISC-V numbers) and the
 * Nanvix calls (threads, futexes, sleep). See docs/abi.md.
 *
 * A call reads its arguments from a0-a5 and completes by setting a0 (a
 * negative errno on failure) and retiring the ecall. A call that must
 * wait blocks its thread with pc still on the ecall and a wait reason in
 * the UArea; when the reason goes away the thread is made ready and
 * issues the call again (join, sleep), or the waker completes it (futex
 * wake). No user pointer is trusted: all access goes through vm_copy_*.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "kernel/ikc.h"
#include "kernel/kcall.h"
#include "kernel/kclock.h"
#include "kernel/kernel_priv.h"
#include "kernel/pidns.h"
#include "kernel/proc.h"
#include "kernel/thread.h"
#include "kernel/vm.h"
#include "nanvix/abi.h"
#include "params/core_params.h"

_Static_assert(sizeof(struct nv_counters) == ABI_COUNTERS_SIZE, "ABI: nv_counters layout");
/* The kernel returns host errno values: they must be the ABI's. */
_Static_assert(ESRCH == ABI_ESRCH && EBADF == ABI_EBADF && EAGAIN == ABI_EAGAIN &&
                       ENOMEM == ABI_ENOMEM && EFAULT == ABI_EFAULT && EINVAL == ABI_EINVAL &&
                       EDEADLK == ABI_EDEADLK && ENOSYS == ABI_ENOSYS &&
                       ETIMEDOUT == ABI_ETIMEDOUT && EIO == ABI_EIO && EBUSY == ABI_EBUSY &&
                       EMFILE == ABI_EMFILE && ENOSPC == ABI_ENOSPC && EMSGSIZE == ABI_EMSGSIZE &&
                       EPROTO == ABI_EPROTO && EHOSTDOWN == ABI_EHOSTDOWN,
               "host errno values differ from the kernel ABI's (Linux)");

#define IO_CHUNK 4096u

#define A(k, i) KARG(k, i)

static int32_t kcall_write(struct kctx *k, uint32_t fd, uint32_t buf, uint32_t count)
{
	char chunk[IO_CHUNK];
	uint32_t done = 0;

	if (fd != 1 && fd != 2)
		return -EBADF;
	if (count > INT32_MAX)
		count = INT32_MAX;
	while (done < count) {
		uint32_t n = count - done < IO_CHUNK ? count - done : IO_CHUNK, off = 0;
		if (vm_copy_in(k->vm, chunk, buf + done, n))
			return done ? (int32_t)done : -EFAULT;
		while (off < n) {
			long w = k->c->hooks.write
			                 ? k->c->hooks.write(k->c->hooks.ctx, k->ua->pid, (int)fd,
			                                     chunk + off, n - off)
			                 : (long)(n - off);
			if (w <= 0)
				return done + off ? (int32_t)(done + off) : (w ? (int32_t)w : -EIO);
			off += (uint32_t)w;
		}
		done += n;
	}
	return (int32_t)done;
}

static int32_t kcall_read(struct kctx *k, uint32_t fd, uint32_t buf, uint32_t count)
{
	char chunk[IO_CHUNK];
	long r;

	if (fd != 0)
		return -EBADF;
	if (count > IO_CHUNK)
		count = IO_CHUNK;
	if (!k->c->hooks.read || count == 0)
		return 0;
	r = k->c->hooks.read(k->c->hooks.ctx, k->ua->pid, chunk, count);
	if (r < 0)
		return (int32_t)r;
	if (vm_copy_out(k->vm, buf, chunk, (uint32_t)r))
		return -EFAULT;
	return (int32_t)r;
}

/* Linux brk: returns the new break, or the old one if it cannot move. */
static uint32_t kcall_brk(struct kctx *k, uint32_t addr)
{
	struct uarea *ua = k->ua;
	uint32_t old_top = (ua->brk + CORE_PAGE_MASK) & ~CORE_PAGE_MASK;
	uint32_t new_top = (addr + CORE_PAGE_MASK) & ~CORE_PAGE_MASK;
	struct uregion *heap = uarea_heap(ua);

	if (addr < ua->heap_start || addr > ua->brk_limit)
		return ua->brk;
	if (new_top > old_top && vm_map(k->vm, old_top, new_top - old_top, VM_R | VM_W))
		return ua->brk; /* ENOMEM: the user memory limit, or no frames */
	if (new_top < old_top)
		vm_unmap(k->vm, new_top, old_top - new_top);
	ua->brk = addr;
	if (heap)
		heap->len = new_top - ua->heap_start;
	ua->pages = vm_pages(k->vm);
	return ua->brk;
}

static int32_t kcall_clock_gettime(struct kctx *k, uint32_t clk, uint32_t ts)
{
	uint64_t ns, out[2];
	struct timespec now;

	switch (clk) {
	case ABI_CLOCK_REALTIME: ns = k->c->boot_realtime_ns + kclock_ns(k->t); break;
	case ABI_CLOCK_MONOTONIC: ns = kclock_ns(k->t); break;
	case ABI_CLOCK_PROCESS_CPUTIME: ns = kclock_cycles_ns(uarea_instret(k->ua)); break;
	case ABI_CLOCK_THREAD_CPUTIME: ns = kclock_cycles_ns(k->t->hart.instret); break;
	case ABI_CLOCK_HOST:
		clock_gettime(CLOCK_MONOTONIC, &now);
		ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
		break;
	default: return -EINVAL;
	}
	out[0] = ns / 1000000000ull;
	out[1] = ns % 1000000000ull;
	return vm_copy_out(k->vm, ts, out, ABI_TIMESPEC_SIZE) ? -EFAULT : 0;
}

static enum kcall_result kcall_join(struct kctx *k, int32_t *ret)
{
	uint32_t tid = A(k, 0), retp = A(k, 1);
	int j = uarea_find_tid(k->ua, tid);
	struct uthread *target;

	if (tid == k->t->tid) {
		*ret = -EDEADLK;
		return KCALL_DONE;
	}
	if (j < 0) {
		*ret = -ESRCH;
		return KCALL_DONE;
	}
	target = &k->ua->slot[j];
	if (target->joined && target->joined != k->s + 1) {
		*ret = -EINVAL; /* another thread joins it already */
		return KCALL_DONE;
	}
	if (target->state != UTHREAD_ZOMBIE) {
		target->joined = (uint8_t)(k->s + 1);
		return kctx_block(k, UWAIT_JOIN, tid, 0, 0);
	}
	if (retp && vm_copy_out(k->vm, retp, &target->exit_value, 4)) {
		*ret = -EFAULT;
		return KCALL_DONE;
	}
	thread_reap(k->c, k->pi, (unsigned)j);
	uarea_shrink(&k->c->procs[k->pi].ua);
	k->ua = k->c->procs[k->pi].ua;
	k->t = &k->ua->slot[k->s];
	*ret = 0;
	return KCALL_DONE;
}

static int kcall_deadline_passed(struct kctx *k, uint32_t lo, uint32_t hi)
{
	uint64_t d = (uint64_t)hi << 32 | lo;

	return d && kclock_ns(k->t) >= d;
}

static enum kcall_result kcall_futex_wait(struct kctx *k, int32_t *ret)
{
	uint32_t addr = A(k, 0), want = A(k, 1), val;

	if (addr & 3) {
		*ret = -EINVAL;
		return KCALL_DONE;
	}
	if (vm_copy_in(k->vm, &val, addr, 4)) {
		*ret = -EFAULT;
		return KCALL_DONE;
	}
	if (val != want) {
		*ret = -EAGAIN;
		return KCALL_DONE;
	}
	if (kcall_deadline_passed(k, A(k, 2), A(k, 3))) {
		*ret = -ETIMEDOUT;
		return KCALL_DONE;
	}
	k->t->wait_seq = ++k->ua->futex_seq;
	return kctx_block(k, UWAIT_FUTEX, addr, A(k, 2), A(k, 3));
}

/* Wakes up to n waiters on addr, oldest first; each one's wait returns 0. */
static int32_t kcall_futex_wake(struct kctx *k, uint32_t addr, uint32_t n)
{
	int32_t woken = 0;

	if (addr & 3)
		return -EINVAL;
	while ((uint32_t)woken < n) {
		struct uthread *w = NULL;
		unsigned ws = 0;
		for (unsigned j = 0; j < k->ua->nslots; j++) {
			struct uthread *t = &k->ua->slot[j];
			if (t->state == UTHREAD_BLOCKED && t->wait == UWAIT_FUTEX &&
			    t->wait_arg[0] == addr && (!w || t->wait_seq < w->wait_seq)) {
				w = t;
				ws = j;
			}
		}
		if (!w)
			break;
		w->hart.x[HART_REG_A0] = 0;
		hart_retire_ecall(&w->hart);
		thread_wake(k->c, k->pi, ws);
		woken++;
	}
	return woken;
}

static int32_t kcall_counters(struct kctx *k, uint32_t dst)
{
	struct nv_counters nc;

	memset(&nc, 0, sizeof(nc));
	nc.process_instret = uarea_instret(k->ua);
	nc.thread_instret = k->t->hart.instret;
	nc.kernel_calls = k->ua->syscalls;
	nc.switches = k->ua->switches;
	nc.threads = k->ua->nthreads;
	nc.pages = k->ua->pages;
	nc.uarea_bytes = (uint32_t)uarea_bytes(k->ua);
	nc.node = k->c->node;
	return vm_copy_out(k->vm, dst, &nc, sizeof(nc)) ? -EFAULT : 0;
}

/* kmigrate_to: the daemon moves the process while the caller waits; on
 * the target the call is issued again and finds itself there. */
static enum kcall_result kcall_migrate(struct kctx *k, int32_t *ret)
{
	uint32_t node = A(k, 0), mode = A(k, 1);
	int rc;

	if (mode > NV_MIGRATE_POST_COPY)
		*ret = -EINVAL;
	else if (node == k->c->node)
		*ret = 0;
	else if (!k->c->migrate)
		*ret = -ENOSYS;
	else if ((rc = k->c->migrate(k->c->migrate_ctx, k->ua->pid, node, mode)) < 0)
		*ret = rc;
	else
		return kctx_block(k, UWAIT_MIGRATE, node, mode, 0);
	return KCALL_DONE;
}

enum kcall_result kcall_dispatch(struct cluster *c, uint32_t pi, unsigned s)
{
	struct kctx k = { c, pi, s, c->procs[pi].ua, c->procs[pi].vm, &c->procs[pi].ua->slot[s] };
	enum kcall_result r = KCALL_DONE;
	int32_t ret = 0;
	int rc;

	k.ua->syscalls++;
	switch (k.t->hart.x[HART_REG_A7]) {
	case NR_write: ret = kcall_write(&k, A(&k, 0), A(&k, 1), A(&k, 2)); break;
	case NR_read: ret = kcall_read(&k, A(&k, 0), A(&k, 1), A(&k, 2)); break;
	case NR_exit: /* this thread; the process ends with its last thread */
		proc_thread_exit(c, pi, s, 0, (int)A(&k, 0));
		return KCALL_OFF_CORE;
	case NR_exit_group:
		proc_end(c, pi, UPROC_EXITED, (int)(A(&k, 0) & 0xff), KILL_NONE);
		return KCALL_OFF_CORE;
	case NR_brk: ret = (int32_t)kcall_brk(&k, A(&k, 0)); break;
	case NR_clock_gettime:
	case NR_clock_gettime64: ret = kcall_clock_gettime(&k, A(&k, 0), A(&k, 1)); break;
	case NR_getpid: ret = (int32_t)pidns_to_seen(c->procs[pi].ns, k.ua->pid); break;
	case NR_gettid:
	case NR_kthread_self: ret = (int32_t)k.t->tid; break;
	case NR_sched_yield:
	case NR_kthread_yield: r = KCALL_YIELD; break;
	case NR_kthread_create:
		rc = thread_create(c, pi, s, A(&k, 0), A(&k, 1), A(&k, 2), A(&k, 3));
		/* The UArea may have moved. */
		k.ua = c->procs[pi].ua;
		k.t = &k.ua->slot[s];
		ret = rc < 0 ? rc : (int32_t)k.ua->slot[rc].tid;
		break;
	case NR_kthread_exit: proc_thread_exit(c, pi, s, A(&k, 0), 0); return KCALL_OFF_CORE;
	case NR_kthread_join:
		r = kcall_join(&k, &ret); /* may move the UArea: k follows */
		break;
	case NR_futex_wait: r = kcall_futex_wait(&k, &ret); break;
	case NR_futex_wake: ret = kcall_futex_wake(&k, A(&k, 0), A(&k, 1)); break;
	case NR_sleep_until:
		if (kcall_deadline_passed(&k, A(&k, 0), A(&k, 1)) || !(A(&k, 0) | A(&k, 1)))
			ret = 0;
		else
			r = kctx_block(&k, UWAIT_SLEEP, 0, A(&k, 0), A(&k, 1));
		break;
	case NR_nv_counters: ret = kcall_counters(&k, A(&k, 0)); break;
	case NR_kmigrate_to: r = kcall_migrate(&k, &ret); break;
	default:
		if (k.t->hart.x[HART_REG_A7] >= NR_IKC_FIRST &&
		    k.t->hart.x[HART_REG_A7] <= NR_IKC_LAST)
			r = ikc_dispatch(&k, k.t->hart.x[HART_REG_A7], &ret);
		else
			ret = -ENOSYS;
		break;
	}
	if (r == KCALL_OFF_CORE)
		return r;
	A(&k, 0) = (uint32_t)ret;
	hart_retire_ecall(&k.t->hart);
	return r;
}
