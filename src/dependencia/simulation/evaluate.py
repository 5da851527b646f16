"""Scoring candidate moves fast: a move's effect on its owner's power, over the sources it can affect.

A move changes a few hops of the aggregate graph (hop counts, directed):
rerouting ``d -> p`` via a new infrastructure X replaces the hop leaving d
by ``d -> X`` and ``X -> (next stop)``; creating or serving a dependency adds
``d -> X -> owner``. Only a source actor that reaches one of the changed
hops' tails (a dependent d) can have its shortest paths changed, so the
change of the owner's raw group power is

    dP = sum over affected sources s of (S'_s - S_s)

where S_s is s's sum over target actors of the share of shortest s-t paths
through the owner's nodes (the group kernel of :mod:`..measures.power`),
before (S) and after (S') the move. The change concentrates on sources close
to the changed hops (measured: on a 2,000-actor scale-free graph nearly all
of it comes from sources 0-1 hops away), so when more sources are affected
than the budget ``sample``, the sum is stratified (:func:`strata`): the
nearest sources (those 0 and 1 hops away, and further whole distance levels
while they fit in half the budget) are evaluated exactly, and a uniform sample of the rest (coupled across the
moves of one investor) is scaled up, an unbiased estimate. The gain in power
share holds the other actors' power fixed: share' = (P + dP) / (T + dP),
where P is the owner's raw power and T the sum over top-level actors, both
measured at the start of the step.

Examples
--------
>>> import numpy as np
>>> hops = HopGraph(3, np.array([0, 1]), np.array([1, 2]))   # 0 -> 1 -> 2
>>> indptr, indices, _, _ = hops.adjacency(extra_nodes=1, removed=[(0, 1)], added=[(0, 3), (3, 1)])
>>> [(int(u), int(v)) for u in range(4) for v in indices[indptr[u]:indptr[u + 1]]]
[(0, 3), (1, 2), (3, 1)]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ..base.jit import njit, parallel_allowed, prange  # numba.njit, with a cache folder that can be written
from ..measures import _kernels
from ..measures._pair_sums import actor_roles, csr

__all__ = ["HopGraph", "group_sum", "hop_arrays", "source_sums", "strata"]

_SHIFT = np.int64(32)


def _hop_keys(source: np.ndarray, target: np.ndarray) -> npt.NDArray[np.int64]:
    """One sortable key per hop: ``source`` in the high 32 bits, ``target`` in the low ones."""
    return (source.astype(np.int64) << _SHIFT) | target.astype(np.int64)


class HopGraph:
    """The aggregate graph as a multiset of hops, so that a move can remove one of several parallel hops.

    Parameters
    ----------
    n_nodes : int
    source, target : numpy.ndarray
        One entry per hop (parallel hops repeated).
    """

    def __init__(self, n_nodes: int, source: np.ndarray, target: np.ndarray):
        self.n_nodes = n_nodes
        keys = _hop_keys(source, target)
        self.keys, self.counts = np.unique(keys, return_counts=True)
        base_source = (self.keys >> _SHIFT).astype(np.int64)
        base_target = (self.keys & np.int64(0xFFFFFFFF)).astype(np.int64)
        self._base = csr(n_nodes, base_source, base_target, np.ones(len(self.keys)), False)
        reverse = csr(n_nodes, base_target, base_source, np.ones(len(self.keys)), False)
        self._reverse = (reverse[0], reverse[1])

    def base(self) -> tuple:
        """CSR (indptr, indices, lengths, weighted) of the graph as it is."""
        return self._base

    def adjacency(
        self, *, extra_nodes: int = 0, removed: Sequence[tuple[int, int]] = (), added: Sequence[tuple[int, int]] = ()
    ) -> tuple:
        """CSR of the graph with ``extra_nodes`` new nodes, one hop per entry of ``removed`` taken out and ``added`` put in.

        Works on the sorted edge keys without sorting them again: O(n + m)
        array work plus the size of the change.
        """
        keys = self.keys
        if len(removed):
            pairs = np.asarray(removed, dtype=np.int64)
            rkeys, rcounts = np.unique(_hop_keys(pairs[:, 0], pairs[:, 1]), return_counts=True)
            at = np.searchsorted(keys, rkeys)
            found = (at < len(keys)) & (keys[np.minimum(at, len(keys) - 1)] == rkeys)
            if not found.all():
                raise ValueError("a removed hop is not in the graph")
            gone = at[self.counts[at] <= rcounts]
            if len(gone):
                keys = np.delete(keys, gone)
        if len(added):
            pairs = np.asarray(added, dtype=np.int64)
            akeys = np.unique(_hop_keys(pairs[:, 0], pairs[:, 1]))
            at = np.searchsorted(keys, akeys)
            new = (at >= len(keys)) | (keys[np.minimum(at, len(keys) - 1)] != akeys)
            keys = np.insert(keys, at[new], akeys[new])
        n = self.n_nodes + extra_nodes
        source = (keys >> _SHIFT).astype(np.int64)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(source, minlength=n), out=indptr[1:])
        indices = (keys & np.int64(0xFFFFFFFF)).astype(np.int64)
        return indptr, indices, np.ones(len(keys)), False

    def reverse(self) -> tuple[np.ndarray, np.ndarray]:
        """CSR (indptr, indices) of the graph with every hop turned around."""
        return self._reverse

    def reaching(self, starts: np.ndarray) -> np.ndarray:
        """Boolean mask of the nodes from which some node of ``starts`` can be reached (starts included)."""
        return self.distances_to(starts) >= 0

    def distances_to(self, starts: np.ndarray) -> np.ndarray:
        """Hops from every node to the nearest node of ``starts`` (-1 where none can be reached)."""
        indptr, indices = self._reverse
        return _levels(indptr, indices, np.asarray(starts, dtype=np.int64))


@njit(cache=True)
def _levels(indptr, indices, starts):
    """Breadth-first distances from the set ``starts`` along the given (reverse) adjacency."""
    n = len(indptr) - 1
    level = np.full(n, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    head, tail = 0, 0
    for s in starts:
        if level[s] < 0:
            level[s] = 0
            queue[tail] = s
            tail += 1
    while head < tail:
        v = queue[head]
        head += 1
        for e in range(indptr[v], indptr[v + 1]):
            w = indices[e]
            if level[w] < 0:
                level[w] = level[v] + 1
                queue[tail] = w
                tail += 1
    return level


#: Distance levels evaluated exactly even beyond half the budget (up to _EXACT_CAP x budget sources):
#: measured, the change of a move comes almost entirely from sources 0-1 hops from the changed hops.
_ALWAYS_EXACT = 1
_EXACT_CAP = 8


def strata(levels: np.ndarray, budget: int, order: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Split the affected sources (``levels >= 0``) for a budget of ``budget`` evaluations.

    Returns (exact, sampled, factor): the nearest affected sources, whole
    distance levels while they fit in half the budget (levels 0 and 1
    always, unless they exceed 8 x the budget; then level 0 only),
    evaluated exactly; and the first members of ``order`` (a
    random permutation of the sources, shared by all moves of an investor)
    among the rest, up to the remaining budget, whose sum is scaled by
    ``factor`` = rest / sampled. Exact when everything fits.
    """
    affected = np.flatnonzero(levels >= 0)
    if len(affected) <= budget:
        return affected, np.zeros(0, dtype=np.int64), 1.0
    depth = levels[affected]
    counts = np.bincount(depth)
    cumulative = np.cumsum(counts)
    fits = np.flatnonzero(cumulative <= budget // 2)
    last = int(fits[-1]) if len(fits) else 0
    if last < _ALWAYS_EXACT and len(cumulative) > _ALWAYS_EXACT and cumulative[_ALWAYS_EXACT] <= _EXACT_CAP * budget:
        last = _ALWAYS_EXACT
    near = depth <= last
    exact, rest = affected[near], affected[~near]
    if not len(rest):  # the nearest levels, always exact, hold every affected source
        return exact, np.zeros(0, dtype=np.int64), 1.0
    room = max(budget - len(exact), 1)
    in_rest = np.zeros(len(levels), dtype=bool)
    in_rest[rest] = True
    sampled = order[in_rest[order]][:room]
    return exact, np.sort(sampled), len(rest) / len(sampled)


def group_sum(adjacency: tuple, n_actors: int, group: np.ndarray, sources: np.ndarray) -> float:
    """Sum over ``sources`` of the group's share of shortest paths to every other actor (one group)."""
    indptr, indices, lengths, weighted = adjacency
    n = len(indptr) - 1
    if not len(sources):
        return 0.0
    role = actor_roles(n, n_actors)
    member = np.zeros((1, n), dtype=np.uint8)
    member[0, group] = 1
    group_ptr = np.array([0, len(group)], dtype=np.int64)
    out = _kernels.group_pair_sums(indptr, indices, lengths, weighted, np.asarray(sources, dtype=np.int64), role,
                                   role, member, group_ptr, np.asarray(group, dtype=np.int64))
    return float(out[0])


def source_sums(adjacency: tuple, n_actors: int, member: np.ndarray, sources: np.ndarray, lanes: int = 1
                ) -> np.ndarray:
    """Per source (rows) and group (columns), the group's share of shortest paths summed over the target actors.

    The same values as :func:`group_sum` of each group for each source alone
    (the same floating-point operations in the same order), in one
    breadth-first search per source for all groups: the share of paths that
    have met a group is carried forward during the search itself
    (:func:`_fused_lane`). Hop counts only (the scoring graph has no lengths).
    ``lanes`` lanes run on Numba's threads, lane i taking sources i,
    i + lanes, ...; each source's row is computed alone, so the values are
    the same bytes for any number of lanes.

    Parameters
    ----------
    adjacency : tuple
        CSR (indptr, indices, lengths, weighted) with ``weighted`` False.
    n_actors : int
        Nodes ``0 .. n_actors - 1`` are the actors (the paths' ends).
    member : numpy.ndarray
        0/1 matrix, groups x nodes.
    sources : numpy.ndarray
        Source actors.
    lanes : int, default 1
        Parallel lanes (1: serial, no thread start-up; one lane where a
        parallel region is not allowed, see :func:`~dependencia.base.jit.parallel_allowed`).

    Examples
    --------
    >>> hops = HopGraph(3, np.array([0, 1]), np.array([1, 2]))   # 0 -> 1 -> 2
    >>> source_sums(hops.base(), 3, np.array([[0, 1, 0]], dtype=np.uint8), np.array([0, 1])).tolist()
    [[1.0], [0.0]]
    """
    indptr, indices, _, weighted = adjacency
    if weighted:
        raise ValueError("source_sums counts hops: the adjacency must be unweighted")
    sources = np.asarray(sources, dtype=np.int64)
    member = np.ascontiguousarray(member, dtype=np.uint8)
    out = np.zeros((len(sources), member.shape[0]))
    lanes = max(1, min(int(lanes), len(sources)))
    if lanes > 1 and parallel_allowed():
        _fused_parallel(indptr, indices, sources, n_actors, member, lanes, out)
    else:
        _fused_lane(indptr, indices, sources, n_actors, member, 0, 1, out)
    return out


@njit(cache=True, parallel=True)
def _fused_parallel(indptr, indices, sources, n_actors, member, lanes, out):
    for lane in prange(lanes):
        _fused_lane(indptr, indices, sources, n_actors, member, lane, lanes, out)


@njit(cache=True)
def _fused_lane(indptr, indices, sources, n_actors, member, lane, lanes, out):
    """Breadth-first search from each source carrying, per group, the shortest paths that have met the group.

    When a node v leaves the queue its path count ``sigma[v]`` and its
    ``through[v, g]`` (paths that met group g: ``sigma`` at g's own nodes)
    are final, since every predecessor lies one level closer; a target actor
    outside g adds ``through / sigma``. Additions happen in the order of
    :func:`..measures._kernels.group_pair_sums` (nodes in search order,
    edges in adjacency order), so the sums are the same bytes.
    """
    n = len(indptr) - 1
    groups = member.shape[0]
    dist = np.full(n, -1, dtype=np.int64)
    sigma = np.zeros(n)
    through = np.zeros((n, groups))
    queue = np.empty(n, dtype=np.int64)
    inside = np.ascontiguousarray(member.T)  # node-major: one node's groups side by side
    active = np.empty(groups, dtype=np.int64)  # the groups whose paths have met v, v's edges carry only these
    for k in range(lane, len(sources), lanes):
        s = sources[k]
        if s >= n_actors:
            continue
        dist[s] = 0
        sigma[s] = 1.0
        queue[0] = s
        head, tail = 0, 1
        while head < tail:
            v = queue[head]
            head += 1
            paths = sigma[v]
            count = 0
            for g in range(groups):
                if inside[v, g]:
                    through[v, g] = paths
                elif through[v, g] != 0.0 and v < n_actors and v != s:
                    out[k, g] += through[v, g] / paths
                if through[v, g] != 0.0:
                    active[count] = g
                    count += 1
            level = dist[v] + 1
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                if dist[w] < 0:
                    dist[w] = level
                    queue[tail] = w
                    tail += 1
                if dist[w] == level:
                    sigma[w] += paths
                    for a in range(count):  # each (w, g) still adds in the order v leaves the queue
                        g = active[a]
                        if not inside[w, g]:
                            through[w, g] += through[v, g]
        for i in range(tail):
            v = queue[i]
            dist[v] = -1
            sigma[v] = 0.0
            for g in range(groups):
                through[v, g] = 0.0
        for g in range(groups):
            if inside[s, g]:
                out[k, g] = 0.0


def hop_arrays(network, graph) -> tuple[np.ndarray, np.ndarray]:
    """Every hop (parallel ones repeated) of the dependencies in the graph's dimensions, on the graph's nodes.

    The rows are those :func:`~dependencia.graph.compile_graph` took, in the same order, so that
    route nodes get the graph's numbering.
    """
    from ..graph.hops import hops

    deps = network.dependencies
    rows = np.flatnonzero(deps["dimension"].isin(list(graph.dimensions)).to_numpy())
    index = graph.index
    closed = None
    if graph.paths == "routed":
        closed = np.zeros(len(index), dtype=bool)
        closed[network.n_actors:] = network.closed_infrastructures()
    routes = hops(index.get_indexer(deps["dependent"].to_numpy()[rows]),
                  index.get_indexer(deps["provider"].to_numpy()[rows]), deps["via"].to_numpy()[rows], index, closed)
    return routes.source, routes.target
