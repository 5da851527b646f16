"""Group betweenness over pairs of actors with an (epsilon, delta) guarantee, by adaptive path sampling.

For actor power (each actor's controlled set C(a), docs/model.md#actor-power)
and node betweenness on the routed graph (an actor's own node, an
infrastructure's route nodes, docs/model.md#node-betweenness-on-the-routed-graph),
on the hub or the routed graph, with hop counts or lengths, directed or not.

Each sample is a uniform ordered pair (s, t) of distinct actors and one
uniform shortest s-t path of the graph (the balanced bidirectional searches
of :mod:`._kadabra` and :mod:`._kadabra_weighted`); group g's indicator X_g is
1 when an interior node of the path is in g and neither s nor t is (see
:mod:`._group_kadabra`). Its expectation is S_g / (n_A (n_A - 1)), S_g the
group's ordered actor-pair sum (the pairs with an end in g add nothing to
S_g, and their samples credit nothing). The caller's value is
S_g / P_g (P_g: the pairs its normalization divides by), so the estimate is
the mean of X_g times r_g = n_A (n_A - 1) / P_g, and the sampling runs at
the error lambda_g = epsilon / r_g for group g: a value within epsilon on
the caller's normalized scale. Groups with P_g = 0 or no node are exact
(their value is 0) and take no part in the bounds below.

Stopping (Borassi and Natale 2016, with groups in place of nodes). Their
adaptive rule holds for any family of indicators of the same samples: for
each group, at the stopping time k <= omega, with probability at least
1 - 2 delta_g its error is at most f and g (:func:`._group_kadabra.all_within`,
the formulas of :mod:`.adaptive`, with the group's own lambda_g); if the rule
never fires, omega samples must bring every group within lambda_g with
probability 1 - delta/2. omega is the smaller of two sample sizes for the
smallest lambda = min_g lambda_g over the G groups that count:

* Hoeffding's bound and a union bound over the G groups (each X_g in [0, 1]):
  ceil(ln(4G / delta) / (2 lambda^2));
* the epsilon-sample bound for a range set of VC dimension d (Li, Long and
  Srinivasan 2001, with Riondato and Kornaropoulos' c = 0.5, as in
  :mod:`.adaptive`): ceil(c / lambda^2 (d + ln(2 / delta))); a family of G
  ranges shatters at most log2(G) points (a shattered set of d points needs
  2^d distinct ranges), so d = floor(log2 G).

(The vertex-diameter bound of node betweenness does not carry over: a path
may cross several nodes of one group, and groups nest.) The failure budgets
delta_g, with sum_g 2 delta_g <= delta / 2, come from a first batch of
omega/100 samples, then discarded, as in :mod:`.adaptive`. So with
probability at least 1 - delta every group's value is within epsilon.

References
----------
M. Borassi and E. Natale, "KADABRA is an ADaptive Algorithm for Betweenness
via Random Approximation", ESA 2016, LIPIcs 57, 20:1-20:18.
doi:10.4230/LIPIcs.ESA.2016.20

M. Riondato and E. M. Kornaropoulos, "Fast approximation of betweenness
centrality through sampling", Data Mining and Knowledge Discovery 30,
438-475 (2016). doi:10.1007/s10618-015-0423-0

Y. Li, P. M. Long and A. Srinivasan, "Improved bounds on the sample
complexity of learning", Journal of Computer and System Sciences 62(3),
516-527 (2001). doi:10.1006/jcss.2000.1741

M. G. Everett and S. P. Borgatti, "The centrality of groups and classes",
Journal of Mathematical Sociology 23(3), 181-201 (1999).
doi:10.1080/0022250X.1999.9990219
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np

from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import CompiledGraph
from . import _group_kadabra, adaptive
from .adaptive import BALANCE, BLOCK, START_FACTOR, _adjacency

__all__ = ["GROUP_METHODS", "GroupEstimate", "group_method", "group_sample_bound", "sample_groups"]

#: Riondato and Kornaropoulos' constant of the epsilon-sample bound.
C = 0.5
#: How actor power and routed node betweenness approximate (see :func:`group_method`).
GROUP_METHODS = ("kadabra", "sources")
#: Edges one sampled path's bidirectional search scans, in units of sqrt(m) (measured, docs/performance.md).
PATH_EDGES = 5.0


@dataclass(frozen=True)
class GroupEstimate:
    """What :func:`sample_groups` sampled.

    Attributes
    ----------
    counts : numpy.ndarray of int64
        Per group, the samples whose path credits it.
    samples : int
        Samples drawn (after the first batch, which is discarded).
    omega : int
        The most samples the rule could have drawn (0: nothing to sample).
    n_actors : int
        The actors the pairs were drawn from.
    """

    counts: np.ndarray
    samples: int
    omega: int
    n_actors: int

    def ordered_sums(self) -> np.ndarray:
        """Estimated ordered actor-pair sum of each group."""
        if self.samples == 0:
            return np.zeros(len(self.counts))
        return self.counts * (self.n_actors * (self.n_actors - 1) / self.samples)


def group_sample_bound(n_groups: int, bound: float, delta: float) -> int:
    """Samples after which every one of ``n_groups`` indicators' means is within ``bound`` w.p. 1 - delta/2.

    The smaller of Hoeffding with a union bound, ceil(ln(4G/delta) / (2 bound^2)),
    and the epsilon-sample bound with VC dimension floor(log2 G),
    ceil(0.5 / bound^2 (floor(log2 G) + ln(2/delta))) (see the module docs).

    Examples
    --------
    >>> group_sample_bound(20_000, 0.01, 0.1)
    67962
    """
    hoeffding = math.ceil(math.log(4 * n_groups / delta) / (2 * bound * bound))
    vc = math.ceil(C / (bound * bound) * (math.floor(math.log2(n_groups)) + math.log(2 / delta)))
    return min(hoeffding, vc)


def group_method(graph: CompiledGraph, method: str | None, *, epsilon: float, delta: float, largest_group: int,
                 sources: int) -> str:
    """``method`` checked, or the cheaper of path sampling and source sampling for this guarantee.

    Source sampling costs about min(sources, n_A) searches of the whole
    graph (m edges each); path sampling at most omega bidirectional searches
    (:func:`group_sample_bound` at the smallest group bound, with
    ``largest_group`` actors in the largest group), each scanning about
    ``PATH_EDGES * sqrt(m)`` edges (at most m). The constant is measured on
    the benchmark graphs (docs/performance.md, "Actor power and routed
    betweenness by path sampling").

    Examples
    --------
    >>> import dependencia as dp
    >>> from dependencia.graph import compile_graph
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> group_method(compile_graph(net), None, epsilon=0.1, delta=0.1, largest_group=1, sources=3)
    'sources'
    """
    if method is not None:
        if method not in GROUP_METHODS:
            raise UsageError(f"unknown approximation method {method!r} for actor power or the routed graph; "
                             f"choose one of {', '.join(GROUP_METHODS)}")
        return method
    n_actors, m = graph.n_actors, max(graph.n_edges, 1)
    outside = n_actors - largest_group
    if outside < 2:
        return "sources"
    bound = epsilon * outside * (outside - 1) / (n_actors * (n_actors - 1))
    omega = group_sample_bound(n_actors, bound, delta)
    paths = omega * min(float(m), PATH_EDGES * math.sqrt(m))
    return "kadabra" if paths < min(sources, n_actors) * m else "sources"


def sample_groups(
    graph: CompiledGraph, groups: Sequence[np.ndarray], pairs: np.ndarray, *, epsilon: float, delta: float,
    seed: int, executor: Executor | None = None,
) -> GroupEstimate:
    """Every group's pair sum within epsilon * pairs[g] with probability 1 - delta, by adaptive path sampling.

    Parameters
    ----------
    graph : CompiledGraph
        Hub or routed, hop counts or positive lengths, directed or not; its
        first ``graph.n_actors`` nodes are the actors, the only path ends.
    groups : sequence of numpy.ndarray
        Graph nodes of each group (they may overlap).
    pairs : numpy.ndarray
        Per group, the pairs P_g its normalized value divides its ordered
        actor-pair sum by (0: the value is 0, nothing to estimate).
    epsilon, delta : float
        Every S_g / P_g within epsilon, all at once, with probability at
        least 1 - delta.
    seed : int
        The same seed gives the same counts with any number of threads or workers.
    executor : Executor, optional
        With more than one worker, or a Dask scheduler, the batches are
        sampled on the workers, as :func:`.adaptive.adaptive_betweenness`
        does; the counts are the same.

    Returns
    -------
    GroupEstimate
        ``.ordered_sums()`` estimates each S_g.

    Examples
    --------
    ann and bob reach shop only through the platform that owner owns: its
    group lies on both pairs (ann, shop) and (bob, shop) of the 6 ordered
    pairs of the other three actors.

    >>> import dependencia as dp
    >>> from dependencia.graph import compile_graph
    >>> net = dp.Network.from_records([{"id": i} for i in ("ann", "bob", "shop", "owner")],
    ...     [{"dependent": "ann", "provider": "shop", "via": ["platform"]},
    ...      {"dependent": "bob", "provider": "shop", "via": ["platform"]}],
    ...     infrastructures=[{"id": "platform", "owner": "owner"}])
    >>> graph = compile_graph(net)
    >>> owner = graph.nodes_of(graph.index.get_indexer(["owner", "platform"]))
    >>> estimate = sample_groups(graph, [owner], np.array([6.0]), epsilon=0.05, delta=0.1, seed=1)
    >>> round(float(estimate.ordered_sums()[0] / 6), 1)
    0.3
    """
    if not 0 < epsilon < 1:
        raise UsageError(f"epsilon must be in (0, 1), got {epsilon}")
    if not 0 < delta < 1:
        raise UsageError(f"delta must be in (0, 1), got {delta}")
    if graph.length is not None and not (np.isfinite(graph.length) & (graph.length > 0)).all():
        raise UsageError("adaptive path sampling needs positive, finite lengths")
    n_actors, n_groups = graph.n_actors, len(groups)
    pairs = np.asarray(pairs, dtype=float)
    counted = (pairs > 0) & np.array([len(g) > 0 for g in groups], dtype=bool)
    nothing = GroupEstimate(np.zeros(n_groups, dtype=np.int64), 0, 0, n_actors)
    if n_actors < 2 or graph.n_edges == 0 or not counted.any():
        return nothing
    all_pairs = n_actors * (n_actors - 1)
    bounds = np.full(n_groups, np.inf)
    bounds[counted] = epsilon * pairs[counted] / all_pairs
    omega_blocks = -(-group_sample_bound(int(counted.sum()), float(bounds.min()), delta) // BLOCK)
    omega = omega_blocks * BLOCK
    group_ptr, group_nodes = _membership(graph.n_nodes, groups)
    state = (_adjacency(graph), n_actors, group_ptr, group_nodes, n_groups)
    first_seed, seed = (int(x) for x in np.random.default_rng(seed).integers(0, 2**63 - 1, size=2))

    def lanes(blocks: int) -> int:  # asking Numba for its threads starts its pool: only when worth it
        return numba.get_num_threads() if blocks * BLOCK * math.sqrt(graph.n_edges) >= adaptive.PARALLEL_WORK else 1

    first_blocks = max(1, -(-omega_blocks // START_FACTOR))
    counts, done = adaptive.run_batches(
        state, _sample, _sample_batch, first_seed=first_seed, seed=seed, first_blocks=first_blocks,
        omega_blocks=omega_blocks, lanes=lanes, executor=executor,
        budgets=lambda first: failure_budgets(first, bounds, delta),
        within=lambda counts, samples, log_inv_delta: _group_kadabra.all_within(counts, samples, float(omega),
                                                                                log_inv_delta, bounds))
    return GroupEstimate(counts, done * BLOCK, omega, n_actors)


def _membership(n_nodes: int, groups: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Node -> groups CSR (each node's groups ascending, each once)."""
    sizes = [len(g) for g in groups]
    nodes = np.concatenate([np.asarray(g, dtype=np.int64) for g in groups]) if groups else np.zeros(0, np.int64)
    labels = np.repeat(np.arange(len(groups), dtype=np.int64), sizes)
    both = np.unique(np.column_stack([nodes, labels]), axis=0) if len(nodes) else np.zeros((0, 2), np.int64)
    ptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(both[:, 0], minlength=n_nodes), out=ptr[1:])
    return ptr, np.ascontiguousarray(both[:, 1])


def _sample_batch(state: tuple, batch: tuple[int, int, int]) -> np.ndarray:
    """One batch's counts on a worker (one thread: the workers are the parallelism)."""
    seed, first_block, blocks = batch
    return _sample(state, seed, first_block, blocks, 1)


def _sample(state: tuple, seed: int, first_block: int, blocks: int, lanes: int) -> np.ndarray:
    adjacency, n_actors, group_ptr, group_nodes, n_groups = state
    return _group_kadabra.sample_blocks(adjacency, n_actors, group_ptr, group_nodes, n_groups, seed, first_block,
                                        blocks, BLOCK, lanes)


def failure_budgets(first: np.ndarray, bounds: np.ndarray, delta: float) -> np.ndarray:
    """ln(1 / delta_g) per group from first estimates, with sum of 2 delta_g over the bounded groups <= delta / 2.

    As :func:`.adaptive._failure_budgets`, with each group's own bound:
    delta_g = exp(-K bounds[g]^2 / b_g) + delta BALANCE / (4 G), K the smallest
    (by bisection) with sum_g 2 exp(-K bounds[g]^2 / b_g) <= (delta/2)(1 - BALANCE);
    groups with no bound (+inf) take no budget (their ln is +inf, never tested).

    Examples
    --------
    >>> budgets = failure_budgets(np.array([0.0, 0.2, 0.5]), np.array([0.01, 0.01, np.inf]), 0.1)
    >>> bool(2 * np.exp(-budgets).sum() <= 0.05)
    True
    """
    bounded = np.isfinite(bounds)
    n = int(bounded.sum())
    result = np.full(len(first), np.inf)
    if n == 0:
        return result
    b, lam = first[bounded], bounds[bounded]
    budget = delta / 2 * (1 - BALANCE)
    positive = b > 0
    even = delta * BALANCE / (4 * n)

    def spent(k: float) -> float:
        return float(2 * np.exp(-k * lam[positive] ** 2 / b[positive]).sum())

    low, high = 0.0, math.log(2 * n / budget) / float(lam.min()) ** 2  # spent(high) <= budget, as every b <= 1
    for _ in range(100):
        middle = (low + high) / 2
        if spent(middle) <= budget:
            high = middle
        else:
            low = middle
    share = np.full(n, even)
    share[positive] += np.exp(-high * lam[positive] ** 2 / b[positive])
    share *= min(1.0, delta / 2 / (2 * share.sum()))  # guard the sum against rounding: it must stay within delta / 2
    result[bounded] = -np.log(share)
    return result
