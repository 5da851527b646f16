"""Path sampling of actor power and routed node betweenness: the guarantee, the pieces, determinism.

Oracle: the brute force of tests/measures/test_routed_oracle.py (the graph built from the records by
``_records_graph``, every shortest path between every ordered pair of actors enumerated with NetworkX,
controlled sets from the ownership records), never the package's own exact values.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

import numba
import numpy as np
import pytest
from _records_graph import records_graph
from test_routed_oracle import brute_force_power, brute_force_routed_betweenness, shortest_paths

import dependencia as dp
from dependencia.base.executor import Executor
from dependencia.errors import UsageError
from dependencia.graph import compile_graph
from dependencia.measures.group_sampling import failure_budgets, group_sample_bound, sample_groups
from dependencia.measures.power import controlled_groups

EPSILON, DELTA, SEEDS = 0.05, 0.1, 50


def owned_network(seed: int, n: int = 14) -> tuple[dp.Network, dict]:
    """Actors, open and closed infrastructures (owned, some by actors that also use them), ownership chains."""
    rng = random.Random(seed)
    actors = [f"a{i}" for i in range(n)]
    infras = [{"id": f"x{i}", "owner": rng.choice(actors[:5]), "transit": "open" if i % 3 == 2 else "closed"}
              for i in range(4)]
    deps = []
    for _ in range(3 * n):
        u, v = rng.sample(actors, 2)
        via = rng.sample([x["id"] for x in infras], rng.randint(1, 2)) if rng.random() < 0.6 else []
        deps.append({"dependent": u, "provider": v, "via": via, "w": rng.randint(1, 3)})
    ownership = [{"owner": "a0", "owned": "a1", "share": 0.6}, {"owner": "a1", "owned": "a2", "share": 1.0},
                 {"owner": "a3", "owned": "a4", "share": 0.4}]
    net = dp.Network.from_records([{"id": a} for a in actors], deps, infrastructures=infras, ownership=ownership)
    return net, {"directed": seed % 2 == 0, "length": "w" if seed % 3 == 0 else None}


CASES = [0, 1, 2, 3]


def _oracle(net: dp.Network, options: dict, paths: str) -> tuple[dict, dict]:
    graph = records_graph(net, directed=options["directed"], length=options["length"], paths=paths)
    found = shortest_paths(graph, list(net.actors.index), options["length"])
    power = brute_force_power(net, found, directed=options["directed"], normalized=True)
    between = brute_force_routed_betweenness(net, found, directed=options["directed"], normalized=True)
    return power, between


@pytest.mark.parametrize("paths", ["routed", "hub"])
@pytest.mark.parametrize("case", CASES)
def test_every_value_within_epsilon_in_at_least_1_minus_delta_of_seeds(case, paths):
    net, options = owned_network(case)
    power, between = _oracle(net, options, paths)
    actors = list(net.actors.index)
    expected_power = np.array([power[a] for a in actors])
    within, worst = 0, 0.0
    for seed in range(SEEDS):
        frame = dp.power(net, paths=paths, epsilon=EPSILON, delta=DELTA, seed=seed, method="kadabra", **options)
        assert frame.attrs["method"] == "kadabra" and frame.attrs["samples"] > 0
        error = np.abs(frame["power"].to_numpy() - expected_power).max()
        if paths == "routed":  # node betweenness over actor pairs (the hub graph's is the node sampler's)
            nodes = dp.betweenness(net, epsilon=EPSILON, delta=DELTA, seed=seed, method="kadabra", **options)
            assert nodes.attrs["method"] == "kadabra"
            error = max(error, max(abs(nodes.at[v, "betweenness"] - between[v]) for v in nodes.index))
            # the actors' own node betweenness (power's `betweenness` column) is estimated with the same guarantee
            error = max(error, max(abs(frame.at[a, "betweenness"] - between[a]) for a in actors))
        within += error <= EPSILON
        worst = max(worst, error)
    assert within >= math.ceil((1 - DELTA) * SEEDS), (within, worst)
    assert worst > 0  # sampled, not computed exactly


def test_a_pair_with_an_end_in_the_group_never_counts():
    # own owns the closed X and uses it: own -> X -> b, own -> X -> c; a -> X -> b. C(own) = {own, X and its
    # route nodes}. Routed: only (a, b) of the 3 * 2 pairs outside C(own) passes X: power 1/6. Hub (X one
    # node, so a -> X -> c too): (a, b) and (a, c), 2/6. Counting the pairs own starts (their paths pass X
    # inside) would give 3/6 and 4/6.
    net = dp.Network.from_records([{"id": i} for i in ("own", "a", "b", "c")],
                                  [{"dependent": "own", "provider": "b", "via": ["X"]},
                                   {"dependent": "own", "provider": "c", "via": ["X"]},
                                   {"dependent": "a", "provider": "b", "via": ["X"]}],
                                  infrastructures=[{"id": "X", "owner": "own"}])
    for paths, expected in (("routed", 1 / 6), ("hub", 2 / 6)):
        frame = dp.power(net, paths=paths, epsilon=0.02, seed=4, method="kadabra")
        assert frame.at["own", "power"] == pytest.approx(expected, abs=0.02)


def test_undirected_raw_values_are_halved_sums():
    net, options = owned_network(1)
    assert not options["directed"]
    power, _ = _oracle(net, options, "routed")
    exact_raw = brute_force_power(net, shortest_paths(records_graph(net, directed=False, paths="routed"),
                                                      list(net.actors.index), None), directed=False, normalized=False)
    frame = dp.power(net, normalized=False, epsilon=0.02, seed=1, method="kadabra", **options)
    n = net.n_actors
    for a in net.actors.index:  # within epsilon on the normalized scale, so within epsilon * pairs / 2 here
        assert abs(frame.at[a, "power"] - exact_raw[a]) <= 0.02 * n * (n - 1) / 2


# --------------------------------------------------------------------------- the pieces
def test_sample_bound_is_the_smaller_of_hoeffding_and_vc():
    # Hoeffding with a union bound over G groups: ln(4G/delta) / (2 lambda^2); VC: 0.5 / lambda^2 (floor(log2 G)
    # + ln(2/delta)). Two groups: the VC bound is smaller; 20,000: Hoeffding's.
    assert group_sample_bound(2, 0.01, 0.1) == math.ceil(0.5 / 1e-4 * (1 + math.log(20)))
    assert group_sample_bound(20_000, 0.01, 0.1) == math.ceil(math.log(800_000) / 2e-4)


def test_failure_budgets_stay_within_half_delta():
    rng = np.random.default_rng(0)
    for _ in range(20):
        first = rng.random(50) * (rng.random(50) < 0.7) * 0.3
        bounds = rng.uniform(0.001, 0.05, 50)
        bounds[rng.random(50) < 0.1] = np.inf
        spent = np.exp(-failure_budgets(first, bounds, 0.1))
        assert 2 * spent.sum() <= 0.05 * (1 + 1e-12)
        assert np.all(spent[np.isinf(bounds)] == 0)


def test_expected_counts_are_the_pair_sums():
    # with many samples the mean indicator approaches S_g / (n_A (n_A - 1)) for every group (law of large
    # numbers: 4 standard deviations), groups of an actor's controlled set, its own node, an infrastructure
    net, options = owned_network(2, n=10)
    graph = compile_graph(net, paths="routed", directed=options["directed"], length=options["length"])
    groups = controlled_groups(net, graph)
    power, between = _oracle(net, options, "routed")
    n = net.n_actors
    c = np.array([len(set(g[g < n].tolist())) for g in groups])
    from dependencia.measures import _group_kadabra
    from dependencia.measures.adaptive import _adjacency
    from dependencia.measures.group_sampling import _membership

    ptr, nodes = _membership(graph.n_nodes, groups)
    counts = _group_kadabra.sample_blocks(_adjacency(graph), n, ptr, nodes, len(groups), 5, 0, 20_000, 16, 1)
    samples = 20_000 * 16
    mean = counts / samples
    expected = np.array([power[a] for a in net.actors.index]) * (n - c) * (n - c - 1) / (n * (n - 1))
    assert np.all(np.abs(mean - expected) <= 4 * np.sqrt(expected * (1 - expected) / samples) + 1e-9), (mean, expected)


# --------------------------------------------------------------------------- choosing, and refusing
def test_sources_stay_selectable_and_unknown_methods_are_refused():
    net = _scale_free_routed(1500)
    frame = dp.power(net, epsilon=0.3, method="sources")
    assert frame.attrs["method"] == "sources" and frame.attrs["samples"] is None and frame.attrs["sources"] < 1500
    nodes = dp.betweenness(net, epsilon=0.3, method="sources")
    assert nodes.attrs["method"] == "sources" and nodes.attrs["samples"] is None
    with pytest.raises(UsageError, match="unknown approximation method 'rk'"):
        dp.power(net, epsilon=0.1, method="rk")
    with pytest.raises(UsageError, match="not 'rk'"):
        dp.betweenness(net, epsilon=0.1, method="rk")
    with pytest.raises(UsageError, match="give an epsilon"):
        dp.power(net, method="kadabra")


def test_large_sparse_network_defaults_to_path_sampling():
    net = _scale_free_routed(1500)
    assert dp.power(net, epsilon=0.1).attrs["method"] == "kadabra"
    assert dp.betweenness(net, epsilon=0.1).attrs["method"] == "kadabra"


# --------------------------------------------------------------------------- determinism
def _scale_free_routed(n: int) -> dp.Network:
    rng = np.random.default_rng(7)
    edges = {(int(u), int(v)) for u, v in zip(rng.integers(0, n, 4 * n), (rng.pareto(1.5, 4 * n) * 5).astype(int) % n)
             if u != v}
    ids = [f"n{i}" for i in range(n)]
    deps = [{"dependent": ids[u], "provider": ids[v], "via": [f"x{(u + v) % 12}"] if (u + v) % 3 else []}
            for u, v in sorted(edges)]
    infras = [{"id": f"x{i}", "owner": ids[i * 7], "transit": "open" if i % 4 == 0 else "closed"} for i in range(12)]
    ownership = [{"owner": ids[0], "owned": ids[1], "share": 1.0}, {"owner": ids[0], "owned": ids[21], "share": 0.7}]
    return dp.Network.from_records([{"id": i} for i in ids], deps, infrastructures=infras, ownership=ownership)


def test_one_and_two_threads_and_workers_give_the_same_bytes():
    net = _scale_free_routed(1500)
    graph = compile_graph(net)
    groups = controlled_groups(net, graph)
    pairs = np.full(len(groups), float((net.n_actors - 3) * (net.n_actors - 4)))
    before = numba.get_num_threads()
    runs = defaultdict(list)
    try:
        for threads in (1, 2):
            numba.set_num_threads(threads)
            runs["threads"].append(sample_groups(graph, groups, pairs, epsilon=0.03, delta=0.1, seed=11))
    finally:
        numba.set_num_threads(before)
    for workers in (1, 2):
        with Executor(workers) as executor:
            runs["workers"].append(sample_groups(graph, groups, pairs, epsilon=0.03, delta=0.1, seed=11,
                                                 executor=executor))
    first = runs["threads"][0]
    assert first.samples > 0 and first.counts.any()
    for run in (*runs["threads"], *runs["workers"]):
        assert run.counts.tobytes() == first.counts.tobytes() and run.samples == first.samples
    other = sample_groups(graph, groups, pairs, epsilon=0.03, delta=0.1, seed=12)
    assert not np.array_equal(other.counts, first.counts)
    # and through the API, actor power and routed betweenness with 1 and 2 workers
    for measure in (dp.power, dp.betweenness):
        one, two = (measure(net, epsilon=0.05, seed=3, method="kadabra", workers=w) for w in (1, 2))
        column = "power" if measure is dp.power else "betweenness"
        assert one[column].to_numpy().tobytes() == two[column].to_numpy().tobytes()
