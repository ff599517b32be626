/*
 * spawn.h - new processes on a board: one on a node (or the least busy
 * compute cluster), or an SPMD launch, as Nanvix runs a program on many
 * clusters: one process of a program on each listed node, each holding
 * that node as its virtual node (docs/abi.md).
 */
#ifndef SPAWN_H
#define SPAWN_H

#include <stddef.h>
#include <stdint.h>

struct board;
struct crerr;

/*
 * Starts process img (len bytes) with argv, envp on node (or
 * BOARD_NODE_ANY: the compute cluster running fewest processes), tagged
 * with application app (NULL or "": none; a valid name, checked). Sets
 * *pid. Returns 0; -EINVAL (no such node); -EAGAIN (the cluster runs
 * its limit of processes); -ENOEXEC, -E2BIG, -ENOMEM as cluster_spawn;
 * e says what went wrong.
 */
int spawn_process(struct board *b, int node, const uint8_t *img, size_t len, char *const argv[],
                  char *const envp[], const char *app, uint32_t *pid, struct crerr *e);

/*
 * SPMD launch: one process of img with argv on each of the n nodes
 * (distinct), all or none. Each is spawned frozen and all are let run
 * once every spawn succeeded; if one fails, those already made are ended
 * before they ran an instruction and forgotten, and e names the node.
 * pids[i] is the process on nodes[i]. All are tagged with application
 * app, or if it is NULL or "", with one named after the program and the
 * first pid ("nvapi.7"). Returns 0 or spawn_process's codes.
 */
int spawn_spmd(struct board *b, const uint32_t *nodes, uint32_t n, const uint8_t *img, size_t len,
               char *const argv[], const char *app, uint32_t *pids, struct crerr *e);

#endif /* SPAWN_H */
