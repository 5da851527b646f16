"""Scoring shared across a step's investors: the same values as scoring each alone on a freshly compiled graph.

Oracles: the group kernel of :mod:`dependencia.measures` (``group_sum``,
one source at a time) for the fused per-source sums, and a scorer made from
scratch on the network as it is for the scorer kept through the invest
phase. Both must agree to the last bit (the simulation's results are the
same bytes as before the shared scorer).
"""

from __future__ import annotations

import numpy as np
import pytest
from test_evaluate import random_records

import dependencia as dp
from dependencia.network import edits
from dependencia.simulation.config import SimulationConfig
from dependencia.simulation.evaluate import HopGraph, group_sum, source_sums, strata
from dependencia.simulation.moves import sample_candidates
from dependencia.simulation.phases import Phases
from dependencia.simulation.results import Recorder
from dependencia.simulation.scoring import StepScorer


@pytest.mark.parametrize("seed", range(10))
def test_fused_sums_equal_the_group_kernel_source_by_source(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 40))
    n_actors = int(rng.integers(2, n + 1))
    m = int(rng.integers(n, 4 * n))
    source, target = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = source != target
    hops = HopGraph(n, source[keep], target[keep])  # parallel hops included
    groups = [np.sort(rng.choice(n, size=int(rng.integers(1, 4)), replace=False)) for _ in range(3)]
    member = np.zeros((len(groups), n), dtype=np.uint8)
    for g, nodes in enumerate(groups):
        member[g, nodes] = 1
    sources = np.arange(n_actors)
    fused = source_sums(hops.base(), n_actors, member, sources)
    for g, nodes in enumerate(groups):
        for k, s in enumerate(sources):
            assert fused[k, g] == group_sum(hops.base(), n_actors, nodes.astype(np.int64), np.array([s]))


def test_fused_sums_refuse_lengths():
    hops = HopGraph(2, np.array([0]), np.array([1]))
    indptr, indices, lengths, _ = hops.base()
    with pytest.raises(ValueError):
        source_sums((indptr, indices, lengths, True), 2, np.zeros((1, 2), dtype=np.uint8), np.array([0]))


@pytest.mark.parametrize("seed", range(8))
def test_a_scorer_kept_through_a_build_scores_as_a_fresh_one(seed):
    actors, deps, infras, needs = random_records(seed)
    net = dp.Network.from_records(actors, deps, infrastructures=infras, needs=needs)
    config = SimulationConfig.from_mapping({"evaluation": {"sample": 3}, "infrastructure": {"move_size": 3}})
    phases = Phases(net, Phases.initial_state(net, config), Recorder(), config)
    measured = phases._measure(0)
    costs = phases.route_costs(phases._pay(0, measured), measured, 0)
    kept = StepScorer(phases, ["a0", "a1"])
    first = sample_candidates(net, "a0", net.controls("a0"), np.random.default_rng(seed), count=6, move_size=3,
                              build_cost=10.0, extend_cost=0.5)
    kept.power_changes("a0", first, costs, np.random.default_rng(1))
    # a0 builds: an infrastructure with no routes yet joins the network, as in the invest phase
    phases.network = edits.add_infrastructure(phases.network, "a0/infra-1", owner="a0", dimensions=("d",)).network
    moves = sample_candidates(phases.network, "a1", phases.network.controls("a1"), np.random.default_rng(seed + 1),
                              count=6, move_size=3, build_cost=10.0, extend_cost=0.5)
    shared = kept.power_changes("a1", moves, costs, np.random.default_rng(2))
    fresh = StepScorer(phases, ["a1"]).power_changes("a1", moves, costs, np.random.default_rng(2))
    assert shared.tolist() == fresh.tolist()


def test_strata_when_the_nearest_levels_hold_every_affected_source():
    # 5 affected sources at 0-1 hops with a budget of 3: levels 0 and 1 are always exact (up to 8 x the
    # budget), so nothing is left to sample; this used to divide by the empty sample's size
    levels = np.array([0, 0, 1, 1, 1, -1])
    exact, sampled, factor = strata(levels, 3, np.arange(6))
    assert exact.tolist() == [0, 1, 2, 3, 4] and len(sampled) == 0 and factor == 1.0


@pytest.mark.parametrize("lanes", [2, 3])
def test_fused_sums_are_the_same_bytes_on_several_lanes(lanes):
    rng = np.random.default_rng(7)
    n, m = 300, 1500
    source, target = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = source != target
    hops = HopGraph(n, source[keep], target[keep])
    member = (rng.random((4, n)) < 0.02).astype(np.uint8)
    sources = np.arange(0, 250)
    serial = source_sums(hops.base(), 250, member, sources, 1)
    parallel = source_sums(hops.base(), 250, member, sources, lanes)
    assert serial.tobytes() == parallel.tobytes() and serial.any()


def test_measure_epsilon_samples_within_the_stated_error():
    # measure.epsilon used to be refused ("choose either exact values or an epsilon"): the step's power is
    # now the sampled estimate (paths between actor pairs, the cheaper method here), within epsilon of the
    # exact normalized power (oracle: dp.power, exact)
    rng = np.random.default_rng(3)
    n = 300
    pairs = {(int(u), int(v)) for u, v in rng.integers(0, n, (4 * n, 2)) if u != v}
    net = dp.Network.from_records([{"id": f"a{i}"} for i in range(n)],
                                  [{"dependent": f"a{u}", "provider": f"a{v}"} for u, v in sorted(pairs)])
    config = SimulationConfig.from_mapping({"measure": {"epsilon": 0.3, "delta": 0.1}})
    measured = Phases(net, Phases.initial_state(net, config), Recorder(), config)._measure(0)
    assert measured.raw.attrs["exact"] is False and measured.raw.attrs["method"] == "kadabra"
    exact = dp.power(net, exact=True)["power"].to_numpy()
    assert np.abs(measured.normalized - exact).max() <= 0.3
    assert not np.array_equal(measured.normalized, exact)
