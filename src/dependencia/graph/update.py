"""Updating a compiled graph after an edit, without compiling it again (:meth:`~dependencia.graph.compiled.CompiledGraph.apply`).

The graph keeps every hop behind its edges (:class:`~dependencia.graph.hops.HopIndex`),
sorted as the collapse sums them; an update takes out the hops of the rows an
edit removed or rewrote, renumbers rows and nodes, adds the hops of new rows and
recomputes only the touched edges, so that the result equals
:func:`~dependencia.graph.compile_graph` of the new network bit for bit.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..network.model import Network
from .hops import HopGraph, HopIndex, collapse_sorted, hops_of, lengths_of

if TYPE_CHECKING:
    from ..network.operations import Edit

__all__ = ["Update", "apply_edit"]


class Update(NamedTuple):
    """The arrays of the updated graph: its nodes, its edges sorted by (source, target), its hops."""

    node_ids: np.ndarray
    index: pd.Index
    source: np.ndarray
    target: np.ndarray
    strength: np.ndarray
    length: np.ndarray | None
    hops: HopIndex


def _segments(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Positions in sorted ``keys`` of every entry equal to one of the sorted, unique ``wanted``."""
    low = np.searchsorted(keys, wanted, side="left")
    high = np.searchsorted(keys, wanted, side="right")
    counts = high - low
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(counts) - counts
    return np.arange(total, dtype=np.int64) - np.repeat(offsets - low, counts)


def _take(arrays: list, positions: np.ndarray) -> list:
    return [None if a is None else a[positions] for a in arrays]


def _delete(arrays: list, positions: np.ndarray) -> list:
    if not len(positions):
        return arrays
    keep = np.ones(len(arrays[0]), dtype=bool)
    keep[positions] = False
    return [None if a is None else a[keep] for a in arrays]


def _concat(blocks: list[list]) -> list:
    return [
        None if blocks[0][i] is None else np.concatenate([b[i] for b in blocks])
        for i in range(len(blocks[0]))
    ]


def _graph_rows(graph: HopGraph, network: Network, rows: np.ndarray) -> np.ndarray:
    """The rows (positions in ``network.dependencies``) whose dimension the graph includes."""
    rows = np.asarray(rows, dtype=np.int64)
    if graph.all_dimensions or not len(rows):
        return rows
    dimension = network.dependencies["dimension"].to_numpy()[rows]
    return rows[pd.Index(graph.dimensions, dtype=object).get_indexer(dimension) >= 0]


def _row_hops(
    graph: HopGraph, network: Network, rows: np.ndarray, index: pd.Index, n: int, *, keys_only: bool = False
) -> list:
    """The hop arrays (key, routed, row, strength, length) of some rows, unsorted; or only the keys."""
    deps = network.dependencies
    dependent = index.get_indexer(deps["dependent"].to_numpy()[rows])
    provider = index.get_indexer(deps["provider"].to_numpy()[rows])
    via = deps["via"].to_numpy()[rows]
    source, target, hop_of, routed = hops_of(dependent, provider, via, index)
    if not graph.directed:
        source, target = np.minimum(source, target), np.maximum(source, target)
    key = source * np.int64(max(n, 1)) + target
    if keys_only:
        return [key]
    strength = deps["strength"].to_numpy(dtype=float)[rows][hop_of]
    length = None
    if graph.length_name is not None:
        length = lengths_of(network, graph.length_name, rows)[hop_of]
    return [key, routed, rows[hop_of], strength, length]


def apply_edit(graph: HopGraph, edit: Edit) -> Update:
    """The arrays of ``graph`` after ``edit`` (see :meth:`~dependencia.graph.compiled.CompiledGraph.apply`)."""
    hops = graph._hops
    if hops is None:
        raise UsageError(
            "this graph keeps no hop index and cannot follow an edit; compile it with compile_graph "
            "(as_undirected() and hand-built graphs cannot be updated)"
        )
    if hops.network() is not edit.before:
        raise UsageError(
            "the edit does not start from the network this graph was compiled from (or last updated to); "
            "apply the edits in order, each to the graph of the network it was made on"
        )
    network = edit.network
    n_old = graph.n_nodes
    hop = hops.arrays()
    edge = [graph.source * np.int64(max(n_old, 1)) + graph.target, graph.strength, graph.length]
    blocks: list[list] = []

    # 1. the hops of removed or rewritten rows go (old rows, old node numbering); the
    #    other hops of the edges they touched wait in a block to be summed again
    removed = _graph_rows(graph, edit.before, edit.removed)
    if len(removed):
        touched = np.unique(_row_hops(graph, edit.before, removed, graph.index, n_old, keys_only=True)[0])
        at = _segments(hop[0], touched)
        block = _take(hop, at)
        blocks.append(_take(block, np.flatnonzero(~np.isin(block[2], removed))))
        hop = _delete(hop, at)
        edge = _delete(edge, np.searchsorted(edge[0], touched))

    # 2. rows after deleted ones move up
    deleted = np.asarray(edit.deleted, dtype=np.int64)
    if len(deleted):
        for arrays in [hop, *blocks]:
            arrays[2] = arrays[2] - np.searchsorted(deleted, arrays[2])

    # 3. nodes: added actors shift the infrastructures; a removed node takes its index with it
    index = graph.index
    node_ids = graph.node_ids
    n = n_old
    if edit.nodes_added or edit.nodes_removed:
        index = pd.Index(network.node_ids, dtype=object)
        node_ids = index.to_numpy(dtype=object)
        n = len(node_ids)
        new_of = index.get_indexer(graph.node_ids).astype(np.int64)

        def renumber(key: np.ndarray) -> np.ndarray:
            source, target = new_of[key // max(n_old, 1)], new_of[key % max(n_old, 1)]
            if len(key) and min(source.min(), target.min()) < 0:
                raise UsageError("the edit removed a node that still has edges in this graph")
            if not graph.directed:
                source, target = np.minimum(source, target), np.maximum(source, target)
            return source * np.int64(max(n, 1)) + target

        for arrays in [hop, *blocks]:
            arrays[0] = renumber(arrays[0])
        edge[0] = renumber(edge[0])
        kept = new_of[new_of >= 0]
        if np.any(kept[1:] <= kept[:-1]):  # not order-preserving: sort again (no operation does this)
            order = np.lexsort((hop[2], hop[1], hop[0]))
            hop = _take(hop, order)
            edge = _take(edge, np.argsort(edge[0], kind="stable"))

    # 4. the hops of new or rewritten rows come, with the other hops of their edges
    added = _graph_rows(graph, network, edit.added)
    if len(added):
        new = _row_hops(graph, network, added, index, n)
        touched = np.unique(new[0])
        at = _segments(hop[0], touched)
        blocks.append(_take(hop, at))
        blocks.append(new)
        hop = _delete(hop, at)
        where = np.searchsorted(edge[0], touched)
        present = where < len(edge[0])
        present[present] = edge[0][where[present]] == touched[present]
        edge = _delete(edge, where[present])

    # 5. sum the touched edges again, in compile_graph's order, and put everything back in place
    if blocks:
        block = _concat(blocks)
        block = _take(block, np.lexsort((block[2], block[1], block[0])))
        summed = collapse_sorted(block[0], block[3], block[4])
        where = np.searchsorted(hop[0], block[0])
        hop = [None if a is None else np.insert(a, where, b) for a, b in zip(hop, block)]
        where = np.searchsorted(edge[0], summed[0])
        edge = [None if a is None else np.insert(a, where, b) for a, b in zip(edge, summed)]

    return Update(
        node_ids=node_ids,
        index=index,
        source=edge[0] // max(n, 1),
        target=edge[0] % max(n, 1),
        strength=edge[1].astype(float, copy=False),
        length=edge[2],
        hops=HopIndex(*hop, network=weakref.ref(network)),
    )
