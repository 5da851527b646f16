"""Reading input-output tables from disk with pymrio's parsers, refusing what could run code.

:func:`read_mrio` gives the ``IOSystem`` that :func:`dependencia.io.mrio.from_mrio`
turns into a network (``dependencia import mrio PATH --format FORMAT``). No
download happens here: the table's files must be on disk. pymrio's storage
format may hold pickle files, and reading one can run code, so a folder or
archive that holds one is refused before pymrio sees it.

Examples
--------
>>> sorted(FORMATS)
['eora', 'exiobase', 'oecd', 'pymrio', 'wiod']
>>> read_mrio("no-such-folder", format="pymrio")
Traceback (most recent call last):
...
dependencia.errors.InputError: no-such-folder: no such file or folder
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError

__all__ = ["FORMATS", "read_mrio"]

#: The formats of :func:`read_mrio` and the pymrio parser of each (``pymrio``: a folder ``save_all`` wrote).
FORMATS = {"oecd": "parse_oecd", "wiod": "parse_wiod", "exiobase": "parse_exiobase3", "eora": "parse_eora26",
           "pymrio": "load"}


def read_mrio(path: str | os.PathLike[str], *, format: str, year: int | None = None) -> Any:
    """Parse a table with pymrio (no download): ``format`` names the parser (:data:`FORMATS`).

    ``pymrio`` reads a folder that ``IOSystem.save_all`` wrote (its core
    only, not the extensions), in text or Parquet; pickle files are refused
    (reading one can run code). ``year`` goes to the OECD, WIOD and Eora
    parsers. A file the parser cannot read is an
    :class:`~dependencia.errors.InputError` naming it and pymrio's reason.
    """
    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}; formats: {', '.join(FORMATS)}")
    if year is not None and format in ("exiobase", "pymrio"):
        raise UsageError(f"year applies to the oecd, wiod and eora formats, not to {format}")
    source = str(path)
    if not Path(path).exists():
        raise InputError("no such file or folder", source=source)
    import pymrio

    arguments: dict[str, Any] = {} if year is None else {"year": year}
    if format in ("pymrio", "exiobase"):  # both read pymrio's storage format, which may hold pickles
        _refuse_pickles(Path(path))
    if format == "pymrio":
        arguments["subset"] = _saved_tables(Path(path))
    try:
        return getattr(pymrio, FORMATS[format])(path, **arguments)
    except MemoryError:
        raise
    except Exception as problem:  # pymrio's parsers fail in many ways on a file that is not theirs
        reason = " ".join(str(problem).split()) or "no reason given"
        raise InputError(f"pymrio cannot read this as {format}: {type(problem).__name__}: {reason}",
                         source=source) from None


def _saved_tables(folder: Path) -> list[str]:
    """The core tables to load from a ``save_all`` folder, after checking its file list."""
    parameters = folder / "file_parameters.json"
    if not parameters.is_file():
        raise InputError("not a folder written by pymrio's save_all (no file_parameters.json)", source=str(folder))
    try:
        files = json.loads(parameters.read_text(encoding="utf-8"))["files"]
        names = {key: str(entry["name"]) for key, entry in files.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as problem:
        raise InputError(f"unreadable file list: {type(problem).__name__}: {problem}", source=str(parameters)) from None
    for key, name in names.items():
        if Path(name).name != name or name in ("", ".", ".."):
            raise InputError(f"table {key!r}: file {name!r} is not in this folder", source=str(parameters))
    wanted = ("Z", "Y", "x") if "Z" in names else ("A", "L", "x", "Y")
    return [key for key in wanted if key in names]


def _refuse_pickles(path: Path) -> None:
    """Refuse a folder or zip archive that holds pickle files: pymrio would read them, and reading runs code."""
    if path.is_dir():
        names = [str(item.relative_to(path)) for item in path.rglob("*")]
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    else:
        return
    pickles = [name for name in names if name.lower().endswith((".pkl", ".pickle"))]
    if pickles:
        raise InputError(f"holds a pickle file ({pickles[0]}), which can run code when read: save the table "
                         "with table_format='txt' or 'parquet'", source=str(path))
