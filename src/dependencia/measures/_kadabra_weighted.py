"""Compiled kernels (Numba) for adaptive sampling of shortest paths on graphs with lengths.

The weighted counterpart of :mod:`._kadabra` (same samples, same random
streams, same blocks): one sample is a uniform ordered pair (s, t), s != t,
and one shortest s-t path drawn uniformly among all of them; the interior
nodes of that path gain one count each.

The path is found by a balanced bidirectional Dijkstra: a forward search from
s over out-edges and a backward one from t over in-edges, each settling one
node at a time, always the side that has scanned fewer edges. ``best`` is the
shortest s-t length through an edge (u, v) with u settled forward and v
settled backward (looked at when the second of the two is settled). The
search stops when the two heaps' smallest keys add up to more than ``best``
(not tied with it) or one heap runs dry. Then every node x of a shortest path
is settled on one side at least (else d(s, x) >= top_s and d(x, t) >= top_t,
so the path is longer than best), and the nodes settled backward on a
shortest path form a suffix of it. That suffix never holds s: when s tops the
backward heap at key d(s, t), best is already d(s, t) (the path's first edge
joins s, settled forward first, to a node settled backward before s) and
top_s > 0, so the search has stopped. So every shortest path has exactly one
edge (u, v) with u not settled backward (so settled forward) and v settled
backward, and the shortest paths split by that edge: sigma_st = sum over such
edges on a shortest path of sigma_su * sigma_vt. A path is drawn by picking
the edge with probability sigma_su sigma_vt / sigma_st, then walking back from
u to s choosing each predecessor p with probability sigma_sp / sigma_s(current),
and on from v to t likewise: every shortest path has probability 1 / sigma_st.

Lengths equal within a relative 1e-10 are tied (:data:`._kernels.TIE_EPSILON`,
igraph's rule, as in exact betweenness). Lengths must be positive.
"""

from __future__ import annotations

import numpy as np

from ..base.jit import njit, parallel_allowed, prange  # numba.njit, with a cache folder that can be written
from ._kadabra import _uniform, block_state, random_pair
from ._kernels import _heap_pop, _heap_push, _same


@njit(cache=True)
def _clean(keys, nodes, size, final):
    """Drop heap entries of settled nodes from the top; returns the new size."""
    while size > 0 and final[nodes[0]]:
        _, _, size = _heap_pop(keys, nodes, size)
    return size


@njit(cache=True)
def _settle(ptr, idx, lengths, keys, nodes, size, dist, sigma, final, touched, n_touched, settled, n_settled,
            other_dist, other_final, best):
    """Settle one search's nearest node; returns (heap size, touched, settled, edges scanned, best)."""
    _, x, size = _heap_pop(keys, nodes, size)
    final[x] = True
    settled[n_settled] = x
    n_settled += 1
    for e in range(ptr[x], ptr[x + 1]):
        y = idx[e]
        candidate = dist[x] + lengths[e]
        if other_final[y] and candidate + other_dist[y] < best:
            best = candidate + other_dist[y]
        if final[y]:
            continue
        if dist[y] == np.inf:
            touched[n_touched] = y
            n_touched += 1
            dist[y] = candidate
            sigma[y] = sigma[x]
            size = _heap_push(keys, nodes, size, candidate, y)
        elif _same(candidate, dist[y]):
            sigma[y] += sigma[x]
        elif candidate < dist[y]:
            dist[y] = candidate
            sigma[y] = sigma[x]
            size = _heap_push(keys, nodes, size, candidate, y)
    return size, n_touched, n_settled, ptr[x + 1] - ptr[x], best


@njit(cache=True)
def _step(ptr, idx, lengths, node, dist, sigma, final, state):
    """A neighbour of ``node`` one edge closer to its search's root on a shortest path, drawn by path counts."""
    state, u = _uniform(state)
    r = u * sigma[node]
    acc = 0.0
    chosen = -1
    for e in range(ptr[node], ptr[node + 1]):
        y = idx[e]
        if final[y] and _same(dist[y] + lengths[e], dist[node]):
            chosen = y
            acc += sigma[y]
            if acc > r:
                break
    return chosen, state


@njit(cache=True)
def _walk(ptr, idx, lengths, node, root, dist, sigma, final, state, path, length):
    """Walk from ``node`` to ``root`` over one search's shortest-path DAG, writing the nodes before root."""
    while node != root:
        node, state = _step(ptr, idx, lengths, node, dist, sigma, final, state)
        if node != root:
            path[length] = node
            length += 1
    return length, state


@njit(cache=True)
def _meeting_edge(out_ptr, out_idx, out_len, settled_s, n_settled, dist_s, sigma_s, dist_t, sigma_t, final_t,
                  best, r):
    """The edge (u, v) at which the cumulative sigma_su sigma_vt first exceeds ``r``; r < 0: the total."""
    acc = 0.0
    last_u, last_v = -1, -1
    for i in range(n_settled):
        u = settled_s[i]
        if final_t[u]:
            continue
        for e in range(out_ptr[u], out_ptr[u + 1]):
            v = out_idx[e]
            if final_t[v] and _same(dist_s[u] + out_len[e] + dist_t[v], best):
                acc += sigma_s[u] * sigma_t[v]
                last_u, last_v = u, v
                if r >= 0.0 and acc > r:
                    return acc, u, v
    return acc, last_u, last_v


@njit(cache=True)
def sample_path(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, s, t, state, dist_s, dist_t, sigma_s, sigma_t,
                final_s, final_t, touched_s, touched_t, settled_s, settled_t, keys_s, nodes_s, keys_t, nodes_t,
                path):
    """Draw one uniform shortest s-t path; returns (interior nodes written to ``path``, new state).

    On entry ``dist_s`` and ``dist_t`` are +inf, ``sigma_*`` 0 and ``final_*``
    False everywhere; they are restored on exit. The heaps hold m + 1 entries.
    """
    dist_s[s] = 0.0
    sigma_s[s] = 1.0
    touched_s[0] = s
    dist_t[t] = 0.0
    sigma_t[t] = 1.0
    touched_t[0] = t
    size_s = _heap_push(keys_s, nodes_s, 0, 0.0, s)
    size_t = _heap_push(keys_t, nodes_t, 0, 0.0, t)
    n_touched_s, n_touched_t, n_settled_s, n_settled_t = 1, 1, 0, 0
    best = np.inf
    # both roots first, so that every later scan sees the other side's root as settled
    size_s, n_touched_s, n_settled_s, work_s, best = _settle(
        out_ptr, out_idx, out_len, keys_s, nodes_s, size_s, dist_s, sigma_s, final_s, touched_s, n_touched_s,
        settled_s, n_settled_s, dist_t, final_t, best)
    size_t, n_touched_t, n_settled_t, work_t, best = _settle(
        in_ptr, in_idx, in_len, keys_t, nodes_t, size_t, dist_t, sigma_t, final_t, touched_t, n_touched_t,
        settled_t, n_settled_t, dist_s, final_s, best)
    while True:
        size_s = _clean(keys_s, nodes_s, size_s, final_s)
        size_t = _clean(keys_t, nodes_t, size_t, final_t)
        if size_s == 0 or size_t == 0:
            break
        reach = keys_s[0] + keys_t[0]
        if reach > best and not _same(reach, best):
            break
        if work_s <= work_t:
            size_s, n_touched_s, n_settled_s, work, best = _settle(
                out_ptr, out_idx, out_len, keys_s, nodes_s, size_s, dist_s, sigma_s, final_s, touched_s,
                n_touched_s, settled_s, n_settled_s, dist_t, final_t, best)
            work_s += work
        else:
            size_t, n_touched_t, n_settled_t, work, best = _settle(
                in_ptr, in_idx, in_len, keys_t, nodes_t, size_t, dist_t, sigma_t, final_t, touched_t,
                n_touched_t, settled_t, n_settled_t, dist_s, final_s, best)
            work_t += work
    length = 0
    if best < np.inf:
        total, _, _ = _meeting_edge(out_ptr, out_idx, out_len, settled_s, n_settled_s, dist_s, sigma_s, dist_t,
                                    sigma_t, final_t, best, -1.0)
        state, u = _uniform(state)
        _, a, b = _meeting_edge(out_ptr, out_idx, out_len, settled_s, n_settled_s, dist_s, sigma_s, dist_t, sigma_t,
                                final_t, best, u * total)
        if a != s:
            path[length] = a
            length += 1
        length, state = _walk(in_ptr, in_idx, in_len, a, s, dist_s, sigma_s, final_s, state, path, length)
        if b != t:
            path[length] = b
            length += 1
        length, state = _walk(out_ptr, out_idx, out_len, b, t, dist_t, sigma_t, final_t, state, path, length)
    _reset(touched_s, n_touched_s, dist_s, sigma_s, final_s)
    _reset(touched_t, n_touched_t, dist_t, sigma_t, final_t)
    return length, state


@njit(cache=True)
def _reset(touched, n_touched, dist, sigma, final):
    for i in range(n_touched):
        v = touched[i]
        dist[v] = np.inf
        sigma[v] = 0.0
        final[v] = False


def sample_blocks(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, first_block, n_blocks, block_size,
                  lanes):
    """Interior-node counts of ``n_blocks * block_size`` sampled paths (see :func:`._kadabra.sample_blocks`)."""
    if lanes > 1 and parallel_allowed():  # not in a fork child (base/jit.py)
        return _blocks_parallel(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, first_block, n_blocks,
                                block_size, lanes)
    counts = np.zeros(len(out_ptr) - 1, dtype=np.int64)
    _lane(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, first_block, n_blocks, block_size, 0, 1, counts)
    return counts


@njit(cache=True, parallel=True)
def _blocks_parallel(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, first_block, n_blocks, block_size,
                     lanes):
    n = len(out_ptr) - 1
    counts = np.zeros((lanes, n), dtype=np.int64)
    for lane in prange(lanes):
        _lane(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, first_block, n_blocks, block_size, lane,
              lanes, counts[lane])
    total = np.zeros(n, dtype=np.int64)
    for lane in range(lanes):
        for v in range(n):
            total[v] += counts[lane, v]
    return total


@njit(cache=True)
def _lane(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, first_block, n_blocks, block_size, lane, lanes,
          counts):
    """Blocks ``lane, lane + lanes, ...`` of ``n_blocks``, added into ``counts``."""
    n = len(out_ptr) - 1
    m = len(out_idx)
    dist_s = np.full(n, np.inf)
    dist_t = np.full(n, np.inf)
    sigma_s = np.zeros(n)
    sigma_t = np.zeros(n)
    final_s = np.zeros(n, dtype=np.bool_)
    final_t = np.zeros(n, dtype=np.bool_)
    touched_s = np.empty(n, dtype=np.int64)
    touched_t = np.empty(n, dtype=np.int64)
    settled_s = np.empty(n, dtype=np.int64)
    settled_t = np.empty(n, dtype=np.int64)
    keys_s = np.empty(m + 1)
    keys_t = np.empty(m + 1)
    nodes_s = np.empty(m + 1, dtype=np.int64)
    nodes_t = np.empty(m + 1, dtype=np.int64)
    path = np.empty(n, dtype=np.int64)
    for j in range(lane, n_blocks, lanes):
        state = block_state(seed, first_block + j)
        for _ in range(block_size):
            s, t, state = random_pair(n, state)
            length, state = sample_path(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, s, t, state, dist_s,
                                        dist_t, sigma_s, sigma_t, final_s, final_t, touched_s, touched_t, settled_s,
                                        settled_t, keys_s, nodes_s, keys_t, nodes_t, path)
            for i in range(length):
                counts[path[i]] += 1


@njit(cache=True)
def component_radii(ptr, idx, lengths, membership, roots):
    """For each root, the largest distance (by length) it reaches without leaving its component."""
    n = len(ptr) - 1
    dist = np.full(n, np.inf)
    final = np.zeros(n, dtype=np.bool_)
    touched = np.empty(n, dtype=np.int64)
    keys = np.empty(len(idx) + 1)
    nodes = np.empty(len(idx) + 1, dtype=np.int64)
    far = np.zeros(len(roots))
    for k in range(len(roots)):
        root = roots[k]
        component = membership[root]
        dist[root] = 0.0
        touched[0] = root
        n_touched = 1
        size = _heap_push(keys, nodes, 0, 0.0, root)
        while size > 0:
            d, x, size = _heap_pop(keys, nodes, size)
            if final[x]:
                continue
            final[x] = True
            far[k] = d
            for e in range(ptr[x], ptr[x + 1]):
                y = idx[e]
                if membership[y] != component or final[y]:
                    continue
                candidate = d + lengths[e]
                if dist[y] == np.inf:
                    touched[n_touched] = y
                    n_touched += 1
                if candidate < dist[y]:
                    dist[y] = candidate
                    size = _heap_push(keys, nodes, size, candidate, y)
        for i in range(n_touched):
            dist[touched[i]] = np.inf
            final[touched[i]] = False
    return far
