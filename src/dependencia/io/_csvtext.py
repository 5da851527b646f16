"""A CSV file's text, delimiter and header, checked without pandas (shared by :mod:`.csvtable` and :mod:`.edge_arrays`).

:func:`read_header` reads a file through :func:`~dependencia.io._files.read_checked`,
refuses a line too long to be a table row, finds the delimiter and reads the
header row, with the messages every CSV reader of the package gives.
:mod:`.csvtable` parses the rows into a pandas table; the plain edge-list path
of ``power --by node`` (issue 19: peak memory) parses them with the ``csv``
module.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "e.csv"
>>> _ = path.write_text("source;target\\na;b\\n")
>>> found = read_header(path, required=("source",))
>>> found.delimiter, found.header
(';', ['source', 'target'])
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field

from ..errors import InputError
from ._columns import suggestion
from ._files import line_at, megabytes, read_checked

__all__ = ["DECIMAL_COMMA", "DELIMITER_NAMES", "MAX_CSV_LINE", "CsvText", "read_header"]

#: The longest line a CSV file may have (a longer one is not a table row but, say, a file without line breaks).
MAX_CSV_LINE = 1 << 20
#: How a delimiter other than the comma is named in a message.
DELIMITER_NAMES = {";": "';'", "\t": "tabs"}
#: A number written with a decimal comma (refused in a file separated by ``;`` or tabs).
DECIMAL_COMMA = r"\s*[+-]?\d*,\d+\s*"


@dataclass(frozen=True)
class CsvText:
    """A CSV file read as text: its bytes and text, the name it was given, its delimiter and header names."""

    data: bytes = field(repr=False)
    text: str = field(repr=False)
    source: str
    delimiter: str
    header: list[str]


def read_header(path: str | os.PathLike[str], *, required: tuple[str, ...] = ()) -> CsvText:
    """Read ``path`` and its header row; raise :class:`InputError` where :func:`.csvtable.read_csv_table` does.

    That is: what :func:`~dependencia.io._files.read_checked` rejects, a line
    over :data:`MAX_CSV_LINE` bytes, a header with an empty or repeated column
    name, or a missing ``required`` column (with a hint at a name that looks
    like its misspelling).
    """
    data, text = read_checked(path)
    source = str(path)
    _check_line_lengths(data, source)
    delimiter = _delimiter(text)
    header = _header(text, source, delimiter)
    missing = [name for name in required if name not in header]
    if missing:
        names = " and ".join(repr(m) for m in missing)
        found = ", ".join(repr(h) for h in header)
        raise InputError(
            f"no {names} column: the first row must be a header naming the columns "
            f"({', '.join(required)}, ...); found {found}{_misspelled(missing, header)}",
            source=source, where="line 1",
        )
    return CsvText(data, text, source, delimiter, header)


def _check_line_lengths(data: bytes, source: str, limit: int = MAX_CSV_LINE) -> None:
    """Refuse a line longer than ``limit`` bytes, naming it; reads only a few bytes per ``limit / 2``.

    A line of ``limit`` bytes or more covers at least one whole block of
    ``limit // 2`` bytes (blocks aligned at multiples of that size), so only
    blocks without a line break need a closer look.
    """
    block = limit // 2
    for start in range(0, len(data), block):
        if data.find(b"\n", start, start + block) >= 0:
            continue
        begin = data.rfind(b"\n", 0, start) + 1
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if end - begin > limit:
            raise InputError(
                f"this line is {megabytes(end - begin)} long, more than a CSV row may be ({megabytes(limit)}); "
                "is this a CSV file with line breaks?",
                source=source, where=f"line {line_at(data, begin)}",
            )


def _delimiter(text: str) -> str:
    """``,``; or ``;`` or a tab when the header row has no comma but those (the more frequent of the two)."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if "," in first:
        return ","
    semicolons, tabs = first.count(";"), first.count("\t")
    if not semicolons and not tabs:
        return ","
    return ";" if semicolons >= tabs else "\t"


def _misspelled(missing: list[str], header: list[str]) -> str:
    """``; is 'sorce' meant to be 'source'?`` for a missing column that a header name looks like."""
    hints = []
    for name in header:
        close = suggestion(name, missing)
        if close is not None and close not in header:
            hints.append(f"is {name!r} meant to be {close!r}?")
    return f"; {' '.join(hints)}" if hints else ""


def _header(text: str, source: str, delimiter: str = ",") -> list[str]:
    try:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error as problem:
        raise InputError(f"the header row cannot be read: {problem}", source=source, where="line 1") from None
    names = [name.strip() for name in first]
    if not names or not any(names):
        raise InputError(
            "the first row must be a header naming the columns; it is empty", source=source, where="line 1"
        )
    for position, name in enumerate(names, start=1):
        if not name:
            raise InputError(f"column {position} has no name in the header", source=source, where="line 1")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(f"the header names column {name!r} twice", source=source, where="line 1")
        seen.add(name)
    return names
