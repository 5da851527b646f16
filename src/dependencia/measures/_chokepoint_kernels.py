"""Compiled kernel (Numba) for chokepoints: which declared pairs each candidate's removal cuts or lengthens.

For every dependent d of the declared pairs, one search from d (breadth-first
for hop counts, Dijkstra for lengths: betweenness' own search,
:func:`~dependencia.measures._kernels.shortest_path_dag`) gives the distance
to each of its providers and the shortest-path DAG towards them: the nodes
that lie on some shortest d-p path for one of d's providers p (the
*relevant* nodes) and the DAG edges among them. Removing a candidate (a
node, or an infrastructure with all its route nodes) changes the distance
of a pair (d, p) exactly when every shortest d-p path passes one of the
candidate's nodes, that is, when p cannot be reached from d along DAG edges
without entering them: a forward pass over the relevant nodes only, for
each candidate that has a node among them. Only for such pairs is a second
search needed, from d with the candidate's nodes left out (the search's
``blocked`` nodes), stopped as soon as all its affected providers are
settled (its ``wanted`` nodes); it tells whether the pair is cut (no path
left) or lengthened. Every other (pair, candidate) keeps its distance, with
no search at all.

Pairs are counted as :func:`dependencia.chokepoints` defines them: a pair
whose dependent or provider is the candidate itself is not counted for it, a
pair with no path before is never cut nor lengthened, and a lengthened pair's
new distance exceeds the old one by more than a relative 1e-10 (path lengths
closer than that are tied, igraph's rule). The counts are integers, so their
sum over any split of the dependents is the same whatever the number of
workers.

Examples
--------
>>> import numpy as np
>>> # 0 -> 1 -> 2 and 0 -> 3 -> 4 -> 2: the pair (0, 2) is lengthened by removing 1, cut by
>>> # removing 1 and 3 together (candidate 0 = node 1, candidate 1 = nodes 3 and 4)
>>> indptr, indices = np.array([0, 2, 3, 3, 4, 5]), np.array([1, 3, 2, 4, 2])
>>> args = (indptr, indices, np.ones(5), False, np.array([0]), np.array([0, 1]), np.array([2]))
>>> cut, longer = chokepoint_counts(*args, np.array([-1, 0, -1, 1, 1]), 2, np.array([0]))
>>> cut.tolist(), longer.tolist()
([0, 0], [1, 0])
>>> cut, longer = chokepoint_counts(*args, np.array([-1, 0, -1, 0, 0]), 1, np.array([0]))
>>> cut.tolist(), longer.tolist()
([1], [0])
"""

from __future__ import annotations

import numpy as np

from ..base.jit import njit  # numba.njit, with a cache folder that can be written
from ._kernels import TIE_EPSILON, _same, reset, shortest_path_dag

#: ``removed`` value of a search that leaves no node out (``candidate_of`` is -1 or more)
NOTHING_REMOVED = -2


@njit(cache=True)
def _on_dag(dist, u, w, step):
    """True when the edge u -> w of length ``step`` is on a shortest path from the search's source."""
    return dist[w] > dist[u] and _same(dist[u] + step, dist[w])


@njit(cache=True)
def chokepoint_counts(indptr, indices, lengths, weighted, dependents, pair_ptr, providers, candidate_of,
                      n_candidates, items):
    """Pairs that each candidate's removal cuts and lengthens, over the dependents ``items``.

    Parameters
    ----------
    indptr, indices, lengths, weighted :
        Out-neighbour CSR of the graph (both directions of an undirected
        graph); ``lengths`` are all 1 for hop counts.
    dependents, pair_ptr, providers :
        The declared pairs grouped by dependent: dependent ``dependents[i]``
        has the providers ``providers[pair_ptr[i]:pair_ptr[i + 1]]``.
    candidate_of : numpy.ndarray of int64
        For each node, the candidate it belongs to (0 .. ``n_candidates`` - 1),
        or -1.
    items : numpy.ndarray of int64
        Which dependents (positions in ``dependents``) to evaluate.

    Returns
    -------
    (cut, lengthened) : numpy.ndarray of int64, each of length ``n_candidates``
    """
    n = len(indptr) - 1
    cut = np.zeros(n_candidates, dtype=np.int64)
    longer = np.zeros(n_candidates, dtype=np.int64)
    dist = np.full(n, np.inf)
    final = np.zeros(n, dtype=np.bool_)
    order = np.empty(n, dtype=np.int64)
    heap_keys = np.empty(len(indices) + 1)
    heap_values = np.empty(len(indices) + 1, dtype=np.int64)
    wanted = np.full(n, -1, dtype=np.int64)
    relevant = np.zeros(n, dtype=np.bool_)
    local = np.full(n, -1, dtype=np.int64)
    nodes = np.empty(n, dtype=np.int64)  # the relevant nodes in distance order
    dag_ptr = np.empty(n + 1, dtype=np.int64)
    dag_next = np.empty(len(indices), dtype=np.int64)
    alive = np.zeros(n, dtype=np.bool_)
    seen = np.full(n_candidates, -1, dtype=np.int64)
    present = np.empty(n_candidates, dtype=np.int64)
    longest = 0
    for item in items:
        longest = max(longest, pair_ptr[item + 1] - pair_ptr[item])
    was = np.empty(longest)
    stamp = 0
    for item in items:
        d = dependents[item]
        first = pair_ptr[item]
        last = pair_ptr[item + 1]
        stamp += 1
        left = 0
        for j in range(first, last):
            if wanted[providers[j]] != stamp:
                wanted[providers[j]] = stamp
                left += 1
        settled = shortest_path_dag(indptr, indices, lengths, weighted, d, dist, None, final, order, heap_keys,
                                    heap_values, candidate_of, NOTHING_REMOVED, wanted, stamp, left)
        for j in range(first, last):
            p = providers[j]
            was[j - first] = dist[p] if (final[p] or not weighted) else np.inf
            if was[j - first] < np.inf:
                relevant[p] = True
        for i in range(settled - 1, -1, -1):  # backward: the nodes on a shortest path to a provider
            u = order[i]
            if relevant[u]:
                continue
            for e in range(indptr[u], indptr[u + 1]):
                w = indices[e]
                if relevant[w] and _on_dag(dist, u, w, lengths[e]):
                    relevant[u] = True
                    break
        count = 0
        for i in range(settled):
            u = order[i]
            if relevant[u]:
                local[u] = count
                nodes[count] = u
                count += 1
        edges = 0
        present_count = 0
        for i in range(count):  # the DAG among the relevant nodes, and the candidates found on it
            u = nodes[i]
            dag_ptr[i] = edges
            for e in range(indptr[u], indptr[u + 1]):
                w = indices[e]
                if relevant[w] and _on_dag(dist, u, w, lengths[e]):
                    dag_next[edges] = local[w]
                    edges += 1
            k = candidate_of[u]
            if k >= 0 and seen[k] != stamp:
                seen[k] = stamp
                present[present_count] = k
                present_count += 1
        dag_ptr[count] = edges
        reset(order, settled, dist, None, final)
        own = candidate_of[d]
        for c in range(present_count):
            k = present[c]
            if k == own:  # the dependent itself is removed: its pairs do not count
                continue
            for i in range(count):
                alive[i] = False
            alive[0] = True  # nodes[0] is d
            for i in range(count):  # forward: what d reaches on the DAG without the candidate's nodes
                if alive[i] and candidate_of[nodes[i]] != k:
                    for e in range(dag_ptr[i], dag_ptr[i + 1]):
                        alive[dag_next[e]] = True
            stamp += 1
            left = 0
            for j in range(first, last):
                p = providers[j]
                if was[j - first] < np.inf and candidate_of[p] != k and not alive[local[p]] and wanted[p] != stamp:
                    wanted[p] = stamp
                    left += 1
            if left == 0:
                continue
            settled_k = shortest_path_dag(indptr, indices, lengths, weighted, d, dist, None, final, order, heap_keys,
                                          heap_values, candidate_of, k, wanted, stamp, left)
            for j in range(first, last):
                p = providers[j]
                if wanted[p] == stamp:
                    after = dist[p] if (final[p] or not weighted) else np.inf
                    if after == np.inf:
                        cut[k] += 1
                    elif after > was[j - first] * (1 + TIE_EPSILON):
                        longer[k] += 1
            reset(order, settled_k, dist, None, final)
        for i in range(count):
            relevant[nodes[i]] = False
            local[nodes[i]] = -1
    return cut, longer
