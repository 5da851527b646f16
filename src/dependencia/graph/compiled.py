"""Compile a :class:`~dependencia.network.model.Network` into engine graphs.

The graph of a dimension ``G_k`` (docs/model.md#graphs) has every actor and every
infrastructure as a node (nodes without edges in k are isolated and still
count in n) and a directed edge ``u -> v`` for every hop of every dependency
of dimension k: a dependency ``d -> p`` served via ``[X, Y]`` becomes the
route ``d -> X -> Y -> p``. The aggregate graph is the union over the chosen
dimensions. Parallel edges collapse into one: strengths add, and an explicit
length takes the minimum, as NetworkX's betweenness treats a multigraph.

Everything here works on whole numpy arrays; there is no Python loop over
edges between a table of a million dependencies and the compiled graph.

A graph from :func:`compile_graph` also keeps its *hop index* (every hop
behind its edges, in the order the collapse summed them), so that
:meth:`CompiledGraph.apply` can follow an edit of the network
(:mod:`dependencia.network.operations`) without compiling again: it recomputes only
the edges the edit touched, and gives the same arrays a new compilation would.

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

import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..errors import UsageError
from ..network.model import Network
from .hops import HopIndex, collapse, collapse_sorted, hops_of, lengths_of, sort_hops
from .update import apply_edit

if TYPE_CHECKING:
    from ..network.operations import Edit

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
    length_name : str or None
        The dependency attribute the lengths were taken from (None: hop counts).
    all_dimensions : bool
        True when the graph was compiled without a choice of dimensions, so
        that it follows the network's dimensions as they change (an edit
        that names a new dimension adds it); False for a fixed choice.
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
    _cache: dict = field(default_factory=dict, repr=False)
    # set by compile_graph and apply only: a graph made otherwise (or by dataclasses.replace,
    # or unpickled) has none, so that no stale index can survive a change of the arrays
    _hops: HopIndex | None = field(default=None, init=False, repr=False)

    def __getstate__(self) -> dict:
        # pickled (e.g. for a Dask worker): without the hop index, which holds a weak
        # reference (not picklable) and would double what travels
        state = dict(self.__dict__)
        state["_hops"] = None
        state.pop("index", None)
        return state

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
            self.node_ids, self.n_actors, source, target, strength, length, False, self.dimensions,
            self.length_name, self.all_dimensions,
        )

    def apply(self, edit: Edit) -> CompiledGraph:
        """The graph of ``edit.network``, updated from this one without a full rebuild.

        Equal to ``compile_graph(edit.network, dimensions=..., length=...,
        directed=...)`` with the options this graph was compiled with (same
        node ids, edges, strengths and lengths, bit for bit). A graph compiled
        without a choice of dimensions follows the network's dimensions; one
        compiled for chosen dimensions keeps them, even if an edit removes
        the last mention of one (its edges are then simply none).

        Parameters
        ----------
        edit : Edit
            The result of an operation of :mod:`dependencia.network.operations` on
            the network this graph was compiled from (or updated to).

        Returns
        -------
        CompiledGraph
            A new graph; this one is left as it is.

        Raises
        ------
        UsageError
            This graph has no hop index (it was not made by
            :func:`compile_graph` or :meth:`apply`: e.g. :meth:`as_undirected`,
            ``dataclasses.replace`` or unpickling), or the edit does not start from the
            network this graph describes.
        InputError
            A dependency the edit added lacks a valid length (as
            :func:`compile_graph` would report).

        Notes
        -----
        The graph keeps every hop behind its edges (dependency row, strength,
        length) sorted as the collapse sums them. An update removes the hops
        of the rows the edit removed or rewrote, renumbers rows and nodes
        where the edit deleted or added some, adds the hops of the new rows,
        and recomputes only the edges whose hops changed, summing each
        edge's strengths in the same order as :func:`compile_graph` (so the
        sums are bitwise equal). The cost is a few passes of numpy over the
        hop and edge arrays (copies, no sort) plus work in the size of the
        change and of the touched edges; no Python loop over edges.

        The graph is tied to its network by identity (a weak reference): an
        edit made on a copy of that network, or applied twice, is refused.

        Examples
        --------
        >>> import dependencia as dp
        >>> from dependencia.network.operations import reroute
        >>> net = dp.Network.from_records(
        ...     [{"id": "d"}, {"id": "p"}], [{"dependent": "d", "provider": "p"}],
        ...     infrastructures=[{"id": "X", "owner": "p"}])
        >>> g = compile_graph(net)
        >>> edit = reroute(net, [0], ["X"])
        >>> h = g.apply(edit)
        >>> [(h.node_ids[u], h.node_ids[v]) for u, v in zip(h.source, h.target)]
        [('d', 'X'), ('X', 'p')]
        """
        update = apply_edit(self, edit)
        updated = CompiledGraph(
            node_ids=update.node_ids,
            n_actors=edit.network.n_actors,
            source=update.source,
            target=update.target,
            strength=update.strength,
            length=update.length,
            directed=self.directed,
            dimensions=tuple(edit.network.dimensions.index) if self.all_dimensions else self.dimensions,
            length_name=self.length_name,
            all_dimensions=self.all_dimensions,
        )
        object.__setattr__(updated, "_hops", update.hops)
        updated.__dict__["index"] = update.index
        return updated

    def to_igraph(self):  # -> igraph.Graph
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
    dimensions: str | Sequence[str] | None = None,
    length: str | None = None,
    directed: bool = True,
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

    Returns
    -------
    CompiledGraph

    Raises
    ------
    UsageError
        An unknown dimension or length attribute.
    InputError
        A length value that is missing, not a number, not finite or not > 0.

    Notes
    -----
    The graph remembers its options (``dimensions``, ``length_name``,
    ``all_dimensions``, ``directed``) and keeps a hop index (about 33 bytes
    per hop, with a weak reference to ``network``) so that
    :meth:`CompiledGraph.apply` can follow edits of this very network object.
    """
    dimensions = dimension_list(dimensions)
    deps = network.dependencies
    chosen = _choose_dimensions(network, dimensions)
    if dimensions is not None:
        rows = np.flatnonzero(deps["dimension"].isin(chosen).to_numpy())
    else:
        rows = np.arange(len(deps))
    lengths = lengths_of(network, length, rows) if length is not None else None
    index = pd.Index(network.node_ids, dtype=object)
    dependent = index.get_indexer(deps["dependent"].to_numpy()[rows])
    provider = index.get_indexer(deps["provider"].to_numpy()[rows])
    strength = deps["strength"].to_numpy(dtype=float)[rows]
    via = deps["via"].to_numpy()[rows]
    source, target, hop_of, routed = hops_of(dependent, provider, via, index)
    hop_strength = strength[hop_of]
    hop_length = None if lengths is None else lengths[hop_of]
    n = len(index)
    if not directed:
        source, target = np.minimum(source, target), np.maximum(source, target)
    key, order = sort_hops(source, target, n)
    hop_strength = hop_strength[order]
    hop_length = None if hop_length is None else hop_length[order]
    edge_key, edge_strength, edge_length = collapse_sorted(key, hop_strength, hop_length)
    hops = HopIndex(
        key=key, routed=routed[order], row=np.asarray(rows, dtype=np.int64)[hop_of][order],
        strength=hop_strength, length=hop_length, network=weakref.ref(network),
    )
    graph = CompiledGraph(
        node_ids=index.to_numpy(dtype=object),
        n_actors=network.n_actors,
        source=edge_key // max(n, 1),
        target=edge_key % max(n, 1),
        strength=edge_strength,
        length=edge_length,
        directed=directed,
        dimensions=tuple(chosen),
        length_name=length,
        all_dimensions=dimensions is None,
    )
    object.__setattr__(graph, "_hops", hops)
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
