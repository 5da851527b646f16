"""Who takes a creating move (``adoption.create``), who leaves a tolled route (``adoption.exit``), and the
public investor that plans for upkeep (``public_planned``), on hand-built networks.

In :func:`create_network` the investor ``inv`` offers h0, h1 and h2 a new
dependency in ``d`` through its new infrastructure (a test strategy makes
exactly this move). h0 has a need in ``d``; h1 buys from the shop, the price
leader in ``d``, through the platform's road T with toll 0.5, so its unit
cost is 1.5 x the shop's price; h2 has nothing in ``d``. A newcomer takes the
leader's price and its new infrastructure takes no toll in its introductory
steps, so the offer costs 1 x the shop's price: h1 saves a third. ``inv``
buys from the shop itself, so that routes through it carry power (z depends
on h1).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import dependencia as dp
from dependencia.network import edits
from dependencia.simulation import STRATEGIES, Move, SimulationConfig, register
from dependencia.simulation.adoption import apply_create
from dependencia.simulation.phases import Phases
from dependencia.simulation.results import Recorder

DIMENSIONS = [{"id": "d", "monetized": 1.0}, {"id": "e", "monetized": 1.0}]
OFFER = Move("create", "inv", "d", 10.0, dependents=("h0", "h1", "h2"))


def create_network():
    actors = [{"id": "inv", "kind": "firm", "budget": 100}, {"id": "shop", "kind": "firm"},
              {"id": "plat", "kind": "platform"}, {"id": "z", "kind": "household"}] + [
        {"id": f"h{i}", "kind": "household"} for i in range(3)]
    deps = [{"dependent": "h1", "provider": "shop", "dimension": "d", "via": ["T"], "strength": 2.0},
            {"dependent": "h2", "provider": "shop", "dimension": "e"},
            {"dependent": "z", "provider": "h1", "dimension": "d"},
            {"dependent": "inv", "provider": "shop", "dimension": "d"}]
    infras = [{"id": "T", "owner": "plat", "dimensions": ["d"], "toll": 0.5}]
    return dp.Network.from_records(actors, deps, infrastructures=infras, needs=[{"dependent": "h0", "dimension": "d"}],
                                   dimensions=DIMENSIONS)


@pytest.fixture
def offers_once():
    """A strategy that makes the move OFFER at step 0 and nothing after."""
    register("offer_once", lambda context: OFFER if len(context.network.infrastructures) == 1 else None)
    yield "offer_once"
    STRATEGIES.pop("offer_once", None)


def simulate(network, steps: int, **config):
    config.setdefault("spillover", {"probability": 0.0})
    return dp.Simulation(network, config).run(steps)


def events(run, kind: str):
    chosen = run.events[run.events["kind"] == kind]
    return [(int(s), a, t, json.loads(d)) for s, a, t, d in chosen[["step", "actor", "target", "detail"]].itertuples(
        index=False)]


def on_inv(run) -> dict:
    deps = run.network.dependencies
    mine = deps[(deps["provider"] == "inv").to_numpy()]
    return {d: (tuple(v), float(s)) for d, v, s in zip(mine["dependent"], mine["via"], mine["strength"])}


# ---------------------------------------------------------------- create
@pytest.mark.usefixtures("offers_once")
def test_need_or_cheaper_serves_needs_and_switches_the_costlier():
    run = simulate(create_network(), 1, investors=[{"actor": "inv", "strategy": "offer_once"}],
                   adoption={"create": "need_or_cheaper"})
    new = "inv/infra-1"
    assert on_inv(run) == {"h0": ((new,), 1.0), "h1": ((new,), 2.0)}  # h1 keeps its strength
    assert len(run.network.needs) == 0
    deps = run.network.dependencies
    assert not ((deps["dependent"] == "h1") & (deps["provider"] == "shop")).any()  # it switched
    assert [d["adopted"] for _, _, _, d in events(run, "adopt")] == [2]


@pytest.mark.usefixtures("offers_once")
def test_a_switching_cost_above_the_saving_keeps_the_dependent():
    # the saving is 1 - 1/1.5 = 1/3 of the old cost: a switching cost of 0.4 keeps h1 with the shop
    run = simulate(create_network(), 1, investors=[{"actor": "inv", "strategy": "offer_once"}],
                   adoption={"create": "need_or_cheaper", "switching_cost": 0.4})
    assert set(on_inv(run)) == {"h0"}
    kept = simulate(create_network(), 1, investors=[{"actor": "inv", "strategy": "offer_once"}],
                    adoption={"create": "need_or_cheaper", "switching_cost": 0.3})
    assert set(on_inv(kept)) == {"h0", "h1"}


@pytest.mark.usefixtures("offers_once")
def test_always_gives_everyone_the_new_dependency_as_before():
    run = simulate(create_network(), 1, investors=[{"actor": "inv", "strategy": "offer_once"}])
    assert set(on_inv(run)) == {"h0", "h1", "h2"}
    assert len(run.network.needs) == 1  # the need stays: a created dependency is not a served need
    deps = run.network.dependencies
    assert ((deps["dependent"] == "h1") & (deps["provider"] == "shop")).any()


@pytest.mark.usefixtures("offers_once")
def test_scoring_a_switching_create_equals_recomputing_power():
    network = create_network()
    config = SimulationConfig.from_mapping({"evaluation": {"sample": 1000}, "adoption": {"create": "need_or_cheaper"}})
    phases = Phases(network, Phases.initial_state(network, config), Recorder(), config)
    measured = phases._measure(0)
    paid = phases._pay(0, measured)
    costs = phases.route_costs(paid, measured, 0)
    taken = phases.taken(OFFER, costs)
    assert taken.dependents == ("h0", "h1") and len(taken.rows) == 1
    change = phases.power_changes("inv", [OFFER], costs, measured, np.random.default_rng(0))[0]
    after = edits.add_infrastructure(network, "X", owner="inv", dimensions=("d",)).network
    after, count = apply_create(after, taken, "X")
    exact = dp.power(after, normalized=False)["power"]["inv"] - dp.power(network, normalized=False)["power"]["inv"]
    assert count == 2 and exact != 0
    assert change == pytest.approx(exact, rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------- exit
def exit_network():
    """h0 reaches the shop through T (toll 0.5), h1 directly: the direct route is the cheaper known one."""
    actors = [{"id": "shop", "kind": "firm"}, {"id": "plat", "kind": "platform"}] + [
        {"id": f"h{i}", "kind": "household"} for i in range(2)]
    deps = [{"dependent": "h0", "provider": "shop", "dimension": "d", "via": ["T"]},
            {"dependent": "h1", "provider": "shop", "dimension": "d"}]
    infras = [{"id": "T", "owner": "plat", "dimensions": ["d"], "toll": 0.5}]
    return dp.Network.from_records(actors, deps, infrastructures=infras, dimensions=DIMENSIONS[:1])


@pytest.mark.parametrize("switching_cost, leaves", [(0.0, True), (0.3, True), (0.4, False)])
def test_exit_leaves_a_tolled_route_when_the_saving_beats_the_switching_cost(switching_cost, leaves):
    # old cost: price x 1.5; the direct route: price x 1; it leaves when 1 <= (1 - s) x 1.5, i.e. s <= 1/3
    run = simulate(exit_network(), 1, adoption={"exit": True, "switching_cost": switching_cost})
    route = tuple(run.network.dependencies.set_index("dependent").at["h0", "via"])
    assert route == (() if leaves else ("T",))
    expected = [(0, "h0", "T", {"dimension": "d", "new": [], "old": ["T"], "provider": "shop"})] if leaves else []
    assert events(run, "exit") == expected


def test_without_exit_the_tolled_route_stays():
    run = simulate(exit_network(), 2)
    assert tuple(run.network.dependencies.set_index("dependent").at["h0", "via"]) == ("T",)


# ---------------------------------------------------------------- the planned public investor
def needs_network():
    actors = [{"id": "state", "kind": "state", "budget": 0.0}, {"id": "f1", "kind": "firm"},
              {"id": "f2", "kind": "firm"}] + [{"id": f"h{i}", "kind": "household"} for i in range(6)]
    deps = [{"dependent": f"h{i}", "provider": "f1" if i % 2 else "f2", "dimension": "d"} for i in range(6)]
    needs = [{"dependent": f"h{i}", "dimension": "d"} for i in range(6)]
    return dp.Network.from_records(actors, deps, needs=needs, dimensions=DIMENSIONS[:1])


@pytest.mark.parametrize("revenue, builds", [(2.0, True), (1.7, False)])
def test_planned_public_builds_only_what_its_revenue_maintains(revenue, builds):
    # step 0: no bills, no debt; the build costs 10 (10 - revenue borrowed at 10%) and upkeep 1 a step:
    # it is made when revenue >= 1 + 0.1 x (10 - revenue), i.e. revenue >= 2 / 1.1 = 1.82
    config = dict(public_revenue=revenue, public={"interest_rate": 0.1},
                  investors=[{"actor": "state", "strategy": "public_planned"}])
    run = simulate(needs_network(), 1, **config)
    assert run.steps["public_investment"].iloc[0] == (10.0 if builds else 0.0)
    plain = simulate(needs_network(), 1, **{**config, "investors": [{"actor": "state", "strategy": "public"}]})
    assert plain.steps["public_investment"].iloc[0] == 10.0  # today's public builds either way


def test_planned_strategy_of_a_private_investor_does_nothing():
    run = simulate(needs_network(), 1, public_revenue=5.0, investors=[{"actor": "f1", "strategy": "public_planned"}])
    assert not events(run, "build")
