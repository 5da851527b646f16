"""Compile a :class:`~dependencia.model.Network` into engine graphs.

The graph of a dimension ``G_k`` (MODEL.md §2) has every actor and every
infrastructure as a node (nodes without edges in k are isolated and still
count in n) and a directed edge ``u -> v`` for every hop of every dependency
of dimension k: a dependency ``d -> p`` served via ``[X, Y]`` becomes the
route ``d -> X -> Y -> p``. The aggregate graph is the union over the chosen
dimensions. Parallel edges collapse into one: strengths add, and an explicit
length takes the minimum, as NetworkX's betweenness treats a multigraph.

Everything here works on whole numpy arrays; there is no Python loop over
edges between a table of a million dependencies and the compiled graph.

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records(
...     [{"id": "d"}, {"id": "p"}],
...     [{"dependent": "d", "provider": "p", "via": ["X"]},
...      {"dependent": "d", "provider": "p", "via": ["X"], "strength": 2}],
...     infrastructures=[{"id": "X", "owner": "p"}])
>>> g = compile_graph(net)
>>> [(g.node_ids[u], g.node_ids[v]) for u, v in zip(g.source, g.target)]
[('d', 'X'), ('X', 'p')]
>>> g.strength.tolist()
[3.0, 3.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ._schema import fail
from .errors import UsageError
from .model import Network

__all__ = ["CompiledGraph", "compile_graph"]


@dataclass(frozen=True, eq=False)
class CompiledGraph:
    """A graph on integer node indices, ready for the engines.

    Attributes
    ----------
    node_ids : numpy.ndarray
        ``node_ids[i]`` is the id of node ``i``: actors first, in table order,
        then infrastructures.
    n_actors : int
        Nodes ``0 .. n_actors - 1`` are actors.
    source, target : numpy.ndarray of int64
        One entry per collapsed edge, sorted by (source, target). On an
        undirected graph ``source < target``.
    strength : numpy.ndarray of float
        Summed strength of the dependencies behind each edge.
    length : numpy.ndarray of float or None
        Minimum length over the parallel edges, or None for hop counts.
    directed : bool
    dimensions : tuple of str
        The dimensions whose dependencies make up the graph.
    """

    node_ids: np.ndarray
    n_actors: int
    source: np.ndarray
    target: np.ndarray
    strength: np.ndarray
    length: np.ndarray | None
    directed: bool
    dimensions: tuple[str, ...]
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def n_nodes(self) -> int:
        """Number of nodes, isolated ones included."""
        return len(self.node_ids)

    @property
    def n_edges(self) -> int:
        """Number of edges after parallel edges collapsed."""
        return len(self.source)

    @cached_property
    def index(self) -> pd.Index:
        """Maps a node id to its integer index (``index.get_loc(id)``)."""
        return pd.Index(self.node_ids, dtype=object)

    def out_degree(self) -> np.ndarray:
        """Distinct successors of each node (on an undirected graph: neighbours)."""
        counts = np.bincount(self.source, minlength=self.n_nodes)
        return counts if self.directed else counts + np.bincount(self.target, minlength=self.n_nodes)

    def in_degree(self) -> np.ndarray:
        """Distinct predecessors of each node (on an undirected graph: neighbours)."""
        counts = np.bincount(self.target, minlength=self.n_nodes)
        return counts if self.directed else counts + np.bincount(self.source, minlength=self.n_nodes)

    def as_undirected(self) -> CompiledGraph:
        """The same graph with directions dropped; ``u -> v`` and ``v -> u`` collapse."""
        if not self.directed:
            return self
        low = np.minimum(self.source, self.target)
        high = np.maximum(self.source, self.target)
        source, target, strength, length = collapse(low, high, self.strength, self.length, self.n_nodes)
        return CompiledGraph(
            self.node_ids, self.n_actors, source, target, strength, length, False, self.dimensions
        )

    def to_igraph(self):  # -> igraph.Graph
        """The graph as an igraph Graph (cached); edge attribute ``length`` if set."""
        if "igraph" not in self._cache:
            import igraph as ig

            graph = ig.Graph(
                n=self.n_nodes, edges=np.column_stack([self.source, self.target]), directed=self.directed
            )
            if self.length is not None:
                graph.es["length"] = self.length
            self._cache["igraph"] = graph
        return self._cache["igraph"]

    def to_networkx(self):  # -> networkx.DiGraph | networkx.Graph
        """The graph as a NetworkX graph on node ids, with ``strength`` (and ``length``)."""
        import networkx as nx

        graph = nx.DiGraph() if self.directed else nx.Graph()
        graph.add_nodes_from(self.node_ids.tolist())
        ids = self.node_ids
        if self.length is None:
            attrs = ({"strength": s} for s in self.strength.tolist())
        else:
            attrs = ({"strength": s, "length": w} for s, w in zip(self.strength.tolist(), self.length.tolist()))
        graph.add_edges_from(
            (u, v, a) for u, v, a in zip(ids[self.source].tolist(), ids[self.target].tolist(), attrs)
        )
        return graph


def compile_graph(
    network: Network,
    *,
    dimensions: Sequence[str] | None = None,
    length: str | None = None,
    directed: bool = True,
) -> CompiledGraph:
    """Compile the aggregate graph of the chosen dimensions.

    Parameters
    ----------
    network : Network
    dimensions : sequence of str, optional
        Dimensions to include; all when omitted. A single name gives ``G_k``.
    length : str, optional
        A numeric dependency attribute to use as path length (every hop of a
        routed dependency carries the dependency's length). Hop counts when
        omitted.
    directed : bool, default True
        False drops directions (``u -> v`` and ``v -> u`` become one edge).

    Returns
    -------
    CompiledGraph

    Raises
    ------
    UsageError
        An unknown dimension or length attribute.
    InputError
        A length value that is missing, not a number, not finite or not > 0.
    """
    deps = network.dependencies
    chosen = _choose_dimensions(network, dimensions)
    if dimensions is not None:
        rows = np.flatnonzero(deps["dimension"].isin(chosen).to_numpy())
    else:
        rows = np.arange(len(deps))
    lengths = _lengths(network, length, rows) if length is not None else None
    index = pd.Index(network.node_ids, dtype=object)
    dependent = index.get_indexer(deps["dependent"].to_numpy()[rows])
    provider = index.get_indexer(deps["provider"].to_numpy()[rows])
    strength = deps["strength"].to_numpy(dtype=float)[rows]
    via = deps["via"].to_numpy()[rows]
    source, target, hop_of = _hops(dependent, provider, via, index)
    hop_strength = strength[hop_of]
    hop_length = None if lengths is None else lengths[hop_of]
    n = len(index)
    if not directed:
        source, target = np.minimum(source, target), np.maximum(source, target)
    source, target, hop_strength, hop_length = collapse(source, target, hop_strength, hop_length, n)
    return CompiledGraph(
        node_ids=index.to_numpy(dtype=object),
        n_actors=network.n_actors,
        source=source,
        target=target,
        strength=hop_strength,
        length=hop_length,
        directed=directed,
        dimensions=tuple(chosen),
    )


def _choose_dimensions(network: Network, dimensions: Sequence[str] | None) -> list[str]:
    known = list(network.dimensions.index)
    if dimensions is None:
        return known
    if isinstance(dimensions, str):
        dimensions = [dimensions]
    chosen = list(dict.fromkeys(dimensions))
    unknown = [d for d in chosen if d not in known]
    if unknown:
        raise UsageError(f"unknown dimension {unknown[0]!r}; the network has: {', '.join(known) or 'none'}")
    return chosen


def _lengths(network: Network, name: str, rows: np.ndarray) -> np.ndarray:
    deps = network.dependencies
    if name not in deps.columns or name in {"dependent", "provider", "dimension", "channel", "via"}:
        extra = [c for c in deps.columns if c not in {"dependent", "provider", "dimension", "channel", "via"}]
        raise UsageError(f"no dependency attribute {name!r} to use as length; numeric attributes: {', '.join(extra)}")
    column = deps[name]
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(values) & (values > 0))
    if column.dtype == object:
        bad |= column.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    bad_rows = rows[bad[rows]]
    if len(bad_rows):
        row = int(bad_rows[0])
        raw = column.iloc[row]
        shown = "missing" if raw is None or (isinstance(raw, float) and np.isnan(raw)) else repr(raw)
        raise fail(network.locate, "dependencies", row, name, f"length {name} must be a finite number > 0, got {shown}")
    return values[rows]


def _hops(
    dependent: np.ndarray, provider: np.ndarray, via: np.ndarray, index: pd.Index
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every hop of every dependency: (source, target, row of its dependency)."""
    route_len = np.fromiter((len(v) for v in via), dtype=np.int64, count=len(via))
    direct = np.flatnonzero(route_len == 0)
    if len(direct) == len(via):
        return dependent.astype(np.int64), provider.astype(np.int64), np.arange(len(via))
    routed = np.flatnonzero(route_len > 0)
    stops = route_len[routed] + 2  # dependent, the route, provider
    ends = np.cumsum(stops)
    starts = ends - stops
    path = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
    path[starts] = dependent[routed]
    path[ends - 1] = provider[routed]
    inner = np.ones(len(path), dtype=bool)
    inner[starts] = False
    inner[ends - 1] = False
    flat_via = np.concatenate([np.asarray(v, dtype=object) for v in via[routed]])
    path[inner] = index.get_indexer(flat_via)
    hop_mask = np.ones(len(path) - 1, dtype=bool)
    hop_mask[(ends - 1)[:-1]] = False  # no hop from one route's provider to the next route's dependent
    hop_rows = np.repeat(routed, stops - 1)
    source = np.concatenate([dependent[direct], path[:-1][hop_mask]]).astype(np.int64)
    target = np.concatenate([provider[direct], path[1:][hop_mask]]).astype(np.int64)
    hop_of = np.concatenate([direct, hop_rows])
    return source, target, hop_of


def collapse(
    source: np.ndarray, target: np.ndarray, strength: np.ndarray, length: np.ndarray | None, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Collapse parallel edges: strengths add, lengths take the minimum.

    Edges come back sorted by (source, target).
    """
    key = source.astype(np.int64) * np.int64(max(n, 1)) + target.astype(np.int64)
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    unique = key[starts]
    summed = np.add.reduceat(strength[order], starts) if len(starts) else np.zeros(0)
    shortest = None
    if length is not None:
        shortest = np.minimum.reduceat(length[order], starts) if len(starts) else np.zeros(0)
    return unique // max(n, 1), unique % max(n, 1), summed.astype(float), shortest
