/*
 * sync.c - syncs: early signals, create, signal, wait.
 */
#include <errno.h>
#include <string.h>

#include "noc/noc_priv.h"
#include "noc/sync.h"
#include "params/profile.h"

/* A signal is one word of payload on the wire. */
#define SYNC_SIGNAL_BYTES 4u

static struct noc_sync *sync_find(struct noc *n, uint32_t node, uint32_t pid, uint32_t key)
{
	struct noc_node *nd = &n->node[node];

	for (uint32_t i = 0; i < n->prof->mailbox_ports; i++)
		if (nd->sync[i].pid == pid && (pid == 0 || nd->sync[i].key == key))
			return &nd->sync[i];
	return NULL;
}

int sync_create(struct noc *n, uint32_t node, uint32_t pid, uint32_t key, const uint32_t *expect,
                uint32_t nexpect)
{
	struct noc_sync *s;
	int rc = 0;

	if (pid == NOC_KERNEL_PID || nexpect == 0 || nexpect > NOC_SYNC_MEMBERS)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	s = sync_find(n, node, pid, key);
	if (s && s->created) {
		rc = -EBUSY;
	} else if (!s && !(s = sync_find(n, node, 0, 0))) {
		rc = -ENOSPC;
	} else {
		if (!s->pid) {
			memset(s, 0, sizeof(*s));
			s->pid = pid;
			s->key = key;
		}
		s->created = 1;
		s->nexpect = nexpect;
		memcpy(s->expect, expect, nexpect * sizeof(*expect));
		doorbell_changed_locked(n, node); /* early signals may complete a wait */
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int sync_unlink(struct noc *n, uint32_t node, uint32_t pid, uint32_t key)
{
	struct noc_sync *s;
	int rc = -EBADF;

	pthread_mutex_lock(&n->lock);
	if (pid != NOC_KERNEL_PID && (s = sync_find(n, node, pid, key)) && s->created) {
		memset(s, 0, sizeof(*s));
		doorbell_changed_locked(n, node);
		rc = 0;
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

void sync_detach_locked(struct noc *n, uint32_t node, uint32_t pid)
{
	struct noc_node *nd = &n->node[node];

	for (uint32_t i = 0; i < n->prof->mailbox_ports; i++)
		if (nd->sync[i].pid == pid)
			memset(&nd->sync[i], 0, sizeof(nd->sync[i]));
}

/* The counter of sender from in s, added if new; NULL if s is full. */
static uint32_t *sync_counter(struct noc_sync *s, uint32_t from)
{
	for (uint32_t i = 0; i < s->nfrom; i++)
		if (s->from[i] == from)
			return &s->count[i];
	if (s->nfrom == NOC_SYNC_MEMBERS)
		return NULL;
	s->from[s->nfrom] = from;
	s->count[s->nfrom] = 0;
	return &s->count[s->nfrom++];
}

int sync_signal(struct noc *n, uint32_t src, uint32_t src_pid, const uint32_t *dst_node,
                const uint32_t *dst_pid, uint32_t ndst, uint32_t key, uint64_t now_ns)
{
	uint32_t free_needed[NOC_NODES_MAX] = { 0 };
	int rc = 0;

	if (ndst == 0 || ndst > NOC_SYNC_MEMBERS)
		return -EINVAL;
	pthread_mutex_lock(&n->lock);
	/* First check that every receiver can take it: all or none. */
	for (uint32_t i = 0; i < ndst && !rc; i++) {
		uint32_t d = dst_node[i], have = 0;
		if ((rc = d < n->nnodes ? resident_takes_locked(n, d, dst_pid[i], src) : -ESRCH))
			break;
		if (sync_find(n, d, dst_pid[i], key))
			continue;
		free_needed[d]++;
		for (uint32_t k = 0; k < n->prof->mailbox_ports; k++)
			have += n->node[d].sync[k].pid == 0;
		if (have < free_needed[d]) {
			doorbell_wait_on_locked(n, d, src);
			rc = -EAGAIN;
		}
	}
	for (uint32_t i = 0; i < ndst && !rc; i++) {
		uint32_t d = dst_node[i];
		struct noc_sync *s = sync_find(n, d, dst_pid[i], key);
		uint32_t *cnt;
		if (!s) {
			s = sync_find(n, d, 0, 0);
			memset(s, 0, sizeof(*s));
			s->pid = dst_pid[i];
			s->key = key;
		}
		cnt = sync_counter(s, src_pid);
		if (cnt)
			(*cnt)++; /* a full table of senders: more signals than a set holds */
		s->arrival_ns = now_ns + mesh_account_locked(n, src, d, SYNC_SIGNAL_BYTES);
		doorbell_changed_locked(n, d);
	}
	pthread_mutex_unlock(&n->lock);
	return rc;
}

int sync_wait(struct noc *n, uint32_t node, uint32_t pid, uint32_t key, uint64_t *arrival_ns)
{
	struct noc_sync *s;
	int rc = 0;

	pthread_mutex_lock(&n->lock);
	s = pid == NOC_KERNEL_PID ? NULL : sync_find(n, node, pid, key);
	if (!s || !s->created) {
		rc = -EBADF;
		goto out;
	}
	for (uint32_t i = 0; i < s->nexpect; i++) {
		uint32_t *cnt = sync_counter(s, s->expect[i]);
		if (!cnt || *cnt == 0) {
			doorbell_wait_on_locked(n, node, node);
			rc = -EAGAIN;
			goto out;
		}
	}
	for (uint32_t i = 0; i < s->nexpect; i++)
		(*sync_counter(s, s->expect[i]))--;
	*arrival_ns = s->arrival_ns;
out:
	pthread_mutex_unlock(&n->lock);
	return rc;
}
