/*
 * imgapp.c - group dump directories: the application image and the
 * members' sets beside it (see imgapp.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "images/imgapp.h"
#include "images/imgdec.h"
#include "images/imgenc.h"
#include "images/imgparams.h"

#define IMGAPP_DIR_MAX 64 /* a member directory's name, bytes */

int imgapp_is_group(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", dir, IMGAPP_FILE) >= (int)sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void imgapp_member_dir(uint32_t pid, char *out, size_t n)
{
	snprintf(out, n, "pid-%u", pid);
}

static char *imgapp_strdup(const char *s)
{
	return strdup(s ? s : "");
}

Crimg__App *imgapp_new(const char *name, Crimg__SetKind kind, const uint32_t *pids, size_t n)
{
	Crimg__App *a = calloc(1, sizeof(*a));
	struct timespec ts;
	char dir[IMGAPP_DIR_MAX];

	if (!a)
		return NULL;
	crimg__app__init(a);
	a->name = imgapp_strdup(name);
	a->profile = imgapp_strdup("");
	a->parent = imgapp_strdup("");
	a->tool_version = imgapp_strdup(CRIMG_TOOL_VERSION);
	a->kind = kind;
	if (sodium_init() < 0)
		goto fail;
	do
		randombytes_buf(&a->id, sizeof(a->id));
	while (!a->id);
	clock_gettime(CLOCK_REALTIME, &ts);
	a->created_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (!a->name || !a->profile || !a->parent || !a->tool_version ||
	    !(a->members = calloc(n ? n : 1, sizeof(*a->members))))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		Crimg__AppMember *m = calloc(1, sizeof(*m));
		if (!m)
			goto fail;
		crimg__app_member__init(m);
		a->members[a->n_members++] = m;
		m->pid = pids[i];
		imgapp_member_dir(pids[i], dir, sizeof(dir));
		m->name = imgapp_strdup("");
		if (!(m->dir = imgapp_strdup(dir)) || !m->name)
			goto fail;
	}
	return a;
fail:
	imgapp_free(a);
	return NULL;
}

void imgapp_free(Crimg__App *a)
{
	if (a)
		protobuf_c_message_free_unpacked(&a->base, NULL);
}

/* ---- channels ---- */

struct imgapp_chans {
	Crimg__Channel **c;
	size_t n, cap;
};

static int imgapp_member_index(const Crimg__App *a, uint32_t pid)
{
	for (size_t i = 0; i < a->n_members; i++)
		if (a->members[i]->pid == pid)
			return (int)i;
	return -1;
}

/* The channel (from, to, kind), made if new; NULL if out of memory. */
static Crimg__Channel *imgapp_chan(const Crimg__App *a, struct imgapp_chans *cs, uint32_t from,
                                   uint32_t to, Crimg__ChannelKind kind)
{
	Crimg__Channel *c;

	for (size_t i = 0; i < cs->n; i++)
		if (cs->c[i]->from_pid == from && cs->c[i]->to_pid == to && cs->c[i]->kind == kind)
			return cs->c[i];
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 16;
		Crimg__Channel **p = realloc(cs->c, cap * sizeof(*p));
		if (!p)
			return NULL;
		cs->c = p;
		cs->cap = cap;
	}
	if (!(c = calloc(1, sizeof(*c))))
		return NULL;
	crimg__channel__init(c);
	c->from_pid = from;
	c->to_pid = to;
	c->kind = kind;
	c->external = imgapp_member_index(a, from) < 0 || imgapp_member_index(a, to) < 0;
	cs->c[cs->n++] = c;
	return c;
}

static Crimg__ChannelKind imgapp_chan_kind(Crimg__EndpointKind k)
{
	switch (k) {
	case CRIMG__ENDPOINT_KIND__MAILBOX_IN:
	case CRIMG__ENDPOINT_KIND__MAILBOX_OUT: return CRIMG__CHANNEL_KIND__CHANNEL_MAILBOX;
	case CRIMG__ENDPOINT_KIND__PORTAL_IN:
	case CRIMG__ENDPOINT_KIND__PORTAL_OUT: return CRIMG__CHANNEL_KIND__CHANNEL_PORTAL;
	default: return CRIMG__CHANNEL_KIND__CHANNEL_SYNC;
	}
}

/* What member pid's input endpoint ep holds, into cs. */
static int imgapp_inputs(const Crimg__App *a, struct imgapp_chans *cs, uint32_t pid,
                         const Crimg__Endpoint *ep)
{
	Crimg__ChannelKind k = imgapp_chan_kind(ep->kind);
	Crimg__Channel *c;

	for (size_t q = 0; q < ep->n_queued; q++) {
		if (!(c = imgapp_chan(a, cs, ep->queued[q]->source_pid, pid, k)))
			return -ENOMEM;
		c->queued++;
		c->bytes += ep->queued[q]->data.len;
	}
	for (size_t s = 0; s < ep->n_signals; s++) {
		if (!(c = imgapp_chan(a, cs, ep->signals[s]->from_pid, pid, k)))
			return -ENOMEM;
		c->queued += ep->signals[s]->count;
	}
	if (ep->kind == CRIMG__ENDPOINT_KIND__PORTAL_IN && ep->allowed_pid) {
		if (!(c = imgapp_chan(a, cs, ep->allowed_pid, pid, k)))
			return -ENOMEM;
		c->allowed = 1;
	}
	return 0;
}

/* The outputs member s holds (a channel each, even with nothing in it),
 * and its threads waiting to send on one. */
static int imgapp_waiting(const Crimg__App *a, struct imgapp_chans *cs, const struct imgset *s)
{
	const Crimg__UArea *ua = s->uarea;

	for (size_t i = 0; i < s->nendpoints; i++) {
		const Crimg__Endpoint *ep = s->endpoints[i];
		if (!ep->early &&
		    (ep->kind == CRIMG__ENDPOINT_KIND__MAILBOX_OUT ||
		     ep->kind == CRIMG__ENDPOINT_KIND__PORTAL_OUT) &&
		    !imgapp_chan(a, cs, s->inventory->pid, ep->pid, imgapp_chan_kind(ep->kind)))
			return -ENOMEM;
	}

	for (size_t t = 0; ua && t < ua->n_threads; t++) {
		const Crimg__Thread *th = ua->threads[t];
		if (th->wait != CRIMG__WAIT_REASON__WAIT_IKC || th->n_wait_args < 1)
			continue;
		for (size_t i = 0; i < s->nendpoints; i++) {
			const Crimg__Endpoint *ep = s->endpoints[i];
			Crimg__Channel *c;
			if (ep->early || ep->slot != th->wait_args[0] ||
			    (ep->kind != CRIMG__ENDPOINT_KIND__MAILBOX_OUT &&
			     ep->kind != CRIMG__ENDPOINT_KIND__PORTAL_OUT))
				continue;
			if (!(c = imgapp_chan(a, cs, s->inventory->pid, ep->pid,
			                      imgapp_chan_kind(ep->kind))))
				return -ENOMEM;
			c->waiting++;
		}
	}
	return 0;
}

int imgapp_fill(Crimg__App *a, struct imgset *const *sets, struct crerr *e)
{
	struct imgapp_chans cs = { NULL, 0, 0 };
	int rc = 0;

	for (size_t i = 0; i < a->n_members && rc == 0; i++) {
		Crimg__AppMember *m = a->members[i];
		const struct imgset *s = sets[i];
		const Crimg__Process *pr = s->uarea ? s->uarea->process : NULL;
		char *name = imgapp_strdup(pr ? pr->name : "");
		if (!name) {
			rc = -ENOMEM;
			break;
		}
		free(m->name);
		m->name = name;
		m->vnode = pr && pr->has_vnode ? pr->vnode : s->inventory->source_node;
		m->node = s->inventory->source_node;
		m->set_id = s->inventory->id;
		m->pages = s->npages;
		if (i == 0) {
			free(a->profile);
			if (!(a->profile = imgapp_strdup(s->inventory->profile)))
				rc = -ENOMEM;
		}
		for (size_t j = 0; j < s->nendpoints && rc == 0; j++)
			rc = imgapp_inputs(a, &cs, m->pid, s->endpoints[j]);
		if (rc == 0)
			rc = imgapp_waiting(a, &cs, s);
	}
	if (rc == 0) {
		a->channels = cs.c;
		a->n_channels = cs.n;
		return 0;
	}
	for (size_t i = 0; i < cs.n; i++)
		free(cs.c[i]);
	free(cs.c);
	return crerr_fail(e, rc, "the application image: out of memory");
}

/* ---- rules ---- */

static int imgapp_plain_name(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < IMGAPP_DIR_MAX && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

int imgapp_check(const Crimg__App *a, const char *w, struct crerr *e)
{
	size_t nlen = strlen(a->name);

	if (a->kind != CRIMG__SET_KIND__SET_DUMP && a->kind != CRIMG__SET_KIND__SET_PRE_DUMP)
		return crerr_fail(e, -EINVAL, "%s: kind %d is neither a dump nor a pre-dump", w,
		                  (int)a->kind);
	if (!a->id)
		return crerr_fail(e, -EINVAL, "%s: id 0 (every group dump has one)", w);
	if (nlen > CRIMG_APP_MAX || strspn(a->name, CRIMG_APP_CHARS) != nlen)
		return crerr_fail(e, -EINVAL,
		                  "%s: application name '%.40s' (at most %u of [A-Za-z0-9._-])", w,
		                  a->name, CRIMG_APP_MAX);
	if (a->n_members < 1 || a->n_members > CRIMG_APP_MEMBERS_MAX)
		return crerr_fail(e, -EINVAL, "%s: %zu members (1 to %u)", w, a->n_members,
		                  CRIMG_APP_MEMBERS_MAX);
	if (a->parent[0] == '/')
		return crerr_fail(e, -EINVAL,
		                  "%s: parent '%s' is absolute (it is relative to the group's "
		                  "directory)",
		                  w, a->parent);
	if (!a->parent[0] != !a->parent_id)
		return crerr_fail(e, -EINVAL, "%s: a parent directory and id go together", w);
	for (size_t i = 0; i < a->n_members; i++) {
		const Crimg__AppMember *m = a->members[i];
		if (!m->pid || (i && m->pid <= a->members[i - 1]->pid))
			return crerr_fail(e, -EINVAL,
			                  "%s: member %zu: pid %u (members go in ascending pid "
			                  "order, once each)",
			                  w, i, m->pid);
		if (!imgapp_plain_name(m->dir))
			return crerr_fail(
				e, -EINVAL,
				"%s: member %zu: directory '%.70s' is not a plain name in "
				"the group's directory",
				w, i, m->dir);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(a->members[j]->dir, m->dir))
				return crerr_fail(e, -EINVAL,
				                  "%s: members %zu and %zu share directory '%s'", w,
				                  j, i, m->dir);
	}
	for (size_t i = 0; i < a->n_channels; i++) {
		const Crimg__Channel *c = a->channels[i];
		if (c->kind < CRIMG__CHANNEL_KIND__CHANNEL_MAILBOX ||
		    c->kind > CRIMG__CHANNEL_KIND__CHANNEL_SYNC)
			return crerr_fail(e, -EINVAL, "%s: channel %zu: unknown kind %d", w, i,
			                  (int)c->kind);
	}
	return 0;
}

int imgapp_check_member(const Crimg__App *a, size_t i, const struct imgset *s, const char *w,
                        struct crerr *e)
{
	const Crimg__AppMember *m = a->members[i];
	const Crimg__Inventory *inv = s->inventory;

	if (inv->pid != m->pid || inv->id != m->set_id)
		return crerr_fail(e, -EINVAL,
		                  "%s: holds the set %016llx of pid %u; the application image "
		                  "names set %016llx of pid %u (a set replaced?)",
		                  w, (unsigned long long)inv->id, inv->pid,
		                  (unsigned long long)m->set_id, m->pid);
	if (inv->kind != a->kind)
		return crerr_fail(e, -EINVAL, "%s: a %s set in a group %s", w,
		                  inv->kind == CRIMG__SET_KIND__SET_DUMP ? "dump" : "pre-dump",
		                  a->kind == CRIMG__SET_KIND__SET_DUMP ? "dump" : "pre-dump");
	if (strcmp(inv->profile, a->profile))
		return crerr_fail(e, -EINVAL, "%s: a set of profile %s in a group of profile %s", w,
		                  inv->profile, a->profile);
	return 0;
}

/* ---- reading and storing ---- */

int imgapp_read_chan(const struct imgchan *ch, uint64_t size, const char *path, Crimg__App **out,
                     struct crerr *e)
{
	struct imgdec *dec = imgdec_new(ch, path, size);
	ProtobufCMessage *m = NULL;
	enum imgkind k;
	int rc;

	*out = NULL;
	if (!dec)
		return crerr_fail(e, -ENOMEM, "%s: out of memory", path);
	rc = imgdec_begin(dec, &k, e);
	if (rc == 1)
		rc = crerr_fail(e, -EINVAL, "%s: empty file", path);
	else if (rc == 0 && k != IMGKIND_APP)
		rc = crerr_fail(e, -EINVAL, "%s: holds %s (wrong magic for this file name)", path,
		                imgkind_info(k)->file);
	if (rc == 0 && (rc = imgdec_entry(dec, &m, e)) == 0)
		rc = crerr_fail(e, -EINVAL, "%s: no entry (one is needed)", path);
	if (rc > 0) {
		ProtobufCMessage *more = NULL;
		rc = imgdec_entry(dec, &more, e);
		if (rc > 0) {
			protobuf_c_message_free_unpacked(more, NULL);
			rc = crerr_fail(e, -EINVAL, "%s: more than one entry", path);
		}
	}
	if (rc == 0)
		rc = imgdec_expect_eof(dec, e);
	if (rc == 0)
		rc = imgapp_check((Crimg__App *)m, path, e);
	imgdec_free(dec);
	if (rc < 0) {
		if (m)
			protobuf_c_message_free_unpacked(m, NULL);
		return rc;
	}
	*out = (Crimg__App *)m;
	return 0;
}

int imgapp_read(const char *dir, Crimg__App **out, struct crerr *e)
{
	char path[PATH_MAX];
	struct imgchan ch;
	struct stat st;
	int fd, rc;

	*out = NULL;
	if (snprintf(path, sizeof(path), "%s/%s", dir, IMGAPP_FILE) >= (int)sizeof(path))
		return crerr_fail(e, -ENAMETOOLONG, "%s: path too long", dir);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return crerr_fail(e, -errno, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return crerr_fail(e, -EINVAL, "%s: not a regular file", path);
	}
	ch = imgchan_fd(fd);
	rc = imgapp_read_chan(&ch, (uint64_t)st.st_size, path, out, e);
	close(fd);
	return rc;
}

/* Writes a as file path. */
static int imgapp_write(const char *path, const Crimg__App *a, struct crerr *e)
{
	struct imgchan ch;
	struct imgenc *enc;
	int fd, rc;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		return crerr_fail(e, -errno, "%s: cannot create: %s", path, strerror(errno));
	ch = imgchan_fd(fd);
	if (!(enc = imgenc_new(&ch, path))) {
		close(fd);
		return crerr_fail(e, -ENOMEM, "%s: out of memory", path);
	}
	rc = imgenc_begin(enc, IMGKIND_APP, e);
	if (rc == 0)
		rc = imgenc_entry(enc, &a->base, e);
	if (rc == 0)
		rc = imgenc_end(enc, e);
	imgenc_free(enc);
	if (close(fd) < 0 && rc == 0)
		rc = crerr_fail(e, -errno, "%s: close failed: %s", path, strerror(errno));
	return rc;
}

/* Removes group directory tmp as far as a names what it holds. */
static void imgapp_remove(const char *tmp, const Crimg__App *a)
{
	char path[PATH_MAX + IMGAPP_DIR_MAX + 16];

	for (size_t i = 0; i < a->n_members; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, a->members[i]->dir);
		imgset_remove_dir(path);
	}
	snprintf(path, sizeof(path), "%s/%s", tmp, IMGAPP_FILE);
	unlink(path);
	rmdir(tmp);
}

int imgapp_store(const char *dir, const Crimg__App *a, const struct imgseg (*files)[IMGKIND_COUNT],
                 struct crerr *e)
{
	char tmp[PATH_MAX], path[PATH_MAX + IMGAPP_DIR_MAX + 16];
	const char *at = tmp;
	int rc, n;

	if ((rc = imgapp_check(a, dir, e)) < 0 || (rc = imgset_dir_free(dir, e)) < 0)
		return rc;
	n = snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return crerr_fail(e, -ENAMETOOLONG, "%s: path too long", dir);
	if (!mkdtemp(tmp))
		return crerr_fail(e, -errno,
		                  "%s: cannot create a temporary directory beside it: %s", dir,
		                  strerror(errno));
	for (size_t i = 0; i < a->n_members && rc == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, a->members[i]->dir);
		rc = imgset_put_files(path, files[i], e);
	}
	if (rc == 0) {
		snprintf(path, sizeof(path), "%s/%s", tmp, IMGAPP_FILE);
		rc = imgapp_write(path, a, e);
	}
	if (rc == 0 && rename(tmp, dir) < 0)
		rc = crerr_fail(e, -errno, "%s: cannot move the images into place: %s", dir,
		                strerror(errno));
	if (rc == 0) {
		at = dir; /* one syncfs for every file, as a single set's store */
		rc = imgset_sync_dir(dir, e);
	}
	if (rc < 0)
		imgapp_remove(at, a);
	return rc;
}

void imgapp_remove_dir(const char *dir)
{
	char path[PATH_MAX + 300];
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, "pid-", 4)) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			imgset_remove_dir(path);
		}
	if (d)
		closedir(d);
	snprintf(path, sizeof(path), "%s/%s", dir, IMGAPP_FILE);
	unlink(path);
	rmdir(dir);
}
