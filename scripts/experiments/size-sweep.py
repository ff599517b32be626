#!/usr/bin/env python3
"""Downtime and total time of a migration against the process's size, in
each mode: memhog (its memory written once, then read over and over) of
64 KiB to 64 MiB on the default profile (224 MiB of user memory a
cluster), moved while it runs; medians and quartiles of EXP_REPS moves
(of 16 MiB and more: at most 5).

Writes size-sweep.csv, .png and .pdf to EXP_OUT."""

from explib import Experiment, MODES, QUICK, REPS, quartiles, median

x = Experiment("size-sweep")
sizes = [64, 256] if QUICK else [64, 256, 1024, 4096, 16384, 65536]
x.start("default")
rows = []
for kib in sizes:
    reps = REPS if kib < 16384 else min(REPS, 5)
    for mode in MODES:
        pid = x.memhog(kib)  # moved once all of its memory is written
        m = x.moves(pid, mode, reps, "%d KiB %s" % (kib, mode))
        x.end(pid)
        d = quartiles([v["downtime_ns"] / 1e3 for v in m])
        t = quartiles([v["total_ns"] / 1e3 for v in m])
        rows.append([kib, mode, reps, d[0], d[1], d[2], t[0], t[1], t[2],
                     median([v["pages"] for v in m]), median([v["model_ns"] / 1e6 for v in m])])
x.stop()
path = x.csv(["size_kib", "mode", "moves", "downtime_us", "downtime_p25_us", "downtime_p75_us",
              "total_us", "total_p25_us", "total_p75_us", "pages", "model_ms"], rows)
per = {m: x.data([r for r in rows if r[1] == m], m) for m in MODES}
x.plot('''
set multiplot layout 1,2 title "Migration against process size (default profile, memhog): medians, quartiles"
set logscale xy
set xlabel "process size (KiB)"
set ylabel "downtime (µs)"
plot '%(s)s' using 1:4:5:6 with yerrorlines title "stop-copy", \\
     '%(p)s' using 1:4:5:6 with yerrorlines title "pre-copy", \\
     '%(o)s' using 1:4:5:6 with yerrorlines title "post-copy"
set ylabel "total time (µs)"
plot '%(s)s' using 1:7:8:9 with yerrorlines title "stop-copy", \\
     '%(p)s' using 1:7:8:9 with yerrorlines title "pre-copy", \\
     '%(o)s' using 1:7:8:9 with yerrorlines title "post-copy"
unset multiplot
''' % {"s": per["stop-copy"], "p": per["pre-copy"], "o": per["post-copy"]}, width=1100)
x.said(path)
