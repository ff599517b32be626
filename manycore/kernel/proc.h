/*
 * proc.h - the processes of a cluster: a program spawned, a process
 * ended, faulted or released after a move, and the last of its threads.
 */
#ifndef PROC_H
#define PROC_H

#include <stddef.h>
#include <stdint.h>

struct crerr;

#include "kernel/cluster.h"
#include "kernel/uarea.h"

struct hart_trap;

/* cluster_spawn (cluster.h). */
int proc_spawn(struct cluster *c, uint32_t pid, const uint8_t *img, size_t len, char *const argv[],
               char *const envp[], struct crerr *e);

/* Ends process pi: every thread gone, memory freed, UArea kept with state
 * and status; wakes nothing (no other process waits on it here). */
void proc_end(struct cluster *c, uint32_t pi, enum uproc_state state, int status,
              enum cluster_kill why);
/* Frees process pi, which moved to another cluster: as proc_end, but
 * without touching the NoC or the name service, nor reporting an exit. */
void proc_release_moved(struct cluster *c, uint32_t pi);

/* Kills pi for trap t of its thread s and reports it on c->log. */
void proc_fault(struct cluster *c, uint32_t pi, unsigned s, const struct hart_trap *t);
/* Thread s of pi touched a page whose bytes are lost (its post-copy
 * source failed): the process dies of SIGBUS, as Linux's lazy pages do. */
void proc_lost_page(struct cluster *c, uint32_t pi, unsigned s, const struct hart_trap *t);

/* Ends thread s of pi with value v (a zombie until joined); wakes its
 * joiner; ends the process with status & 0xff if no thread is left. */
void proc_thread_exit(struct cluster *c, uint32_t pi, unsigned s, uint32_t v, int status);

#endif /* PROC_H */
