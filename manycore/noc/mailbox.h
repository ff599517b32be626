/*
 * mailbox.h - NoC mailboxes: fixed-size messages, many senders to one
 * receiver (design.md §1).
 *
 * A mailbox is the input end (pid, port) that process pid created on its
 * node; it buffers NOC_MAILBOX_DEPTH messages of the profile's payload
 * size (128 bytes on every shipped profile), oldest first, from any
 * sender. Ports are per process (0 .. mailbox_ports-1); a node has
 * mailbox_ports mailboxes in all. Messages are whole: a send always moves
 * the full payload. The kernel also has one unbounded queue per node for
 * each of its own services (the name service, the migration daemon),
 * addressed by node and service.
 *
 * See noc.h for locking and the -EAGAIN waiting rule.
 */
#ifndef MAILBOX_H
#define MAILBOX_H

#include <stdint.h>

struct noc;

/* Creates mailbox (pid, port) on node. 0, -EINVAL (bad port), -EBUSY (pid
 * has it already), -ENOSPC (the node's mailboxes are all taken). */
int mailbox_create(struct noc *n, uint32_t node, uint32_t pid, uint32_t port);

/* Removes mailbox (pid, port) of node and drops what it holds. 0 or -EBADF. */
int mailbox_unlink(struct noc *n, uint32_t node, uint32_t pid, uint32_t port);

/*
 * Sends the payload at data (profile's payload bytes) from process
 * src_pid of node src to mailbox (dst_pid, port) on node dst, sent at
 * modelled time now_ns. Returns 0; -ESRCH if dst_pid does not live on dst;
 * -EAGAIN if the mailbox does not exist yet or is full (src waits on dst).
 */
int mailbox_send(struct noc *n, uint32_t src, uint32_t src_pid, uint32_t dst, uint32_t dst_pid,
                 uint32_t port, const void *data, uint64_t now_ns);
/* As mailbox_send, the message tagged tag (the sender's port, for a
 * reader that takes only what some sender's port sent). */
int mailbox_send_tagged(struct noc *n, uint32_t src, uint32_t src_pid, uint32_t dst,
                        uint32_t dst_pid, uint32_t port, uint32_t tag, const void *data,
                        uint64_t now_ns);

/* Messages mailbox (pid, port) of node holds, or -EBADF. */
int mailbox_pending(struct noc *n, uint32_t node, uint32_t pid, uint32_t port);

/*
 * Takes the oldest message of mailbox (pid, port) on node into data;
 * *arrival_ns is when it arrived. 0, -EBADF (no such mailbox), or -EAGAIN
 * (empty: node waits on itself).
 */
int mailbox_recv(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, void *data,
                 uint64_t *arrival_ns);
/* As mailbox_recv, of the oldest message from process from (0: any)
 * tagged tag (NOC_TAG_ANY: any); the others keep their order. -EAGAIN
 * while none matches. */
int mailbox_recv_from(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, uint32_t from,
                      uint32_t tag, void *data, uint64_t *arrival_ns);

/* The kernel services that talk node to node, each with its own queue
 * on every node. */
enum mailbox_kservice {
	MAILBOX_KS_NAME = 0, /* the name service and its answers (ikc.c) */
	MAILBOX_KS_MIGRATE,  /* the migration daemons (kernel-hooks/migd.h) */
	MAILBOX_KSERVICES
};

/* Kernel to kernel: queues len (<= payload) bytes for service svc of
 * node dst's kernel and rings dst. 0, -EINVAL (too long, no such
 * service) or -ENOMEM. */
int mailbox_kernel_send(struct noc *n, uint32_t src, uint32_t dst, unsigned svc, const void *data,
                        uint32_t len, uint64_t now_ns);

/* 1 if a message waits for service svc of node (no lock: a look). */
int mailbox_kernel_pending(struct noc *n, uint32_t node, unsigned svc);

/* Takes the oldest message for service svc of node: 0 (*src its sender),
 * or -EAGAIN if there is none. data gets payload bytes. */
int mailbox_kernel_recv(struct noc *n, uint32_t node, unsigned svc, void *data, uint32_t *src,
                        uint64_t *arrival_ns);

#endif /* MAILBOX_H */
