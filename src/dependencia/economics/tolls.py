"""Tolls along routes: the rate each infrastructure on a route takes, and what one unit costs its payer.

Rule 3 of docs/economics.md#the-rules: every infrastructure on a dependency's
route takes its toll, paid by the same payer to the infrastructure's owner on
top of the price, toll rate x q x price. The rate is the infrastructure's
``toll`` attribute, else the owner's markup in that dimension (publicly
owned: ``Economy.public_toll``); an infrastructure without owner takes none.
:func:`~dependencia.economics.rents.account` books the tolls;
:func:`route_costs` is what the simulation's dependents compare when they
choose a route.

Examples
--------
A platform owned by a firm with no power share takes the base markup (0.1
by default) of every sale routed through it:

>>> import dependencia as dp
>>> from dependencia.economics.pricing import prices
>>> net = dp.Network.from_records([{"id": "buyer"}, {"id": "shop"}, {"id": "owner"}],
...     [{"dependent": "buyer", "provider": "shop", "via": ["platform"]}],
...     infrastructures=[{"id": "platform", "owner": "owner"}])
>>> economy = dp.Economy()
>>> costs = route_costs(net, economy, prices(net.dependencies, net.actors["unit_cost"].fillna(1.0), {}, economy), {})
>>> costs[["toll", "tolled_by"]].values.tolist()
[[0.1, 'platform']]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..network.model import Network
from .attributes import numeric_attribute
from .config import Economy
from .wages import dependency_prices

__all__ = ["route_costs", "route_tolls"]


def route_tolls(
    network: Network, deps: pd.DataFrame, economy: Economy, dimension_shares: Mapping[str, pd.Series],
    overrides: Mapping[str, float] | None = None,
) -> dict[str, np.ndarray]:
    """One toll per (dependency, owned infrastructure on its route): ``row``, ``owner``, ``infrastructure``, ``rate``."""
    vias = deps["via"].to_numpy(dtype=object)
    lengths = np.fromiter(map(len, vias), dtype=np.int64, count=len(vias))
    rows = np.repeat(np.arange(len(deps)), lengths)
    if not len(rows):
        empty = np.zeros(0, dtype=np.int64)
        return {"row": empty, "owner": empty, "infrastructure": empty, "rate": np.zeros(0)}
    infra_ids = [i for route in deps["via"].tolist() for i in route]
    infra = network.infrastructures
    at = infra.index.get_indexer(infra_ids)
    owner_ids = infra["owner"].to_numpy(dtype=object)[at]
    dimension = deps["dimension"].to_numpy(dtype=object)[rows]
    declared = numeric_attribute(network, "infrastructures", "toll", positive=False)
    given = np.full(len(infra), np.nan) if declared is None else declared.to_numpy(dtype=float).copy()
    for infra_id, override in (overrides or {}).items():
        given[infra.index.get_loc(infra_id)] = override
    explicit = given[at]
    public = set(network.public_actors)
    rate = np.zeros(len(at))
    markups: dict[tuple[str, str], float] = {}  # an owner's markup in a dimension, computed once per call
    for i, (owner, dim) in enumerate(zip(owner_ids.tolist(), dimension.tolist())):
        if not np.isnan(explicit[i]):
            rate[i] = explicit[i]
        elif owner is None or (isinstance(owner, float) and np.isnan(owner)):
            rate[i] = 0.0
        elif owner in public and economy.public_toll is not None:
            rate[i] = economy.public_toll
        else:
            if (owner, dim) not in markups:
                share = dimension_shares.get(dim)
                markups[(owner, dim)] = economy.markup(float(share.get(owner, 0.0)) if share is not None else 0.0)
            rate[i] = markups[(owner, dim)]
    owner_at = network.actors.index.get_indexer(pd.Index(owner_ids, dtype=object).fillna(""))
    has_owner = owner_at >= 0
    return {"row": rows[has_owner], "owner": owner_at[has_owner], "infrastructure": at[has_owner],
            "rate": rate[has_owner]}


def route_costs(
    network: Network, economy: Economy, prices_table: pd.DataFrame, dimension_shares: Mapping[str, pd.Series],
    *, toll_overrides: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """What one unit of each dependency costs its payer: price (or wage) x (1 + the toll rates on its route).

    Returns a frame aligned with ``network.dependencies`` rows: ``dimension``,
    ``price``, ``toll`` (sum of toll rates), ``unit_cost`` and ``tolled_by``
    (the infrastructure with the highest toll rate on the route, or None).
    """
    deps = network.dependencies
    price = dependency_prices(network, deps, prices_table, economy)
    tolls = route_tolls(network, deps, economy, dimension_shares, toll_overrides)
    toll = np.bincount(tolls["row"], weights=tolls["rate"], minlength=len(deps))
    tolled_by = np.full(len(deps), None, dtype=object)
    ids = network.infrastructures.index.to_numpy(dtype=object)
    best = np.full(len(deps), 0.0)
    for row, infra, rate in zip(tolls["row"].tolist(), tolls["infrastructure"].tolist(), tolls["rate"].tolist()):
        if rate > best[row]:
            best[row], tolled_by[row] = rate, ids[infra]
    return pd.DataFrame({"dimension": deps["dimension"].to_numpy(dtype=object), "price": price, "toll": toll,
                         "unit_cost": price * (1.0 + toll), "tolled_by": pd.Series(tolled_by, dtype=object)})
