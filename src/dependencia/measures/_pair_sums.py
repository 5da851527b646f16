"""Ordered actor-pair sums on a compiled graph: the shared engine of power, node betweenness and explain.

A *pair sum* of a node (or group of nodes) adds, over ordered pairs (s, t) of
actors, the share of shortest s-t paths that pass it (docs/model.md#actor-power).
Single nodes go to igraph's Brandes with sources and targets restricted to
actors; groups of nodes (an actor's controlled set, an infrastructure's route
nodes) to the Numba kernel ``_kernels.group_pair_sums``. Sources are split into
:data:`SOURCE_GROUPS` interleaved slices, run on an
:class:`~dependencia.base.executor.Executor` and added in slice order, so that
the values are the same bytes for any number of workers.

Examples
--------
>>> import numpy as np
>>> source_slices(np.arange(3))
[array([0]), array([1]), array([2])]
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..base.executor import Executor
from ..errors import UsageError
from ..graph.compiled import CompiledGraph
from ..graph.locality import from_engine, renumbered_igraph, renumbers, to_engine

__all__ = [
    "MEMBER_BYTES", "PARALLEL_MIN_COST", "SOURCE_GROUPS", "actor_pair_sums", "actor_roles", "controlled_group_sums",
    "contract_routes", "csr", "directed_engine", "executor_for", "graph_csr", "group_lists", "group_sums", "identity",
    "node_pair_sums", "power_sample_size", "routed_pair_sums", "source_slices",
]

#: Sources are split into this many interleaved groups, whatever the number of
#: workers, and the partial sums are added in group order: the same bytes with
#: one worker or many.
SOURCE_GROUPS = 64
#: Below this n*m a computation runs in-process (starting workers costs more).
PARALLEL_MIN_COST = 20_000_000


def source_slices(sources: np.ndarray) -> list[np.ndarray]:
    """Sources split into at most :data:`SOURCE_GROUPS` interleaved, non-empty groups.

    The split depends only on the sources, never on the number of workers,
    which is what makes fixed-order sums the same bytes for any worker count.
    """
    return [group for group in (sources[i::SOURCE_GROUPS] for i in range(SOURCE_GROUPS)) if len(group)]


def executor_for(graph: CompiledGraph, executor: Executor | None) -> Executor:
    """``executor`` (local processes on all cores by default), or in-process for a small graph."""
    executor = executor or Executor()
    if graph.n_nodes * max(graph.n_edges, 1) < PARALLEL_MIN_COST:
        return Executor(1, progress=executor.progress)
    return executor


def graph_csr(graph: CompiledGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Out-neighbour CSR of the graph (both directions for an undirected graph)."""
    source, target = graph.source, graph.target
    lengths = graph.length if graph.length is not None else np.ones(len(source))
    if not graph.directed:
        source, target = np.concatenate([source, target]), np.concatenate([target, source])
        lengths = np.concatenate([lengths, lengths])
    return csr(graph.n_nodes, source, target, lengths, graph.length is not None)


def csr(
    n: int, source: np.ndarray, target: np.ndarray, lengths: np.ndarray, weighted: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Out-neighbour CSR (indptr, indices, lengths, weighted) of directed edge arrays."""
    order = np.lexsort((target, source))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(source, minlength=n), out=indptr[1:])
    return indptr, target[order].astype(np.int64), lengths[order].astype(float), weighted


def actor_pair_sums(graph: CompiledGraph, executor: Executor, actors: np.ndarray) -> np.ndarray:
    """Ordered actor-pair sums for each actor's own node (Brandes, sources ``actors``, targets all actors)."""
    return node_pair_sums(graph, executor, actors)[:graph.n_actors]


def node_pair_sums(graph: CompiledGraph, executor: Executor, actors: np.ndarray) -> np.ndarray:
    """Ordered actor-pair sums for every node of the graph (sources ``actors``, targets all actors)."""
    slices = source_slices(actors)
    total = np.zeros(graph.n_nodes)
    if not slices:
        return total
    for partial in executor_for(graph, executor).imap(_pair_engine, graph, _subset_sums, slices, here=True):
        total += partial
    return total


def _pair_engine(graph: CompiledGraph) -> tuple:
    """:func:`directed_engine`, renumbered for locality where the computation is long, and the positions."""
    if not renumbers(graph.n_nodes, graph.n_edges):
        return (*directed_engine(graph), None)
    source, target, lengths = _directed_edges(graph)
    engine, position = renumbered_igraph(graph.n_nodes, source, target, lengths, directed=True)
    return engine, graph.n_actors, "length" if lengths is not None else None, position


def directed_engine(graph: CompiledGraph):
    """An igraph graph on which every path is directed (undirected edges both ways)."""
    from ..base.imports import igraph  # imported without matplotlib.pyplot (0.4 s)

    source, target, lengths = _directed_edges(graph)
    engine = igraph().Graph(n=graph.n_nodes, edges=np.column_stack([source, target]), directed=True)
    if lengths is not None:
        engine.es["length"] = lengths
    return engine, graph.n_actors, "length" if lengths is not None else None


def _directed_edges(graph: CompiledGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The graph's edges in CSR order (undirected ones both ways), and their lengths (None: hop counts)."""
    indptr, indices, lengths, weighted = graph_csr(graph)
    return np.repeat(np.arange(graph.n_nodes), np.diff(indptr)), indices, lengths if weighted else None


def _subset_sums(engine, sources: np.ndarray) -> np.ndarray:
    ig_graph, n_actors, weights, position = engine
    targets = to_engine(position, np.arange(n_actors))
    values = ig_graph.betweenness(directed=True, weights=weights, sources=to_engine(position, sources),
                                  targets=targets)
    return from_engine(position, values)


def controlled_group_sums(
    graph: CompiledGraph, groups: list[np.ndarray], executor: Executor, sources: np.ndarray
) -> np.ndarray:
    role = actor_roles(graph.n_nodes, graph.n_actors)
    return group_sums(graph_csr(graph), sources, role, role, groups, executor_for(graph, executor))


#: Bytes of the group membership matrix per kernel call; more groups run in batches.
MEMBER_BYTES = 64 * 2**20


def group_sums(
    adjacency: tuple, sources: np.ndarray, source_of: np.ndarray, target_of: np.ndarray,
    groups: list[np.ndarray], executor: Executor,
) -> np.ndarray:
    """Ordered-pair sums of each group (``_kernels.group_pair_sums``) over source slices on the executor."""
    n = len(adjacency[0]) - 1
    batch = max(1, MEMBER_BYTES // max(n, 1))
    slices = source_slices(sources)
    totals = []
    for first in range(0, len(groups), batch):
        chunk = groups[first:first + batch]
        member = np.zeros((len(chunk), n), dtype=np.uint8)
        for g, members in enumerate(chunk):
            member[g, members] = 1
        group_ptr = np.concatenate([[0], np.cumsum([len(m) for m in chunk])]).astype(np.int64)
        group_nodes = np.concatenate(chunk).astype(np.int64)
        shared = (adjacency, source_of, target_of, member, group_ptr, group_nodes)
        total = np.zeros(len(chunk))
        for partial in executor.imap(identity, shared, _kernel_slice, slices):
            total += partial
        totals.append(total)
    return np.concatenate(totals) if totals else np.zeros(0)


def identity(shared):
    return shared


def _kernel_slice(shared, sources: np.ndarray) -> np.ndarray:
    from . import _kernels  # Numba: loaded by the first graph that needs it, not by `import`

    (indptr, indices, lengths, weighted), source_of, target_of, member, group_ptr, group_nodes = shared
    return _kernels.group_pair_sums(
        indptr, indices, lengths, weighted, sources.astype(np.int64), source_of, target_of, member, group_ptr,
        group_nodes,
    )


class Contracted(NamedTuple):
    """The routed graph with its route chains contracted (:mod:`._routed_kernels`).

    ``indptr``, ``indices``, ``lengths``: out-neighbour CSR on the model nodes
    (both directions on an undirected graph); ``chain[e]``: the chain behind
    edge e (-1: a direct edge); ``chain_of[r]``: the chain of route node
    ``n_model + r``, of ``n_chains``; ``span``: lengths are whole numbers below it (hop counts),
    0 for explicit lengths; ``weighted``: the graph has explicit lengths.
    """

    indptr: np.ndarray
    indices: np.ndarray
    lengths: np.ndarray
    chain: np.ndarray
    chain_of: np.ndarray
    n_chains: int
    span: int
    weighted: bool


def contract_routes(graph: CompiledGraph) -> Contracted | None:
    """The graph with each chain of route nodes as one edge (cached); None without route nodes or chains.

    Examples
    --------
    >>> import dependencia as dp
    >>> from dependencia.graph import compile_graph
    >>> net = dp.Network.from_records([{"id": "d"}, {"id": "p"}],
    ...     [{"dependent": "d", "provider": "p", "via": ["X", "Y"]}], infrastructures=[{"id": "X"}, {"id": "Y"}])
    >>> c = contract_routes(compile_graph(net))
    >>> c.indptr.tolist(), c.indices.tolist(), c.lengths.tolist(), c.chain.tolist(), c.chain_of.tolist(), c.span
    ([0, 1, 1, 1, 1], [1], [3.0], [0], [0, 0], 4)
    """
    if graph.n_route_nodes == 0:
        return None
    if "contracted" not in graph._cache:
        from ._routed_kernels import route_chains  # Numba: loaded by the first graph that needs it

        indptr, indices, lengths, weighted = graph_csr(graph)
        ok, ptr, target, length, chain, chain_ptr, chain_nodes = route_chains(
            indptr, indices, lengths, graph.n_model_nodes, graph.directed
        )
        contracted = None
        if ok:
            chain_of = np.empty(graph.n_route_nodes, dtype=np.int64)
            chain_of[chain_nodes - graph.n_model_nodes] = np.repeat(np.arange(len(chain_ptr) - 1), np.diff(chain_ptr))
            span = 0 if weighted else int(length.max(initial=0.0)) + 1
            contracted = Contracted(ptr, target, length, chain, chain_of, len(chain_ptr) - 1, span, weighted)
        graph._cache["contracted"] = contracted
    return graph._cache["contracted"]


def routed_pair_sums(
    graph: CompiledGraph, groups: list[np.ndarray], executor: Executor, sources: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Actor-pair sums of every model node and of every group, on the routed graph with its chains contracted.

    The same sums as :func:`node_pair_sums` (its first ``n_model_nodes``
    values) and :func:`group_sums` with actor roles, in one shortest-path
    DAG per source on the actors and infrastructures alone
    (``_routed_kernels.contracted_pair_sums``). Groups are graph nodes,
    route nodes included. None when the graph has no route chains to
    contract (then use those two).

    Examples
    --------
    >>> import dependencia as dp
    >>> from dependencia.graph import compile_graph
    >>> net = dp.Network.from_records([{"id": i} for i in ("ann", "bob", "shop")],
    ...     [{"dependent": "ann", "provider": "bob"}, {"dependent": "bob", "provider": "shop", "via": ["X"]}],
    ...     infrastructures=[{"id": "X"}])
    >>> graph = compile_graph(net)
    >>> nodes, grouped = routed_pair_sums(graph, [graph.nodes_of([3])], Executor(1), np.arange(3))
    >>> nodes.tolist(), grouped.tolist()
    ([0.0, 1.0, 0.0, 0.0], [2.0])
    """
    contracted = contract_routes(graph)
    if contracted is None:
        return None
    n_model = graph.n_model_nodes
    slices = source_slices(sources)
    executor = executor_for(graph, executor)
    nodes = np.zeros(n_model)
    batch = max(1, MEMBER_BYTES // (8 * max(n_model, 1)))  # the kernel's through-counts: one row per node
    totals = []
    for first in range(0, max(len(groups), 1), batch):
        chunk = groups[first:first + batch]
        shared = (contracted, graph.n_actors, *group_lists(graph, contracted, chunk), len(chunk), first == 0)
        total = np.zeros(n_model + len(chunk))
        for partial in executor.imap(identity, shared, _contracted_slice, slices):
            total += partial
        if first == 0:
            nodes = total[:n_model]
        totals.append(total[n_model:])
    return nodes, np.concatenate(totals)


def group_lists(graph: CompiledGraph, contracted: Contracted, groups: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """The groups' membership lists as ``contracted_pair_sums`` reads them.

    (node_group_ptr, node_groups, edge_group_ptr, edge_groups): model node
    v's groups are ``node_groups[node_group_ptr[v]:node_group_ptr[v + 1]]``,
    contracted edge e's (those of its chain) ``edge_groups[edge_group_ptr[e]:edge_group_ptr[e + 1]]``.
    Below, X (node 2) and its one route node make group 0: node 2 is in it, and so is
    the one contracted edge d -> p (its chain is X's route node).

    Examples
    --------
    >>> import dependencia as dp
    >>> from dependencia.graph import compile_graph
    >>> net = dp.Network.from_records([{"id": "d"}, {"id": "p"}],
    ...     [{"dependent": "d", "provider": "p", "via": ["X"]}], infrastructures=[{"id": "X"}])
    >>> graph = compile_graph(net)
    >>> [a.tolist() for a in group_lists(graph, contract_routes(graph), [graph.nodes_of([2])])]
    [[0, 0, 0, 1], [0], [0, 1], [0]]
    """
    n_model = graph.n_model_nodes
    node_pairs, chain_pairs = [], []
    for g, members in enumerate(groups):
        members = np.unique(np.asarray(members, dtype=np.int64))
        model = members[members < n_model]
        chains = np.unique(contracted.chain_of[members[members >= n_model] - n_model])
        node_pairs.append(np.column_stack([model, np.full(len(model), g)]))
        chain_pairs.append(np.column_stack([chains, np.full(len(chains), g)]))
    node_group_ptr, node_groups = _membership(node_pairs, n_model)
    edge_group_ptr, edge_groups = _edge_groups(contracted.chain, *_membership(chain_pairs, contracted.n_chains))
    return node_group_ptr, node_groups, edge_group_ptr, edge_groups


def _membership(pairs: list[np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(item, group) pairs as CSR: item i's groups, ascending, are ``groups[ptr[i]:ptr[i + 1]]``."""
    both = np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=np.int64)
    both = both[np.lexsort((both[:, 1], both[:, 0]))] if len(both) else both.reshape(0, 2)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(both[:, 0], minlength=n), out=ptr[1:])
    return ptr, np.ascontiguousarray(both[:, 1], dtype=np.int64)


def _edge_groups(chain: np.ndarray, chain_group_ptr: np.ndarray, chain_groups: np.ndarray) -> tuple[np.ndarray, ...]:
    """Chain memberships as edge memberships: edge e's groups are those of its chain ``chain[e]`` (none if -1).

    The kernel reads them beside the edge's target and length, where a chain's
    would cost two more random reads per shortest-path edge.

    Examples
    --------
    >>> ptr, groups = _edge_groups(np.array([-1, 1, 0]), np.array([0, 1, 3]), np.array([5, 6, 7]))
    >>> ptr.tolist(), groups.tolist()
    ([0, 0, 2, 3], [6, 7, 5])
    """
    chained = chain >= 0
    counts = np.where(chained, np.diff(chain_group_ptr)[np.where(chained, chain, 0)], 0)
    ptr = np.zeros(len(chain) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    starts = np.where(chained, chain_group_ptr[np.where(chained, chain, 0)], 0)
    picks = np.repeat(starts - ptr[:-1], counts) + np.arange(ptr[-1])
    return ptr, np.ascontiguousarray(chain_groups[picks], dtype=np.int64)


def _contracted_slice(shared, sources: np.ndarray) -> np.ndarray:
    from . import _routed_kernels  # Numba: loaded by the first graph that needs it, not by `import`

    contracted, n_actors, node_group_ptr, node_groups, edge_group_ptr, edge_groups, n_groups, singles = shared
    return _routed_kernels.contracted_pair_sums(
        contracted.indptr, contracted.indices, contracted.lengths, contracted.weighted, contracted.span,
        sources.astype(np.int64), n_actors, node_group_ptr, node_groups, edge_group_ptr, edge_groups, n_groups,
        singles,
    )


def actor_roles(n_nodes: int, n_actors: int) -> np.ndarray:
    """Node -> the actor it stands for as a path's end (-1 for infrastructures)."""
    role = np.full(n_nodes, -1, dtype=np.int64)
    role[:n_actors] = np.arange(n_actors)
    return role


def power_sample_size(n_actors: int, largest_group: int, *, epsilon: float, delta: float) -> int:
    """Source actors to sample so that every normalized power is within epsilon w.p. 1 - delta.

    Sampling k of the n_A actors as sources, source s adds
    X_s = n_A * Y_s / P_a to actor a's estimate, where Y_s <= n_A - c - 1 is
    its sum of path shares over targets and P_a = (n_A - c)(n_A - c - 1); so
    X_s lies in [0, R], R = n_A / (n_A - c). Hoeffding's bound (valid without
    replacement) and a union bound over the actors give
    k >= R^2 ln(2 n_A / delta) / (2 epsilon^2), with c the largest group's actors.
    """
    if not 0 < epsilon < 1 or not 0 < delta < 1:
        raise UsageError(f"epsilon and delta must be in (0, 1), got {epsilon} and {delta}")
    if n_actors - largest_group <= 1:
        return n_actors
    spread = n_actors / (n_actors - largest_group)
    return int(np.ceil(spread * spread * np.log(2 * n_actors / delta) / (2 * epsilon * epsilon)))
