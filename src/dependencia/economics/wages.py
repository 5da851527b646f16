"""Wages: what an employer pays the worker it depends on (docs/economics.md#wages).

A dependency in a labour dimension (``Economy.labour_dimensions``, default
``labour``) runs from the employer (the dependent: the firm depends on the
worker) to the worker (the provider: a household or a person). Its price
per unit of strength is a wage:

1. the dependency's ``wage`` attribute, where given (a wage table);
2. else ``Economy.wage_rule``: ``administered`` (the default), subsistence
   x (1 + ``wage_markup``), the same for every worker whatever its position;
   or ``position``, subsistence x (1 + markup) with the markup of the
   worker's power share in that labour dimension (:meth:`Economy.markup`),
   the rent of its position, as any provider prices its own sales.

Subsistence is the worker's ``subsistence`` attribute, else
``Economy.subsistence``. It is the worker's unit cost of labour: like any
provider's unit cost it is paid on, to the worker's own purchases inside the
network and the rest to ``world`` (what households buy outside the network),
so that a worker saves what its wages exceed its spending by. Wages are an
income source of their own (``income_wages``), whoever pays them; there are
no price leaders among workers.

Examples
--------
Two workers give 2 and 1 units of labour to a firm; the second has a wage
table entry of 3.0. Default subsistence 1.0 and wage markup 0.1: the first
earns 2 x 1.1, the second 1 x 3.0:

>>> import dependencia as dp
>>> net = dp.Network.from_records(
...     [{"id": "firm"}, {"id": "ann", "kind": "household"}, {"id": "bob", "kind": "household"}],
...     [{"dependent": "firm", "provider": "ann", "dimension": "labour", "strength": 2},
...      {"dependent": "firm", "provider": "bob", "dimension": "labour", "wage": 3.0}])
>>> economy = dp.Economy()
>>> given = given_wages(net, net.dependencies, economy)
>>> given.tolist()
[nan, 3.0]
>>> rows = wage_rows(net.dependencies, subsistence(net, economy), {}, economy, given=given)
>>> rows[["provider", "price", "unit_cost"]].round(2).values.tolist()
[['ann', 1.1, 1.0], ['bob', 3.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import InputError
from ..network.model import Network
from .attributes import numeric_attribute
from .config import Economy

__all__ = ["dependency_prices", "given_wages", "is_labour", "subsistence", "wage_rows"]


def is_labour(dimensions: pd.Series, economy: Economy) -> np.ndarray:
    """Which rows (dependencies or price rows, by their ``dimension``) are wage labour."""
    return dimensions.isin(list(economy.labour_dimensions)).to_numpy(dtype=bool)


def subsistence(network: Network, economy: Economy) -> pd.Series:
    """Every actor's subsistence per unit of labour: its ``subsistence`` attribute, else the economy's."""
    given = numeric_attribute(network, "actors", "subsistence", positive=False)
    if given is None:
        return pd.Series(float(economy.subsistence), index=network.actors.index)
    return given.fillna(float(economy.subsistence))


def given_wages(network: Network, deps: pd.DataFrame, economy: Economy) -> np.ndarray:
    """The ``wage`` attribute of each row of ``deps`` (a selection of the network's dependencies), NaN where none.

    A wage on a dependency outside the labour dimensions is an input error
    naming the record: it would be silently ignored otherwise.
    """
    values = numeric_attribute(network, "dependencies", "wage", positive=False)
    if values is None:
        return np.full(len(deps), np.nan)
    stray = values.notna().to_numpy() & ~is_labour(network.dependencies["dimension"], economy)
    if stray.any():
        row = int(np.flatnonzero(stray)[0])
        source, where = network.locate("dependencies", row, "wage")
        dimension = network.dependencies["dimension"].iloc[row]
        raise InputError(f"a wage is given on a dependency in dimension {dimension!r}, which is not a labour "
                         f"dimension (economy.labour_dimensions: {', '.join(economy.labour_dimensions) or 'none'})",
                         source=source, where=where)
    if deps is not network.dependencies:
        values = values.reindex(deps.index)
    return values.to_numpy(dtype=float)


def wage_rows(
    deps: pd.DataFrame, subsistence_of: pd.Series, dimension_shares: Mapping[str, pd.Series], economy: Economy,
    *, given: np.ndarray | None = None,
) -> pd.DataFrame:
    """One price row per worker and labour dimension, the columns of :func:`.pricing.prices`.

    ``price`` is the wage per unit of strength that the worker's labour
    dependencies pay on average, weighted by strength (the rule's wage where
    a dependency gives none); ``unit_cost`` is the worker's subsistence;
    ``leader`` is False (workers follow no price leader).
    """
    labour = is_labour(deps["dimension"], economy)
    rows = deps[labour]
    demand = rows.groupby(["dimension", "provider"], sort=True)["strength"].sum()
    table = demand.rename("demand").reset_index()
    table["unit_cost"] = subsistence_of.reindex(table["provider"]).to_numpy(dtype=float)
    table["power_share"] = [
        float(dimension_shares[d].get(p, 0.0)) if d in dimension_shares else 0.0
        for d, p in zip(table["dimension"], table["provider"])
    ]
    table["price"] = _rule_wage(table, economy)
    wages = np.full(len(rows), np.nan) if given is None else np.asarray(given, dtype=float)[labour]
    if np.isfinite(wages).any():  # a wage table: the strength-weighted mean of what each dependency pays
        rule = _lookup(table, rows)
        paid = np.where(np.isnan(wages), rule, wages) * rows["strength"].to_numpy(dtype=float)
        total = pd.Series(paid, index=pd.MultiIndex.from_frame(rows[["dimension", "provider"]])).groupby(
            level=[0, 1], sort=True).sum()
        table["price"] = total.to_numpy() / table["demand"].to_numpy()
    table["leader"] = False
    return table


def dependency_prices(
    network: Network, deps: pd.DataFrame, prices_table: pd.DataFrame, economy: Economy,
    *, given: np.ndarray | None = None,
) -> np.ndarray:
    """The price per unit of each row of ``deps``: its provider's in its dimension, or its wage.

    A labour dependency pays its own ``wage`` where given, else the wage
    rule's (from its worker's price row: subsistence and power share; the
    row's price is a mean over the worker's dependencies). ``given`` are the
    rows' wages (:func:`given_wages`), read from the network when not passed.
    """
    price = _lookup(prices_table, deps)
    wages = given_wages(network, deps, economy) if given is None else given
    labour = is_labour(deps["dimension"], economy)
    if not labour.any():
        return price
    workers = is_labour(prices_table["dimension"], economy)
    rule = prices_table[workers].assign(price=_rule_wage(prices_table[workers], economy))
    wage = np.where(np.isnan(wages), _lookup(rule, deps), wages)
    return np.where(labour, wage, price)


def _rule_wage(table: pd.DataFrame, economy: Economy) -> np.ndarray:
    """The wage rule's wage per unit on price rows with the worker's ``unit_cost`` (subsistence) and ``power_share``."""
    margin = (np.full(len(table), economy.wage_markup) if economy.wage_rule == "administered"
              else economy.markup(table["power_share"].to_numpy(dtype=float)))
    return table["unit_cost"].to_numpy(dtype=float) * (1.0 + margin)


def _lookup(table: pd.DataFrame, deps: pd.DataFrame) -> np.ndarray:
    """``table``'s price of each row's (provider, dimension) (NaN where it has none)."""
    n = len(table)
    # one integer per (provider, dimension), missing values included (they match each other, as in a MultiIndex)
    provider, _ = pd.factorize(np.concatenate([table["provider"].to_numpy(dtype=object),
                                               deps["provider"].to_numpy(dtype=object)]), use_na_sentinel=False)
    dimension, names = pd.factorize(np.concatenate([table["dimension"].to_numpy(dtype=object),
                                                    deps["dimension"].to_numpy(dtype=object)]), use_na_sentinel=False)
    key = provider.astype(np.int64) * max(len(names), 1) + dimension
    known = pd.Index(key[:n])
    if known.is_unique:
        at = known.get_indexer(key[n:])
        price = np.full(len(deps), np.nan)
        found = at >= 0
        price[found] = table["price"].to_numpy(dtype=float)[at[found]]
        return price
    # several prices for one key: pandas' reindex refuses them, as it always has
    price_of = pd.Series(table["price"].to_numpy(), index=pd.MultiIndex.from_frame(table[["provider", "dimension"]]))
    return price_of.reindex(pd.MultiIndex.from_arrays([deps["provider"], deps["dimension"]])).to_numpy(dtype=float)
