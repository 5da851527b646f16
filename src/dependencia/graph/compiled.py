"""Compile a :class:`~dependencia.network.model.Network` into engine graphs.

The graph of a dimension ``G_k`` (docs/model.md#graphs) has every actor and every
infrastructure as a node (nodes without edges in k are isolated and still
count) and a directed edge for every hop of every dependency of dimension k.
On the **routed** graph (the default) a dependency ``d -> p`` served via a
closed infrastructure ``X`` passes a route node ``X@r`` of its own route r
(identical routes share it), so a path passes a closed infrastructure only
along a declared route; an open infrastructure is one node joining all its
routes. On the **hub** graph (``paths="hub"``) every infrastructure is open.
The aggregate graph is the union over the chosen dimensions. Parallel edges
collapse into one: strengths add, and an explicit length takes the minimum,
as NetworkX's betweenness treats a multigraph.

Everything here works on whole numpy arrays; there is no Python loop over
edges between a table of a million dependencies and the compiled graph.

Examples
--------
>>> import dependencia as dp
>>> net = dp.Network.from_records(
...     [{"id": "d"}, {"id": "e"}, {"id": "p"}],
...     [{"dependent": "d", "provider": "p", "via": ["X"]},
...      {"dependent": "d", "provider": "p", "via": ["X"], "strength": 2},
...      {"dependent": "e", "provider": "p", "via": ["X"]}],
...     infrastructures=[{"id": "X", "owner": "p"}])
>>> g = compile_graph(net)
>>> [(g.node_ids[u], g.node_ids[v]) for u, v in zip(g.source, g.target)]
[('d', 'X@d>X>p'), ('e', 'X@e>X>p'), ('X@d>X>p', 'p'), ('X@e>X>p', 'p')]
>>> g.strength.tolist(), g.model_of.tolist()
([3.0, 1.0, 3.0, 1.0], [0, 1, 2, 3, 3, 3])
>>> h = compile_graph(net, paths="hub")
>>> [(h.node_ids[u], h.node_ids[v]) for u, v in zip(h.source, h.target)]
[('d', 'X'), ('e', 'X'), ('X', 'p')]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from ..base.arguments import dimension_list
from ..errors import UsageError
from ..network.fields import DEFAULT_DIMENSION
from .hops import collapse, collapse_sorted, hops, lengths_of, path_mode, sort_hops

if TYPE_CHECKING:  # NetworkX is imported where a view is built, pandas where a Network is compiled or ids looked up
    import networkx as nx
    import pandas as pd

    from ..network.arrays import EdgeArrays
    from ..network.model import Network

__all__ = ["CompiledGraph", "compile_edge_arrays", "compile_graph", "compiled_once"]

#: The graphs compiled in the innermost :func:`compiled_once` scope, by (network, arguments); None outside one.
_SCOPE: ContextVar[dict[tuple, tuple[Network, CompiledGraph]] | None] = ContextVar("compiled_once", default=None)


@contextmanager
def compiled_once() -> Iterator[None]:
    """Within the block, :func:`compile_graph` of the same Network object with the same arguments compiles once.

    A Network is immutable (its methods return new ones), so the graph of one
    object and one set of arguments is always the same; the scope holds each
    network it saw, so that no other object can take its place. The simulation
    opens one scope per step (its measure phase, reach and scoring compile the same
    graphs); the graphs are dropped when the block ends.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
    >>> with compiled_once():
    ...     compile_graph(net) is compile_graph(net)
    True
    >>> compile_graph(net) is compile_graph(net)
    False
    """
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


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
    length_name : str or None
        The dependency attribute the lengths were taken from (None: hop counts).
    all_dimensions : bool
        True when the graph was compiled without a choice of dimensions.
    paths : {"routed", "hub"}
        How routes make paths (docs/model.md#graphs).
    n_model : int or None
        Nodes ``0 .. n_model - 1`` are the network's actors and
        infrastructures; the nodes after them are route nodes. None: every
        node is a model node.
    route_infrastructure : numpy.ndarray of int64 or None
        For route node ``n_model + i``, the node index of its infrastructure.
    route_key : numpy.ndarray of object or None
        For route node ``n_model + i``, its route: dependent, infrastructures
        and provider joined by ``>`` (the nodes of one route are consecutive,
        in route order).
    """

    node_ids: np.ndarray
    n_actors: int
    source: np.ndarray
    target: np.ndarray
    strength: np.ndarray
    length: np.ndarray | None
    directed: bool
    dimensions: tuple[str, ...]
    length_name: str | None = None
    all_dimensions: bool = False
    paths: str = "hub"
    n_model: int | None = None
    route_infrastructure: np.ndarray | None = None
    route_key: np.ndarray | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("index", None)
        state["_cache"] = {}
        return state

    @property
    def n_model_nodes(self) -> int:
        """Number of actors and infrastructures (the nodes before the route nodes)."""
        return self.n_nodes if self.n_model is None else self.n_model

    @property
    def n_route_nodes(self) -> int:
        """Number of route nodes (0 on the hub graph)."""
        return self.n_nodes - self.n_model_nodes

    @cached_property
    def model_of(self) -> np.ndarray:
        """``model_of[v]``: the actor or infrastructure node ``v`` stands for (itself, or a route node's infrastructure)."""
        own = np.arange(self.n_model_nodes, dtype=np.int64)
        if self.route_infrastructure is None or not len(self.route_infrastructure):
            return own
        return np.concatenate([own, self.route_infrastructure.astype(np.int64)])

    def nodes_of(self, model_nodes: Sequence[int] | np.ndarray) -> np.ndarray:
        """All graph nodes (model nodes and their route nodes) that stand for the given model nodes, sorted.

        Examples
        --------
        >>> import dependencia as dp
        >>> net = dp.Network.from_records([{"id": "d"}, {"id": "p"}],
        ...     [{"dependent": "d", "provider": "p", "via": ["X"]}], infrastructures=[{"id": "X"}])
        >>> compile_graph(net).nodes_of([2]).tolist()
        [2, 3]
        """
        wanted = np.zeros(self.n_model_nodes, dtype=bool)
        wanted[np.asarray(model_nodes, dtype=np.int64)] = True
        return np.flatnonzero(wanted[self.model_of])

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
        """Maps an actor's or infrastructure's id to its node index (``index.get_loc(id)``); route nodes are not in it."""
        import pandas as pd  # not at import: the plain edge-list path computes without pandas (issue 19)

        return pd.Index(self.node_ids[:self.n_model_nodes], dtype=object)

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
            self.node_ids, self.n_actors, source, target, strength, length, False, self.dimensions,
            self.length_name, self.all_dimensions, self.paths, self.n_model, self.route_infrastructure,
            self.route_key,
        )

    def to_igraph(self) -> Any:  # an igraph.Graph (igraph has no type information)
        """The graph as an igraph Graph (cached); edge attribute ``length`` if set."""
        if "igraph" not in self._cache:
            from ..base.imports import igraph  # imported without matplotlib.pyplot (0.4 s)

            ig = igraph()

            # a list of tuples: an (m, 2) array goes through one Python sequence per row, 10x slower
            edges = list(zip(self.source.tolist(), self.target.tolist()))
            graph = ig.Graph(n=self.n_nodes, edges=edges, directed=self.directed)
            if self.length is not None:
                graph.es["length"] = self.length
            self._cache["igraph"] = graph
        return self._cache["igraph"]

    def to_networkx(self) -> nx.Graph:  # a networkx.DiGraph when directed
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
    dimensions: str | Sequence[str] | None = None,
    length: str | None = None,
    directed: bool = True,
    paths: str | None = "routed",
) -> CompiledGraph:
    """Compile the aggregate graph of the chosen dimensions.

    Parameters
    ----------
    network : Network
    dimensions : str or sequence of str, optional
        Dimensions to include; all when omitted. A single name gives ``G_k``.
    length : str, optional
        A numeric dependency attribute to use as path length (every hop of a
        routed dependency carries the dependency's length). Hop counts when
        omitted.
    directed : bool, default True
        False drops directions (``u -> v`` and ``v -> u`` become one edge).
    paths : {"routed", "hub"}, default "routed"
        ``"routed"``: a route through closed infrastructures is a chain of
        route nodes of its own, open infrastructures are shared nodes;
        ``"hub"``: every infrastructure is one shared node
        (docs/model.md#graphs).

    Returns
    -------
    CompiledGraph
        Actors, then infrastructures, then route nodes.

    Raises
    ------
    UsageError
        An unknown dimension, length attribute or ``paths``.
    InputError
        A length value that is missing, not a number, not finite or not > 0.
    """
    dimensions = dimension_list(dimensions)
    paths = path_mode(paths)
    scope = _SCOPE.get()
    if scope is None:
        return _compile(network, dimensions, length, directed, paths)
    key = (id(network), None if dimensions is None else tuple(dimensions), length, directed, paths)
    held = scope.get(key)
    if held is None or held[0] is not network:
        held = scope[key] = (network, _compile(network, dimensions, length, directed, paths))
    return held[1]


def _compile(network: Network, dimensions: list[str] | None, length: str | None, directed: bool,
             paths: str) -> CompiledGraph:
    edges = network.plain_edges()
    if edges is not None and dimensions is None and length is None:  # the tables are not built: from the arrays
        return compile_edge_arrays(edges, directed=directed, paths=paths)
    import pandas as pd

    deps = network.dependencies
    chosen = _choose_dimensions(network, dimensions)
    if dimensions is not None:
        rows = np.flatnonzero(deps["dimension"].isin(chosen).to_numpy())
    else:
        rows = np.arange(len(deps))
    lengths = lengths_of(network, length, rows) if length is not None else None
    index = pd.Index(network.node_ids, dtype=object)
    closed = None
    if paths == "routed":
        closed = np.zeros(len(index), dtype=bool)
        closed[network.n_actors:] = network.closed_infrastructures()
    routes = hops(
        index.get_indexer(deps["dependent"].to_numpy()[rows]), index.get_indexer(deps["provider"].to_numpy()[rows]),
        deps["via"].to_numpy()[rows], index, closed,
    )
    strength = deps["strength"].to_numpy(dtype=float)[rows]
    hop_strength = strength[routes.hop_of]
    hop_length = None if lengths is None else lengths[routes.hop_of]
    n_model = len(index)
    n = n_model + len(routes.route_infrastructure)
    source, target = routes.source, routes.target
    if not directed:
        source, target = np.minimum(source, target), np.maximum(source, target)
    key, order = sort_hops(source, target, n)
    edge_key, edge_strength, edge_length = collapse_sorted(
        key, hop_strength[order], None if hop_length is None else hop_length[order]
    )
    route_ids = [f"{index[x]}@{r}" for x, r in zip(routes.route_infrastructure.tolist(), routes.route_key.tolist())]
    graph = CompiledGraph(
        node_ids=np.concatenate([index.to_numpy(dtype=object), np.array(route_ids, dtype=object)]),
        n_actors=network.n_actors,
        source=edge_key // max(n, 1),
        target=edge_key % max(n, 1),
        strength=edge_strength,
        length=edge_length,
        directed=directed,
        dimensions=tuple(chosen),
        length_name=length,
        all_dimensions=dimensions is None,
        paths=paths,
        n_model=n_model,
        route_infrastructure=routes.route_infrastructure,
        route_key=routes.route_key,
    )
    graph.__dict__["index"] = index  # the cached id -> position map, already built
    return graph


def _choose_dimensions(network: Network, dimensions: Sequence[str] | None) -> list[str]:
    known = list(network.dimensions.index)
    if dimensions is None:
        return known
    chosen = list(dict.fromkeys(dimensions))
    unknown = [d for d in chosen if d not in known]
    if unknown:
        raise UsageError(f"unknown dimension {unknown[0]!r}; the network has: {', '.join(known) or 'none'}")
    return chosen


def compile_edge_arrays(
    arrays: EdgeArrays, *, length: str | None = None, directed: bool = True, paths: str | None = "routed"
) -> CompiledGraph:
    """The graph of a plain edge list's ``arrays`` as :func:`compile_graph` compiles its network (issue 19: memory).

    The same node order, collapsed edges, strengths and lengths, field by
    field (tested), without the Network's tables and without pandas: every
    dependency has the default dimension and strength 1, and no route, so
    the routed and the hub graph are the same. ``length`` names the column
    that ``arrays.length`` was read from (None: hop counts); ``directed`` and
    ``paths`` as in ``compile_graph``.

    Examples
    --------
    >>> from dependencia.network.arrays import EdgeArrays
    >>> arrays = EdgeArrays(np.array(["a", "b", "c"], dtype=object), np.array([0, 1, 0]), np.array([1, 2, 1]), None)
    >>> graph = compile_edge_arrays(arrays)
    >>> graph.source.tolist(), graph.target.tolist(), graph.strength.tolist()  # the parallel a -> b collapsed
    ([0, 1], [1, 2], [2.0, 1.0])
    """
    n = len(arrays.node_ids)
    source, target = arrays.source, arrays.target
    if not directed:
        source, target = np.minimum(source, target), np.maximum(source, target)
    key, order = sort_hops(source, target, n)
    lengths = None if arrays.length is None or length is None else arrays.length[order]
    edge_key, edge_strength, edge_length = collapse_sorted(key, np.ones(len(key)), lengths)
    return CompiledGraph(  # its ``index`` is built when first asked for (with pandas, after the computation)
        node_ids=np.asarray(arrays.node_ids, dtype=object),
        n_actors=n,
        source=edge_key // max(n, 1),
        target=edge_key % max(n, 1),
        strength=edge_strength,
        length=edge_length,
        directed=directed,
        dimensions=(DEFAULT_DIMENSION,),
        length_name=length,
        all_dimensions=True,
        paths=path_mode(paths),
        n_model=n,
        route_infrastructure=np.zeros(0, dtype=np.int64),
        route_key=np.zeros(0, dtype=object),
    )
