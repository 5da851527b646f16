"""Compiled kernels (Numba) for adaptive sampling of shortest paths (KADABRA).

One sample is a uniform ordered pair (s, t), s != t, and, when t is reachable
from s, one shortest s-t path drawn uniformly among all of them; the interior
nodes of that path (s and t excluded) each gain one count.

The path is found by a balanced bidirectional breadth-first search (Borassi
and Natale 2016): a forward search from s over out-edges and a backward one
from t over in-edges, each grown one whole level at a time, always the side
whose frontier has the smaller degree sum (its next level's cost). Both balls
are complete up to their depth a (from s) and b (to t). While they do not
meet, d(s, t) > a + b; the first level that brings them together (say s's,
to depth a + 1) gives d(s, t) = a + 1 + b, and its nodes that the other ball
holds are exactly the nodes w at position a + 1 of the shortest paths, each
path passing exactly one. So sigma_st = sum over them of sigma_sw * sigma_wt.
A path is drawn by picking w with probability sigma_sw sigma_wt / sigma_st,
then walking back to s, choosing each predecessor p with probability
sigma_sp / sigma_s(current), and on to t likewise: every shortest path has
probability 1 / sigma_st. A side whose frontier has no edges left ends the
search: t is out of s's reach and the sample counts for nobody.

Randomness is a SplitMix64 stream per block of samples, seeded from the
block's index and a base seed, so that a block's counts do not depend on
which thread draws it; counts are integers, so their sum does not depend on
the order of addition either. Path counts are float64 (exact below 2**53).
"""

from __future__ import annotations

import numpy as np

from ..base.jit import njit, parallel_allowed, prange  # numba.njit, with a cache folder that can be written

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@njit(cache=True)
def _mix(z):
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def _uniform(state):
    """(next state, a float uniform in [0, 1)) of a SplitMix64 stream."""
    state = np.uint64(state) + _GAMMA  # uint64 throughout: mixed with int64, Numba would go to float
    return state, np.float64(_mix(state) >> np.uint64(11)) * _TO_UNIT


@njit(cache=True)
def block_state(seed, block):
    """The starting state of block ``block``'s stream under base ``seed``."""
    return _mix(np.uint64(seed) ^ _mix(np.uint64(block) * _GAMMA + _GAMMA))


@njit(cache=True)
def _grow(ptr, idx, queue, lo, hi, size, dist, sigma, other_dist, meet):
    """Add the next level of one search; returns (new size, its degree sum, meeting nodes found)."""
    level = dist[queue[lo]] + 1
    degree = 0
    found = 0
    for i in range(lo, hi):
        x = queue[i]
        for e in range(ptr[x], ptr[x + 1]):
            y = idx[e]
            if dist[y] < 0:
                dist[y] = level
                sigma[y] = sigma[x]
                queue[size] = y
                size += 1
                degree += ptr[y + 1] - ptr[y]
                if other_dist[y] >= 0:
                    meet[found] = y
                    found += 1
            elif dist[y] == level:
                sigma[y] += sigma[x]
    return size, degree, found


@njit(cache=True)
def _step(ptr, idx, node, dist, sigma, state):
    """A neighbour of ``node`` one level closer to its search's root, drawn by path counts."""
    target = dist[node] - 1
    state, u = _uniform(state)
    r = u * sigma[node]
    acc = 0.0
    chosen = -1
    for e in range(ptr[node], ptr[node + 1]):
        y = idx[e]
        if dist[y] == target:
            chosen = y
            acc += sigma[y]
            if acc > r:
                break
    return chosen, state


@njit(cache=True)
def sample_path(out_ptr, out_idx, in_ptr, in_idx, s, t, state, dist_s, dist_t, sigma_s, sigma_t, queue_s,
                queue_t, meet, path):
    """Draw one uniform shortest s-t path; returns (interior nodes written to ``path``, new state).

    On entry ``dist_s`` and ``dist_t`` are -1 everywhere; they are restored on exit.
    """
    dist_s[s] = 0
    sigma_s[s] = 1.0
    queue_s[0] = s
    lo_s, hi_s, size_s = 0, 1, 1
    degree_s = out_ptr[s + 1] - out_ptr[s]
    dist_t[t] = 0
    sigma_t[t] = 1.0
    queue_t[0] = t
    lo_t, hi_t, size_t = 0, 1, 1
    degree_t = in_ptr[t + 1] - in_ptr[t]
    found = 0
    while found == 0 and degree_s > 0 and degree_t > 0:
        if degree_s <= degree_t:
            size_s, degree_s, found = _grow(out_ptr, out_idx, queue_s, lo_s, hi_s, size_s, dist_s, sigma_s,
                                            dist_t, meet)
            lo_s, hi_s = hi_s, size_s
        else:
            size_t, degree_t, found = _grow(in_ptr, in_idx, queue_t, lo_t, hi_t, size_t, dist_t, sigma_t,
                                            dist_s, meet)
            lo_t, hi_t = hi_t, size_t
    length = 0
    if found > 0:
        total = 0.0
        for i in range(found):
            total += sigma_s[meet[i]] * sigma_t[meet[i]]
        state, u = _uniform(state)
        r = u * total
        acc = 0.0
        w = meet[found - 1]
        for i in range(found):
            acc += sigma_s[meet[i]] * sigma_t[meet[i]]
            if acc > r:
                w = meet[i]
                break
        if w != s and w != t:
            path[length] = w
            length += 1
        node = w
        while dist_s[node] > 0:  # back to s over in-edges
            node, state = _step(in_ptr, in_idx, node, dist_s, sigma_s, state)
            if node != s:
                path[length] = node
                length += 1
        node = w
        while dist_t[node] > 0:  # on to t over out-edges
            node, state = _step(out_ptr, out_idx, node, dist_t, sigma_t, state)
            if node != t:
                path[length] = node
                length += 1
    for i in range(size_s):
        dist_s[queue_s[i]] = -1
    for i in range(size_t):
        dist_t[queue_t[i]] = -1
    return length, state


@njit(cache=True)
def random_pair(n, state):
    """A uniform ordered pair of distinct nodes of 0..n-1, and the new state."""
    state, u = _uniform(state)
    s = np.int64(u * n)
    state, u = _uniform(state)
    t = np.int64(u * (n - 1))
    if t >= s:
        t += 1
    return s, t, state


def sample_blocks(out_ptr, out_idx, in_ptr, in_idx, seed, first_block, n_blocks, block_size, lanes):
    """Interior-node counts of ``n_blocks * block_size`` sampled paths.

    Block ``first_block + j`` draws ``block_size`` samples from its own
    stream. ``lanes`` lanes run in parallel (one per thread; 1: serial, no
    thread start-up), lane i taking blocks ``i, i + lanes, ...`` with a
    workspace of its own; the counts are the same for any number of lanes.

    A forked child of a process whose Numba thread pool had started runs
    serially: GNU OpenMP, Numba's usual pool, kills a forked child that
    starts a parallel region ("fork() called from a process already using
    GNU OpenMP").
    """
    if lanes > 1 and parallel_allowed():  # not in a fork child (base/jit.py)
        return _blocks_parallel(out_ptr, out_idx, in_ptr, in_idx, seed, first_block, n_blocks, block_size, lanes)
    counts = np.zeros(len(out_ptr) - 1, dtype=np.int64)
    _lane(out_ptr, out_idx, in_ptr, in_idx, seed, first_block, n_blocks, block_size, 0, 1, counts)
    return counts


@njit(cache=True, parallel=True)
def _blocks_parallel(out_ptr, out_idx, in_ptr, in_idx, seed, first_block, n_blocks, block_size, lanes):
    n = len(out_ptr) - 1
    counts = np.zeros((lanes, n), dtype=np.int64)
    for lane in prange(lanes):
        _lane(out_ptr, out_idx, in_ptr, in_idx, seed, first_block, n_blocks, block_size, lane, lanes, counts[lane])
    total = np.zeros(n, dtype=np.int64)
    for lane in range(lanes):
        for v in range(n):
            total[v] += counts[lane, v]
    return total


@njit(cache=True)
def _lane(out_ptr, out_idx, in_ptr, in_idx, seed, first_block, n_blocks, block_size, lane, lanes, counts):
    """Blocks ``lane, lane + lanes, ...`` of ``n_blocks``, added into ``counts``."""
    n = len(out_ptr) - 1
    dist_s = np.full(n, -1, dtype=np.int32)
    dist_t = np.full(n, -1, dtype=np.int32)
    sigma_s = np.zeros(n)
    sigma_t = np.zeros(n)
    queue_s = np.empty(n, dtype=np.int64)
    queue_t = np.empty(n, dtype=np.int64)
    meet = np.empty(n, dtype=np.int64)
    path = np.empty(n, dtype=np.int64)
    for j in range(lane, n_blocks, lanes):
        state = block_state(seed, first_block + j)
        for _ in range(block_size):
            s, t, state = random_pair(n, state)
            length, state = sample_path(out_ptr, out_idx, in_ptr, in_idx, s, t, state, dist_s, dist_t, sigma_s,
                                        sigma_t, queue_s, queue_t, meet, path)
            for i in range(length):
                counts[path[i]] += 1


@njit(cache=True)
def all_within(counts, samples, omega, log_inv_delta, bound):
    """KADABRA's stopping test: True when f and g are at most ``bound`` for every node.

    With b = counts[v] / samples, L = log_inv_delta[v], w = omega, k = samples:
    f = (L / k) (1/3 - w/k + sqrt((1/3 - w/k)^2 + 2 b w / L)), capped at b;
    g = (L / k) (1/3 + w/k + sqrt((1/3 + w/k)^2 + 2 b w / L)), capped at 1 - b.
    """
    ratio = omega / samples
    low = 1.0 / 3.0 - ratio
    high = 1.0 / 3.0 + ratio
    for v in range(len(counts)):
        b = counts[v] / samples
        spread = log_inv_delta[v]
        root = 2.0 * b * omega / spread
        f = min(b, spread / samples * (low + np.sqrt(low * low + root)))
        g = min(1.0 - b, spread / samples * (high + np.sqrt(high * high + root)))
        if f > bound or g > bound:
            return False
    return True


@njit(cache=True)
def component_eccentricities(ptr, idx, membership, roots):
    """For each root, the largest hop distance it reaches without leaving its component."""
    n = len(ptr) - 1
    dist = np.full(n, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    far = np.zeros(len(roots), dtype=np.int64)
    for k in range(len(roots)):
        root = roots[k]
        component = membership[root]
        dist[root] = 0
        queue[0] = root
        head, tail = 0, 1
        while head < tail:
            x = queue[head]
            head += 1
            for e in range(ptr[x], ptr[x + 1]):
                y = idx[e]
                if dist[y] < 0 and membership[y] == component:
                    dist[y] = dist[x] + 1
                    far[k] = dist[y]
                    queue[tail] = y
                    tail += 1
        for i in range(tail):
            dist[queue[i]] = -1
    return far


@njit(cache=True)
def heaviest_path(weight, source, target):
    """The largest sum of node weights along a path of a DAG given by its edges; -1 if it has a cycle."""
    k = len(weight)
    ptr = np.zeros(k + 1, dtype=np.int64)
    indegree = np.zeros(k, dtype=np.int64)
    for e in range(len(source)):
        ptr[source[e] + 1] += 1
        indegree[target[e]] += 1
    for c in range(k):
        ptr[c + 1] += ptr[c]
    fill = ptr[:-1].copy()
    nxt = np.empty(len(source), dtype=np.int64)
    for e in range(len(source)):
        nxt[fill[source[e]]] = target[e]
        fill[source[e]] += 1
    best = weight.copy()
    queue = np.empty(k, dtype=np.int64)
    tail = 0
    for c in range(k):
        if indegree[c] == 0:
            queue[tail] = c
            tail += 1
    head = 0
    while head < tail:
        c = queue[head]
        head += 1
        for e in range(ptr[c], ptr[c + 1]):
            d = nxt[e]
            if best[c] + weight[d] > best[d]:
                best[d] = best[c] + weight[d]
            indegree[d] -= 1
            if indegree[d] == 0:
                queue[tail] = d
                tail += 1
    if tail < k:
        return -1
    result = 0
    for c in range(k):
        if best[c] > result:
            result = best[c]
    return result
