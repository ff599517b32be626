/*
 * lcjson.h - libcrtool's results as JSON: the objects of the JSON
 * contract (docs/json.md), one renderer for crtool's --json and for
 * crt_call_json. Every object carries "schema": "crtool.KIND/VERSION";
 * times are integers of ns (keys end in _ns), sizes integers of bytes
 * (_bytes), identifiers of 64 bits decimal strings.
 */
#ifndef LCJSON_H
#define LCJSON_H

#include <jansson.h>

#include "libcrtool/libcrtool.h"

#define LCJSON_VERSION 1 /* the contract's version, in every "schema" */

/* A new object {"schema": "crtool.KIND/1"}; NULL if out of memory. */
json_t *lcjson_object(const char *kind);

/* A process (ps's entries, wait's object without schema). */
json_t *lcjson_proc(const struct crt_proc *p);

json_t *lcjson_run(const uint32_t *pids, size_t n);
json_t *lcjson_ps(const struct crt_proc *p, size_t n);
json_t *lcjson_wait(const struct crt_proc *p);
json_t *lcjson_stats(const struct crt_stats *s);
json_t *lcjson_check(const struct crt_check *c);
json_t *lcjson_dump(const struct crt_dump_result *r, const char *dir);
json_t *lcjson_restore(const struct crt_restore_result *r, const char *dir);
json_t *lcjson_migrate(const struct crt_migrate_result *r);

/* The name of a process state ("running", "exited", "killed"). */
const char *lcjson_state_name(int state);

#endif /* LCJSON_H */
