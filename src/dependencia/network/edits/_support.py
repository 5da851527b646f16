"""Argument checks and table building shared by the operations of :mod:`dependencia.network.edits`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...errors import UsageError
from .. import schema as schema
from ..model import Network
from ..records import records_to_frame
from ..schema import Locator, record_locator


def _check_new_id(network: Network, id: Any, what: str) -> None:
    if not isinstance(id, str) or not id.strip():
        raise UsageError(f"an {what} id must be a non-empty string, got {id!r}")
    if id in network.actors.index:
        raise UsageError(f"cannot add {what} {id!r}: the id is already an actor's id")
    if id in network.infrastructures.index:
        raise UsageError(f"cannot add {what} {id!r}: the id is already an infrastructure's id")
    if what == "infrastructure" and schema.VIA_SEPARATOR in id:
        raise UsageError(f"an infrastructure id may not contain ';': {id!r}")


def _check_actor(network: Network, actor: Any, context: str) -> None:
    if not isinstance(actor, str) or actor not in network.actors.index:
        kind = "an infrastructure, not an actor" if actor in network.infrastructures.index else "no such actor"
        raise UsageError(f"{context} {actor!r}: {kind}")


def _check_infrastructure(network: Network, infra: Any, context: str) -> None:
    if not isinstance(infra, str) or infra not in network.infrastructures.index:
        kind = "an actor, not an infrastructure" if infra in network.actors.index else "no such infrastructure"
        raise UsageError(f"{context} {infra!r}: {kind}")


def _check_dimensions(network: Network, dims: tuple[str, ...], what: str) -> None:
    unknown = [d for d in dims if d not in network.dimensions.index]
    if unknown:
        raise UsageError(
            f"{what}: unknown dimension {unknown[0]!r}; the network declares: {', '.join(network.dimensions.index)}"
        )


def _check_route(network: Network, route: tuple[str, ...], dimension: str, context: str) -> None:
    table = network.infrastructures
    for infra in route:
        if infra not in table.index:
            raise UsageError(f"{context}: no infrastructure {infra!r}")
    if len(set(route)) != len(route):
        raise UsageError(f"{context}: the route {list(route)} passes an infrastructure twice")
    for infra in route:
        served = table.at[infra, "dimensions"]
        if served and dimension not in served:
            raise UsageError(
                f"{context}: infrastructure {infra!r} does not serve dimension {dimension!r} "
                f"(it serves {', '.join(sorted(served))})"
            )


def _describe(deps: pd.DataFrame, row: int) -> str:
    return f"{deps['dependent'].iloc[row]} -> {deps['provider'].iloc[row]} in {deps['dimension'].iloc[row]}"


def _ids(values: str | Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    if values is None or isinstance(values, Mapping):
        raise UsageError(f"{what} must be a list of ids, got {values!r}")
    try:
        ids = tuple(dict.fromkeys(values))
    except TypeError:
        raise UsageError(f"{what} must be a list of ids, got {values!r}") from None
    bad = [v for v in ids if not isinstance(v, str) or not v.strip()]
    if bad:
        raise UsageError(f"{what} must be ids (non-empty strings), got {bad[0]!r}")
    return ids


def _route(via: Any, what: str) -> tuple[str, ...]:
    if isinstance(via, str):
        return (via,)
    if via is None or isinstance(via, Mapping) or not isinstance(via, Iterable):
        raise UsageError(f"{what} must be a list of infrastructure ids, got {via!r}")
    route = tuple(via)
    bad = [v for v in route if not isinstance(v, str) or not v.strip()]
    if bad:
        raise UsageError(f"{what} must be a list of infrastructure ids, got {bad[0]!r} in it")
    return route


def _routes(via: Any, count: int) -> list[tuple[str, ...]]:
    """One route for all rows, or one per row."""
    if isinstance(via, str) or (isinstance(via, Iterable) and not isinstance(via, Mapping)):
        items = [via] if isinstance(via, str) else list(via)
        if all(isinstance(v, str) for v in items):
            return [_route(items, "the route")] * count
        if all(not isinstance(v, str) for v in items):
            if len(items) != count:
                raise UsageError(f"{len(items)} routes for {count} rows; give one route, or one per row")
            return [_route(v, f"the route of row #{i + 1}") for i, v in enumerate(items)]
    raise UsageError(f"via must be a route (a list of infrastructure ids) or one route per row, got {via!r}")


def _positions(rows: Any, size: int, what: str) -> np.ndarray:
    values = [rows] if isinstance(rows, (int, np.integer)) else rows
    if isinstance(values, (str, Mapping)) or not isinstance(values, Iterable):
        raise UsageError(f"{what} rows must be integer positions, got {rows!r}")
    values = list(values)
    for value in values:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise UsageError(f"{what} rows must be integer positions, got {value!r}")
        if not 0 <= value < size:
            raise UsageError(f"no {what} at row {value}: the {what} table has {size} rows (0 to {size - 1})"
                             if size else f"no {what} at row {value}: the {what} table is empty")
    positions = np.asarray(values, dtype=np.int64)
    _, first = np.unique(positions, return_index=True)
    if len(first) != len(positions):
        twice = positions[np.setdiff1d(np.arange(len(positions)), first)[0]]
        raise UsageError(f"{what} row {int(twice)} is given twice")
    return positions


def _with_routes(via: np.ndarray, rows: np.ndarray, routes: list[tuple[str, ...]], index: pd.Index) -> pd.Series:
    """The via column with new routes at some rows (the others shared, not copied one by one)."""
    column = via.copy()
    cells = np.empty(len(routes), dtype=object)
    for i, route in enumerate(routes):  # one by one: numpy would spread equal-length tuples into 2-d
        cells[i] = route
    column[rows] = cells
    return pd.Series(column, index=index, dtype=object)


def _record_locator(name: str) -> Locator:
    def locate(table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
        return None, name + (f", {field}" if field else "")

    return locate


def _new_rows(records: list[dict[str, Any]], table: schema.Schema, locate: Locator) -> pd.DataFrame:
    """One validated row for a keyed table (actors, infrastructures)."""
    frame = records_to_frame(records, table.table, locate)
    return schema.normalize(frame, table, locate)


def _new_dependencies(network: Network, records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The records as a validated dependencies table, checked (a bad one named ``added dependency, #1``).

    The rows can be appended to the network's own table as they are (``Network.replace(..., _trusted=...)``),
    and their references are checked here (actors, infrastructures and the routes' dimensions, on a Network of
    the new rows with the network's actors and infrastructures): with the network's own tables unchanged,
    no cross-reference of the whole is left to check.
    """
    added = records_to_frame(records, "dependencies", record_locator)
    for name in ("dependent", "provider"):
        unknown = added.loc[~added[name].isin(network.actors.index), name] if name in added else pd.Series([])
        if len(unknown):
            raise UsageError(f"cannot add a dependency with {name} {unknown.iloc[0]!r}: no such actor")
    declared = network._dimensions_declared
    checked = Network(  # the network's own tables were validated with it: only the new rows and references
        network.actors, added, infrastructures=network.infrastructures,
        dimensions=network.dimensions if declared else None, locate=_added_locator,
        _normalized=frozenset({"actors", "infrastructures", *(("dimensions",) if declared else ())}),
    )
    # normalizing works column by column and row by row, and is idempotent: the network's validated table
    # followed by these validated rows is what normalizing the two together gives (tests/network/test_edits_append.py)
    return checked.dependencies


def _append(table: pd.DataFrame, new: pd.DataFrame, *, ignore_index: bool = False) -> pd.DataFrame:
    """``table`` with the rows of ``new`` after its own (new columns at the end, missing elsewhere)."""
    if len(new) == 0:
        return table
    if len(table) == 0:
        columns = list(table.columns) + [c for c in new.columns if c not in table.columns]
        out = new.reindex(columns=columns)
        return out.reset_index(drop=True) if ignore_index else out
    return pd.concat([table, new], ignore_index=ignore_index)


def _added_locator(table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
    if table != "dependencies" or row is None:
        return record_locator(table, row, field)
    return "added dependency", f"#{row + 1}" + (f", {field}" if field else "")
