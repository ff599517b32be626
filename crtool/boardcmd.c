/*
 * boardcmd.c - crtool's commands on the board (see boardcmd.h).
 */
#include <inttypes.h>
#include <stdio.h>

#define LOG_MODULE "board"

#include "crtool/boardcmd.h"
#include "diag/log.h"
#include "libcrtool/lcjson.h"

cmdline_opts boardcmd_stats_opts = { OPT_JSON, -1 };
cmdline_opts boardcmd_check_opts = { OPT_JSON, -1 };
cmdline_opts boardcmd_shutdown_opts = { -1 };

int boardcmd_stats(struct cmdline *c)
{
	struct crt_stats *s;
	crt_board *b;
	int rc;

	if ((rc = cmdline_operands(c, 0, "")))
		return rc;
	if (!(b = cmdline_board(c)))
		return CRT_FAILED;
	if ((rc = crt_stats(b, &s)))
		return cmdline_fail(b, rc);
	if (c->set[OPT_JSON]) {
		rc = cmdline_print_json(lcjson_stats(s));
		crt_free(s);
		return rc;
	}
	printf("board: profile %s, manycore %s, up %.3f s host, %.6f s modelled\n", s->profile,
	       s->version, s->host_seconds, (double)s->model_ns * 1e-9);
	printf("processes: %" PRIu64 " started, %u running\n", s->spawned, s->running);
	printf("noc: %" PRIu64 " messages, %" PRIu64 " bytes, %" PRIu64
	       " hops, %.6f s modelled transfer time\n",
	       s->noc_messages, s->noc_bytes, s->noc_hops, (double)s->noc_model_ns * 1e-9);
	printf("%4s %-7s %5s %12s %14s %14s %10s %12s %8s\n", "NODE", "KIND", "PROCS", "MODEL_S",
	       "INSNS", "USER_KIB", "NOC_MSGS", "NOC_BYTES", "LOOKUPS");
	for (size_t i = 0; i < s->n_clusters; i++) {
		const struct crt_cluster *k = &s->clusters[i];
		char mem[48];
		snprintf(mem, sizeof(mem), "%" PRIu64 "/%" PRIu64, k->user_bytes_used >> 10,
		         k->user_bytes_limit >> 10);
		printf("%4u %-7s %5u %12.6f %14" PRIu64 " %14s %10" PRIu64 " %12" PRIu64
		       " %8" PRIu64 "\n",
		       k->node, k->io ? "io" : "compute", k->processes, (double)k->model_ns * 1e-9,
		       k->instructions, mem, k->noc_messages, k->noc_bytes, k->name_lookups);
	}
	crt_free(s);
	return CRT_OK;
}

int boardcmd_check(struct cmdline *c)
{
	struct crt_check *k;
	crt_board *b;
	int rc;

	if ((rc = cmdline_operands(c, 0, "")))
		return rc;
	if (!(b = cmdline_board(c)))
		return CRT_FAILED;
	if ((rc = crt_check(b, &k)))
		return cmdline_fail(b, rc);
	rc = k->missing ? CRT_FAILED : CRT_OK;
	if (c->set[OPT_JSON]) {
		int prc = cmdline_print_json(lcjson_check(k));
		crt_free(k);
		return prc ? prc : rc;
	}
	printf("%-17s ok: manycore %s, profile %s, %zu clusters answering\n", "board", k->version,
	       k->profile, k->clusters);
	for (size_t i = 0; i < k->n_items; i++)
		printf("%-17s %s: %s\n", k->items[i].feature,
		       k->items[i].present ? "ok" : "MISSING", k->items[i].what);
	if (k->missing)
		printf("%zu feature%s missing: this board is older than crtool; rebuild it\n",
		       k->missing, k->missing == 1 ? " is" : "s are");
	else
		printf("Looks good.\n");
	crt_free(k);
	return rc;
}

int boardcmd_shutdown(struct cmdline *c)
{
	crt_board *b;
	int rc;

	if ((rc = cmdline_operands(c, 0, "")))
		return rc;
	if (!(b = cmdline_board(c)))
		return CRT_FAILED;
	return cmdline_fail(b, crt_shutdown(b));
}
