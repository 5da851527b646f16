"""Adaptive path sampling (KADABRA): the guarantee over many seeds, uniform paths, determinism.

Oracles: NetworkX's exact betweenness, NetworKit's ApproxBetweenness, and path
counts derived by hand on small graphs.
"""

from __future__ import annotations

import math
import multiprocessing
import random
import sys
from collections import Counter

import networkx as nx
import numba
import numpy as np
import pytest

import dependencia as dp
from dependencia.base.jit import parallel_allowed
from dependencia.errors import UsageError
from dependencia.graph import CompiledGraph
from dependencia.measures import _kadabra
from dependencia.measures import adaptive as adaptive_module
from dependencia.measures.adaptive import (
    _adjacency,
    _failure_budgets,
    adaptive_betweenness,
    sample_bound,
    vertex_diameter_bound,
)
from dependencia.measures.betweenness import approximate_betweenness, graph_betweenness


# --------------------------------------------------------------------------- helpers
def compiled(G: nx.Graph) -> CompiledGraph:
    """G on node positions 0..n-1 (self-loops dropped), as ``compile_graph`` would lay it out."""
    directed = G.is_directed()
    position = {v: i for i, v in enumerate(G.nodes)}
    pairs = {(position[u], position[v]) for u, v in G.edges() if u != v}
    if not directed:
        pairs = {(min(p), max(p)) for p in pairs}
    pairs = sorted(pairs)
    source = np.array([p[0] for p in pairs], dtype=np.int64)
    target = np.array([p[1] for p in pairs], dtype=np.int64)
    return CompiledGraph(
        node_ids=np.array([str(v) for v in G.nodes], dtype=object), n_actors=len(position), source=source,
        target=target, strength=np.ones(len(pairs)), length=None, directed=directed, dimensions=("d",),
    )


def exact(G: nx.Graph) -> np.ndarray:
    values = nx.betweenness_centrality(G)
    return np.array([values[v] for v in G.nodes])


def scale_free(n: int, seed: int) -> nx.DiGraph:
    G = nx.DiGraph(nx.scale_free_graph(n, alpha=0.1, beta=0.8, gamma=0.1, delta_in=2, delta_out=2, seed=seed))
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    return G


def oriented_ba(n: int, seed: int) -> nx.DiGraph:
    # a Barabasi-Albert graph, each edge oriented at random, a third of them both ways
    rng = random.Random(seed)
    D = nx.DiGraph()
    D.add_nodes_from(range(n))
    for u, v in nx.barabasi_albert_graph(n, 2, seed=seed).edges():
        D.add_edge(*((u, v) if rng.random() < 0.5 else (v, u)))
        if rng.random() < 0.33:
            D.add_edge(v, u)
    return D


GRAPHS = {
    "scale-free-300": lambda: scale_free(300, 5),
    "gnm-200-directed": lambda: nx.gnm_random_graph(200, 500, seed=3, directed=True),
    "ba-250-oriented": lambda: oriented_ba(250, 6),
    "tree-127-both-ways": lambda: nx.balanced_tree(2, 6).to_directed(),
}


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def case(request):
    G = GRAPHS[request.param]()
    return compiled(G), exact(G)


# --------------------------------------------------------------------------- the guarantee
SEEDS = 50


def _failure_rate(graph: CompiledGraph, truth: np.ndarray, epsilon: float, delta: float, seeds: int) -> tuple:
    errors = np.array([
        np.abs(adaptive_betweenness(graph, epsilon=epsilon, delta=delta, seed=seed).normalized() - truth).max()
        for seed in range(seeds)
    ])
    return float(np.mean(errors > epsilon)), errors


def test_every_error_within_epsilon_in_at_least_1_minus_delta_of_seeds(case):
    # The (epsilon, delta) guarantee, measured: over 50 seeds, the share of runs with
    # some node off by more than epsilon is at most delta. (Observed: 0 of 50 on every
    # graph; the largest error 0.43-0.87 epsilon, the median 0.24-0.46 epsilon.)
    graph, truth = case
    epsilon, delta = 0.05, 0.1
    rate, errors = _failure_rate(graph, truth, epsilon, delta, SEEDS)
    assert rate <= delta, (rate, errors.max())
    # not trivially small: the estimates move with the seed
    assert errors.min() > 0


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_guarantee_at_a_small_epsilon_over_100_seeds(name):
    # epsilon 0.01 (20,000-100,000 samples a run); observed 0 of 100, largest error 0.56-0.80 epsilon
    G = GRAPHS[name]()
    rate, errors = _failure_rate(compiled(G), exact(G), 0.01, 0.1, 100)
    assert rate <= 0.1, (rate, errors.max())


def test_estimates_agree_with_networkits_estimator():
    # A second oracle: NetworKit's Riondato-Kornaropoulos estimate has the same guarantee,
    # so the two are within 2 epsilon of each other, and find the same most central node.
    G = scale_free(500, 8)
    graph = compiled(G)
    ours = approximate_betweenness(graph, epsilon=0.02, delta=0.1, seed=1, method="kadabra")
    theirs = approximate_betweenness(graph, epsilon=0.02, delta=0.1, seed=1, method="rk")
    assert np.abs(ours - theirs).max() <= 0.04
    assert np.argmax(ours) == np.argmax(theirs) == np.argmax(exact(G))


def test_expected_counts_are_the_betweenness():
    # Unbiasedness: E[count_v / samples] = b(v) (n-2)/n. 64,000 paths on a 40-node graph;
    # each count is binomial, so its deviation stays within 5 standard deviations.
    G = nx.gnm_random_graph(40, 90, seed=2, directed=True)
    graph = compiled(G)
    n = graph.n_nodes
    p = exact(G) * (n - 2) / n
    samples = 4000 * 16
    counts = _kadabra.sample_blocks(*_adjacency(graph), 123, 0, 4000, 16, 1)
    sd = np.sqrt(samples * p * (1 - p))
    assert np.all(np.abs(counts - samples * p) <= 5 * sd + 1e-9)
    assert counts.sum() > 0


# --------------------------------------------------------------------------- uniform shortest paths
def _draw_paths(graph: CompiledGraph, s: int, t: int, draws: int) -> Counter:
    out_ptr, out_idx, in_ptr, in_idx = _adjacency(graph)
    n = graph.n_nodes
    dist_s, dist_t = np.full(n, -1, dtype=np.int32), np.full(n, -1, dtype=np.int32)
    sigma_s, sigma_t = np.zeros(n), np.zeros(n)
    queue_s, queue_t, meet, path = (np.empty(n, dtype=np.int64) for _ in range(4))
    state = _kadabra.block_state(7, 0)
    seen = Counter()
    for _ in range(draws):
        length, state = _kadabra.sample_path(out_ptr, out_idx, in_ptr, in_idx, s, t, np.uint64(state), dist_s,
                                             dist_t, sigma_s, sigma_t, queue_s, queue_t, meet, path)
        seen[tuple(sorted(path[:length].tolist()))] += 1
        assert (dist_s == -1).all() and (dist_t == -1).all()  # the workspace is restored
    return seen


@pytest.mark.parametrize("tail", [0, 1, 4])
def test_a_sampled_shortest_path_is_uniform(tail):
    # s -> x1, x2; x1 -> y1; x2 -> y1, y2, y3; y1, y2, y3 -> z; z -> t, then a chain of
    # `tail` more nodes before t (which moves where the two searches meet). The four
    # shortest paths are s-x1-y1, s-x2-y1, s-x2-y2, s-x2-y3 (then z ... t). Choosing a
    # neighbour uniformly at each step from s would give s-x1-y1 probability 1/2;
    # from t, s-x2-y2 probability 1/3. Uniform is 1/4 each.
    edges = [("s", "x1"), ("s", "x2"), ("x1", "y1"), ("x2", "y1"), ("x2", "y2"), ("x2", "y3")]
    edges += [(y, "z") for y in ("y1", "y2", "y3")]
    chain = ["z"] + [f"c{i}" for i in range(tail)] + ["t"]
    edges += list(zip(chain[:-1], chain[1:]))
    G = nx.DiGraph(edges)
    graph = compiled(G)
    index = {v: i for i, v in enumerate(G.nodes)}
    draws = 8000
    seen = _draw_paths(graph, index["s"], index["t"], draws)
    names = {i: v for v, i in index.items()}
    middles = Counter({tuple(sorted(names[i] for i in path if names[i][0] in "xy")): k for path, k in seen.items()})
    assert set(middles) == {("x1", "y1"), ("x2", "y1"), ("x2", "y2"), ("x2", "y3")}
    chi2 = sum((k - draws / 4) ** 2 / (draws / 4) for k in middles.values())
    assert chi2 < 16.27  # chi-square, 3 degrees of freedom, p = 0.001
    # every path holds its whole inside: z and the chain
    assert all(len(path) == 3 + tail for path in seen)


def test_unreachable_pair_samples_no_path():
    G = nx.DiGraph([(0, 1), (1, 2), (3, 2)])
    seen = _draw_paths(compiled(G), 0, 3, 10)
    assert seen == Counter({(): 10})


# --------------------------------------------------------------------------- determinism
def test_same_seed_same_counts_and_global_state_untouched():
    graph = compiled(scale_free(400, 2))
    np_state, py_state = np.random.get_state(), random.getstate()
    first = adaptive_betweenness(graph, epsilon=0.03, seed=5)
    again = adaptive_betweenness(graph, epsilon=0.03, seed=5)
    other = adaptive_betweenness(graph, epsilon=0.03, seed=6)
    np.testing.assert_array_equal(first.counts, again.counts)
    assert first.samples == again.samples
    assert not np.array_equal(first.counts, other.counts)
    assert random.getstate() == py_state
    after = np.random.get_state()
    assert after[0] == np_state[0] and np.array_equal(after[1], np_state[1]) and after[2:] == np_state[2:]


def test_lanes_do_not_change_the_counts():
    # the same blocks drawn by 1, 2 or 3 lanes (the parallel kernel whenever lanes > 1)
    adjacency = _adjacency(compiled(scale_free(500, 4)))
    counts = [_kadabra.sample_blocks(*adjacency, 99, 5, 40, 16, lanes) for lanes in (1, 2, 3)]
    np.testing.assert_array_equal(counts[0], counts[1])
    np.testing.assert_array_equal(counts[0], counts[2])
    assert counts[0].sum() > 0


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two Numba threads")
def test_one_and_two_threads_give_the_same_counts(monkeypatch):
    monkeypatch.setattr(adaptive_module, "PARALLEL_WORK", 0)  # every batch on all threads
    graph = compiled(scale_free(1500, 3))
    before = numba.get_num_threads()
    try:
        results = []
        for threads in (1, 2):
            numba.set_num_threads(threads)
            results.append(adaptive_betweenness(graph, epsilon=0.03, seed=11))
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(results[0].counts, results[1].counts)
    assert results[0].samples == results[1].samples


def _sample_in_child(graph: CompiledGraph) -> tuple[np.ndarray, bool]:
    return adaptive_betweenness(graph, epsilon=0.05, seed=3).counts, not parallel_allowed()


@pytest.mark.skipif(sys.platform != "linux", reason="fork")
def test_a_forked_child_samples_serially_and_alike(monkeypatch):
    # GNU OpenMP kills a forked child that starts a parallel region once the parent's
    # pool has started; such a child must sample serially, and get the same counts
    monkeypatch.setattr(adaptive_module, "PARALLEL_WORK", 0)
    graph = compiled(scale_free(800, 2))
    expected = adaptive_betweenness(graph, epsilon=0.05, seed=3).counts  # starts the pool here
    with multiprocessing.get_context("fork").Pool(1) as pool:
        counts, serial = pool.apply_async(_sample_in_child, (graph,)).get(timeout=120)
    assert serial
    np.testing.assert_array_equal(counts, expected)


# --------------------------------------------------------------------------- edge cases
@pytest.mark.parametrize("n", [0, 1, 2])
def test_fewer_than_three_nodes_is_zero(n):
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    if n == 2:
        G.add_edge(0, 1)
    estimate = adaptive_betweenness(compiled(G))
    assert estimate.samples == 0 and estimate.normalized().tolist() == [0.0] * n


def test_no_edges_is_zero():
    G = nx.empty_graph(6, create_using=nx.DiGraph)
    estimate = adaptive_betweenness(compiled(G))
    assert estimate.samples == 0 and estimate.normalized().tolist() == [0.0] * 6
    assert estimate.ordered_sums().tolist() == [0.0] * 6


def test_no_path_with_an_inside_is_exactly_zero():
    # every edge goes from {0, 1, 2} to {3, 4, 5}: no shortest path has an inner node,
    # the vertex diameter is 2 and nothing needs sampling
    G = nx.DiGraph([(u, v) for u in range(3) for v in range(3, 6)])
    graph = compiled(G)
    assert vertex_diameter_bound(graph) == 2
    estimate = adaptive_betweenness(graph)
    assert estimate.samples == 0 and estimate.vertex_diameter == 2
    assert estimate.normalized().tolist() == [0.0] * 6


def test_mostly_unreachable_pairs():
    # two directed paths a0 -> a1 -> a2 and b0 -> b1 -> b2 -> b3 and six isolated nodes: of
    # the 13 * 12 ordered pairs only 3 + 6 have a path; a1 is inside one (a0, a2), b1 and b2
    # inside two each; normalized by 12 * 11: 1/132, 2/132, 2/132
    G = nx.DiGraph([("a0", "a1"), ("a1", "a2"), ("b0", "b1"), ("b1", "b2"), ("b2", "b3")])
    G.add_nodes_from(f"i{k}" for k in range(6))
    graph = compiled(G)
    truth = exact(G)
    assert truth.max() == pytest.approx(2 / 132)
    estimate = adaptive_betweenness(graph, epsilon=0.01, seed=4)
    assert np.abs(estimate.normalized() - truth).max() <= 0.01
    assert estimate.normalized()[list(G.nodes).index("i0")] == 0.0


def test_undirected_graph():
    G = nx.barabasi_albert_graph(200, 2, seed=9)
    estimate = adaptive_betweenness(compiled(G), epsilon=0.03, seed=2)
    assert np.abs(estimate.normalized() - exact(G)).max() <= 0.03


def test_bad_arguments():
    graph = compiled(nx.path_graph(4, create_using=nx.DiGraph))
    for kwargs in (dict(epsilon=0.0), dict(epsilon=1.0), dict(delta=0.0), dict(delta=1.5)):
        with pytest.raises(UsageError):
            adaptive_betweenness(graph, **kwargs)
    weighted = CompiledGraph(
        node_ids=graph.node_ids, n_actors=graph.n_actors, source=graph.source, target=graph.target,
        strength=graph.strength, length=-np.ones(graph.n_edges), directed=True, dimensions=("d",),
    )
    with pytest.raises(UsageError, match="positive"):
        adaptive_betweenness(weighted)


# --------------------------------------------------------------------------- the pieces
def test_vertex_diameter_bound_is_an_upper_bound():
    # against the true vertex diameter (most nodes on a shortest path) on varied graphs
    rng = np.random.default_rng(0)
    graphs = [nx.gnm_random_graph(int(n), int(m), seed=int(s), directed=True)
              for n, m, s in zip(rng.integers(5, 60, 12), rng.integers(4, 150, 12), range(12))]
    graphs += [scale_free(200, 1), nx.balanced_tree(2, 5).to_directed(), nx.path_graph(9, create_using=nx.DiGraph),
               nx.cycle_graph(10, create_using=nx.DiGraph), nx.gnm_random_graph(40, 60, seed=1),
               nx.DiGraph(nx.gn_graph(80, seed=3))]
    for G in graphs:
        lengths = [d for _, row in nx.all_pairs_shortest_path_length(G) for d in row.values()]
        true = max(lengths) + 1
        bound = vertex_diameter_bound(compiled(G))
        assert true <= bound <= G.number_of_nodes(), (G, true, bound)
    # where it is tight by hand: a directed path of 9 nodes, a directed 10-cycle (9 hops + 1)
    assert vertex_diameter_bound(compiled(nx.path_graph(9, create_using=nx.DiGraph))) == 9
    assert vertex_diameter_bound(compiled(nx.cycle_graph(10, create_using=nx.DiGraph))) == 10


def test_sample_bound_by_hand():
    # VD = 15: floor(log2 13) + 1 = 4; ln(2 / 0.1) = 2.9957; 0.5 / 0.05^2 * 6.9957 = 1399.1
    assert sample_bound(15, 0.05, 0.1) == 1400
    # VD = 3: floor(log2 1) + 1 = 1; 0.5 / 0.01^2 * (1 + ln 20) = 19978.7
    assert sample_bound(3, 0.01, 0.1) == 19979


def test_failure_budgets_sum_to_at_most_half_delta():
    rng = np.random.default_rng(3)
    first = np.where(rng.random(1000) < 0.3, rng.random(1000) * 0.2, 0.0)
    for delta in (0.01, 0.1, 0.5):
        log_inv = _failure_budgets(first, 0.01, delta)
        assert 2 * np.exp(-log_inv).sum() <= delta / 2 * (1 + 1e-12)
        # larger first estimates get larger budgets (smaller ln(1/delta_v))
        order = np.argsort(first)
        assert np.all(np.diff(log_inv[order]) <= 1e-12)


def test_stopping_rule_by_hand():
    # one node, b = 0.25 after k = 1000 of omega = 2000 samples, L = ln(1/delta_v) = 10:
    # f = 10/1000 (1/3 - 2 + sqrt((5/3)^2 + 2 * 0.25 * 2000 / 10)) = 0.01 * (-5/3 + 10.1379) = 0.08471
    # g = 10/1000 (1/3 + 2 + sqrt((7/3)^2 + 100)) = 0.01 * (7/3 + 10.2686) = 0.12602
    counts = np.array([250])
    log_inv = np.array([10.0])
    assert _kadabra.all_within(counts, 1000.0, 2000.0, log_inv, 0.127)
    assert not _kadabra.all_within(counts, 1000.0, 2000.0, log_inv, 0.125)
    assert not _kadabra.all_within(counts, 1000.0, 2000.0, log_inv, 0.084)


# --------------------------------------------------------------------------- wiring
def _network(G: nx.DiGraph) -> dp.Network:
    return dp.Network.from_records([{"id": str(v)} for v in G.nodes],
                                   [{"dependent": str(u), "provider": str(v)} for u, v in G.edges()])


def test_betweenness_uses_kadabra_on_directed_hop_counts():
    G = scale_free(300, 5)
    net = _network(G)
    frame = dp.betweenness(net, epsilon=0.05, seed=3)
    assert frame.attrs["method"] == "kadabra" and frame.attrs["exact"] is False
    graph = compiled(G)
    expected = adaptive_betweenness(graph, epsilon=0.05, delta=0.1, seed=3).normalized()
    np.testing.assert_allclose(frame["betweenness"].to_numpy(), expected, rtol=1e-12)
    assert dp.betweenness(net, exact=True).attrs["method"] is None
    assert dp.betweenness(net, directed=False, epsilon=0.05).attrs["method"] == "rk"


@pytest.mark.parametrize("method", ["kadabra", "rk", "sources"])
def test_every_method_is_within_epsilon(method):
    G = scale_free(300, 5)
    frame = dp.betweenness(_network(G), epsilon=0.05, seed=1, method=method)
    assert frame.attrs["method"] == method
    assert np.abs(frame["betweenness"].to_numpy() - exact(G)).max() <= 0.05


def test_method_is_checked():
    G = nx.DiGraph([(0, 1), (1, 2), (2, 3)])
    net = dp.Network.from_records([{"id": str(v)} for v in G.nodes],
                                  [{"dependent": str(u), "provider": str(v), "w": 1.0} for u, v in G.edges()])
    with pytest.raises(UsageError, match="unknown approximation method"):
        dp.betweenness(net, epsilon=0.1, method="magic")
    with pytest.raises(UsageError, match="refuses"):
        dp.betweenness(net, epsilon=0.1, method="rk", length="w")
    frame = dp.betweenness(net, epsilon=0.1, length="w")
    assert frame.attrs["method"] == "kadabra"  # lengths too (issue 19); "sources" when asked for
    assert dp.betweenness(net, epsilon=0.1, length="w", method="sources").attrs["method"] == "sources"
    graph = compiled(G)
    values = graph_betweenness(graph, epsilon=0.1, method="kadabra")["betweenness"].to_numpy()
    assert math.isclose(values[1], 2 / 6, abs_tol=0.1)
