"""Exact betweenness on several worker processes: the same values as NetworkX, the same bytes as one worker."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from test_betweenness import CATALOGUE_CASES, COMBOS, _build, catalogue_graph, compare, network_from_nx, random_networks

import dependencia as dp
from dependencia.measures import betweenness as module


@pytest.fixture
def always_parallel(monkeypatch):
    """Start workers even for tiny graphs (normally they run in-process)."""
    monkeypatch.setattr(module, "PARALLEL_MIN_COST", 0)


@pytest.mark.parametrize(("normalized", "endpoints"), COMBOS)
@pytest.mark.parametrize(("name", "directed"), CATALOGUE_CASES)
def test_two_workers_match_networkx_and_one_worker(always_parallel, name, directed, normalized, endpoints):
    G, weight = catalogue_graph(name)
    two = compare(G, directed=directed, weight=weight, normalized=normalized, endpoints=endpoints, workers=2)
    one = dp.betweenness(
        network_from_nx(G, weight), directed=directed, normalized=normalized, endpoints=endpoints,
        length="w" if weight else None, workers=1,
    )
    assert two["betweenness"].to_numpy().tobytes() == one["betweenness"].to_numpy().tobytes()


@settings(max_examples=15)
@given(network=random_networks(with_routes=True))
def test_bytes_do_not_depend_on_the_number_of_workers(network):
    module.PARALLEL_MIN_COST, saved = 0, module.PARALLEL_MIN_COST
    try:
        net = _build(*network)
        for directed in (True, False):
            for length in (None, "w"):
                runs = [
                    dp.betweenness(net, directed=directed, length=length, workers=w)["betweenness"].to_numpy()
                    for w in (1, 2, 3)
                ]
                assert runs[0].tobytes() == runs[1].tobytes() == runs[2].tobytes()
    finally:
        module.PARALLEL_MIN_COST = saved


def test_sampled_sources_on_workers_are_seeded(always_parallel):
    # directed graph with lengths: the approximation samples sources (Hoeffding bound)
    rng = np.random.default_rng(3)
    import networkx as nx

    G = nx.gnm_random_graph(400, 1600, seed=4, directed=True)
    for u, v in G.edges():
        G[u][v]["weight"] = float(rng.integers(1, 6))
    net = network_from_nx(G, "weight")
    runs = [
        dp.betweenness(net, length="w", epsilon=0.3, delta=0.1, seed=9, workers=w)["betweenness"].to_numpy()
        for w in (1, 2)
    ]
    assert runs[0].tobytes() == runs[1].tobytes()
    exact = nx.betweenness_centrality(G, weight="weight")
    assert np.max(np.abs(runs[0] - np.array([exact[v] for v in G.nodes]))) <= 0.3
