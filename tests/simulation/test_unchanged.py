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


@pytest.mark.parametrize("seed", range(12))
def test_a_source_shown_unchanged_has_the_same_sum_after_the_move(seed):
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
        sources = np.arange(n_actors)
        same = unchanged(hops, sources, removed, added)
        for s in sources[same]:
            before_sum = group_sum(hops.base(), n_actors, group, np.array([s]))
            after_sum = group_sum(after, n_actors, after_group, np.array([s]))
            assert after_sum == before_sum, (seed, int(s), removed, added)
        shown += int(same.sum())
    assert shown > 0  # the check is not vacuous


def test_a_source_on_a_rerouted_hop_is_searched():
    hops = HopGraph(3, np.array([0, 1]), np.array([1, 2]))  # 0 -> 1 -> 2
    # 1 -> 2 rerouted through the new node 3: 0 and 1 have their paths to 2 lengthened; 2 reaches nothing
    assert unchanged(hops, np.array([0, 1, 2]), [(1, 2)], [(1, 3), (3, 2)]).tolist() == [False, False, True]
