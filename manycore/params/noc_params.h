/*
 * noc_params.h - limits of the Network-on-Chip that hold for every
 * profile: the sizes of the NoC's own tables. A profile's figures (ports,
 * payloads, mesh, bandwidth) are in profile.h and must stay within them.
 */
#ifndef NOC_PARAMS_H
#define NOC_PARAMS_H

#define NOC_NODES_MAX 64     /* nodes of a board (waiter sets are bitmaps) */
#define NOC_MAILBOX_MAX 128  /* largest mailbox payload of any profile */
#define NOC_MAILBOX_DEPTH 16 /* messages a mailbox buffers */
#define NOC_SYNC_MEMBERS 32  /* processes in one sync set */
#define NOC_SEALED_MAX 64    /* processes sealed at once (dumps under way) */

#endif /* NOC_PARAMS_H */
