"""Which affected sources a move cannot change: their sums after the move are their sums before, bit for bit.

A source ``s`` reaches a tail of a move's changed hops, yet the move may
leave every shortest path from ``s`` as it was. With ``d(x)`` the hops from
``s`` to ``x`` on the graph before the move:

- a removed hop ``u -> v`` is on no shortest path from ``s`` when ``u`` is
  unreachable or ``d(v) <= d(u)`` (``v`` is reached no later than ``u``);
- the added hops reach new nodes (the move's infrastructure, new route
  nodes; never actors) at ``d(x) + 1`` from an existing ``x``, and so on
  along new nodes; an added hop ``x -> y`` into an existing ``y`` takes part
  in no shortest path when ``x`` is unreachable or ``d(y) <= d(x)``.

When both hold for every changed hop, the breadth-first search from ``s``
on the graph after the move visits the existing nodes in the same order,
with the same path counts and the same shares through the group (no
existing node's membership changes; a new node is no actor and is a
parent of no existing node), and adds the same numbers in the same order:
its sum equals the sum before, to the last bit.

:func:`unchanged` shows both with a sufficient test that needs the hops
from ``s`` to the changed hops' heads only: every tail ``u`` (and every
existing ``x`` of an added hop) is at least ``level(s)`` hops from ``s``,
its distance to the nearest tail, and a new node ``j`` added hops after
an existing one at least ``level(s) + j``; so a head ``h`` (``v`` of a
removed hop, an existing ``y`` of an added hop from ``x``) with
``0 <= d(h) <= level(s)`` (``level(s) + j(x)`` for an added hop) satisfies
both rules. One backward breadth-first
search per distinct head (a move's rerouted rows share their provider),
no deeper than the deepest source's level and stopped once every source
is reached, decides it for all of a move's sources: cheaper than the
searches it spares.

Examples
--------
>>> import numpy as np
>>> from dependencia.simulation.evaluate import HopGraph
>>> hops = HopGraph(3, np.array([0, 0, 1]), np.array([1, 2, 2]))   # 0 -> 1 -> 2 and 0 -> 2
>>> # the hop 1 -> 2 rerouted through a new node 3: source 0 (1 hop from the tail 1) reaches 2 directly,
>>> # its paths stay; source 1 (the tail itself) had its path over the hop
>>> unchanged(hops, np.array([0, 1]), np.array([1, 0]), [(1, 2)], [(1, 3), (3, 2)]).tolist()
[True, False]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..base.jit import njit
from .evaluate import HopGraph

__all__ = ["unchanged"]

def unchanged(hop_graph: HopGraph, sources: np.ndarray, levels: np.ndarray, removed: Sequence[tuple[int, int]],
              added: Sequence[tuple[int, int]]) -> np.ndarray:
    """Per source, whether the move (``removed`` and ``added`` hops) leaves its sums as they are (see above).

    ``levels``: each source's hops to the nearest tail of the changed hops
    (:meth:`~.evaluate.HopGraph.distances_to`). Nodes from
    ``hop_graph.n_nodes`` on are the move's new nodes. False wherever the
    test cannot show it (then the source is searched).
    """
    sources = np.asarray(sources, dtype=np.int64)
    levels = np.asarray(levels, dtype=np.int64)
    n = hop_graph.n_nodes
    rem = np.asarray(removed, dtype=np.int64).reshape(-1, 2)
    add = np.asarray(added, dtype=np.int64).reshape(-1, 2)
    if not len(sources) or (rem >= n).any() or (levels < 0).any():
        return np.zeros(len(sources), dtype=bool)
    # a head may be as far as the source's level plus the new nodes before it on the added hops
    allowance: dict[int, int] = {int(v): 0 for v in rem[:, 1].tolist()}
    depth = _new_depths(add.tolist(), n)
    for x, y in add.tolist():
        if y < n and x in depth:
            allowance[y] = min(allowance.get(y, depth[x]), depth[x])
    if not allowance:  # only dead ends hung on the graph
        return np.ones(len(sources), dtype=bool)
    heads = np.array(sorted(allowance), dtype=np.int64)
    extra = np.array([allowance[h] for h in heads.tolist()], dtype=np.int64)
    indptr, indices = hop_graph.reverse()
    far = _distances_from(indptr, indices, heads, sources, int(levels.max() + extra.max()))
    return ((far >= 0) & (far <= levels[None, :] + extra[:, None])).all(axis=0)


def _new_depths(added: list[list[int]], n: int) -> dict[int, int]:
    """For every node an added hop leaves, the fewest added hops from an existing node to it (0: existing)."""
    depth = {x: 0 for x, _ in added if x < n}
    for _ in range(len(added)):
        grown = False
        for x, y in added:
            if x in depth and y >= n and depth.get(y, len(added) + 1) > depth[x] + 1:
                depth[y] = depth[x] + 1
                grown = True
        if not grown:
            break
    return depth


@njit(cache=True)
def _distances_from(indptr, indices, ends, sources, depth):
    """Hops from each source to each end, -1 where more than ``depth`` (one backward search per end).

    A search stops at ``depth`` and once it has reached every source.
    """
    n = len(indptr) - 1
    out = np.full((len(ends), len(sources)), -1, dtype=np.int64)
    level = np.full(n, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    wanted = np.zeros(n, dtype=np.bool_)
    distinct = 0
    for k in range(len(sources)):
        if not wanted[sources[k]]:
            wanted[sources[k]] = True
            distinct += 1
    for i in range(len(ends)):
        level[ends[i]] = 0
        queue[0] = ends[i]
        head, tail = 0, 1
        left = distinct - (1 if wanted[ends[i]] else 0)
        while head < tail and left > 0:
            v = queue[head]
            head += 1
            if level[v] >= depth:
                break  # the queue holds the levels in order: nothing closer is left
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                if level[w] < 0:
                    level[w] = level[v] + 1
                    queue[tail] = w
                    tail += 1
                    if wanted[w]:
                        left -= 1
        for k in range(len(sources)):
            out[i, k] = level[sources[k]]
        for j in range(tail):
            level[queue[j]] = -1
    return out
