/*
 * runstats.c - the figures of a finished run (see runstats.h).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "board/board.h"
#include "board/runstats.h"
#include "core/codepool.h"
#include "diag/log.h"
#include "kernel/cluster.h"
#include "kernel/uarea.h"
#include "params/core_params.h"

void runstats_print(struct board *b, const uint32_t *pid, unsigned n, double secs, FILE *json)
{
	struct board_stats bs;
	uint64_t insns = 0, calls = 0, switches = 0, threads = 0, rounds = 0, turns = 0;
	uint64_t walks = 0, built = 0, flushes = 0, cycles = 0;
	uint64_t jblocks = 0, jbytes = 0, jcache = 0, dropped = 0;
	uint32_t peak = 0, limit = 0;
	size_t uarea = 0;
	uint32_t slots = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct uarea *ua = board_uarea(b, pid[i]);
		insns += uarea_instret(ua);
		calls += ua->syscalls;
		/* its own time: a process moved to another cluster took its
		 * clock along, which that cluster's does not show */
		if (ua->end_clock > cycles)
			cycles = ua->end_clock;
		switches += ua->switches;
		threads += ua->threads_created;
		if (i == 0) {
			uarea = uarea_bytes(ua);
			slots = ua->nslots;
		}
	}
	if (board_stats(b, &bs))
		return;
	/* Sums over every cluster (idle ones add nothing); time and the
	 * memory peak are the furthest and the fullest cluster's. */
	for (uint32_t i = 0; i < bs.nclusters; i++) {
		const struct board_cluster_stats *c = &bs.cluster[i];
		struct cluster_stats cs;
		rounds += c->rounds;
		turns += c->turns;
		if (c->clock > cycles)
			cycles = c->clock;
		board_cluster_stats(b, i, &cs);
		walks += cs.walks;
		built += cs.blocks_built;
		flushes += cs.code_flushes;
		jblocks += cs.jit_blocks;
		dropped += cs.blocks_dropped;
		jbytes += cs.jit_bytes;
		if (cs.jit_cache_max > jcache)
			jcache = cs.jit_cache_max;
		if (cs.user_frames_peak > peak)
			peak = cs.user_frames_peak;
		limit = cs.user_frames_limit;
	}
	const struct codepool *pool = board_code_pool(b);
	uint64_t pool_peak = atomic_load(&pool->peak), refused = atomic_load(&pool->refused);

	if (json) {
		/* the JSON contract's units (docs/json.md): ns and bytes */
		json_t *j =
			json_pack("{s:s, s:I, s:I, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		                  "schema", "manycore.run/1", "instructions", (json_int_t)insns,
		                  "host_ns", (json_int_t)(secs * 1e9), "mips",
		                  secs > 0 ? (double)insns / secs / 1e6 : 0.0, "model_ns",
		                  (json_int_t)((double)cycles * 1e9 / CORE_CLOCK_HZ), "cycles",
		                  (json_int_t)cycles, "rounds", (json_int_t)rounds, "turns",
		                  (json_int_t)turns, "kernel_calls", (json_int_t)calls, "threads",
		                  (json_int_t)threads, "switches", (json_int_t)switches,
		                  "uarea_bytes", (json_int_t)uarea);
		json_t *pids = json_array();
		if (j && pids &&
		    !json_object_update_new(
			    j, json_pack("{s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I, s:I}}",
		                         "user_memory_peak_bytes", (json_int_t)peak * 4096,
		                         "user_memory_bytes", (json_int_t)limit * 4096,
		                         "page_walks", (json_int_t)walks, "blocks_decoded",
		                         (json_int_t)built, "code_flushes", (json_int_t)flushes,
		                         "noc", "messages", (json_int_t)bs.noc.messages, "bytes",
		                         (json_int_t)bs.noc.bytes, "hops", (json_int_t)bs.noc.hops,
		                         "model_ns", (json_int_t)bs.noc.model_ns, "kernel_messages",
		                         (json_int_t)bs.noc.kernel_messages))) {
			for (unsigned i = 0; i < n; i++) {
				const struct uarea *ua = board_uarea(b, pid[i]);
				json_array_append_new(
					pids,
					json_pack("{s:I, s:I, s:I}", "pid", (json_int_t)pid[i],
				                  "instructions", (json_int_t)uarea_instret(ua),
				                  "cycles", (json_int_t)ua->end_clock));
			}
			json_object_set_new(j, "processes", pids);
			json_object_set_new(
				j, "core",
				json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "tier",
			                  mmu_tier_name(board_core(b)), "blocks_translated",
			                  (json_int_t)jblocks, "code_bytes_emitted",
			                  (json_int_t)jbytes, "code_cache_bytes_max",
			                  (json_int_t)jcache, "blocks_dropped", (json_int_t)dropped,
			                  "code_flushes", (json_int_t)flushes,
			                  "code_cache_budget_bytes", (json_int_t)pool->size,
			                  "code_cache_peak_bytes", (json_int_t)pool_peak,
			                  "code_chunks_refused", (json_int_t)refused));
			pids = NULL;
			json_dumpf(j, json,
			           JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9));
			fputc('\n', json);
		} else {
			LOG_ERROR("out of memory for the figures");
		}
		json_decref(pids);
		json_decref(j);
		free(bs.cluster);
		return;
	}
	fprintf(stderr,
	        "manycore: instructions %" PRIu64 ", host time %.3f s, %.1f MIPS\n"
	        "manycore: modelled time %.6f s (%" PRIu64 " cycles at %llu MHz), %" PRIu64
	        " rounds, %" PRIu64 " turns\n"
	        "manycore: kernel calls %" PRIu64 ", threads %" PRIu64 ", switches %" PRIu64 "\n"
	        "manycore: UArea %zu bytes (%zu header + %u thread slots of %zu)\n"
	        "manycore: user memory peak %u KiB of %u KiB; page walks %" PRIu64
	        ", blocks decoded %" PRIu64 ", code flushes %" PRIu64 "\n"
	        "manycore: core %s: %" PRIu64 " blocks translated, %" PRIu64
	        " bytes of host code, code cache at most %" PRIu64 " bytes, %" PRIu64
	        " blocks dropped (code rewritten)\n"
	        "manycore: code cache budget %" PRIu64 " bytes for the board, at most %" PRIu64
	        " taken at once, %" PRIu64 " chunks refused\n"
	        "manycore: NoC %" PRIu64 " messages, %" PRIu64 " bytes, %" PRIu64
	        " hops, %.6f s modelled transfer time (%" PRIu64 " name service messages)\n",
	        insns, secs, secs > 0 ? (double)insns / secs / 1e6 : 0.0,
	        (double)cycles / CORE_CLOCK_HZ, cycles, CORE_CLOCK_HZ / 1000000ull, rounds, turns,
	        calls, threads, switches, uarea, sizeof(struct uarea), slots,
	        sizeof(struct uthread), peak * 4, limit * 4, walks, built, flushes,
	        mmu_tier_name(board_core(b)), jblocks, jbytes, jcache, dropped, pool->size,
	        pool_peak, refused, bs.noc.messages, bs.noc.bytes, bs.noc.hops,
	        (double)bs.noc.model_ns * 1e-9, bs.noc.kernel_messages);
	for (unsigned i = 0; i < n; i++) {
		const struct uarea *ua = board_uarea(b, pid[i]);
		fprintf(stderr,
		        "manycore: pid %u retired %" PRIu64 " instructions in %" PRIu64 " cycles\n",
		        pid[i], uarea_instret(ua), ua->end_clock);
	}
	free(bs.cluster);
}
