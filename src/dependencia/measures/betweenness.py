"""Node betweenness centrality, exact and approximate, with NetworkX's conventions.

The betweenness of a node v is the sum, over ordered pairs of distinct nodes
(s, t) with s != v != t, of the share of shortest s-t paths that pass through
v (Brandes 2001). NetworkX's conventions are the contract:

* ``normalized=True`` divides by (n-1)(n-2); on undirected graphs the sum runs
  over unordered pairs and is divided by (n-1)(n-2)/2, which is the same value;
* ``normalized=False`` on an undirected graph halves the ordered-pair sum;
* ``endpoints=True`` also counts s and t as on their own paths, and then
  normalizes by n(n-1);
* graphs with n <= 2 (n < 2 with endpoints) are not rescaled.

The engines count differently (igraph counts each unordered pair once on
undirected graphs; NetworKit's estimators divide by n(n-1)); this module
converts their values exactly.

Tied path lengths: lengths are compared with igraph's rule, equal within a
relative 1e-10. NetworkX compares sums of lengths exactly, so the two can only
differ where two distinct path lengths differ by less than that (for example
0.1 + 0.2 against 0.3).

References
----------
U. Brandes, "A faster algorithm for betweenness centrality", Journal of
Mathematical Sociology 25(2), 163-177 (2001). doi:10.1080/0022250X.2001.9990249

M. Riondato and E. M. Kornaropoulos, "Fast approximation of betweenness
centrality through sampling", Data Mining and Knowledge Discovery 30,
438-475 (2016). doi:10.1007/s10618-015-0423-0

M. Borassi and E. Natale, "KADABRA is an ADaptive Algorithm for Betweenness
via Random Approximation", ESA 2016. doi:10.4230/LIPIcs.ESA.2016.20
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..base import constants as _constants
from ..base.arguments import dimension_list, seed_value
from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import CompiledGraph, compile_graph
from ..network.model import Network
from ._pair_sums import PARALLEL_MIN_COST, SOURCE_GROUPS, executor_for, source_slices

__all__ = ["EXACT_COST_LIMIT", "PARALLEL_MIN_COST", "SOURCE_GROUPS", "approximate_betweenness", "betweenness",
           "exact_betweenness", "executor_for", "source_slices"]

#: Above this many node-edge products (n times m) ``betweenness`` approximates
#: unless asked for exact values (defined in ``_constants``, which the CLI help reads without NumPy).
EXACT_COST_LIMIT = _constants.EXACT_COST_LIMIT
DEFAULT_EPSILON = _constants.DEFAULT_EPSILON
DEFAULT_DELTA = _constants.DEFAULT_DELTA
DEFAULT_SEED = 0
#: Approximation methods (see :func:`approximate_betweenness`).
METHODS = ("kadabra", "rk", "sources")


@dataclass(frozen=True)
class Scale:
    """How NetworkX rescales an ordered-pair sum (see ``networkx ... _rescale``)."""

    factor: float

    @classmethod
    def of(cls, n: int, *, normalized: bool, directed: bool, endpoints: bool) -> Scale:
        pairs_n = n if endpoints else n - 1
        if pairs_n < 2:
            return cls(1.0)
        if normalized:
            return cls(1.0 / (pairs_n * (pairs_n - 1)))
        return cls(1.0 if directed else 0.5)


def betweenness(
    network: Network,
    *,
    normalized: bool = True,
    endpoints: bool = False,
    directed: bool = True,
    length: str | None = None,
    dimensions: str | Sequence[str] | None = None,
    exact: bool | None = None,
    epsilon: float | None = None,
    delta: float | None = None,
    seed: int = 0,
    method: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    paths: str | None = "routed",
) -> pd.DataFrame:
    """Betweenness of every node (actors and infrastructures) of a network.

    Parameters
    ----------
    network : Network
    normalized : bool, default True
        Divide by the number of node pairs, as NetworkX does.
    endpoints : bool, default False
        Count a path's endpoints as on the path.
    directed : bool, default True
        False treats every dependency as undirected.
    length : str, optional
        Dependency attribute to use as path length; hop counts when omitted.
    dimensions : str or sequence of str, optional
        Dimensions to aggregate; all when omitted.
    exact : bool, optional
        True forces exact values, False forces approximation. By default the
        computation is exact when n*m <= ``EXACT_COST_LIMIT`` and no epsilon
        is given.
    epsilon, delta : float, optional
        Approximation: every value is within epsilon (on the normalized scale)
        of the exact one with probability at least 1 - delta. Defaults 0.01
        and 0.1.
    seed : int, default 0
        Seed of the sampling; the same seed gives the same values.
    method : {"kadabra", "rk", "sources"}, optional
        How to approximate (see :func:`approximate_betweenness`); by default
        "kadabra" on directed hop-count graphs, "rk" on undirected ones,
        "sources" on directed graphs with lengths.
    workers : int, optional
        Worker processes for exact values (all cores by default). The values
        are the same bytes whatever the number.
    scheduler : str, optional
        Run on Dask instead of local processes: ``"dask"`` for a local
        cluster, or a scheduler address. Same values, same bytes.
    paths : {"routed", "hub"}, default "routed"
        The graph (docs/model.md#graphs). On the routed graph of a network
        with infrastructures, paths run between actors only: an actor's value
        sums over ordered actor pairs (normalized by (n_A-1)(n_A-2)), an
        infrastructure's is the group betweenness of its route nodes (or its
        one node, if open) over all ordered actor pairs (normalized by
        n_A(n_A-1)); approximation samples source actors (method
        ``"sources"``). On the hub graph, and on any graph without
        infrastructures, NetworkX's conventions over all nodes.

    Returns
    -------
    pandas.DataFrame
        Indexed by node id (actors, then infrastructures), in node order, with column ``betweenness``.
        ``frame.attrs`` records ``exact``, ``epsilon``, ``delta``, ``seed``,
        ``method`` (None when exact), ``normalized``, ``directed``,
        ``endpoints``, ``n_nodes``, ``n_edges``.

    Examples
    --------
    On the path a -> b -> c, b lies on the only a-c path; normalized by
    (n-1)(n-2) = 2 that is 0.5:

    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> dp.betweenness(net)["betweenness"].to_dict()
    {'a': 0.0, 'b': 0.5, 'c': 0.0}
    """
    dimensions = dimension_list(dimensions)
    graph = compile_graph(network, dimensions=dimensions, length=length, directed=directed, paths=paths)
    return graph_betweenness(
        graph, normalized=normalized, endpoints=endpoints, exact=exact, epsilon=epsilon, delta=delta, seed=seed,
        method=method, workers=workers, scheduler=scheduler,
    )


def graph_betweenness(
    graph: CompiledGraph,
    *,
    normalized: bool = True,
    endpoints: bool = False,
    exact: bool | None = None,
    epsilon: float | None = None,
    delta: float | None = None,
    seed: int = 0,
    method: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """:func:`betweenness` on an already compiled graph.

    ``progress``, if given, is called with (groups done, groups in all).
    """
    if exact and epsilon is not None:
        raise UsageError("choose either exact values or an epsilon, not both")
    approximate = exact is False or epsilon is not None or (
        exact is None and graph.n_nodes * graph.n_edges > EXACT_COST_LIMIT
    )
    if graph.paths == "routed" and graph.n_model_nodes > graph.n_actors:
        from .routed import routed_betweenness

        return routed_betweenness(graph, normalized=normalized, endpoints=endpoints, approximate=approximate,
                                  epsilon=epsilon, delta=delta, seed=seed, method=method, workers=workers,
                                  scheduler=scheduler, progress=progress)
    attrs = {
        "measure": "betweenness", "exact": not approximate, "normalized": normalized,
        "directed": graph.directed, "endpoints": endpoints, "n_nodes": graph.n_nodes,
        "n_edges": graph.n_edges, "epsilon": None, "delta": None, "seed": None, "method": None,
    }
    executor = Executor(workers, scheduler=scheduler, progress=progress)
    if approximate:
        epsilon = DEFAULT_EPSILON if epsilon is None else epsilon
        delta = DEFAULT_DELTA if delta is None else delta
        seed = seed_value(seed)
        method = approximation_method(graph, method)
        # path sampling runs on Numba's threads unless workers or a scheduler were asked for
        asked = workers is not None or scheduler is not None
        values = approximate_betweenness(
            graph, epsilon=epsilon, delta=delta, seed=seed, normalized=normalized, endpoints=endpoints,
            executor=executor if asked or method != "kadabra" else None, method=method,
        )
        attrs.update(epsilon=epsilon, delta=delta, seed=seed, method=method)
    else:
        values = exact_betweenness(graph, normalized=normalized, endpoints=endpoints, executor=executor)
    frame = pd.DataFrame({"betweenness": values}, index=pd.Index(graph.node_ids, name="id", dtype=object))
    frame.attrs.update(attrs)
    return frame


def exact_betweenness(
    graph: CompiledGraph,
    *,
    normalized: bool = True,
    endpoints: bool = False,
    executor: Executor | None = None,
) -> np.ndarray:
    """Exact betweenness as NetworkX defines it, one value per node index.

    Computed by igraph's Brandes implementation (breadth-first search for hop
    counts, Dijkstra for lengths), its sources split into groups that run in
    parallel (:func:`source_sums`), and converted to NetworkX's scale.
    """
    n = graph.n_nodes
    if n == 0:
        return np.zeros(0)
    ordered = source_sums(graph, executor=executor)
    if endpoints:
        ordered = ordered + endpoint_counts(graph)
    scale = Scale.of(n, normalized=normalized, directed=graph.directed, endpoints=endpoints)
    return ordered * scale.factor


def source_sums(
    graph: CompiledGraph,
    sources: np.ndarray | None = None,
    *,
    executor: Executor | None = None,
) -> np.ndarray:
    """Sum over ordered pairs (s, t), s in ``sources`` (all nodes by default), of path shares.

    For node v this is the sum over the sources s of Brandes' dependency
    delta_s(v). The sources are split into :data:`SOURCE_GROUPS` interleaved
    groups (interleaving balances the work of hub sources); the groups run on
    an :class:`~dependencia.base.executor.Executor` and their sums are added in
    group order. ``executor`` defaults to local processes on all cores; graphs
    with n*m below :data:`PARALLEL_MIN_COST` always run in-process.
    """
    n = graph.n_nodes
    chosen = np.arange(n) if sources is None else np.asarray(sources, dtype=np.int64)
    groups = source_slices(chosen)
    partials = executor_for(graph, executor).map(_engine_of, graph, _group_sums, groups)
    total = np.zeros(n)
    for partial in partials:
        total += partial
    # igraph counts each unordered pair once on undirected graphs
    return total if graph.directed else 2.0 * total


def _engine_of(graph: CompiledGraph) -> tuple:
    return graph.to_igraph(), graph.directed, "length" if graph.length is not None else None


def _group_sums(engine: tuple, sources: np.ndarray) -> np.ndarray:
    ig_graph, directed, weights = engine
    return np.asarray(ig_graph.betweenness(directed=directed, weights=weights, sources=sources.tolist()), dtype=float)


def endpoint_counts(graph: CompiledGraph) -> np.ndarray:
    """Ordered (s, t) pairs with a path in which each node is s or t.

    For node v that is the number of nodes v reaches plus the number that
    reach v (on an undirected graph: twice its component's size less one).
    """
    ig_graph = graph.to_igraph()
    n = graph.n_nodes
    if not graph.directed:
        membership = np.asarray(ig_graph.connected_components().membership)
        sizes = np.bincount(membership)
        return 2.0 * (sizes[membership] - 1)
    reaches = np.asarray(ig_graph.neighborhood_size(order=n, mode="out"), dtype=float) - 1
    reached = np.asarray(ig_graph.neighborhood_size(order=n, mode="in"), dtype=float) - 1
    return reaches + reached


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

    * ``"kadabra"`` (the default on directed hop-count graphs; hop counts
      only): adaptive sampling of shortest paths with balanced bidirectional
      searches, :func:`~dependencia.measures.adaptive.adaptive_betweenness`;
    * ``"rk"`` (the default on undirected graphs): NetworKit's
      ``ApproxBetweenness`` (Riondato-Kornaropoulos), which refuses directed
      graphs with lengths. NetworKit divides by n(n-1); the epsilon passed to
      it is scaled so that the bound holds on NetworkX's (n-1)(n-2) scale. It
      runs on one thread so that a seed gives the same values on any machine
      (this seeds NetworKit's own global generator; Python's and numpy's are
      untouched);
    * ``"sources"`` (the default on directed graphs with lengths): a seeded
      sample of sources, each computed exactly by igraph, scaled up, with the
      sample size from Hoeffding's bound (see :func:`source_sample_size`).

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
        return "rk" if not graph.directed else "sources" if weighted else "kadabra"
    if method not in METHODS:
        raise UsageError(f"unknown approximation method {method!r}; choose one of {', '.join(METHODS)}")
    if method == "kadabra" and weighted:
        raise UsageError("method 'kadabra' needs hop counts; use 'sources' for a graph with lengths")
    if method == "rk" and weighted and graph.directed:
        raise UsageError("method 'rk' (NetworKit) refuses directed graphs with lengths; use 'sources'")
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

    Used for directed graphs with lengths, where NetworKit's estimator refuses
    to run. When the sample would be as large as the graph, every source is
    used and the values are exact.
    """
    n = graph.n_nodes
    k = source_sample_size(n, epsilon=epsilon, delta=delta)
    if k >= n:
        return source_sums(graph, executor=executor)
    sources = np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))
    return source_sums(graph, sources, executor=executor) * (n / k)
