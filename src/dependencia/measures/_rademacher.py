"""Stopping adaptive path sampling by Monte-Carlo empirical Rademacher averages (MCERA).

The samples are :mod:`.adaptive`'s (uniform pairs, one uniform shortest path
each); node v's function is f_v(x) = [v inside x's path], with mean
b'(v) = b(v) (n-2)/n. After k samples x_1..x_k, the rule bounds the
supremum deviation sup_v |b'(v) - (1/k) sum_i f_v(x_i)| of a family F of
such functions with c vectors of Rademacher signs sigma_{j,i} (drawn with the
samples, :mod:`._rademacher_kernels`):

* the empirical wimpy variance  nu^ = max_{v in F} (1/k) sum_i f_v(x_i)^2
  (for indicators, the largest estimate in F);
* the c-MCERA  R^ = max(0, (1/c) sum_j max_{v in F} (1/k) sum_i sigma_{j,i} f_v(x_i)).

With eta = ln(5 / delta') / k, with probability at least 1 - delta' (five
events of delta'/5 each; Pellegrina 2020, Theorems 3.1 and 3.3 and Bousquet's
inequality, as combined in SILVAN, Pellegrina and Vandin 2024, section 4):

    nu~  = min(1/4, nu^ + eta + sqrt(eta^2 + 2 eta nu^))          (bound of sup_F Var f)
    R1   = R^ + sqrt(4 nu^ eta / c)                               (MCERA -> empirical RA)
    R    = R1 + eta + sqrt(eta^2 + 2 eta R1)                      (empirical RA -> RA)
    xi   = 2 R + sqrt(2 eta (nu~ + 4 R)) + eta / 3                (both tails, Bousquet)

and then sup_{v in F} |b'(v) - b^'(v)| <= xi.

Non-uniform bounds (SILVAN's empirical peeling). A first batch of samples,
then discarded (the same one KADABRA uses for its failure budgets), splits
the nodes into groups by their first estimate: group g holds the nodes whose
estimate is in (top / 2^(g+1), top / 2^g] (top: the largest), up to
:data:`GROUPS` - 1 such groups, the rest (and every node without a count) in
the last. Each group is its own family F with delta_check / groups, split
in two halves: xi above with delta' = half, and Bernstein's bound for each
of the group's functions by the union bound with the other half
(:func:`union_bound`; the better for small groups, as in SILVAN's code); the
group's bound is the smaller of the two. So nodes of small betweenness get
the small variance that they have.

Progressive sampling. The rule is tested at fixed sample sizes k_0 < k_1 <
... growing by :data:`GROWTH` from the first batch's size (whole blocks), up
to omega, Riondato and Kornaropoulos' sample size for delta/2 (see
:func:`.adaptive.sample_bound`); the other delta/2 is split evenly over the
tests before omega, delta_check = delta / (2 tests). Sampling stops at the
first test where every group's xi is at most lambda = epsilon (n-2)/n, or at
omega. By the union bound, with probability at least 1 - delta every node's
estimate is then within lambda.

References
----------
L. Pellegrina and F. Vandin, "SILVAN: Estimating betweenness centralities
with progressive sampling and non-uniform Rademacher bounds", ACM
Transactions on Knowledge Discovery from Data 18(3), 2024. doi:10.1145/3628601

L. Pellegrina, "Sharper convergence bounds of Monte Carlo Rademacher
averages through self-bounding functions", arXiv:2010.12103 (2020).

C. Cousins, C. Wohlgemuth and M. Riondato, "Bavarian: Betweenness centrality
approximation with variance-aware Rademacher averages", ACM Transactions on
Knowledge Discovery from Data 17(6), 2023. doi:10.1145/3577021

O. Bousquet, "A Bennett concentration inequality and its application to
suprema of empirical processes", C. R. Acad. Sci. Paris, Ser. I 334,
495-500 (2002).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..base.executor import Executor
from ..errors import UsageError
from . import _rademacher_kernels

__all__ = ["TRIALS", "deviation_bound", "groups_of", "mcera", "progressive", "schedule", "union_bound"]

#: Rademacher vectors c (the bits of one 64-bit draw per sample).
TRIALS = 64
#: Each test's sample size is at least this factor times the last one's.
GROWTH = 1.2
#: Groups of nodes with bounds of their own (the last takes the smallest estimates).
GROUPS = 8


def deviation_bound(mcera: np.ndarray | float, wimpy: np.ndarray | float, samples: int, trials: int,
                    delta: float) -> np.ndarray:
    """The bound xi of the module docstring, per family: sup deviation <= xi with probability 1 - delta.

    Parameters
    ----------
    mcera : array_like
        The c-MCERA R^ of each family (non-negative).
    wimpy : array_like
        The empirical wimpy variance nu^ of each family.
    samples : int
        k, the samples drawn.
    trials : int
        c, the Rademacher vectors.
    delta : float
        Failure probability of each family's bound.

    Returns
    -------
    numpy.ndarray
        xi per family.

    Examples
    --------
    A family that no sample touched still has a bound, of order ln(5/delta)/k:

    >>> round(float(deviation_bound(0.0, 0.0, 1000, 64, 0.05)), 4)
    0.0406
    """
    eta = math.log(5.0 / delta) / samples
    mcera = np.maximum(np.asarray(mcera, dtype=float), 0.0)
    wimpy = np.asarray(wimpy, dtype=float)
    variance = np.minimum(0.25, wimpy + eta + np.sqrt(eta * eta + 2.0 * eta * wimpy))
    empirical = mcera + np.sqrt(4.0 * wimpy * eta / trials)
    average = empirical + eta + np.sqrt(eta * eta + 2.0 * eta * empirical)
    return 2.0 * average + np.sqrt(2.0 * eta * (variance + 4.0 * average)) + eta / 3.0


def union_bound(wimpy: np.ndarray | float, size: np.ndarray | int, samples: int, delta: float) -> np.ndarray:
    """Bernstein's bound for each of a family's ``size`` functions, by the union bound (SILVAN's small families).

    With eta = ln(3 / delta) / k, nu~ = min(1/4, nu^ + eta + sqrt(eta^2 + 2 eta nu^))
    bounds every variance with probability 1 - delta/3 (as in
    :func:`deviation_bound`), and each function's two one-sided Bernstein
    bounds at delta / (3 size) each give, for all of them at once with
    probability 1 - delta,

        xi = sqrt(2 nu~ L / k) + L / (3 k),   L = ln(3 size / delta).

    Examples
    --------
    >>> round(float(union_bound(0.1, 5, 25_000, 1e-4)), 4)
    0.0104
    """
    eta = math.log(3.0 / delta) / samples
    wimpy = np.asarray(wimpy, dtype=float)
    variance = np.minimum(0.25, wimpy + eta + np.sqrt(eta * eta + 2.0 * eta * wimpy))
    spread = np.log(3.0 * np.maximum(np.asarray(size, dtype=float), 1.0) / delta) / samples
    return np.sqrt(2.0 * variance * spread) + spread / 3.0


def mcera(top_signed: np.ndarray, samples: int) -> np.ndarray:
    """R^ per family from the largest signed sum of each family and trial (``top_signed``, families x c)."""
    return np.maximum(0.0, top_signed.mean(axis=1) / samples)


def groups_of(first: np.ndarray, groups: int = GROUPS) -> tuple[np.ndarray, int]:
    """Group of each node from its first estimate (see the module docstring), and the number of groups.

    Groups are numbered 0.. without gaps; nodes without a count (or below
    top / 2^(groups-1)) share the last one.

    Examples
    --------
    >>> groups_of(np.array([0.4, 0.2, 0.05, 0.0, 0.39]), groups=3)
    (array([0, 1, 2, 2, 0]), 3)
    """
    top = float(first.max()) if len(first) else 0.0
    group = np.full(len(first), groups - 1, dtype=np.int64)
    if top > 0:
        positive = first > 0
        level = np.floor(np.log2(top / first[positive])).astype(np.int64)
        group[positive] = np.minimum(level, groups - 1)
    used, dense = np.unique(group, return_inverse=True)
    return dense.astype(np.int64), len(used)


def schedule(first_blocks: int, omega_blocks: int) -> list[int]:
    """Block counts at which the rule is tested: from ``first_blocks``, growing by GROWTH, ending at omega.

    Examples
    --------
    >>> schedule(10, 30)
    [10, 12, 15, 18, 22, 27, 30]
    """
    points = [min(first_blocks, omega_blocks)]
    while points[-1] < omega_blocks:
        points.append(min(omega_blocks, max(points[-1] + 1, math.ceil(points[-1] * GROWTH))))
    return points


def _sampler_state(adjacency: tuple) -> tuple:
    return adjacency


def _sample_batch(adjacency: tuple, batch: tuple[int, int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """One batch's (counts, signed sums) on a worker (one thread: the workers are the parallelism)."""
    seed, first_block, blocks, block_size, trials = batch
    return _rademacher_kernels.sample_blocks(adjacency, seed, first_block, blocks, block_size, trials, 1)


def progressive(adjacency: tuple, first_seed: int, seed: int, first_blocks: int, omega_blocks: int, block: int,
                bound: float, delta: float, lanes: Callable[[int], int],
                executor: Executor | None = None) -> tuple[np.ndarray, int]:
    """Sample until every group's bound is at most ``bound`` or omega is reached: (counts, blocks drawn).

    The first batch (blocks ``0 .. first_blocks`` of ``first_seed``) sets the
    groups and is discarded; then blocks of ``seed`` are drawn in order, the
    same blocks as KADABRA's rule draws, so that both rules give the same
    counts for the same number of samples. ``lanes(blocks)`` says how many
    threads a batch gets. With several workers (or Dask) every batch up to
    omega is drawn at once and the rule applied to them in order: the same
    stopping point and the same counts.
    """
    if omega_blocks * block > np.iinfo(np.int32).max:  # the signed sums are int32
        raise UsageError(f"epsilon is too small for the Rademacher rule ({omega_blocks * block} samples could be "
                         f"needed, at most {np.iinfo(np.int32).max}); use bound='kadabra'")
    points = schedule(first_blocks, omega_blocks)
    batches = [(seed, start, stop - start, block, TRIALS) for start, stop in zip([0, *points[:-1]], points)]
    first_batch = (first_seed, 0, first_blocks, block, 1)
    if executor is not None and (executor.scheduler is not None or executor.workers > 1):
        (first, _), *later = executor.map(_sampler_state, adjacency, _sample_batch, [first_batch, *batches])
        sampled = iter(later)
    else:
        first, _ = _rademacher_kernels.sample_blocks(adjacency, first_seed, 0, first_blocks, block, 1,
                                                     lanes(first_blocks))
        sampled = (_rademacher_kernels.sample_blocks(adjacency, *batch[:4], TRIALS, lanes(batch[2]))
                   for batch in batches)
    group, groups = groups_of(first / (first_blocks * block))
    sizes = np.bincount(group, minlength=groups)
    each = delta / 2 / max(1, len(points) - 1) / groups
    n = len(adjacency[0]) - 1
    counts = np.zeros(n, dtype=np.int64)
    signed = np.zeros((n, TRIALS), dtype=np.int32)
    stop = 0
    for stop, (more, more_signed) in zip(points, sampled):
        counts += more
        signed += more_signed
        if stop == omega_blocks:
            break
        samples = stop * block
        top_count, top_signed = _rademacher_kernels.group_maxima(counts, signed, group, groups)
        wimpy = top_count / samples
        xi = np.minimum(deviation_bound(mcera(top_signed, samples), wimpy, samples, TRIALS, each / 2),
                        union_bound(wimpy, sizes, samples, each / 2))
        if xi.max() <= bound:
            break
    return counts, stop
