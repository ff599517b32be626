#!/usr/bin/env python3
"""The seed's migration table: seedapp (the seed's application, --size 200
so that every configuration fits an MPPA-256 cluster's 512 KiB) with 1 or
16 threads and 0 or 32 extra pages written every round, moved while it
computes, in each mode. Per configuration and mode: downtime and total
time (host), the NoC model's time, medians of EXP_REPS moves with the
quartiles; beside them, on an axis of their own, the seed's figures on the
real chip.

Writes seed-migration.csv, .png and .pdf to EXP_OUT."""

from explib import Experiment, MODES, QUICK, REPS, quartiles, median

x = Experiment("seed-migration")
configs = [(1, 0, 19.6), (16, 32, 101.6)] if QUICK else \
    [(1, 0, 19.6), (1, 32, 36.3), (16, 0, 83.5), (16, 32, 101.6)]
b = x.start("mppa256")
rows = []
for t, p, seed in configs:
    for mode in MODES:
        pid = x.run("seedapp.elf", ["--threads", t, "--pages", p, "--size", 200,
                                    "--rounds", 100000000])
        x.wait_insns(pid, 1000000)
        m = x.moves(pid, mode, REPS, "t%dp%d %s" % (t, p, mode))
        x.end(pid)
        d = quartiles([v["downtime_ns"] / 1e3 for v in m])
        rows.append(["t%dp%d" % (t, p), mode, t, p, REPS, d[0], d[1], d[2],
                     median([v["total_ns"] / 1e3 for v in m]),
                     median([v["model_ns"] / 1e6 for v in m]), seed])
x.stop()
path = x.csv(["config", "mode", "threads", "pages", "moves", "downtime_us", "downtime_p25_us",
              "downtime_p75_us", "total_us", "model_ms", "seed_ms"], rows)

# Left, this emulator's host times (a cluster of bars a configuration, a
# bar a mode, quartiles as error bars); right, apart, the NoC model's
# time for the stream beside the seed's whole migration on the real chip.
per = {m: x.data([r for r in rows if r[1] == m], m) for m in MODES}
x.plot('''
set multiplot layout 1,2 title "Migration of the seed's application (mppa256, seedapp --size 200): medians of %d moves"
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set xtics nomirror
set logscale y
set title "this emulator: host time"
set ylabel "time (µs, log scale)"
set xlabel "configuration (threads, extra pages)"
plot '%s' using 6:7:8:xtic(1) title "stop-copy downtime", \\
     '%s' using 6:7:8 title "pre-copy downtime", \\
     '%s' using 6:7:8 title "post-copy downtime", \\
     '%s' using 9:9:9 title "stop-copy total"
set title "modelled and real chip time"
set ylabel "time (ms, log scale)"
set style histogram clustered gap 2
plot '%s' using 10:xtic(1) title "NoC model: stop-copy stream", \\
     '%s' using 11 title "the seed on an MPPA-256: whole migration"
unset multiplot
''' % (REPS, per["stop-copy"], per["pre-copy"], per["post-copy"], per["stop-copy"],
       per["stop-copy"], per["stop-copy"]), width=1100)
x.said(path)
