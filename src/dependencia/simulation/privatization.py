"""Sales of infrastructure: the public's privatization rule, and the bidders and prices every sale uses.

The public decides under ``policies.privatization`` (docs/simulation.md#one-step):

- ``arrears`` (default): while its arrears (minus its budget) exceed
  ``limit``, it sells its infrastructure, highest upkeep first, to the
  richest bidder at ``decay.sale_price`` x the build cost, and gives up
  (removes) what nobody can buy. With ``limit`` 0 this is the model before
  issue 17: without a cap on borrowing the public never has arrears, so it
  never sells.
- ``offer``: each step it sells an infrastructure when the best private offer
  exceeds ``price`` x its build cost. A bidder offers what the infrastructure
  would bring it: the tolls it would take on the routes through it (at the
  toll the infrastructure keeps, or its own markup in the route's dimension)
  less the upkeep, over ``horizon`` steps, at most its budget.
- ``never``: no sale.

Under ``offer`` and ``never``, and whenever ``decay.privatize`` is false,
arrears above ``limit`` make the public give its infrastructure up (it
decays) instead of selling it. ``keep_terms``: a sold infrastructure keeps
the toll the public set (public infrastructure the simulation builds takes
none), or, when false, its buyer charges its own markup.

Bidders are private actors whose kind is not in ``decay.excluded_bidders``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..economics.wages import dependency_prices
from ..network import edits
from ..network.model import Network
from .world import World

__all__ = ["bidders", "offers", "public_sales", "sale_price", "sell"]


def build_cost_of(network: Network, infrastructure: str, default: float) -> float:
    """The infrastructure's ``build_cost``, or ``default`` where it has none."""
    cost = network.infrastructures.at[infrastructure, "build_cost"]
    return default if cost != cost else float(cost)


def sale_price(phases: World, infrastructure: str) -> float:
    """``decay.sale_price`` x the infrastructure's build cost: the price of a fire sale."""
    return phases.config.decay.sale_price * build_cost_of(phases.network, infrastructure,
                                                          phases.config.infrastructure.build_cost)


def bidders(phases: World, price: float, exclude: set[str]) -> list[str]:
    """Private actors (not of a kind in ``decay.excluded_bidders``) who can pay ``price``, richest first (ties by id)."""
    network, budgets = phases.network, phases.state.budgets
    public = set(network.public_actors)
    excluded = set(network.actors.index[network.actors["kind"].isin(list(phases.config.decay.excluded_bidders))
                                        .to_numpy()])
    able = [a for a in network.actors.index
            if a not in public and a not in excluded and a not in exclude and budgets.get(a, 0.0) >= price]
    return sorted(able, key=lambda a: (-budgets.get(a, 0.0), a))


def sell(phases: World, t: int, infrastructure: str, seller: str, buyer: str, price: float, kind: str) -> None:
    """Transfer ``infrastructure`` to ``buyer`` for ``price`` and record the ``kind`` event (privatize, insolvency)."""
    budgets = phases.state.budgets
    network = edits.transfer_ownership(phases.network, [infrastructure], buyer).network
    if seller == phases.public_actor() and not phases.config.policies.privatization.keep_terms:
        network = _lift_toll(network, infrastructure)
    phases.network = network
    budgets[buyer] -= price
    if seller == phases.public_actor():
        phases.public.receive(price)
    else:
        budgets[seller] = budgets.get(seller, 0.0) + price
    phases.recorder.event(t, kind, buyer, infrastructure, seller=seller, price=price)


def _lift_toll(network: Network, infrastructure: str) -> Network:
    """The network with the infrastructure's own ``toll`` removed: its owner's markup applies."""
    table = network.infrastructures
    if "toll" not in table.columns or pd.isna(table.at[infrastructure, "toll"]):
        return network
    return edits.set_toll(network, infrastructure, None).network


def public_sales(phases: World, t: int, public: str) -> None:
    """The decay phase's decisions of the public on its infrastructure, under its privatization rule."""
    config = phases.config
    rule = config.policies.privatization
    selling = config.decay.privatize and rule.rule != "never"
    if selling and rule.rule == "offer":
        for infrastructure, buyer, offer in offers(phases, public):
            sell(phases, t, infrastructure, public, buyer, offer, "privatize")
            phases.state.privatized += 1
    if phases.public.budget() >= -rule.limit:
        return
    infra = phases.network.infrastructures
    owned = infra.index[(infra["owner"] == public).to_numpy()]
    upkeep = infra["upkeep"].fillna(0.0)
    for x in sorted(owned, key=lambda x: (-float(upkeep[x]), x)):
        if phases.public.budget() >= -rule.limit:
            break
        price = sale_price(phases, x)
        buyers = bidders(phases, price, set()) if selling and rule.rule == "arrears" else []
        if buyers:
            sell(phases, t, x, public, buyers[0], price, "privatize")
            phases.state.privatized += 1
        else:
            phases.network = edits.remove_infrastructure(phases.network, x, fallback=config.decay.fallback).network
            phases.recorder.event(t, "decay", public, x, reason="upkeep unpaid")


def offers(phases: World, public: str) -> list[tuple[str, str, float]]:
    """(infrastructure, buyer, offer) for each public infrastructure whose best offer exceeds the asking price.

    Bidders bid in turn on the infrastructures in id order; each offer is at
    most what the bidder has left after its earlier purchases in the step.
    Ties go to the richer bidder, then by id.
    """
    config = phases.config
    rule = config.policies.privatization
    network = phases.network
    infra = network.infrastructures
    owned = sorted(infra.index[(infra["owner"] == public).to_numpy()])
    if not owned:
        return []
    income = toll_income(phases, owned)
    left = dict(phases.state.budgets)
    chosen = []
    for x in owned:
        asking = rule.price * build_cost_of(network, x, config.infrastructure.build_cost)
        upkeep = float(infra.at[x, "upkeep"]) if infra.at[x, "upkeep"] == infra.at[x, "upkeep"] else 0.0
        bids = [(min(left.get(b, 0.0), rule.horizon * (income.get((x, b), 0.0) - upkeep)), left.get(b, 0.0), b)
                for b in bidders(phases, 0.0, set())]
        bids = sorted((bid for bid in bids if bid[0] > asking and bid[0] > 0), key=lambda bid: (-bid[0], -bid[1], bid[2]))
        if bids:
            offer, _, buyer = bids[0]
            chosen.append((x, buyer, offer))
            left[buyer] = left.get(buyer, 0.0) - offer
    return chosen


def toll_income(phases: World, infrastructures: list[str]) -> dict[tuple[str, str], float]:
    """Per (infrastructure, bidder): the tolls the infrastructure would bring the bidder in one step.

    The routes through it pay toll rate x units x price (docs/economics.md): the
    rate is the infrastructure's own ``toll`` if it keeps its terms and has
    one, else the bidder's markup at its power share in the route's dimension
    (measured at the step's start).
    """
    network = phases.network
    rents = phases.public.rents
    measured = phases.measured
    if rents is None or measured is None:
        return {}
    economy = phases.economy()
    deps = network.dependencies
    units = _units(network, deps, economy.unpaid_channels)
    price = dependency_prices(network, deps, rents.prices, economy)
    value = np.nan_to_num(units * price)
    shares = measured.shares()
    keep = phases.config.policies.privatization.keep_terms
    infra = network.infrastructures
    own_toll = pd.to_numeric(infra["toll"], errors="coerce") if "toll" in infra.columns else \
        pd.Series(np.nan, index=infra.index)
    candidates = bidders(phases, 0.0, set())
    wanted = set(infrastructures)
    through: dict[str, dict[str, float]] = {x: {} for x in infrastructures}  # value of the routes, by dimension
    for route, dimension, amount in zip(deps["via"].tolist(), deps["dimension"].tolist(), value.tolist()):
        for x in set(route) & wanted:
            through[x][dimension] = through[x].get(dimension, 0.0) + amount
    rates = {(b, k): economy.markup(float(shares[k].get(b, 0.0)) if k in shares else 0.0)
             for b in candidates for k in {k for by in through.values() for k in by}}
    income: dict[tuple[str, str], float] = {}
    for x in infrastructures:
        fixed = float(own_toll[x]) if keep and own_toll[x] == own_toll[x] else None
        for bidder in candidates:
            income[(x, bidder)] = math.fsum((rates[(bidder, k)] if fixed is None else fixed) * amount
                                            for k, amount in sorted(through[x].items()))
    return income


def _units(network: Network, deps: pd.DataFrame, unpaid: tuple[str, ...]) -> np.ndarray:
    """Monetized units each dependency demands per step: strength x its dimension's monetized share, 0 if unpaid."""
    monetized = network.dimensions["monetized"].reindex(deps["dimension"]).to_numpy(dtype=float)
    strength = deps["strength"].to_numpy(dtype=float)
    paid = ~np.isin(deps["channel"].to_numpy(dtype=object), list(unpaid))
    return np.where(paid, strength * monetized, 0.0)

