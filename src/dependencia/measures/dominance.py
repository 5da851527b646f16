"""Dominance: who can cut whom off (docs/model.md#dominance).

For actor a with controlled set C(a) (docs/model.md#actor-power: its own
node, the actors it controls, the infrastructures they own and, on the
routed graph, all their route nodes):

    dominance(a) = dominated pairs / pairs counted

where the pairs counted are the ordered actor pairs (s, t), s != t, neither
in C(a), with t reachable from s, and a pair is *dominated* when some node of
C(a) lies on every path from s to t: it dominates t in the graph seen from s
(Lengauer and Tarjan 1979). Only actors are sources and targets; route nodes
and infrastructures never are. Betweenness counts the shortest paths an actor
sits on; dominance counts the pairs it can cut apart, whatever the path
lengths: a node on every path is on every shortest path, but sitting on all
shortest paths does not make a node a dominator when a longer way round
exists. On an undirected graph (``directed=False``) paths go both ways and a
dominator is a cut vertex between s and t.

The computation builds one dominator tree per source actor (the semi-NCA
algorithm of Georgiadis, Tarjan and Werneck, a simplification of Lengauer
and Tarjan's, in the Numba kernel of :mod:`._dominance_kernels`) and reads
every actor's count off it: the actor targets in the subtrees of C(a)'s
nodes. Sources are split into slices run on an
:class:`~dependencia.base.executor.Executor`; counts are integers, so the
values do not depend on the number of workers. On the 20,000-node benchmark
graph all actors cost about two exact betweenness passes
(``benchmarks/bench_dominance.py``).

References
----------
T. Lengauer and R. E. Tarjan, "A fast algorithm for finding dominators in a
flowgraph", ACM Transactions on Programming Languages and Systems 1(1),
121-141 (1979). doi:10.1145/357062.357071

L. Georgiadis, R. E. Tarjan and R. F. Werneck, "Finding dominators in
practice", Journal of Graph Algorithms and Applications 10(1), 69-94 (2006).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..base.executor import Executor
from ..graph.compiled import CompiledGraph, compile_graph
from ..network.model import Network
from ._pair_sums import csr, executor_for, graph_csr, identity, source_slices
from .power import controlled_groups

__all__ = ["dominance", "graph_dominance"]


def dominance(
    network: Network,
    *,
    paths: str | None = "routed",
    dimensions: str | Sequence[str] | None = None,
    directed: bool = True,
    workers: int | None = None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Dominance of every actor: the share of the actor pairs it can cut apart.

    Parameters
    ----------
    network : Network
    paths : {"routed", "hub"}, default "routed"
        How routes make paths (docs/model.md#graphs).
    dimensions : str or sequence of str, optional
        The dimensions whose dependencies make the graph; all when omitted.
    directed : bool, default True
        False: paths go both ways along every edge.
    workers : int, optional
        Worker processes (all cores when omitted; a small graph runs
        in-process). The values do not depend on it.
    scheduler : str, optional
        Run on Dask, as for :func:`~dependencia.betweenness`; the same values.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (``id``), in actor order: ``dominance``, the
        share of the ordered actor pairs (s, t) outside C(a), t reachable
        from s, that a node of C(a) dominates (0 when there is no such
        pair), and ``dominated_pairs``, their number. ``frame.attrs`` has
        ``measure="dominance"``, ``paths``, ``directed``, and the graph's size.

    Raises
    ------
    UsageError
        An unknown ``paths`` value or dimension.

    Examples
    --------
    A chain a -> b -> c: every path from a to c passes b. Of the pairs
    outside b that have a path, (a, c) is the only one, and b dominates it:

    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> dominance(net).to_dict()
    {'dominance': {'a': 0.0, 'b': 1.0, 'c': 0.0}, 'dominated_pairs': {'a': 0, 'b': 1, 'c': 0}}
    """
    dimensions = dimension_list(dimensions)
    graph = compile_graph(network, dimensions=dimensions, directed=directed, paths=paths)
    return graph_dominance(network, graph, workers=workers, scheduler=scheduler)


def graph_dominance(
    network: Network,
    graph: CompiledGraph,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """:func:`dominance` on a graph already compiled from ``network`` (lengths, if any, play no part)."""
    n_actors = graph.n_actors
    groups = controlled_groups(network, graph)
    multi = [a for a, members in enumerate(groups) if len(members) > 1]
    indptr, indices, _, _ = graph_csr(graph)
    if graph.directed:
        ones = np.ones(graph.n_edges)
        rindptr, rindices, _, _ = csr(graph.n_nodes, graph.target, graph.source, ones, False)
    else:
        rindptr, rindices = indptr, indices  # both directions already
    chosen = [groups[a] for a in multi]
    group_ptr = np.concatenate([[0], np.cumsum([len(m) for m in chosen])]).astype(np.int64)
    group_nodes = np.concatenate(chosen).astype(np.int64) if chosen else np.zeros(0, dtype=np.int64)
    shared = (indptr, indices, rindptr, rindices, n_actors, group_ptr, group_nodes)
    executor = executor_for(graph, Executor(workers, scheduler=scheduler, progress=progress))
    dominated = np.zeros(n_actors, dtype=np.int64)
    reached_by = np.zeros(n_actors, dtype=np.int64)
    reach = np.zeros(n_actors, dtype=np.int64)
    group_dominated = np.zeros(len(multi), dtype=np.int64)
    group_pairs = np.zeros(len(multi), dtype=np.int64)
    slices = source_slices(np.arange(n_actors, dtype=np.int64))
    for part in executor.imap(identity, shared, _dominance_slice, slices) if slices else []:
        dominated += part[0]
        reached_by += part[1]
        reach += part[2]
        group_dominated += part[3]
        group_pairs += part[4]
    # a single node: the pairs counted are those of every other source, less its own arrivals
    pairs = reach.sum() - reach - reached_by
    dominated[multi] = group_dominated
    pairs[multi] = group_pairs
    share = np.divide(dominated, pairs, out=np.zeros(n_actors), where=pairs > 0)
    frame = pd.DataFrame(
        {"dominance": share, "dominated_pairs": dominated},
        index=pd.Index(network.actors.index, name="id", dtype=object),
    )
    frame.attrs.update(
        measure="dominance", paths=graph.paths, directed=graph.directed, n_nodes=graph.n_nodes,
        n_actors=n_actors, n_edges=graph.n_edges,
    )
    return frame


def _dominance_slice(shared: tuple, sources: np.ndarray) -> tuple:
    from . import _dominance_kernels  # Numba: loaded by the first graph that needs it, not by `import`

    indptr, indices, rindptr, rindices, n_actors, group_ptr, group_nodes = shared
    return _dominance_kernels.dominated_counts(
        indptr, indices, rindptr, rindices, sources.astype(np.int64), n_actors, group_ptr, group_nodes,
    )
