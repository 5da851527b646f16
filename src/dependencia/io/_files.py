"""Helpers shared by the readers and writers: checked text input and atomic output.

Every reader goes through :func:`read_text` (CSV tables through
:func:`~dependencia.io.csvtable.read_csv_table`, which reads with it), so
every format rejects the same problems with the same messages: a missing
file, a folder where a file is expected, an empty file, binary data, text
that is not UTF-8. Every writer goes through :func:`write_bytes_atomic`: a
temp file beside the target, then a rename, so a failed write leaves nothing
behind and a symbolic link at the target is replaced, never written through.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_bytes_atomic(folder / "t.csv", b"a,b\\n1,2\\n")
>>> read_text(folder / "t.csv")
'a,b\\n1,2\\n'
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..base.atomic import write_atomic, write_text_atomic
from ..errors import InputError

__all__ = [
    "check_file", "is_missing", "line_at", "megabytes", "read_checked", "read_text", "write_bytes_atomic",
    "write_text_atomic",
]

_BOM = b"\xef\xbb\xbf"
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
              (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def megabytes(size: int) -> str:
    """A size for a message: MiB from 100,000 bytes on, else bytes."""
    return f"{size / 2**20:.1f} MiB" if size >= 100_000 else f"{size:,} bytes"


def check_file(path: str | os.PathLike[str]) -> Path:
    """Raise an :class:`InputError` unless ``path`` is an existing regular file."""
    target = Path(path)
    if not target.exists():
        raise InputError("no such file", source=str(path))
    if target.is_dir():
        raise InputError("this is a folder, but a file is expected here", source=str(path))
    try:
        mode = target.stat().st_mode
    except OSError as problem:
        raise InputError(f"cannot read the file: {problem.strerror or problem}", source=str(path)) from None
    if not stat.S_ISREG(mode):  # a pipe or a device would block the reader or never end
        raise InputError("this is not a regular file (a pipe, device or socket); give a file", source=str(path))
    return target


def read_text(path: str | os.PathLike[str], *, max_bytes: int | None = None, advice: str = "") -> str:
    """Read a UTF-8 text file (a byte order mark is accepted), rejecting what is not text.

    Parameters
    ----------
    path : path-like
    max_bytes : int, optional
        Refuse a larger file before reading it (``advice`` says what to do instead).

    Raises
    ------
    InputError
        A missing file, a folder, a pipe or device, a file over ``max_bytes``,
        an empty file (nothing but white space), a NUL byte (binary data) or
        bytes that are not UTF-8; the message names the line of the first bad
        byte.
    """
    return read_checked(path, max_bytes=max_bytes, advice=advice)[1]


def read_checked(
    path: str | os.PathLike[str], *, max_bytes: int | None = None, advice: str = ""
) -> tuple[bytes, str]:
    """:func:`read_text`, also returning the bytes (without a byte order mark)."""
    target = check_file(path)
    if max_bytes is not None:
        size = target.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"the file is too large to read safely: {megabytes(size)}, at most {megabytes(max_bytes)}"
                + (f"; {advice}" if advice else ""),
                source=str(path),
            )
    try:
        data = target.read_bytes()
    except OSError as problem:
        raise InputError(f"cannot read the file: {problem.strerror or problem}", source=str(path)) from None
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            raise InputError(
                f"this is {encoding} text; save the file as UTF-8", source=str(path), where="line 1"
            )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            "this is binary data, not a text file (a NUL byte)", source=str(path), where=f"line {line_at(data, nul)}"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        bad = data[problem.start]
        raise InputError(
            f"the file is not UTF-8 text: byte 0x{bad:02x} cannot be decoded (save the file as UTF-8)",
            source=str(path), where=f"line {line_at(data, problem.start)}",
        ) from None
    if not text.strip():
        raise InputError("the file is empty", source=str(path))
    return data, text


def line_at(data: bytes, offset: int) -> int:
    """The 1-based line of byte ``offset`` in ``data``."""
    return data.count(b"\n", 0, offset) + 1


def is_missing(value: Any) -> bool:
    """True for None and float NaN (numpy floats included)."""
    return value is None or (isinstance(value, (float, np.floating)) and math.isnan(value))


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file beside it, then rename)."""

    def put(stream: IO[bytes]) -> None:
        stream.write(data)

    write_atomic(path, put)
