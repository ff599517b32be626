/*
 * proc.h - a user process of the cluster kernel: address space, main
 * hart, heap, and the loop that runs it and serves its kernel calls.
 *
 * This is the single-threaded process of the one-shot runner; the UArea
 * process model (threads, scheduler, several processes) builds on it.
 */
#ifndef PROC_H
#define PROC_H

#include <stddef.h>
#include <stdint.h>

#include "loader.h"
#include "hart.h"

struct frames;
struct vm;

enum proc_state {
	PROC_RUNNING = 0,
	PROC_EXITED,   /* called exit: see status */
	PROC_FAULTED,  /* a trap the kernel does not serve: see trap */
	PROC_LIMIT,    /* ran out of its instruction limit */
};

struct proc {
	struct vm *vm;
	struct hart hart;
	struct elf_info elf;
	enum proc_state state;
	int status;               /* exit status (0-255) once PROC_EXITED */
	struct hart_trap trap;    /* the fault once PROC_FAULTED */
	uint32_t heap_start, brk, brk_limit;
	uint32_t stack_bottom;
	int fd_in, fd_out, fd_err; /* host descriptors behind fds 0, 1, 2 */
	uint64_t syscalls;
	uint64_t boot_realtime_ns; /* host wall clock at spawn, for CLOCK_REALTIME */
};

struct proc_opts {
	uint32_t stack_size;      /* bytes, page multiple; 0 for the default */
	int fd_in, fd_out, fd_err;
};

/*
 * Loads the ELF image (len bytes) into a fresh address space from fa, with
 * argv/envp (NULL-terminated) on its stack. Returns 0 with *out set, or
 * -ENOEXEC (bad ELF), -E2BIG (arguments too large) or -ENOMEM, with err
 * saying why. Nothing is left allocated on failure.
 */
int proc_spawn(struct frames *fa, const uint8_t *img, size_t len, char *const argv[],
	       char *const envp[], const struct proc_opts *opts, struct proc **out,
	       char *err, size_t errlen);

/* Frees p and all its memory. NULL is ignored. */
void proc_free(struct proc *p);

/*
 * Runs p in quanta of `quantum` instructions until it exits, faults, or
 * has retired max_instructions in all (0: no limit). Returns its state.
 */
enum proc_state proc_run(struct proc *p, uint32_t quantum, uint64_t max_instructions);

/* Serves the kernel call p's hart trapped on (kernel/syscall.c). */
void syscall_dispatch(struct proc *p);

#endif /* PROC_H */
