/*
 * portal.h - NoC portals: bulk one-sided transfers with a rendezvous
 * (design.md §1).
 *
 * The input end (pid, port) of a portal lives on its owner's node. The
 * receiver allows one sender process; that sender writes up to the
 * profile's portal_max bytes, moved in page-sized chunks (each chunk one
 * NoC message in the model); the receiver reads them, and must allow
 * again before the next write. A write of the pid API waits for the
 * allow of its port. A tagged write (Nanvix's, tagged with the port of
 * the sender's output) moves while any portal of the receiver waits for
 * the sender, and is held by its port (up to NOC_PORTAL_DEPTH writes)
 * or dropped if the receiver has no such port; an allow may name the tag
 * it takes: the receiver picks among held writes as Nanvix's kernel
 * picks among its message buffers.
 *
 * Data is copied through callbacks so that the caller can move it
 * straight between user memory and the portal, a page at a time.
 * See noc.h for locking and the -EAGAIN waiting rule.
 */
#ifndef PORTAL_H
#define PORTAL_H

#include <stdint.h>

struct noc;

/* Copies n bytes at offset off of a transfer between buf and the user's
 * memory; 0 or -EFAULT. */
typedef int (*portal_copy_fn)(void *ctx, void *buf, uint32_t off, uint32_t n);

/* Creates portal (pid, port) on node. 0, -EINVAL, -EBUSY or -ENOSPC. */
int portal_create(struct noc *n, uint32_t node, uint32_t pid, uint32_t port);

/* Removes portal (pid, port) of node, dropping unread data. 0 or -EBADF. */
int portal_unlink(struct noc *n, uint32_t node, uint32_t pid, uint32_t port);

/* Lets process from write once to portal (pid, port) of node: the next
 * read takes its write. 0, -EBADF, -EBUSY (a sender is allowed already
 * and not read yet). */
int portal_allow(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, uint32_t from);
/* As portal_allow, of from's write tagged tag only (NOC_TAG_ANY: any).
 * -EINVAL: from is the kernel, or tag is NOC_TAG_NONE. */
int portal_allow_tagged(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, uint32_t from,
                        uint32_t tag);

/* Writes portal (pid, port) of node holds, unread, or -EBADF. */
int portal_pending(struct noc *n, uint32_t node, uint32_t pid, uint32_t port);

/*
 * Writes len bytes (1 .. portal_max), taken through copy_in, from process
 * src_pid of node src to portal (dst_pid, port) on node dst, at modelled
 * time now_ns. Returns 0 (*done_ns: when the last chunk arrived); -ESRCH
 * (dst_pid does not live on dst); -EFAULT (copy_in failed: nothing sent);
 * -EAGAIN (no such portal yet, src_pid not allowed now, or the portal
 * holds NOC_PORTAL_DEPTH writes: src waits).
 */
int portal_write(struct noc *n, uint32_t src, uint32_t src_pid, uint32_t dst, uint32_t dst_pid,
                 uint32_t port, uint32_t len, portal_copy_fn copy_in, void *ctx, uint64_t now_ns,
                 uint64_t *done_ns);
/* As portal_write, tagged tag: it moves while a portal of dst_pid waits
 * for src_pid, held by port (dropped if dst_pid has no such port).
 * -EINVAL also for tag NOC_TAG_NONE or _ANY. */
int portal_write_tagged(struct noc *n, uint32_t src, uint32_t src_pid, uint32_t dst,
                        uint32_t dst_pid, uint32_t port, uint32_t tag, uint32_t len,
                        portal_copy_fn copy_in, void *ctx, uint64_t now_ns, uint64_t *done_ns);

/*
 * Reads the oldest write held by portal (pid, port) of node that its
 * allow matches, through copy_out, if it fits in size bytes; that ends
 * the allow. Returns the length (*arrival_ns: when it arrived); -EBADF
 * (no such portal); -EINVAL (no sender allowed, so nothing can come);
 * -EAGAIN (allowed, not written yet: node waits); -EMSGSIZE (more than
 * size bytes wait: nothing read); -EFAULT.
 */
int portal_read(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, uint32_t size,
                portal_copy_fn copy_out, void *ctx, uint64_t *arrival_ns);

/*
 * Kernel to kernel: a portal write of len bytes (1 .. portal_max) from
 * node src's kernel buffer into node dst's, which the receiving kernel
 * has allowed (the checkpoint/restore service of both kernels keeps a
 * portal open between them while an image streams). The data moves once,
 * as the DMA engine would move it, in page-sized chunks, each counted
 * against src. 0 (*done_ns: when the last chunk arrived, from now_ns) or
 * -EINVAL.
 */
int portal_kernel_write(struct noc *n, uint32_t src, uint32_t dst, void *dst_buf,
                        const void *src_buf, uint32_t len, uint64_t now_ns, uint64_t *done_ns);

/* As portal_kernel_write of count * unit bytes (at most portal_max) from
 * src_buf, scattered: the k-th unit lands at dst_bufs[k] (a restore's
 * page block, each page into its frame). */
int portal_kernel_scatter(struct noc *n, uint32_t src, uint32_t dst, void *const *dst_bufs,
                          const void *src_buf, uint32_t unit, uint32_t count, uint64_t now_ns,
                          uint64_t *done_ns);

#endif /* PORTAL_H */
