"""The crtool Python module against a live board (manycore serve): every
call, its results and its errors. Run by `make test` (tests/lib); needs
$MANYCORE (the board's binary) and $GUEST_DIR (the guest programs)."""

import os
import shutil
import subprocess
import tempfile
import time
import unittest

import crtool

MANYCORE = os.environ.get("MANYCORE", "build/bin/manycore")
GUEST = os.environ.get("GUEST_DIR", "build/guest")
SEED = os.path.join(GUEST, "apps", "seedapp.elf")
SEED_ARGS = ["--threads", "4", "--pages", "16", "--size", "100", "--rounds", "300"]


class BoardTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="crtool-py-")
        cls.sock = os.path.join(cls.tmp, "board.sock")
        cls.log = open(os.path.join(cls.tmp, "serve.log"), "w+")
        cls.proc = subprocess.Popen([MANYCORE, "serve", "--profile", "mppa256", "--socket",
                                     cls.sock], stdout=cls.log, stderr=subprocess.STDOUT)
        # the board says it serves once its socket listens
        while "serving on" not in open(cls.log.name).read():
            if cls.proc.poll() is not None:
                raise RuntimeError("the board did not start: " + open(cls.log.name).read())
            time.sleep(0.01)
        cls.board = crtool.Board(cls.sock)
        # the reference: seedapp uninterrupted
        pid = cls.board.run(SEED, SEED_ARGS, node=8)[0]
        cls.board.wait(pid)
        cls.ref = cls.board.logs(pid)

    @classmethod
    def tearDownClass(cls):
        if cls.proc.poll() is None:
            cls.board.shutdown()
        cls.proc.wait()
        cls.board.close()
        cls.log.close()
        shutil.rmtree(cls.tmp)

    def seed(self, node=8):
        return self.board.run(SEED, SEED_ARGS, node=node)[0]

    def assert_ends_as_reference(self, pid):
        end = self.board.wait(pid)
        self.assertEqual(end["schema"], "crtool.wait/1")
        self.assertEqual((end["state"], end["status"]), ("exited", 0))
        self.assertEqual(self.board.logs(pid), self.ref)

    def test_version_and_path(self):
        self.assertRegex(crtool.Board.version(), r"^\d+\.\d+\.\d+$")
        self.assertEqual(self.board.path, self.sock)

    def test_run_ps_wait(self):
        pid = self.seed()
        p = self.board.proc(pid)
        self.assertEqual(p["node"], 8)
        self.assertEqual(p["name"], "seedapp.elf")
        self.assert_ends_as_reference(pid)
        ps = self.board.call({"call": "ps"})
        self.assertEqual(ps["schema"], "crtool.ps/1")
        self.assertIn(pid, [q["pid"] for q in ps["processes"]])

    def test_spmd_and_app(self):
        pids = self.board.run(SEED, SEED_ARGS, nodes=[10, 11, 12], app="py3")
        self.assertEqual(len(pids), 3)
        self.assertEqual(sorted(p["pid"] for p in self.board.ps(app="py3")), sorted(pids))
        for pid in pids:
            self.board.wait(pid)

    def test_kill_and_fault(self):
        pid = self.board.run(SEED, ["--rounds", "100000000"], node=13)[0]
        self.board.kill(pid)
        end = self.board.wait(pid)
        self.assertEqual((end["state"], end["status"], end["killed_by"]), ("killed", 137,
                                                                          "request"))
        seg = self.board.run(os.path.join(GUEST, "tests", "segv.elf"))[0]
        end = self.board.wait(seg)
        self.assertEqual(end["killed_by"], "fault")
        self.assertEqual(end["fault"]["trap"], "load page fault")
        self.assertIn("pc", end["fault"])

    def test_migrate_every_mode(self):
        for mode in crtool.MODES:
            pid = self.seed()
            r = self.board.migrate(pid, to=14, mode=mode)
            self.assertEqual(r["schema"], "crtool.migrate/1")
            self.assertEqual(r["mode"], mode)
            m = r["processes"][0]
            self.assertEqual((m["pid"], m["to"], m["outcome"]), (pid, 14, "moved"))
            self.assertGreater(m["downtime_ns"], 0)
            self.assert_ends_as_reference(pid)

    def test_group_migrate_and_drain(self):
        pids = self.board.run(SEED, SEED_ARGS, nodes=[15, 16], app="pyg")
        r = self.board.migrate(app="pyg", to=[17, 18])
        self.assertEqual((r["group"], r["moved"], r["failed"]), (True, 2, 0))
        r = self.board.drain(17, to=[19])
        self.assertLessEqual(r["moved"], 1)
        for pid in pids:
            self.assert_ends_as_reference(pid)

    def test_dump_restore_copy(self):
        pid = self.board.run(SEED, SEED_ARGS[:-1] + ["200000"], node=9)[0]
        d = os.path.join(self.tmp, "one")
        r = self.board.dump(pid, d, leave_running=True, level=3)
        self.assertEqual((r["schema"], r["kind"], r["group"]), ("crtool.dump/1", "dump", False))
        m = r["members"][0]
        self.assertGreater(m["pages_written"], 0)
        self.assertTrue(m["id"].isdigit())  # 64 bits: a string, exact under any reader
        self.assertTrue(os.path.exists(os.path.join(d, "inventory.img")))
        c = self.board.restore(d, new_pid=True, nodes=20)
        copy = c["members"][0]
        self.assertEqual(copy["node"], 20)
        self.assertNotEqual(copy["pid"], pid)
        self.board.kill(pid)
        self.board.kill(copy["pid"])
        self.assertEqual(self.board.wait(copy["pid"])["status"], 137)

    def test_group_dump_restore(self):
        pids = self.board.run(SEED, SEED_ARGS[:-1] + ["200000"], nodes=[21, 22], app="pyd")
        d = os.path.join(self.tmp, "grp")
        r = self.board.dump(app="pyd", dir=d)
        self.assertEqual((r["group"], r["app"], len(r["members"])), (True, "pyd", 2))
        for pid in pids:
            self.assertEqual(self.board.wait(pid)["killed_by"], "dumped")
        r = self.board.restore(d, map={21: 23})
        self.assertEqual(sorted(m["pid"] for m in r["members"]), sorted(pids))
        self.assertIn(23, [m["node"] for m in r["members"]])
        for pid in pids:
            self.board.kill(pid)
            self.board.wait(pid)

    def test_errors(self):
        with self.assertRaises(crtool.NoProcess) as e:
            self.board.wait(99999)
        self.assertEqual((e.exception.status, e.exception.board_error), (5, 2))
        with self.assertRaises(crtool.Usage):
            self.board.migrate(1, to=9, mode="teleport")
        with self.assertRaises(crtool.Usage) as e:
            self.board.call({"call": "ps", "bogus": 1})
        self.assertIn("bogus", e.exception.message)
        with self.assertRaises(crtool.Usage):
            self.board.call({"call": "nothing"})
        with self.assertRaises(crtool.HostIO):
            self.board.restore(os.path.join(self.tmp, "no-such-dir"))
        with self.assertRaises(crtool.HostIO):
            self.board.run(os.path.join(self.tmp, "no-such.elf"))
        pid = self.seed()
        with self.assertRaises(crtool.HostIO):  # said before anything is frozen
            self.board.dump(pid, os.path.join(self.tmp, "no", "such", "dir"))
        self.assert_ends_as_reference(pid)
        with self.assertRaises(crtool.Unreachable):
            crtool.Board(os.path.join(self.tmp, "nobody.sock")).ps()

    def test_stats_and_check(self):
        s = self.board.stats()
        self.assertEqual((s["schema"], s["profile"]), ("crtool.stats/1", "mppa256"))
        self.assertEqual(len(s["clusters"]), 24)
        self.assertIn("migrate.post-copy", s["features"])
        c = self.board.check()
        self.assertEqual(c["missing"], 0)

    def test_logs_follow(self):
        pid = self.seed()
        pieces = []
        self.assertIsNone(self.board.logs(pid, follow=True, each=pieces.append))
        self.assertEqual(b"".join(pieces), self.ref)


class ShutdownTest(unittest.TestCase):
    def test_shutdown_returns_once_the_board_is_gone(self):
        tmp = tempfile.mkdtemp(prefix="crtool-py-")
        sock = os.path.join(tmp, "b.sock")
        with open(os.path.join(tmp, "log"), "w+") as log:
            p = subprocess.Popen([MANYCORE, "serve", "--socket", sock], stdout=log,
                                 stderr=subprocess.STDOUT)
            while "serving on" not in open(log.name).read():
                self.assertIsNone(p.poll())
                time.sleep(0.01)
            with crtool.Board(sock) as b:
                b.run(SEED, ["--rounds", "100000000"])
                b.shutdown()
            # the board's process has exited (a zombie until reaped)
            with open("/proc/%d/stat" % p.pid) as f:
                self.assertEqual(f.read().split(")")[1].split()[0], "Z")
            self.assertEqual(p.wait(), 0)
        shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main()
