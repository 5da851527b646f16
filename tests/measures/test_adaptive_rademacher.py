"""The Rademacher stopping rule (MCERA, SILVAN's non-uniform bounds) for adaptive path sampling.

Oracles: NetworkX's exact betweenness (hop counts and lengths); the empirical
Rademacher average of small families worked out by hand or by a closed
formula with every sign vector enumerated; a pure-Python SplitMix64 for the
sign streams; the bound's formula evaluated by hand; and simulated samples of
Bernoulli functions with known means, for the bound's coverage.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numba
import numpy as np
import pytest

from dependencia.errors import UsageError
from dependencia.graph import CompiledGraph
from dependencia.measures import _kadabra, _kadabra_weighted, _rademacher, _rademacher_kernels
from dependencia.measures import adaptive as adaptive_module
from dependencia.measures.adaptive import _adjacency, adaptive_betweenness

MASK = (1 << 64) - 1


def compiled(G: nx.DiGraph, lengths: bool = False) -> CompiledGraph:
    """G on node positions 0..n-1 (self-loops dropped), its edges' ``w`` as lengths when asked."""
    position = {v: i for i, v in enumerate(G.nodes)}
    edges = sorted((position[u], position[v], float(d.get("w", 1.0))) for u, v, d in G.edges(data=True) if u != v)
    return CompiledGraph(
        node_ids=np.array([str(v) for v in G.nodes], dtype=object), n_actors=len(position),
        source=np.array([e[0] for e in edges], dtype=np.int64), target=np.array([e[1] for e in edges], dtype=np.int64),
        strength=np.ones(len(edges)), length=np.array([e[2] for e in edges]) if lengths else None,
        directed=True, dimensions=("d",),
    )


def scale_free(n: int, seed: int) -> nx.DiGraph:
    G = nx.DiGraph(nx.scale_free_graph(n, alpha=0.1, beta=0.8, gamma=0.1, delta_in=2, delta_out=2, seed=seed))
    G.remove_edges_from(list(nx.selfloop_edges(G)))
    return G


def with_lengths(G: nx.DiGraph, seed: int) -> nx.DiGraph:
    rng = np.random.default_rng(seed)
    for u, v in G.edges:
        G[u][v]["w"] = float(rng.integers(1, 4))  # integers 1-3: many tied shortest paths
    return G


GRAPHS = {
    "scale-free-300-hops": lambda: (scale_free(300, 5), False),
    "gnm-200-hops": lambda: (nx.gnm_random_graph(200, 500, seed=3, directed=True), False),
    "gnm-150-lengths": lambda: (with_lengths(nx.gnm_random_graph(150, 500, seed=4, directed=True), 2), True),
    "scale-free-250-lengths": lambda: (with_lengths(scale_free(250, 5), 3), True),
}


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def case(request):
    G, lengths = GRAPHS[request.param]()
    values = nx.betweenness_centrality(G, weight="w" if lengths else None)
    return compiled(G, lengths), np.array([values[v] for v in G.nodes])


# --------------------------------------------------------------------------- the guarantee
def test_every_error_within_epsilon_in_at_least_1_minus_delta_of_seeds(case):
    # The (epsilon, delta) guarantee with the Rademacher rule, over 40 seeds against NetworkX.
    graph, truth = case
    epsilon, delta = 0.05, 0.1
    runs = [adaptive_betweenness(graph, epsilon=epsilon, delta=delta, seed=seed, bound="rademacher")
            for seed in range(40)]
    errors = np.array([np.abs(run.normalized() - truth).max() for run in runs])
    assert np.mean(errors > epsilon) <= delta, errors.max()
    assert errors.min() > 0  # the estimates move with the seed


# --------------------------------------------------------------------------- the samples and the signs
def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def _sign_bits(seed: int, block: int) -> int:
    """The first 64-bit draw of block ``block``'s sign stream, in plain Python (SplitMix64)."""
    gamma = 0x9E3779B97F4A7C15
    state = _mix((seed ^ _rademacher_kernels.SIGN_SALT) ^ _mix((block * gamma + gamma) & MASK))
    return _mix((state + gamma) & MASK)


@pytest.mark.parametrize("lengths", [False, True])
def test_counts_are_kadabras_and_signs_follow_the_stream(lengths):
    G = with_lengths(scale_free(200, 7), 1)
    adjacency = _adjacency(compiled(G, lengths))
    kernel = _kadabra_weighted if lengths else _kadabra
    counts, signed = _rademacher_kernels.sample_blocks(adjacency, 31, 2, 30, 16, 64, 1)
    np.testing.assert_array_equal(counts, kernel.sample_blocks(*adjacency, 31, 2, 30, 16, 1))
    # one sample per block: every node inside its path gets the block's 64 signs, bit j -> sign j
    total = np.zeros_like(signed)
    for block in range(40):
        one, one_signed = _rademacher_kernels.sample_blocks(adjacency, 31, block, 1, 1, 64, 1)
        bits = _sign_bits(31, block)
        expected = np.array([1 if (bits >> j) & 1 else -1 for j in range(64)], dtype=np.int32)
        for v in np.flatnonzero(one):
            np.testing.assert_array_equal(one_signed[v], expected)
        assert not one_signed[one == 0].any()
        total += one_signed
    together = _rademacher_kernels.sample_blocks(adjacency, 31, 0, 40, 1, 64, 1)[1]
    np.testing.assert_array_equal(together, total)
    assert np.abs(total).sum() > 0


@pytest.mark.parametrize("lengths", [False, True])
def test_lanes_do_not_change_counts_or_signs(lengths):
    adjacency = _adjacency(compiled(with_lengths(scale_free(500, 4), 2), lengths))
    runs = [_rademacher_kernels.sample_blocks(adjacency, 99, 5, 40, 16, 64, lanes) for lanes in (1, 2, 3)]
    for counts, signed in runs[1:]:
        np.testing.assert_array_equal(counts, runs[0][0])
        np.testing.assert_array_equal(signed, runs[0][1])


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="needs two Numba threads")
@pytest.mark.parametrize("lengths", [False, True])
def test_one_and_two_threads_give_the_same_bytes(monkeypatch, lengths):
    monkeypatch.setattr(adaptive_module, "PARALLEL_WORK", 0)  # every batch on all threads
    graph = compiled(with_lengths(nx.gnm_random_graph(1500, 6000, seed=1, directed=True), 4), lengths)
    before = numba.get_num_threads()
    try:
        results = []
        for threads in (1, 2):
            numba.set_num_threads(threads)
            results.append(adaptive_betweenness(graph, epsilon=0.01, seed=11, bound="rademacher"))
    finally:
        numba.set_num_threads(before)
    assert results[0].counts.tobytes() == results[1].counts.tobytes()
    assert results[0].samples == results[1].samples < results[0].omega


# --------------------------------------------------------------------------- the MCERA
def _mcera_of(functions: np.ndarray, signs: np.ndarray) -> float:
    """The MCERA from the kernel's group maxima: functions (F x k) of 0/1, signs (c x k)."""
    signed = (functions @ signs.T).astype(np.int32)  # signed[f, j] = sum_i sigma_{j,i} f(x_i)
    counts = functions.sum(axis=1).astype(np.int64)
    _, top = _rademacher_kernels.group_maxima(counts, signed, np.zeros(len(functions), dtype=np.int64), 1)
    return float(_rademacher.mcera(top, functions.shape[1])[0])


def test_mcera_with_every_sign_vector_is_the_rademacher_average_worked_by_hand():
    # Two functions on two samples, f1 = [x = x1], f2 = [x = x2]: sup = max(s1, s2) / 2, which is
    # 1/2 for three of the four sign vectors and -1/2 for (-1, -1): the average is 1/4.
    functions = np.array([[1, 0], [0, 1]])
    signs = np.array(list(itertools.product((-1, 1), repeat=2)))
    assert _mcera_of(functions, signs) == pytest.approx(0.25, abs=1e-15)


@pytest.mark.parametrize("k", [3, 5, 7])
def test_mcera_of_every_indicator_is_one_half(k):
    # The family of all 2^k indicators on k samples: the sup for a sign vector picks the samples
    # with sign +1, so it is (number of +1) / k, and its average over all 2^k vectors is 1/2.
    functions = np.array(list(itertools.product((0, 1), repeat=k)))
    signs = np.array(list(itertools.product((-1, 1), repeat=k)))
    assert _mcera_of(functions, signs) == pytest.approx(0.5, abs=1e-12)
    # a single function: E sup = E sum sigma f / k = 0
    assert _mcera_of(functions[-1:], signs) == pytest.approx(0.0, abs=1e-12)


def test_group_maxima_per_group():
    counts = np.array([3, 1, 4, 0, 2], dtype=np.int64)
    signed = np.array([[1, -3], [-1, 1], [2, 0], [0, 0], [-2, 2]], dtype=np.int32)
    top_count, top = _rademacher_kernels.group_maxima(counts, signed, np.array([0, 1, 0, 1, 1]), 2)
    np.testing.assert_array_equal(top_count, [4, 2])
    np.testing.assert_array_equal(top, [[2, 0], [0, 2]])


# --------------------------------------------------------------------------- the bound
def test_bound_is_the_formula_evaluated_by_hand():
    # k = 1000, c = 64, delta = 0.05, MCERA 0.01, wimpy variance 0.04
    eta = math.log(100) / 1000
    variance = 0.04 + eta + math.sqrt(eta ** 2 + 2 * eta * 0.04)
    empirical = 0.01 + math.sqrt(4 * 0.04 * eta / 64)
    average = empirical + eta + math.sqrt(eta ** 2 + 2 * eta * empirical)
    xi = 2 * average + math.sqrt(2 * eta * (variance + 4 * average)) + eta / 3
    assert float(_rademacher.deviation_bound(0.01, 0.04, 1000, 64, 0.05)) == pytest.approx(xi, rel=1e-12)
    # the variance term is capped at 1/4 (the largest variance of a [0, 1] variable)
    empirical = 0.0 + math.sqrt(4 * 1.0 * eta / 64)
    average = empirical + eta + math.sqrt(eta ** 2 + 2 * eta * empirical)
    xi = 2 * average + math.sqrt(2 * eta * (0.25 + 4 * average)) + eta / 3
    assert float(_rademacher.deviation_bound(0.0, 1.0, 1000, 64, 0.05)) == pytest.approx(xi, rel=1e-12)


def test_bound_covers_the_supremum_deviation():
    # 60 Bernoulli functions with known means on a sample space of 1000 points (f_v = [x in A_v],
    # nested sets of sizes 0..590); 300 draws of k = 400 samples: the supremum deviation exceeds
    # the bound (delta = 0.1) in at most 10% of them. The bound is conservative: it is never crossed.
    rng = np.random.default_rng(3)
    space = 1000
    sizes = np.arange(60) * 10
    member = np.arange(space)[None, :] < sizes[:, None]  # f_v(x) = [x < size_v]
    means = sizes / space
    k, trials, misses, slack = 400, 64, 0, []
    for _ in range(300):
        draw = rng.integers(0, space, size=k)
        functions = member[:, draw].astype(np.int64)
        signs = rng.choice((-1, 1), size=(trials, k))
        deviation = np.abs(functions.mean(axis=1) - means).max()
        xi = float(_rademacher.deviation_bound(_mcera_of(functions, signs), functions.mean(axis=1).max(), k, trials,
                                               0.1))
        misses += deviation > xi
        slack.append(deviation / xi)
    assert misses <= 30
    assert 0.05 < np.median(slack) < 1  # the bound is not vacuous either


def test_groups_and_schedule():
    group, groups = _rademacher.groups_of(np.array([0.4, 0.2, 0.05, 0.0, 0.39, 0.11]), groups=8)
    # levels: (0.2, 0.4] -> 0, (0.1, 0.2] -> 1, (0.025, 0.05] -> 3, no count -> 7; then numbered without gaps
    np.testing.assert_array_equal(group, [0, 1, 2, 3, 0, 1])
    assert groups == 4
    points = _rademacher.schedule(7, 100)
    assert points[0] == 7 and points[-1] == 100
    assert all(b >= max(a + 1, a * _rademacher.GROWTH) or b == 100 for a, b in zip(points, points[1:]))


# --------------------------------------------------------------------------- interface
def test_an_unknown_rule_is_refused():
    graph = compiled(scale_free(50, 1))
    with pytest.raises(UsageError, match="unknown stopping rule 'bernstein'"):
        adaptive_betweenness(graph, bound="bernstein")


def test_more_samples_than_the_signed_sums_hold_are_refused():
    adjacency = _adjacency(compiled(scale_free(50, 1)))
    with pytest.raises(UsageError, match="epsilon is too small for the Rademacher rule"):
        _rademacher.progressive(adjacency, 1, 2, 1, 2**28, 16, 1e-5, 0.1, lambda blocks: 1)


def test_fewer_samples_than_omega_and_same_samples_as_kadabra():
    # the two rules draw the same paths in the same order: where both stop at the same
    # sample count, the counts are the same bytes
    graph = compiled(scale_free(400, 2))
    rademacher = adaptive_betweenness(graph, epsilon=0.02, seed=5, bound="rademacher")
    assert rademacher.samples < rademacher.omega
    blocks = rademacher.samples // adaptive_module.BLOCK
    first_seed, seed = (int(x) for x in np.random.default_rng(5).integers(0, 2**63 - 1, size=2))
    counts = _kadabra.sample_blocks(*_adjacency(graph), seed, 0, blocks, adaptive_module.BLOCK, 1)
    assert counts.tobytes() == rademacher.counts.tobytes()


@pytest.mark.parametrize("lengths", [False, True])
def test_workers_give_the_same_bytes(lengths):
    # with two worker processes every batch up to omega is drawn at once; the rule is then
    # applied to them in order: the same stopping point and the same counts as one process
    # (a random graph without hubs, where the rule stops well before omega)
    from dependencia.base.executor import Executor

    graph = compiled(with_lengths(nx.gnm_random_graph(1500, 6000, seed=1, directed=True), 5), lengths)
    kwargs = dict(epsilon=0.01, delta=0.1, seed=4, bound="rademacher")
    alone = adaptive_betweenness(graph, **kwargs)
    spread = adaptive_betweenness(graph, executor=Executor(2), **kwargs)
    assert spread.samples == alone.samples < alone.omega
    assert spread.counts.tobytes() == alone.counts.tobytes()
