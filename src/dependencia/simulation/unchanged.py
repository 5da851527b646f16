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
its sum equals the sum before, to the last bit. :func:`unchanged` decides
this for many sources at once from one backward breadth-first search per
existing endpoint of the changed hops, cheaper than the search it spares.

Examples
--------
>>> import numpy as np
>>> from dependencia.simulation.evaluate import HopGraph
>>> hops = HopGraph(4, np.array([0, 0, 1, 2]), np.array([1, 2, 3, 3]))   # 0 -> 1 -> 3 and 0 -> 2 -> 3
>>> # the hop 2 -> 3 rerouted through a new node 4: it was on a shortest path from 0 (0-2-3) and from 2
>>> unchanged(hops, np.array([0, 2]), [(2, 3)], [(2, 4), (4, 3)]).tolist()
[False, False]
>>> unchanged(hops, np.array([0, 1]), [], [(1, 4)]).tolist()    # a dead end hung on 1: no path changes
[True, True]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..base.jit import njit
from .evaluate import HopGraph

__all__ = ["unchanged"]


def unchanged(hop_graph: HopGraph, sources: np.ndarray, removed: Sequence[tuple[int, int]],
              added: Sequence[tuple[int, int]]) -> np.ndarray:
    """Per source, whether the move (``removed`` and ``added`` hops) leaves its sums as they are (see above).

    Nodes from ``hop_graph.n_nodes`` on are the move's new nodes. False
    wherever it cannot be shown (then the source is searched).
    """
    sources = np.asarray(sources, dtype=np.int64)
    n = hop_graph.n_nodes
    if not len(sources):
        return np.zeros(0, dtype=bool)
    rem = np.asarray(removed, dtype=np.int64).reshape(-1, 2)
    add = np.asarray(added, dtype=np.int64).reshape(-1, 2)
    if (rem >= n).any():  # a removed hop with a new node: not a hop of this graph, nothing is shown
        return np.zeros(len(sources), dtype=bool)
    ends = np.unique(np.concatenate([rem.ravel(), add.ravel()]))
    ends = ends[ends < n]
    indptr, indices = hop_graph.reverse()
    far = _distances_from(indptr, indices, ends, sources)  # far[e, k]: hops from sources[k] to ends[e]
    slot = {int(e): i for i, e in enumerate(ends.tolist())}
    rem_at = np.array([[slot[int(u)], slot[int(v)]] for u, v in rem.tolist()], dtype=np.int64).reshape(-1, 2)
    add_nodes = np.array([[slot.get(int(x), -1) if x < n else n + int(x) for x in hop] for hop in add.tolist()],
                         dtype=np.int64).reshape(-1, 2)
    return _decide(far, rem_at, add_nodes, n)


@njit(cache=True)
def _distances_from(indptr, indices, ends, sources):
    """Hops from each source to each end (-1: unreachable), one backward search per end."""
    n = len(indptr) - 1
    out = np.full((len(ends), len(sources)), -1, dtype=np.int64)
    level = np.full(n, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    for i in range(len(ends)):
        level[ends[i]] = 0
        queue[0] = ends[i]
        head, tail = 0, 1
        while head < tail:
            v = queue[head]
            head += 1
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                if level[w] < 0:
                    level[w] = level[v] + 1
                    queue[tail] = w
                    tail += 1
        for k in range(len(sources)):
            out[i, k] = level[sources[k]]
        for j in range(tail):
            level[queue[j]] = -1
    return out


@njit(cache=True)
def _decide(far, rem_at, add_nodes, n):
    """For each source, whether no removed hop is on its shortest paths and no added hop makes one.

    ``add_nodes`` holds, per added hop, the slot of an existing end in
    ``far`` or ``n + node`` for a new node; new nodes get their distance
    from the added hops (a few rounds: chains of new nodes are short).
    """
    n_sources = far.shape[1]
    out = np.zeros(n_sources, dtype=np.bool_)
    big = np.iinfo(np.int64).max // 4
    for k in range(n_sources):
        ok = True
        for r in range(rem_at.shape[0]):
            du, dv = far[rem_at[r, 0], k], far[rem_at[r, 1], k]
            if du >= 0 and not (0 <= dv <= du):
                ok = False
                break
        if not ok:
            continue
        # distances of the new nodes over the added hops, relaxed until they settle
        new_ids = np.empty(2 * add_nodes.shape[0], dtype=np.int64)
        new_dist = np.empty(2 * add_nodes.shape[0], dtype=np.int64)
        count = 0
        for a in range(add_nodes.shape[0]):
            for side in range(2):
                node = add_nodes[a, side]
                if node >= n:
                    seen = False
                    for c in range(count):
                        if new_ids[c] == node:
                            seen = True
                    if not seen:
                        new_ids[count] = node
                        new_dist[count] = big
                        count += 1
        for _ in range(add_nodes.shape[0] + 1):
            changed = False
            for a in range(add_nodes.shape[0]):
                x, y = add_nodes[a, 0], add_nodes[a, 1]
                if y < n:
                    continue
                dx = big
                if x >= n:
                    for c in range(count):
                        if new_ids[c] == x:
                            dx = new_dist[c]
                elif x >= 0 and far[x, k] >= 0:
                    dx = far[x, k]
                if dx < big:
                    for c in range(count):
                        if new_ids[c] == y and dx + 1 < new_dist[c]:
                            new_dist[c] = dx + 1
                            changed = True
            if not changed:
                break
        for a in range(add_nodes.shape[0]):
            x, y = add_nodes[a, 0], add_nodes[a, 1]
            if y >= n:
                continue
            dx = big
            if x >= n:
                for c in range(count):
                    if new_ids[c] == x:
                        dx = new_dist[c]
            elif x >= 0 and far[x, k] >= 0:
                dx = far[x, k]
            if dx < big:
                dy = far[y, k] if y >= 0 else -1
                if not (0 <= dy <= dx):
                    ok = False
                    break
        out[k] = ok
    return out
