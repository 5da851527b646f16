"""Compiled kernels (Numba) for what no graph library computes: group betweenness over actor pairs.

Each kernel works on a CSR adjacency (``indptr``, ``indices``, ``lengths``)
of the compiled graph and a slice of sources, so that the executor can run
slices in parallel and add the partial sums in a fixed order.

Shortest paths are counted as in Brandes' algorithm: breadth-first search for
hop counts, Dijkstra for lengths, with lengths equal within a relative 1e-10
counted as tied (igraph's rule, so that group and node values agree).
"""

from __future__ import annotations

import numpy as np

from ..base.jit import njit  # numba.njit, with a cache folder that can be written

#: Path lengths closer than this (relative) are tied.
TIE_EPSILON = 1e-10


@njit(cache=True)
def _same(a, b):
    return abs(a - b) <= TIE_EPSILON * max(abs(a), abs(b))


@njit(cache=True)
def _heap_push(keys, values, size, key, value):
    i = size
    keys[i] = key
    values[i] = value
    while i > 0:
        parent = (i - 1) // 2
        if keys[parent] <= keys[i]:
            break
        keys[parent], keys[i] = keys[i], keys[parent]
        values[parent], values[i] = values[i], values[parent]
        i = parent
    return size + 1


@njit(cache=True)
def _heap_pop(keys, values, size):
    key = keys[0]
    value = values[0]
    size -= 1
    keys[0] = keys[size]
    values[0] = values[size]
    i = 0
    while True:
        left = 2 * i + 1
        right = left + 1
        smallest = i
        if left < size and keys[left] < keys[smallest]:
            smallest = left
        if right < size and keys[right] < keys[smallest]:
            smallest = right
        if smallest == i:
            break
        keys[smallest], keys[i] = keys[i], keys[smallest]
        values[smallest], values[i] = values[i], values[smallest]
        i = smallest
    return key, value, size


@njit(cache=True)
def shortest_path_dag(indptr, indices, lengths, weighted, source, dist, sigma, final, order, heap_keys, heap_values,
                      blocked=None, removed=-1, wanted=None, stamp=0, left=0):
    """Distances and shortest-path counts from ``source``; returns how many nodes it reached.

    ``order`` receives the reached nodes in non-decreasing distance. On entry
    ``dist`` must be +inf, ``sigma`` 0 and ``final`` False everywhere; on
    return only the nodes in ``order[:reached]`` are changed (the caller
    resets them afterwards, see :func:`reset`).

    Two options serve searches that need less than the whole DAG
    (chokepoints): with ``blocked``, nodes v with ``blocked[v] == removed``
    are never entered (as if removed from the graph); with ``wanted``, the
    search stops as soon as the ``left`` nodes v with ``wanted[v] == stamp``
    have their final distance (found, for hop counts; settled, for lengths:
    then every node nearer than the farthest of them is settled too). A
    stopped search may leave counts in ``sigma`` incomplete, and reports the
    nodes whose distance is final. ``sigma`` may be ``None`` where the
    counts are not needed. Numba compiles the checks of an option given as
    ``None`` away, so that betweenness pays nothing for them.
    """
    dist[source] = 0.0
    if sigma is not None:
        sigma[source] = 1.0
    if not weighted:
        order[0] = source
        head = 0
        tail = 1
        if wanted is not None:
            if wanted[source] == stamp:
                left -= 1
            if left <= 0:
                return tail
        while head < tail:
            v = order[head]
            head += 1
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                if dist[w] == np.inf:
                    if blocked is not None and blocked[w] == removed:
                        continue
                    dist[w] = dist[v] + 1.0
                    order[tail] = w
                    tail += 1
                    if wanted is not None and wanted[w] == stamp:
                        left -= 1
                        if left == 0:
                            return tail
                if sigma is not None and dist[w] == dist[v] + 1.0:
                    sigma[w] += sigma[v]
        return tail
    reached = 0
    size = _heap_push(heap_keys, heap_values, 0, 0.0, source)
    while size > 0:
        d, v, size = _heap_pop(heap_keys, heap_values, size)
        if final[v]:
            continue  # a stale entry
        final[v] = True
        order[reached] = v
        reached += 1
        if wanted is not None and wanted[v] == stamp:
            left -= 1
        if wanted is not None and left <= 0:
            for i in range(size):  # the nodes left with a tentative distance: as if never reached
                w = heap_values[i]
                if not final[w]:
                    dist[w] = np.inf
                    if sigma is not None:
                        sigma[w] = 0.0
            return reached
        for e in range(indptr[v], indptr[v + 1]):
            w = indices[e]
            if final[w]:
                continue
            candidate = dist[v] + lengths[e]
            if dist[w] == np.inf:
                if blocked is not None and blocked[w] == removed:
                    continue
                dist[w] = candidate
                if sigma is not None:
                    sigma[w] = sigma[v]
                size = _heap_push(heap_keys, heap_values, size, candidate, w)
            elif candidate < dist[w] and not _same(candidate, dist[w]):
                dist[w] = candidate
                if sigma is not None:
                    sigma[w] = sigma[v]
                size = _heap_push(heap_keys, heap_values, size, candidate, w)
            elif sigma is not None and _same(candidate, dist[w]):
                sigma[w] += sigma[v]
    return reached


@njit(cache=True)
def reset(order, reached, dist, sigma, final):
    """Undo :func:`shortest_path_dag` on the nodes it reached."""
    for i in range(reached):
        v = order[i]
        dist[v] = np.inf
        if sigma is not None:
            sigma[v] = 0.0
        final[v] = False


@njit(cache=True)
def group_pair_sums(indptr, indices, lengths, weighted, sources, source_of, target_of, member, group_ptr,
                    group_nodes):
    """Group betweenness over actor pairs, summed over ``sources``, for every group.

    Group g is row g of ``member`` (a 0/1 matrix groups x nodes) and, as a
    list, ``group_nodes[group_ptr[g]:group_ptr[g + 1]]``. ``source_of[v]`` and
    ``target_of[v]`` name the actor node v stands for as a path's start or
    end (-1: none); in the plain graph both are the actor's own node, in the
    multiplex graph its out- and in-hub. For every source s outside g, adds
    over every target t outside g of another actor that s reaches the share
    of shortest s-t paths that pass at least one node of g.

    On the shortest-path DAG from s, ``through[v]`` counts the shortest s-v
    paths that have met g: ``sigma[c]`` at g's nodes, the sum over
    DAG predecessors elsewhere. Only nodes downstream of g's first node in
    distance order are visited, and only those with through > 0 push further.
    """
    n = len(indptr) - 1
    groups = member.shape[0]
    out = np.zeros(groups)
    dist = np.full(n, np.inf)
    sigma = np.zeros(n)
    final = np.zeros(n, dtype=np.bool_)
    order = np.empty(n, dtype=np.int64)
    position = np.empty(n, dtype=np.int64)
    through = np.zeros(n)
    heap_keys = np.empty(len(indices) + 1)
    heap_values = np.empty(len(indices) + 1, dtype=np.int64)
    for s in sources:
        if source_of[s] < 0:
            continue
        reached = shortest_path_dag(indptr, indices, lengths, weighted, s, dist, sigma, final, order, heap_keys,
                                    heap_values)
        for i in range(reached):
            position[order[i]] = i
        for g in range(groups):
            if member[g, s]:
                continue
            first = reached
            for j in range(group_ptr[g], group_ptr[g + 1]):
                c = group_nodes[j]
                if dist[c] != np.inf:
                    through[c] = sigma[c]
                    if position[c] < first:
                        first = position[c]
            total = 0.0
            for i in range(first, reached):
                v = order[i]
                if through[v] == 0.0:
                    continue
                if target_of[v] >= 0 and target_of[v] != source_of[s] and not member[g, v]:
                    total += through[v] / sigma[v]
                for e in range(indptr[v], indptr[v + 1]):
                    w = indices[e]
                    if member[g, w] or dist[w] <= dist[v]:
                        continue
                    step = 1.0 if not weighted else lengths[e]
                    if _same(dist[v] + step, dist[w]):
                        through[w] += through[v]
            out[g] += total
            for i in range(first, reached):
                through[order[i]] = 0.0
        reset(order, reached, dist, sigma, final)
    return out


@njit(cache=True)
def _popcount(word):
    word = word - ((word >> np.uint64(1)) & np.uint64(0x5555555555555555))
    word = (word & np.uint64(0x3333333333333333)) + ((word >> np.uint64(2)) & np.uint64(0x3333333333333333))
    word = (word + (word >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (word * np.uint64(0x0101010101010101)) >> np.uint64(56)


@njit(cache=True)
def reach_weights(topological, dag_ptr, dag_next, column_of, heavy_columns, heavy_extra, n_columns, words):
    """For every node of a DAG, the summed weight of the columns it reaches (itself included).

    The DAG's nodes are visited in reverse ``topological`` order, each taking
    the union of its successors' bitsets. Columns are the DAG nodes that
    carry weight (``column_of[c]`` >= 0); most weigh 1 and are counted by
    popcount, the ``heavy_columns`` add ``heavy_extra`` more each. To bound
    memory the columns are handled ``words * 64`` at a time.
    """
    n = len(topological)
    total = np.zeros(n, dtype=np.int64)
    width = words * 64
    for low in range(0, n_columns, width):
        high = min(low + width, n_columns)
        bits = np.zeros((n, words), dtype=np.uint64)
        for k in range(n - 1, -1, -1):
            c = topological[k]
            column = column_of[c]
            if low <= column < high:
                offset = column - low
                bits[c, offset >> 6] |= np.uint64(1) << np.uint64(offset & 63)
            for e in range(dag_ptr[c], dag_ptr[c + 1]):
                d = dag_next[e]
                for w in range(words):
                    bits[c, w] |= bits[d, w]
        for c in range(n):
            count = 0
            for w in range(words):
                count += _popcount(bits[c, w])
            for h in range(len(heavy_columns)):
                column = heavy_columns[h]
                if low <= column < high:
                    offset = column - low
                    if (bits[c, offset >> 6] >> np.uint64(offset & 63)) & np.uint64(1):
                        count += heavy_extra[h]
            total[c] += count
    return total


@njit(cache=True)
def explain_group(indptr, indices, lengths, weighted, sources, source_of, target_of, member, top):
    """Decompose one group's betweenness over actor pairs, summed over ``sources``.

    Returns (credit, pair_keys, pair_values): ``credit[v]`` is the part of the
    group's sum credited to node v of the group, each path credited to the
    first group node it meets; (pair_keys, pair_values) are the ``top``
    largest per-pair shares sigma_st(group) / sigma_st, keys s * n + t.
    ``source_of`` and ``target_of`` name the actor a node stands for as a
    path's start or end, as in :func:`group_pair_sums`.

    On the DAG from s, ``avoid[v]`` counts the shortest s-v paths that meet no
    group node before v, and ``onward[v]`` the sum over valid targets t of
    (DAG paths from v to t) / sigma_st; a first meeting at group node c
    accounts for avoid[c] * onward[c].
    """
    n = len(indptr) - 1
    credit = np.zeros(n)
    dist = np.full(n, np.inf)
    sigma = np.zeros(n)
    final = np.zeros(n, dtype=np.bool_)
    order = np.empty(n, dtype=np.int64)
    avoid = np.zeros(n)
    onward = np.zeros(n)
    through = np.zeros(n)
    heap_keys = np.empty(len(indices) + 1)
    heap_values = np.empty(len(indices) + 1, dtype=np.int64)
    best_values = np.empty(top + 1)
    best_keys = np.empty(top + 1, dtype=np.int64)
    kept = 0
    for s in sources:
        if source_of[s] < 0 or member[s]:
            continue
        reached = shortest_path_dag(indptr, indices, lengths, weighted, s, dist, sigma, final, order, heap_keys,
                                    heap_values)
        for i in range(reached):
            v = order[i]
            avoid[v] = 0.0
            onward[v] = 0.0
            through[v] = 0.0
        avoid[s] = 1.0
        for i in range(reached):  # forward: paths avoiding the group so far, and paths through it
            v = order[i]
            if member[v]:
                through[v] = sigma[v]
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                step = 1.0 if not weighted else lengths[e]
                if dist[w] > dist[v] and _same(dist[v] + step, dist[w]):
                    if not member[v]:
                        avoid[w] += avoid[v]
                    if not member[w]:
                        through[w] += through[v]
        for i in range(reached - 1, -1, -1):  # backward: onward shares towards valid targets
            v = order[i]
            total = 0.0
            if target_of[v] >= 0 and target_of[v] != source_of[s] and not member[v]:
                total = 1.0 / sigma[v]
                share = through[v] / sigma[v]
                if share > 0.0:
                    key = s * n + v
                    if kept < top:
                        kept = _heap_push(best_values, best_keys, kept, share, key)
                    elif share > best_values[0]:
                        _, _, kept = _heap_pop(best_values, best_keys, kept)
                        kept = _heap_push(best_values, best_keys, kept, share, key)
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                step = 1.0 if not weighted else lengths[e]
                if dist[w] > dist[v] and _same(dist[v] + step, dist[w]):
                    total += onward[w]
            onward[v] = total
            if member[v]:
                credit[v] += avoid[v] * onward[v]
        reset(order, reached, dist, sigma, final)
    return credit, best_keys[:kept].copy(), best_values[:kept].copy()
