"""Policies and the phases they shape: antitrust, interoperability, spillover,
decay with privatization (its rule in :mod:`.privatization`), and insolvency
with the public's rescue; public finances under the debt brake and the fiscal
rule live in :mod:`.world` (:class:`~.world.PublicFinances`).

Public finances (docs/simulation.md#one-step): the public account's revenue in a step is its
income from the accounts (taxes, its own sales) plus ``public_revenue`` from
outside the network. It first pays interest on its debt. With the debt brake,
borrowing in a step is at most ``borrowing_cap`` of the public budget
(revenue plus borrowing), i.e. at most borrowing_cap / (1 - borrowing_cap) x
revenue (44/481 gives 44/437 of revenue), or ``gdp_share`` x the step's total
payments under the GDP rule; borrowing for an exempt purpose is not capped.
The fiscal rule caps the debt at ``ceiling`` x revenue whatever the purpose.
Without either the public borrows what it needs. It borrows first to pay its
bills (interest included: a negative budget after paying), then for
subsidies and tax cuts, then to invest, then to rescue insolvent owners.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..errors import UsageError
from ..network import edits
from ..network.model import Network
from .privatization import bidders, build_cost_of, public_sales, sale_price, sell
from .world import Measurement, PublicFinances, World

if TYPE_CHECKING:
    pass

__all__ = ["PublicFinances", "antitrust", "decay", "interoperability", "interoperable", "spillover"]


def _top_dominant(measured: Measurement, threshold: float) -> list[str]:
    raw = measured.raw
    top = raw[raw["controlled_by"].isna()]
    above = top[top["power_share"] > threshold]
    return sorted(above.index, key=lambda a: (-float(above.at[a, "power_share"]), a))


def _routed_through(network, infrastructures: set[str]) -> np.ndarray:
    return network.dependencies["via"].map(lambda route: any(x in infrastructures for x in route)).to_numpy(dtype=bool)


def antitrust(phases: "World", t: int, measured: Measurement, cap: float):
    """Each top-level actor above the power-share cap divests its busiest infrastructure to a new firm.

    Only an actor that controls at least two infrastructures is broken up;
    the new firm gets working capital worth the build cost from its former
    owner, so that it can keep the infrastructure up.
    """
    network = phases.network
    for actor in _top_dominant(measured, cap):
        owned = [x for x in sorted(network.controls(actor)) if x in network.infrastructures.index]
        if len(owned) < 2:  # a break-up needs something to split: one infrastructure would only change hands
            continue
        traffic = {x: int(_routed_through(network, {x}).sum()) for x in owned}
        busiest = max(owned, key=lambda x: (traffic[x], x))
        spinoff = f"{actor}~spinoff-{t}"
        network = edits.add_actor(network, spinoff, kind="firm").network
        network = edits.transfer_ownership(network, [busiest], spinoff).network
        # the divested unit leaves with working capital worth its build cost, paid by its former owner
        dowry = build_cost_of(network, busiest, phases.config.infrastructure.build_cost)
        phases.state.budgets[actor] = phases.state.budgets.get(actor, 0.0) - dowry
        phases.state.budgets[spinoff] = dowry
        phases.recorder.event(t, "divest", actor, busiest, to=spinoff,
                              power_share=float(measured.raw.at[actor, "power_share"]), cap=cap)
    return network


def interoperability(phases: "World", t: int, measured: Measurement, threshold: float):
    """Dependencies through a dominant actor's infrastructure get an alternative route without it.

    Half of each such dependency's strength moves to the alternative; a
    dependency that already has one is left alone (:func:`interoperable`).
    """
    network = phases.network
    for actor in _top_dominant(measured, threshold):
        network, alternatives = interoperable_routes(network, actor)
        if alternatives:
            phases.recorder.event(t, "policy", actor, None, policy="interoperability", alternatives=alternatives)
    return network


def interoperable(network: Network, actor: str) -> Network:
    """The interoperability policy's direct effect on one actor: the network with alternatives around its infrastructures.

    Every dependency routed through an infrastructure that ``actor``
    controls gets an alternative record with the same dependent, provider and
    dimension, routed without those infrastructures, and half of the
    strength moves to it; a dependency that already has that alternative is
    left alone.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}, {"id": "o"}],
    ...     [{"dependent": "a", "provider": "b", "via": ["hub"], "strength": 2.0}],
    ...     infrastructures=[{"id": "hub", "owner": "o"}])
    >>> interoperable(net, "o").dependencies[["via", "strength"]].values.tolist()
    [[('hub',), 1.0], [(), 1.0]]
    """
    return interoperable_routes(network, actor)[0]


def interoperable_routes(network: Network, actor: str) -> tuple[Network, int]:
    """:func:`interoperable`, and how many alternatives it added."""
    if actor not in network.actors.index:
        raise UsageError(f"cannot make the infrastructures of {actor!r} interoperable: no such actor")
    dominant = {x for x in network.controls(actor) if x in network.infrastructures.index}
    if not dominant:
        return network, 0
    deps = network.dependencies
    through = _routed_through(network, dominant)
    keys = set(zip(deps["dependent"], deps["provider"], deps["dimension"], deps["via"]))
    rows, records = [], []
    for row in np.flatnonzero(through).tolist():
        record = deps.iloc[row]
        route = tuple(x for x in record["via"] if x not in dominant)
        key = (record["dependent"], record["provider"], record["dimension"], route)
        if key in keys:
            continue
        keys.add(key)
        rows.append(row)
        records.append({"dependent": key[0], "provider": key[1], "dimension": key[2], "via": list(route),
                        "strength": float(record["strength"]) / 2, "channel": record["channel"]})
    if not rows:
        return network, 0
    network = edits.set_strengths(network, rows, (deps["strength"].to_numpy()[rows] / 2).tolist()).network
    return edits.add_dependencies(network, records).network, len(rows)


def spillover(phases: "World", t: int, rng: np.random.Generator) -> None:
    """Each infrastructure, with the configured probability, creates a dependency in another dimension."""
    config = phases.config.spillover
    network = phases.network
    dimensions = sorted(config.dimensions or network.dimensions.index)
    if config.probability <= 0 or not dimensions:
        return
    for infrastructure in sorted(network.infrastructures.index):
        if rng.random() >= config.probability:
            continue
        owner = network.infrastructures.at[infrastructure, "owner"]
        deps = network.dependencies
        through = _routed_through(network, {infrastructure})
        users = sorted(set(deps.loc[through, "dependent"]))
        used = set(deps.loc[through, "dimension"]) | set(network.infrastructures.at[infrastructure, "dimensions"])
        others = [d for d in dimensions if d not in used]  # spill over into *another* dimension
        if not isinstance(owner, str) or not users or not others:
            continue
        dimension = others[int(rng.integers(len(others)))]
        user = users[int(rng.integers(len(users)))]
        if user in network.controls(owner):
            continue
        same = ((deps["dependent"] == user) & (deps["provider"] == owner) & (deps["dimension"] == dimension)).to_numpy()
        if same.any():
            continue
        network = edits.serve_dimensions(network, infrastructure, dimension).network
        network = edits.add_dependencies(network, [{"dependent": user, "provider": owner, "dimension": dimension,
                                                         "via": [infrastructure]}]).network
        phases.recorder.event(t, "spillover", owner, infrastructure, dependent=user, dimension=dimension)
    phases.network = network


def decay(phases: "World", t: int) -> None:
    """Ownerless infrastructure disappears; the public sells (or loses) what it cannot keep; insolvent owners exit."""
    config = phases.config
    network = phases.network
    infra = network.infrastructures
    for x in sorted(infra.index[infra["owner"].isna().to_numpy()]):
        network = edits.remove_infrastructure(network, x, fallback=config.decay.fallback).network
        phases.recorder.event(t, "decay", None, x, reason="no owner")
    phases.network = network
    public = phases.public_actor()
    if public is not None and public in network.actors.index:
        public_sales(phases, t, public)
    if config.insolvency != "none":
        _insolvency(phases, t)


def _insolvency(phases: "World", t: int) -> None:
    state = phases.state
    network = phases.network
    public = set(network.public_actors)
    investors = set(phases.strategies())
    owners = set(network.infrastructures["owner"].dropna())
    for actor in sorted((owners | investors) - public):
        if actor not in phases.network.actors.index or state.budgets.get(actor, 0.0) >= 0:
            continue
        if phases.config.public.rescue and _rescue(phases, t, actor):
            continue
        if phases.config.insolvency == "sell":
            infra = phases.network.infrastructures
            for x in sorted(infra.index[(infra["owner"] == actor).to_numpy()]):
                if state.budgets[actor] >= 0:
                    break
                price = sale_price(phases, x)
                buyers = bidders(phases, price, set(phases.network.controls(actor)))
                if buyers:
                    sell(phases, t, x, actor, buyers[0], price, "insolvency")
        if state.budgets[actor] < 0:
            _exit(phases, t, actor)


def _rescue(phases: "World", t: int, actor: str) -> bool:
    """The public pays ``actor``'s arrears (purpose ``rescue``) when it can pay all of them; whether it did."""
    arrears = -phases.state.budgets[actor]
    if phases.public.affordable("rescue") < arrears:
        return False
    paid = phases.public.pay("rescue", arrears)
    phases.state.budgets[actor] += paid
    phases.recorder.event(t, "rescue", phases.public_actor(), actor, paid=paid)
    return True


def _exit(phases: "World", t: int, actor: str) -> None:
    """An insolvent actor leaves: its dependents' dependencies on it become needs."""
    network = phases.network
    deps = network.dependencies
    lost = deps.loc[(deps["provider"] == actor).to_numpy(), ["dependent", "dimension"]]
    network = edits.remove_nodes(network, [actor]).network
    new = lost[lost["dependent"].isin(network.actors.index)]
    network = edits.add_needs(network, new.to_dict("records")).network
    phases.network = network
    budget = phases.state.budgets.pop(actor, 0.0)
    phases.recorder.event(t, "insolvency", actor, None, budget=budget, exited=True)
