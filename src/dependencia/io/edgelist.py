"""The edge list: one dependency per CSV row, a convenience input (docs/formats.md#edge-list-csv).

The header row is required and must name ``source`` and ``target``: the
source depends on the target. Optional columns ``dimension``, ``strength``
and ``channel`` are the dependency's fields; ``via`` names the
infrastructures a dependency passes, separated by semicolons. Every other
column is kept as a dependency attribute, a float64 column when every
non-empty cell is a number (so ``--length COLUMN`` can use it as path
length), text otherwise; one whose name looks like a misspelled known column
(``strenght``) is reported (see :mod:`._columns`). Parallel rows stay
separate dependencies (the compiled graph collapses them).

An optional actors CSV has an ``id`` column and attribute columns (``kind``,
``label``, ``budget``, ``unit_cost`` and free ones, numbers when every cell is
a number). Actors it lists that appear in no edge are isolated nodes. With an
actors file, every ``target`` must be listed in it (a target it does not list
is most likely a typo, and an error naming its line); sources it does not
list are added. Actor order: the actors file first, then first appearance in
the edge list (row by row, source before target).

An optional infrastructures CSV has ``id`` and ``owner`` columns and
optionally ``dimensions`` (served, separated by semicolons), ``transit``
(``open`` or ``closed``; recorded, not used yet), ``build_cost``, ``upkeep``
and free attribute columns. With it, every id in ``via`` must be listed
there, and an infrastructure's owner controls it (its power counts to the
owner, docs/model.md#control). Without it, the infrastructures that ``via`` names have
no owner.

Reading is vectorized (pyarrow's CSV parser, numpy and pandas on whole
columns): a million rows take a few seconds, most of it the model's validation.
A plain edge list (no ``via``, ``dimension``, ``strength`` or ``channel``, no
quote, at most an actors file of ids) is read by :mod:`.edgelist_plain`
instead: the same Network, with less memory.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "edges.csv").write_text("source,target,via,distance\\nann,shop,road,2\\nbob,shop,,0.5\\n")
>>> _ = (folder / "actors.csv").write_text("id,kind\\nshop,firm\\nzoe,person\\n")
>>> _ = (folder / "infras.csv").write_text("id,owner\\nroad,zoe\\n")
>>> net = read_edge_list(folder / "edges.csv", actors=folder / "actors.csv", infrastructures=folder / "infras.csv")
>>> list(net.actors.index), list(net.actors["kind"])
(['shop', 'zoe', 'ann', 'bob'], ['firm', 'person', 'actor', 'actor'])
>>> net.dependencies["distance"].tolist(), net.infrastructures["owner"].to_dict()
([2.0, 0.5], {'road': 'zoe'})
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, shown
from ..network import schema as schema
from ..network.model import Network
from ._columns import Notes, closest_id, did_you_mean
from ._csvcells import check_transit, frame_to_csv, known_or_free, lossy_columns
from ._files import write_text_atomic
from ._records import dimension_settings_lost, free_columns
from .csvtable import CsvTable, read_csv_table
from .edgelist_plain import RENAMED, dependency_attribute, edge_list_locator, plain_edge_list_network

__all__ = ["read_edge_list", "write_edge_list"]

_FIELDS = ("dimension", "strength", "channel")
_RENAMED = RENAMED
_WRITTEN = ("source", "target", "dimension", "strength", "channel")


def read_edge_list(
    path: str | os.PathLike[str],
    *,
    actors: str | os.PathLike[str] | None = None,
    infrastructures: str | os.PathLike[str] | None = None,
    strict: bool = False,
) -> Network:
    """Read an edge list CSV, with an optional actors CSV and infrastructures CSV.

    Parameters
    ----------
    path : path-like
        The edge list: a header row with ``source`` and ``target``.
    actors : path-like, optional
        An actors CSV with an ``id`` column.
    infrastructures : path-like, optional
        An infrastructures CSV with ``id`` and ``owner`` columns.
    strict : bool, default False
        Refuse (raise) what is otherwise a warning: a column whose name looks
        like a misspelled known one.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        A missing header or ``source``/``target`` column, a header without
        rows (and no actors), a self-dependency, a bad strength, a duplicate
        actor id, a target the actors file does not list, a ``via`` id the
        infrastructures file does not list, an owner that is not an actor, a
        ``transit`` other than open or closed, ... with file, line and column.

    Warns
    -----
    InputWarning
        A column that looks like a misspelled known one (kept as a free
        attribute); a ``closed`` transit (not used yet).
    """
    notes = Notes(strict=strict)
    network = edge_list_network(path, actors=actors, infrastructures=infrastructures, notes=notes)
    notes.emit(stacklevel=2)
    return network


def edge_list_network(
    path: str | os.PathLike[str],
    *,
    actors: str | os.PathLike[str] | None = None,
    infrastructures: str | os.PathLike[str] | None = None,
    notes: Notes,
    try_plain: bool = True,
) -> Network:
    """:func:`read_edge_list`, collecting its warnings in ``notes`` (for :func:`dependencia.io.read`).

    A plain edge list (and actors file of ids) is read without pandas' CSV
    reader (:mod:`.edgelist_plain`, the same Network); anything else in full
    (``try_plain=False``: the caller found the file not plain).
    """
    if infrastructures is None and try_plain:
        plain = plain_edge_list_network(path, actors=actors)
        if plain is not None:
            return plain
    edges = read_csv_table(path, required=("source", "target"))
    frame = edges.frame
    for name in _RENAMED:
        if name in frame.columns:
            raise edges.error(
                f"column {name!r} is reserved in an edge list (the columns are source and target)", None, name
            )
    notes.unknown_columns(frame.columns, "edges", source=edges.path)
    dependent, provider, ids, positions = endpoints(frame)
    deps: dict[str, pd.Series] = {"dependent": dependent, "provider": provider}
    routed, infra_rows = None, np.zeros(0, dtype=np.int64)
    if "via" in frame.columns and frame["via"].notna().any():
        deps["via"], routed, infra_rows = _routes(edges)
    for name in frame.columns:
        if name in ("source", "target", "via"):
            continue
        deps[name] = frame[name] if name in _FIELDS else dependency_attribute(frame[name])
    listed = read_csv_table(actors, required=("id",)) if actors is not None else None
    if listed is not None:
        notes.unknown_columns(listed.frame.columns, "actors", source=listed.path)
    infra_file = read_csv_table(infrastructures, required=("id", "owner")) if infrastructures is not None else None
    if infra_file is not None:
        notes.unknown_columns(infra_file.frame.columns, "infrastructures", source=infra_file.path)
        check_transit(infra_file, notes)
    if frame.empty and (listed is None or listed.frame.empty):  # a truncated export, not a network
        raise InputError(
            "the edge list has a header but no rows: no dependencies"
            + (", and the actors file lists no actors" if listed is not None else " (and no --actors file)"),
            source=str(path), where="line 2",
        )
    infra_ids = pd.Index(infra_file.frame["id"].dropna()) if infra_file is not None else pd.Index([])
    if listed is not None:
        _check_targets(edges, listed, infra_ids)
    actor_frame, first_seen = _actors(ids, positions, listed)
    if infra_file is not None:
        if routed is not None:
            _check_routes(edges, routed, infra_rows, infra_file)
        infra_frame = pd.DataFrame(
            {name: known_or_free(infra_file, "infrastructures", name) for name in infra_file.frame.columns},
            index=infra_file.frame.index,
        )
        _check_owners(infra_file, pd.Index(actor_frame["id"].dropna()), listed)
    else:
        infra_frame = routed
    n_listed = 0 if listed is None else len(listed.frame)
    # the locator lives as long as the Network: it keeps line maps, not cells
    locate = edge_list_locator(edges.lines, None if listed is None else listed.lines, n_listed, first_seen,
                               None if infra_file is None else infra_file.lines, infra_rows)
    del listed, infra_file
    try:
        return Network(actor_frame, pd.DataFrame(deps), infrastructures=infra_frame, locate=locate)
    except InputError as problem:
        raise _in_edge_list_words(problem) from None


def _in_edge_list_words(problem: InputError) -> InputError:
    """Say ``target is missing`` where the model would say ``provider is missing``."""
    match = re.search(r"column (source|target)$", problem.where or "")
    if match is None:
        return problem
    message = re.sub(r"^(dependent|provider|id)\b", match.group(1), problem.message)
    return InputError(message, source=problem.source, where=problem.where)


def _check_targets(edges: CsvTable, listed: CsvTable, infra_ids: pd.Index) -> None:
    """With an actors file, every target must be listed there (a target it lacks is most likely a typo)."""
    known = pd.Index(listed.frame["id"].dropna())
    targets = edges.frame["target"]
    unknown = targets.notna().to_numpy() & ~targets.isin(known).to_numpy()
    if not unknown.any():
        return
    row = int(np.flatnonzero(unknown)[0])
    value = targets.iloc[row]
    name = Path(listed.path).name
    if value in infra_ids:
        message = (f"target {shown(value)} is an infrastructure, not an actor of {name}: a target is the actor "
                   "that provides; name the infrastructure in via")
    else:
        message = (f"target {shown(value)} is not in {name}{did_you_mean(closest_id(value, known, size=len(known)))}"
                   " (with an actors file, every target must be listed there; sources it lacks are added)")
    raise edges.error(message, row, "target")


def _check_routes(edges: CsvTable, routed: pd.DataFrame, infra_rows: np.ndarray, infra_file: CsvTable) -> None:
    """With an infrastructures file, every id in ``via`` must be listed there."""
    known = pd.Index(infra_file.frame["id"].dropna())
    unknown = ~routed["id"].isin(known).to_numpy()
    if not unknown.any():
        return
    first = int(np.argmin(np.where(unknown, infra_rows, np.iinfo(np.int64).max)))
    value = routed["id"].iloc[first]
    suggestion = closest_id(value, known, size=len(known))
    raise edges.error(f"via {shown(value)} is not in {Path(infra_file.path).name}{did_you_mean(suggestion)}",
                      int(infra_rows[first]), "via")


def _check_owners(infra_file: CsvTable, actor_ids: pd.Index, listed: CsvTable | None) -> None:
    """Every owner named in the infrastructures file must be an actor (listed, or in an edge)."""
    owners = infra_file.frame["owner"]
    unknown = owners.notna().to_numpy() & ~owners.isin(actor_ids).to_numpy()
    if not unknown.any():
        return
    row = int(np.flatnonzero(unknown)[0])
    value = owners.iloc[row]
    where = f"in {Path(listed.path).name}" if listed is not None else "in any edge (nor in an actors file)"
    suggestion = closest_id(value, actor_ids, size=len(actor_ids))
    raise infra_file.error(f"owner {shown(value)} is not an actor: not {where}{did_you_mean(suggestion)}",
                           row, "owner")


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


def endpoints(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, np.ndarray, np.ndarray]:
    """Sources and targets as object columns, the ids they name in order of first appearance, and where.

    The columns hold one ``str`` object per id, shared with the returned ids
    (a pointer per row instead of a copy of the id in every row: docs/performance.md,
    "Peak memory"); missing cells are None. First appearance runs row by row,
    source before target; ``positions[i]`` is where id ``i`` first appears in
    that interleaved order (row = position // 2), to locate errors.

    Examples
    --------
    >>> dependent, provider, ids, positions = endpoints(pd.DataFrame({"source": ["a", "b", None],
    ...                                                                 "target": ["b", "c", "a"]}))
    >>> dependent.tolist(), ids.tolist(), positions.tolist(), provider[0] is dependent[1]
    (['a', 'b', None], ['a', 'b', 'c'], [0, 1, 3], True)
    """
    n = len(frame)
    ends = np.empty(2 * n, dtype=object)
    ends[0::2] = frame["source"].to_numpy(dtype=object)
    ends[1::2] = frame["target"].to_numpy(dtype=object)
    # factorize numbers the ids in order of first appearance (missing: -1)
    codes, uniques = pd.factorize(ends)
    ids = np.asarray(uniques, dtype=object)
    shared = np.concatenate([ids, np.array([None], dtype=object)])[codes]  # code -1 (missing) takes the None
    seen, positions = np.unique(codes, return_index=True)
    columns = [pd.Series(shared[start::2], index=frame.index, dtype=object) for start in (0, 1)]
    return columns[0], columns[1], ids, positions[seen >= 0]


def _actors(ids: np.ndarray, positions: np.ndarray, listed: CsvTable | None) -> tuple[pd.DataFrame, np.ndarray]:
    """Actors of the actors file, then the edge endpoints ``ids`` it does not list (see :func:`endpoints`).

    Also returns, for each added actor, its position in the interleaved
    source/target order (row = position // 2), to locate errors.
    """
    if listed is not None:
        columns = {name: known_or_free(listed, "actors", name) for name in listed.frame.columns}
        given = pd.DataFrame(columns, index=listed.frame.index)
        new = ~pd.Index(ids).isin(given["id"].dropna())
        ids, positions = ids[new], positions[new]
    added = pd.DataFrame({"id": pd.Series(ids, dtype=object)})
    if listed is None:
        return added, positions
    return pd.concat([given, added], ignore_index=True), positions


#: The edge list's names for the two ends of a dependency.
_ENDS = {"dependent": "source", "provider": "target"}


def write_edge_list(network: Network, path: str | os.PathLike[str]) -> list[str]:
    """Write the dependencies of ``network`` as an edge list CSV.

    Columns: ``source, target, dimension, strength, channel``, ``via`` when
    some dependency has a route, and the free dependency attributes. The
    edge list alone cannot say who owns an infrastructure or what it costs,
    nor hold an infrastructure that no route passes (those belong in an
    infrastructures file, see :func:`read_edge_list`; write a CSV bundle or a
    model file to keep them).

    Returns
    -------
    list of str
        What an edge list cannot express and the file therefore lacks, only
        what ``network`` has: isolated actors, actor attributes,
        infrastructures' owners and costs, needs, ownership, authority,
        dimension settings, attributes CSV text does not keep.
    """
    free = free_columns(network, "dependencies")
    # a free attribute named like an edge-list column (`source`, `target`) cannot share the file
    ends = {column: end for end, column in _ENDS.items()}
    clashing = [name for name in free if name in ends]
    free = [name for name in free if name not in ends]
    deps = network.dependencies.drop(columns=clashing).rename(columns=_ENDS)
    written = list(_WRITTEN)
    if len(deps) and deps["via"].map(len).any():
        written.append("via")
    text = frame_to_csv(deps[written + free])
    dropped = _dropped(network)
    dropped += [f"dependency attribute {name} (the edge list's name for the {ends[name]}; a model file "
                "or a CSV bundle keeps it)" for name in clashing]
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
    described = [name for name in infras.columns if infras[name].map(lambda v: not _empty(v)).any()
                 and not (name == "transit" and (infras[name] == "closed").all())]  # closed: the default on reading
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
