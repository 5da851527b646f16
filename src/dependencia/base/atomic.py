"""Atomic file writes: a temp file in the same folder, then a rename.

A reader never sees a half-written file, a failed write leaves nothing
behind (an error such as a full disk names the target path), and a path
that is a symbolic link is replaced by the new file instead of writing
through the link to wherever it points. The temp file is
``.NAME.<random>.tmp``: dot-prefixed, so that listings and globs for
``*.parquet`` never pick it up, even when a killed process leaves it behind.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text_atomic(folder / "out.txt", "hello\\n")
>>> (folder / "out.txt").read_text()
'hello\\n'
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def write_atomic(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write`` on a temp file beside ``path``, then move it into place."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(target))
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as problem:  # name the path the caller gave, not the temp file
        raise type(problem)(problem.errno, problem.strerror, str(target)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o666 & ~_umask())
        os.replace(temp_name, target)
    except BaseException as problem:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        if isinstance(problem, OSError) and problem.errno is not None and problem.filename in (None, temp_name):
            # e.g. a full disk: name the path the caller gave, not the temp file (or nothing)
            raise OSError(problem.errno, problem.strerror, str(target)) from problem
        raise


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""

    def put(stream: IO[bytes]) -> None:
        stream.write(data)

    write_atomic(path, put)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
