/*
 * mailbox.c - mailboxes and the kernel's own message queue.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "noc/mailbox.h"
#include "noc/noc_priv.h"
#include "params/profile.h"

static struct noc_mbx *mailbox_find(struct noc *n, uint32_t node, uint32_t pid, uint32_t port)
{
	struct noc_node *nd = &n->node[node];

	for (uint32_t i = 0; i < n->prof->mailbox_ports; i++)
		if (nd->mbx[i].pid == pid && nd->mbx[i].port == port)
			return &nd->mbx[i];
	return NULL;
}

int mailbox_create(struct noc *n, uint32_t node, uint32_t pid, uint32_t port)
{
	struct noc_mbx *m;
	int rc = 0;

	if (port >= n->prof->mailbox_ports || pid == NOC_KERNEL_PID)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if (mailbox_find(n, node, pid, port))
		rc = -EBUSY;
	else if (!(m = mailbox_find(n, node, 0, 0)))
		rc = -ENOSPC;
	else {
		memset(m, 0, sizeof(*m));
		m->pid = pid;
		m->port = port;
		doorbell_changed_locked(n, node); /* senders waiting for it go on */
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int mailbox_unlink(struct noc *n, uint32_t node, uint32_t pid, uint32_t port)
{
	struct noc_mbx *m;
	int rc = -EBADF;

	pthread_mutex_lock(&n->lock);
	if (pid != NOC_KERNEL_PID && (m = mailbox_find(n, node, pid, port))) {
		memset(m, 0, sizeof(*m));
		doorbell_changed_locked(n, node);
		rc = 0;
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

void mailbox_detach_locked(struct noc *n, uint32_t node, uint32_t pid)
{
	struct noc_node *nd = &n->node[node];

	for (uint32_t i = 0; i < n->prof->mailbox_ports; i++)
		if (nd->mbx[i].pid == pid)
			memset(&nd->mbx[i], 0, sizeof(nd->mbx[i]));
}

int mailbox_send(struct noc *n, uint32_t src, uint32_t src_pid, uint32_t dst, uint32_t dst_pid,
                 uint32_t port, const void *data, uint64_t now_ns)
{
	return mailbox_send_tagged(n, src, src_pid, dst, dst_pid, port, NOC_TAG_NONE, data, now_ns);
}

int mailbox_send_tagged(struct noc *n, uint32_t src, uint32_t src_pid, uint32_t dst,
                        uint32_t dst_pid, uint32_t port, uint32_t tag, const void *data,
                        uint64_t now_ns)
{
	uint32_t size = n->prof->mailbox_payload;
	struct noc_mbx *m;
	struct noc_msg *msg;
	int rc;

	pthread_mutex_lock(&n->lock);
	rc = resident_takes_locked(n, dst, dst_pid, src); /* not there, or sealed */
	if (!rc && (!(m = mailbox_find(n, dst, dst_pid, port)) || m->count == NOC_MAILBOX_DEPTH)) {
		doorbell_wait_on_locked(n, dst, src);
		rc = -EAGAIN;
	} else if (!rc) {
		msg = &m->q[(m->head + m->count) % NOC_MAILBOX_DEPTH];
		msg->src_node = src;
		msg->src_pid = src_pid;
		msg->tag = tag;
		msg->arrival_ns = now_ns + mesh_account_locked(n, src, dst, size);
		memcpy(msg->data, data, size);
		m->count++;
		doorbell_changed_locked(n, dst);
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int mailbox_pending(struct noc *n, uint32_t node, uint32_t pid, uint32_t port)
{
	struct noc_mbx *m;
	int rc;

	pthread_mutex_lock(&n->lock);
	m = pid == NOC_KERNEL_PID ? NULL : mailbox_find(n, node, pid, port);
	rc = m ? (int)m->count : -EBADF;
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int mailbox_recv(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, void *data,
                 uint64_t *arrival_ns)
{
	return mailbox_recv_from(n, node, pid, port, 0, NOC_TAG_ANY, data, arrival_ns);
}

int mailbox_recv_from(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, uint32_t from,
                      uint32_t tag, void *data, uint64_t *arrival_ns)
{
	struct noc_mbx *m;
	struct noc_msg *msg = NULL;
	uint32_t i;
	int rc = 0;

	pthread_mutex_lock(&n->lock);
	if (pid == NOC_KERNEL_PID || !(m = mailbox_find(n, node, pid, port))) {
		rc = -EBADF;
		goto out;
	}
	/* The oldest message the filter takes. */
	for (i = 0; i < m->count; i++) {
		msg = &m->q[(m->head + i) % NOC_MAILBOX_DEPTH];
		if ((!from || msg->src_pid == from) && (tag == NOC_TAG_ANY || msg->tag == tag))
			break;
	}
	if (i == m->count) {
		doorbell_wait_on_locked(n, node, node);
		rc = -EAGAIN;
		goto out;
	}
	memcpy(data, msg->data, n->prof->mailbox_payload);
	*arrival_ns = msg->arrival_ns;
	/* The older ones it passed over move up a place: order is kept. */
	for (; i > 0; i--)
		m->q[(m->head + i) % NOC_MAILBOX_DEPTH] =
			m->q[(m->head + i - 1) % NOC_MAILBOX_DEPTH];
	m->head = (m->head + 1) % NOC_MAILBOX_DEPTH;
	m->count--;
	doorbell_changed_locked(n, node); /* room for a blocked sender */
out:
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int mailbox_kernel_send(struct noc *n, uint32_t src, uint32_t dst, unsigned svc, const void *data,
                        uint32_t len, uint64_t now_ns)
{
	uint32_t size = n->prof->mailbox_payload;
	struct noc_kqueue *kq;
	struct noc_msg *msg;
	int rc = 0;

	if (len > size || svc >= MAILBOX_KSERVICES)
		return -EINVAL;
	kq = &n->node[dst].kq[svc];
	pthread_mutex_lock(&n->lock);
	if (kq->count == kq->cap) {
		uint32_t cap = kq->cap ? kq->cap * 2 : 16;
		struct noc_msg *q = malloc(cap * sizeof(*q));
		if (!q) {
			rc = -ENOMEM;
			goto out;
		}
		for (uint32_t i = 0; i < kq->count; i++)
			q[i] = kq->msgs[(kq->head + i) % kq->cap];
		free(kq->msgs);
		kq->msgs = q;
		kq->head = 0;
		kq->cap = cap;
	}
	msg = &kq->msgs[(kq->head + kq->count) % kq->cap];
	memset(msg, 0, sizeof(*msg));
	msg->src_node = src;
	msg->arrival_ns = now_ns + mesh_account_locked(n, src, dst, size);
	n->node[src].stats.kernel_messages++;
	memcpy(msg->data, data, len);
	__atomic_store_n(&kq->count, kq->count + 1, __ATOMIC_RELEASE);
	doorbell_ring_locked(n, dst);
out:
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int mailbox_kernel_pending(struct noc *n, uint32_t node, unsigned svc)
{
	return svc < MAILBOX_KSERVICES &&
	       __atomic_load_n(&n->node[node].kq[svc].count, __ATOMIC_ACQUIRE) != 0;
}

int mailbox_kernel_recv(struct noc *n, uint32_t node, unsigned svc, void *data, uint32_t *src,
                        uint64_t *arrival_ns)
{
	struct noc_kqueue *kq;
	int rc = -EAGAIN;

	if (svc >= MAILBOX_KSERVICES)
		return -EINVAL;
	kq = &n->node[node].kq[svc];
	/* Empty: no lock (every node's daemon asks each round). A message
	 * queued after this look is found at the next. */
	if (!__atomic_load_n(&kq->count, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	pthread_mutex_lock(&n->lock);
	if (kq->count) {
		struct noc_msg *msg = &kq->msgs[kq->head];
		memcpy(data, msg->data, n->prof->mailbox_payload);
		*src = msg->src_node;
		*arrival_ns = msg->arrival_ns;
		kq->head = (kq->head + 1) % kq->cap;
		__atomic_store_n(&kq->count, kq->count - 1, __ATOMIC_RELAXED);
		rc = 0;
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}
