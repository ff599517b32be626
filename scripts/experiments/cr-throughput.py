#!/usr/bin/env python3
"""Checkpoint and restore throughput against the process's size: memhog of
1 to 64 MiB (quick: 256 KiB and 1 MiB) on the default profile, dumped as it
runs on, raw and with zstd, each restored as a second copy; medians and
quartiles of EXP_REPS (at most 3 from 16 MiB on). Each beside the ceiling
that bounds it: a dump beside a plain write and fsync of the same page
bytes, a restore beside a memcpy of 64 MiB (imgbench, when `make bench`
has built it); and the image sizes, raw and zstd.

Writes cr-throughput.csv, .png and .pdf to EXP_OUT."""

import os
import shutil
import subprocess
import time

from explib import Experiment, GUEST, QUICK, REPS, ROOT, quartiles, median

x = Experiment("cr-throughput")
sizes = [256, 1024] if QUICK else [1024, 4096, 16384, 65536]
memcpy = float("nan")
imgbench = os.path.join(ROOT, "build", "bench", "imgbench")
if os.access(imgbench, os.X_OK) and not QUICK:
    r = subprocess.run([imgbench, GUEST, os.path.join(x.tmp, "ib")], capture_output=True,
                       text=True)
    for line in r.stdout.splitlines():
        f = line.split(",")
        if f[0] == "images.memcpy.mbps":
            memcpy = float(f[1]) * 1.048576  # imgbench says MiB/s


def du(d):
    return sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))


b = x.start("default")
rows = []
for kib in sizes:
    reps = REPS if kib < 16384 else min(REPS, 3)
    hog = x.memhog(kib)
    runs = []
    for r in range(reps):
        x.progress("%d KiB: round %d of %d" % (kib, r + 1, reps))
        d = os.path.join(x.tmp, "d%d.%d" % (kib, r))
        raw = b.dump(hog, d + ".raw", leave_running=True)
        t0 = time.monotonic_ns()
        subprocess.run(["dd", "if=%s/pages.img" % (d + ".raw"), "of=%s" % (d + ".ceiling"),
                       "bs=4M", "conv=fsync"], check=True, capture_output=True)
        ceiling_ns = time.monotonic_ns() - t0
        z = b.dump(hog, d + ".zstd", leave_running=True, level=3)
        rest = []
        for s in (d + ".raw", d + ".zstd"):
            rr = b.restore(s, nodes=x.first + 1, new_pid=True)
            x.end(rr["members"][0]["pid"])
            rest.append(rr["total_ns"])
        size = raw["members"][0]["bytes_raw"]
        runs.append({"bytes": size, "dump": size / raw["total_ns"] * 1e3,
                     "dumpz": size / z["total_ns"] * 1e3, "rest": size / rest[0] * 1e3,
                     "restz": size / rest[1] * 1e3,
                     "disk": os.path.getsize(d + ".raw/pages.img") / ceiling_ns * 1e3,
                     "img": du(d + ".raw"), "imgz": du(d + ".zstd")})
        for s in (".raw", ".zstd"):
            shutil.rmtree(d + s)
        os.remove(d + ".ceiling")
    x.end(hog)

    def q(k):
        return list(quartiles([v[k] for v in runs]))
    rows.append([kib, reps, median([v["bytes"] for v in runs])] + q("dump") + q("dumpz") +
                q("rest") + q("restz") + [median([v["disk"] for v in runs]), memcpy,
                                          median([v["img"] for v in runs]),
                                          median([v["imgz"] for v in runs])])
x.stop()
path = x.csv(["size_kib", "reps", "bytes_raw", "dump_mbps", "dump_p25_mbps", "dump_p75_mbps",
              "dump_zstd_mbps", "dump_zstd_p25_mbps", "dump_zstd_p75_mbps", "restore_mbps",
              "restore_p25_mbps", "restore_p75_mbps", "restore_zstd_mbps",
              "restore_zstd_p25_mbps", "restore_zstd_p75_mbps", "disk_write_mbps", "memcpy_mbps",
              "image_bytes", "image_zstd_bytes"], rows)
x.plot('''
set multiplot layout 1,3 title "Checkpoint/restore against process size (default profile, memhog): medians, quartiles"
set logscale x
set xlabel "process size (KiB)"
set ylabel "throughput (MB/s)"
set title "dump"
plot '%(f)s' every ::1 using 1:4:5:6 with yerrorlines title "raw", \\
     '%(f)s' every ::1 using 1:7:8:9 with yerrorlines title "zstd", \\
     '%(f)s' every ::1 using 1:16 with linespoints dt 2 title "ceiling: write + fsync"
set title "restore"
plot '%(f)s' every ::1 using 1:10:11:12 with yerrorlines title "raw", \\
     '%(f)s' every ::1 using 1:13:14:15 with yerrorlines title "zstd", \\
     '%(f)s' every ::1 using 1:17 with linespoints dt 3 title "ceiling: memcpy"
set title "image size"
set logscale y
set ylabel "bytes"
plot '%(f)s' every ::1 using 1:18 with linespoints title "raw", \\
     '%(f)s' every ::1 using 1:19 with linespoints title "zstd"
unset multiplot
''' % {"f": path}, width=1400)
x.said(path)
