"""Engine graphs renumbered for locality: a breadth-first numbering, and NetworkX's values in the network's order."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_betweenness import COMBOS, compare, network_from_nx

import dependencia as dp
from dependencia.graph import locality
from dependencia.graph.compiled import compile_graph
from dependencia.graph.locality import locality_order, positions
from dependencia.measures import _pair_sums, brandes
from dependencia.measures import betweenness as betweenness_module


def networkx_order(n: int, edges: list[tuple[int, int]]) -> list[int]:
    """The oracle: from each lowest node not yet reached, NetworkX's breadth-first search among the others."""
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)  # each node's successors in the order of their first edge
    order: list[int] = []
    left = set(range(n))
    for root in range(n):
        if root in left:
            found = [root] + [v for _, v in nx.bfs_edges(graph.subgraph(left), root)]
            order += found
            left -= set(found)
    return order


@settings(max_examples=60)
@given(st.integers(1, 25).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60))))
def test_locality_order_is_breadth_first_along_out_edges(case):
    n, edges = case
    source = np.array([u for u, _ in edges], dtype=np.int64)
    target = np.array([v for _, v in edges], dtype=np.int64)
    order = locality_order(n, source, target)
    assert order.tolist() == networkx_order(n, edges)
    assert sorted(order.tolist()) == list(range(n))
    assert positions(order)[order].tolist() == list(range(n))


@pytest.fixture
def renumbered(monkeypatch):
    """Renumber every engine graph and start workers, however small the graph."""
    monkeypatch.setattr(locality, "RENUMBER_MIN_COST", 0)
    monkeypatch.setattr(betweenness_module, "PARALLEL_MIN_COST", 0)


def scale_free(n: int = 120, seed: int = 5) -> nx.DiGraph:
    graph = nx.DiGraph(nx.scale_free_graph(n, seed=seed))
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    rng = np.random.default_rng(seed)
    for u, v in graph.edges():
        graph[u][v]["weight"] = float(rng.integers(1, 6))
    return nx.relabel_nodes(graph, dict(zip(graph, rng.permutation(len(graph)).tolist())))  # numbers unlike BFS's


def test_the_engine_is_renumbered_above_the_threshold(renumbered):
    """The oracle tests below run on a renumbered engine (positions that are not the identity)."""
    graph = compile_graph(network_from_nx(scale_free()))
    position = brandes._engine_of(graph)[3]
    assert position is not None and sorted(position.tolist()) == list(range(graph.n_nodes))
    assert position.tolist() != list(range(graph.n_nodes))
    assert _pair_sums._pair_engine(graph)[3] is not None


@pytest.mark.parametrize(("normalized", "endpoints"), COMBOS)
@pytest.mark.parametrize("weight", [None, "weight"])
@pytest.mark.parametrize("directed", [True, False])
def test_renumbered_betweenness_is_networkx_in_the_network_order(renumbered, directed, weight, normalized, endpoints):
    for workers in (1, 2):
        compare(scale_free(), directed=directed, weight=weight, normalized=normalized, endpoints=endpoints,
                workers=workers)


def test_renumbered_sums_are_the_same_bytes_for_any_number_of_workers(renumbered):
    net = network_from_nx(scale_free(), "weight")
    for length in (None, "w"):
        runs = [dp.betweenness(net, length=length, exact=True, workers=w)["betweenness"].to_numpy().tobytes()
                for w in (1, 2, 3)]
        assert runs[0] == runs[1] == runs[2]


@pytest.mark.parametrize("directed", [True, False])
def test_renumbered_actor_power_is_networkx_betweenness(renumbered, directed):
    """Actor power without infrastructure or ownership is betweenness; the actor-pair sums run renumbered."""
    graph = scale_free()
    frame = dp.power(network_from_nx(graph), directed=directed, exact=True, workers=2)
    expected = nx.betweenness_centrality(graph if directed else graph.to_undirected())
    assert np.allclose(frame["power"], [expected[int(a)] for a in frame.index], rtol=1e-12, atol=1e-15)
