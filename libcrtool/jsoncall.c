/*
 * jsoncall.c - crt_call_json: a call described in JSON, its result in
 * JSON (the objects of lcjson.c), for bindings in other languages. A
 * request is checked whole before anything is done: an unknown call or
 * key, a value of the wrong type or out of range is refused, said.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcrtool/lcjson.h"
#include "libcrtool/lib_priv.h"

#define JSONCALL_LIST_MAX 64 /* pids, nodes or map pairs a request may list */

/* A request being read: its object, and the first problem found. */
struct jreq {
	crt_board *b;
	json_t *o;
	const char *call;
	int rc;
};

/* Fails r (the first problem only). */
static void jreq_bad(struct jreq *r, const char *key, const char *want)
{
	if (!r->rc)
		r->rc = lib_fail(r->b, CRT_USAGE, "request \"%s\": \"%s\" must be %s", r->call, key,
		                 want);
}

/* Checks that every key of r's object is call or one of keys (a
 * space-separated list). */
static void jreq_keys(struct jreq *r, const char *keys)
{
	const char *k;
	json_t *v;

	json_object_foreach(r->o, k, v)
	{
		size_t n = strlen(k);
		int ok = !strcmp(k, "call");
		/* each word of keys in turn, compared whole */
		for (const char *at = keys; !ok && *at; at += strcspn(at, " "), at += *at == ' ')
			ok = n && strcspn(at, " ") == n && !strncmp(at, k, n);
		if (!ok && !r->rc)
			r->rc = lib_fail(r->b, CRT_USAGE,
			                 "request \"%s\" takes no \"%s\" (it takes: %s)", r->call,
			                 k, *keys ? keys : "nothing");
	}
}

static const char *jreq_str(struct jreq *r, const char *key)
{
	json_t *v = json_object_get(r->o, key);

	if (v && !json_is_string(v))
		jreq_bad(r, key, "a string");
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int jreq_bool(struct jreq *r, const char *key)
{
	json_t *v = json_object_get(r->o, key);

	if (v && !json_is_boolean(v))
		jreq_bad(r, key, "true or false");
	return json_is_true(v);
}

/* An integer in [lo, hi] (def if absent). */
static long long jreq_int(struct jreq *r, const char *key, long long lo, long long hi,
                          long long def)
{
	json_t *v = json_object_get(r->o, key);
	long long x;

	if (!v)
		return def;
	x = json_is_integer(v) ? json_integer_value(v) : lo - 1;
	if (x < lo || x > hi) {
		char want[80];
		snprintf(want, sizeof(want), "an integer from %lld to %lld", lo, hi);
		jreq_bad(r, key, want);
		return def;
	}
	return x;
}

/* A list of integers in [0, hi] (or one integer) into out: their count. */
static size_t jreq_list(struct jreq *r, const char *key, uint32_t hi, uint32_t *out)
{
	json_t *v = json_object_get(r->o, key), *x;
	size_t i, n = 0;
	char want[96];

	snprintf(want, sizeof(want), "an integer from 0 to %u, or a list of at most %d", hi,
	         JSONCALL_LIST_MAX);
	if (!v)
		return 0;
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 0 || json_integer_value(v) > hi)
			jreq_bad(r, key, want);
		out[0] = (uint32_t)json_integer_value(v);
		return 1;
	}
	if (!json_is_array(v) || json_array_size(v) > JSONCALL_LIST_MAX) {
		jreq_bad(r, key, want);
		return 0;
	}
	json_array_foreach(v, i, x)
	{
		if (!json_is_integer(x) || json_integer_value(x) < 0 ||
		    json_integer_value(x) > hi) {
			jreq_bad(r, key, want);
			return 0;
		}
		out[n++] = (uint32_t)json_integer_value(x);
	}
	return n;
}

/* "map": [[OLD, NEW], ...] into from and to: the pairs' count. */
static size_t jreq_map(struct jreq *r, uint32_t *from, uint32_t *to)
{
	json_t *v = json_object_get(r->o, "map"), *x;
	size_t i, n = 0;
	json_int_t a, b;

	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > JSONCALL_LIST_MAX) {
		jreq_bad(r, "map", "a list of [OLD, NEW] node pairs");
		return 0;
	}
	json_array_foreach(v, i, x)
	{
		if (json_unpack(x, "[II!]", &a, &b) || a < 0 || b < 0 || a > 65535 || b > 65535) {
			jreq_bad(r, "map", "a list of [OLD, NEW] node pairs");
			return 0;
		}
		from[n] = (uint32_t)a;
		to[n++] = (uint32_t)b;
	}
	return n;
}

/* The mode named by "mode" (stop-copy if absent). */
static int jreq_mode(struct jreq *r)
{
	const char *m = jreq_str(r, "mode");
	int mode = m ? crt_mode_of(m) : CRT_STOP_COPY;

	if (mode < 0) {
		jreq_bad(r, "mode", "\"stop-copy\", \"pre-copy\" or \"post-copy\"");
		return 0;
	}
	return mode;
}

/* Turns o into text for *reply. */
static int jsoncall_reply(crt_board *b, json_t *o, int rc, char **reply)
{
	if (!o)
		return rc ? rc : lib_fail(b, CRT_FAILED, "out of memory");
	*reply = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return *reply ? rc : lib_fail(b, CRT_FAILED, "out of memory");
}

static int jsoncall_procs(struct jreq *r, char **reply)
{
	uint32_t pid = (uint32_t)jreq_int(r, "pid", 1, UINT32_MAX, 0);
	struct crt_proc p, *ps;
	size_t n;
	int rc = CRT_OK;

	if (!strcmp(r->call, "ps")) {
		const char *app;
		jreq_keys(r, "app");
		app = jreq_str(r, "app");
		if (r->rc || (rc = crt_ps(r->b, app, &ps, &n)))
			return r->rc ? r->rc : rc;
		rc = jsoncall_reply(r->b, lcjson_ps(ps, n), CRT_OK, reply);
		crt_free(ps);
		return rc;
	}
	jreq_keys(r, "pid");
	if (!pid)
		jreq_bad(r, "pid", "given: a pid from 1 up");
	if (r->rc)
		return r->rc;
	if (!strcmp(r->call, "kill")) {
		json_t *o = lcjson_object("kill");
		if ((rc = crt_kill(r->b, pid)) == CRT_OK)
			json_object_set_new(o, "pid", json_integer(pid));
		return rc ? (json_decref(o), rc) : jsoncall_reply(r->b, o, CRT_OK, reply);
	}
	if ((rc = crt_wait(r->b, pid, &p)))
		return rc;
	return jsoncall_reply(r->b, lcjson_wait(&p), CRT_OK, reply);
}

static int jsoncall_run(struct jreq *r, char **reply)
{
	struct crt_run_opts o = CRT_RUN_OPTS_INIT;
	uint32_t nodes[JSONCALL_LIST_MAX], *pids;
	const char *argv[257];
	json_t *a = json_object_get(r->o, "argv"), *x;
	size_t i, n;
	int rc = CRT_OK;

	jreq_keys(r, "path node nodes app argv");
	o.path = jreq_str(r, "path");
	o.node = (int)jreq_int(r, "node", -1, 65535, -1);
	o.n_nodes = jreq_list(r, "nodes", 65535, nodes);
	o.nodes = nodes;
	o.app = jreq_str(r, "app");
	if (!o.path)
		jreq_bad(r, "path", "given: the program's ELF file");
	if (a && (!json_is_array(a) || json_array_size(a) > 256))
		jreq_bad(r, "argv", "a list of at most 256 strings");
	json_array_foreach(a, i, x)
	{
		if (!json_is_string(x))
			jreq_bad(r, "argv", "a list of at most 256 strings");
		argv[i] = json_string_value(x);
	}
	o.argv = argv;
	o.argc = json_is_array(a) && !r->rc ? json_array_size(a) : 0;
	if (r->rc || (rc = crt_run(r->b, &o, &pids, &n)))
		return r->rc ? r->rc : rc;
	rc = jsoncall_reply(r->b, lcjson_run(pids, n), CRT_OK, reply);
	crt_free(pids);
	return rc;
}

static int jsoncall_board(struct jreq *r, char **reply)
{
	int rc = CRT_OK;

	jreq_keys(r, "");
	if (r->rc)
		return r->rc;
	if (!strcmp(r->call, "stats")) {
		struct crt_stats *s;
		if ((rc = crt_stats(r->b, &s)))
			return rc;
		rc = jsoncall_reply(r->b, lcjson_stats(s), CRT_OK, reply);
		crt_free(s);
		return rc;
	}
	if (!strcmp(r->call, "check")) {
		struct crt_check *c;
		if ((rc = crt_check(r->b, &c)))
			return rc;
		rc = jsoncall_reply(r->b, lcjson_check(c), CRT_OK, reply);
		crt_free(c);
		return rc;
	}
	if (!strcmp(r->call, "version"))
		return jsoncall_reply(r->b,
		                      json_pack("{s:s, s:s}", "schema", "crtool.version/1",
		                                "version", crt_version()),
		                      CRT_OK, reply);
	if ((rc = crt_shutdown(r->b)))
		return rc;
	return jsoncall_reply(r->b, lcjson_object("shutdown"), CRT_OK, reply);
}

static int jsoncall_dump(struct jreq *r, char **reply)
{
	struct crt_dump_opts o = CRT_DUMP_OPTS_INIT;
	struct crt_dump_result *res;
	uint32_t pids[JSONCALL_LIST_MAX];
	int rc = CRT_OK;

	jreq_keys(r, "pids app dir prev_dir level leave_running track_mem");
	o.n_pids = jreq_list(r, "pids", UINT32_MAX, pids);
	o.pids = pids;
	o.app = jreq_str(r, "app");
	o.dir = jreq_str(r, "dir");
	o.prev_dir = jreq_str(r, "prev_dir");
	o.level = (int)jreq_int(r, "level", 0, 22, 0);
	o.pre_dump = !strcmp(r->call, "pre-dump");
	o.leave_running = jreq_bool(r, "leave_running");
	o.track_mem = jreq_bool(r, "track_mem");
	if (r->rc || (rc = crt_dump(r->b, &o, &res)))
		return r->rc ? r->rc : rc;
	rc = jsoncall_reply(r->b, lcjson_dump(res, o.dir), CRT_OK, reply);
	crt_free(res);
	return rc;
}

static int jsoncall_restore(struct jreq *r, char **reply)
{
	struct crt_restore_opts o = CRT_RESTORE_OPTS_INIT;
	struct crt_restore_result *res;
	uint32_t list[JSONCALL_LIST_MAX], from[JSONCALL_LIST_MAX], to[JSONCALL_LIST_MAX];
	int32_t nodes[JSONCALL_LIST_MAX];
	int rc = CRT_OK;

	jreq_keys(r, "dir nodes map new_pid");
	o.dir = jreq_str(r, "dir");
	o.n_nodes = jreq_list(r, "nodes", 65535, list);
	for (size_t i = 0; i < o.n_nodes; i++)
		nodes[i] = (int32_t)list[i];
	o.nodes = nodes;
	o.n_map = jreq_map(r, from, to);
	o.map_from = from;
	o.map_to = to;
	o.new_pid = jreq_bool(r, "new_pid");
	if (r->rc || (rc = crt_restore(r->b, &o, &res)))
		return r->rc ? r->rc : rc;
	rc = jsoncall_reply(r->b, lcjson_restore(res, o.dir), CRT_OK, reply);
	crt_free(res);
	return rc;
}

static int jsoncall_migrate(struct jreq *r, char **reply)
{
	struct crt_migrate_opts o = CRT_MIGRATE_OPTS_INIT;
	struct crt_migrate_result *res = NULL;
	uint32_t pids[JSONCALL_LIST_MAX], tos[JSONCALL_LIST_MAX], from[JSONCALL_LIST_MAX],
		to[JSONCALL_LIST_MAX];
	int drain = !strcmp(r->call, "drain"), rc;
	uint32_t node = 0;

	jreq_keys(r, drain ? "node to mode" : "pids app to map mode max_rounds");
	o.n_to = jreq_list(r, "to", 65535, tos);
	o.to = tos;
	o.mode = jreq_mode(r);
	if (drain) {
		node = (uint32_t)jreq_int(r, "node", 0, 65535, -1);
		if (!json_object_get(r->o, "node"))
			jreq_bad(r, "node", "given: the node to drain");
		if (r->rc)
			return r->rc;
		rc = crt_drain(r->b, node, o.to, o.n_to, o.mode, &res);
	} else {
		o.n_pids = jreq_list(r, "pids", UINT32_MAX, pids);
		o.pids = pids;
		o.app = jreq_str(r, "app");
		o.n_map = jreq_map(r, from, to);
		o.map_from = from;
		o.map_to = to;
		o.max_rounds = (uint32_t)jreq_int(r, "max_rounds", 1, 64, 0);
		if (r->rc)
			return r->rc;
		rc = crt_migrate(r->b, &o, &res);
	}
	if (!res)
		return rc;
	rc = jsoncall_reply(r->b, lcjson_migrate(res), rc, reply);
	crt_free(res);
	return rc;
}

int crt_call_json(crt_board *b, const char *request, char **reply)
{
	static const struct {
		const char *call;
		int (*fn)(struct jreq *r, char **reply);
	} calls[] = {
		{ "version", jsoncall_board },   { "run", jsoncall_run },
		{ "ps", jsoncall_procs },        { "kill", jsoncall_procs },
		{ "wait", jsoncall_procs },      { "stats", jsoncall_board },
		{ "check", jsoncall_board },     { "shutdown", jsoncall_board },
		{ "dump", jsoncall_dump },       { "pre-dump", jsoncall_dump },
		{ "restore", jsoncall_restore }, { "migrate", jsoncall_migrate },
		{ "drain", jsoncall_migrate },
	};
	json_error_t je;
	struct jreq r = { b, NULL, NULL, CRT_OK };
	int rc = CRT_OK;

	lib_clear(b);
	*reply = NULL;
	if (!(r.o = json_loads(request, JSON_REJECT_DUPLICATES, &je)))
		return lib_fail(b, CRT_USAGE, "request is not JSON: %s (column %d)", je.text,
		                je.column);
	if (!json_is_object(r.o) || !json_is_string(json_object_get(r.o, "call"))) {
		json_decref(r.o);
		return lib_fail(b, CRT_USAGE, "a request is an object with \"call\": a string");
	}
	r.call = json_string_value(json_object_get(r.o, "call"));
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(r.call, calls[i].call)) {
			rc = calls[i].fn(&r, reply);
			json_decref(r.o);
			return rc;
		}
	rc = lib_fail(b, CRT_USAGE, "no call \"%s\" (see docs/libcrtool.md)", r.call);
	json_decref(r.o);
	return rc;
}
