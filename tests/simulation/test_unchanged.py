"""Sources a move cannot change: their sums after the move equal their sums before, to the last bit.

Oracle: the group kernel of :mod:`dependencia.measures` (``group_sum``), run from each source on the
graph before the move and on the graph after it (``HopGraph.adjacency``), for random graphs and random
reroutings through new nodes, with existing nodes and the new one in the group.
"""

from __future__ import annotations

import numpy as np
import pytest

from dependencia.simulation.evaluate import HopGraph, group_sum
from dependencia.simulation.unchanged import unchanged


def _random_move(rng, hops: HopGraph, n: int):
    """Reroute a few existing hops u -> v through new nodes (u -> X -> v), and hang a dead end on a node."""
    keys = hops.keys[rng.choice(len(hops.keys), size=int(rng.integers(1, 4)), replace=False)]
    removed = [(int(k >> 32), int(k & 0xFFFFFFFF)) for k in keys]
    new = n
    added = []
    for u, v in removed:
        added += [(u, new), (new, v)]
    if rng.random() < 0.5:  # a created dependency: d -> Y -> owner, Y new
        d, owner = (int(x) for x in rng.choice(n, size=2, replace=False))
        added += [(d, new + 1), (new + 1, owner)]
        return removed, added, 2
    return removed, added, 1


def _check(seed: int) -> int:
    """Compare every source shown unchanged with the oracle; return how many were shown."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 80))
    n_actors = int(rng.integers(n // 2, n + 1))
    m = int(rng.integers(n, 3 * n))
    source, target = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = source != target
    hops = HopGraph(n, source[keep], target[keep])
    shown = 0
    for _ in range(10):
        removed, added, extra = _random_move(rng, hops, n)
        group = np.sort(rng.choice(n, size=int(rng.integers(1, 4)), replace=False)).astype(np.int64)
        after_group = np.concatenate([group, np.arange(n, n + extra)]).astype(np.int64)
        after = hops.adjacency(extra_nodes=extra, removed=removed, added=added)
        fresh = set(range(n, n + extra))
        tails = np.array(sorted({u for u, _ in removed + added if u not in fresh}), dtype=np.int64)
        levels = hops.distances_to(tails)[:n_actors]
        sources = np.flatnonzero(levels >= 0)  # the affected sources, as the scorer takes them
        same = unchanged(hops, sources, levels[sources], removed, added)
        for s in sources[same]:
            before_sum = group_sum(hops.base(), n_actors, group, np.array([s]))
            after_sum = group_sum(after, n_actors, after_group, np.array([s]))
            assert after_sum == before_sum, (seed, int(s), removed, added)
        shown += int(same.sum())
    return shown


@pytest.mark.parametrize("seed", range(12))
def test_a_source_shown_unchanged_has_the_same_sum_after_the_move(seed):
    _check(seed)


def test_some_sources_are_shown_unchanged():
    assert sum(_check(seed) for seed in range(12)) > 20  # the comparisons above are not vacuous


def test_a_source_on_a_rerouted_hop_is_searched():
    hops = HopGraph(3, np.array([0, 1]), np.array([1, 2]))  # 0 -> 1 -> 2
    # 1 -> 2 rerouted through the new node 3: 0 and 1 (1 and 0 hops from the tail 1) have their paths to 2
    # lengthened
    assert unchanged(hops, np.array([0, 1]), np.array([1, 0]), [(1, 2)], [(1, 3), (3, 2)]).tolist() == [False, False]
    # a created dependency 0 -> 3 -> 2 (3 new): 0 -> 3 -> 2 is a second shortest path from 0 to 2 (2 hops)
    assert unchanged(hops, np.array([0]), np.array([0]), [], [(0, 3), (3, 2)]).tolist() == [False]
