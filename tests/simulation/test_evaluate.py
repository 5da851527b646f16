"""Scoring moves: the change in an investor's raw power over the affected sources equals a full recomputation.

The oracle builds the network after each move by hand (records, not the
simulation's operations) and recomputes the investor's raw power with
:func:`dependencia.power`; the evaluation (``Phases.power_changes``) only
looks at source actors that reach a changed hop, through the group kernel on
a patched graph. With a sample at least as large as the actors, it must be
exact.
"""

from __future__ import annotations

import numpy as np
import pytest

import dependencia as dp
from dependencia.simulation.config import SimulationConfig
from dependencia.simulation.moves import Move, new_route, sample_candidates
from dependencia.simulation.phases import Phases
from dependencia.simulation.results import Recorder


def random_records(seed: int):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 12))
    actors = [{"id": f"a{i}"} for i in range(n)]
    infras = [{"id": f"x{i}", "owner": f"a{int(rng.integers(n))}"} for i in range(int(rng.integers(0, 3)))]
    deps = []
    for _ in range(int(rng.integers(n, 3 * n))):
        u, v = (int(x) for x in rng.choice(n, size=2, replace=False))
        route = [infras[int(rng.integers(len(infras)))]["id"]] if infras and rng.random() < 0.3 else []
        deps.append({"dependent": f"a{u}", "provider": f"a{v}", "dimension": "d" if rng.random() < 0.8 else "e",
                     "via": route})
    needs = [{"dependent": f"a{int(rng.integers(n))}", "dimension": "d"} for _ in range(int(rng.integers(0, 3)))]
    return actors, deps, infras, needs


def after_move(actors, deps, infras, needs, move: Move, rows, new_id: str):
    """The network after ``move``, built by hand from the records."""
    deps = [dict(d) for d in deps]
    infras = [dict(i) for i in infras]
    infra_id = move.infrastructure or new_id
    if move.builds:
        infras.append({"id": new_id, "owner": move.actor, "dimensions": [move.dimension]})
    if move.kind in ("concentrate", "extend", "substitute"):
        for r in rows:
            deps[r]["via"] = list(new_route(move, tuple(deps[r]["via"]), infra_id))
    elif move.kind == "create":
        deps += [{"dependent": d, "provider": move.actor, "dimension": move.dimension, "via": [infra_id]}
                 for d in move.dependents]
    else:
        served = {(d, move.dimension) for d in move.dependents}
        deps += [{"dependent": d, "provider": move.actor, "dimension": move.dimension, "via": [infra_id]}
                 for d, k in served]
        needs = [n for n in needs if (n["dependent"], n["dimension"]) not in served]
    return dp.Network.from_records(actors, deps, infrastructures=infras, needs=needs)


@pytest.mark.parametrize("seed", range(12))
def test_power_change_of_every_candidate_equals_recomputation(seed):
    actors, deps, infras, needs = random_records(seed)
    net = dp.Network.from_records(actors, deps, infrastructures=infras, needs=needs)
    config = SimulationConfig.from_mapping({"evaluation": {"sample": 1000}, "infrastructure": {"move_size": 3}})
    phases = Phases(net, Phases.initial_state(net, config), Recorder(), config)
    measured = phases._measure(0)
    paid = phases._pay(0, measured)
    costs = phases.route_costs(paid, measured, 0)
    rng = np.random.default_rng(seed)
    before = dp.power(net, normalized=False)["power"]
    checked = 0
    for actor in ("a0", "a1"):
        moves = sample_candidates(net, actor, net.controls(actor), rng, count=8, move_size=3, build_cost=10.0,
                                  extend_cost=0.5)
        changes = phases.power_changes(actor, moves, costs, measured, np.random.default_rng(0))
        for move, change in zip(moves, changes):
            rows = phases.adopters(move, costs)
            after = after_move(actors, deps, infras, needs, move, rows, "new")
            exact = dp.power(after, normalized=False)["power"][actor] - before[actor]
            assert change == pytest.approx(exact, rel=1e-9, abs=1e-9), (move, rows)
            checked += 1
    assert checked > 0


def layered_records(seed: int, n: int = 160):
    """An in-tree of dependencies towards a1 plus random shortcuts: many sources 2+ hops from a1, a2, a3."""
    rng = np.random.default_rng(seed)
    pairs = {(i, int(rng.integers(1, i))) for i in range(2, n)}
    pairs |= {tuple(int(x) for x in rng.choice(n, size=2, replace=False)) for _ in range(n)}
    actors = [{"id": f"a{i}"} for i in range(n)]
    deps = [{"dependent": f"a{u}", "provider": f"a{v}", "dimension": "d"} for u, v in sorted(pairs)]
    return actors, deps


def test_stratified_estimate_varies_and_centres_on_the_exact_change():
    # With a budget of 20 sources and about 150 affected, most sources are sampled: the draws differ
    # from seed to seed, and their mean must lie within 3 standard errors of the exact change,
    # which is itself checked against a recomputation on the network built by hand from records.
    actors, deps = layered_records(2)
    net = dp.Network.from_records(actors, deps)
    move = Move("create", "a0", "d", 10.0, dependents=("a1", "a2", "a3"))
    after = after_move(actors, deps, [], [], move, [], "new")
    oracle = dp.power(after, normalized=False)["power"]["a0"] - dp.power(net, normalized=False)["power"]["a0"]
    changes = {}
    for budget, draws in ((100_000, 1), (20, 1000)):
        config = SimulationConfig.from_mapping({"evaluation": {"sample": budget}})
        phases = Phases(net, Phases.initial_state(net, config), Recorder(), config)
        measured = phases._measure(0)
        costs = phases.route_costs(phases._pay(0, measured), measured, 0)
        changes[budget] = np.array([phases.power_changes("a0", [move], costs, measured, np.random.default_rng(s))[0]
                                    for s in range(draws)])
    exact = changes[100_000][0]
    assert exact == pytest.approx(oracle, rel=1e-9)
    sampled = changes[20]
    assert sampled.std() > 0.05 * abs(exact)                 # the sample matters: the draws vary
    standard_error = sampled.std(ddof=1) / np.sqrt(len(sampled))
    assert abs(sampled.mean() - exact) <= 3 * standard_error, (sampled.mean(), exact, standard_error)
