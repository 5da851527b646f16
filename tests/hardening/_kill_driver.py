"""Run the dependencia command line and stop dead at a chosen write: the kill tests' subprocess (tests only).

    python _kill_driver.py MARKER HOOK [ARGS...]

HOOK says where the process stops:

``write:NAME[:N]``
    the N-th (default the first) atomic write (``dependencia.base.atomic``) of a
    file whose path ends with NAME: half of its bytes reach the temp file,
    then the process stops;
``rename:NAME[:N]``
    the N-th ``os.replace`` onto a path ending with NAME (an atomic write's
    temp file, or a checkpoint's staging folder, complete but not yet in
    place);
``file:NAME[:N]``
    the N-th plain write (``Path.write_bytes`` / ``Path.write_text``) of a
    path ending with NAME (the files of a checkpoint's staging folder): half
    of its bytes, then the process stops;
``none``
    no stop (kills at a random moment).

To stop is to create MARKER and sleep; the test SIGKILLs the process once
MARKER exists. Nothing of this is in the package: the hooks are monkeypatches
made here, before the command line runs. Forked worker processes inherit
them (a stop in a worker is the worker's).
"""

from __future__ import annotations

import os
import pathlib
import sys
import time

_state = {"marker": "", "name": "", "wanted": 1, "seen": 0}


def _matches(path: object) -> bool:
    if not str(path).endswith(_state["name"]):
        return False
    _state["seen"] += 1
    return _state["seen"] == _state["wanted"]


def _stop() -> None:
    pathlib.Path(_state["marker"]).touch()
    while True:  # until SIGKILL
        time.sleep(60)


class _HalfThenStop:
    """A file whose first write puts half of the bytes on disk, then stops the process."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, data):
        self._stream.write(data[: len(data) // 2])
        self._stream.flush()
        os.fsync(self._stream.fileno())
        _stop()

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._stream.close()


def install(marker: str, hook: str) -> None:
    """Patch the process so that it stops where ``hook`` says (see the module's docstring)."""
    kind, _, rest = hook.partition(":")
    name, _, nth = rest.partition(":")
    _state.update(marker=marker, name=name, wanted=int(nth or 1), seen=0)
    if kind == "write":
        fdopen = os.fdopen

        def patched_fdopen(fd, *args, **kwargs):
            stream = fdopen(fd, *args, **kwargs)
            temp = pathlib.Path(os.readlink(f"/proc/self/fd/{fd}"))
            if temp.name.startswith(".") and temp.name.endswith(".tmp"):
                # ".NAME.XXXXXXXX.tmp" is the temp file of NAME (dependencia.base.atomic)
                target = temp.with_name(temp.name[1:-len(".tmp")].rsplit(".", 1)[0])
                if _matches(target):
                    return _HalfThenStop(stream)
            return stream

        os.fdopen = patched_fdopen
    elif kind == "rename":
        replace = os.replace

        def patched_replace(source, target, *args, **kwargs):
            if _matches(target):
                _stop()
            return replace(source, target, *args, **kwargs)

        os.replace = patched_replace
    elif kind == "file":
        write_bytes, write_text = pathlib.Path.write_bytes, pathlib.Path.write_text

        def patched_write_bytes(self, data):
            if _matches(self):
                with open(self, "wb") as stream:
                    _HalfThenStop(stream).write(data)
            return write_bytes(self, data)

        def patched_write_text(self, data, *args, **kwargs):
            if _matches(self):
                with open(self, "wb") as stream:
                    _HalfThenStop(stream).write(data.encode())
            return write_text(self, data, *args, **kwargs)

        pathlib.Path.write_bytes = patched_write_bytes
        pathlib.Path.write_text = patched_write_text
    elif kind != "none":
        raise SystemExit(f"unknown hook {hook!r}")


if __name__ == "__main__":
    marker, hook, *args = sys.argv[1:]
    install(marker, hook)
    from dependencia.cli import main

    sys.exit(main(args))
