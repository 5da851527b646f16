"""The routed graph with its route chains contracted gives the sums of the routed graph as it is (issue 16, speed).

``routed_pair_sums`` (one DAG per source on actors and infrastructures) against ``node_pair_sums`` (igraph on
the routed graph) and ``controlled_group_sums`` (the group kernel on the routed graph), on seeded random
networks with open and closed infrastructures, shared routes, ownership, lengths, directed and undirected.
Summation orders differ, so values agree to 1e-12 (relative), not to the byte.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_routed_oracle import random_network

import dependencia as dp
from dependencia.base.executor import Executor
from dependencia.graph import compile_graph
from dependencia.measures._pair_sums import contract_routes, controlled_group_sums, node_pair_sums, routed_pair_sums
from dependencia.measures.power import controlled_groups


@pytest.mark.parametrize("seed", range(60))
def test_contracted_sums_equal_the_routed_graph(seed):
    net, options = random_network(seed)
    for directed in (True, False):
        for length in (None, "w"):
            graph = compile_graph(net, directed=directed, length=length, dimensions=options.get("dimensions"))
            infrastructures = [graph.nodes_of([x]) for x in range(graph.n_actors, graph.n_model_nodes)]
            groups = controlled_groups(net, graph) + infrastructures
            sources = np.arange(graph.n_actors)
            found = routed_pair_sums(graph, groups, Executor(1), sources)
            if graph.n_route_nodes == 0:
                assert found is None
                continue
            nodes, grouped = found
            expected_nodes = node_pair_sums(graph, Executor(1), sources)[:graph.n_model_nodes]
            expected_groups = controlled_group_sums(graph, groups, Executor(1), sources)
            np.testing.assert_allclose(nodes, expected_nodes, rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(grouped, expected_groups, rtol=1e-12, atol=1e-12)


def test_parallel_chains_are_distinct_paths_and_a_direct_edge_beats_them():
    actors = [{"id": i} for i in ("d", "p", "q")]
    deps = [{"dependent": "d", "provider": "p", "via": ["X"]}, {"dependent": "d", "provider": "p", "via": ["Y"]},
            {"dependent": "p", "provider": "q"}, {"dependent": "d", "provider": "q", "via": ["X", "Y"]}]
    net = dp.Network.from_records(actors, deps, infrastructures=[{"id": "X", "owner": "q"}, {"id": "Y"}])
    graph = compile_graph(net)
    contracted = contract_routes(graph)
    assert contracted.n_chains == 3 and contracted.span == 4
    groups = [graph.nodes_of([3]), graph.nodes_of([4])]  # X, Y: (d, p) half each, (d, q) ties at 3 hops
    nodes, grouped = routed_pair_sums(graph, groups, Executor(1), np.arange(3))
    assert grouped.tolist() == [2.0 / 3.0 + 0.5, 2.0 / 3.0 + 0.5]
    assert nodes[:3].tolist() == [0.0, 2.0 / 3.0, 0.0]



def test_path_counts_beyond_the_compact_rows_fall_back_to_exact_float_rows():
    # 18 layers of 2 actors, each actor depending on both of the next layer, every dependency via X or Y:
    # 2**17 shortest paths from the first layer to the last, more than the kernel's uint16 rows hold
    layers, width = 18, 2
    actors = [{"id": f"a{layer}_{k}"} for layer in range(layers) for k in range(width)]
    deps = [{"dependent": f"a{layer}_{i}", "provider": f"a{layer + 1}_{j}", "via": ["X" if (layer + i + j) % 2 else "Y"]}
            for layer in range(layers - 1) for i in range(width) for j in range(width)]
    net = dp.Network.from_records(actors, deps, infrastructures=[{"id": "X", "owner": "a5_0"}, {"id": "Y"}])
    graph = compile_graph(net)
    groups = controlled_groups(net, graph) + [graph.nodes_of([x]) for x in range(graph.n_actors, graph.n_model_nodes)]
    sources = np.arange(graph.n_actors)
    nodes, grouped = routed_pair_sums(graph, groups, Executor(1), sources)
    expected_nodes = node_pair_sums(graph, Executor(1), sources)[:graph.n_model_nodes]
    np.testing.assert_allclose(nodes, expected_nodes, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grouped, controlled_group_sums(graph, groups, Executor(1), sources), rtol=1e-12)
    assert grouped[-2:].min() > 0  # X and Y each lie on some of the 2**17 paths
