"""The edge list: one dependency per CSV row, a convenience input (ARCHITECTURE §2.1).

The header row is required and must name ``source`` and ``target``: the
source depends on the target. Optional columns ``dimension``, ``strength``
and ``channel`` are the dependency's fields; ``via`` names the
infrastructures a dependency passes, separated by semicolons. An edge list
cannot say who owns an infrastructure, so the infrastructures it names have
no owner (nobody controls them); use a CSV bundle or a model file to give
them owners. Every other column is kept as a dependency attribute, a
float64 column when every non-empty cell is a number (so ``--length COLUMN``
can use it as path length), text otherwise. Parallel rows stay separate
dependencies (the compiled graph collapses them).

An optional actors CSV has an ``id`` column and attribute columns (``kind``,
``label``, ``budget``, ``unit_cost`` and free ones, numbers when every cell is
a number). Actors it lists that appear in no edge are isolated nodes; edge
endpoints it does not list are added. Actor order: the actors file first,
then first appearance in the edge list (row by row, source before target).

Reading is vectorized (pyarrow's CSV parser, numpy and pandas on whole
columns): a million rows take a few seconds, most of it the model's validation.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "edges.csv").write_text("source,target,distance\\nann,shop,2\\nbob,shop,0.5\\n")
>>> _ = (folder / "actors.csv").write_text("id,kind\\nshop,firm\\nzoe,person\\n")
>>> net = read_edge_list(folder / "edges.csv", actors=folder / "actors.csv")
>>> list(net.actors.index), list(net.actors["kind"])
(['shop', 'zoe', 'ann', 'bob'], ['firm', 'person', 'actor', 'actor'])
>>> net.dependencies["distance"].tolist()
[2.0, 0.5]
"""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd

from .. import _schema as schema
from ..errors import InputError, shown
from ..model import Network
from ._csvcells import frame_to_csv, known_or_free, lossy_columns
from ._files import CsvTable, numeric_column, read_csv_table, write_text_atomic
from ._records import dimension_settings_lost, free_columns

__all__ = ["read_edge_list", "write_edge_list"]

_FIELDS = ("dimension", "strength", "channel")
_RENAMED = {"dependent": "source", "provider": "target"}
_WRITTEN = ("source", "target", "dimension", "strength", "channel")


def read_edge_list(path: str | os.PathLike[str], *, actors: str | os.PathLike[str] | None = None) -> Network:
    """Read an edge list CSV, with an optional actors CSV.

    Parameters
    ----------
    path : path-like
        The edge list: a header row with ``source`` and ``target``.
    actors : path-like, optional
        An actors CSV with an ``id`` column.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        A missing header or ``source``/``target`` column, a header without
        rows (and no actors), a self-dependency, a bad strength, a duplicate
        actor id, ... with file, line and column.
    """
    edges = read_csv_table(path, required=("source", "target"))
    frame = edges.frame
    for name in _RENAMED:
        if name in frame.columns:
            raise edges.error(
                f"column {name!r} is reserved in an edge list (the columns are source and target)", None, name
            )
    deps: dict[str, pd.Series] = {"dependent": frame["source"], "provider": frame["target"]}
    infrastructures, infra_rows = None, np.zeros(0, dtype=np.int64)
    if "via" in frame.columns and frame["via"].notna().any():
        deps["via"], infrastructures, infra_rows = _routes(edges)
    for name in frame.columns:
        if name in ("source", "target", "via"):
            continue
        if name in _FIELDS:
            deps[name] = frame[name]
        else:
            values = numeric_column(frame[name], integers=False)
            if values is None:  # not all numbers: text, None where empty
                text = frame[name].astype(object)
                values = text.where(text.notna(), None)
            deps[name] = values
    listed = read_csv_table(actors, required=("id",)) if actors is not None else None
    if frame.empty and (listed is None or listed.frame.empty):  # a truncated export, not a network
        raise InputError(
            "the edge list has a header but no rows: no dependencies"
            + (", and the actors file lists no actors" if listed is not None else " (and no --actors file)"),
            source=str(path), where="line 2",
        )
    actor_frame, first_seen = _actors(frame, listed)
    n_listed = 0 if listed is None else len(listed.frame)
    # the locator lives as long as the Network: it keeps line maps, not cells
    edge_lines = edges.lines
    actor_lines = None if listed is None else listed.lines

    def locate(table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
        if table == "dependencies":
            return edge_lines.path, edge_lines.where(row, _RENAMED.get(field or "", field))
        if table == "actors" and actor_lines is not None and (row is None or row < n_listed):
            return actor_lines.path, actor_lines.where(row, field)
        if table == "actors" and row is not None:
            position = int(first_seen[row - n_listed])
            return edge_lines.path, edge_lines.where(position // 2, ("source", "target")[position % 2])
        if table == "infrastructures" and row is not None:
            return edge_lines.path, edge_lines.where(int(infra_rows[row]), "via")
        return edge_lines.path, schema.record_locator(table, row, field)[1]

    try:
        return Network(actor_frame, pd.DataFrame(deps), infrastructures=infrastructures, locate=locate)
    except InputError as problem:
        raise _in_edge_list_words(problem) from None


def _in_edge_list_words(problem: InputError) -> InputError:
    """Say ``target is missing`` where the model would say ``provider is missing``."""
    match = re.search(r"column (source|target)$", problem.where or "")
    if match is None:
        return problem
    message = re.sub(r"^(dependent|provider|id)\b", match.group(1), problem.message)
    return InputError(message, source=problem.source, where=problem.where)


def _routes(edges: CsvTable) -> tuple[pd.Series, pd.DataFrame, np.ndarray]:
    """The ``via`` column as id tuples, and the (ownerless) infrastructures it names.

    Also returns, for each infrastructure, the row where it first appears.
    Only rows with a route are visited one by one.
    """
    column = edges.frame["via"]
    routed = np.flatnonzero(column.notna().to_numpy())
    via = np.empty(len(column), dtype=object)
    via[:] = [()] * len(column)
    first_row: dict[str, int] = {}
    for row, cell in zip(routed.tolist(), column.iloc[routed].tolist()):
        route = tuple(part.strip() for part in cell.split(schema.VIA_SEPARATOR))
        if not all(route):
            raise edges.error(f"via has an empty infrastructure id: {shown(cell)}", row, "via")
        via[row] = route
        for infra in route:
            first_row.setdefault(infra, row)
    infrastructures = pd.DataFrame(
        {"id": pd.Series(list(first_row), dtype=object), "owner": pd.Series([None] * len(first_row), dtype=object)}
    )
    return pd.Series(via, dtype=object), infrastructures, np.asarray(list(first_row.values()), dtype=np.int64)


def _actors(frame: pd.DataFrame, listed: CsvTable | None) -> tuple[pd.DataFrame, np.ndarray]:
    """Actors of the actors file, then edge endpoints in order of first appearance.

    Also returns, for each added actor, its position in the interleaved
    source/target array (row = position // 2), to locate errors.
    """
    n = len(frame)
    ends = np.empty(2 * n, dtype=object)
    ends[0::2] = frame["source"].to_numpy(dtype=object)
    ends[1::2] = frame["target"].to_numpy(dtype=object)
    # factorize numbers the ids in order of first appearance (missing: -1)
    codes, uniques = pd.factorize(ends)
    seen, positions = np.unique(codes, return_index=True)
    positions = positions[seen >= 0]
    ids = np.asarray(uniques, dtype=object)
    if listed is not None:
        columns = {name: known_or_free(listed, "actors", name) for name in listed.frame.columns}
        given = pd.DataFrame(columns, index=listed.frame.index)
        new = ~pd.Index(ids).isin(given["id"].dropna())
        ids, positions = ids[new], positions[new]
    added = pd.DataFrame({"id": pd.Series(ids, dtype=object)})
    if listed is None:
        return added, positions
    return pd.concat([given, added], ignore_index=True), positions


def write_edge_list(network: Network, path: str | os.PathLike[str]) -> list[str]:
    """Write the dependencies of ``network`` as an edge list CSV.

    Columns: ``source, target, dimension, strength, channel``, ``via`` when
    some dependency has a route, and the free dependency attributes. An edge
    list cannot say who owns an infrastructure or what it costs, nor hold an
    infrastructure that no route passes (see :func:`read_edge_list`).

    Returns
    -------
    list of str
        What an edge list cannot express and the file therefore lacks, only
        what ``network`` has: isolated actors, actor attributes,
        infrastructures' owners and costs, needs, ownership, authority,
        dimension settings, attributes CSV text does not keep.
    """
    deps = network.dependencies.rename(columns={"dependent": "source", "provider": "target"})
    free = free_columns(network, "dependencies")
    written = list(_WRITTEN)
    if len(deps) and deps["via"].map(len).any():
        written.append("via")
    text = frame_to_csv(deps[written + free])
    dropped = _dropped(network)
    dropped += [f"dependency attribute {name} (CSV keeps numbers and text only)" for name in lossy_columns(deps, free)]
    write_text_atomic(path, text)
    return dropped


def _dropped(network: Network) -> list[str]:
    dropped = []
    deps = network.dependencies
    in_edges = pd.concat([deps["dependent"], deps["provider"]]).unique()
    isolated = int((~network.actors.index.isin(in_edges)).sum())
    if isolated:
        dropped.append(_count(isolated, "isolated actor"))
    actors = network.actors
    with_values = []
    for name in actors.columns:
        column = actors[name]
        if (column != schema.DEFAULT_KIND).any() if name == "kind" else column.notna().any():
            with_values.append(name)
    if with_values:
        dropped.append(f"actor attributes {', '.join(with_values)}")
    infras = network.infrastructures
    on_routes = {infra for route in deps["via"].tolist() for infra in route}
    unused = int((~infras.index.isin(list(on_routes))).sum())
    if unused:
        dropped.append(f"{_count(unused, 'infrastructure')} on no route")
    described = [name for name in infras.columns if infras[name].map(lambda v: not _empty(v)).any()]
    if described:
        dropped.append(f"infrastructure attributes {', '.join(described)}")
    for table, noun in (("needs", "need"), ("ownership", "ownership record"), ("authority", "authority record")):
        if len(getattr(network, table)):
            dropped.append(_count(len(getattr(network, table)), noun))
    lost = dimension_settings_lost(network, [deps["dimension"]])
    if lost:
        dropped.append(lost)
    return dropped


def _empty(value: object) -> bool:
    return value is None or value == () or (isinstance(value, float) and np.isnan(value))


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
