"""A Network as a NetworkX MultiDiGraph and back; plain graphs from elsewhere."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from _io_helpers import rich_network

import dependencia as dp
from dependencia.errors import InputError, UsageError
from dependencia.graph import compile_graph
from dependencia.io import from_networkx, to_networkx
from dependencia.network.model import Network


def test_representation():
    graph = to_networkx(rich_network())
    assert isinstance(graph, nx.MultiDiGraph)
    assert list(graph.nodes) == ["ms", "gh", "me", "azure"]
    assert graph.nodes["ms"] == {"type": "actor", "kind": "firm", "label": "Microsoft", "budget": 5.0, "hq": "Redmond"}
    assert graph.nodes["gh"] == {"type": "actor", "kind": "firm"}
    assert graph.nodes["azure"] == {"type": "infrastructure", "owner": "ms", "dimensions": "code;capital",
                                    "build_cost": 7.0, "transit": "closed"}
    assert graph.edges["me", "gh", 0] == {"relation": "dependency", "dimension": "code", "strength": 2.0,
                                          "channel": "market", "via": "azure", "distance": 3}
    assert graph.edges["gh", "ms", 1]["relation"] == "dependency"
    assert graph.edges["ms", "gh", 2] == {"relation": "ownership", "share": 1.0}
    assert graph.edges["me", "ms", 3] == {"relation": "authority"}
    assert graph.graph["dependencia"] == 1
    assert json.loads(graph.graph["dimensions"]) == [{"id": "code", "monetized": 0.5},
                                                     {"id": "capital", "monetized": 1.0}]
    assert json.loads(graph.graph["needs"]) == [{"dependent": "me", "dimension": "capital"}]


def test_round_trip():
    net = rich_network()
    assert from_networkx(to_networkx(net)).equals(net)


def test_edge_order_survives_although_networkx_groups_edges_by_node():
    net = Network.from_records(
        [{"id": "a"}, {"id": "b"}, {"id": "c"}],
        [{"dependent": "a", "provider": "b"}, {"dependent": "c", "provider": "b"}, {"dependent": "a", "provider": "c"}],
    )
    graph = to_networkx(net)
    assert [(u, v) for u, v in graph.edges()] == [("a", "b"), ("a", "c"), ("c", "b")]
    back = from_networkx(graph)
    assert back.dependencies[["dependent", "provider"]].values.tolist() == [["a", "b"], ["c", "b"], ["a", "c"]]


def test_plain_digraph_from_elsewhere():
    graph = nx.DiGraph()
    graph.add_node(3, colour="red")
    graph.add_node(1)
    graph.add_node(7)  # isolated
    graph.add_edge(3, 1, weight=2.5)
    graph.add_edge(1, 3, weight=1.0)
    net = from_networkx(graph)
    assert list(net.actors.index) == ["3", "1", "7"]
    assert net.actors["colour"].tolist() == ["red", None, None]
    assert net.dependencies[["dependent", "provider", "weight"]].values.tolist() == [["3", "1", 2.5],
                                                                                      ["1", "3", 1.0]]
    assert list(net.dimensions.index) == ["default"]
    # compiled edges come sorted by node index: "3" -> "1" (index 0 -> 1) first
    assert compile_graph(net, length="weight").length.tolist() == [2.5, 1.0]


def test_plain_multidigraph_keeps_parallel_edges():
    graph = nx.MultiDiGraph()
    graph.add_edge("a", "b", key="x", weight=1)
    graph.add_edge("a", "b", key="y", weight=2)
    net = from_networkx(graph)
    assert net.n_edges_declared == 2
    assert net.dependencies["weight"].tolist() == [1, 2]


def test_plain_undirected_graph_gives_mutual_dependencies():
    net = from_networkx(nx.path_graph(4))
    assert net.dependencies[["dependent", "provider"]].values.tolist() == [
        ["0", "1"], ["1", "0"], ["1", "2"], ["2", "1"], ["2", "3"], ["3", "2"],
    ]
    # --undirected collapses each mutual pair back into one edge
    assert compile_graph(net, directed=False).n_edges == 3


@pytest.mark.parametrize("normalized", [True, False])
def test_plain_undirected_graph_betweenness_matches_networkx(normalized):
    graph = nx.karate_club_graph()
    net = from_networkx(graph)
    expected = nx.betweenness_centrality(graph, normalized=normalized)
    undirected = dp.betweenness(net, directed=False, normalized=normalized)["betweenness"]
    for node, value in expected.items():
        assert undirected[str(node)] == pytest.approx(value, rel=1e-9, abs=1e-12)
    if normalized:  # the symmetric directed graph has the same normalized values
        directed = dp.betweenness(net)["betweenness"]
        for node, value in expected.items():
            assert directed[str(node)] == pytest.approx(value, rel=1e-9, abs=1e-12)


def test_florentine_families():
    net = from_networkx(nx.florentine_families_graph())
    assert net.n_actors == 15 and net.n_edges_declared == 40  # 20 ties, each mutual


def test_unknown_schema_version():
    graph = to_networkx(rich_network())
    graph.graph["dependencia"] = 2
    with pytest.raises(InputError, match=r"unknown schema version 2 \(this version of dependencia reads version 1\)"):
        from_networkx(graph)


def test_bad_node_type():
    graph = to_networkx(rich_network())
    graph.nodes["gh"]["type"] = "robot"
    with pytest.raises(InputError) as caught:
        from_networkx(graph)
    assert caught.value.where == "node 'gh'"
    assert "type must be actor or infrastructure, got 'robot'" in caught.value.message


def test_model_errors_name_the_node_or_edge():
    graph = to_networkx(rich_network())
    graph.edges["me", "gh", 0]["strength"] = -1.0
    with pytest.raises(InputError) as caught:
        from_networkx(graph)
    assert caught.value.where == "edge 'me' -> 'gh', attribute strength"
    assert "strength must be > 0" in caught.value.message


def test_self_loop_in_a_plain_graph():
    graph = nx.DiGraph([("a", "b"), ("b", "b")])
    with pytest.raises(InputError) as caught:
        from_networkx(graph)
    assert caught.value.where == "edge 'b' -> 'b', attribute provider"
    assert "self-dependency" in caught.value.message


def test_node_attribute_called_id_is_refused():
    graph = nx.DiGraph()
    graph.add_node("a", id="other")
    with pytest.raises(InputError, match="may not be called 'id'"):
        from_networkx(graph)


def test_reserved_attribute_names_are_refused():
    net = Network.from_records([{"id": "a", "type": "x"}])
    with pytest.raises(UsageError, match="'type'"):
        to_networkx(net)
    net = Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b", "relation": "x"}])
    with pytest.raises(UsageError, match="'relation'"):
        to_networkx(net)


def test_not_a_graph():
    with pytest.raises(UsageError, match="expected a NetworkX graph"):
        from_networkx({"a": ["b"]})
