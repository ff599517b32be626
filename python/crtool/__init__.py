"""crtool: checkpoint/restore and migration of processes on an emulated
Nanvix manycore, from Python.

A binding over libcrtool (ctypes): every call goes through the library's
JSON entry point, crt_call_json, so the dicts returned are the objects of
docs/json.md, the same that `crtool ... --json` prints, and the images of
a dump are stored and checked by the library, as for the command line.

    import crtool
    board = crtool.Board()              # $CRTOOL_BOARD, or the default socket
    pid = board.run("prog.elf", ["arg"])[0]
    moved = board.migrate(pid, to=9, mode="post-copy")
    print(moved["processes"][0]["downtime_ns"])
    board.dump(pid, "images", leave_running=True)
    print(board.wait(pid)["status"])

Failures raise crtool.Error (or a subclass named after the status:
NoProcess, BadImage, Unreachable, ...), which carries the library's
status, the board's error code and its sentence.
"""

import ctypes
import ctypes.util
import json
import os

__all__ = ["Board", "Error", "Refused", "Usage", "Unreachable", "Protocol", "NoProcess",
           "BadImage", "HostIO", "Denied", "load_library", "MODES"]

MODES = ("stop-copy", "pre-copy", "post-copy")


class Error(Exception):
    """A call failed: status is libcrtool's (crtool's exit status), board_error
    the board's code (0 if the board did not refuse), result what a group
    migration still reports when some member did not move (else None)."""

    def __init__(self, status, message, board_error=0, result=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.board_error = board_error
        self.result = result


class Refused(Error):
    """1: the board refused, or a group member did not move."""


class Usage(Error):
    """2: an argument is not valid."""


class Unreachable(Error):
    """3: no board answers at the socket."""


class Protocol(Error):
    """4: the board's reply made no sense."""


class NoProcess(Error):
    """5: no such process."""


class BadImage(Error):
    """6: an image is invalid or does not fit the board."""


class HostIO(Error):
    """7: a host file or directory cannot be read or written."""


class Denied(Error):
    """8: the board serves another user."""


_ERRORS = {1: Refused, 2: Usage, 3: Unreachable, 4: Protocol, 5: NoProcess, 6: BadImage,
           7: HostIO, 8: Denied}

_OUTPUT_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                              ctypes.c_uint64)
_lib = None


def _installed():
    """The library `make install` put beside this package, or None."""
    try:
        from crtool._installed import LIBRARY
        return LIBRARY
    except ImportError:
        return None


def load_library(path=None):
    """Loads libcrtool: path, else $CRTOOL_LIB, else the one installed with
    this package, else the build tree's (build/lib beside python/), else
    the system's."""
    global _lib
    if _lib is not None and path is None:
        return _lib
    here = os.path.dirname(os.path.abspath(__file__))
    tries = [path, os.environ.get("CRTOOL_LIB"), _installed(),
             os.path.join(here, "..", "..", "build", "lib", "libcrtool.so.0"),
             ctypes.util.find_library("crtool")]
    last = None
    for p in [t for t in tries if t]:
        try:
            lib = ctypes.CDLL(p)
            break
        except OSError as e:
            last = e
    else:
        raise OSError("libcrtool not found (set CRTOOL_LIB, or build it: make lib): %s" % last)
    lib.crt_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.crt_open.restype = ctypes.c_int
    lib.crt_close.argtypes = [ctypes.c_void_p]
    lib.crt_close.restype = None
    lib.crt_error.argtypes = [ctypes.c_void_p]
    lib.crt_error.restype = ctypes.c_char_p
    lib.crt_board_error.argtypes = [ctypes.c_void_p]
    lib.crt_board_error.restype = ctypes.c_int
    lib.crt_path.argtypes = [ctypes.c_void_p]
    lib.crt_path.restype = ctypes.c_char_p
    lib.crt_version.argtypes = []
    lib.crt_version.restype = ctypes.c_char_p
    lib.crt_free.argtypes = [ctypes.c_void_p]
    lib.crt_free.restype = None
    lib.crt_call_json.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                  ctypes.POINTER(ctypes.c_void_p)]
    lib.crt_call_json.restype = ctypes.c_int
    lib.crt_logs.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_int,
                             _OUTPUT_FN, ctypes.c_void_p]
    lib.crt_logs.restype = ctypes.c_int
    if path is None:
        _lib = lib
    return lib


def _list(v):
    """An int, or an iterable of ints, as a list."""
    if v is None:
        return None
    if isinstance(v, int):
        return [v]
    return [int(x) for x in v]


class Board:
    """A board served by `manycore serve`, at path (None: $CRTOOL_BOARD, else
    the default socket). Nothing connects until the first call. A Board
    serves one thread at a time; use one per thread."""

    def __init__(self, path=None, library=None):
        self._lib = load_library(library)
        self._h = ctypes.c_void_p()
        if self._lib.crt_open(path.encode() if path else None, ctypes.byref(self._h)):
            raise MemoryError("crt_open: out of memory")

    def close(self):
        """Closes the connection; the Board is unusable after."""
        if self._h:
            self._lib.crt_close(self._h)
            self._h = ctypes.c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    @property
    def path(self):
        """The socket this Board talks to."""
        return self._lib.crt_path(self._h).decode()

    @staticmethod
    def version():
        """libcrtool's version."""
        return load_library().crt_version().decode()

    def _raise(self, st, result=None):
        msg = self._lib.crt_error(self._h).decode(errors="replace")
        raise _ERRORS.get(st, Error)(st, msg, self._lib.crt_board_error(self._h), result)

    def call(self, request):
        """One call as a dict ({"call": "ps", ...}: docs/libcrtool.md); its
        result as a dict (docs/json.md)."""
        if not self._h:
            raise ValueError("the Board is closed")
        out = ctypes.c_void_p()
        st = self._lib.crt_call_json(self._h, json.dumps(request).encode(), ctypes.byref(out))
        result = None
        if out.value:
            result = json.loads(ctypes.string_at(out.value).decode())
            self._lib.crt_free(out)
        if st:
            self._raise(st, result)
        return result

    @staticmethod
    def _req(call, **kw):
        r = {"call": call}
        r.update({k: v for k, v in kw.items() if v is not None and v is not False})
        return r

    # ---- processes ----

    def run(self, path, args=(), node=None, nodes=None, app=None):
        """Starts the ELF at path with args (on node, or one per node of
        nodes: SPMD); the new pids, in the order of nodes."""
        argv = [str(path)] + [str(a) for a in args]
        return self.call(self._req("run", path=str(path), argv=argv, node=node,
                                   nodes=_list(nodes), app=app))["pids"]

    def ps(self, app=None):
        """The board's processes (of application app only), as dicts."""
        return self.call(self._req("ps", app=app))["processes"]

    def proc(self, pid):
        """The process pid as ps shows it, or None."""
        for p in self.ps():
            if p["pid"] == pid:
                return p
        return None

    def kill(self, pid):
        """Kills pid (its status becomes 137)."""
        self.call({"call": "kill", "pid": int(pid)})

    def wait(self, pid):
        """Waits until pid has ended; how (state, status, killed_by, fault)."""
        return self.call({"call": "wait", "pid": int(pid)})

    def logs(self, pid, stderr=False, follow=False, each=None):
        """What pid wrote to stdout (stderr: its stderr), as bytes; with follow
        until it ends. each, if given, is called with every piece instead
        (return True from it to stop) and logs returns None."""
        got = []

        def put(ctx, data, n, lost):
            piece = ctypes.string_at(data, n) if n else b""
            if each is not None:
                return 1 if each(piece) else 0
            got.append(piece)
            return 0

        fn = _OUTPUT_FN(put)
        st = self._lib.crt_logs(self._h, int(pid), 2 if stderr else 1, 1 if follow else 0, fn,
                                None)
        if st:
            self._raise(st)
        return None if each is not None else b"".join(got)

    # ---- the board ----

    def stats(self):
        """Host and modelled figures, per cluster."""
        return self.call({"call": "stats"})

    def check(self):
        """What the board offers of what crtool needs ("missing": how many lack)."""
        return self.call({"call": "check"})

    def shutdown(self):
        """Stops the board; returns once it has exited."""
        self.call({"call": "shutdown"})

    # ---- checkpoints and migration ----

    def dump(self, pids=None, dir=None, app=None, prev_dir=None, level=0, leave_running=False,
             track_mem=False):
        """Dumps pid (or pids: a group at one cut, or app's running members)
        to dir; the figures."""
        return self.call(self._req("dump", pids=_list(pids), app=app, dir=dir,
                                   prev_dir=prev_dir, level=level or None,
                                   leave_running=leave_running, track_mem=track_mem))

    def pre_dump(self, pids=None, dir=None, app=None, prev_dir=None, level=0):
        """Writes the pages of pid (pids, app) to dir while it runs on."""
        return self.call(self._req("pre-dump", pids=_list(pids), app=app, dir=dir,
                                   prev_dir=prev_dir, level=level or None))

    def restore(self, dir, nodes=None, map=None, new_pid=False):
        """Restores the dump in dir (a group: every member or none); nodes:
        one for all or one each (-1: the least busy); map: {old: new} nodes."""
        pairs = [[int(a), int(b)] for a, b in map.items()] if map else None
        return self.call(self._req("restore", dir=dir, nodes=_list(nodes), map=pairs,
                                   new_pid=new_pid))

    def migrate(self, pids=None, to=None, mode="stop-copy", app=None, map=None,
                max_rounds=None):
        """Moves pid (pids, or app's members, all at once) to node to (one for
        all, or one each), or as map {old: new} says, in mode. Raises
        Refused with .result set if a group member could not move."""
        pairs = [[int(a), int(b)] for a, b in map.items()] if map else None
        return self.call(self._req("migrate", pids=_list(pids), app=app, to=_list(to),
                                   map=pairs, mode=mode, max_rounds=max_rounds))

    def drain(self, node, to=None, mode="stop-copy"):
        """Moves every process off node (to the nodes of to in turn)."""
        return self.call(self._req("drain", node=int(node), to=_list(to), mode=mode))
