/*
 * nanvix/runtime/stdikc.h - the standard inter-cluster channels of
 * Nanvix's runtime: one fence among all clusters of the processor, and
 * one input mailbox and one input portal per thread.
 *
 * The fence spans the processor's clusters as Nanvix numbers them (the
 * first node of each I/O cluster, then every compute node), so a program
 * that uses it runs on all of them: `--nodes 0,4,8-23` on mppa256,
 * `--nodes 0-19` on the default profile. Written for crtool's board from
 * what Nanvix's runtime specifies; see docs/abi.md, "Nanvix API".
 */
#ifndef NANVIX_RUNTIME_STDIKC_H
#define NANVIX_RUNTIME_STDIKC_H

#include "nanvix/sys/mailbox.h"
#include "nanvix/sys/noc.h"
#include "nanvix/sys/portal.h"
#include "nanvix/sys/sync.h"

/* The standard fence of the calling thread: setup 0 or -1, then fence 0
 * or a negative error; the cluster master waits for all, then releases
 * them. */
int __stdsync_setup(void);
int __stdsync_cleanup(void);
int stdsync_fence(void);
int stdsync_get(void); /* the sync the fence waits on, or -1 */

/* The calling thread's standard input mailbox, on port stdinbox_get_port()
 * of its node (0 for the main thread): setup 0 or -1. */
int __stdmailbox_setup(void);
int __stdmailbox_cleanup(void);
int stdinbox_get(void);
int stdinbox_get_port(void);

/* The same for input portals. */
int __stdportal_setup(void);
int __stdportal_cleanup(void);
int stdinportal_get(void);
int stdinportal_get_port(void);

#endif /* NANVIX_RUNTIME_STDIKC_H */
