"""Chokepoints and panopticons: which nodes the network's declared dependencies cannot do without.

docs/model.md#what-if-and-chokepoints (issue 4): for every actor or infrastructure, the share of
declared dependencies (distinct dependent-provider pairs) that its removal
cuts (no path left) or lengthens (a longer shortest path), and its share of
all shortest paths (the panopticon: raw betweenness over the number of
ordered node pairs that have a path).

A node on no shortest path between any two other nodes (betweenness 0) can
neither cut nor lengthen a dependency, so only nodes with positive
betweenness are removed one by one. On large networks the dependencies can be
sampled (seeded), with the Hoeffding error bound of the shares reported.

The removals do not recompute every pair's distance per candidate: one search
per dependent finds the shortest-path DAG towards its providers, and a
candidate needs a second search from that dependent only for the pairs whose
every shortest path it lies on (the compiled kernel of
:mod:`dependencia.measures._chokepoint_kernels`; issue 19).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list, seed_value
from ..base.executor import Executor
from ..graph.compiled import CompiledGraph, compile_graph
from ..network.model import Network
from ._pair_sums import executor_for, graph_csr, identity, source_slices
from .betweenness import graph_betweenness
from .reach import reached_actors

__all__ = ["chokepoints"]


def chokepoints(
    network: Network,
    *,
    directed: bool = True,
    length: str | None = None,
    dimensions: str | Sequence[str] | None = None,
    candidates: int | None = None,
    sample: int | None = None,
    delta: float = 0.1,
    seed: int = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    paths: str | None = "routed",
) -> pd.DataFrame:
    """Chokepoint and panopticon shares of every node.

    Parameters
    ----------
    network : Network
    directed, length, dimensions, workers, scheduler, paths :
        As for :func:`~dependencia.betweenness`. On the routed graph an
        infrastructure is removed with all its route nodes, and the
        panopticon share counts ordered pairs of actors.
    candidates : int, optional
        Remove only this many nodes, those with the highest betweenness
        (all nodes with positive betweenness by default); the others get NaN
        chokepoint values.
    sample : int, optional
        Evaluate this many declared dependency pairs, drawn without
        replacement with ``seed`` (all by default). The reported
        ``epsilon`` bounds the error of every share with probability
        1 - ``delta`` (Hoeffding with a union bound over the candidates).

    Returns
    -------
    pandas.DataFrame
        Indexed by node id: ``kind``, ``cut``, ``lengthened``, ``chokepoint``
        (their sum), ``panopticon``, sorted by chokepoint then panopticon,
        descending. ``attrs`` records ``pairs`` evaluated, ``sampled`` and
        ``epsilon``.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "c", "via": ["hub"]}, {"dependent": "b", "provider": "c"}],
    ...     infrastructures=[{"id": "hub", "owner": "b"}])
    >>> dp.chokepoints(net).loc["hub", ["cut", "lengthened", "chokepoint"]].tolist()
    [0.5, 0.0, 0.5]
    """
    dimensions = dimension_list(dimensions)
    graph = compile_graph(network, dimensions=dimensions, length=length, directed=directed, paths=paths)
    between = graph_betweenness(graph, exact=True, normalized=False, workers=workers,
                                 scheduler=scheduler)["betweenness"].to_numpy()
    ordered = between if graph.directed else 2.0 * between
    n = len(ordered)  # actors and infrastructures (and nothing else)
    connected_pairs = connected_pair_count(graph)
    panopticon = ordered / connected_pairs if connected_pairs > 0 else np.zeros(n)
    pairs = _declared_pairs(network, graph, dimensions)
    sampled = sample is not None and sample < len(pairs)
    if sampled:
        pairs = pairs[np.sort(np.random.default_rng(seed_value(seed)).choice(len(pairs), size=sample, replace=False))]
    order = np.argsort(-ordered, kind="stable")
    chosen = [int(v) for v in order if ordered[v] > 0][: candidates if candidates is not None else None]
    cut = np.full(n, np.nan)
    longer = np.full(n, np.nan)
    evaluated = np.zeros(n, dtype=bool)
    evaluated[chosen] = True
    if candidates is None:  # every node with betweenness 0 is exactly 0
        cut[~evaluated], longer[~evaluated] = 0.0, 0.0
    cut_counts, longer_counts = removal_counts(graph, pairs, chosen, executor=Executor(workers, scheduler=scheduler))
    cut[chosen] = cut_counts / max(len(pairs), 1)
    longer[chosen] = longer_counts / max(len(pairs), 1)
    ids = graph.node_ids[:n]
    kinds = ["actor" if i < graph.n_actors else "infrastructure" for i in range(n)]
    frame = pd.DataFrame(
        {"kind": kinds, "cut": cut, "lengthened": longer, "chokepoint": cut + longer, "panopticon": panopticon},
        index=pd.Index(ids, name="id", dtype=object),
    )
    frame = frame.sort_values(["chokepoint", "panopticon"], ascending=False, kind="stable", na_position="last")
    epsilon = None
    if sampled:  # with no candidate every share is exactly 0: no error
        epsilon = float(np.sqrt(np.log(2 * len(chosen) / delta) / (2 * len(pairs)))) if chosen else 0.0
    frame.attrs.update(pairs=len(pairs), sampled=sampled, epsilon=epsilon, delta=delta if sampled else None)
    return frame


def connected_pair_count(graph: CompiledGraph) -> float:
    """Ordered pairs with a path: of actors on the routed graph with infrastructures, of all nodes otherwise.

    Counted exactly on the condensation of the strong components
    (:mod:`dependencia.measures.reach`), not by one search per node.

    Examples
    --------
    >>> import dependencia as dp
    >>> from dependencia.graph.compiled import compile_graph
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> connected_pair_count(compile_graph(net))  # (a, b), (a, c), (b, c)
    3.0
    """
    if not (graph.paths == "routed" and graph.n_model_nodes > graph.n_actors):
        graph = replace(graph, n_actors=graph.n_nodes)  # every node an end of a pair (same edges, same igraph cache)
    reached = reached_actors(graph, reverse=False)[: graph.n_actors]
    return float(np.sum(reached - 1))


def removal_counts(
    graph: CompiledGraph, pairs: np.ndarray, chosen: Sequence[int], *, executor: Executor | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """How many of ``pairs`` the removal of each chosen node cuts and lengthens (integer counts).

    Each chosen actor or infrastructure goes with all the graph nodes that
    stand for it (its route nodes). The dependents are split into
    interleaved slices that run on ``executor`` (in-process for a small
    graph); the integer counts are the same for any number of workers.
    See :mod:`dependencia.measures._chokepoint_kernels`.

    Examples
    --------
    >>> import numpy as np
    >>> import dependencia as dp
    >>> from dependencia.graph.compiled import compile_graph
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> cut, longer = removal_counts(compile_graph(net), np.array([[0, 2]]), [1])  # b cuts a -> c
    >>> cut.tolist(), longer.tolist()
    ([1], [0])
    """
    chosen = [int(v) for v in chosen]
    if not chosen or not len(pairs):
        return np.zeros(len(chosen), dtype=np.int64), np.zeros(len(chosen), dtype=np.int64)
    position = np.full(graph.n_model_nodes, -1, dtype=np.int64)
    position[chosen] = np.arange(len(chosen), dtype=np.int64)
    candidate_of = position[graph.model_of]  # a route node goes with its infrastructure
    grouped = pairs[np.argsort(pairs[:, 0], kind="stable")]
    dependents, starts = np.unique(grouped[:, 0], return_index=True)
    pair_ptr = np.append(starts, len(grouped)).astype(np.int64)
    shared = (*graph_csr(graph), dependents.astype(np.int64), pair_ptr, np.ascontiguousarray(grouped[:, 1]),
              candidate_of, len(chosen))
    slices = [np.ascontiguousarray(s) for s in source_slices(np.arange(len(dependents), dtype=np.int64))]
    cut = np.zeros(len(chosen), dtype=np.int64)
    longer = np.zeros(len(chosen), dtype=np.int64)
    for part_cut, part_longer in executor_for(graph, executor).imap(identity, shared, _slice_counts, slices):
        cut += part_cut
        longer += part_longer
    return cut, longer


def _slice_counts(shared: tuple, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from . import _chokepoint_kernels  # Numba: loaded by the first call that needs it, not by `import`

    indptr, indices, lengths, weighted, dependents, pair_ptr, providers, candidate_of, n_candidates = shared
    return _chokepoint_kernels.chokepoint_counts(indptr, indices, lengths, weighted, dependents, pair_ptr, providers,
                                                 candidate_of, n_candidates, items)


def _declared_pairs(network: Network, graph: CompiledGraph, dimensions) -> np.ndarray:
    deps = network.dependencies
    if dimensions is not None:
        deps = deps[deps["dimension"].isin(list(dimensions))]
    pairs = deps[["dependent", "provider"]].drop_duplicates()
    return np.column_stack(
        [graph.index.get_indexer(pairs["dependent"].to_numpy()), graph.index.get_indexer(pairs["provider"].to_numpy())]
    ).astype(np.int64).reshape(-1, 2)
