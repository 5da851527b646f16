"""Dependencies: add, remove, reroute, and needs served."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...errors import UsageError
from .. import schema as schema
from ..model import Network
from ._support import (
    _append,
    _check_actor,
    _check_route,
    _describe,
    _new_dependencies,
    _positions,
    _route,
    _routes,
    _with_routes,
)
from .record import Edit

__all__ = ["add_dependencies", "add_needs", "remove_dependencies", "reroute", "serve_needs", "set_strengths",
           "switch_provider"]


def reroute(network: Network, rows: int | Iterable[int], via: str | Sequence[Any]) -> Edit:
    """Set the route of some dependencies.

    Parameters
    ----------
    network : Network
    rows : int or iterable of int
        Positions in ``network.dependencies`` (each at most once).
    via : route, or sequence of routes
        One route for all rows (a sequence of infrastructure ids, a bare id,
        or ``()`` for "served directly"), or one route per row (a sequence of
        sequences, as long as ``rows``).

    Returns
    -------
    Edit
        The rows whose route changed, rewritten in place.

    Raises
    ------
    UsageError
        A row out of range or given twice, a count of routes that does not
        match, an unknown infrastructure, a route that passes one twice or
        through one that does not serve the dependency's dimension.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records(
    ...     [{"id": "a"}, {"id": "b"}, {"id": "c"}],
    ...     [{"dependent": "a", "provider": "c"}, {"dependent": "b", "provider": "c"}],
    ...     infrastructures=[{"id": "X", "owner": "c"}, {"id": "Y", "owner": "c"}])
    >>> reroute(net, [0, 1], "X").network.dependencies["via"].tolist()
    [('X',), ('X',)]
    >>> reroute(net, [0, 1], [["X", "Y"], []]).network.dependencies["via"].tolist()
    [('X', 'Y'), ()]
    """
    deps = network.dependencies
    positions = _positions(rows, len(deps), "dependency")
    routes = _routes(via, len(positions))
    dims = deps["dimension"].to_numpy()[positions]
    old = deps["via"].to_numpy()
    checked: set[tuple[tuple[str, ...], str]] = set()
    for row, route, dim in zip(positions.tolist(), routes, dims.tolist()):
        if (route, dim) not in checked:
            _check_route(network, route, dim, f"cannot reroute dependency {row} ({_describe(deps, row)})")
            checked.add((route, dim))
    changed_at = [i for i, (row, route) in enumerate(zip(positions.tolist(), routes)) if old[row] != route]
    order = np.argsort(positions[changed_at], kind="stable")
    rewritten = positions[changed_at][order]
    new_routes = [routes[changed_at[i]] for i in order.tolist()]
    # only routes change, each checked above (its infrastructures exist, serve the row's dimension, none
    # twice): the table keeps its validated types, and every other reference is as it was
    changed = network.replace(dependencies=deps.assign(via=_with_routes(old, rewritten, new_routes, deps.index)),
                              _trusted=("dependencies",), _references_checked=True)
    return Edit(changed, network, removed=rewritten, added=rewritten)


def add_dependencies(network: Network, records: Sequence[Mapping[str, Any]]) -> Edit:
    """Append dependencies (records as for :meth:`Network.from_records`).

    Every record is validated as any network's dependencies are, before it is added.

    Returns
    -------
    Edit
        The new rows appended.

    Raises
    ------
    UsageError
        A dependent or provider that is not an actor.
    InputError
        A record that breaks the model's rules (named as ``added dependency, #1``).

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
    >>> edit = add_dependencies(net, [{"dependent": "b", "provider": "a", "dimension": "care"}])
    >>> edit.added.tolist(), list(edit.network.dimensions.index)
    ([1], ['default', 'care'])
    """
    added = _new_dependencies(network, records)
    # the rows are validated, and their references checked against the network's actors and infrastructures
    # (_new_dependencies); the network's own tables were, and are unchanged
    changed = network.replace(dependencies=_append(network.dependencies, added, ignore_index=True),
                              _trusted=("dependencies",), _references_checked=True)
    start = len(network.dependencies)
    return Edit(changed, network, added=np.arange(start, start + len(added), dtype=np.int64))


def serve_needs(
    network: Network,
    rows: int | Iterable[int],
    provider: str,
    *,
    via: str | Sequence[str] = (),
    channel: str = schema.DEFAULT_CHANNEL,
    strength: float = 1.0,
    **attributes: Any,
) -> Edit:
    """Serve needs: each becomes a dependency ``dependent -> provider`` in its dimension.

    Parameters
    ----------
    network : Network
    rows : int or iterable of int
        Positions in ``network.needs`` (each at most once). The new
        dependencies are appended in this order; the needs leave the table.
    provider : str
        The serving actor.
    via : route, default ()
        The route of every new dependency.
    channel : str, default "market"
    strength : float, default 1.0
    **attributes
        Free attributes of the new dependencies (e.g. a ``distance``).

    Returns
    -------
    Edit
        The new dependency rows appended.

    Raises
    ------
    UsageError
        A row out of range or given twice, an unknown provider, a provider
        serving its own need, or a bad route (as for :func:`reroute`).
    InputError
        A bad channel or strength (named as ``added dependency, #1``).

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records(
    ...     [{"id": "bund", "kind": "state"}, {"id": "town"}],
    ...     needs=[{"dependent": "town", "dimension": "rail"}])
    >>> served = serve_needs(net, [0], "bund", channel="public").network
    >>> served.dependencies[["dependent", "provider", "dimension", "channel"]].values.tolist()
    [['town', 'bund', 'rail', 'public']]
    >>> len(served.needs)
    0
    """
    needs = network.needs
    positions = _positions(rows, len(needs), "need")
    _check_actor(network, provider, "cannot serve needs: provider")
    route = _route(via, "the route")
    dependents = needs["dependent"].to_numpy()[positions]
    dims = needs["dimension"].to_numpy()[positions]
    own = np.flatnonzero(dependents == provider)
    if len(own):
        raise UsageError(f"cannot serve need {int(positions[own[0]])}: it is {provider!r}'s own need")
    for dim in dict.fromkeys(dims.tolist()):
        _check_route(network, route, dim, f"cannot serve the needs in dimension {dim!r}")
    records = [
        {"dependent": d, "provider": provider, "dimension": k, "strength": strength, "channel": channel,
         "via": route, **attributes}
        for d, k in zip(dependents.tolist(), dims.tolist())
    ]
    added = _new_dependencies(network, records)
    keep = np.ones(len(needs), dtype=bool)
    keep[positions] = False
    changed = network.replace(
        dependencies=_append(network.dependencies, added, ignore_index=True),
        needs=needs[keep].reset_index(drop=True), _trusted=("dependencies",),
    )
    start = len(network.dependencies)
    return Edit(changed, network, added=np.arange(start, start + len(added), dtype=np.int64))




def remove_dependencies(network: Network, triples: Sequence[tuple[str, str, str]]) -> Edit:
    """Remove every dependency matching one of the (dependent, provider, dimension) triples.

    Returns
    -------
    Edit
        The rows deleted.

    Raises
    ------
    UsageError
        A triple that matches no dependency.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
    >>> remove_dependencies(net, [("a", "b", "default")]).deleted.tolist()
    [0]
    """
    deps = network.dependencies
    keys = pd.MultiIndex.from_frame(deps[["dependent", "provider", "dimension"]])
    wanted = pd.MultiIndex.from_tuples(list(triples), names=["dependent", "provider", "dimension"])
    missing = [t for t in triples if t not in keys]
    if missing:
        raise UsageError(f"no dependency {':'.join(missing[0])} to remove")
    keep = np.asarray(~keys.isin(wanted))
    gone = np.flatnonzero(~keep)
    changed = network.replace(dependencies=deps[keep].reset_index(drop=True))
    return Edit(changed, network, removed=gone, deleted=gone)


def set_strengths(network: Network, rows: int | Iterable[int], strengths: float | Sequence[float]) -> Edit:
    """Set the strength of some dependencies (one value for all rows, or one per row).

    Returns
    -------
    Edit
        The rows rewritten in place.

    Raises
    ------
    UsageError
        A row out of range or given twice, or a count of values that does not match.
    InputError
        A strength the model refuses (not a positive number), named as ``dependencies, row N``.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
    >>> set_strengths(net, [0], 0.5).network.dependencies["strength"].tolist()
    [0.5]
    """
    deps = network.dependencies
    positions = _positions(rows, len(deps), "dependency")
    values = [strengths] * len(positions) if isinstance(strengths, (int, float, np.number)) else list(strengths)
    if len(values) != len(positions):
        raise UsageError(f"{len(values)} strengths for {len(positions)} dependency rows")
    column = deps["strength"].to_numpy(dtype=float).copy()
    column[positions] = values
    changed = network.replace(dependencies=deps.assign(strength=column))  # validated as any network
    rewritten = np.sort(positions)
    return Edit(changed, network, removed=rewritten, added=rewritten)


def switch_provider(network: Network, rows: int | Iterable[int], provider: str, *,
                    channel: str | None = None) -> Edit:
    """Give some dependencies a new provider (a dependent adopting an owner's offer), and a channel if given.

    Returns
    -------
    Edit
        The rows rewritten in place.

    Raises
    ------
    UsageError
        A row out of range or given twice, or an unknown provider.
    InputError
        A table the model refuses (a dependency on oneself), named as ``dependencies, row N``.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"], [{"dependent": "a", "provider": "b"}])
    >>> switch_provider(net, [0], "c").network.dependencies["provider"].tolist()
    ['c']
    """
    deps = network.dependencies
    positions = _positions(rows, len(deps), "dependency")
    _check_actor(network, provider, "cannot switch dependencies to provider")
    column = deps["provider"].to_numpy(dtype=object).copy()
    column[positions] = provider
    changes: dict[str, Any] = {"provider": column}
    if channel is not None:
        channels = deps["channel"].to_numpy(dtype=object).copy()
        channels[positions] = channel
        changes["channel"] = channels
    changed = network.replace(dependencies=deps.assign(**changes))  # validated as any network
    rewritten = np.sort(positions)
    return Edit(changed, network, removed=rewritten, added=rewritten)


def add_needs(network: Network, records: Sequence[Mapping[str, Any]]) -> Edit:
    """Add needs (records with ``dependent`` and ``dimension``) that are not already there.

    Returns
    -------
    Edit
        No dependency or node changes (a need is not an edge).

    Raises
    ------
    UsageError
        A dependent that is not an actor.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}], needs=[{"dependent": "a", "dimension": "rail"}])
    >>> add_needs(net, [{"dependent": "a", "dimension": "rail"}, {"dependent": "a", "dimension": "care"}]
    ...           ).network.needs[["dependent", "dimension"]].values.tolist()
    [['a', 'rail'], ['a', 'care']]
    """
    for record in records:
        _check_actor(network, record.get("dependent"), "cannot add a need of")
    needs = network.needs
    new = pd.DataFrame([{"dependent": r["dependent"], "dimension": r["dimension"]} for r in records],
                       columns=["dependent", "dimension"])
    known = pd.MultiIndex.from_frame(needs[["dependent", "dimension"]])
    fresh = new[~pd.MultiIndex.from_frame(new).isin(known)].drop_duplicates()
    changed = network.replace(needs=_append(needs, fresh.reset_index(drop=True), ignore_index=True))
    return Edit(changed, network)
