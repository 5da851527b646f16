"""Compiled kernels (Numba) for the maximum betweenness improvement problem.

All-pairs hop distances and shortest-path counts (one breadth-first search
per source), and the exact gain in one node's betweenness from each candidate
edge ``u -> v``, evaluated from those arrays without a new search.

The closed form (hop counts, directed; ``d``, ``sigma`` before the edge,
primes after it; ``sigma_ss = 1``). A new shortest path uses ``u -> v``, so it
passes through v, and a shortest path into v does not leave v again; hence

* ``d'(v, t) = d(v, t)`` and ``sigma'_vt = sigma_vt``;
* ``d'(s, v) = min(d(s, v), d(s, u) + 1)``; ``sigma'_sv`` is ``sigma_su`` when
  the new route is shorter, ``sigma_sv + sigma_su`` when it ties, else
  ``sigma_sv``. Sources with ``d(s, u) + 1 > d(s, v)`` see no change at all;
* over pairs (s, t), s != v != t: the paths through v have length
  ``L = d'(s, v) + d(v, t)`` and count ``C = sigma'_sv * sigma_vt``; the paths
  avoiding v are the old ones, of length ``d(s, t)`` and count
  ``A = sigma_st - sigma_st(v)`` (``sigma_st(v)``: the old shortest paths through
  v). When ``A = 0`` every old shortest path ran through v, and the shortest
  paths avoiding v are longer than ``d(s, t) >= L``, so they never count;
* so v's share of the pair becomes 1 when ``L < d(s, t)`` (or t was out of
  reach), ``C / (C + A)`` when ``L = d(s, t)``, and stays 0 when ``L > d(s, t)``
  (then v was on no shortest s-t path before either).

The gain of u is the sum over the changed sources and the targets v reaches
of the new share less the old ``sigma_st(v) / sigma_st``. Counts are float64:
exact integers below 2**53, relative error 1e-16 above.
"""

from __future__ import annotations

import numpy as np

from ..base.jit import njit  # numba.njit, with a cache folder that can be written

#: Hop distance of a node out of reach (stored as int32).
UNREACHED = 1 << 30


@njit(cache=True)
def all_pairs_hops(indptr, indices, dist, sigma):
    """Fill ``dist[s, t]`` (hops, :data:`UNREACHED` if none) and ``sigma[s, t]`` (shortest paths).

    ``dist`` is an n x n int32 array and ``sigma`` an n x n float64 array;
    both are overwritten. One breadth-first search per source on the CSR
    adjacency (``indptr``, ``indices``).
    """
    n = len(indptr) - 1
    queue = np.empty(n, dtype=np.int64)
    for s in range(n):
        drow = dist[s]
        srow = sigma[s]
        for t in range(n):
            drow[t] = UNREACHED
            srow[t] = 0.0
        drow[s] = 0
        srow[s] = 1.0
        queue[0] = s
        head = 0
        tail = 1
        while head < tail:
            x = queue[head]
            head += 1
            step = drow[x] + 1
            for e in range(indptr[x], indptr[x + 1]):
                w = indices[e]
                if drow[w] == UNREACHED:
                    drow[w] = step
                    queue[tail] = w
                    tail += 1
                if drow[w] == step:
                    srow[w] += srow[x]


@njit(cache=True)
def link_gains(dist, sigma, v, candidates, targets, sources):
    """Exact gain in v's ordered-pair betweenness sum from adding each edge ``u -> v``, over ``sources``.

    ``candidates``: the nodes u to evaluate (none of them v, none with an edge
    to v yet); ``targets``: the nodes other than v that v reaches (pairs with
    other targets cannot change); ``sources``: the sources s to sum over (all
    nodes for the whole gain). Row s contributes to candidate u through
    ``(d'(s, v), sigma'_sv)`` alone, so the row is evaluated once per distinct
    pair of those values and the value added to every candidate that has it;
    the matrix is read once per call, row by row. Each candidate's sum runs
    over ``sources`` in order, so it does not depend on how candidates are split.
    """
    gains = np.zeros(len(candidates))
    dist_vt = np.empty(len(targets), dtype=np.int64)
    sigma_vt = np.empty(len(targets))
    for j in range(len(targets)):
        dist_vt[j] = dist[v, targets[j]]
        sigma_vt[j] = sigma[v, targets[j]]
    member = np.empty(len(candidates), dtype=np.int64)
    key_length = np.empty(len(candidates), dtype=np.int64)
    key_count = np.empty(len(candidates))
    for s in sources:
        dsv = dist[s, v]
        if s == v:
            continue
        old_sv = sigma[s, v] if dsv < UNREACHED else 0.0
        found = 0
        for i in range(len(candidates)):
            du = dist[s, candidates[i]]
            if du >= UNREACHED or du + 1 > dsv:
                continue  # the new edge gives s no shortest path to v: nothing changes for s
            member[found] = i
            if du + 1 < dsv:
                key_length[found] = du + 1
                key_count[found] = sigma[s, candidates[i]]
            else:
                key_length[found] = dsv
                key_count[found] = old_sv + sigma[s, candidates[i]]
            found += 1
        if found == 0:
            continue
        order = np.argsort(key_count[:found], kind="mergesort")
        order = order[np.argsort(key_length[:found][order], kind="mergesort")]
        first = 0
        while first < found:
            a = order[first]
            last = first + 1
            while last < found and key_length[order[last]] == key_length[a] and key_count[order[last]] == key_count[a]:
                last += 1
            value = _row_gain(dist[s], sigma[s], s, dsv, old_sv, key_length[a], key_count[a], targets, dist_vt,
                              sigma_vt)
            for k in range(first, last):
                gains[member[order[k]]] += value
            first = last
    return gains


@njit(cache=True)
def _row_gain(drow, srow, s, dsv, old_sv, new_dsv, new_sv, targets, dist_vt, sigma_vt):
    """Change in v's share of the pairs (s, t) when s reaches v in ``new_dsv`` hops by ``new_sv`` paths."""
    total = 0.0
    for j in range(len(targets)):
        t = targets[j]
        if t == s:
            continue
        dst = drow[t]
        through_length = new_dsv + dist_vt[j]
        if through_length > dst:
            continue  # v stays off the shortest s-t paths (and was off them before)
        old_through = 0.0
        if dsv < UNREACHED and dsv + dist_vt[j] == dst:
            old_through = old_sv * sigma_vt[j]
        if through_length < dst:
            share = 1.0
        else:
            through = new_sv * sigma_vt[j]
            avoiding = srow[t] - old_through
            if avoiding < 0.0:
                avoiding = 0.0
            share = through / (through + avoiding)
        if old_through > 0.0:
            share -= old_through / srow[t]
        total += share
    return total
