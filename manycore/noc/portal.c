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
	for (uint32_t i = 0; i < p->nwrites; i++)
		free(p->w[i].data);
	memset(p, 0, sizeof(*p));
}

/* The oldest held write the allow matches, or -1. */
static int portal_match(const struct noc_portal *p)
{
	for (uint32_t i = 0; p->allow_pid && i < p->nwrites; i++)
		if (p->w[i].src_pid == p->allow_pid &&
		    (p->allow_tag == NOC_TAG_ANY || p->w[i].tag == p->allow_tag))
			return (int)i;
	return -1;
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
		memset(p, 0, sizeof(*p));
		p->pid = pid;
		p->port = port;
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

int portal_pending(struct noc *n, uint32_t node, uint32_t pid, uint32_t port)
{
	struct noc_portal *p;
	int rc;

	pthread_mutex_lock(&n->lock);
	p = pid == NOC_KERNEL_PID ? NULL : portal_find(n, node, pid, port);
	rc = p ? (int)p->nwrites : -EBADF;
	pthread_mutex_unlock(&n->lock);
	return rc;
}

/* 1 if pid has a portal on node whose allow waits for a write of
 * process from: only then does a tagged write of from's move (as on
 * Nanvix, where the receiving kernel takes data from a sender only while
 * a read waits for it). */
static int portal_hungry_locked(struct noc *n, uint32_t node, uint32_t pid, uint32_t from)
{
	struct noc_node *nd = &n->node[node];

	for (uint32_t i = 0; i < n->prof->portal_ports; i++)
		if (nd->portal[i].pid == pid && nd->portal[i].allow_pid == from &&
		    portal_match(&nd->portal[i]) < 0)
			return 1;
	return 0;
}

int portal_allow_tagged(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, uint32_t from,
                        uint32_t tag)
{
	struct noc_portal *p;
	int rc = 0;

	if (from == NOC_KERNEL_PID || tag == NOC_TAG_NONE)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if (pid == NOC_KERNEL_PID || !(p = portal_find(n, node, pid, port))) {
		rc = -EBADF;
	} else if (p->allow_pid) {
		rc = -EBUSY;
	} else {
		p->allow_pid = from;
		p->allow_tag = tag;
		doorbell_changed_locked(n, node); /* the sender may be waiting */
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int portal_allow(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, uint32_t from)
{
	return portal_allow_tagged(n, node, pid, port, from, NOC_TAG_ANY);
}

/*
 * A write of the pid API (tag NOC_TAG_NONE) waits for the allow of its
 * port, which no write it matches may be holding. A tagged write waits
 * until some portal of the receiver waits for a write of the sender;
 * then it is held by its port for a later read (up to NOC_PORTAL_DEPTH),
 * or, if the receiver has no such port, dropped, as Nanvix drops data
 * for a port nobody opened.
 */
static int portal_put(struct noc *n, uint32_t src, uint32_t src_pid, uint32_t dst, uint32_t dst_pid,
                      uint32_t port, uint32_t tag, uint32_t len, portal_copy_fn copy_in, void *ctx,
                      uint64_t now_ns, uint64_t *done_ns)
{
	uint32_t chunk = n->prof->page_size;
	struct noc_portal *p;
	uint64_t t = now_ns;
	uint8_t *buf = NULL;
	int rc = 0, open;

	if (len == 0 || len > n->prof->portal_max)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	if ((rc = resident_takes_locked(n, dst, dst_pid, src)))
		goto out;
	p = portal_find(n, dst, dst_pid, port);
	if (tag == NOC_TAG_NONE)
		open = p && p->nwrites < NOC_PORTAL_DEPTH && p->allow_pid == src_pid &&
		       p->allow_tag == NOC_TAG_ANY && portal_match(p) < 0;
	else
		open = portal_hungry_locked(n, dst, dst_pid, src_pid) &&
		       (!p || p->nwrites < NOC_PORTAL_DEPTH);
	if (!open) {
		doorbell_wait_on_locked(n, dst, src);
		rc = -EAGAIN;
		goto out;
	}
	if (p && tag != NOC_TAG_NONE && n->hold_fail_at && ++n->holds == n->hold_fail_at) {
		rc = -ENOMEM; /* an injected fault: nothing is held */
		goto out;
	}
	if (p && !(buf = malloc(len))) {
		rc = -ENOMEM;
		goto out;
	}
	/* Chunk by chunk, as the DMA engine moves it; all or nothing. */
	for (uint32_t off = 0; buf && off < len; off += chunk) {
		uint32_t k = len - off < chunk ? len - off : chunk;
		if (copy_in(ctx, buf + off, off, k)) {
			free(buf);
			rc = -EFAULT;
			goto out;
		}
	}
	for (uint32_t off = 0; off < len; off += chunk)
		t += mesh_account_locked(n, src, dst, len - off < chunk ? len - off : chunk);
	if (p)
		p->w[p->nwrites++] = (struct noc_pwrite){ src_pid, tag, len, t, buf };
	*done_ns = t;
	doorbell_changed_locked(n, dst);
out:
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int portal_write(struct noc *n, uint32_t src, uint32_t src_pid, uint32_t dst, uint32_t dst_pid,
                 uint32_t port, uint32_t len, portal_copy_fn copy_in, void *ctx, uint64_t now_ns,
                 uint64_t *done_ns)
{
	return portal_put(n, src, src_pid, dst, dst_pid, port, NOC_TAG_NONE, len, copy_in, ctx,
	                  now_ns, done_ns);
}

int portal_write_tagged(struct noc *n, uint32_t src, uint32_t src_pid, uint32_t dst,
                        uint32_t dst_pid, uint32_t port, uint32_t tag, uint32_t len,
                        portal_copy_fn copy_in, void *ctx, uint64_t now_ns, uint64_t *done_ns)
{
	if (tag == NOC_TAG_NONE || tag == NOC_TAG_ANY)
		return -EINVAL;
	return portal_put(n, src, src_pid, dst, dst_pid, port, tag, len, copy_in, ctx, now_ns,
	                  done_ns);
}

int portal_read(struct noc *n, uint32_t node, uint32_t pid, uint32_t port, uint32_t size,
                portal_copy_fn copy_out, void *ctx, uint64_t *arrival_ns)
{
	uint32_t chunk = n->prof->page_size;
	struct noc_portal *p;
	struct noc_pwrite *w;
	int rc = 0, i;

	pthread_mutex_lock(&n->lock);
	if (pid == NOC_KERNEL_PID || !(p = portal_find(n, node, pid, port))) {
		rc = -EBADF;
	} else if (!p->allow_pid) {
		rc = -EINVAL;
	} else if ((i = portal_match(p)) < 0) {
		doorbell_wait_on_locked(n, node, node);
		rc = -EAGAIN;
	} else if ((w = &p->w[i])->len > size) {
		rc = -EMSGSIZE;
	} else {
		for (uint32_t off = 0; off < w->len && !rc; off += chunk)
			rc = copy_out(ctx, w->data + off, off,
			              w->len - off < chunk ? w->len - off : chunk);
		if (!rc) {
			rc = (int)w->len;
			*arrival_ns = w->arrival_ns;
			free(w->data);
			memmove(w, w + 1, (p->nwrites - (uint32_t)i - 1) * sizeof(*w));
			p->nwrites--;
			p->allow_pid = 0;
			p->allow_tag = 0;
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
