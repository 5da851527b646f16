"""A plain edge list read straight to integer arrays, without the model's tables or pandas (issue 19: peak memory).

:func:`plain_edge_arrays` reads an edge list whose dependencies need nothing
but a source, a target and perhaps a length (no ``via``, ``dimension``,
``strength`` or ``channel`` column), with an optional actors file that
names only ids, and returns the node ids and each row's two ends as
integers: what the engines need, without building and validating the
Network's pandas tables (about 40 MB of Python objects for 95,000 rows), and
for hop counts without importing pandas at all (its import alone holds
about 70 MB), so that ``power --by node`` computes with only NumPy and
igraph loaded. The rows are read with the ``csv`` module, one record at a
time.

Anything beyond that simple case, and anything the full reader would
refuse, warn about or might read differently (a quoted cell, a short or
long row, a blank or all-white line, a number with a decimal comma in a
file separated by ``;`` or tabs), returns None, so that the caller reads
the file with :func:`~dependencia.io.edgelist.read_edge_list` and gets its
result or its error: the arrays are only ever those of a file that reader
accepts without a warning, and the node order is the same (the actors file
first, then first appearance, row by row, source before target). Lengths
are parsed by the full reader's own :func:`~dependencia.io.csvtable.numeric_column`
(the same floats, bit for bit), which imports pandas.
:func:`plain_edge_cells` reads the same files with every free column's
cells as text, for :mod:`.edgelist_plain` (``dp.read``'s lean path).

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "edges.csv").write_text("source,target,km\\nann,shop,2\\nbob,shop,0.5\\n")
>>> arrays = plain_edge_arrays(folder / "edges.csv", length="km")
>>> arrays.node_ids.tolist(), arrays.source.tolist(), arrays.target.tolist(), arrays.length.tolist()
(['ann', 'shop', 'bob'], [0, 2], [1, 1], [2.0, 0.5])
>>> _ = (folder / "routed.csv").write_text("source,target,via\\nann,shop,road\\n")
>>> plain_edge_arrays(folder / "routed.csv") is None  # a route: the full reader's work
True
"""

from __future__ import annotations

import csv
import io
import os
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..network.arrays import EdgeArrays  # defined beside the Network, which holds one until its tables are built
from ._columns import KNOWN_COLUMNS, suggestion
from ._csvtext import DECIMAL_COMMA, CsvText, read_header

__all__ = ["EdgeArrays", "EdgeCells", "plain_edge_arrays", "plain_edge_cells"]

# columns that make a dependency more than its two ends (or that the reader refuses)
_NOT_PLAIN = frozenset({"dependent", "provider", "via", "dimension", "strength", "channel"})
_DECIMAL = re.compile(DECIMAL_COMMA)


@dataclass(frozen=True)
class EdgeCells:
    """A plain edge list's ends as numbers (as :class:`EdgeArrays`) and its other columns as text cells.

    ``columns`` maps each free column, in file order, to its cells ('' where
    empty). ``n_listed`` is the number of actors the actors file lists (the
    first ``n_listed`` node ids; None without one). ``edge_rows[i]`` and
    ``actor_rows[i]`` are the record numbers of row ``i`` in the edge list and
    the actors file (0 for the first after the header, blank lines counted);
    ``edge_file`` and ``actor_file`` are each file's name (as given) and delimiter.
    """

    node_ids: np.ndarray
    source: np.ndarray
    target: np.ndarray
    n_listed: int | None
    columns: dict[str, list[str]]
    edge_file: tuple[str, str]
    edge_rows: np.ndarray
    actor_file: tuple[str, str] | None
    actor_rows: np.ndarray


class _NotPlain(Exception):
    """The file needs the full reader."""


def plain_edge_arrays(
    path: str | os.PathLike[str],
    *,
    actors: str | os.PathLike[str] | None = None,
    length: str | None = None,
) -> EdgeArrays | None:
    """The edge list ``path`` as :class:`EdgeArrays`, or None where it needs the full reader.

    Parameters
    ----------
    path : path-like
        An edge list CSV (docs/formats.md#edge-list-csv).
    actors : path-like, optional
        An actors CSV; only one with nothing but an ``id`` column is read here.
    length : str, optional
        The column to read as path lengths (every cell a finite number > 0).

    Returns
    -------
    EdgeArrays or None
        None when the file has a column beyond source, target and free
        numeric or text attributes, a column name that looks misspelled, a
        missing or blank end, a self-dependency, no rows, a length that is
        not a finite number > 0, a row the ``csv`` module and the full
        reader might read differently (see the module's docs), or an actors
        file with other columns, blank or repeated ids, or without some
        target.

    Raises
    ------
    InputError
        What the full reader refuses in the file or its header (not a
        readable text file, a line too long, an empty or repeated column
        name, no source or target column), with the full reader's message.
    """
    edges = _plain_header(path)
    if edges is None or length is not None and (length not in edges.header or length in ("source", "target")):
        return None
    try:
        index = _listed_ids(actors) if actors is not None else {}
        node_ids, source, target, cells = _ends(edges, index, len(index) if actors is not None else None,
                                                [] if length is None else [edges.header.index(length)])
        return EdgeArrays(node_ids, source, target, None if length is None else _lengths(cells[0]))
    except _NotPlain:
        return None


def plain_edge_cells(
    path: str | os.PathLike[str], *, actors: str | os.PathLike[str] | None = None
) -> EdgeCells | None:
    """The edge list ``path`` as :class:`EdgeCells`, or None where it needs the full reader.

    The same files as :func:`plain_edge_arrays` without ``length``, every
    free column's cells kept as text ('' where empty), and where each row and
    each listed actor is in its file (for the Network's locator).
    """
    edges = _plain_header(path)
    if edges is None:
        return None
    try:
        actor_rows = array("q")
        listed = read_header(actors, required=("id",)) if actors is not None else None
        index = _listed_ids(actors, actor_rows, listed) if actors is not None else {}
        free = [name for name in edges.header if name not in ("source", "target")]
        rows = array("q")
        node_ids, source, target, cells = _ends(edges, index, len(index) if actors is not None else None,
                                                [edges.header.index(name) for name in free], rows)
    except _NotPlain:
        return None
    return EdgeCells(
        node_ids=node_ids, source=source, target=target, n_listed=len(actor_rows) if actors is not None else None,
        columns=dict(zip(free, cells)), edge_file=(edges.source, edges.delimiter),
        edge_rows=np.frombuffer(rows, dtype=np.int64).copy(),
        actor_file=None if listed is None else (listed.source, listed.delimiter),
        actor_rows=np.frombuffer(actor_rows, dtype=np.int64).copy(),
    )


def _plain_header(path: str | os.PathLike[str]) -> CsvText | None:
    """The file's text and header; None when a column makes it more than plain, or looks misspelled."""
    edges = read_header(path, required=("source", "target"))
    columns = edges.header
    if _NOT_PLAIN.intersection(columns):
        return None
    if any(name not in KNOWN_COLUMNS["edges"] and suggestion(name, KNOWN_COLUMNS["edges"]) for name in columns):
        return None  # the full reader warns about it
    return edges


def _records(table: CsvText, numbers: array | None = None) -> Iterator[list[str]]:
    """The records after the header, each as many cells as the header names; raises :class:`_NotPlain` otherwise.

    Blank lines are skipped, as the full reader drops them; a quote anywhere,
    a record of another width, or a decimal comma in a file not separated
    by commas is left to the full reader. ``numbers``, if given, gets each
    record's number as the full reader counts them (0 for the first after the
    header, blank lines counted; without quotes a record is one line).
    """
    if '"' in table.text:
        raise _NotPlain
    width = len(table.header)
    # the bytes decoded a block at a time, as the text was (UTF-8, the same lines): a StringIO would hold a
    # copy of the whole text at four bytes a character (11 MB for the 95,000-row benchmark)
    lines = io.TextIOWrapper(io.BytesIO(table.data), encoding="utf-8", newline="")
    reader = csv.reader(lines, delimiter=table.delimiter)
    try:
        next(reader, None)
        for record in reader:
            if not record:
                continue
            if len(record) != width:
                raise _NotPlain
            if table.delimiter != "," and any(_DECIMAL.fullmatch(cell) for cell in record):
                raise _NotPlain  # the full reader refuses it, naming the cell
            if numbers is not None:
                numbers.append(reader.line_num - 2)
            yield record
    except csv.Error:  # a cell over the csv module's size limit
        raise _NotPlain from None


def _listed_ids(actors: str | os.PathLike[str], lines: array | None = None,
                listed: CsvText | None = None) -> dict[str, int]:
    """The ids of an actors file of nothing but ids, numbered in file order (``lines``: see :func:`_records`)."""
    listed = listed if listed is not None else read_header(actors, required=("id",))
    if listed.header != ["id"]:
        raise _NotPlain
    index: dict[str, int] = {}
    for (value,) in _records(listed, lines):
        if not value.strip() or value in index:
            raise _NotPlain  # a blank or repeated id: the full reader's error
        index[value] = len(index)
    return index


def _ends(
    edges: CsvText, index: dict[str, int], listed: int | None, keep: list[int], lines: array | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[list[str]]]:
    """Number the ends of every row in ``index`` (first appearance, source before target); the cells of ``keep``.

    Returns the node ids, each row's source and target number, and the
    cells of each column in ``keep``, a list per column.
    """
    s, t = edges.header.index("source"), edges.header.index("target")
    sources, targets = array("q"), array("q")
    cells: list[list[str]] = [[] for _ in keep]
    for record in _records(edges, lines):
        a, b = record[s], record[t]
        if a == b or not a.strip() or not b.strip():
            raise _NotPlain  # a self-dependency, a missing or blank end
        sources.append(index.setdefault(a, len(index)))  # the source first, as the full reader numbers them
        if listed is None:
            targets.append(index.setdefault(b, len(index)))
        else:
            target = index.get(b, listed)
            if target >= listed:  # a target the actors file does not list: the full reader names it
                raise _NotPlain
            targets.append(target)
        for column, k in zip(cells, keep):
            column.append(record[k])
    if not sources:
        raise _NotPlain
    return (np.array(list(index), dtype=object), np.frombuffer(sources, dtype=np.int64).copy(),
            np.frombuffer(targets, dtype=np.int64).copy(), cells)


def _lengths(cells: list[str]) -> np.ndarray:
    """The cells as lengths, parsed as the full reader parses them; :class:`_NotPlain` unless all finite and > 0."""
    import pandas as pd

    from .csvtable import numeric_column

    if any(not cell.strip() for cell in cells):
        raise _NotPlain  # a missing length
    values = numeric_column(pd.Series(cells, dtype=str), integers=False)
    if values is None:
        raise _NotPlain
    numbers = values.to_numpy(dtype=float)
    if not bool((np.isfinite(numbers) & (numbers > 0)).all()):
        raise _NotPlain
    return numbers
