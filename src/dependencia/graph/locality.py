"""Node numbers for a search engine's memory: neighbours close together (issue 19: speed).

A breadth-first search (Brandes' pass for one source) reads each node's
neighbour list and writes per-node arrays at the neighbours' numbers. Where
the numbers of nodes that are searched one after the other lie close
together, those reads and writes hit memory the processor holds already.
The numbering of a network is its users' (the order of an actors file, or of
first appearance in an edge list), and can be as good as random for this.
:func:`locality_order` numbers the nodes in breadth-first order along their
out-edges, starting again at the first node not yet reached: nodes reached
from the same node get neighbouring numbers.

On the 20,000-node scale-free benchmark numbered as its actors file lists
them, igraph's betweenness takes 0.65 of the time on the renumbered graph
(hop counts) and 0.85 (lengths); on the other graphs measured, 0.50 to 0.89
(a uniformly random G(n, m), which has the least neighbourhood to keep
together, 0.89; docs/performance.md, "Renumbered engine graphs"). Values are
mapped back to the network's own numbers, so callers never see the engine's.

Examples
--------
>>> import numpy as np
>>> locality_order(5, np.array([0, 0, 3, 1]), np.array([4, 1, 2, 3])).tolist()
[0, 4, 1, 3, 2]
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

__all__ = ["RENUMBER_MIN_COST", "from_engine", "locality_order", "positions", "renumbered_igraph", "renumbers",
           "to_engine"]

#: Engine graphs with n * m below this keep the network's numbers: their per-node arrays fit the processor's
#: caches either way, and small networks (every scenario) keep the same bytes as before the renumbering.
RENUMBER_MIN_COST = 20_000_000


def renumbers(n_nodes: int, n_edges: int) -> bool:
    """Whether an engine graph of this size is renumbered: n * m of at least :data:`RENUMBER_MIN_COST`.

    Examples
    --------
    >>> renumbers(20_000, 94_921), renumbers(13, 20)
    (True, False)
    """
    return n_nodes * max(n_edges, 1) >= RENUMBER_MIN_COST


def locality_order(n: int, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The nodes ``0 .. n-1`` in breadth-first order along the edges ``source -> target``.

    The search starts at node 0 and, each time it runs out of nodes to
    visit, again at the lowest-numbered node not yet reached; each node's
    out-neighbours are visited in the order of the edges. For an undirected
    graph pass each edge both ways.

    Parameters
    ----------
    n : int
        Number of nodes.
    source, target : numpy.ndarray
        Integer end points of the edges, each in ``0 .. n-1``.

    Returns
    -------
    numpy.ndarray
        Every node once: ``order[k]`` is the node numbered ``k`` in the new numbering.

    Examples
    --------
    >>> locality_order(4, np.array([2, 2]), np.array([1, 3])).tolist()
    [0, 1, 2, 3]
    >>> locality_order(4, np.array([0, 3]), np.array([3, 1])).tolist()
    [0, 3, 1, 2]
    """
    source = np.asarray(source, dtype=np.int64)
    by_source = np.argsort(source, kind="stable")  # each node's out-neighbours in edge order
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(source, minlength=n), out=starts[1:])
    neighbours = np.asarray(target, dtype=np.int64)[by_source].tolist()
    start = starts.tolist()
    reached = bytearray(n)
    order: list[int] = []
    for root in range(n):
        if reached[root]:
            continue
        reached[root] = 1
        queue = deque([root])
        while queue:
            node = queue.popleft()
            order.append(node)
            for neighbour in neighbours[start[node]:start[node + 1]]:
                if not reached[neighbour]:
                    reached[neighbour] = 1
                    queue.append(neighbour)
    return np.array(order, dtype=np.int64)


def positions(order: np.ndarray) -> np.ndarray:
    """The inverse of :func:`locality_order`: ``positions(order)[v]`` is node v's new number.

    Examples
    --------
    >>> positions(np.array([2, 0, 1])).tolist()
    [1, 2, 0]
    """
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.arange(len(order), dtype=np.int64)
    return inverse


def renumbered_igraph(
    n: int, source: np.ndarray, target: np.ndarray, lengths: np.ndarray | None, *, directed: bool
) -> tuple[Any, np.ndarray]:
    """An igraph Graph of the edges with the nodes renumbered by :func:`locality_order`, and their positions.

    Node v of the edges is node ``position[v]`` of the engine; edges keep
    their order, with edge attribute ``length`` if ``lengths`` is given.
    Give :func:`to_engine` the nodes to search from, and
    :func:`from_engine` the engine's values.

    Examples
    --------
    >>> engine, position = renumbered_igraph(3, np.array([2, 1]), np.array([1, 0]), None, directed=True)
    >>> from_engine(position, engine.betweenness(sources=to_engine(position, np.array([2])))).tolist()
    [0.0, 1.0, 0.0]
    """
    from ..base.imports import igraph  # imported without matplotlib.pyplot (0.4 s)

    if directed:
        order = locality_order(n, source, target)
    else:  # both ways: an undirected neighbour is a neighbour
        order = locality_order(n, np.concatenate([source, target]), np.concatenate([target, source]))
    position = positions(order)
    # a list of tuples: an (m, 2) array goes through one Python sequence per row, 10x slower
    engine = igraph().Graph(n=n, edges=list(zip(position[source].tolist(), position[target].tolist())),
                            directed=directed)
    if lengths is not None:
        engine.es["length"] = lengths
    return engine, position


def to_engine(position: np.ndarray | None, nodes: np.ndarray) -> list[int]:
    """``nodes`` (the network's numbers) as the engine numbers them; ``position`` None: unchanged."""
    return (nodes if position is None else position[nodes]).tolist()


def from_engine(position: np.ndarray | None, values: Any) -> np.ndarray:
    """The engine's per-node ``values`` in the network's node order; ``position`` None: unchanged."""
    values = np.asarray(values, dtype=float)
    return values if position is None else values[position]
