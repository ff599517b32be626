/*
 * boardcmd.c - crtool's commands on the board: stats, check, shutdown
 * (see boardcmd.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crtool/args.h"
#include "crtool/boardcmd.h"
#include "crtool/client.h"

/* Features the board must offer for crtool's commands (see check). */
static const struct {
	const char *name;
	const char *what;
} boardcmd_needs[] = {
	{ "run", "start programs" },
	{ "ps", "list processes" },
	{ "kill", "kill processes" },
	{ "wait", "wait for a process to end" },
	{ "output", "keep and stream each process's output" },
	{ "stats", "report host and modelled figures" },
	{ "shutdown", "shut down on request" },
	{ "noc.mailbox", "NoC mailboxes (128-byte messages, N-to-1)" },
	{ "noc.portal", "NoC portals (allow, write, read; up to 1 MiB)" },
	{ "noc.sync", "NoC syncs (one-to-all, all-to-one)" },
	{ "noc.naming", "board-wide pids through the name service" },
	{ "noc.model", "a mesh model of NoC time" },
	{ "dump", "checkpoints: freeze, capture, stream the images" },
	{ "pre-dump", "incremental checkpoints with dirty-page tracking" },
	{ "restore", "rebuild a process from images on any cluster" },
	{ "migrate.stop-copy", "move a process cluster to cluster, stopped while it moves" },
	{ "migrate.pre-copy", "move a process while it runs, stopping it only for the rest" },
	{ "migrate.post-copy", "move a process at once, its pages following on demand" },
};

/* The board's figures (a command that takes no arguments): CRT_OK with
 * *rp, or the exit status after saying why. */
static int boardcmd_ask_stats(struct client *cl, int argc, char **argv, Crtool__Reply **rp)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__StatsRequest sr = CRTOOL__STATS_REQUEST__INIT;
	int rc;

	if ((rc = args_none(argc, argv)))
		return rc;
	rq.req_case = CRTOOL__REQUEST__REQ_STATS;
	rq.stats = &sr;
	return client_call(cl, &rq, CRTOOL__REPLY__REP_STATS, rp);
}

int boardcmd_stats(struct client *cl, int argc, char **argv)
{
	int json = args_take_flag(&argc, argv, "--json"), rc;
	Crtool__StatsReply *s;
	Crtool__Reply *rp;

	if ((rc = boardcmd_ask_stats(cl, argc, argv, &rp)))
		return rc;
	s = rp->stats;
	if (json) {
		json_t *o = json_pack(
			"{s:s, s:s, s:f, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I}}", "version",
			s->version, "profile", s->profile, "host_seconds", s->host_seconds,
			"model_ns", (json_int_t)s->model_ns, "spawned", (json_int_t)s->spawned,
			"running", (json_int_t)s->running, "noc", "messages",
			(json_int_t)s->noc_messages, "bytes", (json_int_t)s->noc_bytes, "hops",
			(json_int_t)s->noc_hops, "model_ns", (json_int_t)s->noc_model_ns);
		json_t *a = json_array();
		for (size_t i = 0; i < s->n_clusters; i++) {
			const Crtool__ClusterStats *c = s->clusters[i];
			json_array_append_new(
				a, json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
			                     "s:I, s:I, s:I}",
			                     "node", (json_int_t)c->node, "kind",
			                     c->io ? "io" : "compute", "processes",
			                     (json_int_t)c->processes, "model_ns",
			                     (json_int_t)c->model_ns, "instructions",
			                     (json_int_t)c->instructions, "user_kib_used",
			                     (json_int_t)c->user_kib_used, "user_kib_limit",
			                     (json_int_t)c->user_kib_limit, "noc_messages",
			                     (json_int_t)c->noc_messages, "noc_bytes",
			                     (json_int_t)c->noc_bytes, "noc_hops",
			                     (json_int_t)c->noc_hops, "noc_model_ns",
			                     (json_int_t)c->noc_model_ns, "name_hits",
			                     (json_int_t)c->name_hits, "name_lookups",
			                     (json_int_t)c->name_lookups));
		}
		if (o)
			json_object_set_new(o, "clusters", a);
		else
			json_decref(a);
		rc = args_print_json(o);
	} else {
		printf("board: profile %s, manycore %s, up %.3f s host, %.6f s modelled\n",
		       s->profile, s->version, s->host_seconds, (double)s->model_ns * 1e-9);
		printf("processes: %" PRIu64 " started, %u running\n", s->spawned, s->running);
		printf("noc: %" PRIu64 " messages, %" PRIu64 " bytes, %" PRIu64
		       " hops, %.6f s modelled transfer time\n",
		       s->noc_messages, s->noc_bytes, s->noc_hops, (double)s->noc_model_ns * 1e-9);
		printf("%4s %-7s %5s %12s %14s %14s %10s %12s %8s\n", "NODE", "KIND", "PROCS",
		       "MODEL_S", "INSNS", "USER_KIB", "NOC_MSGS", "NOC_BYTES", "LOOKUPS");
		for (size_t i = 0; i < s->n_clusters; i++) {
			const Crtool__ClusterStats *c = s->clusters[i];
			char mem[32];
			snprintf(mem, sizeof(mem), "%u/%u", c->user_kib_used, c->user_kib_limit);
			printf("%4u %-7s %5u %12.6f %14" PRIu64 " %14s %10" PRIu64 " %12" PRIu64
			       " %8" PRIu64 "\n",
			       c->node, c->io ? "io" : "compute", c->processes,
			       (double)c->model_ns * 1e-9, c->instructions, mem, c->noc_messages,
			       c->noc_bytes, c->name_lookups);
		}
	}
	crtool__reply__free_unpacked(rp, NULL);
	return rc;
}

int boardcmd_check(struct client *cl, int argc, char **argv)
{
	Crtool__Reply *rp;
	int rc, missing = 0;

	if ((rc = boardcmd_ask_stats(cl, argc, argv, &rp)))
		return rc;
	printf("%-12s ok: manycore %s, profile %s, %zu clusters answering\n", "board",
	       rp->stats->version, rp->stats->profile, rp->stats->n_clusters);
	for (size_t i = 0; i < sizeof(boardcmd_needs) / sizeof(boardcmd_needs[0]); i++) {
		int have = 0;
		for (size_t k = 0; k < rp->stats->n_features; k++)
			have |= !strcmp(rp->stats->features[k], boardcmd_needs[i].name);
		printf("%-12s %s: %s\n", boardcmd_needs[i].name, have ? "ok" : "MISSING",
		       boardcmd_needs[i].what);
		missing += !have;
	}
	if (missing)
		printf("%d feature%s missing: this board is older than crtool; rebuild it\n",
		       missing, missing == 1 ? " is" : "s are");
	else
		printf("Looks good.\n");
	crtool__reply__free_unpacked(rp, NULL);
	return missing ? CRT_FAILED : CRT_OK;
}

int boardcmd_shutdown(struct client *cl, int argc, char **argv)
{
	Crtool__Request rq = CRTOOL__REQUEST__INIT;
	Crtool__ShutdownRequest sd = CRTOOL__SHUTDOWN_REQUEST__INIT;
	Crtool__Reply *rp;
	int rc;

	if ((rc = args_none(argc, argv)))
		return rc;
	rq.req_case = CRTOOL__REQUEST__REQ_SHUTDOWN;
	rq.shutdown = &sd;
	if ((rc = client_call(cl, &rq, CRTOOL__REPLY__REP__NOT_SET, &rp)))
		return rc;
	crtool__reply__free_unpacked(rp, NULL);
	return CRT_OK;
}
