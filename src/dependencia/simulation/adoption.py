"""Which dependents take what the investors offer, and who leaves a tolled route (docs/simulation.md#one-step).

``adoption.create`` decides who takes a creating move's new dependency:

- ``always`` (the model before issue 17): every dependent the move names;
- ``need_or_cheaper``: a dependent with a need in the move's dimension (the
  need is then served by the investor through the new infrastructure), or
  one whose costliest dependency in that dimension costs more than the new
  one by more than the switching cost: that dependency then moves to the
  investor and the new route (a switch). The new one costs the investor's
  expected price there (its price if it already sells in the dimension, else
  what a follower takes: the mean of the leaders' prices, at least its own
  unit cost) x (1 + the toll of the new infrastructure, none during its
  introductory steps).

``adoption.exit``: after the moves, every dependency whose route takes a
toll may leave it for another route to the same provider in the same
dimension (one that another dependency uses) that costs at most
(1 - ``switching_cost``) x its own, the cheapest such route.

A move as its dependents take it is again a :class:`~.moves.Move`: a
creating move's ``dependents`` are its adopters and its ``rows`` the
dependencies that switch, so that scoring (:func:`~.moves.hops`) sees the
switched dependencies leave their old routes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..network import edits
from .moves import Move

if TYPE_CHECKING:
    from ..economics.rents import Rents
    from ..network.model import Network
    from .world import World

__all__ = ["apply_create", "create_taken", "exits", "expected_price"]

#: Slack for rounding when a new cost is compared with (1 - switching cost) x the old one.
_SLACK = 1e-12


def expected_price(network: Network, prices: pd.DataFrame, unit_cost: float, actor: str, dimension: str) -> float:
    """The price ``actor`` would charge in ``dimension``: its own if it sells there, else a follower's.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}, {"id": "c"}])
    >>> table = pd.DataFrame({"provider": ["b"], "dimension": ["d"], "price": [1.6], "leader": [True]})
    >>> expected_price(net, table, 1.0, "b", "d"), expected_price(net, table, 1.0, "c", "d")
    (1.6, 1.6)
    >>> expected_price(net, table, 2.0, "c", "d")  # a follower never sells below its own cost
    2.0
    """
    here = prices[(prices["dimension"] == dimension).to_numpy()]
    own = here[(here["provider"] == actor).to_numpy()]
    if len(own):
        return float(own["price"].iloc[0])
    cost = network.actors.at[actor, "unit_cost"] if "unit_cost" in network.actors.columns else np.nan
    cost = unit_cost if cost != cost or cost is None else float(cost)
    leaders = here[here["leader"].to_numpy(dtype=bool)] if "leader" in here.columns else here.iloc[:0]
    if not len(leaders):
        return cost
    return max(float(leaders["price"].mean()), cost)


def create_taken(phases: World, move: Move, costs: pd.DataFrame, paid: Rents, toll: float) -> Move:
    """``move`` (a ``create``) as its dependents take it under ``adoption.create``; ``toll`` is the new route's rate."""
    config = phases.config
    if move.kind != "create" or config.adoption.create == "always":
        return move
    network = phases.network
    needs = network.needs
    needy = set(needs.loc[(needs["dimension"] == move.dimension).to_numpy(), "dependent"])
    economy = phases.economy()
    new_cost = expected_price(network, paid.prices, economy.unit_cost, move.actor, move.dimension) * (1.0 + toll)
    keep = 1.0 - config.adoption.switching_cost
    deps = network.dependencies
    in_dimension = (deps["dimension"] == move.dimension).to_numpy() & (deps["provider"] != move.actor).to_numpy()
    in_dimension &= np.arange(len(deps)) < len(costs)
    unit = costs["unit_cost"].to_numpy()
    adopters, switched = [], []
    for dependent in move.dependents:
        if dependent in needy:
            adopters.append(dependent)
            continue
        rows = np.flatnonzero(in_dimension & (deps["dependent"] == dependent).to_numpy())
        if not len(rows):
            continue
        costliest = int(rows[np.argmax(unit[rows])])  # first of equals: the lowest row
        old = float(unit[costliest])
        if new_cost < old and new_cost <= keep * old + _SLACK * max(old, 1.0):
            adopters.append(dependent)
            switched.append(costliest)
    return Move("create", move.actor, move.dimension, move.cost, rows=tuple(switched), dependents=tuple(adopters),
                infrastructure=move.infrastructure)


def apply_create(network: Network, move: Move, infrastructure: str, *, channel: str = "market") -> tuple[Network, int]:
    """The network after a taken ``create`` move (:func:`create_taken`): needs served, switches made.

    Each adopter with a need in the dimension has it served; each switched
    row moves to the investor through ``infrastructure`` (its strength
    kept); returns the network and the count of dependencies created.
    """
    needs = network.needs
    adopters = set(move.dependents)
    served = [i for i, (d, k) in enumerate(zip(needs["dependent"], needs["dimension"]))
              if k == move.dimension and d in adopters]
    count = 0
    if served:
        network = edits.serve_needs(network, served, move.actor, via=(infrastructure,), channel=channel).network
        count += len(served)
    if move.rows:
        rows = list(move.rows)
        network = edits.reroute(network, rows, (infrastructure,)).network
        network = edits.switch_provider(network, rows, move.actor, channel=channel).network
        count += len(rows)
    return network, count


def exits(phases: World, t: int, costs: pd.DataFrame) -> int:
    """Move each dependency on a tolled route to the cheapest other known route when it saves enough; the count.

    ``costs`` are the route costs now (:func:`~dependencia.economics.rents.route_costs`).
    """
    network = phases.network
    deps = network.dependencies
    if not len(deps) or not len(costs):
        return 0
    keep = 1.0 - phases.config.adoption.switching_cost
    toll = costs["toll"].to_numpy()
    via = deps["via"].to_numpy()
    key = list(zip(deps["provider"].tolist(), deps["dimension"].tolist()))
    cheapest: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = {}
    for row in range(len(costs)):
        route = tuple(via[row])
        best = cheapest.get(key[row])
        if best is None or (toll[row], route) < best:
            cheapest[key[row]] = (float(toll[row]), route)
    rows, routes, left = [], [], []
    for row in np.flatnonzero(toll > 0).tolist():
        alternative_toll, route = cheapest[key[row]]
        old, new = 1.0 + float(toll[row]), 1.0 + alternative_toll  # price x (1 + tolls): the price cancels
        if route != tuple(via[row]) and alternative_toll < toll[row] and new <= keep * old + _SLACK * old:
            rows.append(row)
            routes.append(route)
            left.append(costs["tolled_by"].iat[row])
    if not rows:
        return 0
    phases.network = edits.reroute(network, rows, routes).network
    for row, route, tolled in zip(rows, routes, left):
        phases.recorder.event(t, "exit", deps["dependent"].iat[row], tolled, provider=deps["provider"].iat[row],
                              dimension=deps["dimension"].iat[row], old=list(via[row]), new=list(route))
    return len(rows)
