/*
 * thread.h - the threads of a process on its cluster: made, woken and
 * reaped (their ends are proc.h's, which may end the process).
 */
#ifndef THREAD_H
#define THREAD_H

#include <stdint.h>

struct cluster;
struct uthread;
struct vm;

/*
 * Creates a thread in process pi starting at pc with a0 = arg0, a1 =
 * arg1, tp = tls, gp copied from thread `parent`; maps its stack and queues
 * it. Returns its slot, or -EAGAIN (thread limit) or -ENOMEM.
 */
int thread_create(struct cluster *c, uint32_t pi, unsigned parent, uint32_t pc, uint32_t arg0,
                  uint32_t arg1, uint32_t tls);

/* Maps the stack of thread t in vm: 0 or -ENOMEM. */
int thread_map_stack(struct vm *vm, const struct uthread *t);

/* Reaps zombie thread s of pi: unmaps its stack, frees its slot. */
void thread_reap(struct cluster *c, uint32_t pi, unsigned s);

/* Makes blocked thread s of pi ready; it re-issues its call. */
void thread_wake(struct cluster *c, uint32_t pi, unsigned s);

#endif /* THREAD_H */
