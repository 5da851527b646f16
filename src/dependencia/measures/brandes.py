"""Exact node betweenness (Brandes, through igraph) on NetworkX's scale.

:func:`exact_betweenness` adds, over ordered node pairs, the share of shortest
paths through each node (igraph's Brandes: breadth-first search for hop
counts, Dijkstra for lengths), its sources split into interleaved groups that
run on an :class:`~dependencia.base.executor.Executor` and are added in group
order (the same bytes with any number of workers), and rescales the sum as
NetworkX does (:class:`Scale`). :func:`~dependencia.betweenness` is the public
entry; :mod:`.approximation` estimates the same sums by sampling.

References
----------
U. Brandes, "A faster algorithm for betweenness centrality", Journal of
Mathematical Sociology 25(2), 163-177 (2001). doi:10.1080/0022250X.2001.9990249

Examples
--------
On the path a -> b -> c, the pair (a, c) passes b: its ordered-pair sum is 1,
and NetworkX's normalization divides by (n-1)(n-2) = 2:

>>> import dependencia as dp
>>> from dependencia.graph import compile_graph
>>> net = dp.Network.from_records([{"id": i} for i in "abc"],
...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
>>> source_sums(compile_graph(net)).tolist()
[0.0, 1.0, 0.0]
>>> exact_betweenness(compile_graph(net)).tolist()
[0.0, 0.5, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..base.executor import Executor, return_free_memory
from ..graph.compiled import CompiledGraph
from ..graph.locality import from_engine, renumbered_igraph, renumbers, to_engine
from ._pair_sums import PARALLEL_MIN_COST, executor_for, source_slices

__all__ = ["Scale", "endpoint_counts", "exact_betweenness", "source_sums"]


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
    if n * max(graph.n_edges, 1) >= PARALLEL_MIN_COST:  # a long computation: hold no freed memory through it
        return_free_memory()
    # this process takes groups too: one forked worker fewer, the same sums (issue 19: peak memory)
    partials = executor_for(graph, executor).imap(_engine_of, graph, _group_sums, groups, here=True)
    total = np.zeros(n)
    for partial in partials:
        total += partial
    # igraph counts each unordered pair once on undirected graphs
    return total if graph.directed else 2.0 * total


def _engine_of(graph: CompiledGraph) -> tuple:
    """igraph's graph, renumbered for locality where the computation is long (:mod:`~dependencia.graph.locality`)."""
    weights = "length" if graph.length is not None else None
    if not renumbers(graph.n_nodes, graph.n_edges):
        return graph.to_igraph(), graph.directed, weights, None
    engine, position = renumbered_igraph(graph.n_nodes, graph.source, graph.target, graph.length,
                                         directed=graph.directed)
    return engine, graph.directed, weights, position


def _group_sums(engine: tuple, sources: np.ndarray) -> np.ndarray:
    ig_graph, directed, weights, position = engine
    values = ig_graph.betweenness(directed=directed, weights=weights, sources=to_engine(position, sources))
    return from_engine(position, values)


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
