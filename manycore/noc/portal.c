/*
 * portal.c - portals: allow, write, read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "noc/noc_priv.h"
#include "noc/portal.h"
#include "params/profile.h"

static struct noc_portal *portal_find(struct noc *n, uint32_t node, uint32_t pid, uint32_t port)
{
	struct noc_node *nd = &n->node[node];

	for (uint32_t i = 0; i < n->prof->portal_ports; i++)
		if (nd->portal[i].pid == pid && nd->portal[i].port == port)
			return &nd->portal[i];
	return NULL;
}

static void portal_clear(struct noc_portal *p)
{
	free(p->data);
	memset(p, 0, sizeof(*p));
}

int portal_create(struct noc *n, uint32_t node, uint32_t pid, uint32_t port)
{
	struct noc_portal *p;
	int rc = 0;

	if (port >= n->prof->portal_ports || pid == NOC_KERNEL_PID)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if (portal_find(n, node, pid, port))
		rc = -EBUSY;
	else if (!(p = portal_find(n, node, 0, 0)))
		rc = -ENOSPC;
	else {
		p->pid = pid;
		p->port = port;
		p->state = NOC_PORTAL_IDLE;
		doorbell_changed_locked(n, node);
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int portal_unlink(struct noc *n, uint32_t node, uint32_t pid, uint32_t port)
{
	struct noc_portal *p;
	int rc = -EBADF;

	pthread_mutex_lock(&n->lock);
	if (pid != NOC_KERNEL_PID && (p = portal_find(n, node, pid, port))) {
		portal_clear(p);
		doorbell_changed_locked(n, node);
		rc = 0;
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

void portal_detach_locked(struct noc *n, uint32_t node, uint32_t pid)
{
	struct noc_node *nd = &n->node[node];

	for (uint32_t i = 0; i < n->prof->portal_ports; i++)
		if (nd->portal[i].pid == pid)
			portal_clear(&nd->portal[i]);
}

int portal_allow(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, uint32_t from)
{
	struct noc_portal *p;
	int rc = 0;

	pthread_mutex_lock(&n->lock);
	if (pid == NOC_KERNEL_PID || !(p = portal_find(n, node, pid, port))) {
		rc = -EBADF;
	} else if (p->state != NOC_PORTAL_IDLE) {
		rc = -EBUSY;
	} else {
		p->state = NOC_PORTAL_ALLOWED;
		p->allow_pid = from;
		doorbell_changed_locked(n, node); /* the sender may be waiting */
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int portal_write(struct noc *n, uint32_t src, uint32_t src_pid, uint32_t dst, uint32_t dst_pid,
                 uint32_t port, uint32_t len, portal_copy_fn copy_in, void *ctx, uint64_t now_ns,
                 uint64_t *done_ns)
{
	uint32_t chunk = n->prof->page_size;
	struct noc_portal *p;
	uint64_t t = now_ns;
	uint8_t *buf = NULL;
	int rc = 0;

	if (len == 0 || len > n->prof->portal_max)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if ((rc = resident_takes_locked(n, dst, dst_pid, src)))
		goto out;
	p = portal_find(n, dst, dst_pid, port);
	if (!p || p->state != NOC_PORTAL_ALLOWED || p->allow_pid != src_pid) {
		doorbell_wait_on_locked(n, dst, src);
		rc = -EAGAIN;
		goto out;
	}
	if (!(buf = malloc(len))) {
		rc = -ENOMEM;
		goto out;
	}
	/* Chunk by chunk, as the DMA engine moves it; all or nothing. */
	for (uint32_t off = 0; off < len; off += chunk) {
		uint32_t k = len - off < chunk ? len - off : chunk;
		if (copy_in(ctx, buf + off, off, k)) {
			free(buf);
			rc = -EFAULT;
			goto out;
		}
	}
	for (uint32_t off = 0; off < len; off += chunk)
		t += mesh_account_locked(n, src, dst, len - off < chunk ? len - off : chunk);
	p->data = buf;
	p->len = len;
	p->arrival_ns = t;
	p->state = NOC_PORTAL_FULL;
	*done_ns = t;
	doorbell_changed_locked(n, dst);
out:
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int portal_read(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, uint32_t size,
                portal_copy_fn copy_out, void *ctx, uint64_t *arrival_ns)
{
	uint32_t chunk = n->prof->page_size;
	struct noc_portal *p;
	int rc = 0;

	pthread_mutex_lock(&n->lock);
	if (pid == NOC_KERNEL_PID || !(p = portal_find(n, node, pid, port))) {
		rc = -EBADF;
	} else if (p->state == NOC_PORTAL_IDLE) {
		rc = -EINVAL;
	} else if (p->state == NOC_PORTAL_ALLOWED) {
		doorbell_wait_on_locked(n, node, node);
		rc = -EAGAIN;
	} else if (p->len > size) {
		rc = -EMSGSIZE;
	} else {
		for (uint32_t off = 0; off < p->len && !rc; off += chunk)
			rc = copy_out(ctx, p->data + off, off,
			              p->len - off < chunk ? p->len - off : chunk);
		if (!rc) {
			rc = (int)p->len;
			*arrival_ns = p->arrival_ns;
			free(p->data);
			p->data = NULL;
			p->len = 0;
			p->state = NOC_PORTAL_IDLE;
			doorbell_changed_locked(n, node);
		}
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int portal_kernel_write(struct noc *n, uint32_t src, uint32_t dst, void *dst_buf,
                        const void *src_buf, uint32_t len, uint64_t now_ns, uint64_t *done_ns)
{
	return portal_kernel_scatter(n, src, dst, &dst_buf, src_buf, len, 1, now_ns, done_ns);
}

int portal_kernel_scatter(struct noc *n, uint32_t src, uint32_t dst, void *const *dst_bufs,
                          const void *src_buf, uint32_t unit, uint32_t count, uint64_t now_ns,
                          uint64_t *done_ns)
{
	uint32_t chunk = n->prof->page_size;
	uint64_t t = now_ns, len = (uint64_t)unit * count;

	if (len == 0 || len > n->prof->portal_max || src >= n->nnodes || dst >= n->nnodes)
		return -EINVAL;
	for (uint32_t k = 0; k < count; k++)
		memcpy(dst_bufs[k], (const uint8_t *)src_buf + (size_t)k * unit, unit);
	/* one lock for the whole write: the model counts it page by page */
	pthread_mutex_lock(&n->lock);
	for (uint32_t off = 0; off < len; off += chunk)
		t += mesh_account_locked(n, src, dst, len - off < chunk ? len - off : chunk);
	pthread_mutex_unlock(&n->lock);
	*done_ns = t;
	return 0;
}
