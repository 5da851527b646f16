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


def test_sampled_evaluation_is_unbiased_in_expectation():
    # many affected sources, a small sample: the mean over seeds approaches the exact change
    actors, deps, infras, needs = random_records(3)
    net = dp.Network.from_records(actors, deps, infrastructures=infras, needs=needs)
    exact_config = SimulationConfig.from_mapping({"evaluation": {"sample": 1000}})
    small_config = SimulationConfig.from_mapping({"evaluation": {"sample": 2}})
    move = Move("create", "a0", "d", 10.0, dependents=tuple(a["id"] for a in actors[1:4]))
    results = []
    for config in (exact_config, small_config):
        phases = Phases(net, Phases.initial_state(net, config), Recorder(), config)
        measured = phases._measure(0)
        costs = phases.route_costs(phases._pay(0, measured), measured, 0)
        draws = [phases.power_changes("a0", [move], costs, measured, np.random.default_rng(s))[0] for s in range(400)]
        results.append(np.mean(draws))
    assert results[1] == pytest.approx(results[0], rel=0.15)
