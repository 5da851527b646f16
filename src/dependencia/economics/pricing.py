"""Prices per provider and dimension: administered (Lee) or marginalist.

docs/economics.md#the-rules, rule 3. **Administered**: a provider's own price is its unit cost times
(1 + markup), the markup rising with its power share in the dimension
(:meth:`Economy.markup`). In each dimension the ``leaders`` providers with the
highest power share (ties by id) set their own price; every other provider
takes the mean of the leaders' prices, or its unit cost where that is higher.
Demand does not enter: a demand shock that leaves power unchanged leaves
every price unchanged, and a change of unit costs passes through.

**Marginalist** (for comparison): unit cost x (1 + markup_base) x
(demand / capacity) ** (1 / elasticity), where demand is the total strength
of the dependencies on the provider in the dimension. There are no leaders.

References
----------
F. S. Lee, *Post Keynesian Price Theory*, Cambridge University Press (1998).
doi:10.1017/CBO9780511582103

Examples
--------
Two shops sell in one dimension; ``big`` has all the power there and leads,
``small`` follows its price:

>>> import pandas as pd
>>> from dependencia.economics import Economy
>>> from dependencia.economics.pricing import prices
>>> demand = pd.DataFrame({"provider": ["big", "small"], "dimension": ["retail", "retail"],
...                        "strength": [3.0, 1.0]})
>>> costs = pd.Series({"big": 10.0, "small": 8.0})
>>> shares = {"retail": pd.Series({"big": 1.0, "small": 0.0})}
>>> table = prices(demand, costs, shares, Economy())
>>> table[["provider", "price", "leader"]].to_dict(orient="records")
[{'provider': 'big', 'price': 16.0, 'leader': True}, {'provider': 'small', 'price': 16.0, 'leader': False}]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..base.output import rounded
from .config import Economy
from .wages import is_labour, wage_rows

__all__ = ["prices"]

COLUMNS = ("provider", "dimension", "price", "leader", "unit_cost", "markup", "power_share", "demand", "capacity")


def prices(
    dependencies: pd.DataFrame,
    unit_costs: pd.Series,
    dimension_shares: Mapping[str, pd.Series],
    economy: Economy,
    *,
    capacities: pd.Series | None = None,
    subsistence: pd.Series | None = None,
    given_wages: np.ndarray | None = None,
) -> pd.DataFrame:
    """The price of every provider in every dimension it provides in.

    Parameters
    ----------
    dependencies : pandas.DataFrame
        ``provider``, ``dimension`` and ``strength`` of every dependency.
    unit_costs : pandas.Series
        Unit cost by actor id (no missing values).
    dimension_shares : mapping of dimension to pandas.Series
        Power share by actor id in each dimension's graph (missing = 0).
    economy : Economy
    capacities : pandas.Series, optional
        Marginalist pricing: capacity by provider id where the actors table
        gives one (NaN or missing: see :class:`Economy`).
    subsistence : pandas.Series, optional
        Labour dimensions: each worker's subsistence by actor id (default
        ``economy.subsistence`` for all; see :mod:`.wages`).
    given_wages : numpy.ndarray, optional
        Labour dimensions: each dependency's own ``wage`` (NaN where none),
        aligned with ``dependencies``.

    Returns
    -------
    pandas.DataFrame
        One row per (provider, dimension), sorted by dimension then provider:
        ``provider``, ``dimension``, ``price``, ``leader`` (bool),
        ``unit_cost``, ``markup`` (price / unit cost - 1; NaN at zero cost),
        ``power_share`` (in the dimension), ``demand`` (total strength),
        ``capacity`` (marginalist only, NaN otherwise). In a labour
        dimension the price is the wage (:func:`.wages.wage_rows`: the mean
        per unit of strength) and the unit cost the worker's subsistence.
    """
    labour = is_labour(dependencies["dimension"], economy)
    if labour.any():  # wages follow their own rule; the goods keep theirs, leaders and all
        workers = subsistence if subsistence is not None else pd.Series(float(economy.subsistence),
                                                                         index=unit_costs.index)
        wage_table = _with_markup(wage_rows(dependencies, workers, dimension_shares, economy, given=given_wages))
        wage_table["capacity"] = np.nan
        goods = dependencies[~labour]
        if not len(goods):
            return wage_table[list(COLUMNS)]
        table = prices(goods, unit_costs, dimension_shares, economy, capacities=capacities)
        both = pd.concat([table, wage_table[list(COLUMNS)]], ignore_index=True)
        return both.sort_values(["dimension", "provider"], kind="stable", ignore_index=True)
    demand = dependencies.groupby(["dimension", "provider"], sort=True)["strength"].sum()
    table = demand.rename("demand").reset_index()
    table["unit_cost"] = unit_costs.reindex(table["provider"]).to_numpy(dtype=float)
    table["power_share"] = [
        float(dimension_shares[d].get(p, 0.0)) if d in dimension_shares else 0.0
        for d, p in zip(table["dimension"], table["provider"])
    ]
    if economy.pricing == "administered":
        price, leader = _administered(table, economy)
        capacity = np.full(len(table), np.nan)
    else:
        capacity = _capacities(table, economy, capacities)
        base = table["unit_cost"].to_numpy() * (1.0 + economy.markup_base)
        price = base * (table["demand"].to_numpy() / capacity) ** (1.0 / economy.elasticity)
        leader = np.zeros(len(table), dtype=bool)
    table["price"] = price
    table["leader"] = leader
    table["capacity"] = capacity
    return _with_markup(table)[list(COLUMNS)]


def _with_markup(table: pd.DataFrame) -> pd.DataFrame:
    """``markup`` = price / unit cost - 1 (NaN at zero cost)."""
    cost = table["unit_cost"].to_numpy(dtype=float)
    price = table["price"].to_numpy(dtype=float)
    table["markup"] = np.divide(price, cost, out=np.full(len(table), np.nan), where=cost > 0) - 1.0
    return table


def _administered(table: pd.DataFrame, economy: Economy) -> tuple[np.ndarray, np.ndarray]:
    cost = table["unit_cost"].to_numpy()
    share = table["power_share"].to_numpy()
    own = cost * (1.0 + economy.markup_base + economy.markup_slope * share)
    price = own.copy()
    leader = np.zeros(len(table), dtype=bool)
    for _, rows in table.groupby("dimension", sort=False).indices.items():
        key = rounded(table["power_share"].iloc[rows])
        ids = table["provider"].to_numpy(dtype=object)[rows].astype(str)
        ranking = rows[np.lexsort((ids, -key))]
        leading = ranking[: economy.leaders]
        leader[leading] = True
        followers = ranking[economy.leaders:]
        price[followers] = np.maximum(own[leading].mean(), cost[followers])
    return price, leader


def _capacities(table: pd.DataFrame, economy: Economy, given: pd.Series | None) -> np.ndarray:
    """Capacity per row.

    A mapping in the economy wins, then the actor's attribute, then a scalar
    in the economy, then an equal share of the dimension's demand.
    """
    providers = table["provider"]
    equal = table.groupby("dimension")["demand"].transform("mean").to_numpy(dtype=float)
    capacity = np.full(len(table), np.nan)
    if given is not None:
        capacity = given.reindex(providers).to_numpy(dtype=float)
    if isinstance(economy.capacity, Mapping):
        setting = providers.map(lambda p: economy.capacity.get(p, np.nan)).to_numpy(dtype=float)
        capacity = np.where(np.isnan(setting), capacity, setting)
    elif economy.capacity is not None:
        capacity = np.where(np.isnan(capacity), float(economy.capacity), capacity)
    return np.where(np.isnan(capacity), equal, capacity)
