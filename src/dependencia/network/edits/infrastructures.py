"""Infrastructures: build, remove (served directly or as needs), and change owner."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ...errors import UsageError
from .. import schema as schema
from ..model import Network
from ._support import (
    _append,
    _check_actor,
    _check_dimensions,
    _check_infrastructure,
    _check_new_id,
    _ids,
    _new_rows,
    _record_locator,
    _with_routes,
)
from .record import Edit

__all__ = ["FALLBACKS", "add_infrastructure", "remove_infrastructure", "serve_dimensions", "set_toll",
           "set_transit", "transfer_ownership"]


FALLBACKS = ("direct", "need")


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
    # the new id is checked (no actor's or infrastructure's, no ';'), its owner is an actor; no other table
    # changes and no route passes the new row: every other reference holds as it did
    changed = network.replace(infrastructures=_append(network.infrastructures, new), _references_checked=True)
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
        unless the same need is already there (as :func:`~dependencia.network.edits.remove_nodes`
        does; existing needs are left as they are).

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


def set_toll(network: Network, infrastructure: str, toll: float | None) -> Edit:
    """Set an infrastructure's own toll (None: none of its own, its owner's markup applies).

    Returns
    -------
    Edit
        No change to the graphs (a toll is not an edge).

    Raises
    ------
    UsageError
        An unknown infrastructure.
    InputError
        A toll the model refuses (negative), named as its record.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "s", "kind": "state"}],
    ...     infrastructures=[{"id": "roads", "owner": "s", "toll": 0.0}])
    >>> set_toll(net, "roads", None).network.infrastructures["toll"].isna().tolist()
    [True]
    """
    _check_infrastructure(network, infrastructure, "cannot set the toll of")
    table = network.infrastructures
    if "toll" not in table.columns:
        if toll is None:
            return Edit(network, network)
        table = table.assign(toll=np.nan)
    column = table["toll"].astype(float).copy()
    column[infrastructure] = np.nan if toll is None else float(toll)
    changed = network.replace(infrastructures=table.assign(toll=column))
    return Edit(changed, network)


def set_transit(network: Network, infrastructure: str, transit: str) -> Edit:
    """Switch an infrastructure between closed and open transit (docs/model.md#graphs).

    ``closed`` carries only the routes declared through it; ``open`` joins
    every route through it in one node, so that it also carries traffic
    between routes.

    Returns
    -------
    Edit
        The routes through it leave and enter the routed graph again (``removed`` and ``added``).

    Raises
    ------
    UsageError
        An unknown infrastructure, or a transit other than ``closed`` or ``open``.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "o"}], infrastructures=[{"id": "X", "owner": "o"}])
    >>> set_transit(net, "X", "open").network.infrastructures.at["X", "transit"]
    'open'
    """
    _check_infrastructure(network, infrastructure, "cannot set the transit of")
    if transit not in schema.TRANSIT:
        raise UsageError(f"cannot set the transit of {infrastructure!r} to {transit!r}: "
                         f"choose one of: {', '.join(schema.TRANSIT)}")
    table = network.infrastructures.copy()
    table.at[infrastructure, "transit"] = transit
    via = network.dependencies["via"].to_numpy()
    through = np.flatnonzero(np.fromiter((infrastructure in route for route in via), dtype=bool, count=len(via)))
    return Edit(network.replace(infrastructures=table), network, removed=through, added=through)


def serve_dimensions(network: Network, infrastructure: str, dimensions: str | Iterable[str]) -> Edit:
    """Let an infrastructure that serves some dimensions also serve ``dimensions`` (one that serves all stays so).

    Returns
    -------
    Edit
        No dependency or node changes.

    Raises
    ------
    UsageError
        An unknown infrastructure, or an undeclared dimension on a network with declared dimensions.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "o"}], infrastructures=[{"id": "X", "owner": "o", "dimensions": ["a"]}])
    >>> serve_dimensions(net, "X", "b").network.infrastructures.at["X", "dimensions"]
    ('a', 'b')
    """
    _check_infrastructure(network, infrastructure, "cannot extend")
    added = _ids(dimensions, f"the dimensions of infrastructure {infrastructure!r}")
    if network._dimensions_declared:
        _check_dimensions(network, added, f"infrastructure {infrastructure!r}")
    table = network.infrastructures
    served = tuple(table.at[infrastructure, "dimensions"])
    if not served:  # it serves every dimension already
        return Edit(network, network)
    table = table.copy()
    table.at[infrastructure, "dimensions"] = tuple(dict.fromkeys((*served, *added)))
    return Edit(network.replace(infrastructures=table), network)
