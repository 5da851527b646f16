"""Approximate node betweenness with an (epsilon, delta) guarantee.

Three methods, chosen by :func:`approximation_method` (docs/model.md#betweenness):
KADABRA-style adaptive path sampling (:mod:`.adaptive`) on directed graphs,
with hop counts or lengths, NetworKit's Riondato-Kornaropoulos estimator on
undirected ones, and, when asked for, a seeded sample of sources computed
exactly (:mod:`.brandes`). :func:`~dependencia.betweenness` chooses between exact values
and these by the graph's cost.

References
----------
M. Riondato and E. M. Kornaropoulos, "Fast approximation of betweenness
centrality through sampling", Data Mining and Knowledge Discovery 30,
438-475 (2016). doi:10.1007/s10618-015-0423-0

M. Borassi and E. Natale, "KADABRA is an ADaptive Algorithm for Betweenness
via Random Approximation", ESA 2016. doi:10.4230/LIPIcs.ESA.2016.20

Examples
--------
Hoeffding's bound with a union bound over the nodes: sources to sample for
every value within 0.1 of the exact one with probability 0.9, on 1,000 nodes:

>>> source_sample_size(1000, epsilon=0.1, delta=0.1)
497
"""

from __future__ import annotations

import numpy as np

from ..base import constants as _constants
from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import CompiledGraph
from .brandes import Scale, endpoint_counts, exact_betweenness, source_sums

__all__ = ["METHODS", "approximate_betweenness", "approximation_method", "source_sample_size"]

DEFAULT_EPSILON = _constants.DEFAULT_EPSILON
DEFAULT_DELTA = _constants.DEFAULT_DELTA
DEFAULT_SEED = 0
#: Approximation methods (see :func:`approximate_betweenness`).
METHODS = ("kadabra", "rk", "sources")


def approximate_betweenness(
    graph: CompiledGraph,
    *,
    epsilon: float = DEFAULT_EPSILON,
    delta: float = DEFAULT_DELTA,
    seed: int = DEFAULT_SEED,
    normalized: bool = True,
    endpoints: bool = False,
    executor: Executor | None = None,
    method: str | None = None,
) -> np.ndarray:
    """Approximate betweenness with an (epsilon, delta) guarantee.

    With probability at least 1 - delta, every normalized value is within
    epsilon of the exact one, whichever the method:

    * ``"kadabra"`` (the default on directed graphs): adaptive sampling of
      shortest paths with balanced bidirectional searches (breadth-first on
      hop counts, Dijkstra on lengths),
      :func:`~dependencia.measures.adaptive.adaptive_betweenness`;
    * ``"rk"`` (the default on undirected graphs): NetworKit's
      ``ApproxBetweenness`` (Riondato-Kornaropoulos), which refuses directed
      graphs with lengths. NetworKit divides by n(n-1); the epsilon passed to
      it is scaled so that the bound holds on NetworkX's (n-1)(n-2) scale. It
      runs on one thread so that a seed gives the same values on any machine
      (this seeds NetworKit's own global generator; Python's and numpy's are
      untouched);
    * ``"sources"``: a seeded sample of sources, each computed exactly by
      igraph, scaled up, with the sample size from Hoeffding's bound (see
      :func:`source_sample_size`); slower than ``"kadabra"`` on directed
      graphs (docs/performance.md), kept as a second estimator.

    Endpoint counts, when asked for, are exact.
    """
    method = approximation_method(graph, method)
    if not 0 < epsilon < 1:
        raise UsageError(f"epsilon must be in (0, 1), got {epsilon}")
    if not 0 < delta < 1:
        raise UsageError(f"delta must be in (0, 1), got {delta}")
    n = graph.n_nodes
    if n < 3 or graph.n_edges == 0:
        return exact_betweenness(graph, normalized=normalized, endpoints=endpoints)
    if method == "kadabra":
        from .adaptive import adaptive_betweenness  # Numba: loaded when first used, not by `import`

        ordered = adaptive_betweenness(graph, epsilon=epsilon, delta=delta, seed=seed,
                                       executor=executor).ordered_sums()
    elif method == "sources":
        ordered = _source_sampled_sums(graph, epsilon=epsilon, delta=delta, seed=seed, executor=executor)
    else:
        ordered = _networkit_sums(graph, epsilon=epsilon, delta=delta, seed=seed)
    if endpoints:
        ordered = ordered + endpoint_counts(graph)
    scale = Scale.of(n, normalized=normalized, directed=graph.directed, endpoints=endpoints)
    return ordered * scale.factor


def approximation_method(graph: CompiledGraph, method: str | None) -> str:
    """The approximation method to use: ``method`` checked against the graph, or the default."""
    weighted = graph.length is not None
    if method is None:
        return "kadabra" if graph.directed else "rk"
    if method not in METHODS:
        raise UsageError(f"unknown approximation method {method!r}; choose one of {', '.join(METHODS)}")
    if method == "rk" and weighted and graph.directed:
        raise UsageError("method 'rk' (NetworKit) refuses directed graphs with lengths; use 'kadabra'")
    return method


def _networkit_sums(graph: CompiledGraph, *, epsilon: float, delta: float, seed: int) -> np.ndarray:
    """Estimated ordered-pair sums from NetworKit's ApproxBetweenness (one thread, seeded)."""
    import networkit as nk

    n = graph.n_nodes

    nk_graph = nk.graph.Graph(n, weighted=graph.length is not None, directed=graph.directed)
    if graph.length is None:
        nk_graph.addEdges((graph.source, graph.target))
    else:
        nk_graph.addEdges((graph.length, (graph.source, graph.target)))
    threads = nk.getMaxNumberOfThreads()
    try:
        nk.setNumberOfThreads(1)
        nk.setSeed(int(seed), False)
        engine = nk.centrality.ApproxBetweenness(nk_graph, epsilon=epsilon * (n - 2) / n, delta=delta)
        engine.run()
        scores = np.asarray(engine.scores(), dtype=float)
    finally:
        nk.setNumberOfThreads(threads)
    return scores * n * (n - 1)  # NetworKit divides the ordered-pair sum by n(n-1)


def source_sample_size(n: int, *, epsilon: float, delta: float) -> int:
    """Sources to sample so that every normalized value is within epsilon w.p. 1 - delta.

    A sampled source s contributes X_s = n * dep_s(v) / ((n-1)(n-2)) to node v's
    estimate; dep_s(v) <= n - 2, so X_s lies in [0, n/(n-1)]. Hoeffding's
    bound (which holds for sampling without replacement too) and a union bound
    over the n nodes give k >= R^2 ln(2n/delta) / (2 epsilon^2), R = n/(n-1).
    """
    spread = n / (n - 1)
    return int(np.ceil(spread * spread * np.log(2 * n / delta) / (2 * epsilon * epsilon)))


def _source_sampled_sums(
    graph: CompiledGraph,
    *,
    epsilon: float,
    delta: float,
    seed: int,
    executor: Executor | None = None,
) -> np.ndarray:
    """Estimated ordered-pair sums from a seeded sample of sources (igraph, exact per source).

    When the sample would be as large as the graph, every source is used and
    the values are exact.
    """
    n = graph.n_nodes
    k = source_sample_size(n, epsilon=epsilon, delta=delta)
    if k >= n:
        return source_sums(graph, executor=executor)
    sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
    return source_sums(graph, sources, executor=executor) * (n / k)
