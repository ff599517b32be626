#!/usr/bin/env python3
"""The seed's thread benchmark: forkjoin on an MPPA-256 cluster creates and
joins n threads (n = 1..17) REPS times; instructions and host time per
create+join pair. Run through the board as a user would (run, wait, logs).

Writes forkjoin.csv, .png and .pdf to EXP_OUT."""

from explib import Experiment, QUICK

x = Experiment("forkjoin")
reps = 2 if QUICK else 200
b = x.start("mppa256")
x.progress("forkjoin, %d repetitions" % reps)
pid = x.run("forkjoin.elf", ["--reps", reps])
end = b.wait(pid)
out = b.logs(pid, stderr=True).decode()
x.stop()
if end["status"] != 0:
    x.fail("forkjoin failed: %s" % out[-300:])
rows = [line.split() for line in out.splitlines()]
rows = [r for r in rows if len(r) == 3 and r[0].isdigit()]
if not rows:
    x.fail("no figures in forkjoin's output: %s" % out[-300:])
path = x.csv(["threads", "insns_per_pair", "host_ns_per_pair"], rows)
x.plot('''
set title "Thread create+join on an MPPA-256 cluster (forkjoin, %d repetitions)"
set xlabel "threads created and joined at once (n)"
set ylabel "guest instructions per create+join pair"
set y2label "host time per pair (ns)"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:*]
set xtics 1
plot '%s' every ::1 using 1:2 with linespoints title "instructions", \\
     '%s' every ::1 using 1:3 axes x1y2 with linespoints title "host ns"
''' % (reps, path, path))
x.said(path)
