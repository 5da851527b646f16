"""Adaptive path sampling on graphs with lengths: the guarantee, uniform shortest paths, determinism.

Oracles: NetworkX's exact weighted betweenness and its enumeration of all
shortest paths (``nx.all_shortest_paths``), and path counts derived by hand.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import networkx as nx
import numba
import numpy as np
import pytest

import dependencia as dp
from dependencia.errors import UsageError
from dependencia.graph import CompiledGraph
from dependencia.measures import _kadabra, _kadabra_weighted
from dependencia.measures import adaptive as adaptive_module
from dependencia.measures.adaptive import _adjacency, adaptive_betweenness, vertex_diameter_bound
from dependencia.measures.betweenness import approximate_betweenness


def compiled(G: nx.Graph) -> CompiledGraph:
    """G on node positions 0..n-1 with its edges' ``w`` as lengths (self-loops dropped)."""
    position = {v: i for i, v in enumerate(G.nodes)}
    edges = sorted((position[u], position[v], float(d["w"])) for u, v, d in G.edges(data=True) if u != v)
    return CompiledGraph(
        node_ids=np.array([str(v) for v in G.nodes], dtype=object), n_actors=len(position),
        source=np.array([e[0] for e in edges], dtype=np.int64), target=np.array([e[1] for e in edges], dtype=np.int64),
        strength=np.ones(len(edges)), length=np.array([e[2] for e in edges]), directed=G.is_directed(),
        dimensions=("d",),
    )


def exact(G: nx.Graph) -> np.ndarray:
    values = nx.betweenness_centrality(G, weight="w")
    return np.array([values[v] for v in G.nodes])


def with_lengths(G: nx.DiGraph, seed: int, *, integers: bool) -> nx.DiGraph:
    # integer lengths 1-3 make many tied shortest paths; uniform ones in [1, 10] almost none
    rng = np.random.default_rng(seed)
    for u, v in G.edges:
        G[u][v]["w"] = float(rng.integers(1, 4)) if integers else float(rng.uniform(1, 10))
    return G


def scale_free(n: int, seed: int) -> nx.DiGraph:
    G = nx.DiGraph(nx.scale_free_graph(n, alpha=0.1, beta=0.8, gamma=0.1, delta_in=2, delta_out=2, seed=seed))
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    return G


GRAPHS = {
    "gnm-200-uniform": lambda: with_lengths(nx.gnm_random_graph(200, 600, seed=3, directed=True), 1, integers=False),
    "gnm-150-integer": lambda: with_lengths(nx.gnm_random_graph(150, 500, seed=4, directed=True), 2, integers=True),
    "scale-free-250-integer": lambda: with_lengths(scale_free(250, 5), 3, integers=True),
    "grid-8x8-both-ways-half": lambda: _unit(nx.grid_2d_graph(8, 8).to_directed()),
}


def _unit(G: nx.DiGraph) -> nx.DiGraph:
    # every length 0.5: as many tied shortest paths as on hop counts (binomially many across the grid)
    nx.set_edge_attributes(G, 0.5, "w")
    return G


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def case(request):
    G = GRAPHS[request.param]()
    return compiled(G), exact(G)


# --------------------------------------------------------------------------- the guarantee
def test_every_error_within_epsilon_in_at_least_1_minus_delta_of_seeds(case):
    # The (epsilon, delta) guarantee, measured over 30 seeds: the share of runs with some
    # node off by more than epsilon is at most delta. (Observed: 0 of 30 on every graph.)
    graph, truth = case
    epsilon, delta = 0.05, 0.1
    errors = np.array([
        np.abs(adaptive_betweenness(graph, epsilon=epsilon, delta=delta, seed=seed).normalized() - truth).max()
        for seed in range(30)
    ])
    assert np.mean(errors > epsilon) <= delta, errors.max()
    assert errors.min() > 0  # the estimates move with the seed


@pytest.mark.parametrize("integers", [False, True])
def test_expected_counts_are_the_betweenness(integers):
    # Unbiasedness: E[count_v / samples] = b(v) (n-2)/n. 48,000 paths on a 40-node graph;
    # each count is binomial, so its deviation stays within 5 standard deviations.
    G = with_lengths(nx.gnm_random_graph(40, 110, seed=2, directed=True), 7, integers=integers)
    graph = compiled(G)
    n = graph.n_nodes
    p = exact(G) * (n - 2) / n
    samples = 3000 * 16
    counts = _kadabra_weighted.sample_blocks(*_adjacency(graph), 123, 0, 3000, 16, 1)
    sd = np.sqrt(samples * p * (1 - p))
    assert np.all(np.abs(counts - samples * p) <= 5 * sd + 1e-9)
    assert counts.sum() > 0


# --------------------------------------------------------------------------- uniform shortest paths
def _draw_paths(graph: CompiledGraph, s: int, t: int, draws: int) -> Counter:
    adjacency = _adjacency(graph)
    n, m = graph.n_nodes, len(adjacency[1])
    dist_s, dist_t = np.full(n, np.inf), np.full(n, np.inf)
    sigma_s, sigma_t = np.zeros(n), np.zeros(n)
    final_s, final_t = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    touched_s, touched_t, settled_s, settled_t, path = (np.empty(n, dtype=np.int64) for _ in range(5))
    keys_s, keys_t = np.empty(m + 1), np.empty(m + 1)
    nodes_s, nodes_t = np.empty(m + 1, dtype=np.int64), np.empty(m + 1, dtype=np.int64)
    state = _kadabra.block_state(7, 0)
    seen: Counter = Counter()
    for _ in range(draws):
        length, state = _kadabra_weighted.sample_path(
            *adjacency, s, t, np.uint64(state), dist_s, dist_t, sigma_s, sigma_t, final_s, final_t, touched_s,
            touched_t, settled_s, settled_t, keys_s, nodes_s, keys_t, nodes_t, path)
        seen[tuple(path[:length].tolist())] += 1
        # the workspace is restored
        assert np.isinf(dist_s).all() and np.isinf(dist_t).all() and not final_s.any() and not final_t.any()
        assert not sigma_s.any() and not sigma_t.any()
    return seen


def _check_uniform(G: nx.DiGraph, s, t, draws: int = 6000) -> None:
    """Every sampled inside is that of a shortest path, and each shortest path comes up uniformly."""
    graph = compiled(G)
    names = list(G.nodes)
    index = {v: i for i, v in enumerate(names)}
    seen = _draw_paths(graph, index[s], index[t], draws)
    insides = Counter({frozenset(names[i] for i in path): k for path, k in seen.items()})
    expected = {frozenset(p[1:-1]) for p in nx.all_shortest_paths(G, s, t, weight="w")}
    assert len(expected) == len({tuple(p) for p in nx.all_shortest_paths(G, s, t, weight="w")})  # insides differ
    assert set(insides) == expected
    k = len(expected)
    if k > 1:
        chi2 = sum((c - draws / k) ** 2 / (draws / k) for c in insides.values())
        # chi-square at p = 0.001 for k - 1 degrees of freedom
        assert chi2 < {2: 10.83, 3: 13.82, 4: 16.27, 5: 18.47, 6: 20.52}[k], (chi2, insides)


@pytest.mark.parametrize("tail", [0, 1, 4])
def test_a_sampled_shortest_path_is_uniform(tail):
    # s -> x1 (1), s -> x2 (2); x1 -> y1 (2); x2 -> y1, y2, y3 (1); y1, y2, y3 -> z (1.5); z -> t, or a
    # chain of `tail` more nodes first. Four shortest paths of the same length: s-x1-y1, s-x2-y1, s-x2-y2,
    # s-x2-y3; a longer detour s -> w -> z (6) is not one. Uniform is 1/4 each; choosing a neighbour
    # uniformly from s would give s-x1-y1 1/2. The tail moves where the two searches meet.
    G = nx.DiGraph()
    G.add_weighted_edges_from([("s", "x1", 1.0), ("s", "x2", 2.0), ("x1", "y1", 2.0), ("s", "w", 3.0),
                               ("w", "z", 3.0)], weight="w")
    G.add_weighted_edges_from([("x2", y, 1.0) for y in ("y1", "y2", "y3")], weight="w")
    G.add_weighted_edges_from([(y, "z", 1.5) for y in ("y1", "y2", "y3")], weight="w")
    chain = ["z"] + [f"c{i}" for i in range(tail)] + ["t"]
    G.add_weighted_edges_from([(a, b, 0.7) for a, b in zip(chain[:-1], chain[1:])], weight="w")
    _check_uniform(G, "s", "t")


def test_lengths_tied_within_the_tolerance_are_one_length():
    # 0.1 + 0.2 and 0.3 differ in floating point; within 1e-10 (igraph's rule) they are tied,
    # so both paths s-a-b-t and s-c-t are shortest
    G = nx.DiGraph()
    G.add_weighted_edges_from([("s", "a", 0.1), ("a", "b", 0.2), ("b", "t", 1.0), ("s", "c", 0.3),
                               ("c", "t", 1.0)], weight="w")
    graph = compiled(G)
    index = {v: i for i, v in enumerate(G.nodes)}
    seen = _draw_paths(graph, index["s"], index["t"], 4000)
    names = list(G.nodes)
    insides = Counter({frozenset(names[i] for i in p): k for p, k in seen.items()})
    assert set(insides) == {frozenset("ab"), frozenset("c")}
    assert abs(insides[frozenset("c")] - 2000) < 4 * np.sqrt(1000)


@pytest.mark.parametrize("seed", range(6))
def test_uniform_on_random_graphs_with_tied_lengths(seed):
    # on small random graphs with lengths 1-2, pairs with two or more shortest paths
    G = with_lengths(nx.gnm_random_graph(30, 90, seed=seed, directed=True), seed, integers=True)
    for u, v in G.edges:
        G[u][v]["w"] = 1.0 + (G[u][v]["w"] > 2)
    counted = 0
    for s in G.nodes:
        for t, _ in nx.single_source_dijkstra_path_length(G, s, weight="w").items():
            if t == s:
                continue
            k = sum(1 for _ in nx.all_shortest_paths(G, s, t, weight="w"))
            if 2 <= k <= 6 and counted < 3:
                _check_uniform(G, s, t, draws=3000)
                counted += 1
    assert counted == 3


def test_backward_search_doing_most_of_the_work():
    # t has one in-edge from a hub that s reaches directly and through a detour of the same length;
    # a wide out-star at s makes the forward side costlier, so the backward search settles the
    # middle nodes and the meeting edge leaves s itself
    G = nx.DiGraph()
    G.add_weighted_edges_from([("s", f"leaf{i}", 5.0) for i in range(20)], weight="w")
    G.add_weighted_edges_from([("s", "h", 2.0), ("s", "a", 1.0), ("a", "h", 1.0), ("h", "t", 1.0)], weight="w")
    _check_uniform(G, "s", "t")


def test_unreachable_pair_samples_no_path():
    G = nx.DiGraph()
    G.add_weighted_edges_from([(0, 1, 1.0), (1, 2, 2.0), (3, 2, 1.0)], weight="w")
    assert _draw_paths(compiled(G), 0, 3, 10) == Counter({(): 10})


# --------------------------------------------------------------------------- determinism
def test_lanes_do_not_change_the_counts():
    adjacency = _adjacency(compiled(with_lengths(scale_free(500, 4), 1, integers=False)))
    counts = [_kadabra_weighted.sample_blocks(*adjacency, 99, 5, 40, 16, lanes) for lanes in (1, 2, 3)]
    np.testing.assert_array_equal(counts[0], counts[1])
    np.testing.assert_array_equal(counts[0], counts[2])
    assert counts[0].sum() > 0


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two Numba threads")
def test_one_and_two_threads_give_the_same_counts(monkeypatch):
    monkeypatch.setattr(adaptive_module, "PARALLEL_WORK", 0)  # every batch on all threads
    graph = compiled(with_lengths(scale_free(1200, 3), 2, integers=True))
    before = numba.get_num_threads()
    try:
        results = []
        for threads in (1, 2):
            numba.set_num_threads(threads)
            results.append(adaptive_betweenness(graph, epsilon=0.03, seed=11))
    finally:
        numba.set_num_threads(before)
    assert results[0].counts.tobytes() == results[1].counts.tobytes()
    assert results[0].samples == results[1].samples
    other = adaptive_betweenness(graph, epsilon=0.03, seed=12)
    assert not np.array_equal(other.counts, results[0].counts)


# --------------------------------------------------------------------------- the pieces
def test_vertex_diameter_bound_is_an_upper_bound_with_lengths():
    # against the most nodes on any shortest path, over every shortest path NetworkX enumerates
    rng = np.random.default_rng(0)
    for k in range(10):
        n, m = int(rng.integers(6, 25)), int(rng.integers(8, 70))
        G = with_lengths(nx.gnm_random_graph(n, m, seed=k, directed=True), k, integers=bool(k % 2))
        true = 1
        for s in G.nodes:
            for t in nx.single_source_dijkstra_path_length(G, s, weight="w"):
                if t != s:
                    true = max(true, max(len(p) for p in nx.all_shortest_paths(G, s, t, weight="w")))
        bound = vertex_diameter_bound(compiled(G))
        assert true <= bound <= n, (k, true, bound)
    # by hand: a directed 10-cycle of lengths 1 and 2 alternating: from a node, the far side spans
    # 9 edges; the span out + in from the root is 14 + 13 = 27 (lengths), over the shortest edge 1:
    # 27 hops, capped at the 10 nodes
    C = nx.cycle_graph(10, create_using=nx.DiGraph)
    nx.set_edge_attributes(C, {e: 1.0 + (e[0] % 2) for e in C.edges}, "w")
    assert vertex_diameter_bound(compiled(C)) == 10
    # a path of 9 nodes with lengths 1: 9 nodes, as with hop counts
    P = nx.path_graph(9, create_using=nx.DiGraph)
    nx.set_edge_attributes(P, 1.0, "w")
    assert vertex_diameter_bound(compiled(P)) == 9


def test_bad_lengths_are_refused():
    G = nx.DiGraph()
    G.add_weighted_edges_from([(0, 1, 1.0), (1, 2, 0.0), (2, 3, 1.0)], weight="w")
    graph = compiled(G)
    with pytest.raises(UsageError, match="positive"):
        adaptive_betweenness(graph)
    with pytest.raises(UsageError, match="positive"):
        adaptive_betweenness(dataclasses.replace(graph, length=np.array([1.0, np.nan, 1.0])))


# --------------------------------------------------------------------------- wiring
def test_betweenness_uses_kadabra_on_directed_graphs_with_lengths():
    G = with_lengths(scale_free(300, 5), 4, integers=False)
    net = dp.Network.from_records([{"id": str(v)} for v in G.nodes],
                                  [{"dependent": str(u), "provider": str(v), "w": d["w"]}
                                   for u, v, d in G.edges(data=True)])
    frame = dp.betweenness(net, epsilon=0.05, seed=3, length="w")
    assert frame.attrs["method"] == "kadabra" and frame.attrs["exact"] is False
    truth = exact(G)
    assert np.abs(frame["betweenness"].to_numpy() - truth).max() <= 0.05
    sources = dp.betweenness(net, epsilon=0.05, seed=3, length="w", method="sources")
    assert sources.attrs["method"] == "sources"
    assert np.abs(sources["betweenness"].to_numpy() - truth).max() <= 0.05
    with pytest.raises(UsageError, match="refuses"):
        dp.betweenness(net, epsilon=0.1, method="rk", length="w")


def test_undirected_graph_with_lengths():
    G = nx.barabasi_albert_graph(150, 2, seed=9)
    nx.set_edge_attributes(G, {(u, v): 1.0 + (u + v) % 3 for u, v in G.edges}, "w")
    graph = compiled(G)
    estimate = approximate_betweenness(graph, epsilon=0.03, seed=2, method="kadabra")
    assert np.abs(estimate - exact(G)).max() <= 0.03
