/*
 * fuzzkit.h - what the kernel-side fuzz targets share: one cluster on a
 * NoC (profile default, its first compute node), kept across inputs as a real cluster is kept
 * across processes, and a check after each input that the cluster is
 * back where it started: no process, every frame free, no endpoint held.
 */
#ifndef FUZZKIT_H
#define FUZZKIT_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/cluster.h"

#define FUZZKIT_PROFILE "default" /* the profile of the checked-in streams */
#define FUZZKIT_PID 7             /* the pid every input's process gets */
#define FUZZKIT_INSNS 20000u      /* instruction limit of a process */
#define FUZZKIT_ROUNDS 2000u      /* rounds an input may run */

/* The cluster (made on first use); aborts if host memory is short. */
struct cluster *fuzzkit_cluster(void);

/* Runs the cluster until it is idle or FUZZKIT_ROUNDS have passed, kills
 * and reaps whatever is left, and traps unless the cluster is as it was
 * before the input: a leak of frames or of a table entry is a bug. */
void fuzzkit_settle(struct cluster *c);

/* A minimal static rv32 ELF at buf (FUZZKIT_ELF_LEN bytes): one page of
 * code at 0x80000000 that loops on `ecall`. */
#define FUZZKIT_ELF_LEN 92u
#define FUZZKIT_ENTRY 0x80000000u
void fuzzkit_tiny_elf(uint8_t buf[FUZZKIT_ELF_LEN]);

#endif /* FUZZKIT_H */
