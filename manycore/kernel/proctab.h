/*
 * proctab.h - a cluster's process table: a fixed array of the profile's
 * processes-per-cluster entries, each a UArea and its address space.
 */
#ifndef PROCTAB_H
#define PROCTAB_H

#include <stdint.h>

struct cluster;
struct uarea;
struct vm;

/* Table entry of pid (running or ended), or -1. */
int proctab_find(const struct cluster *c, uint32_t pid);

/* Table entry of running process pid, or -1. */
int proctab_find_running(const struct cluster *c, uint32_t pid);

/* A free table entry, or -1 if the table is full. */
int proctab_free_entry(const struct cluster *c);

/* The first occupied entry from `from` on, or processes-per-cluster if
 * none: the scans that run every round visit only these. */
uint32_t proctab_next(const struct cluster *c, uint32_t from);

/* Puts process ua with address space vm in free entry pi, runnable. */
void proctab_install(struct cluster *c, uint32_t pi, struct uarea *ua, struct vm *vm);

/* Frees entry pi (an ended process) and its UArea. */
void proctab_remove(struct cluster *c, uint32_t pi);

#endif /* PROCTAB_H */
