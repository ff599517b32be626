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
#define NOC_PORTAL_DEPTH 8   /* writes a portal holds before they are read */
#define NOC_SYNC_MEMBERS 32  /* processes in one sync set */
/* A message's tag names the sender's end (Nanvix: the port of its
 * output); readers may take only what carries a given tag. */
#define NOC_TAG_NONE 0xfffffffeu /* untagged (the pid API's writes) */
#define NOC_TAG_ANY 0xffffffffu  /* a filter that takes any tag */
#define NOC_SEALED_MAX 64        /* processes sealed at once (dumps under way) */

#endif /* NOC_PARAMS_H */
