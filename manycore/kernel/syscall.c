/*
 * syscall.c - the POSIX subset of kernel calls (Linux RISC-V numbers).
 *
 * Each call reads its arguments from a0-a5, leaves its result in a0 (a
 * negative errno on failure) and retires the ecall. Calls never trust a
 * user pointer: every access goes through vm_copy_in/out.
 */
#include <errno.h>
#include <unistd.h>

#include "core_params.h"
#include "nanvix/abi.h"
#include "proc.h"
#include "vm.h"

#define A(i) (p->hart.x[10 + (i)])
#define IO_CHUNK 4096u

static int host_fd(const struct proc *p, uint32_t fd)
{
	switch (fd) {
	case 0: return p->fd_in;
	case 1: return p->fd_out;
	case 2: return p->fd_err;
	default: return -1;
	}
}

static int32_t sys_write(struct proc *p, uint32_t fd, uint32_t buf, uint32_t count)
{
	char chunk[IO_CHUNK];
	uint32_t done = 0;
	int hfd = host_fd(p, fd);

	if (fd == 0 || hfd < 0)
		return -EBADF;
	if (count > INT32_MAX)
		count = INT32_MAX;
	while (done < count) {
		uint32_t n = count - done < IO_CHUNK ? count - done : IO_CHUNK;
		uint32_t off = 0;
		if (vm_copy_in(p->vm, chunk, buf + done, n))
			return done ? (int32_t)done : -EFAULT;
		while (off < n) {
			ssize_t w = write(hfd, chunk + off, n - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return done + off ? (int32_t)(done + off) : -EIO;
			off += (uint32_t)w;
		}
		done += n;
	}
	return (int32_t)done;
}

static int32_t sys_read(struct proc *p, uint32_t fd, uint32_t buf, uint32_t count)
{
	char chunk[IO_CHUNK];
	ssize_t r;
	int hfd = host_fd(p, fd);

	if (fd != 0 || hfd < 0)
		return -EBADF;
	if (count > IO_CHUNK)
		count = IO_CHUNK;
	do
		r = read(hfd, chunk, count);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -EIO;
	if (vm_copy_out(p->vm, buf, chunk, (uint32_t)r))
		return -EFAULT;
	return (int32_t)r;
}

/* Linux brk: returns the new break, or the old one if it cannot move. */
static uint32_t sys_brk(struct proc *p, uint32_t addr)
{
	uint32_t old_top = (p->brk + CORE_PAGE_MASK) & ~CORE_PAGE_MASK;
	uint32_t new_top = (addr + CORE_PAGE_MASK) & ~CORE_PAGE_MASK;

	if (addr < p->heap_start || addr > p->brk_limit)
		return p->brk;
	if (new_top > old_top && vm_map(p->vm, old_top, new_top - old_top, VM_R | VM_W))
		return p->brk;
	if (new_top < old_top)
		vm_unmap(p->vm, new_top, old_top - new_top);
	p->brk = addr;
	return p->brk;
}

static int32_t sys_clock_gettime(struct proc *p, uint32_t clk, uint32_t ts)
{
	/* Modelled time: the hart's clock at the core frequency. */
	uint64_t ns = p->hart.clock / CORE_CLOCK_HZ * 1000000000ull +
		      p->hart.clock % CORE_CLOCK_HZ * 1000000000ull / CORE_CLOCK_HZ;
	uint64_t out[2];

	if (clk == ABI_CLOCK_REALTIME)
		ns += p->boot_realtime_ns;
	else if (clk != ABI_CLOCK_MONOTONIC)
		return -EINVAL;
	out[0] = ns / 1000000000ull;
	out[1] = ns % 1000000000ull;
	return vm_copy_out(p->vm, ts, out, ABI_TIMESPEC_SIZE) ? -EFAULT : 0;
}

void syscall_dispatch(struct proc *p)
{
	int32_t ret;

	p->syscalls++;
	switch (p->hart.x[17]) {
	case NR_write:
		ret = sys_write(p, A(0), A(1), A(2));
		break;
	case NR_read:
		ret = sys_read(p, A(0), A(1), A(2));
		break;
	case NR_exit:
	case NR_exit_group:
		p->status = (int)(A(0) & 0xff);
		p->state = PROC_EXITED;
		hart_retire_ecall(&p->hart);
		return;
	case NR_brk:
		ret = (int32_t)sys_brk(p, A(0));
		break;
	case NR_clock_gettime:
		ret = sys_clock_gettime(p, A(0), A(1));
		break;
	default:
		ret = -ENOSYS;
		break;
	}
	A(0) = (uint32_t)ret;
	hart_retire_ecall(&p->hart);
}
