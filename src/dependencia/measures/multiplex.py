"""Multiplex power: paths that may switch between dimensions at a cost.

docs/model.md#multiplex-power: the multiplex graph has one copy (v, k) of every node v per
dimension k, the edges of each dimension's graph G_k between the copies of
that dimension, and switching edges (v, k) -> (v, k') of a configurable
length (default 1). The distance between actors s and t is the minimum over
their copies; an actor's multiplex power is the group betweenness of the
copies of everything it controls over those actor pairs, so a path that
switches dimension at one of its nodes counts once.

Construction: every actor a gets an out-hub with an edge to each of its
copies and an in-hub with an edge from each of them. The actor pair (s, t) is
then the hub pair (s_out, t_in): every s-t path is one edge longer at each
end, so the shortest paths between hubs are exactly the shortest paths
between the closest copies. Hubs only start or end paths, never carry them.
The group kernel of :mod:`.power` counts, for each actor, the hub-to-hub
shortest paths through its copies (its group also holds the hubs of the
actors it controls, which excludes the pairs they are part of).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import compile_graph
from ..network.model import Network
from ._pair_sums import csr, group_sums
from .betweenness import PARALLEL_MIN_COST, graph_attrs, graph_betweenness
from .power import actor_columns, actor_table

__all__ = ["Multiplex", "build_multiplex", "multiplex_power"]


def multiplex_power(
    network: Network,
    *,
    switch_length: float = 1.0,
    normalized: bool = True,
    directed: bool = True,
    length: str | None = None,
    dimensions: str | Sequence[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    paths: str | None = "routed",
    burt: bool = False,
) -> pd.DataFrame:
    """Power of every actor on the multiplex graph.

    Parameters
    ----------
    network : Network
    switch_length : float, default 1
        Length of switching from a node's copy in one dimension to its copy in
        another (> 0). With hop counts and 1, every edge counts one.
    normalized, directed, length, dimensions, workers, scheduler, paths :
        As for :func:`~dependencia.power`. On the routed graph each
        dimension's copy has its own route nodes, and paths switch dimension
        at actors and infrastructures.
    burt : bool, default False
        Add Burt's ``constraint`` and ``effective_size``, as for
        :func:`~dependencia.power`.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`~dependencia.power` (the table of ``dependencia
        power --multiplex``), with ``power`` and ``power_share`` from the
        multiplex graph; ``betweenness`` is the actor's node betweenness on
        the aggregate graph, and the reach columns are those of the aggregate
        graph too.

    Examples
    --------
    a depends on b for food and b on c for credit: the only a-c path
    switches from food to credit at b, and counts once for b.

    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b", "dimension": "food"},
    ...      {"dependent": "b", "provider": "c", "dimension": "credit"}])
    >>> dp.multiplex_power(net, normalized=False)["power"].to_dict()
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    _check_switch_length(switch_length)
    n_actors = network.n_actors
    dimensions = dimension_list(dimensions)
    chosen = list(network.dimensions.index) if dimensions is None else dimensions
    controlled_sets = [network.controls(actor) for actor in network.actors.index]
    actors_in_group = [sum(1 for v in c if v in network.actors.index) for c in controlled_sets]
    controls = [len(c) - 1 for c in controlled_sets]
    if chosen:
        built = build_multiplex(network, switch_length=switch_length, directed=directed, length=length,
                                dimensions=chosen, paths=paths)
        groups = [built.group_of(network, actor)[0] for actor in network.actors.index]
        ordered = group_sums(built.adjacency, built.out_hub, built.source_of, built.target_of, groups,
                             built.executor(workers, scheduler))
    else:  # no dimension, no dependency: no path
        ordered = np.zeros(n_actors)
    aggregate = compile_graph(network, dimensions=chosen, length=length, directed=directed, paths=paths)
    node = graph_betweenness(aggregate, exact=True, normalized=normalized, workers=workers,
                             scheduler=scheduler)["betweenness"]
    frame = actor_table(
        network, ordered, np.asarray(actors_in_group, dtype=float), directed=directed, normalized=normalized,
        betweenness=node.to_numpy()[:n_actors], controls=controls,
    )
    frame.attrs.update(
        measure="power", multiplex=True, switch_length=switch_length, exact=True, normalized=normalized,
        directed=directed, n_nodes=len(network.node_ids), n_actors=n_actors, n_edges=aggregate.n_edges, epsilon=None, delta=None,
        seed=None,
    )
    frame.attrs.update(graph_attrs(aggregate))
    return actor_columns(frame, network, directed=directed, dimensions=dimensions, burt=burt, paths=paths)


@dataclass(frozen=True)
class Multiplex:
    """The multiplex graph with actor hubs (see the module docs), as a CSR adjacency."""

    adjacency: tuple
    n: int
    offsets: np.ndarray
    k_count: int
    dimensions: list[str]
    index: pd.Index
    out_hub: np.ndarray
    in_hub: np.ndarray
    source_of: np.ndarray
    target_of: np.ndarray
    layers: tuple

    @property
    def size(self) -> int:
        """Nodes of the multiplex graph, hubs included."""
        return len(self.adjacency[0]) - 1

    def executor(self, workers: int | None, scheduler: str | None = None) -> Executor:
        """In-process for a small multiplex graph, else local processes (as for betweenness)."""
        return Executor(1) if self.size * len(self.adjacency[1]) < PARALLEL_MIN_COST else Executor(workers, scheduler=scheduler)

    def group_of(self, network: Network, actor: str) -> tuple[np.ndarray, np.ndarray]:
        """Nodes of ``actor``'s group: copies of what it controls and the hubs of the actors it controls.

        Also returns the controlled nodes' indices in the plain graph.
        """
        controlled = np.asarray(self.index.get_indexer(sorted(network.controls(actor))), dtype=np.int64)
        controlled_actors = controlled[controlled < network.n_actors]
        copies = [self.offsets[k] + layer.nodes_of(controlled) for k, layer in enumerate(self.layers)]
        group = np.concatenate(copies + [self.out_hub[controlled_actors], self.in_hub[controlled_actors]])
        return group, controlled

    def per_dimension(self, values: np.ndarray) -> np.ndarray:
        """Sums of ``values`` (one per multiplex node) over each dimension's copy."""
        return np.add.reduceat(values[: self.offsets[-1]], self.offsets[:-1]) if self.k_count else np.zeros(0)


def build_multiplex(
    network: Network,
    *,
    switch_length: float = 1.0,
    directed: bool = True,
    length: str | None = None,
    dimensions: str | Sequence[str] | None = None,
    paths: str | None = "routed",
) -> Multiplex:
    """The multiplex graph of ``network``: copies per dimension, switching edges, actor hubs.

    Dimension k's copy occupies the nodes ``offsets[k] .. offsets[k + 1] - 1``:
    its actors and infrastructures first (the same order in every copy), then
    its own route nodes. Switching edges join the copies of each actor and
    infrastructure.
    """
    _check_switch_length(switch_length)
    dimensions = dimension_list(dimensions)
    chosen = list(network.dimensions.index) if dimensions is None else dimensions
    if not chosen:
        raise UsageError("the network has no dimension to build a multiplex graph from")
    layers = [compile_graph(network, dimensions=[k], length=length, directed=directed, paths=paths) for k in chosen]
    n, n_actors, k_count = layers[0].n_model_nodes, network.n_actors, len(chosen)
    offsets = np.concatenate([[0], np.cumsum([layer.n_nodes for layer in layers])]).astype(np.int64)
    source, target, lengths = [], [], []
    for k, layer in enumerate(layers):  # edges within each dimension
        hop = layer.length if layer.length is not None else np.ones(layer.n_edges)
        pairs = [(layer.source, layer.target)] if directed else [(layer.source, layer.target),
                                                                 (layer.target, layer.source)]
        for u, v in pairs:
            source.append(offsets[k] + u)
            target.append(offsets[k] + v)
            lengths.append(hop)
    nodes = np.arange(n)
    for k in range(k_count):  # switching between dimensions at every actor and infrastructure
        for other in range(k_count):
            if other != k:
                source.append(offsets[k] + nodes)
                target.append(offsets[other] + nodes)
                lengths.append(np.full(n, float(switch_length)))
    actors = np.arange(n_actors)
    out_hub, in_hub = offsets[-1] + actors, offsets[-1] + n_actors + actors
    for k in range(k_count):  # hubs: one edge from each actor's out-hub, one to its in-hub
        source += [out_hub, offsets[k] + actors]
        target += [offsets[k] + actors, in_hub]
        lengths += [np.ones(n_actors), np.ones(n_actors)]
    size = int(offsets[-1]) + 2 * n_actors
    weighted = length is not None or switch_length != 1.0
    adjacency = csr(size, np.concatenate(source), np.concatenate(target), np.concatenate(lengths), weighted)
    source_of = np.full(size, -1, dtype=np.int64)
    target_of = np.full(size, -1, dtype=np.int64)
    source_of[out_hub], target_of[in_hub] = actors, actors
    return Multiplex(adjacency, n, offsets, k_count, chosen, layers[0].index, out_hub, in_hub, source_of, target_of,
                     tuple(layers))


def _check_switch_length(switch_length: float) -> None:
    if not switch_length > 0 or not np.isfinite(switch_length):
        raise UsageError(f"the switching length must be a finite number > 0, got {switch_length}")
