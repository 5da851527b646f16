"""Compiled kernels (Numba) for the Rademacher stopping rule: path samples with signed sums.

The same samples as :mod:`._kadabra` and :mod:`._kadabra_weighted` (the same
blocks, the same per-block path streams, so the same counts for the same
seed), and besides, for each sample i, ``trials`` Rademacher signs
sigma_{j,i} in {-1, +1} (j < trials <= 64): the bits of one SplitMix64
output of a second per-block stream, seeded from the block's index and the
base seed mixed with :data:`SIGN_SALT`. Every interior node v of sample i's
path adds sigma_{j,i} to ``signed[v, j]``, so that after k samples

    signed[v, j] = sum_i sigma_{j,i} f_v(x_i),   f_v(x_i) = [v inside path i],

the quantity whose maximum over v, averaged over j and divided by k, is the
Monte-Carlo empirical Rademacher average (see :mod:`._rademacher`). Signs are
drawn for every sample, with or without a path, so that sample i's signs do
not depend on the graph. Sums are integers (int32: at most the samples drawn),
so the lanes' sums do not depend on the order of addition: the same bytes
for any number of threads.
"""

from __future__ import annotations

import numpy as np

from ..base.jit import njit, parallel_allowed, prange  # numba.njit, with a cache folder that can be written
from . import _kadabra, _kadabra_weighted
from ._kadabra import _GAMMA, _mix, block_state, random_pair

#: Mixed into the base seed for the sign streams, so that they differ from the path streams.
SIGN_SALT = 0x2545_F491_4F6C_DD1D  # below 2**62: the mixed seed stays an int64


@njit(cache=True)
def _bits(state):
    """(next state, 64 random bits) of a SplitMix64 stream."""
    state = np.uint64(state) + _GAMMA
    return state, _mix(state)


@njit(cache=True)
def _add(counts, signed, path, length, bits, trials):
    for i in range(length):
        v = path[i]
        counts[v] += 1
        for j in range(trials):
            signed[v, j] += np.int32(((bits >> np.uint64(j)) & np.uint64(1)) * np.uint64(2)) - np.int32(1)


@njit(cache=True)
def _lane_hops(out_ptr, out_idx, in_ptr, in_idx, seed, sign_seed, first_block, n_blocks, block_size, trials, lane,
               lanes, counts, signed):
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
        signs = block_state(sign_seed, first_block + j)
        for _ in range(block_size):
            s, t, state = random_pair(n, state)
            length, state = _kadabra.sample_path(out_ptr, out_idx, in_ptr, in_idx, s, t, state, dist_s, dist_t,
                                                 sigma_s, sigma_t, queue_s, queue_t, meet, path)
            signs, bits = _bits(signs)
            _add(counts, signed, path, length, bits, trials)


@njit(cache=True)
def _lane_lengths(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, sign_seed, first_block, n_blocks,
                  block_size, trials, lane, lanes, counts, signed):
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
        signs = block_state(sign_seed, first_block + j)
        for _ in range(block_size):
            s, t, state = random_pair(n, state)
            length, state = _kadabra_weighted.sample_path(
                out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, s, t, state, dist_s, dist_t, sigma_s, sigma_t,
                final_s, final_t, touched_s, touched_t, settled_s, settled_t, keys_s, nodes_s, keys_t, nodes_t, path)
            signs, bits = _bits(signs)
            _add(counts, signed, path, length, bits, trials)


@njit(cache=True, parallel=True)
def _parallel_hops(out_ptr, out_idx, in_ptr, in_idx, seed, sign_seed, first_block, n_blocks, block_size, trials,
                   lanes):
    n = len(out_ptr) - 1
    counts = np.zeros((lanes, n), dtype=np.int64)
    signed = np.zeros((lanes, n, trials), dtype=np.int32)
    for lane in prange(lanes):
        _lane_hops(out_ptr, out_idx, in_ptr, in_idx, seed, sign_seed, first_block, n_blocks, block_size, trials,
                   lane, lanes, counts[lane], signed[lane])
    return _merge(counts, signed)


@njit(cache=True, parallel=True)
def _parallel_lengths(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, sign_seed, first_block, n_blocks,
                      block_size, trials, lanes):
    n = len(out_ptr) - 1
    counts = np.zeros((lanes, n), dtype=np.int64)
    signed = np.zeros((lanes, n, trials), dtype=np.int32)
    for lane in prange(lanes):
        _lane_lengths(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, sign_seed, first_block, n_blocks,
                      block_size, trials, lane, lanes, counts[lane], signed[lane])
    return _merge(counts, signed)


@njit(cache=True)
def _merge(counts, signed):
    """The lanes' sums (integers: the same whatever the lanes)."""
    total = counts[0].copy()
    total_signed = signed[0].copy()
    for lane in range(1, counts.shape[0]):
        total += counts[lane]
        total_signed += signed[lane]
    return total, total_signed


def sample_blocks(adjacency: tuple, seed: int, first_block: int, n_blocks: int, block_size: int, trials: int,
                  lanes: int) -> tuple[np.ndarray, np.ndarray]:
    """(counts, signed sums) of blocks ``first_block ..`` on hop counts (4 arrays) or lengths (6 arrays).

    ``counts`` (int64, n) are :func:`._kadabra.sample_blocks`' counts for the
    same arguments; ``signed`` (int32, n x trials) the signed sums. ``lanes``
    lanes run in parallel (1: serial); the results do not depend on it. A
    forked child of a process whose Numba pool had started runs serially.
    """
    if not 1 <= trials <= 64:
        raise ValueError(f"trials must be in 1..64, got {trials}")
    sign_seed = int(seed) ^ SIGN_SALT
    parallel = lanes > 1 and parallel_allowed()
    n = len(adjacency[0]) - 1
    if len(adjacency) == 4:
        if parallel:
            return _parallel_hops(*adjacency, seed, sign_seed, first_block, n_blocks, block_size, trials, lanes)
        counts, signed = np.zeros(n, dtype=np.int64), np.zeros((n, trials), dtype=np.int32)
        _lane_hops(*adjacency, seed, sign_seed, first_block, n_blocks, block_size, trials, 0, 1, counts, signed)
        return counts, signed
    out_ptr, out_idx, out_len, in_ptr, in_idx, in_len = adjacency
    if parallel:
        return _parallel_lengths(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, sign_seed, first_block,
                                 n_blocks, block_size, trials, lanes)
    counts, signed = np.zeros(n, dtype=np.int64), np.zeros((n, trials), dtype=np.int32)
    _lane_lengths(out_ptr, out_idx, out_len, in_ptr, in_idx, in_len, seed, sign_seed, first_block, n_blocks,
                  block_size, trials, 0, 1, counts, signed)
    return counts, signed


@njit(cache=True)
def group_maxima(counts, signed, group, groups):
    """Per group g: the largest count of its nodes, and per trial j the largest signed[v, j] of its nodes.

    Returns (top_count int64[groups], top_signed int64[groups, trials]); a
    group without nodes keeps top_count 0 and top_signed the int64 minimum.
    """
    trials = signed.shape[1]
    top_count = np.zeros(groups, dtype=np.int64)
    top_signed = np.full((groups, trials), np.iinfo(np.int64).min, dtype=np.int64)
    for v in range(len(counts)):
        g = group[v]
        if counts[v] > top_count[g]:
            top_count[g] = counts[v]
        for j in range(trials):
            if signed[v, j] > top_signed[g, j]:
                top_signed[g, j] = signed[v, j]
    return top_count, top_signed
