#!/usr/bin/env python3
"""Migration against the rate at which the process writes its memory:
pre-copy's weak spot. dirtier (256 KiB, 64 pages, on an MPPA-256 cluster)
writes R pages every 100,000 instructions (every 250 µs at the chip's 400
MHz), R from 0 to all 64; moved while it runs, in each mode (pre-copy with
its default of at most 8 rounds); medians and quartiles of EXP_REPS moves.
For pre-copy, the rounds it took and the pages it sent in all of them.

Writes dirty-rate.csv, .png and .pdf to EXP_OUT."""

from explib import Experiment, MODES, QUICK, REPS, quartiles, median

x = Experiment("dirty-rate")
rates = [0, 64] if QUICK else [0, 1, 2, 4, 8, 16, 32, 64]
kib = 256
x.start("mppa256")
rows = []
for rate in rates:
    for mode in MODES:
        pid = x.run("dirtier.elf", [kib, rate, 100000000])
        x.wait_insns(pid, kib * 256 * 14 + 1000000)  # its memory all written once
        m = x.moves(pid, mode, REPS, "%d pages a step, %s" % (rate, mode))
        x.end(pid)
        d = quartiles([v["downtime_ns"] / 1e3 for v in m])
        rows.append([rate, mode, REPS, d[0], d[1], d[2], median([v["total_ns"] / 1e3 for v in m]),
                     median([v["rounds"] for v in m]), median([v["pages"] for v in m]),
                     median([v["model_ns"] / 1e6 for v in m])])
x.stop()
path = x.csv(["rate_pages", "mode", "moves", "downtime_us", "downtime_p25_us", "downtime_p75_us",
              "total_us", "rounds", "pages", "model_ms"], rows)
per = {m: x.data([r for r in rows if r[1] == m], m) for m in MODES}
at = "($1 > 0 ? $1 : 0.7)"
x.plot('''
set multiplot layout 1,2 title "Migration against the write rate (mppa256, dirtier 256 KiB): medians, quartiles"
set xlabel "pages written every 100,000 instructions (0 drawn at 0.7)"
set logscale x 2
set xrange [0.5:128]
set ylabel "downtime (µs)"
set logscale y
plot '%(s)s' using %(at)s:4:5:6 with yerrorlines title "stop-copy", \\
     '%(p)s' using %(at)s:4:5:6 with yerrorlines title "pre-copy", \\
     '%(o)s' using %(at)s:4:5:6 with yerrorlines title "post-copy"
unset logscale y
set ylabel "pre-copy: pages sent, all rounds"
set y2label "pre-copy: rounds"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
plot '%(p)s' using %(at)s:9 with linespoints title "pages sent", \\
     '%(p)s' using %(at)s:8 axes x1y2 with linespoints title "rounds"
unset multiplot
''' % {"s": per["stop-copy"], "p": per["pre-copy"], "o": per["post-copy"], "at": at}, width=1100)
x.said(path)
