/*
 * nodelist.h - a list of NoC nodes as a user writes it, "0,8-23":
 * numbers and ranges, comma-separated, each node once. It says where an
 * SPMD launch puts its processes (`manycore run --nodes`, `crtool run
 * --nodes`, RunRequest.nodes in proto/rpc.proto); whether the nodes
 * exist is the board's to say.
 */
#ifndef NODELIST_H
#define NODELIST_H

#include <stdint.h>

/* Nodes an SPMD launch may list: a board has at most NOC_NODES_MAX. */
#define NODELIST_MAX 64

/* Parses s into nodes[0..] (at most max, in the order written). Returns
 * how many, or -1 if s is empty, not such a list, names a node twice or
 * more than max nodes. */
int nodelist_parse(const char *s, uint32_t *nodes, unsigned max);

/* Parses a map of nodes, "8:12,9:13" (OLD:NEW pairs, comma-separated;
 * `crtool migrate --map`, `crtool restore --map`) into from[] and to[]
 * (at most max pairs). Returns how many, or -1 if s is not such a map. */
int nodelist_parse_map(const char *s, uint32_t *from, uint32_t *to, unsigned max);

#endif /* NODELIST_H */
