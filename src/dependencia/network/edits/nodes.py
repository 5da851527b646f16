"""Actors in and out: :func:`add_actor`, :func:`remove_nodes` (actors and infrastructures)."""

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
    _check_new_id,
    _ids,
    _new_rows,
    _record_locator,
)
from .record import Edit

__all__ = ["add_actor", "remove_nodes"]


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


def remove_nodes(network: Network, ids: str | Iterable[str]) -> Edit:
    """Remove actors and infrastructures.

    A removed actor takes with it its dependencies (as dependent or
    provider), needs, holdings and authority relations; infrastructures it
    owned lose their owner. A dependency routed via a removed infrastructure
    can no longer be served that way: it becomes a need of its dependent
    (an unmet dependency) unless an identical need exists.

    Parameters
    ----------
    network : Network
    ids : str or iterable of str
        Actor and infrastructure ids (one id or several).

    Returns
    -------
    Edit
        The dependency rows deleted; the nodes removed.

    Raises
    ------
    UsageError
        An id that is neither an actor's nor an infrastructure's.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records(
    ...     [{"id": "a"}, {"id": "b"}, {"id": "owner"}],
    ...     [{"dependent": "a", "provider": "b", "via": ["hub"]}],
    ...     infrastructures=[{"id": "hub", "owner": "owner"}])
    >>> cut = remove_nodes(net, "hub")
    >>> cut.network.n_infrastructures, len(cut.network.dependencies), len(cut.network.needs), cut.deleted.tolist()
    (0, 0, 1, [0])
    """
    ids = list(dict.fromkeys(_ids(ids, "the nodes to remove")))
    unknown = [i for i in ids if i not in network.actors.index and i not in network.infrastructures.index]
    if unknown:
        raise UsageError(f"cannot remove {unknown[0]!r}: no actor or infrastructure has that id")
    actors = [i for i in ids if i in network.actors.index]
    infras = set(ids) - set(actors)
    deps = network.dependencies
    touches_actor = deps["dependent"].isin(actors) | deps["provider"].isin(actors)
    routed_through = deps["via"].map(lambda route: any(x in infras for x in route)).astype(bool)
    cut = deps[routed_through & ~touches_actor]
    needs = pd.concat([network.needs, cut[["dependent", "dimension"]]], ignore_index=True)
    needs = needs[~needs["dependent"].isin(actors)].drop_duplicates(["dependent", "dimension"])
    infrastructures = network.infrastructures.drop(index=list(infras))
    owners = infrastructures["owner"]
    infrastructures = infrastructures.assign(owner=owners.where(~owners.isin(actors), None))
    own, auth = network.ownership, network.authority
    gone = np.flatnonzero((touches_actor | routed_through).to_numpy())
    changed = network.replace(
        actors=network.actors.drop(index=actors),
        dependencies=deps[~(touches_actor | routed_through)].reset_index(drop=True),
        needs=needs.reset_index(drop=True),
        infrastructures=infrastructures,
        ownership=own[~(own["owner"].isin(actors) | own["owned"].isin(actors))].reset_index(drop=True),
        authority=auth[~(auth["holder"].isin(actors) | auth["subject"].isin(actors))].reset_index(drop=True),
    )
    return Edit(changed, network, removed=gone, deleted=gone, nodes_removed=tuple(ids))
