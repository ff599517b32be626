/*
 * bproc.c - the board's process table (see bproc.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "board/board_priv.h"
#include "board/bproc.h"
#include "kernel/uarea.h"

/* The process record of pid, or NULL; board lock held. */
struct bproc *bproc_find(struct board *b, uint32_t pid)
{
	size_t lo = 0, hi = b->nprocs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (b->procs[mid]->info.pid == pid)
			return b->procs[mid];
		if (b->procs[mid]->info.pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int bproc_insert(struct board *b, struct bproc *p)
{
	size_t i;

	if (b->nprocs == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct bproc **t = realloc(b->procs, cap * sizeof(*t));
		if (!t)
			return -ENOMEM;
		b->procs = t;
		b->cap = cap;
	}
	for (i = b->nprocs; i > 0 && b->procs[i - 1]->info.pid > p->info.pid; i--)
		b->procs[i] = b->procs[i - 1];
	b->procs[i] = p;
	b->nprocs++;
	return 0;
}

void bproc_remove(struct board *b, struct bproc *p)
{
	for (size_t i = 0; i < b->nprocs; i++)
		if (b->procs[i] == p) {
			memmove(&b->procs[i], &b->procs[i + 1],
			        (b->nprocs - i - 1) * sizeof(*b->procs));
			b->nprocs--;
			break;
		}
	bproc_free(p);
}

void bproc_free(struct bproc *p)
{
	if (!p)
		return;
	free(p->out[0].buf);
	free(p->out[1].buf);
	free(p->partial[0]);
	free(p->partial[1]);
	free(p);
}

/* Forgets the oldest ended processes beyond BOARD_ENDED_KEPT; board lock. */
void bproc_prune(struct board *b)
{
	size_t i = 0;

	while (b->nended > BOARD_ENDED_KEPT && i < b->nprocs) {
		if (b->procs[i]->info.state == BOARD_RUNNING) {
			i++;
			continue;
		}
		bproc_free(b->procs[i]);
		memmove(&b->procs[i], &b->procs[i + 1], (b->nprocs - i - 1) * sizeof(*b->procs));
		b->nprocs--;
		b->nended--;
	}
}

void bproc_append_output(struct bout *o, const uint8_t *p, size_t n)
{
	if (!o->buf && !(o->buf = malloc(BOARD_OUTPUT_MAX)))
		return; /* out of host memory: the output is dropped, the count kept */
	o->total += n;
	if (n >= BOARD_OUTPUT_MAX) {
		memcpy(o->buf, p + n - BOARD_OUTPUT_MAX, BOARD_OUTPUT_MAX);
		o->head = 0;
		o->len = BOARD_OUTPUT_MAX;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (o->len == BOARD_OUTPUT_MAX) {
			o->buf[o->head] = p[i];
			o->head = (o->head + 1) % BOARD_OUTPUT_MAX;
		} else {
			o->buf[(o->head + o->len) % BOARD_OUTPUT_MAX] = p[i];
			o->len++;
		}
	}
}

/* Copies what the UArea says into info; the cluster's thread. */
void bproc_fill_info(struct board_proc_info *in, const struct uarea *ua)
{
	in->vnode = ua->vnode;
	snprintf(in->app, sizeof(in->app), "%s", ua->app);
	in->threads = ua->state == UPROC_RUNNING ? uarea_live_threads(ua) : 0;
	in->pages = ua->pages;
	in->uarea_bytes = (uint32_t)uarea_bytes(ua);
	in->instret = uarea_instret(ua);
	in->kernel_calls = ua->syscalls;
	in->ikc_messages = ua->ikc_messages;
	in->ikc_bytes = ua->ikc_bytes;
}

int bproc_node_of(struct board *b, uint32_t pid, uint64_t *track_id)
{
	struct bproc *p;
	int node = -ESRCH;

	pthread_mutex_lock(&b->lock);
	p = bproc_find(b, pid);
	if (p && p->info.state == BOARD_RUNNING) {
		node = (int)p->info.node;
		if (track_id)
			*track_id = p->track_id;
	}
	pthread_mutex_unlock(&b->lock);
	return node;
}

void bproc_set_track(struct board *b, uint32_t pid, uint64_t id)
{
	struct bproc *p;

	pthread_mutex_lock(&b->lock);
	if ((p = bproc_find(b, pid)))
		p->track_id = id;
	pthread_mutex_unlock(&b->lock);
}
