"""The operations that change a network in the co-evolution (docs/model.md#co-evolution-the-network-monopoly).

Building, removing and selling infrastructure, rerouting dependencies through
it, adding dependencies, serving needs, new actors: the simulation changes a
:class:`~dependencia.network.model.Network` only through these. Each operation checks
its arguments (a :class:`~dependencia.errors.UsageError` names what is wrong),
builds the new tables, validates them as any Network is validated, and returns
an :class:`Edit`: the new network together with what changed (rows and
nodes).

Row arguments are positions in the tables (``network.dependencies.iloc[row]``,
``network.needs.iloc[row]``), the way the tables are numbered after
validation. Routes are sequences of infrastructure ids (a bare id is a route
of one; an empty route means "served directly").

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records(
...     [{"id": "ann"}, {"id": "shop"}, {"id": "amazon"}],
...     [{"dependent": "ann", "provider": "shop"}])
>>> built = add_infrastructure(net, "market", owner="amazon", build_cost=10.0)
>>> moved = reroute(built.network, [0], ["market"])  # ann -> market -> shop
>>> moved.network.dependencies["via"].tolist(), moved.added.tolist()
([('market',)], [0])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from . import schema as schema
from ._operation_support import (
    _append,
    _check_actor,
    _check_dimensions,
    _check_infrastructure,
    _check_new_id,
    _check_route,
    _describe,
    _ids,
    _new_dependencies,
    _new_rows,
    _positions,
    _record_locator,
    _route,
    _routes,
    _with_routes,
)
from .model import Network

__all__ = [
    "Edit",
    "add_actor",
    "add_dependencies",
    "add_infrastructure",
    "remove_infrastructure",
    "reroute",
    "serve_needs",
    "transfer_ownership",
]

FALLBACKS = ("direct", "need")


def _no_rows() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Edit:
    """A changed network and what changed (rows and nodes) against the network it started from.

    Attributes
    ----------
    network : Network
        The network after the operation (new and validated).
    before : Network
        The network the operation started from.
    removed : numpy.ndarray of int64
        Sorted positions in ``before.dependencies`` of the rows whose hops
        leave the graphs: rows deleted, and rows rewritten in place (a new
        route).
    deleted : numpy.ndarray of int64
        Sorted positions in ``before.dependencies`` of the rows that are gone
        from the table (a subset of ``removed``); later rows move up.
    added : numpy.ndarray of int64
        Sorted positions in ``network.dependencies`` of the rows whose hops
        enter the graphs: rows rewritten in place and rows appended.
    nodes_added, nodes_removed : tuple of str
        Ids of actors or infrastructures added or removed. New actors come
        after the old actors (so infrastructure node indices shift), new
        infrastructures at the end.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}])
    >>> edit = add_dependencies(net, [{"dependent": "a", "provider": "b"}])
    >>> edit.added.tolist(), edit.removed.tolist(), len(edit.before.dependencies)
    ([0], [], 0)
    """

    network: Network
    before: Network
    removed: np.ndarray = field(default_factory=_no_rows)
    deleted: np.ndarray = field(default_factory=_no_rows)
    added: np.ndarray = field(default_factory=_no_rows)
    nodes_added: tuple[str, ...] = ()
    nodes_removed: tuple[str, ...] = ()


# ------------------------------------------------------------------ infrastructures
def add_infrastructure(
    network: Network,
    id: str,
    *,
    owner: str | None,
    dimensions: str | Iterable[str] | None = (),
    build_cost: float | None = None,
    upkeep: float | None = None,
    **attributes: Any,
) -> Edit:
    """Add an infrastructure at the end of the infrastructures table.

    Parameters
    ----------
    network : Network
    id : str
        A new id: neither an actor's nor an infrastructure's, without ``;``.
    owner : str or None
        The owning actor; None for an ownerless infrastructure.
    dimensions : str or iterable of str, default ()
        The dimensions it serves (empty or None: all). On a network with declared
        dimensions they must be declared ones; otherwise a new name adds a
        dimension.
    build_cost, upkeep : float, optional
        Unspecified (NaN) when omitted.
    **attributes
        Free attributes (``built``, ``public_origin``, ``toll``, ...); other
        infrastructures get a missing value in a new attribute column.

    Returns
    -------
    Edit
        No dependency changes; one node added (the last one).

    Raises
    ------
    UsageError
        A taken or malformed id, an unknown owner or an undeclared dimension.
    InputError
        A bad value (e.g. a negative ``build_cost``).

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "msft"}])
    >>> edit = add_infrastructure(net, "azure", owner="msft", dimensions=["compute"], toll=0.1)
    >>> edit.network.infrastructures.loc["azure", ["owner", "toll"]].tolist()
    ['msft', 0.1]
    >>> edit.nodes_added
    ('azure',)
    """
    _check_new_id(network, id, "infrastructure")
    if owner is not None:
        _check_actor(network, owner, f"cannot add infrastructure {id!r}: owner")
    served = _ids(() if dimensions is None else dimensions, f"the dimensions of infrastructure {id!r}")
    if network._dimensions_declared:
        _check_dimensions(network, served, f"infrastructure {id!r}")
    record = {"id": id, "owner": owner, "dimensions": served, "build_cost": build_cost, "upkeep": upkeep}
    record.update(attributes)
    new = _new_rows([record], schema.INFRASTRUCTURES, _record_locator(f"new infrastructure {id!r}"))
    changed = network.replace(infrastructures=_append(network.infrastructures, new))
    return Edit(changed, network, nodes_added=(id,))


def remove_infrastructure(network: Network, id: str, *, fallback: str = "direct") -> Edit:
    """Remove an infrastructure; what it served is served directly, or becomes a need.

    Parameters
    ----------
    network : Network
    id : str
        An infrastructure id.
    fallback : {"direct", "need"}, default "direct"
        ``"direct"``: every dependency routed through it keeps its place in
        the table and drops it from its route (``d -> X -> p`` becomes
        ``d -> p``; ``d -> X -> Y -> p`` becomes ``d -> Y -> p``).
        ``"need"``: every dependency routed through it is deleted and its
        (dependent, dimension) becomes a need, appended to the needs table
        unless the same need is already there (as :func:`dependencia.network.edits.
        remove_nodes` does; existing needs are left as they are).

    Returns
    -------
    Edit
        The routed rows rewritten (``"direct"``) or deleted (``"need"``); one
        node removed.

    Raises
    ------
    UsageError
        No infrastructure has that id, or an unknown fallback.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records(
    ...     [{"id": "d"}, {"id": "p"}], [{"dependent": "d", "provider": "p", "via": ["X"]}],
    ...     infrastructures=[{"id": "X", "owner": "p"}])
    >>> remove_infrastructure(net, "X").network.dependencies["via"].tolist()
    [()]
    >>> gone = remove_infrastructure(net, "X", fallback="need").network
    >>> len(gone.dependencies), gone.needs[["dependent", "dimension"]].values.tolist()
    (0, [['d', 'default']])
    """
    if fallback not in FALLBACKS:
        raise UsageError(f"unknown fallback {fallback!r}; choose one of: {', '.join(FALLBACKS)}")
    _check_infrastructure(network, id, "cannot remove")
    deps = network.dependencies
    via = deps["via"].to_numpy()
    through = np.flatnonzero(np.fromiter((id in route for route in via), dtype=bool, count=len(via)))
    infrastructures = network.infrastructures.drop(index=[id])
    if fallback == "direct":
        routes = [tuple(x for x in route if x != id) for route in via[through]]
        dependencies = deps.assign(via=_with_routes(via, through, routes, deps.index))
        changed = network.replace(dependencies=dependencies, infrastructures=infrastructures)
        return Edit(changed, network, removed=through, added=through, nodes_removed=(id,))
    keep = np.ones(len(deps), dtype=bool)
    keep[through] = False
    needs = network.needs
    cut = deps.iloc[through][["dependent", "dimension"]].drop_duplicates()
    known = pd.MultiIndex.from_arrays([needs["dependent"].to_numpy(), needs["dimension"].to_numpy()])
    fresh = ~pd.MultiIndex.from_arrays([cut["dependent"].to_numpy(), cut["dimension"].to_numpy()]).isin(known)
    new_needs = _append(needs, cut[fresh].reset_index(drop=True), ignore_index=True)
    changed = network.replace(
        dependencies=deps[keep].reset_index(drop=True), needs=new_needs, infrastructures=infrastructures
    )
    return Edit(changed, network, removed=through, deleted=through, nodes_removed=(id,))


def transfer_ownership(network: Network, infrastructures: str | Iterable[str], new_owner: str | None) -> Edit:
    """Give infrastructures a new owner (None: ownerless), e.g. a privatization.

    Parameters
    ----------
    network : Network
    infrastructures : str or iterable of str
        One infrastructure id or several.
    new_owner : str or None
        An actor id, or None.

    Returns
    -------
    Edit
        No change to the graphs (ownership is not an edge).

    Raises
    ------
    UsageError
        An unknown infrastructure or owner.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records(
    ...     [{"id": "bund", "kind": "state"}, {"id": "fund"}],
    ...     infrastructures=[{"id": "rail", "owner": "bund"}])
    >>> sold = transfer_ownership(net, "rail", "fund").network
    >>> sold.infrastructures.loc["rail", "owner"], sorted(sold.controls("fund"))
    ('fund', ['fund', 'rail'])
    """
    ids = _ids(infrastructures, "the infrastructures to transfer")
    for infra in ids:
        _check_infrastructure(network, infra, "cannot transfer")
    if new_owner is not None:
        _check_actor(network, new_owner, "cannot transfer ownership: new owner")
    table = network.infrastructures
    owner = table["owner"].to_numpy(dtype=object).copy()
    owner[table.index.get_indexer(list(ids))] = new_owner
    changed = network.replace(infrastructures=table.assign(owner=pd.Series(owner, index=table.index, dtype=object)))
    return Edit(changed, network)


# ------------------------------------------------------------------ dependencies
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
    # only routes change, each checked above: the table keeps its validated types
    changed = network.replace(dependencies=deps.assign(via=_with_routes(old, rewritten, new_routes, deps.index)),
                              _trusted=("dependencies",))
    return Edit(changed, network, removed=rewritten, added=rewritten)


def add_dependencies(network: Network, records: Sequence[Mapping[str, Any]]) -> Edit:
    """Append dependencies (records as for :meth:`Network.from_records`).

    The checks and messages are those of :func:`dependencia.network.edits.add_dependencies`.

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
    changed = network.replace(dependencies=_append(network.dependencies, added, ignore_index=True))
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
        needs=needs[keep].reset_index(drop=True),
    )
    start = len(network.dependencies)
    return Edit(changed, network, added=np.arange(start, start + len(added), dtype=np.int64))


# ------------------------------------------------------------------ actors
def add_actor(network: Network, id: str, **attributes: Any) -> Edit:
    """Add an actor at the end of the actors table.

    Nodes of compiled graphs are actors first, then infrastructures, so a
    graph compiled afterwards gives every infrastructure an index one higher.

    Parameters
    ----------
    network : Network
    id : str
        A new id: neither an actor's nor an infrastructure's.
    **attributes
        ``kind``, ``label``, ``budget``, ``unit_cost`` and free attributes.

    Raises
    ------
    UsageError
        A taken or malformed id.
    InputError
        A bad value (e.g. a negative ``unit_cost``).

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}], infrastructures=[{"id": "X", "owner": "a"}])
    >>> list(add_actor(net, "b", kind="firm", budget=5.0).network.node_ids)
    ['a', 'b', 'X']
    """
    _check_new_id(network, id, "actor")
    new = _new_rows([{"id": id, **attributes}], schema.ACTORS, _record_locator(f"new actor {id!r}"))
    changed = network.replace(actors=_append(network.actors, new))
    return Edit(changed, network, nodes_added=(id,))
