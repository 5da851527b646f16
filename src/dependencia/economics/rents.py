"""One period's accounts: prices, payments along routes, rents by source, latent power.

docs/economics.md#the-rules, stated as the rules this module applies:

1. Every dependency demands ``strength`` units per period. Its monetized
   units are q = strength x monetized share of its dimension (0 on an unpaid
   channel: ``care`` and ``voluntary`` by default). The dependent pays, or the
   public account on the ``public`` channel.
2. The payer pays the provider q x price (see :mod:`.pricing`). For the
   provider this is ``cost_recovery`` income (q x its unit cost) and
   ``markup`` income (the rest; negative where a marginalist price is below
   cost); paid by the public account, all of it is ``transfer`` income.
3. Every infrastructure on the route takes its toll, paid by the same payer
   to the infrastructure's owner on top of the price: toll rate x q x price.
   The rate is the infrastructure's ``toll`` attribute, else the owner's
   markup in that dimension (publicly owned: ``Economy.public_toll``,
   default 0); an infrastructure without owner takes none.
4. A provider's unit cost is paid on: its own purchases inside the network
   (what it pays for its own dependencies) count towards it, and the rest of
   q x unit cost, summed over its sales, goes to ``world``. Infrastructure
   owners pay ``upkeep`` to ``world``.
5. ``rent_tax`` takes its share of every private actor's positive rent income
   (markup plus toll) for the public account.
6. Unpaid care (unpaid units on the care channel or in a care dimension) is
   valued at ``care_shadow_price`` and moves no money.
7. Total paid equals total received over all accounts, checked to relative
   1e-9 (:class:`~dependencia.economics.ledger.ConservationError` otherwise).
8. Wages (:mod:`.wages`): a dependency in a labour dimension pays its
   provider, the worker, a wage per unit (its ``wage``, else the wage rule)
   instead of a price, booked as ``wages`` income whoever pays; the worker's
   unit cost of labour is its subsistence, paid on as in rule 4.

Latent power = power share - income share. Both shares are taken among
top-level actors: a top-level actor's income share counts the income of the
actors it controls, as its power share counts their paths.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..errors import UsageError
from ..graph.compiled import compile_graph
from ..measures.power import graph_power
from ..network.model import Network
from ..network.schema import PUBLIC_KINDS
from .attributes import numeric_attribute
from .config import Economy
from .ledger import LENDER, PUBLIC, WORLD, Ledger, check_totals
from .pricing import prices
from .tolls import route_costs, route_tolls  # route_costs: importable from here too
from .wages import dependency_prices, given_wages, is_labour, subsistence

__all__ = ["Rents", "account", "public_account", "rents", "route_costs"]

INCOME_SOURCES = ("markup", "toll", "transfer", "cost_recovery")
#: Income sources added later (issue 18): their columns come last, after ``care_value``, so that the
#: columns that were there keep their places.
LATER_SOURCES = ("wages",)
LATER_COLUMNS = ("income_wages", "spending_wages")


@dataclass(frozen=True)
class Rents:
    """One period's accounts of a network.

    Attributes
    ----------
    actors : pandas.DataFrame
        Indexed by actor id, in actor order: ``income``, ``spending``,
        ``net``, ``power_share``, ``income_share``, ``latent_power``,
        ``income_markup``, ``income_toll``, ``income_transfer``,
        ``income_cost_recovery``, ``income_tax`` (the public account's),
        ``spending_purchases`` (prices paid, also for the public),
        ``spending_tolls``, ``spending_world`` (unit cost not bought inside
        the network, upkeep), ``spending_taxes``, ``care_value`` (unpaid
        care provided, at the shadow price), ``income_wages`` and
        ``spending_wages`` (wages received and paid).
    prices : pandas.DataFrame
        One row per provider and dimension (see :func:`.pricing.prices`).
    accounts : pandas.DataFrame
        Indexed by ``world``, ``lender``, ``public``: ``income``,
        ``spending``, ``net`` and ``actor`` (the actor that is the public
        account, whose row of ``actors`` holds the same flows, or None when
        the account was created for the run).
    flows : pandas.DataFrame
        Every flow summed by ``payer``, ``payee``, ``kind``: ``amount``.
    totals : dict
        ``paid``, ``received`` (equal), ``taxes``, ``transfers``, ``tolls``,
        ``to_world``, ``unpaid_care_value``, ``unpaid_upkeep`` (of
        infrastructure without owner), ``wages``.
    economy : Economy
        The settings used.
    """

    actors: pd.DataFrame
    prices: pd.DataFrame
    accounts: pd.DataFrame
    flows: pd.DataFrame
    totals: dict[str, float]
    economy: Economy = field(default_factory=Economy)

    def _repr_html_(self) -> str:
        t = self.totals
        summary = (f"<p>{html.escape(str(self.economy.pricing))} prices; paid = received = {t['paid']:.6g}; "
                   f"to world {t['to_world']:.6g}; unpaid care valued at {t['unpaid_care_value']:.6g}</p>")
        columns = ["income", "spending", "net", "power_share", "income_share", "latent_power"]
        return summary + self.actors[columns].to_html(escape=True)  # actor ids come from the user


def rents(
    network: Network,
    *,
    economy: Economy | None = None,
    dimensions: str | Sequence[str] | None = None,
    directed: bool = True,
    length: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    power: pd.DataFrame | None = None,
    dimension_power: Mapping[str, pd.DataFrame] | None = None,
    paths: str | None = "routed",
    **settings: Any,
) -> Rents:
    """Prices, payments, rents by source and latent power for one period.

    Parameters
    ----------
    network : Network
    economy : Economy, optional
        The economic settings (default ``Economy()``); ``**settings`` change
        single ones, e.g. ``pricing="marginalist"`` or ``rent_tax=0.1``.
    dimensions : str or sequence of str, optional
        Only these dimensions' dependencies take part (default all).
    directed, length, workers, scheduler, paths :
        How power is measured, as for :func:`~dependencia.power` (tolls
        follow each dependency's declared route either way).
    power : pandas.DataFrame, optional
        A power table (:func:`~dependencia.power`) of the same network and
        dimensions, to reuse instead of computing it.
    dimension_power : mapping of dimension to pandas.DataFrame, optional
        Power tables of each dimension's graph alone (they set markups,
        leaders and tolls), to reuse instead of computing them.

    Returns
    -------
    Rents

    Examples
    --------
    The chain of docs/economics.md: alice buys 2 units from a shop through
    a market place that ``platco`` owns; the shop (unit cost 10) buys 1 unit
    from a maker (unit cost 6):

    >>> import dependencia as dp
    >>> net = dp.Network.from_records(
    ...     [{"id": "alice"}, {"id": "shop", "unit_cost": 10}, {"id": "maker", "unit_cost": 6},
    ...      {"id": "platco"}],
    ...     [{"dependent": "alice", "provider": "shop", "dimension": "retail", "strength": 2,
    ...       "via": ["market"]},
    ...      {"dependent": "shop", "provider": "maker", "dimension": "supply"}],
    ...     infrastructures=[{"id": "market", "owner": "platco", "upkeep": 1}])
    >>> result = dp.rents(net)
    >>> result.actors["income"].round(2).to_dict()
    {'alice': 0.0, 'shop': 22.0, 'maker': 6.6, 'platco': 13.2}
    >>> round(result.totals["paid"], 2), round(result.totals["to_world"], 2)
    (62.2, 20.4)
    """
    dimensions = dimension_list(dimensions)
    economy = (economy or Economy()).replace(**settings) if settings else (economy or Economy())
    deps = _dependencies(network, dimensions)
    if power is None:
        graph = compile_graph(network, dimensions=dimensions, length=length, directed=directed, paths=paths)
        power = graph_power(network, graph, workers=workers, scheduler=scheduler)
    if dimension_power is None:
        dimension_power = {
            k: graph_power(network, compile_graph(network, dimensions=[k], length=length, directed=directed,
                                                  paths=paths),
                           workers=workers, scheduler=scheduler)
            for k in sorted(deps["dimension"].unique())
        }
    shares = {k: table["power_share"] for k, table in dimension_power.items()}
    return account(network, deps, economy, power["power_share"], shares)


def _dependencies(network: Network, dimensions: Sequence[str] | None) -> pd.DataFrame:
    deps = network.dependencies
    if dimensions is None:
        return deps
    unknown = sorted(set(dimensions) - set(network.dimensions.index))
    if unknown:
        raise UsageError(f"unknown dimension {unknown[0]!r}; the network has: {', '.join(network.dimensions.index)}")
    return deps[deps["dimension"].isin(list(dimensions)).to_numpy()]


def account(
    network: Network,
    deps: pd.DataFrame,
    economy: Economy,
    power_share: pd.Series,
    dimension_shares: Mapping[str, pd.Series],
    *,
    toll_overrides: Mapping[str, float] | None = None,
) -> Rents:
    """:func:`rents` from power shares already measured (the simulation's entry point).

    ``toll_overrides`` sets the toll rate of some infrastructures (by id),
    e.g. the introductory terms of new ones in the simulation.
    """
    actors = network.actors
    index = actors.index
    public = _public_account(network, economy)
    ledger = Ledger(index, public=public)
    costs = actors["unit_cost"].fillna(economy.unit_cost).astype(float)
    capacities = numeric_attribute(network, "actors", "capacity", positive=True)
    workers = subsistence(network, economy)
    wages = given_wages(network, deps, economy)
    table = prices(deps, costs, dimension_shares, economy, capacities=capacities, subsistence=workers,
                   given_wages=wages)

    # 1-2: purchases
    dependent = index.get_indexer(deps["dependent"])
    provider = index.get_indexer(deps["provider"])
    channel = deps["channel"].to_numpy(dtype=object)
    strength = deps["strength"].to_numpy(dtype=float)
    monetized = network.dimensions["monetized"].reindex(deps["dimension"]).to_numpy(dtype=float)
    unpaid = np.isin(channel, list(economy.unpaid_channels))
    units = np.where(unpaid, 0.0, strength * monetized)
    by_public = channel == "public"
    payer = np.where(by_public, ledger.public, dependent)
    price = dependency_prices(network, deps, table, economy, given=wages)
    value = units * price
    labour = is_labour(deps["dimension"], economy)
    # a worker's unit cost of labour is its subsistence (paid on as in rule 4)
    cost = units * np.where(labour, workers.to_numpy()[provider], costs.to_numpy()[provider])
    goods = ~labour
    ledger.pay(payer[by_public & goods], provider[by_public & goods], "transfer", value[by_public & goods])
    private = ~by_public
    ledger.pay(payer[private & goods], provider[private & goods], "cost_recovery", cost[private & goods])
    ledger.pay(payer[private & goods], provider[private & goods], "markup",
               value[private & goods] - cost[private & goods])
    ledger.pay(payer[labour], provider[labour], "wages", value[labour])  # whoever pays: a wage

    # 3: tolls along the route
    tolls = route_tolls(network, deps, economy, dimension_shares, toll_overrides)
    tolls["amount"] = tolls["rate"] * value[tolls["row"]]
    ledger.pay(payer[tolls["row"]], tolls["owner"], "toll", tolls["amount"])

    # 4: unit cost not bought inside the network, and upkeep, to world
    sales_cost = np.bincount(provider, weights=cost, minlength=len(index))
    own_purchases = _own_purchases(dependent, private, value, tolls, len(index))
    to_world = np.maximum(sales_cost - own_purchases, 0.0)
    everyone = np.arange(len(index))
    ledger.pay(everyone, np.full(len(index), ledger.world), "cost", to_world)
    infra = network.infrastructures
    owner = index.get_indexer(infra["owner"].fillna(""))
    upkeep = infra["upkeep"].fillna(0.0).to_numpy(dtype=float)
    owned = owner >= 0
    ledger.pay(owner[owned], np.full(int(owned.sum()), ledger.world), "upkeep", upkeep[owned])

    # 5: rent tax on private rent income
    if economy.rent_tax > 0:
        rent = ledger.received("markup", "toll")[: len(index)]
        private_actor = ~actors["kind"].isin(list(PUBLIC_KINDS)).to_numpy()
        taxed = np.where(private_actor, economy.rent_tax * np.maximum(rent, 0.0), 0.0)
        ledger.pay(everyone, np.full(len(index), ledger.public), "tax", taxed)

    ledger.check_conservation()
    frame = _actor_table(network, ledger, power_share)
    care_units = np.where(_is_care(deps, economy), strength - units, 0.0)
    frame["care_value"] = economy.care_shadow_price * np.bincount(provider, weights=care_units, minlength=len(index))
    frame = frame[[c for c in frame.columns if c not in LATER_COLUMNS] + list(LATER_COLUMNS)]
    outside = slice(ledger.n_actors, None)  # the accounts that are not actors: world, lender, a created public
    check_totals(math.fsum([*frame["spending"], *ledger.paid()[outside]]),
                 math.fsum([*frame["income"], *ledger.received()[outside]]))
    total = ledger.total()  # correctly rounded: the same number whether summed by payer or by payee
    totals = {
        "paid": total,
        "received": total,
        "taxes": float(ledger.received("tax").sum()),
        "transfers": float(ledger.received("transfer").sum()),
        "tolls": float(ledger.received("toll").sum()),
        "to_world": float(ledger.received()[ledger.world]),
        "unpaid_care_value": float(economy.care_shadow_price * care_units.sum()),
        "unpaid_upkeep": float(upkeep[~owned].sum()),
        "wages": float(ledger.received("wages").sum()),
    }
    return Rents(actors=frame, prices=table, accounts=_accounts(ledger), flows=ledger.flows(), totals=totals,
                 economy=economy)


def public_account(network: Network, economy: Economy) -> str | None:
    """Id of the actor that is the public account: ``economy.public_account``, else the first actor of
    kind ``state`` by id; None when the network has none (an account is then created for the run)."""
    if economy.public_account is not None:
        if economy.public_account not in network.actors.index:
            raise UsageError(f"economy.public_account: no actor {economy.public_account!r} in the network")
        return economy.public_account
    states = sorted(network.actors.index[(network.actors["kind"] == "state").to_numpy()])
    return states[0] if states else None


def _public_account(network: Network, economy: Economy) -> int | None:
    """Position of the public account's actor, or None to create one."""
    actor = public_account(network, economy)
    return None if actor is None else int(network.actors.index.get_loc(actor))


def _own_purchases(dependent: np.ndarray, private: np.ndarray, value: np.ndarray, tolls: dict[str, np.ndarray],
                   n: int) -> np.ndarray:
    """What each actor pays for its own dependencies (prices and tolls to others)."""
    bought = np.bincount(dependent[private], weights=value[private], minlength=n)
    rows = tolls["row"]
    counted = private[rows] & (tolls["owner"] != dependent[rows])
    return bought + np.bincount(dependent[rows][counted], weights=tolls["amount"][counted], minlength=n)


def _is_care(deps: pd.DataFrame, economy: Economy) -> np.ndarray:
    return ((deps["channel"] == "care") | deps["dimension"].isin(list(economy.care_dimensions))).to_numpy()


def _actor_table(network: Network, ledger: Ledger, power_share: pd.Series) -> pd.DataFrame:
    n = ledger.n_actors
    index = pd.Index(network.actors.index, name="id", dtype=object)
    income = {f"income_{s}": ledger.received(s)[:n] for s in INCOME_SOURCES}
    income["income_tax"] = ledger.received("tax")[:n]
    income.update({f"income_{s}": ledger.received(s)[:n] for s in LATER_SOURCES})
    total_income = np.zeros(n)
    for part in income.values():  # in this order: the same sums as always
        total_income = total_income + part
    spending = {
        "spending_purchases": ledger.paid("markup", "cost_recovery", "transfer")[:n],
        "spending_tolls": ledger.paid("toll")[:n],
        "spending_world": ledger.paid("cost", "upkeep", "build")[:n],
        "spending_taxes": ledger.paid("tax")[:n],
        "spending_wages": ledger.paid("wages")[:n],
    }
    total_spending = ledger.paid()[:n]
    share = power_share.reindex(index).fillna(0.0).to_numpy(dtype=float)
    income_share = _consolidated_shares(network, total_income)
    frame = pd.DataFrame(
        {"income": total_income, "spending": total_spending, "net": total_income - total_spending,
         "power_share": share, "income_share": income_share, "latent_power": share - income_share,
         **income, **spending},
        index=index,
    )
    return frame


def _consolidated_shares(network: Network, income: np.ndarray) -> np.ndarray:
    """Income shares among top-level actors, each counting the income of the actors it controls."""
    total = income.sum()
    if total <= 0:
        return np.zeros(len(income))
    controllers = network.controllers()
    index = network.actors.index
    group = np.bincount(index.get_indexer(controllers.to_numpy()), weights=income, minlength=len(index))
    top = index == controllers.to_numpy()
    return np.where(top, group, income) / total


def _accounts(ledger: Ledger) -> pd.DataFrame:
    income, spending = ledger.received(), ledger.paid()
    rows = {WORLD: ledger.world, LENDER: ledger.lender, PUBLIC: ledger.public}
    index = pd.Index(list(rows), name="account", dtype=object)
    public_actor = None if ledger.created_public else ledger.names[ledger.public]
    frame = pd.DataFrame(
        {
            "income": [float(income[i]) for i in rows.values()],
            "spending": [float(spending[i]) for i in rows.values()],
            "actor": pd.Series([None, None, public_actor], index=index, dtype=object),
        },
        index=index,
    )
    frame.insert(2, "net", frame["income"] - frame["spending"])
    return frame
