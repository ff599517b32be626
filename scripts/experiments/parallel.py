#!/usr/bin/env python3
"""The seed's parallel table: 1 to 8 migrations at once, each of a
computing seedapp (one thread, the seed's 343 KiB) to its own cluster,
stop-copy: wall time from the start until the last returns, and each
move's downtime; medians and quartiles of EXP_REPS rounds. A group
migration (crtool migrate -p PID,PID,...) moves them at once, a
connection each, as the seed's were.

Writes parallel.csv, .png and .pdf to EXP_OUT."""

import time

from explib import Experiment, QUICK, REPS, quartiles

x = Experiment("parallel")
counts = [1, 2] if QUICK else list(range(1, 9))
b = x.start("mppa256")
pids = [x.run("seedapp.elf", ["--rounds", 100000000], x.first + k) for k in range(8)]
for p in pids:
    x.wait_insns(p, 1000000)
rows = []
side = 0
for n in counts:
    totals, downs = [], []
    for r in range(REPS):
        x.progress("%d at once: round %d of %d" % (n, r + 1, REPS))
        # the first n, each to a cluster of its own, there and back; the
        # others follow apart, so that all are on one side for the next
        to = [x.first + (8 if side == 0 else 0) + i for i in range(8)]
        t0 = time.monotonic_ns()
        m = b.migrate(pids[:n], to=to[:n])
        totals.append((time.monotonic_ns() - t0) / 1e6)
        downs += [p["downtime_ns"] / 1e3 for p in m["processes"]]
        if n < 8:
            b.migrate(pids[n:], to=to[n:])
        side ^= 1
    t = quartiles(totals)
    d = quartiles(downs)
    rows.append([n, REPS, t[0], t[1], t[2], d[0], d[1], d[2]])
for p in pids:
    x.end(p)
x.stop()
path = x.csv(["migrations", "rounds", "total_ms", "total_p25_ms", "total_p75_ms", "downtime_us",
              "downtime_p25_us", "downtime_p75_us"], rows)
x.plot('''
set title "Migrations at once (mppa256, seedapp 343 KiB, stop-copy): medians and quartiles of %d rounds"
set xlabel "migrations started together"
set ylabel "time until the last returns (ms)"
set y2label "downtime of each (µs)"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
set xtics 1
plot '%s' every ::1 using 1:3:4:5 with yerrorlines title "wall time, all of them", \\
     '%s' every ::1 using 1:6:7:8 axes x1y2 with yerrorlines title "downtime of one"
''' % (REPS, path, path))
x.said(path)
