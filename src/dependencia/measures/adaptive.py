"""Betweenness with an (epsilon, delta) guarantee by adaptive path sampling (KADABRA).

For graphs with hop counts or lengths, directed or undirected. Each sample is
a uniform ordered pair (s, t), s != t, and a uniform shortest s-t path (none
when t is out of s's reach), found by a balanced bidirectional search that
usually touches a small part of the graph: breadth-first on hop counts (see
``_kadabra``), Dijkstra on lengths (see ``_kadabra_weighted``). Node v's
estimate is the share of samples whose path passes v inside. Its expectation
is the sum over ordered pairs of sigma_st(v) / sigma_st divided by n(n-1),
which is NetworkX's normalized betweenness times (n-2)/n; so the estimate is
rescaled by n/(n-2), and the sampling runs at the error
lambda = epsilon (n-2)/n.

Stopping (Borassi and Natale 2016). omega is Riondato and Kornaropoulos'
sample size for lambda and delta/2 (c = 0.5),

    omega = c / lambda^2 (floor(log2(VD - 2)) + 1 + ln(2 / delta)),

where VD is an upper bound of the vertex diameter (see
:func:`vertex_diameter_bound`). A first batch of omega/100 samples, then
discarded, fixes per-node failure budgets delta_v with
sum_v 2 delta_v <= delta/2, larger where the first estimate is larger. Then
samples are drawn in batches; after each, the sampling stops when, for every
node v with estimate b after k samples and L = ln(1/delta_v),

    f = L/k (1/3 - omega/k + sqrt((1/3 - omega/k)^2 + 2 b omega / L)) <= lambda and
    g = L/k (1/3 + omega/k + sqrt((1/3 + omega/k)^2 + 2 b omega / L)) <= lambda,

or when omega samples are drawn. With probability at least 1 - delta every
node's estimate is then within lambda (within epsilon on NetworkX's scale).

A second stopping rule, ``bound="rademacher"``, bounds the largest error of
groups of nodes by Monte-Carlo empirical Rademacher averages (SILVAN,
Pellegrina and Vandin 2024; :mod:`._rademacher`), over the same samples in
the same order. It is not the default: on hub-dominated graphs such as
issue 9's scale-free ones it draws more samples than KADABRA's rule, on
graphs without hubs fewer (docs/performance.md, "Rademacher-average stopping").

References
----------
M. Borassi and E. Natale, "KADABRA is an ADaptive Algorithm for Betweenness
via Random Approximation", ESA 2016, LIPIcs 57, 20:1-20:18.
doi:10.4230/LIPIcs.ESA.2016.20

M. Riondato and E. M. Kornaropoulos, "Fast approximation of betweenness
centrality through sampling", Data Mining and Knowledge Discovery 30,
438-475 (2016). doi:10.1007/s10618-015-0423-0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numba
import numpy as np

from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import CompiledGraph
from . import _kadabra, _kadabra_weighted, _rademacher

__all__ = ["AdaptiveEstimate", "BOUNDS", "adaptive_betweenness", "vertex_diameter_bound", "sample_bound"]

#: Stopping rules: KADABRA's, or Monte-Carlo empirical Rademacher averages (:mod:`._rademacher`).
BOUNDS = ("kadabra", "rademacher")
#: The rule used when none is named.
DEFAULT_BOUND = "kadabra"

#: Samples per block: a block's samples come from one random stream.
BLOCK = 16
#: The first batch (for the failure budgets) is omega / START_FACTOR samples.
START_FACTOR = 100
#: The stopping rule is tested after each of at most about this many batches.
BATCHES = 64
#: Share of delta/2 spread evenly over the nodes, whatever the first batch says.
BALANCE = 0.001
#: Riondato and Kornaropoulos' constant.
C = 0.5
#: A batch runs on all threads when samples * sqrt(edges) reaches this (about 2 ms of
#: work); smaller ones run serially, as starting threads would cost more. Same counts.
PARALLEL_WORK = 40_000


@dataclass(frozen=True)
class AdaptiveEstimate:
    """What :func:`adaptive_betweenness` sampled.

    Attributes
    ----------
    counts : numpy.ndarray of int64
        Per node, the samples whose path passes it inside.
    samples : int
        Samples drawn (after the first batch, which is discarded).
    omega : int
        The most samples the rule could have drawn.
    vertex_diameter : int
        The bound of the vertex diameter used (0 when nothing was sampled).
    """

    counts: np.ndarray
    samples: int
    omega: int
    vertex_diameter: int

    def ordered_sums(self) -> np.ndarray:
        """Estimated sum over ordered pairs of sigma_st(v) / sigma_st, per node."""
        n = len(self.counts)
        if self.samples == 0:
            return np.zeros(n)
        return self.counts * (n * (n - 1) / self.samples)

    def normalized(self) -> np.ndarray:
        """Estimated betweenness on NetworkX's normalized scale (divided by (n-1)(n-2))."""
        n = len(self.counts)
        if self.samples == 0 or n < 3:
            return np.zeros(n)
        return self.counts * (n / (n - 2) / self.samples)


def adaptive_betweenness(
    graph: CompiledGraph, *, epsilon: float = 0.01, delta: float = 0.1, seed: int = 0,
    executor: Executor | None = None, bound: str | None = None,
) -> AdaptiveEstimate:
    """Every node's betweenness within epsilon with probability 1 - delta, by adaptive sampling.

    Parameters
    ----------
    graph : CompiledGraph
        Directed or undirected, with hop counts or positive lengths.
    epsilon : float, default 0.01
        Largest error, on NetworkX's normalized scale.
    delta : float, default 0.1
        Largest probability that some node's error exceeds epsilon.
    seed : int, default 0
        The same seed gives the same counts, with any number of threads.
    executor : Executor, optional
        With more than one worker, or a Dask scheduler, the batches are
        sampled on the workers (see Notes). The counts are the same.
    bound : {"kadabra", "rademacher"}, optional
        The stopping rule (default :data:`DEFAULT_BOUND`): KADABRA's (the
        module docstring), or Monte-Carlo empirical Rademacher averages with
        non-uniform bounds (SILVAN; :mod:`._rademacher`). Both draw the same
        samples in the same order and cap them at omega; they differ in when
        they stop.

    Returns
    -------
    AdaptiveEstimate
        Counts and sample sizes; ``.normalized()`` gives the values.

    Notes
    -----
    The estimate of node v after k samples is

    .. math:: \\tilde b(v) = \\frac{n}{n-2} \\cdot \\frac{1}{k} \\sum_{i=1}^{k} [v \\in \\pi_i^\\circ]

    where :math:`\\pi_i^\\circ` are the interior nodes of the i-th sampled
    path (empty when its pair has no path). The number of samples k is
    chosen adaptively, as the module describes (Borassi and Natale 2016).

    On several workers every batch up to omega samples is drawn at once, one
    task per batch, and the stopping rule is then applied to the batches in
    order: the same batches and the same stopping point as in one process
    (so the same counts, exactly: they are integer sums), for up to about
    1.5 times the sampling work, in one round of tasks instead of one per
    batch.

    Examples
    --------
    On the path a -> b -> c, b lies inside the one path of the pair (a, c):
    its normalized betweenness is 1 / ((n-1)(n-2)) = 0.5.

    >>> import dependencia as dp
    >>> from dependencia.graph import compile_graph
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> estimate = adaptive_betweenness(compile_graph(net), epsilon=0.01, seed=1)
    >>> [round(float(v), 1) for v in estimate.normalized()]
    [0.0, 0.5, 0.0]
    """
    if not 0 < epsilon < 1:
        raise UsageError(f"epsilon must be in (0, 1), got {epsilon}")
    if not 0 < delta < 1:
        raise UsageError(f"delta must be in (0, 1), got {delta}")
    bound_name = DEFAULT_BOUND if bound is None else bound
    if bound_name not in BOUNDS:
        raise UsageError(f"unknown stopping rule {bound_name!r}; choose one of {', '.join(BOUNDS)}")
    if graph.length is not None and not (np.isfinite(graph.length) & (graph.length > 0)).all():
        raise UsageError("adaptive path sampling needs positive, finite lengths")
    n = graph.n_nodes
    nothing = AdaptiveEstimate(np.zeros(n, dtype=np.int64), 0, 0, 0)
    if n < 3 or graph.n_edges == 0:
        return nothing
    adjacency = _adjacency(graph)
    diameter = vertex_diameter_bound(graph, adjacency)
    if diameter <= 2:  # no shortest path has an inside: every value is exactly 0
        return AdaptiveEstimate(nothing.counts, 0, 0, diameter)
    error = epsilon * (n - 2) / n
    omega = sample_bound(diameter, error, delta)
    omega_blocks = -(-omega // BLOCK)
    omega = omega_blocks * BLOCK
    first_seed, seed = (int(x) for x in np.random.default_rng(seed).integers(0, 2**63 - 1, size=2))

    def lanes(blocks: int) -> int:  # asking Numba for its threads starts its pool: only when worth it
        return numba.get_num_threads() if blocks * BLOCK * math.sqrt(graph.n_edges) >= PARALLEL_WORK else 1

    first_blocks = max(1, -(-omega_blocks // START_FACTOR))
    if bound_name == "rademacher":
        counts, blocks = _rademacher.progressive(adjacency, first_seed, seed, first_blocks, omega_blocks, BLOCK, error,
                                                 delta, lanes, executor)
        return AdaptiveEstimate(counts, blocks * BLOCK, omega, diameter)
    counts, done = run_batches(
        adjacency, _sample, _sample_batch, first_seed=first_seed, seed=seed, first_blocks=first_blocks,
        omega_blocks=omega_blocks, lanes=lanes, executor=executor,
        budgets=lambda first: _failure_budgets(first, error, delta),
        within=lambda counts, samples, log_inv_delta: _kadabra.all_within(counts, samples, float(omega),
                                                                          log_inv_delta, error))
    return AdaptiveEstimate(counts, done * BLOCK, omega, diameter)


def run_batches(
    state: tuple, sample: Callable[[tuple, int, int, int, int], np.ndarray],
    sample_batch: Callable[[tuple, tuple[int, int, int]], np.ndarray], *, first_seed: int, seed: int,
    first_blocks: int, omega_blocks: int, lanes: Callable[[int], int], executor: Executor | None,
    budgets: Callable[[np.ndarray], np.ndarray], within: Callable[[np.ndarray, float, np.ndarray], bool],
) -> tuple[np.ndarray, int]:
    """KADABRA's schedule, shared by the node and the group samplers: counts and blocks drawn.

    A first batch of ``first_blocks`` blocks from ``first_seed`` gives the
    failure budgets (``budgets`` of its shares) and is discarded; then
    batches of about ``omega_blocks / BATCHES`` blocks from ``seed`` are
    added until ``within(counts, samples, log_inv_delta)`` holds or
    ``omega_blocks`` are drawn. ``sample(state, seed, first_block, blocks,
    lanes)`` draws in this process on ``lanes(blocks)`` threads; with
    several workers or a scheduler, ``sample_batch(state, (seed,
    first_block, blocks))`` draws each batch on the executor (all batches
    up to omega, in one round). Each block comes from its own stream, so the
    counts are the same bytes either way.

    Examples
    --------
    >>> draw = lambda state, seed, first, blocks, lanes: np.full(2, blocks * BLOCK, dtype=np.int64)
    >>> counts, blocks = run_batches((), draw, None, first_seed=1, seed=2, first_blocks=1, omega_blocks=128,
    ...                              lanes=lambda b: 1, executor=None, budgets=lambda f: f,
    ...                              within=lambda c, k, b: k >= 64 * BLOCK)
    >>> blocks, counts.tolist()
    (64, [1024, 1024])
    """
    step = max(1, -(-omega_blocks // BATCHES))
    batches = [(seed, start, min(step, omega_blocks - start)) for start in range(0, omega_blocks, step)]
    if executor is not None and (executor.scheduler is not None or executor.workers > 1):
        first, *later = executor.map(_sampler_state, state, sample_batch, [(first_seed, 0, first_blocks), *batches])
        batch_counts = iter(later)
    else:
        first = sample(state, first_seed, 0, first_blocks, lanes(first_blocks))
        batch_counts = (sample(state, *batch, lanes(batch[2])) for batch in batches)
    log_inv_delta = budgets(first / (first_blocks * BLOCK))

    counts = np.zeros(len(first), dtype=np.int64)
    done = 0
    for (_, _, blocks), sampled in zip(batches, batch_counts):
        counts += sampled
        done += blocks
        if within(counts, float(done * BLOCK), log_inv_delta):
            break
    return counts, done


def _sampler_state(state: tuple) -> tuple:
    return state


def _sample_batch(adjacency: tuple, batch: tuple[int, int, int]) -> np.ndarray:
    """One batch's counts on a worker (one thread: the workers are the parallelism)."""
    seed, first_block, blocks = batch
    return _sample(adjacency, seed, first_block, blocks, 1)


def _sample(adjacency: tuple, seed: int, first_block: int, blocks: int, lanes: int) -> np.ndarray:
    """Counts of blocks ``first_block ..`` on hop counts (4 arrays) or lengths (6 arrays, see :func:`_adjacency`)."""
    if len(adjacency) == 4:
        out_ptr, out_idx, in_ptr, in_idx = adjacency
        return _kadabra.sample_blocks(out_ptr, out_idx, in_ptr, in_idx, seed, first_block, blocks, BLOCK, lanes)
    out_ptr, out_idx, out_len, in_ptr, in_idx, in_len = adjacency
    return _kadabra_weighted.sample_blocks(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, first_block,
                                           blocks, BLOCK, lanes)


def sample_bound(vertex_diameter: int, bound: float, delta: float) -> int:
    """Riondato and Kornaropoulos' sample size for error ``bound`` with probability 1 - delta/2.

    ``ceil(c / bound^2 (floor(log2(VD - 2)) + 1 + ln(2 / delta)))`` with c = 0.5.
    """
    vc = math.floor(math.log2(vertex_diameter - 2)) + 1
    return math.ceil(C / (bound * bound) * (vc + math.log(2.0 / delta)))


def _failure_budgets(first: np.ndarray, bound: float, delta: float) -> np.ndarray:
    """ln(1 / delta_v) per node from first estimates, with sum_v 2 delta_v <= delta / 2.

    delta_v = exp(-K bound^2 / b_v) + delta BALANCE / (4 n), with the smallest K
    (found by bisection) such that sum_v 2 exp(-K bound^2 / b_v) <= (delta/2)(1 - BALANCE);
    b_v = 0 gives the even share alone (Borassi and Natale 2016, section 5).
    """
    n = len(first)
    budget = delta / 2 * (1 - BALANCE)
    positive = first[first > 0]
    even = delta * BALANCE / (4 * n)

    def spent(k: float) -> float:
        return float(2 * np.exp(-k * bound * bound / positive).sum())

    low, high = 0.0, math.log(2 * n / budget) / (bound * bound)  # spent(high) <= budget, as every b_v <= 1
    for _ in range(100):
        middle = (low + high) / 2
        if spent(middle) <= budget:
            high = middle
        else:
            low = middle
    share = np.full(n, even)
    share[first > 0] += np.exp(-high * bound * bound / positive)
    # guard the sum against rounding: it must stay within delta / 2
    share *= min(1.0, delta / 2 / (2 * share.sum()))
    return -np.log(share)


def vertex_diameter_bound(graph: CompiledGraph, adjacency: tuple | None = None) -> int:
    """An upper bound of the most nodes on one shortest path (the vertex diameter), at most n.

    A shortest path visits the strongly connected components (connected
    components when undirected) along a path of their condensation, a DAG,
    and inside each component C it is a shortest path of C: inside C any two
    nodes are at most ecc_out(r) + ecc_in(r) hops apart, for any node r of C
    (through r), with both eccentricities measured inside C from r (r: a
    node of largest degree). So C contributes at most
    w(C) = min(|C|, ecc_out(r) + ecc_in(r) + 1) nodes, and the heaviest path
    of the condensation, weighted by w, bounds the vertex diameter. One
    search forward and one backward per component: linear time.

    With lengths, the eccentricities are distances and a shortest path
    inside C, no longer than their sum, has at most that sum divided by C's
    shortest edge hops (rounded down, with a margin for tied lengths), so
    w(C) = min(|C|, that + 1).
    """
    n = graph.n_nodes
    if n == 0:
        return 0
    adjacency = adjacency if adjacency is not None else _adjacency(graph)
    out_ptr, in_ptr = adjacency[0], adjacency[-3 if len(adjacency) == 6 else -2]
    membership = np.asarray(
        graph.to_igraph().connected_components(mode="strong" if graph.directed else "weak").membership,
        dtype=np.int64,
    )
    k = int(membership.max()) + 1
    sizes = np.bincount(membership, minlength=k)
    degree = np.diff(out_ptr) + np.diff(in_ptr)
    # a node of largest degree in each component of two or more nodes
    order = np.lexsort((-degree, membership))
    heads = order[np.r_[0, np.flatnonzero(np.diff(membership[order])) + 1]]
    roots = heads[sizes[membership[heads]] > 1]
    weight = np.ones(k, dtype=np.int64)
    if len(roots):
        comp = membership[roots]
        hops = _component_hops(graph, adjacency, membership, roots, comp)
        weight[comp] = np.minimum(sizes[comp], hops + 1)
    source, target = membership[graph.source], membership[graph.target]
    between = source != target
    if not graph.directed:
        between[:] = False  # components of an undirected graph have no edges between them
    longest = _kadabra.heaviest_path(weight, source[between], target[between])
    return n if longest < 0 else int(min(longest, n))


def _component_hops(graph: CompiledGraph, adjacency: tuple, membership: np.ndarray, roots: np.ndarray,
                    comp: np.ndarray) -> np.ndarray:
    """Per root, a bound of the hops of a shortest path inside its component (see :func:`vertex_diameter_bound`)."""
    if len(adjacency) == 4:
        out_ptr, out_idx, in_ptr, in_idx = adjacency
        return (_kadabra.component_eccentricities(out_ptr, out_idx, membership, roots)
                + _kadabra.component_eccentricities(in_ptr, in_idx, membership, roots))
    out_ptr, out_idx, out_len, in_ptr, in_idx, in_len = adjacency
    span = (_kadabra_weighted.component_radii(out_ptr, out_idx, out_len, membership, roots)
            + _kadabra_weighted.component_radii(in_ptr, in_idx, in_len, membership, roots))
    inside = membership[graph.source] == membership[graph.target]
    shortest = np.full(int(membership.max()) + 1, np.inf)
    np.minimum.at(shortest, membership[graph.source[inside]], np.asarray(graph.length, dtype=float)[inside])
    hops = np.floor(span * (1 + 1e-9) / shortest[comp])
    return np.minimum(hops, graph.n_nodes).astype(np.int64)


def _adjacency(graph: CompiledGraph) -> tuple[np.ndarray, ...]:
    """Out- and in-neighbour CSR (out_ptr, out_idx, in_ptr, in_idx); both ways when undirected.

    With lengths, each index array is followed by the lengths of its edges:
    (out_ptr, out_idx, out_len, in_ptr, in_idx, in_len).
    """
    n = graph.n_nodes
    source, target = graph.source.astype(np.int64), graph.target.astype(np.int64)
    length = None if graph.length is None else np.asarray(graph.length, dtype=np.float64)
    if not graph.directed:
        source, target = np.concatenate([source, target]), np.concatenate([target, source])
        length = None if length is None else np.concatenate([length, length])
    out = _csr(n, source, target, length)
    back = out if not graph.directed else _csr(n, target, source, length)
    return out + back


def _csr(n: int, source: np.ndarray, target: np.ndarray, length: np.ndarray | None) -> tuple[np.ndarray, ...]:
    order = np.lexsort((target, source))
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(source, minlength=n), out=ptr[1:])
    return (ptr, target[order]) if length is None else (ptr, target[order], length[order])
