"""Compiled kernels (Numba) for shock propagation: DebtRank rounds over a CSR of the impact matrix.

The matrix W (docs/model.md#shock-propagation) is stored by provider: for
node j, ``col_idx[col_ptr[j]:col_ptr[j + 1]]`` are the actors i with
W[i, j] > 0 and ``col_w`` those weights, so that a distressed node passes its
impairment to its dependents by walking its own slice. ``own_ptr``/``own_idx``
list each actor's infrastructures (only with ``owner_impairs``): an
infrastructure is impaired as much as its owner, in the same round.

Rounds (Battiston et al. 2012): every node is undistressed, distressed or
inactive. The failed nodes start at h = 1, distressed, in round 1. In
round t every node i gains sum over j distressed in round t-1 of
W[i, j] h_j(t-1), capped at 1; the nodes distressed in round t-1 become
inactive; undistressed nodes with h > 0 become distressed in round t. It ends
when no node is distressed. Each node thus passes on its impairment once, at
the value it had when it was distressed.

A cascade touches only the nodes it reaches: ``h`` is reset through the list
of touched nodes, so one set of arrays serves every source
of a lane, and the values of a source do not depend on the lane or on the
number of lanes (the sums run in the same order).
"""

from __future__ import annotations

import numpy as np

from ..base.jit import njit, parallel_allowed, prange  # numba.njit, with a cache folder that can be written


@njit(cache=True)
def cascade(col_ptr, col_idx, col_w, own_ptr, own_idx, n_actors, failed, record, h, rnd, passed, touched):
    """Run the rounds from the ``failed`` nodes; returns (nodes touched, last round with a distressed node).

    On return ``h`` holds the impairment of the nodes ``touched[:count]``
    (all others 0) and, with ``record``, ``rnd`` the round in which each was
    first distressed; the caller reads them, then calls :func:`reset`.
    ``own_ptr`` has ``n_actors + 1`` entries (all 0 when infrastructures do
    not follow their owners); ``passed`` is scratch space.

    No state array is needed: a node is distressed in the round in which its
    h first becomes > 0 (it is undistressed before, inactive after), so the
    nodes touched in round t, in order, are the ones distressed in round t;
    ``touched[begin:end]`` is the current round's. The values they pass on,
    h(t-1), are kept in ``passed`` before the round adds to h in place (a
    node distressed in round t-1 may gain in round t). Adding in place sums
    h(t-1) + a_1 + a_2 + ... from the left, capping at 1 at each step: the
    same value as capping the sum once, as every term is > 0.
    """
    ties = len(own_idx) > 0
    count = 0
    for k in range(len(failed)):
        f = failed[k]
        if h[f] == 0.0:
            touched[count] = f
            count += 1
            h[f] = 1.0
        if f < n_actors:
            for e in range(own_ptr[f], own_ptr[f + 1]):
                x = own_idx[e]
                if h[x] == 0.0:
                    touched[count] = x
                    count += 1
                    h[x] = 1.0
    if record:
        for k in range(count):
            rnd[touched[k]] = 1
    begin, end = 0, count
    t = 1
    while end > begin:
        t += 1
        for k in range(begin, end):
            passed[k] = h[touched[k]]
        for k in range(begin, end):  # the nodes distressed in round t-1 pass on h(t-1), once
            j = touched[k]
            hj = passed[k]
            for e in range(col_ptr[j], col_ptr[j + 1]):
                i = col_idx[e]
                old = h[i]
                if old < 1.0:
                    value = old + col_w[e] * hj
                    if value > 1.0:
                        value = 1.0
                    h[i] = value
                    if old == 0.0 and value > 0.0:  # distressed in round t
                        touched[count] = i
                        count += 1
                        if record:
                            rnd[i] = t
                    if ties:  # an infrastructure is impaired as much as its owner
                        for q in range(own_ptr[i], own_ptr[i + 1]):
                            x = own_idx[q]
                            if h[x] < value:
                                if h[x] == 0.0:
                                    touched[count] = x
                                    count += 1
                                    if record:
                                        rnd[x] = t
                                h[x] = value
        begin, end = end, count
    return count, t - 1


@njit(cache=True)
def reset(h, touched, count):
    """Zero ``h`` on the touched nodes."""
    for k in range(count):
        h[touched[k]] = 0.0


@njit(cache=True)
def impaired_share(value, n_actors, h, touched, count):
    """sum of value[i] h[i] over the touched actors, in the order touched."""
    total = 0.0
    for k in range(count):
        i = touched[k]
        if i < n_actors:
            total += value[i] * h[i]
    return total


@njit(cache=True)
def _lane(col_ptr, col_idx, col_w, own_ptr, own_idx, n_actors, value, sources, lane, lanes, out):
    """Sources ``lane, lane + lanes, ...``: each one alone fails; its impaired share into ``out``."""
    n = len(col_ptr) - 1
    h = np.zeros(n)
    passed = np.empty(n)
    touched = np.empty(n, dtype=np.int32)
    rnd = np.zeros(1, dtype=np.int32)
    failed = np.empty(1, dtype=np.int64)
    for s in range(lane, len(sources), lanes):
        failed[0] = sources[s]
        count, _ = cascade(col_ptr, col_idx, col_w, own_ptr, own_idx, n_actors, failed, False, h, rnd, passed,
                           touched)
        out[s] = impaired_share(value, n_actors, h, touched, count)
        reset(h, touched, count)


@njit(cache=True, parallel=True)
def _lanes_parallel(col_ptr, col_idx, col_w, own_ptr, own_idx, n_actors, value, sources, lanes, out):
    for lane in prange(lanes):
        _lane(col_ptr, col_idx, col_w, own_ptr, own_idx, n_actors, value, sources, lane, lanes, out)


def each_alone(col_ptr, col_idx, col_w, own_ptr, own_idx, n_actors, value, sources, lanes):
    """The impaired share when each of ``sources`` alone fails (with its infrastructures, per ``own_*``).

    ``lanes`` lanes run in parallel on Numba's threads (1: serial, no thread
    start-up); the values are the same for any number.
    """
    out = np.zeros(len(sources))
    if len(sources) == 0:
        return out
    lanes = max(1, min(int(lanes), len(sources)))
    if lanes > 1 and parallel_allowed():  # not in a fork child (base/jit.py)
        _lanes_parallel(col_ptr, col_idx, col_w, own_ptr, own_idx, n_actors, value, sources, lanes, out)
    else:
        _lane(col_ptr, col_idx, col_w, own_ptr, own_idx, n_actors, value, sources, 0, 1, out)
    return out


def run_once(col_ptr, col_idx, col_w, own_ptr, own_idx, n_actors, failed):
    """One cascade from ``failed``: (h, round first distressed or 0, last round), arrays over all nodes."""
    n = len(col_ptr) - 1
    h = np.zeros(n)
    rnd = np.zeros(n, dtype=np.int32)
    _, rounds = cascade(col_ptr, col_idx, col_w, own_ptr, own_idx, n_actors, np.asarray(failed, dtype=np.int64),
                        True, h, rnd, np.empty(n), np.empty(n, dtype=np.int32))
    return h, rnd, int(rounds)
