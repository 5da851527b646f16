"""Compiled kernels (Numba) for adaptive path sampling of GROUP betweenness over pairs of actors.

The group counterpart of :mod:`._kadabra` and :mod:`._kadabra_weighted` (whose
path samplers, random streams and blocks it reuses): one sample is a uniform
ordered pair (s, t) of distinct ACTORS (graph nodes ``0 .. n_actors - 1``,
the only ends a path has in actor power and on the routed graph), and one
shortest s-t path of the whole graph drawn uniformly among all of them (none
when t is out of s's reach). A group gains one count when some interior
node of the path belongs to it and neither s nor t does: a path crossing
several of its nodes counts once, and a pair with an end in the group never
counts for it (docs/model.md#actor-power: pairs s, t outside C(a)).

Group membership is a CSR over the graph's nodes (``group_ptr``,
``group_nodes``: node v's groups are ``group_nodes[group_ptr[v]:group_ptr[v+1]]``);
groups may overlap or nest (a parent's controlled set holds its subsidiary's).
Each sample stamps the groups it has dealt with by its number, so that a
group is credited at most once per sample, in time linear in the path's
memberships.

Block ``b``'s samples come from SplitMix64 stream ``block_state(seed, b)``
whichever lane or worker draws it, and counts are integers, so the counts
are the same for any number of threads or workers.
"""

from __future__ import annotations

import numpy as np

from ..base.jit import njit, parallel_allowed, prange  # numba.njit, with a cache folder that can be written
from . import _kadabra, _kadabra_weighted
from ._kadabra import block_state, random_pair


@njit(cache=True)
def _credit(s, t, path, length, group_ptr, group_nodes, stamp, mark, counts):
    """Add one to every group met by an interior node of ``path`` that holds neither s nor t."""
    for i in range(group_ptr[s], group_ptr[s + 1]):
        stamp[group_nodes[i]] = mark
    for i in range(group_ptr[t], group_ptr[t + 1]):
        stamp[group_nodes[i]] = mark
    for j in range(length):
        v = path[j]
        for i in range(group_ptr[v], group_ptr[v + 1]):
            g = group_nodes[i]
            if stamp[g] != mark:
                stamp[g] = mark
                counts[g] += 1


@njit(cache=True)
def _lane_hops(out_ptr, out_idx, in_ptr, in_idx, n_actors, group_ptr, group_nodes, seed, first_block, n_blocks,
               block_size, lane, lanes, counts):
    """Blocks ``lane, lane + lanes, ...`` of ``n_blocks`` on hop counts, added into ``counts``."""
    n = len(out_ptr) - 1
    dist_s = np.full(n, -1, dtype=np.int32)
    dist_t = np.full(n, -1, dtype=np.int32)
    sigma_s = np.zeros(n)
    sigma_t = np.zeros(n)
    queue_s = np.empty(n, dtype=np.int64)
    queue_t = np.empty(n, dtype=np.int64)
    meet = np.empty(n, dtype=np.int64)
    path = np.empty(n, dtype=np.int64)
    stamp = np.full(len(counts), -1, dtype=np.int64)
    for j in range(lane, n_blocks, lanes):
        block = first_block + j
        state = block_state(seed, block)
        for k in range(block_size):
            s, t, state = random_pair(n_actors, state)
            length, state = _kadabra.sample_path(out_ptr, out_idx, in_ptr, in_idx, s, t, state, dist_s, dist_t,
                                                 sigma_s, sigma_t, queue_s, queue_t, meet, path)
            _credit(s, t, path, length, group_ptr, group_nodes, stamp, block * block_size + k, counts)


@njit(cache=True)
def _lane_lengths(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, n_actors, group_ptr, group_nodes, seed,
                  first_block, n_blocks, block_size, lane, lanes, counts):
    """Blocks ``lane, lane + lanes, ...`` of ``n_blocks`` on lengths, added into ``counts``."""
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
    stamp = np.full(len(counts), -1, dtype=np.int64)
    for j in range(lane, n_blocks, lanes):
        block = first_block + j
        state = block_state(seed, block)
        for k in range(block_size):
            s, t, state = random_pair(n_actors, state)
            length, state = _kadabra_weighted.sample_path(
                out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, s, t, state, dist_s, dist_t, sigma_s, sigma_t,
                final_s, final_t, touched_s, touched_t, settled_s, settled_t, keys_s, nodes_s, keys_t, nodes_t, path)
            _credit(s, t, path, length, group_ptr, group_nodes, stamp, block * block_size + k, counts)


@njit(cache=True, parallel=True)
def _parallel_hops(out_ptr, out_idx, in_ptr, in_idx, n_actors, group_ptr, group_nodes, n_groups, seed, first_block,
                   n_blocks, block_size, lanes):
    counts = np.zeros((lanes, n_groups), dtype=np.int64)
    for lane in prange(lanes):
        _lane_hops(out_ptr, out_idx, in_ptr, in_idx, n_actors, group_ptr, group_nodes, seed, first_block, n_blocks,
                   block_size, lane, lanes, counts[lane])
    return _lane_sum(counts)


@njit(cache=True, parallel=True)
def _parallel_lengths(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, n_actors, group_ptr, group_nodes, n_groups,
                      seed, first_block, n_blocks, block_size, lanes):
    counts = np.zeros((lanes, n_groups), dtype=np.int64)
    for lane in prange(lanes):
        _lane_lengths(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, n_actors, group_ptr, group_nodes, seed,
                      first_block, n_blocks, block_size, lane, lanes, counts[lane])
    return _lane_sum(counts)


@njit(cache=True)
def _lane_sum(counts):
    total = np.zeros(counts.shape[1], dtype=np.int64)
    for lane in range(counts.shape[0]):
        for g in range(counts.shape[1]):
            total[g] += counts[lane, g]
    return total


def sample_blocks(adjacency: tuple, n_actors: int, group_ptr: np.ndarray, group_nodes: np.ndarray, n_groups: int,
                  seed: int, first_block: int, n_blocks: int, block_size: int, lanes: int) -> np.ndarray:
    """Per group, the samples of blocks ``first_block ..`` (``n_blocks`` of ``block_size``) that credit it.

    ``adjacency`` is :func:`.adaptive._adjacency`'s tuple: 4 arrays on hop
    counts, 6 with lengths. ``lanes`` lanes run in parallel (1: serial); the
    counts are the same for any number, as in :func:`._kadabra.sample_blocks`
    (and, as there, a forked child of a process whose thread pool has
    started runs serially).
    """
    parallel = lanes > 1 and parallel_allowed()
    if len(adjacency) == 4:
        out_ptr, out_idx, in_ptr, in_idx = adjacency
        if parallel:
            return _parallel_hops(out_ptr, out_idx, in_ptr, in_idx, n_actors, group_ptr, group_nodes, n_groups, seed,
                                  first_block, n_blocks, block_size, lanes)
        counts = np.zeros(n_groups, dtype=np.int64)
        _lane_hops(out_ptr, out_idx, in_ptr, in_idx, n_actors, group_ptr, group_nodes, seed, first_block, n_blocks,
                   block_size, 0, 1, counts)
        return counts
    out_ptr, out_idx, out_len, in_ptr, in_idx, in_len = adjacency
    if parallel:
        return _parallel_lengths(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, n_actors, group_ptr, group_nodes,
                                 n_groups, seed, first_block, n_blocks, block_size, lanes)
    counts = np.zeros(n_groups, dtype=np.int64)
    _lane_lengths(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, n_actors, group_ptr, group_nodes, seed,
                  first_block, n_blocks, block_size, 0, 1, counts)
    return counts


@njit(cache=True)
def all_within(counts, samples, omega, log_inv_delta, bounds):
    """KADABRA's stopping test with a bound per group: True when f <= bounds[g] and g <= bounds[g] for all g.

    The test of :func:`._kadabra.all_within` (f and g as there), where each
    group has its own largest error ``bounds[g]`` (its epsilon on the
    normalized scale divided by its rescale factor); +inf: no condition.
    """
    ratio = omega / samples
    low = 1.0 / 3.0 - ratio
    high = 1.0 / 3.0 + ratio
    for v in range(len(counts)):
        bound = bounds[v]
        if bound == np.inf:
            continue
        b = counts[v] / samples
        spread = log_inv_delta[v]
        root = 2.0 * b * omega / spread
        f = min(b, spread / samples * (low + np.sqrt(low * low + root)))
        g = min(1.0 - b, spread / samples * (high + np.sqrt(high * high + root)))
        if f > bound or g > bound:
            return False
    return True
