"""Compilation of a Network into engine graphs (docs/model.md#graphs).

Hand-worked expectations: node order (actors in table order, then
infrastructures), one hop per edge of a route, parallel edges collapsed
(strengths add, the minimum length counts), u->v and v->u collapsed on
undirected graphs, isolated nodes kept, and the errors for bad options.
"""

from __future__ import annotations

import math

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

import dependencia as dp
from dependencia.errors import InputError, UsageError
from dependencia.graph import CompiledGraph
from dependencia.graph import compile_graph as _compile_graph


def compile_graph(network, **options) -> CompiledGraph:
    """The hub graph (every infrastructure one node), which these tests of issue 2 describe.

    The routed graph (the default of ``dependencia.graph.compile_graph``) has its own tests in
    tests/test_routed_graph.py.
    """
    return _compile_graph(network, **{"paths": "hub", **options})


def _net(actors, deps=(), **tables) -> dp.Network:
    return dp.Network.from_records([{"id": a} for a in actors], list(deps), **tables)


def _edges(graph: CompiledGraph) -> list[tuple[str, str]]:
    ids = graph.node_ids
    return [(ids[u], ids[v]) for u, v in zip(graph.source.tolist(), graph.target.tolist())]


# --------------------------------------------------------------------------- routes
def _routed_network() -> dp.Network:
    # Actors d, p, q; infrastructures X (owned by p) and Y (owned by q).
    return _net(
        ["d", "p", "q"],
        [
            {"dependent": "d", "provider": "p", "via": ["X", "Y"], "strength": 2, "w": 3},
            {"dependent": "d", "provider": "q", "strength": 1, "w": 4},
            {"dependent": "q", "provider": "p", "via": ["X"], "strength": 5, "w": 1},
        ],
        infrastructures=[{"id": "X", "owner": "p"}, {"id": "Y", "owner": "q"}],
    )


def test_routes_become_hops():
    # Node indices: d 0, p 1, q 2, X 3, Y 4.
    # d -> p via [X, Y] gives d->X, X->Y, Y->p (strength 2, length 3 each hop);
    # d -> q is one edge (1, 4); q -> p via [X] gives q->X, X->p (5, 1).
    # Sorted by (source, target): (0,2) d->q, (0,3) d->X, (2,3) q->X, (3,1) X->p,
    # (3,4) X->Y, (4,1) Y->p. No hop joins one route's provider to the next route's
    # dependent (no p->q or p->d edge).
    g = compile_graph(_routed_network(), length="w")
    assert _edges(g) == [("d", "q"), ("d", "X"), ("q", "X"), ("X", "p"), ("X", "Y"), ("Y", "p")]
    assert g.source.tolist() == [0, 0, 2, 3, 3, 4]
    assert g.target.tolist() == [2, 3, 3, 1, 4, 1]
    assert g.strength.tolist() == [1.0, 2.0, 5.0, 5.0, 2.0, 2.0]
    assert g.length.tolist() == [4.0, 3.0, 1.0, 1.0, 3.0, 3.0]
    assert g.source.dtype == np.int64 and g.target.dtype == np.int64
    assert g.n_edges == 6 and g.n_nodes == 5 and g.n_actors == 3
    assert g.directed is True


def test_routes_without_length_have_no_lengths():
    g = compile_graph(_routed_network())
    assert g.length is None
    assert len(_edges(g)) == 6


def test_routes_undirected():
    # Without directions the same six hops, each stored with source < target:
    # d-q (0,2), d-X (0,3), p-X (1,3), p-Y (1,4), q-X (2,3), X-Y (3,4).
    g = compile_graph(_routed_network(), length="w", directed=False)
    assert list(zip(g.source.tolist(), g.target.tolist())) == [(0, 2), (0, 3), (1, 3), (1, 4), (2, 3), (3, 4)]
    assert g.strength.tolist() == [1.0, 2.0, 5.0, 2.0, 5.0, 2.0]
    assert g.length.tolist() == [4.0, 3.0, 1.0, 3.0, 1.0, 3.0]
    assert bool(np.all(g.source < g.target))
    assert g.directed is False


def test_mixed_routed_and_direct_dependencies_keep_every_hop():
    # Routes of different lengths interleaved with direct dependencies, to exercise the
    # flattening of routes: a->c direct, a->b via [X], b->c via [X, Y, Z], c->a direct.
    net = _net(
        ["a", "b", "c"],
        [
            {"dependent": "a", "provider": "c"},
            {"dependent": "a", "provider": "b", "via": ["X"]},
            {"dependent": "b", "provider": "c", "via": ["X", "Y", "Z"]},
            {"dependent": "c", "provider": "a"},
        ],
        infrastructures=[{"id": i, "owner": "a"} for i in "XYZ"],
    )
    expected = {("a", "c"), ("a", "X"), ("X", "b"), ("b", "X"), ("X", "Y"), ("Y", "Z"), ("Z", "c"), ("c", "a")}
    g = compile_graph(net)
    assert set(_edges(g)) == expected and g.n_edges == len(expected)


# --------------------------------------------------------------------------- collapse
def test_parallel_edges_collapse_strengths_add_length_minimum():
    # Three dependencies a -> b (two dimensions): strengths 1 + 2 + 0.5 = 3.5,
    # lengths min(5, 3, 4) = 3; b -> c stays alone.
    net = _net(
        ["a", "b", "c"],
        [
            {"dependent": "a", "provider": "b", "strength": 1, "w": 5},
            {"dependent": "b", "provider": "c", "strength": 1, "w": 1},
            {"dependent": "a", "provider": "b", "strength": 2, "w": 3},
            {"dependent": "a", "provider": "b", "strength": 0.5, "w": 4, "dimension": "y"},
        ],
    )
    g = compile_graph(net, length="w")
    assert _edges(g) == [("a", "b"), ("b", "c")]
    assert g.strength.tolist() == [3.5, 1.0]
    assert g.length.tolist() == [3.0, 1.0]
    # in G_default alone only the two default-dimension a -> b count: 1 + 2 = 3, min(5, 3) = 3
    g_default = compile_graph(net, length="w", dimensions=["default"])
    assert g_default.strength.tolist() == [3.0, 1.0]
    # in G_y: only the 0.5 edge, length 4; b -> c is absent but b and c are still nodes
    g_y = compile_graph(net, length="w", dimensions=["y"])
    assert _edges(g_y) == [("a", "b")] and g_y.strength.tolist() == [0.5] and g_y.length.tolist() == [4.0]
    assert g_y.n_nodes == 3


def test_parallel_routes_collapse_hop_by_hop():
    # The module's example: the same route twice (strengths 1 and 2) gives d->X and X->p
    # with strength 3 each; a third dependency d -> p via [Y] adds its own hops.
    net = _net(
        ["d", "p"],
        [
            {"dependent": "d", "provider": "p", "via": ["X"]},
            {"dependent": "d", "provider": "p", "via": ["X"], "strength": 2},
            {"dependent": "d", "provider": "p", "via": ["Y"], "strength": 4},
        ],
        infrastructures=[{"id": "X", "owner": "p"}, {"id": "Y", "owner": "p"}],
    )
    g = compile_graph(net)
    assert _edges(g) == [("d", "X"), ("d", "Y"), ("X", "p"), ("Y", "p")]
    assert g.strength.tolist() == [3.0, 4.0, 3.0, 4.0]


def test_undirected_collapse_of_both_directions():
    # u -> v (strength 1, length 3) and v -> u (strength 2, length 2) are one undirected
    # edge {u, v} with strength 3 and length 2; w -> u stays, stored as (u, w) = (0, 2).
    net = _net(
        ["u", "v", "w"],
        [
            {"dependent": "u", "provider": "v", "strength": 1, "w": 3},
            {"dependent": "v", "provider": "u", "strength": 2, "w": 2},
            {"dependent": "w", "provider": "u", "strength": 7, "w": 9},
        ],
    )
    directed = compile_graph(net, length="w")
    assert _edges(directed) == [("u", "v"), ("v", "u"), ("w", "u")]
    undirected = compile_graph(net, length="w", directed=False)
    assert list(zip(undirected.source.tolist(), undirected.target.tolist())) == [(0, 1), (0, 2)]
    assert undirected.strength.tolist() == [3.0, 7.0]
    assert undirected.length.tolist() == [2.0, 9.0]
    # as_undirected() on the directed graph gives the same arrays
    converted = directed.as_undirected()
    assert converted.directed is False
    for name in ("source", "target", "strength", "length"):
        np.testing.assert_array_equal(getattr(converted, name), getattr(undirected, name))
    assert undirected.as_undirected() is undirected


# --------------------------------------------------------------------------- nodes
def test_node_order_actors_then_infrastructures():
    # Table order, not sorted order: actors z, a, m, then infrastructures Q, B.
    net = _net(
        ["z", "a", "m"],
        [{"dependent": "a", "provider": "z", "via": ["B"]}],
        infrastructures=[{"id": "Q", "owner": "m"}, {"id": "B", "owner": "z"}],
    )
    g = compile_graph(net)
    assert g.node_ids.tolist() == ["z", "a", "m", "Q", "B"]
    assert g.n_actors == 3
    assert [g.index.get_loc(i) for i in ["z", "a", "m", "Q", "B"]] == [0, 1, 2, 3, 4]
    assert list(net.node_ids) == ["z", "a", "m", "Q", "B"]
    assert _edges(g) == [("a", "B"), ("B", "z")]


def test_isolated_nodes_are_kept():
    # c, d and the unused infrastructure X have no edge and still are nodes.
    net = _net(["a", "b", "c", "d"], [{"dependent": "a", "provider": "b"}],
               infrastructures=[{"id": "X", "owner": "c"}])
    g = compile_graph(net)
    assert g.n_nodes == 5 and g.n_edges == 1
    assert g.out_degree().tolist() == [1, 0, 0, 0, 0]
    assert g.in_degree().tolist() == [0, 1, 0, 0, 0]
    u = compile_graph(net, directed=False)
    assert u.out_degree().tolist() == [1, 1, 0, 0, 0]
    assert u.in_degree().tolist() == [1, 1, 0, 0, 0]


def test_degrees_count_distinct_neighbours():
    # a -> b twice collapses: a has one successor; b -> a makes b's out-degree 1.
    net = _net(["a", "b", "c"], [
        {"dependent": "a", "provider": "b"}, {"dependent": "a", "provider": "b"},
        {"dependent": "a", "provider": "c"}, {"dependent": "b", "provider": "a"},
    ])
    g = compile_graph(net)
    assert g.out_degree().tolist() == [2, 1, 0]
    assert g.in_degree().tolist() == [1, 1, 1]
    # undirected: {a,b} and {a,c}: a has 2 neighbours, b and c one each
    assert compile_graph(net, directed=False).out_degree().tolist() == [2, 1, 1]


def test_empty_network():
    g = compile_graph(_net([]))
    assert g.n_nodes == 0 and g.n_edges == 0
    assert g.source.tolist() == [] and g.strength.tolist() == []
    assert g.dimensions == ()


def test_network_without_dependencies():
    g = compile_graph(_net(["a", "b"]), length=None)
    assert g.n_nodes == 2 and g.n_edges == 0
    assert g.out_degree().tolist() == [0, 0]


# --------------------------------------------------------------------------- dimensions
def test_dimensions_attribute():
    net = _net(["a", "b", "c"], [
        {"dependent": "a", "provider": "b", "dimension": "x"},
        {"dependent": "b", "provider": "c", "dimension": "y"},
    ])
    assert compile_graph(net).dimensions == ("x", "y")
    # chosen order kept, duplicates dropped
    g = compile_graph(net, dimensions=["y", "x", "y"])
    assert g.dimensions == ("y", "x") and g.n_edges == 2
    g = compile_graph(net, dimensions=["y"])
    assert _edges(g) == [("b", "c")] and g.n_nodes == 3
    # an empty selection: every node, no edge
    g = compile_graph(net, dimensions=[])
    assert g.n_nodes == 3 and g.n_edges == 0


def test_declared_dimension_without_dependencies_is_empty():
    net = _net(["a", "b"], [{"dependent": "a", "provider": "b", "dimension": "x"}],
               dimensions=[{"id": "x"}, {"id": "care"}])
    g = compile_graph(net, dimensions=["care"])
    assert g.n_edges == 0 and g.n_nodes == 2


def test_unknown_dimension_is_a_usage_error():
    net = _net(["a", "b"], [{"dependent": "a", "provider": "b", "dimension": "x"}])
    with pytest.raises(UsageError, match="unknown dimension 'nope'") as info:
        compile_graph(net, dimensions=["x", "nope"])
    assert isinstance(info.value, ValueError)
    assert "x" in str(info.value)  # names what the network has


# --------------------------------------------------------------------------- lengths
@pytest.mark.parametrize("name", ["w", "distance", "dependent", "provider", "dimension", "channel", "via"])
def test_unknown_or_non_numeric_length_attribute_is_a_usage_error(name):
    net = _net(["a", "b"], [{"dependent": "a", "provider": "b", "cost": 2}])
    with pytest.raises(UsageError, match="length"):
        compile_graph(net, length=name)


@pytest.mark.parametrize(
    ("bad", "shown"),
    [(0, "0"), (-1.5, "-1.5"), (None, "missing"), ("far", "'far'"), (math.inf, "inf")],
)
def test_bad_length_value_is_an_input_error_with_its_record(bad, shown):
    deps = [
        {"dependent": "a", "provider": "b", "w": 1},
        {"dependent": "b", "provider": "c", "w": bad},
    ]
    net = _net(["a", "b", "c"], deps)
    with pytest.raises(InputError) as info:
        compile_graph(net, length="w")
    assert info.value.where == "dependencies[1].w"
    assert shown in str(info.value)


def test_length_only_checked_in_the_chosen_dimensions():
    # The bad length sits in dimension y; G_x does not use it.
    net = _net(["a", "b", "c"], [
        {"dependent": "a", "provider": "b", "dimension": "x", "w": 2},
        {"dependent": "b", "provider": "c", "dimension": "y", "w": -1},
    ])
    g = compile_graph(net, length="w", dimensions=["x"])
    assert g.length.tolist() == [2.0]
    with pytest.raises(InputError, match=r"dependencies\[1\]\.w"):
        compile_graph(net, length="w")


def test_strength_can_be_a_length():
    net = _net(["a", "b"], [{"dependent": "a", "provider": "b", "strength": 2.5}])
    assert compile_graph(net, length="strength").length.tolist() == [2.5]


def test_numeric_text_lengths_from_a_data_frame():
    # A length column read from a file may hold numbers as text.
    actors = pd.DataFrame({"id": ["a", "b", "c"]})
    deps = pd.DataFrame({"dependent": ["a", "b"], "provider": ["b", "c"], "w": ["1.5", "2"]})
    g = compile_graph(dp.Network(actors, deps), length="w")
    assert g.length.tolist() == [1.5, 2.0]


# --------------------------------------------------------------------------- export
def test_to_networkx_directed():
    g = compile_graph(_routed_network(), length="w")
    G = g.to_networkx()
    assert isinstance(G, nx.DiGraph) and G.is_directed()
    assert list(G.nodes) == ["d", "p", "q", "X", "Y"]
    assert sorted(G.edges) == sorted(_edges(g))
    assert G["d"]["X"] == {"strength": 2.0, "length": 3.0}
    assert G["q"]["X"] == {"strength": 5.0, "length": 1.0}


def test_to_networkx_undirected_without_length_keeps_isolated_nodes():
    net = _net(["u", "v", "w"], [
        {"dependent": "u", "provider": "v"}, {"dependent": "v", "provider": "u", "strength": 2},
    ])
    G = compile_graph(net, directed=False).to_networkx()
    assert type(G) is nx.Graph
    assert list(G.nodes) == ["u", "v", "w"]  # w is isolated
    assert list(G.edges(data=True)) == [("u", "v", {"strength": 3.0})]


def test_to_networkx_betweenness_matches_dependencia():
    net = _routed_network()
    G = compile_graph(net).to_networkx()
    reference = nx.betweenness_centrality(G)
    got = dp.betweenness(net, paths="hub")["betweenness"].to_dict()
    assert got == pytest.approx(reference, rel=1e-9, abs=1e-12)


def test_to_igraph():
    g = compile_graph(_routed_network(), length="w")
    graph = g.to_igraph()
    assert isinstance(graph, ig.Graph)
    assert graph.vcount() == 5 and graph.ecount() == 6 and graph.is_directed()
    assert [e.tuple for e in graph.es] == list(zip(g.source.tolist(), g.target.tolist()))
    assert graph.es["length"] == g.length.tolist()
    assert g.to_igraph() is graph  # cached
    assert not compile_graph(_routed_network(), directed=False).to_igraph().is_directed()


def test_compile_leaves_the_network_unchanged():
    net = _routed_network()
    before = net.copy()
    compile_graph(net, length="w", directed=False, dimensions=["default"])
    assert net.equals(before)
