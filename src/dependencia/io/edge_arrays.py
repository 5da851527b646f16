"""A plain edge list read straight to integer arrays, without the model's tables (issue 19: peak memory).

:func:`plain_edge_arrays` reads an edge list whose dependencies need nothing
but a source, a target and perhaps a length (no ``via``, ``dimension``,
``strength`` or ``channel`` column), with an optional actors file that
names only ids, and returns the node ids and each row's two ends as
integers: what the engines need, without building and validating the
Network's pandas tables (about 40 MB of Python objects for 95,000 rows).
Anything beyond that simple case, and anything the full reader would
refuse or warn about, returns None, so that the caller reads the file with
:func:`~dependencia.io.edgelist.read_edge_list` and gets its result or its
error: the arrays are only ever those of a file that reader accepts without
a warning, and the node order is the same (the actors file first, then
first appearance, row by row, source before target).

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

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._columns import KNOWN_COLUMNS, suggestion
from .csvtable import read_csv_table
from .edgelist import endpoints

__all__ = ["EdgeArrays", "plain_edge_arrays"]

# columns that make a dependency more than its two ends (or that the reader refuses)
_NOT_PLAIN = frozenset({"dependent", "provider", "via", "dimension", "strength", "channel"})


@dataclass(frozen=True)
class EdgeArrays:
    """An edge list as arrays: node ``i`` is ``node_ids[i]``; row ``r`` is ``source[r] -> target[r]``.

    ``length`` holds each row's length (None for hop counts). Every node is
    an actor of the default kind.
    """

    node_ids: np.ndarray
    source: np.ndarray
    target: np.ndarray
    length: np.ndarray | None


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
        not a finite number > 0, or an actors file with other columns,
        missing, blank or repeated ids, or without some target.

    Raises
    ------
    InputError
        What :func:`~dependencia.io.csvtable.read_csv_table` refuses (a file
        that is not a CSV table), exactly as the full reader raises it.
    """
    edges = read_csv_table(path, required=("source", "target")).frame
    columns = [str(name) for name in edges.columns]
    if len(edges) == 0 or _NOT_PLAIN.intersection(columns):
        return None
    if any(name not in KNOWN_COLUMNS["edges"] and suggestion(name, KNOWN_COLUMNS["edges"]) for name in columns):
        return None  # the full reader warns about it
    lengths = None
    if length is not None:
        lengths = _lengths(edges, length)
        if lengths is None:
            return None
    if not (_present(edges["source"]) and _present(edges["target"])):
        return None
    if (edges["source"].to_numpy(dtype=object) == edges["target"].to_numpy(dtype=object)).any():
        return None  # a self-dependency
    dependent, provider, ids, _ = endpoints(edges)
    del edges
    if actors is not None:
        listed = read_csv_table(actors, required=("id",)).frame
        if list(listed.columns) != ["id"] or not _present(listed["id"]) or listed["id"].duplicated().any():
            return None
        given = pd.Index(listed["id"].to_numpy(dtype=object))
        if not pd.Index(provider.to_numpy()).isin(given).all():
            return None  # a target the actors file does not list: the full reader names it
        ids = np.concatenate([given.to_numpy(dtype=object), ids[~pd.Index(ids).isin(given)]])
    index = pd.Index(ids, dtype=object)
    return EdgeArrays(
        node_ids=ids,
        source=index.get_indexer(dependent.to_numpy()).astype(np.int64),
        target=index.get_indexer(provider.to_numpy()).astype(np.int64),
        length=lengths,
    )


def _present(column: pd.Series) -> bool:
    """True when no cell is missing or blank (the model refuses both as ids)."""
    return not column.isna().any() and not (column.str.strip() == "").any()


def _lengths(edges: pd.DataFrame, name: str) -> np.ndarray | None:
    """The column ``name`` as lengths, parsed as the full reader parses it; None unless all finite and > 0."""
    from .csvtable import numeric_column

    if name not in edges.columns or name in ("source", "target"):
        return None
    values = numeric_column(edges[name], integers=False)
    if values is None:
        return None
    numbers = values.to_numpy(dtype=float)
    return numbers if bool((np.isfinite(numbers) & (numbers > 0)).all()) else None
