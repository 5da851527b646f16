"""Node positions for drawing a network: a seeded force-directed layout.

The layout is igraph's Fruchterman-Reingold (Fruchterman and Reingold 1991,
DOI 10.1002/spe.4380211102) on the undirected aggregate graph, started from
seeded random positions and run with a seeded random number generator, so the
same network and seed always give the same positions. Positions are scaled to
the unit square. Isolated nodes are spread on a ring around it.

Examples
--------
>>> import dependencia as dp
>>> from dependencia.report.layout import network_layout
>>> positions = network_layout(dp.examples.load("florentine"), seed=1)
>>> list(positions.columns), bool(positions[["x", "y"]].stack().between(-0.1, 1.1).all())
(['x', 'y'], True)
>>> positions.equals(network_layout(dp.examples.load("florentine"), seed=1))
True
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from ..graph.compiled import CompiledGraph, compile_graph
from ..network.model import Network

__all__ = ["edge_layout", "graph_layout", "network_layout"]

ITERATIONS = 500


def network_layout(network: Network, *, seed: int = 0, nodes: Sequence[str] | None = None) -> pd.DataFrame:
    """Positions of a network's nodes (actors and infrastructures).

    Parameters
    ----------
    network : Network
    seed : int, default 0
        Seeds the start positions and the layout's random choices.
    nodes : sequence of str, optional
        Lay out only these nodes (with the edges among them); all by default.

    Returns
    -------
    pandas.DataFrame
        Indexed by node id, columns ``x`` and ``y`` in [0, 1].
    """
    return graph_layout(compile_graph(network, paths="hub"), seed=seed, nodes=nodes)


def graph_layout(graph: CompiledGraph, *, seed: int = 0, nodes: Sequence[str] | None = None) -> pd.DataFrame:
    """Positions of a compiled graph's nodes; see :func:`network_layout`."""
    ids = pd.Index(graph.node_ids)
    keep = np.arange(len(ids)) if nodes is None else np.sort(ids.get_indexer(pd.Index(nodes)))
    if (keep < 0).any():
        missing = [node for node in nodes or () if node not in ids]
        raise KeyError(f"not in the network: {missing[:5]}")
    local = np.full(len(ids), -1, dtype=np.int64)
    local[keep] = np.arange(len(keep))
    inside = (local[graph.source] >= 0) & (local[graph.target] >= 0)
    return edge_layout(ids[keep], local[graph.source[inside]], local[graph.target[inside]], seed=seed)


def edge_layout(ids: Sequence[str], source: np.ndarray, target: np.ndarray, *, seed: int = 0) -> pd.DataFrame:
    """Positions of nodes ``ids`` joined by edges ``source[i] - target[i]`` (positions in ``ids``).

    Direction, parallel edges and self-loops are ignored; see :func:`network_layout`.
    """
    edges = np.column_stack([np.asarray(source, dtype=np.int64), np.asarray(target, dtype=np.int64)])
    xy = _positions(len(ids), edges.reshape(-1, 2), seed)
    return pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1]}, index=pd.Index(list(ids), name="id", dtype=object))


def _positions(n: int, edges: np.ndarray, seed: int) -> np.ndarray:
    if n == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(seed)
    degree = np.bincount(edges.ravel(), minlength=n) if len(edges) else np.zeros(n, dtype=np.int64)
    connected = np.flatnonzero(degree > 0)
    xy = np.zeros((n, 2))
    if len(connected):
        from ..base.imports import igraph  # imported without matplotlib.pyplot (0.4 s)

        ig = igraph()

        index = np.full(n, -1, dtype=np.int64)
        index[connected] = np.arange(len(connected))
        sub = ig.Graph(n=len(connected), edges=index[edges].tolist(), directed=False).simplify()
        start = rng.uniform(-1.0, 1.0, size=(len(connected), 2)) * np.sqrt(len(connected))
        with _seeded_igraph(seed):
            placed = np.asarray(sub.layout_fruchterman_reingold(seed=start.tolist(), niter=ITERATIONS).coords)
        xy[connected] = _unit_square(placed)
    lonely = np.flatnonzero(degree == 0)
    if len(lonely):
        angle = 2 * np.pi * np.arange(len(lonely)) / len(lonely)
        radius = 0.5 if len(connected) == 0 else 0.62
        xy[lonely] = 0.5 + radius * np.column_stack([np.cos(angle), np.sin(angle)])
    return np.round(xy, 6)


def _unit_square(xy: np.ndarray) -> np.ndarray:
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = float((high - low).max())
    if span == 0:
        return np.full_like(xy, 0.5)
    return (xy - low) / span + (1 - (high - low) / span) / 2


@contextlib.contextmanager
def _seeded_igraph(seed: int) -> Iterator[None]:
    """igraph draws from Python's random module by default; give it a private, seeded one."""
    from ..base.imports import igraph  # imported without matplotlib.pyplot (0.4 s)

    ig = igraph()

    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)
