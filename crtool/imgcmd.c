/*
 * imgcmd.c - crtool decode, encode, verify and diff: image sets
 * offline, through libcrimg (see imgcmd.h; show is showcmd.c).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define LOG_MODULE "images"

#include "crtool/cmdline.h"
#include "crtool/groupimg.h"
#include "crtool/imgcmd.h"
#include "crtool/imgtext.h"
#include "diag/crerr.h"
#include "diag/log.h"
#include "images/imgapp.h"
#include "images/imgchain.h"
#include "images/imgjson.h"
#include "images/imgkind.h"
#include "libcrtool/lcstatus.h"

cmdline_opts imgcmd_decode_opts = { OPT_PRETTY, OPT_NO_PAYLOAD, OPT_RAW, OPT_OUTPUT, -1 };
cmdline_opts imgcmd_encode_opts = { -1 };
cmdline_opts imgcmd_verify_opts = { OPT_JSON, -1 };

/* ---- decode, encode ---- */

/* "-": stdin copied into a file of its own (decode reads a file whole
 * and checks its size); *fd is it, or -1. The path to read. */
static const char *imgcmd_stdin(const char *path, int *fd, char *buf, size_t n)
{
	char chunk[65536];
	ssize_t r;

	*fd = -1;
	if (strcmp(path, "-"))
		return path;
	if ((*fd = memfd_create("stdin", MFD_CLOEXEC)) < 0)
		return NULL;
	while ((r = read(STDIN_FILENO, chunk, sizeof(chunk))) > 0 || (r < 0 && errno == EINTR))
		if (r > 0 && write(*fd, chunk, (size_t)r) != r)
			r = -1;
	if (r < 0) {
		close(*fd);
		*fd = -1;
		return NULL;
	}
	snprintf(buf, n, "/proc/self/fd/%d", *fd);
	return buf;
}

int imgcmd_decode(struct cmdline *cl)
{
	unsigned how = (cl->set[OPT_NO_PAYLOAD] ? 0 : IMGJSON_PAYLOAD) |
	               (cl->set[OPT_RAW] ? IMGJSON_RAW : 0);
	struct crerr e = CRERR_INIT;
	const char *path, *out = cl->val[OPT_OUTPUT];
	char buf[64];
	FILE *f = stdout;
	json_t *j;
	int rc, fd;

	if ((rc = cmdline_operands(cl, 1, "one image file (- for stdin)")) != CRT_OK)
		return rc;
	if (!(path = imgcmd_stdin(cl->argv[0], &fd, buf, sizeof(buf)))) {
		LOG_ERROR("cannot read stdin: %s", strerror(errno));
		return CRT_IO;
	}
	rc = imgjson_decode_file(path, how, &j, &e);
	if (fd >= 0)
		close(fd);
	if (rc < 0) {
		if (fd >= 0 && !strncmp(e.msg, path, strlen(path)))
			LOG_ERROR("stdin%s", e.msg + strlen(path)); /* not /proc/self/fd/N */
		else
			LOG_ERROR("%s", e.msg);
		return lcstatus_of_image(rc);
	}
	if (out && !(f = fopen(out, "we"))) {
		LOG_ERROR("cannot write %s: %s", out, strerror(errno));
		json_decref(j);
		return CRT_IO;
	}
	rc = json_dumpf(
		j, f, (cl->set[OPT_PRETTY] ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (rc < 0 || fputc('\n', f) == EOF || fflush(f) == EOF || (out && fclose(f))) {
		LOG_ERROR("cannot write the JSON to %s: %s", out ? out : "stdout", strerror(errno));
		return CRT_IO;
	}
	return CRT_OK;
}

/* Refuses JSON of one kind of file written to a file named as another
 * kind's (mm.img's JSON to pages.img): CRT_OK or CRT_USAGE, said. */
static int imgcmd_same_kind(const json_t *j, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *file = json_string_value(json_object_get(j, "file"));

	for (int k = 0; k < IMGKIND_COUNT; k++)
		if (!strcmp(base, imgkind_info(k)->file) && file && strcmp(file, base)) {
			LOG_ERROR("the JSON is of %s, and %s is the name of another kind's file: "
			          "write it to a file named %s (or of no kind's name)",
			          file, path, file);
			return CRT_USAGE;
		}
	return CRT_OK;
}

int imgcmd_encode(struct cmdline *cl)
{
	struct crerr e = CRERR_INIT;
	char **argv = cl->argv - 1; /* argv[1], argv[2]: the operands */
	json_error_t je;
	json_t *j;
	int rc;

	if ((rc = cmdline_operands(cl, 2, "a JSON file (- for stdin) and an image file")) != CRT_OK)
		return rc;
	if (!strcmp(argv[1], "-"))
		j = json_loadf(stdin, JSON_REJECT_DUPLICATES, &je);
	else
		j = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		LOG_ERROR("%s: line %d, column %d: %s", strcmp(argv[1], "-") ? argv[1] : "stdin",
		          je.line, je.column, je.text);
		return je.line <= 0 && strstr(je.text, "open") ? CRT_IO : CRT_BAD_IMAGE;
	}
	if ((rc = imgcmd_same_kind(j, argv[2]))) {
		json_decref(j);
		return rc;
	}
	rc = imgjson_encode_file(j, argv[2], &e);
	json_decref(j);
	if (rc < 0) {
		LOG_ERROR("%s", e.msg);
		return lcstatus_of_image(rc);
	}
	return CRT_OK;
}

/* ---- verify ---- */

/* Says one problem: a line, or (ctx: a JSON array) an entry. */
static void verify_line(void *ctx, const char *msg)
{
	if (ctx)
		json_array_append_new(ctx, json_string(msg));
	else
		printf("%s\n", msg);
}

int imgcmd_verify(struct cmdline *cl)
{
	json_t *problems = cl->set[OPT_JSON] ? json_array() : NULL, *o;
	struct crerr e = { .each = verify_line, .ctx = problems };
	const char *dir = cl->argv[0];
	struct imgchain *c = NULL;
	int rc, st;

	if ((rc = cmdline_operands(cl, 1, "one image directory")) != CRT_OK) {
		json_decref(problems);
		return rc;
	}
	if (imgapp_is_group(dir)) {
		json_decref(problems);
		return groupimg_verify(dir);
	}
	/* every set of the chain, a damaged one not hiding its parents' */
	rc = imgchain_verify(dir, &c, &e);
	st = rc < 0 ? lcstatus_of_image(rc) : CRT_OK;
	if (problems) {
		/* crtool.verify/1: every problem, and what the set is if valid */
		o = json_pack("{s:s, s:s, s:b, s:o}", "schema", "crtool.verify/1", "dir", dir,
		              "valid", rc == 0, "problems", problems);
		if (o && rc == 0) {
			const Crimg__Inventory *inv = c->set[0]->inventory;
			json_object_set_new(o, "kind",
			                    json_string(inv->kind == CRIMG__SET_KIND__SET_DUMP
			                                        ? "dump"
			                                        : "pre-dump"));
			json_object_set_new(o, "pid", json_integer(inv->pid));
			json_object_set_new(o, "parents", json_integer(c->n - 1));
		}
		if (rc < 0 && !json_array_size(problems) && o)
			json_array_append_new(problems, json_string(e.msg));
		imgchain_free(c);
		rc = cmdline_print_json(o);
		return st ? st : rc;
	}
	if (rc == 0) {
		printf("%s: valid %s of pid %u", dir,
		       c->set[0]->inventory->kind == CRIMG__SET_KIND__SET_DUMP ? "dump"
		                                                               : "pre-dump",
		       c->set[0]->inventory->pid);
		if (c->n > 1)
			printf(", with %u parent set%s", c->n - 1, c->n > 2 ? "s" : "");
		printf("\n");
	}
	imgchain_free(c);
	return st;
}
