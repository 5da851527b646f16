"""The searches after a move for all candidates of one investor, in one batch on Numba's threads.

Scoring a candidate move searches each of its chosen source actors on the
graph as the move would leave it (:func:`.evaluate.source_sums` with one
group, the investor's). One investor's candidates are each a graph of their
own and a few dozen sources each: searched one candidate at a time, most
batches are too small to start threads for. :func:`after_sums` takes every
(candidate, source) pair of the investor at once and spreads the pairs over
Numba's threads. Each pair's value is computed alone by :func:`_one_group`,
which performs the floating-point operations of :func:`.evaluate._fused_lane`
for one group in the same order, so the values are the same bytes as one
:func:`~.evaluate.source_sums` call per candidate, for any number of threads
(tests/simulation/test_batch_search.py).

Examples
--------
>>> import numpy as np
>>> from dependencia.simulation.evaluate import HopGraph
>>> hops = HopGraph(3, np.array([0, 1]), np.array([1, 2]))            # 0 -> 1 -> 2
>>> jobs = [AfterSearch(hops.base(), np.array([1], dtype=np.int64), np.array([0, 1]))]   # group {1}
>>> [v.tolist() for v in after_sums(jobs, 3)]                           # source 0: the path 0-1-2 meets 1
[[1.0, 0.0]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..base.jit import njit, parallel_allowed, prange

__all__ = ["AfterSearch", "after_sums"]

#: Below this many sources x (nodes + hops) in all, the batch runs on one thread (starting lanes costs more).
PARALLEL_WORK = 2_000_000


@dataclass(frozen=True)
class AfterSearch:
    """One candidate's searches: its graph (CSR, hop counts), the investor's group on it, and the sources."""

    adjacency: tuple
    group: np.ndarray
    sources: np.ndarray


def after_sums(jobs: list[AfterSearch], n_actors: int, lanes: int | None = None) -> list[np.ndarray]:
    """For each job, the group's share of shortest paths summed over the target actors, per source.

    ``lanes`` (default: all of Numba's threads for a batch worth it, else one)
    does not change the values.
    """
    if not jobs:
        return []
    sizes = [len(j.adjacency[0]) - 1 for j in jobs]
    indptr = np.concatenate([np.asarray(j.adjacency[0], dtype=np.int64) for j in jobs])
    indices = np.concatenate([np.asarray(j.adjacency[1], dtype=np.int64) for j in jobs])
    ptr_start = np.concatenate([[0], np.cumsum([n + 1 for n in sizes])]).astype(np.int64)
    idx_start = np.concatenate([[0], np.cumsum([len(j.adjacency[1]) for j in jobs])]).astype(np.int64)
    member_start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    member = np.zeros(int(member_start[-1]), dtype=np.uint8)
    for k, job in enumerate(jobs):
        member[member_start[k] + np.asarray(job.group, dtype=np.int64)] = 1
    pair_job = np.concatenate([np.full(len(j.sources), k, dtype=np.int64) for k, j in enumerate(jobs)])
    pair_source = np.concatenate([np.asarray(j.sources, dtype=np.int64) for j in jobs])
    out = np.zeros(len(pair_source))
    if lanes is None:
        work = sum(len(j.sources) * (n + len(j.adjacency[1])) for j, n in zip(jobs, sizes))
        lanes = 1
        if work >= PARALLEL_WORK:
            import numba

            lanes = int(numba.get_num_threads())
    lanes = max(1, min(int(lanes), len(pair_source)))
    args = (indptr, indices, ptr_start, idx_start, member, member_start, pair_job, pair_source, n_actors,
            max(sizes))
    if lanes > 1 and parallel_allowed():
        _parallel(*args, lanes, out)
    else:
        _lane(*args, 0, 1, out)
    ends = np.cumsum([len(j.sources) for j in jobs])
    return np.split(out, ends[:-1])


@njit(cache=True, parallel=True)
def _parallel(indptr, indices, ptr_start, idx_start, member, member_start, pair_job, pair_source, n_actors,
              largest, lanes, out):
    for lane in prange(lanes):
        _lane(indptr, indices, ptr_start, idx_start, member, member_start, pair_job, pair_source, n_actors,
              largest, lane, lanes, out)


@njit(cache=True)
def _lane(indptr, indices, ptr_start, idx_start, member, member_start, pair_job, pair_source, n_actors, largest,
          lane, lanes, out):
    dist = np.full(largest, -1, dtype=np.int64)
    sigma = np.zeros(largest)
    through = np.zeros(largest)
    queue = np.empty(largest, dtype=np.int64)
    for k in range(lane, len(pair_source), lanes):
        j = pair_job[k]
        out[k] = _one_group(indptr[ptr_start[j]:ptr_start[j + 1]], indices[idx_start[j]:idx_start[j + 1]],
                            member[member_start[j]:member_start[j + 1]], pair_source[k], n_actors,
                            dist, sigma, through, queue)


@njit(cache=True)
def _one_group(indptr, indices, member, s, n_actors, dist, sigma, through, queue):
    """:func:`.evaluate._fused_lane` for one group and one source: the same operations in the same order.

    The work arrays (at least as long as the graph has nodes) are all -1 / 0 on entry and on return.
    """
    if s >= n_actors:
        return 0.0
    total = 0.0
    dist[s] = 0
    sigma[s] = 1.0
    queue[0] = s
    head, tail = 0, 1
    while head < tail:
        v = queue[head]
        head += 1
        paths = sigma[v]
        carried = through[v]
        if member[v]:
            carried = paths
            through[v] = paths
        elif carried != 0.0 and v < n_actors and v != s:
            total += carried / paths
        level = dist[v] + 1
        for e in range(indptr[v], indptr[v + 1]):
            w = indices[e]
            if dist[w] < 0:
                dist[w] = level
                queue[tail] = w
                tail += 1
            if dist[w] == level:
                sigma[w] += paths
                if carried != 0.0 and not member[w]:
                    through[w] += carried
    for i in range(tail):
        v = queue[i]
        dist[v] = -1
        sigma[v] = 0.0
        through[v] = 0.0
    return 0.0 if member[s] else total
