/*
 * lcjson.c - libcrtool's results as JSON (see lcjson.h).
 */
#include <stdio.h>

#include "libcrtool/lcjson.h"

/* Sets key to v in o (v's reference taken); o NULL or v NULL: nothing. */
static void lcjson_set(json_t *o, const char *key, json_t *v)
{
	if (o && v)
		json_object_set_new(o, key, v);
	else
		json_decref(v);
}

static json_t *lcjson_u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

json_t *lcjson_object(const char *kind)
{
	char schema[64];

	snprintf(schema, sizeof(schema), "crtool.%s/%d", kind, LCJSON_VERSION);
	return json_pack("{s:s}", "schema", schema);
}

const char *lcjson_state_name(int state)
{
	return state == CRT_RUNNING ? "running" : state == CRT_EXITED ? "exited" : "killed";
}

json_t *lcjson_proc(const struct crt_proc *p)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s?}", "pid", (json_int_t)p->pid,
	                      "node", (json_int_t)p->node, "vnode", (json_int_t)p->vnode, "ns_pid",
	                      (json_int_t)p->ns_pid, "name", p->name, "state",
	                      lcjson_state_name(p->state), "app", p->app[0] ? p->app : NULL);

	lcjson_set(o, "threads", lcjson_u64(p->threads));
	lcjson_set(o, "pages", lcjson_u64(p->pages));
	lcjson_set(o, "uarea_bytes", lcjson_u64(p->uarea_bytes));
	lcjson_set(o, "instructions", lcjson_u64(p->instructions));
	lcjson_set(o, "kernel_calls", lcjson_u64(p->kernel_calls));
	lcjson_set(o, "ikc_messages", lcjson_u64(p->ikc_messages));
	lcjson_set(o, "ikc_bytes", lcjson_u64(p->ikc_bytes));
	if (p->state != CRT_RUNNING) {
		lcjson_set(o, "status", json_integer(p->status));
		lcjson_set(o, "killed_by",
		           p->killed_by[0] ? json_string(p->killed_by) : json_null());
	}
	if (p->has_fault)
		lcjson_set(o, "fault",
		           json_pack("{s:s, s:I, s:I, s:I, s:I}", "trap", p->fault, "cause",
		                     (json_int_t)p->fault_cause, "pc", (json_int_t)p->fault_pc,
		                     "addr", (json_int_t)p->fault_addr, "tid",
		                     (json_int_t)p->fault_tid));
	return o;
}

json_t *lcjson_run(const uint32_t *pids, size_t n)
{
	json_t *o = lcjson_object("run"), *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, lcjson_u64(pids[i]));
	lcjson_set(o, "pids", a);
	return o;
}

json_t *lcjson_ps(const struct crt_proc *p, size_t n)
{
	json_t *o = lcjson_object("ps"), *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, lcjson_proc(&p[i]));
	lcjson_set(o, "processes", a);
	return o;
}

json_t *lcjson_wait(const struct crt_proc *p)
{
	json_t *o = lcjson_object("wait");

	if (o && json_object_update_new(o, lcjson_proc(p))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *lcjson_stats(const struct crt_stats *s)
{
	json_t *o = lcjson_object("stats"), *f = json_array(), *a = json_array();

	lcjson_set(o, "version", json_string(s->version));
	lcjson_set(o, "profile", json_string(s->profile));
	lcjson_set(o, "host_ns", lcjson_u64(s->host_ns));
	lcjson_set(o, "model_ns", lcjson_u64(s->model_ns));
	lcjson_set(o, "spawned", lcjson_u64(s->spawned));
	lcjson_set(o, "running", lcjson_u64(s->running));
	lcjson_set(o, "noc",
	           json_pack("{s:I, s:I, s:I, s:I}", "messages", (json_int_t)s->noc_messages,
	                     "bytes", (json_int_t)s->noc_bytes, "hops", (json_int_t)s->noc_hops,
	                     "model_ns", (json_int_t)s->noc_model_ns));
	for (size_t i = 0; f && i < s->n_features; i++)
		json_array_append_new(f, json_string(s->features[i]));
	lcjson_set(o, "features", f);
	for (size_t i = 0; a && i < s->n_clusters; i++) {
		const struct crt_cluster *c = &s->clusters[i];
		json_t *j = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "node",
		                      (json_int_t)c->node, "kind", c->io ? "io" : "compute",
		                      "processes", (json_int_t)c->processes, "model_ns",
		                      (json_int_t)c->model_ns, "instructions",
		                      (json_int_t)c->instructions, "rounds", (json_int_t)c->rounds,
		                      "user_bytes_used", (json_int_t)c->user_bytes_used,
		                      "user_bytes_limit", (json_int_t)c->user_bytes_limit);
		lcjson_set(j, "noc_messages", lcjson_u64(c->noc_messages));
		lcjson_set(j, "noc_bytes", lcjson_u64(c->noc_bytes));
		lcjson_set(j, "noc_hops", lcjson_u64(c->noc_hops));
		lcjson_set(j, "noc_model_ns", lcjson_u64(c->noc_model_ns));
		lcjson_set(j, "name_hits", lcjson_u64(c->name_hits));
		lcjson_set(j, "name_lookups", lcjson_u64(c->name_lookups));
		if (j)
			json_array_append_new(a, j);
	}
	lcjson_set(o, "clusters", a);
	return o;
}

json_t *lcjson_check(const struct crt_check *c)
{
	json_t *o = lcjson_object("check"), *a = json_array();

	lcjson_set(o, "version", json_string(c->version));
	lcjson_set(o, "profile", json_string(c->profile));
	lcjson_set(o, "clusters", lcjson_u64(c->clusters));
	for (size_t i = 0; a && i < c->n_items; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "feature",
		                                   c->items[i].feature, "what", c->items[i].what,
		                                   "present", c->items[i].present));
	lcjson_set(o, "features", a);
	lcjson_set(o, "missing", lcjson_u64(c->missing));
	return o;
}

json_t *lcjson_dump(const struct crt_dump_result *r, const char *dir)
{
	json_t *o = lcjson_object("dump"), *a = json_array();

	lcjson_set(o, "kind", json_string(r->pre_dump ? "pre-dump" : "dump"));
	lcjson_set(o, "dir", json_string(dir));
	lcjson_set(o, "group", json_boolean(r->group));
	lcjson_set(o, "app", r->app[0] ? json_string(r->app) : json_null());
	lcjson_set(o, "cut_ns", lcjson_u64(r->cut_ns));
	lcjson_set(o, "stream_bytes", lcjson_u64(r->stream_bytes));
	lcjson_set(o, "store_ns", lcjson_u64(r->store_ns));
	lcjson_set(o, "total_ns", lcjson_u64(r->total_ns));
	for (size_t i = 0; a && i < r->n; i++) {
		const struct crt_dump_member *m = &r->members[i];
		json_t *j = json_pack("{s:I, s:I, s:s, s:I, s:I, s:I, s:I, s:b}", "pid",
		                      (json_int_t)m->pid, "node", (json_int_t)m->node, "id", m->id,
		                      "freeze_ns", (json_int_t)m->freeze_ns, "frozen_ns",
		                      (json_int_t)m->frozen_ns, "stream_bytes",
		                      (json_int_t)m->stream_bytes, "model_ns",
		                      (json_int_t)m->model_ns, "has_parent", m->has_parent);
		lcjson_set(j, "pages_scanned", lcjson_u64(m->pages_scanned));
		lcjson_set(j, "pages_written", lcjson_u64(m->pages_written));
		lcjson_set(j, "pages_zero", lcjson_u64(m->pages_zero));
		lcjson_set(j, "pages_in_parent", lcjson_u64(m->pages_in_parent));
		lcjson_set(j, "bytes_raw", lcjson_u64(m->bytes_raw));
		lcjson_set(j, "bytes_stored", lcjson_u64(m->bytes_stored));
		if (j)
			json_array_append_new(a, j);
	}
	lcjson_set(o, "members", a);
	return o;
}

json_t *lcjson_restore(const struct crt_restore_result *r, const char *dir)
{
	json_t *o = lcjson_object("restore"), *a = json_array();

	lcjson_set(o, "dir", json_string(dir));
	lcjson_set(o, "group", json_boolean(r->group));
	lcjson_set(o, "app", r->app[0] ? json_string(r->app) : json_null());
	lcjson_set(o, "open_ns", lcjson_u64(r->open_ns));
	lcjson_set(o, "restore_ns", lcjson_u64(r->restore_ns));
	lcjson_set(o, "resume_ns", lcjson_u64(r->resume_ns));
	lcjson_set(o, "total_ns", lcjson_u64(r->total_ns));
	for (size_t i = 0; a && i < r->n; i++) {
		const struct crt_restore_member *m = &r->members[i];
		json_array_append_new(a, json_pack("{s:I, s:I, s:I, s:I, s:I}", "pid",
		                                   (json_int_t)m->pid, "node", (json_int_t)m->node,
		                                   "stream_bytes", (json_int_t)m->stream_bytes,
		                                   "model_ns", (json_int_t)m->model_ns,
		                                   "restore_ns", (json_int_t)m->restore_ns));
	}
	lcjson_set(o, "members", a);
	return o;
}

json_t *lcjson_migrate(const struct crt_migrate_result *r)
{
	json_t *o = lcjson_object("migrate"), *a = json_array();

	lcjson_set(o, "group", json_boolean(r->group));
	lcjson_set(o, "mode", json_string(crt_mode_name(r->mode)));
	lcjson_set(o, "moved", lcjson_u64(r->moved));
	lcjson_set(o, "failed", lcjson_u64(r->failed));
	lcjson_set(o, "stayed", lcjson_u64(r->stayed));
	lcjson_set(o, "total_ns", lcjson_u64(r->total_ns));
	lcjson_set(o, "downtime_max_ns", lcjson_u64(r->downtime_max_ns));
	for (size_t i = 0; a && i < r->n; i++) {
		const struct crt_migration *m = &r->members[i];
		const char *st = m->to < 0 ? "stayed" : m->status ? "failed" : "moved";
		json_t *j = json_pack("{s:I, s:I, s:s}", "pid", (json_int_t)m->pid, "from",
		                      (json_int_t)m->from, "outcome", st);
		lcjson_set(j, "to", m->to < 0 ? json_null() : json_integer(m->to));
		if (m->to >= 0 && m->status)
			lcjson_set(j, "error", json_string(m->error));
		if (m->to >= 0 && !m->status) {
			lcjson_set(j, "freeze_ns", lcjson_u64(m->freeze_ns));
			lcjson_set(j, "downtime_ns", lcjson_u64(m->downtime_ns));
			lcjson_set(j, "total_ns", lcjson_u64(m->total_ns));
			lcjson_set(j, "model_ns", lcjson_u64(m->model_ns));
			lcjson_set(j, "bytes", lcjson_u64(m->bytes));
			lcjson_set(j, "pages", lcjson_u64(m->pages));
			lcjson_set(j, "rounds", lcjson_u64(m->rounds));
			if (r->mode == CRT_POST_COPY) {
				lcjson_set(j, "lazy_pages", lcjson_u64(m->lazy_pages));
				lcjson_set(j, "faults", lcjson_u64(m->faults));
				lcjson_set(j, "pushed", lcjson_u64(m->pushed));
			}
		}
		if (j)
			json_array_append_new(a, j);
	}
	lcjson_set(o, "processes", a);
	return o;
}
