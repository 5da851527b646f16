"""The batched searches after a move (one investor's candidates at once) equal the group kernel source by source.

Oracle: ``group_sum`` (the group kernel of :mod:`dependencia.measures`, one source and one graph at a time),
to the last bit, for candidates whose graphs differ in size; and the same bytes on 1, 2 and 3 lanes.
"""

from __future__ import annotations

import numpy as np
import pytest

from dependencia.simulation.batch_search import AfterSearch, after_sums
from dependencia.simulation.evaluate import HopGraph, group_sum


def _jobs(seed: int, count: int) -> tuple[list[AfterSearch], int]:
    rng = np.random.default_rng(seed)
    n_actors = int(rng.integers(3, 30))
    jobs = []
    for _ in range(count):
        n = n_actors + int(rng.integers(0, 6))  # route nodes after the actors, more or fewer per candidate
        m = int(rng.integers(n, 4 * n))
        source, target = rng.integers(0, n, m), rng.integers(0, n, m)
        keep = source != target
        hops = HopGraph(n, source[keep], target[keep])  # parallel hops included
        group = np.sort(rng.choice(n, size=int(rng.integers(1, 4)), replace=False)).astype(np.int64)
        sources = rng.choice(n_actors, size=int(rng.integers(0, n_actors + 1)), replace=False).astype(np.int64)
        jobs.append(AfterSearch(hops.base(), group, sources))
    return jobs, n_actors


@pytest.mark.parametrize("seed", range(12))
def test_batched_sums_equal_the_group_kernel_source_by_source(seed):
    jobs, n_actors = _jobs(seed, 5)
    got = after_sums(jobs, n_actors, lanes=1)
    assert len(got) == len(jobs)
    for job, values in zip(jobs, got):
        assert len(values) == len(job.sources)
        for s, value in zip(job.sources.tolist(), values.tolist()):
            assert value == group_sum(job.adjacency, n_actors, job.group, np.array([s]))


@pytest.mark.parametrize("lanes", [2, 3])
def test_batched_sums_are_the_same_bytes_on_several_lanes(lanes):
    jobs, n_actors = _jobs(99, 8)
    serial = np.concatenate(after_sums(jobs, n_actors, lanes=1))
    parallel = np.concatenate(after_sums(jobs, n_actors, lanes=lanes))
    assert serial.tobytes() == parallel.tobytes() and serial.any()


def test_no_jobs():
    assert after_sums([], 5) == []
