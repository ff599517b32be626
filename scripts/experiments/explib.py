"""explib - what the experiments share. Each experiment drives a board only
through the crtool Python module (python/crtool, over libcrtool), as a
user's script would, and writes a CSV and a plot, PNG and PDF (gnuplot),
to $EXP_OUT.

Environment: EXP_OUT (default build/experiments), EXP_QUICK=1 (tiny
sizes, one repetition: what `make test` runs), EXP_REPS (repetitions
where an experiment repeats; default 11, 1 when quick), MANYCORE and
GUEST_DIR (the board's binary and the guests), CRTOOL_LIB (libcrtool).
"""

import atexit
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))
import crtool  # noqa: E402  (the path above first)

MANYCORE = os.environ.get("MANYCORE", os.path.join(ROOT, "build", "bin", "manycore"))
GUEST = os.environ.get("GUEST_DIR", os.path.join(ROOT, "build", "guest"))
OUT = os.environ.get("EXP_OUT", os.path.join(ROOT, "build", "experiments"))
QUICK = os.environ.get("EXP_QUICK", "0") == "1"
REPS = int(os.environ.get("EXP_REPS", "1" if QUICK else "11"))
MODES = crtool.MODES


class Experiment:
    """One experiment: its name, a temporary directory, at most one board."""

    def __init__(self, name):
        self.name = name
        self.tmp = tempfile.mkdtemp(prefix="exp-%s-" % name)
        self.proc = None
        self.board = None
        self.first = None
        os.makedirs(OUT, exist_ok=True)
        if not shutil.which("gnuplot"):
            self.fail("gnuplot is missing (scripts/install-deps installs it)")
        atexit.register(self.cleanup)

    def fail(self, why):
        sys.stderr.write("%s: %s\n" % (self.name, why))
        sys.exit(1)

    def cleanup(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, profile):
        """A board of profile for the experiment; self.first is its first
        compute node, where processes go."""
        sock = os.path.join(self.tmp, "board.sock")
        log = os.path.join(self.tmp, "serve.log")
        self.proc = subprocess.Popen([MANYCORE, "serve", "--profile", profile, "--socket", sock,
                                      "--log-file", log])
        while not (os.path.exists(log) and "serving on" in read(log)):
            if self.proc.poll() is not None:
                self.fail("the board did not start: " + read(log))
            time.sleep(0.01)
        self.board = crtool.Board(sock)
        self.first = next(c["node"] for c in self.board.stats()["clusters"]
                          if c["kind"] == "compute")
        return self.board

    def stop(self):
        self.board.shutdown()
        self.proc.wait()
        self.board.close()
        self.proc = self.board = None
        self.done()

    def progress(self, what):
        """A line on a terminal (stderr); nothing when piped."""
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K%s: %s" % (self.name, what))
            sys.stderr.flush()

    def done(self):
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")

    def run(self, prog, args, node=None):
        return self.board.run(os.path.join(GUEST, "apps", prog), [str(a) for a in args],
                              node=self.first if node is None else node)[0]

    def end(self, pid):
        """Ends pid and waits until it has (its memory free again)."""
        self.board.kill(pid)
        self.board.wait(pid)

    def wait_insns(self, pid, insns):
        """Waits until pid has retired insns instructions; fails if it ends."""
        while True:
            p = self.board.proc(pid)
            if not p or p["state"] != "running":
                self.fail("pid %d ended early: %s" % (pid, self.board.logs(pid)[-200:]))
            if p["instructions"] >= insns:
                return
            time.sleep(0.05)

    def memhog(self, kib, node=None):
        """memhog of kib KiB, once all of its memory is written: writing a
        word and checking it take 27 instructions, so 30 a word is past it."""
        pid = self.run("memhog.elf", [kib, 100000000], node)
        self.wait_insns(pid, kib * 256 * 30)
        return pid

    def moves(self, pid, mode, reps, label):
        """Moves pid reps times in mode to the five compute nodes after the
        first in turn: each move's figures (crtool.migrate/1's process)."""
        out = []
        for k in range(reps):
            self.progress("%s: move %d of %d" % (label, k + 1, reps))
            r = self.board.migrate(pid, to=self.first + 1 + k % 5, mode=mode)
            out.append(r["processes"][0])
        return out

    def csv(self, header, rows):
        path = os.path.join(OUT, self.name + ".csv")
        with open(path, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            for r in rows:
                w.writerow([fmt(v) for v in r])
        return path

    def data(self, rows, name):
        """rows as a CSV of the experiment's own, for gnuplot: its path."""
        path = os.path.join(self.tmp, name + ".csv")
        with open(path, "w") as f:
            for r in rows:
                f.write(",".join(fmt(v) for v in r) + "\n")
        return path

    def plot(self, script, width=800, height=500):
        """Draws script with gnuplot twice: NAME.png and NAME.pdf in $EXP_OUT."""
        for ext, term in (("png", "pngcairo size %d,%d font 'sans,10'" % (width, height)),
                          ("pdf", "pdfcairo size %.1fin,%.1fin font 'sans,8'" %
                           (width / 100.0, height / 100.0))):
            head = ("set terminal %s\nset output '%s'\nset datafile separator ','\n"
                    "set encoding utf8\nset key top left\nset grid\n" %
                    (term, os.path.join(OUT, "%s.%s" % (self.name, ext))))
            r = subprocess.run(["gnuplot"], input=head + script, text=True,
                               capture_output=True)
            if r.returncode:
                self.fail("gnuplot could not draw %s.%s: %s" % (self.name, ext, r.stderr))

    def said(self, path):
        print("%s: %s, %s.png, %s.pdf" % (self.name, path, os.path.join(OUT, self.name),
                                          os.path.join(OUT, self.name)))


def read(path):
    with open(path) as f:
        return f.read()


def fmt(v):
    if isinstance(v, float):
        return "nan" if v != v else "%.6g" % v
    return str(v)


def quartiles(values):
    """Median, 25th and 75th percentiles (nearest rank); nan if none."""
    v = sorted(values)
    n = len(v)
    if not n:
        return (float("nan"),) * 3
    return v[(n + 1) // 2 - 1], v[(n - 1) // 4], v[n - 1 - (n - 1) // 4]


def median(values):
    return quartiles(values)[0]
