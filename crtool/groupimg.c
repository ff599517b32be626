/*
 * groupimg.c - crtool show, verify and diff of a group directory (see
 * groupimg.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MODULE "images"

#include "crtool/cmdline.h"
#include "crtool/diffcmd.h"
#include "crtool/groupimg.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "images/imgapp.h"
#include "images/imgchain.h"
#include "images/imgjson.h"

static const char *groupimg_kind(const Crimg__App *a)
{
	return a->kind == CRIMG__SET_KIND__SET_DUMP ? "dump" : "pre-dump";
}

static const char *groupimg_chan(Crimg__ChannelKind k)
{
	switch (k) {
	case CRIMG__CHANNEL_KIND__CHANNEL_MAILBOX: return "mailbox";
	case CRIMG__CHANNEL_KIND__CHANNEL_PORTAL: return "portal";
	default: return "sync";
	}
}

static int groupimg_read(const char *dir, Crimg__App **a)
{
	struct crerr e = CRERR_INIT;
	int rc = imgapp_read(dir, a, &e);

	if (rc == 0)
		return CRT_OK;
	LOG_ERROR("%s", e.msg);
	return rc == -EINVAL ? CRT_BAD_IMAGE : rc == -ENOMEM ? CRT_FAILED : CRT_IO;
}

int groupimg_show(const char *dir, int json)
{
	struct crerr e = CRERR_INIT;
	Crimg__App *a;
	json_t *j;
	int rc = groupimg_read(dir, &a);

	if (rc)
		return rc;
	if (json) {
		if (!(j = imgjson_from_message(&a->base, dir, &e))) {
			LOG_ERROR("%s", e.msg);
			imgapp_free(a);
			return CRT_FAILED;
		}
		imgapp_free(a);
		return cmdline_print_json(json_pack("{s:s, s:s, s:o}", "schema", "crtool.group/1",
		                                    "group", dir, "app", j));
	}
	printf("group     %s\n", dir);
	printf("app       %s\n", a->name[0] ? a->name : "(none: a set of pids)");
	printf("kind      %s of %zu processes, profile %s\n", groupimg_kind(a), a->n_members,
	       a->profile);
	printf("id        %016" PRIx64 "\n", a->id);
	if (a->parent[0])
		printf("parent    %s (group %016" PRIx64 ")\n", a->parent, a->parent_id);
	if (a->kind == CRIMG__SET_KIND__SET_DUMP)
		printf("cut       %.3f us (the first member frozen to the last)\n",
		       a->cut_ns / 1e3);
	printf("%8s %6s %5s %7s  %-10s %s\n", "PID", "VNODE", "NODE", "PAGES", "DIR", "NAME");
	for (size_t i = 0; i < a->n_members; i++) {
		const Crimg__AppMember *m = a->members[i];
		printf("%8u %6u %5u %7u  %-10s %s\n", m->pid, m->vnode, m->node, m->pages, m->dir,
		       m->name);
	}
	if (a->n_channels)
		printf("channels at the cut (FROM -> TO: what waits there):\n");
	for (size_t i = 0; i < a->n_channels; i++) {
		const Crimg__Channel *c = a->channels[i];
		printf("  %u -> %u %s:", c->from_pid, c->to_pid, groupimg_chan(c->kind));
		if (!c->queued && !c->allowed && !c->waiting)
			printf(" open, empty");
		if (c->queued)
			printf(" %u queued (%" PRIu64 " bytes)", c->queued, c->bytes);
		if (c->allowed)
			printf(" allowed");
		if (c->waiting)
			printf(" %u sender%s waiting", c->waiting, c->waiting > 1 ? "s" : "");
		printf("%s\n", c->external ? " (crosses the group's edge)" : "");
	}
	imgapp_free(a);
	return CRT_OK;
}

static void groupimg_line(void *ctx, const char *msg)
{
	(void)ctx;
	printf("%s\n", msg);
}

int groupimg_verify(const char *dir)
{
	struct crerr e = { .each = groupimg_line };
	char path[PATH_MAX + 80];
	Crimg__App *a;
	int rc = groupimg_read(dir, &a), bad = 0;

	if (rc)
		return rc;
	for (size_t i = 0; i < a->n_members; i++) {
		struct imgchain *c;
		snprintf(path, sizeof(path), "%s/%s", dir, a->members[i]->dir);
		if (imgchain_open(path, &c, &e) < 0) {
			bad = 1;
			continue;
		}
		if (imgapp_check_member(a, i, c->set[0], path, &e) < 0)
			bad = 1;
		imgchain_free(c);
	}
	if (!bad)
		printf("%s: valid group %s of %zu processes%s%s\n", dir, groupimg_kind(a),
		       a->n_members, a->name[0] ? ", application " : "", a->name);
	imgapp_free(a);
	return bad ? CRT_BAD_IMAGE : CRT_OK;
}

/* Says that pid is only in dir: a line, or an entry of members. */
static void groupimg_only(json_t *members, uint32_t pid, const char *dir, int first)
{
	if (members)
		json_array_append_new(members, json_pack("{s:I, s:s}", "pid", (json_int_t)pid,
		                                         "only", first ? "first" : "second"));
	else
		printf("pid %u: only in %s\n", pid, dir);
}

int groupimg_diff(const char *d1, const char *d2, int (*diff)(const char *, const char *, void *),
                  json_t *members)
{
	char p1[PATH_MAX + 80], p2[PATH_MAX + 80];
	Crimg__App *a, *b;
	int rc = groupimg_read(d1, &a), differ = 0;

	if (rc)
		return rc;
	if ((rc = groupimg_read(d2, &b))) {
		imgapp_free(a);
		return rc;
	}
	for (size_t i = 0; i < a->n_members && rc == CRT_OK; i++) {
		struct diffout o = { NULL, NULL, NULL };
		size_t j = 0;
		while (j < b->n_members && b->members[j]->pid != a->members[i]->pid)
			j++;
		if (j == b->n_members) {
			groupimg_only(members, a->members[i]->pid, d1, 1);
			differ = 1;
			continue;
		}
		snprintf(p1, sizeof(p1), "%s/%s", d1, a->members[i]->dir);
		snprintf(p2, sizeof(p2), "%s/%s", d2, b->members[j]->dir);
		if (members) {
			diffout_json(&o);
		} else {
			printf("pid %u:\n", a->members[i]->pid);
			fflush(stdout);
		}
		rc = diff(p1, p2, &o);
		if (members && (rc == CRT_OK || rc == CRT_FAILED)) {
			json_t *m = json_pack("{s:I}", "pid", (json_int_t)a->members[i]->pid);
			diffout_put(&o, m);
			json_array_append_new(members, m);
		}
		diffout_free(&o);
		if (rc == CRT_FAILED) {
			differ = 1;
			rc = CRT_OK;
		}
	}
	for (size_t j = 0; j < b->n_members && rc == CRT_OK; j++) {
		size_t i = 0;
		while (i < a->n_members && a->members[i]->pid != b->members[j]->pid)
			i++;
		if (i == a->n_members) {
			groupimg_only(members, b->members[j]->pid, d2, 0);
			differ = 1;
		}
	}
	imgapp_free(a);
	imgapp_free(b);
	return rc ? rc : differ ? CRT_FAILED : CRT_OK;
}
