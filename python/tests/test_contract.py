"""The JSON contract (docs/json.md) against what the commands print: every
object crtool --json and manycore run --json give carries its schema, and
every key in it (and in the objects it lists) is documented under that
schema. Needs $CRTOOL and $MANYCORE (the binaries) and $GUEST_DIR."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "..", "..", "docs", "json.md")
CRTOOL = os.environ.get("CRTOOL", "build/bin/crtool")
MANYCORE = os.environ.get("MANYCORE", "build/bin/manycore")
GUEST = os.environ.get("GUEST_DIR", "build/guest")
SEED = os.path.join(GUEST, "apps", "seedapp.elf")


def documented():
    """{schema: set of keys} from docs/json.md's sections: every `name`
    written in a section is a key of the schemas its heading names."""
    keys = {}
    with open(DOC) as f:
        text = f.read()
    for sec in re.split(r"^### ", text, flags=re.M)[1:]:
        head, _, body = sec.partition("\n")
        names = re.findall(r"((?:crtool|manycore)\.[a-z-]+/\d+)", head)
        words = set()
        for span in re.findall(r"`([^`]+)`", body):  # `key`, `{a, b}`
            words.update(re.findall(r"[a-z_]+", span))
        for n in names:
            keys.setdefault(n, set()).update(words)
    return keys


def keys_of(obj):
    """Every key of obj and of the objects it holds, nested."""
    out = set()
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.add(k)
            out |= keys_of(v)
    elif isinstance(obj, list):
        for v in obj:
            out |= keys_of(v)
    return out


class ContractTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.docs = documented()
        cls.tmp = tempfile.mkdtemp(prefix="crtool-contract-")
        cls.sock = os.path.join(cls.tmp, "b.sock")
        cls.env = dict(os.environ, CRTOOL_BOARD=cls.sock)
        log = os.path.join(cls.tmp, "serve.log")
        cls.board = subprocess.Popen([MANYCORE, "serve", "--profile", "mppa256", "--socket",
                                      cls.sock, "--log-file", log])
        def said():
            if not os.path.exists(log):
                return ""
            with open(log) as f:
                return f.read()
        while "serving on" not in said():
            if cls.board.poll() is not None:
                raise RuntimeError("no board: " + said())
            time.sleep(0.01)
        cls.seen = {}

    @classmethod
    def tearDownClass(cls):
        subprocess.run([CRTOOL, "shutdown"], env=cls.env, check=False)
        cls.board.wait()
        shutil.rmtree(cls.tmp)

    def crtool(self, *args, status=0):
        r = subprocess.run([CRTOOL] + list(args), env=self.env, capture_output=True, text=True)
        self.assertEqual(r.returncode, status, "crtool %s: %s" % (" ".join(args), r.stderr))
        return r.stdout

    def check(self, out):
        """out is one object of a documented schema, every key documented."""
        obj = json.loads(out)
        schema = obj.get("schema")
        self.assertIn(schema, self.docs, "schema %r is not in docs/json.md" % schema)
        # a group's app.img is decode's JSON, documented with the image format
        shown = {k: v for k, v in obj.items() if not (schema == "crtool.group/1" and k == "app")}
        extra = keys_of(shown) - self.docs[schema] - {"schema"}
        self.assertFalse(extra, "%s: keys not in docs/json.md: %s" % (schema, sorted(extra)))
        self.seen[schema] = True
        return obj

    def test_every_command(self):
        args = ["--threads", "4", "--pages", "16", "--size", "100", "--rounds", "200000"]
        pid = self.check(self.crtool("run", "--json", "--node", "8", SEED, *args))["pids"][0]
        self.check(self.crtool("ps", "--json"))
        self.check(self.crtool("stats", "--json"))
        self.check(self.crtool("check", "--json"))
        self.check(self.crtool("migrate", "-p", str(pid), "--to", "9", "--mode", "post-copy",
                               "--json"))
        pre = os.path.join(self.tmp, "pre")
        d = os.path.join(self.tmp, "d")
        self.check(self.crtool("pre-dump", "-p", str(pid), "-D", pre, "--json"))
        self.check(self.crtool("dump", "-p", str(pid), "-D", d, "--prev-images-dir", "../pre",
                               "--leave-running", "--json"))
        self.check(self.crtool("show", "--json", d))
        self.check(self.crtool("verify", "--json", d))
        r = self.check(self.crtool("restore", "-D", d, "--new-pid", "--node", "10", "--json"))
        copy = r["members"][0]["pid"]
        self.check(self.crtool("drain", "--node", "10", "--json"))
        self.check(self.crtool("kill", "--json", str(copy)))
        self.check(self.crtool("wait", "--json", str(copy), status=137))
        grp = self.check(self.crtool("run", "--json", "--nodes", "11,12", "--app", "ct", SEED,
                                     *args))["pids"]
        g = os.path.join(self.tmp, "g")
        self.check(self.crtool("dump", "--app", "ct", "-D", g, "--json"))
        self.check(self.crtool("show", "--json", g))
        self.check(self.crtool("diff", "--json", pre, d, status=1))
        self.check(self.crtool("restore", "-D", g, "--json"))
        self.check(self.crtool("migrate", "--app", "ct", "--to", "13,14", "--json"))
        g2 = os.path.join(self.tmp, "g2")
        self.check(self.crtool("dump", "--app", "ct", "-D", g2, "--leave-running", "--json"))
        self.check(self.crtool("diff", "--json", g, g2, status=1))
        for p in grp + [pid]:
            self.crtool("kill", str(p))
        # a damaged set: verify lists its problems, still one object
        with open(os.path.join(d, "pages.img"), "r+b") as f:
            f.seek(40)
            f.write(b"\xff\xff\xff\xff")
        v = self.check(self.crtool("verify", "--json", d, status=6))
        self.assertFalse(v["valid"])
        self.assertTrue(v["problems"])
        # manycore run's figures, in a file of their own
        jf = os.path.join(self.tmp, "run.json")
        subprocess.run([MANYCORE, "run", "--json", jf, os.path.join(GUEST, "apps", "hello.elf")],
                       check=True, capture_output=True)
        with open(jf) as f:
            self.check(f.read())
        missing = {s for s in self.docs if s.startswith("crtool.") or s.startswith("manycore.")}
        missing -= set(self.seen) | {"crtool.version/1", "crtool.shutdown/1"}
        self.assertFalse(missing, "documented schemas no command printed: %s" % sorted(missing))


if __name__ == "__main__":
    unittest.main()
