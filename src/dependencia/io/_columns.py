"""Strict reading: columns and ids that look misspelled, reported as warnings or, strictly, as errors.

A CSV file may carry columns its format does not define: they are kept as
free attributes (a ``distance`` to use as path length, a ``region`` to
report). A column whose name is close to a known one (``strenght``,
``dimenson``, ``Strength``, ``unit cost``) or a common other name for one
(``route`` for ``via``) is most likely a typo, and a typo silently turns a
known field into a free attribute (every strength 1, every route gone): such
a column is reported as an :class:`~dependencia.errors.InputWarning`, and
refused with ``strict=True`` (``--strict``). Other unknown columns are kept
without a word.

Examples
--------
>>> suggestion("strenght", ("source", "target", "strength"))
'strength'
>>> suggestion("route", ("source", "target", "via"))
'via'
>>> suggestion("distance", ("source", "target", "dimension", "strength")) is None
True
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Iterable, Sequence

from ..errors import InputWarning, shown
from ..network.fields import SCHEMAS

__all__ = ["KNOWN_COLUMNS", "Notes", "closest_id", "did_you_mean", "suggestion"]

#: How close (difflib's ratio) an unknown name must be to a known one to look like its typo.
CUTOFF = 0.8
#: Other names people give the known columns (checked before the spelling).
ALIASES = {"route": "via", "routes": "via", "infrastructure": "via", "infrastructures": "via", "owned_by": "owner",
           "source": "dependent", "target": "provider"}  # the last two: the edge list's names in a bundle
#: The columns each CSV table knows (``id`` first for keyed tables).
KNOWN_COLUMNS: dict[str, tuple[str, ...]] = {
    table: (("id",) if schema.keyed else ()) + schema.names for table, schema in SCHEMAS.items()
}
KNOWN_COLUMNS["edges"] = ("source", "target", "dimension", "strength", "channel", "via")
#: Above this many ids, an unknown id gets no "did you mean" (difflib compares with each one).
MAX_IDS_TO_COMPARE = 50_000


def _plain(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def suggestion(name: str, known: Sequence[str]) -> str | None:
    """The known column that ``name`` looks like a misspelling of, or None.

    ``name`` itself must not be known. It looks like one when it differs only
    in case, spaces or hyphens (``Unit Cost``), when it is a common other name
    (:data:`ALIASES`, only for a known column), or when difflib finds it close
    (ratio at least :data:`CUTOFF`).
    """
    plain = _plain(name)
    for candidate in known:
        if plain == candidate:
            return candidate
    alias = ALIASES.get(plain)
    if alias in known:
        return alias
    close = difflib.get_close_matches(plain, list(known), n=1, cutoff=CUTOFF)
    return close[0] if close else None


def closest_id(value: str, known: Iterable[str], *, size: int | None = None) -> str | None:
    """The known id closest to ``value`` (for "did you mean"), or None when none is close or there are too many."""
    if size is not None and size > MAX_IDS_TO_COMPARE:
        return None
    candidates = [k for k in known if isinstance(k, str)]
    if len(candidates) > MAX_IDS_TO_COMPARE:
        return None
    close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.75)
    return close[0] if close else None


def did_you_mean(value: str | None) -> str:
    """`` (did you mean 'x'?)`` for a suggestion, nothing for None."""
    return f" (did you mean {shown(value)}?)" if value is not None else ""


class Notes:
    """The warnings of one read: collected, then issued; with ``strict`` the first is raised as an error.

    Examples
    --------
    >>> notes = Notes(strict=True)
    >>> notes.add("unknown column 'x'", source="e.csv", where="line 1")
    Traceback (most recent call last):
    ...
    dependencia.errors.InputError: e.csv, line 1: unknown column 'x'; strict reading refuses it
    """

    def __init__(self, *, strict: bool = False):
        self.strict = strict
        self.items: list[InputWarning] = []

    def add(self, message: str, *, source: str | None = None, where: str | None = None,
            lenient: str = "") -> None:
        """Record a warning (``lenient``, what reading does about it, is appended); raise if strict."""
        warning = InputWarning(message, source=source, where=where)
        if self.strict:
            raise warning.as_error("strict reading refuses it")
        self.items.append(InputWarning(f"{message}; {lenient}" if lenient else message, source=source, where=where))

    def unknown_columns(self, columns: Iterable[str], table: str, *, source: str, what: str = "column") -> None:
        """Report the columns of a CSV file that look like misspelled known ones (see :func:`suggestion`)."""
        known = KNOWN_COLUMNS[table]
        for name in columns:
            if name in known:
                continue
            close = suggestion(name, known)
            if close is not None:
                self.add(f"unknown {what} {shown(name)}{did_you_mean(close)}", source=source, where="line 1",
                         lenient="kept as a free attribute")

    def emit(self, stacklevel: int = 2) -> None:
        """Issue the recorded warnings through :mod:`warnings` (``stacklevel`` as for :func:`warnings.warn`)."""
        for warning in self.items:
            warnings.warn(warning, stacklevel=stacklevel + 1)

