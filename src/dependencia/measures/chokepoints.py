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
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list, seed_value
from ..graph.compiled import CompiledGraph, compile_graph
from ..network.model import Network
from .betweenness import graph_betweenness

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
    engine = graph.to_igraph()
    n = len(ordered)  # actors and infrastructures (and nothing else)
    connected_pairs = _connected_pairs(engine, graph, n)
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
    before = _pair_distances(engine, pairs, graph)
    for v in chosen:
        relevant = (pairs[:, 0] != v) & (pairs[:, 1] != v)
        reduced = engine.copy()
        reduced.delete_edges(sorted({e for u in graph.nodes_of([v]).tolist() for e in reduced.incident(u, mode="all")}))
        after = _pair_distances(reduced, pairs[relevant], graph)
        was = before[relevant]
        cut[v] = np.sum(np.isfinite(was) & ~np.isfinite(after)) / max(len(pairs), 1)
        longer[v] = np.sum(np.isfinite(after) & (after > was * (1 + 1e-10))) / max(len(pairs), 1)
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


def _connected_pairs(engine, graph: CompiledGraph, n: int) -> float:
    """Ordered pairs with a path: of actors on the routed graph, of all nodes otherwise."""
    if n == graph.n_nodes and not (graph.paths == "routed" and graph.n_model_nodes > graph.n_actors):
        return float(np.sum(np.asarray(engine.neighborhood_size(order=graph.n_nodes, mode="out")) - 1))
    actors = list(range(graph.n_actors))
    mode = "out" if graph.directed else "all"
    total = 0
    for first in range(0, len(actors), 512):
        chunk = actors[first:first + 512]
        rows = np.isfinite(np.asarray(engine.distances(source=chunk, target=actors, mode=mode), dtype=float))
        rows[np.arange(len(chunk)), chunk] = False
        total += int(rows.sum())
    return float(total)


def _declared_pairs(network: Network, graph: CompiledGraph, dimensions) -> np.ndarray:
    deps = network.dependencies
    if dimensions is not None:
        deps = deps[deps["dimension"].isin(list(dimensions))]
    pairs = deps[["dependent", "provider"]].drop_duplicates()
    return np.column_stack(
        [graph.index.get_indexer(pairs["dependent"].to_numpy()), graph.index.get_indexer(pairs["provider"].to_numpy())]
    ).astype(np.int64).reshape(-1, 2)


def _pair_distances(engine, pairs: np.ndarray, graph: CompiledGraph) -> np.ndarray:
    """Shortest-path length of each (dependent, provider) pair; inf where none."""
    weights = "length" if graph.length is not None else None
    result = np.full(len(pairs), np.inf)
    if not len(pairs):
        return result
    order = np.argsort(pairs[:, 0], kind="stable")
    sources, starts = np.unique(pairs[order, 0], return_index=True)
    mode = "out" if graph.directed else "all"
    for source, rows in zip(sources.tolist(), np.split(order, starts[1:])):
        targets = pairs[rows, 1].tolist()
        result[rows] = engine.distances(source=[source], target=targets, weights=weights, mode=mode)[0]
    return result
