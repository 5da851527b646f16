"""Explicit changes to a Network, each returning a new, validated Network.

The what-if analysis uses these now; the simulation will change networks
through the same small set of operations.

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records(
...     [{"id": "a"}, {"id": "b"}, {"id": "owner"}],
...     [{"dependent": "a", "provider": "b", "via": ["hub"]}],
...     infrastructures=[{"id": "hub", "owner": "owner"}])
>>> cut = remove_nodes(net, ["hub"])
>>> cut.n_infrastructures, len(cut.dependencies), len(cut.needs)
(0, 0, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from .model import Network, records_to_frame
from .schema import record_locator

__all__ = ["add_dependencies", "remove_dependencies", "remove_nodes"]


def remove_nodes(network: Network, ids: Iterable[str]) -> Network:
    """Remove actors and infrastructures.

    A removed actor takes with it its dependencies (as dependent or
    provider), needs, holdings and authority relations; infrastructures it
    owned lose their owner. A dependency routed via a removed infrastructure
    can no longer be served that way: it becomes a need of its dependent
    (an unmet dependency) unless an identical need exists.
    """
    ids = list(dict.fromkeys(ids))
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
    return network.replace(
        actors=network.actors.drop(index=actors),
        dependencies=deps[~(touches_actor | routed_through)].reset_index(drop=True),
        needs=needs.reset_index(drop=True),
        infrastructures=infrastructures,
        ownership=own[~(own["owner"].isin(actors) | own["owned"].isin(actors))].reset_index(drop=True),
        authority=auth[~(auth["holder"].isin(actors) | auth["subject"].isin(actors))].reset_index(drop=True),
    )


def remove_dependencies(network: Network, triples: Sequence[tuple[str, str, str]]) -> Network:
    """Remove every dependency matching one of the (dependent, provider, dimension) triples."""
    deps = network.dependencies
    keys = pd.MultiIndex.from_frame(deps[["dependent", "provider", "dimension"]])
    wanted = pd.MultiIndex.from_tuples(list(triples), names=["dependent", "provider", "dimension"])
    missing = [t for t in triples if t not in keys]
    if missing:
        raise UsageError(f"no dependency {':'.join(missing[0])} to remove")
    keep = ~keys.isin(wanted)
    return network.replace(dependencies=deps[np.asarray(keep)].reset_index(drop=True))


def add_dependencies(network: Network, records: Sequence[Mapping[str, Any]]) -> Network:
    """Add dependencies (records as for :meth:`Network.from_records`); validated like any other."""
    added = records_to_frame(records, "dependencies", record_locator)
    nodes = {"dependent": network.actors.index, "provider": network.actors.index}
    for field, known in nodes.items():
        unknown = added.loc[~added[field].isin(known), field] if field in added else pd.Series([], dtype=object)
        if len(unknown):
            raise UsageError(f"cannot add a dependency with {field} {unknown.iloc[0]!r}: no such actor")
    # validate the new records on their own first, so that errors name them and not the input file
    Network(
        network.actors, added, infrastructures=network.infrastructures,
        dimensions=network.dimensions if network._dimensions_declared else None, locate=_added_locator,
    )
    combined = pd.concat([network.dependencies, added], ignore_index=True)
    return network.replace(dependencies=combined)


def _added_locator(table: str, row: int | None, field: str | None) -> tuple[str | None, str | None]:
    if table != "dependencies" or row is None:
        return record_locator(table, row, field)
    return "added dependency", f"#{row + 1}" + (f", {field}" if field else "")
