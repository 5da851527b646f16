"""Helpers of the hardening tests: killing subprocesses at chosen points, checking what a kill leaves,
and a file system that fills up (fault injection).
"""

from __future__ import annotations

import builtins
import errno
import fnmatch
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

HERE = Path(__file__).parent
DRIVER = HERE / "_kill_driver.py"
TINY_SCENARIO = HERE / "tiny_scenario.yaml"
RUN_TABLES = ("steps.parquet", "actors.parquet", "events.parquet", "network-final.json")
#: The kill and full-disk helpers read /proc (processes, file descriptors, sockets): Linux.
needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc (Linux)")


# ---------------------------------------------------------------- killing
def _session_alive(session: int) -> list[int]:
    """Processes (not zombies) of the session ``session`` (the killed command and anything it started)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        state, sid = fields[0], int(fields[3])
        if sid == session and state not in ("Z", "X"):
            alive.append(int(entry.name))
    return alive


class Killed:
    """What a kill left: ``killed`` is False when the command had ended on its own before the kill."""

    def __init__(self, killed: bool, returncode: int, stderr: str):
        self.killed, self.returncode, self.stderr = killed, returncode, stderr


def start(args: list[str], marker: Path, hook: str, log: Path) -> subprocess.Popen:
    """Start ``dependencia ARGS`` in a new session, stopping where ``hook`` says (see _kill_driver)."""
    command = [sys.executable, str(DRIVER), str(marker), hook, *map(str, args)]
    with open(log, "wb") as stderr:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)


def kill(process: subprocess.Popen, log: Path) -> Killed:
    """SIGKILL the command (its own process only, as an OOM killer or ``kill -9 PID`` would); then check that
    every process it started (workers) ends too, and clean up whatever does not."""
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    deadline = time.monotonic() + 15
    left = _session_alive(process.pid)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = _session_alive(process.pid)
    if left:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        pytest.fail(f"processes {left} of the killed command were still running 15 s after the kill")
    return Killed(killed, process.returncode, log.read_text(errors="replace"))


def kill_at(args: list[str], hook: str, tmp_path: Path, *, timeout: float = 180.0) -> Killed:
    """Run ``dependencia ARGS`` until it stops at ``hook``, then SIGKILL it; fail if it ends first."""
    marker, log = tmp_path / f".stopped-{time.monotonic_ns()}", tmp_path / f"stderr-{time.monotonic_ns()}.log"
    process = start(args, marker, hook, log)
    deadline = time.monotonic() + timeout
    try:
        while not marker.exists():
            if process.poll() is not None:
                pytest.fail(f"the command ended (rc {process.returncode}) before it reached {hook}: "
                            f"{log.read_text(errors='replace')[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"the command did not reach {hook} within {timeout} s")
            time.sleep(0.01)
    finally:
        result = kill(process, log)
    marker.unlink()
    assert result.killed and result.returncode == -signal.SIGKILL
    return result


def kill_after(args: list[str], started: Path, delay: float, tmp_path: Path, *, timeout: float = 180.0) -> Killed:
    """Run ``dependencia ARGS``; ``delay`` seconds after ``started`` exists, SIGKILL it (if it still runs)."""
    log = tmp_path / f"stderr-{time.monotonic_ns()}.log"
    process = start(args, tmp_path / ".never", "none", log)
    deadline = time.monotonic() + timeout
    try:
        while not started.exists() and process.poll() is None:
            if time.monotonic() > deadline:
                pytest.fail(f"{started} did not appear within {timeout} s")
            time.sleep(0.01)
        time.sleep(delay)
    finally:
        result = kill(process, log)
    if not result.killed:
        assert result.returncode == 0, result.stderr
    return result


# ---------------------------------------------------------------- what a kill leaves
def is_temporary(path: Path, root: Path) -> bool:
    """Inside a dot-prefixed file or folder (temp files, checkpoint staging): what readers never look at."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def assert_nothing_corrupt(root: Path) -> list[Path]:
    """Every Parquet file a reader would find parses fully; every leftover is a dot-prefixed temp. Returns them."""
    leftovers = []
    for path in sorted(root.rglob("*")):
        if is_temporary(path, root):
            name = path.relative_to(root).parts[-1]
            top = next(part for part in path.relative_to(root).parts if part.startswith("."))
            assert top.endswith((".tmp", ".partial")) or top.startswith(".stopped") or top == ".failed", path
            if name == top:
                leftovers.append(path)
            continue
        assert not path.name.endswith((".tmp", ".partial")), f"a temp file without a leading dot: {path}"
        if path.suffix == ".parquet":
            pq.read_table(path)  # raises on a truncated or corrupt file
        if path.suffix == ".json" and path.stat().st_size:
            import json

            json.loads(path.read_text())
    return leftovers


def run_folder_bytes(folder: Path) -> dict[str, bytes]:
    """The result files of a run folder (tables and final network; the manifest holds timings)."""
    return {name: (folder / name).read_bytes() for name in RUN_TABLES}


def sweep_bytes(out: Path) -> dict[str, bytes]:
    found = {str(p.relative_to(out)): p.read_bytes()
             for p in sorted(out.glob("runs/*/*")) if p.name in RUN_TABLES}
    found.update({name: (out / name).read_bytes() for name in ("runs.parquet", "summary.parquet")})
    return found


# ---------------------------------------------------------------- a file system that fills up
class FullDisk:
    """Fault injection: the file system under ``root`` fills up at the ``nth`` write to a path matching
    ``at`` (a glob over the whole path; ``"*"`` for the first write of all).

    That write puts ``keep`` of its bytes on disk and raises ``OSError(ENOSPC)``; so does every later write
    under ``root``, until :meth:`free` (``fsync=True``: the write goes through and the error comes from
    ``os.fsync``, as on file systems that allocate late). Covers files opened through ``open``/``io.open``
    (``pathlib`` too) and ``os.fdopen`` (atomic writes); an extension writing to a file descriptor from C is
    not covered (use the tmpfs test for those).
    """

    def __init__(self, monkeypatch, root: Path, at: str = "*", *, nth: int = 1, keep: float = 0.5,
                 fsync: bool = False):
        self.root, self.at, self.keep, self.fsync = str(Path(root).resolve()), at, keep, fsync
        self.nth, self.seen, self.full = nth, set(), False
        self.failures: list[str] = []
        fdopen, real_open, real_fsync = os.fdopen, io.open, os.fsync
        disk = self

        def path_of(fd: int) -> str:
            try:
                return os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                return ""

        def wrap(stream, path: str, mode: str):
            if any(c in mode for c in "wax+") and path.startswith(disk.root):
                return _FillingFile(stream, path, disk)
            return stream

        def patched_fdopen(fd, mode="r", *args, **kwargs):
            return wrap(fdopen(fd, mode, *args, **kwargs), path_of(fd), mode)

        def patched_open(file, mode="r", *args, **kwargs):
            stream = real_open(file, mode, *args, **kwargs)
            if isinstance(file, int):
                return wrap(stream, path_of(file), mode)
            return wrap(stream, os.path.abspath(os.fspath(file)), mode)

        def patched_fsync(fd):
            path = path_of(fd if isinstance(fd, int) else fd.fileno())
            if disk.fsync and path.startswith(disk.root) and disk.fills(path):
                disk.failures.append(path)
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_fsync(fd)

        monkeypatch.setattr(os, "fdopen", patched_fdopen)
        monkeypatch.setattr(io, "open", patched_open)
        monkeypatch.setattr(builtins, "open", patched_open)
        monkeypatch.setattr(os, "fsync", patched_fsync)
        self._undo = monkeypatch

    def fills(self, path: str) -> bool:
        """Whether a write to ``path`` finds the disk full (and whether it fills it now)."""
        if not self.full and fnmatch.fnmatch(path, self.at):
            self.seen.add(path)  # a file counts once, however many writes it takes
            self.full = len(self.seen) >= self.nth
        return self.full

    def free(self) -> None:
        """Space again (the patches stay, the disk is no longer full)."""
        self.full = False
        self.at = "\0never"


class _FillingFile:
    def __init__(self, stream, path: str, disk: FullDisk):
        self._stream, self._path, self._disk = stream, path, disk

    def write(self, data):
        disk = self._disk
        if disk.fsync:
            return self._stream.write(data)
        if disk.fills(self._path):
            disk.failures.append(self._path)
            part = data[: int(len(data) * disk.keep)]
            if part:
                self._stream.write(part)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._stream.write(data)

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def __iter__(self):
        return iter(self._stream)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._stream.close()
