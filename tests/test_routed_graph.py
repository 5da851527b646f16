"""The routed graph (docs/model.md#graphs): a chain of route nodes per declared route through closed infrastructures.

Each expectation is worked out by hand from the definition: a route ``d -> X1 .. Xj -> p`` through
closed infrastructures is a chain of its own, identical routes (same dependent, infrastructures and
provider) share it, an open infrastructure is one node shared by every route, and parallel hops
collapse (strengths add, lengths take the minimum).
"""

from __future__ import annotations

import numpy as np
import pytest

import dependencia as dp
from dependencia.errors import InputError, UsageError
from dependencia.graph import compile_graph


def _edges(graph) -> list[tuple[str, str]]:
    ids = graph.node_ids
    return sorted((str(ids[u]), str(ids[v])) for u, v in zip(graph.source.tolist(), graph.target.tolist()))


def _net(deps, infrastructures, actors=("d", "e", "p", "q")):
    return dp.Network.from_records([{"id": a} for a in actors], deps, infrastructures=infrastructures)


def test_each_route_is_a_chain_of_its_own_and_identical_routes_share_it():
    net = _net(
        [{"dependent": "d", "provider": "p", "via": ["X"], "strength": 1},
         {"dependent": "d", "provider": "p", "via": ["X"], "strength": 2},  # the same route: shares the chain
         {"dependent": "e", "provider": "q", "via": ["X"], "strength": 4}],
        [{"id": "X", "owner": "q"}],
    )
    g = compile_graph(net)
    assert g.n_model_nodes == 5 and g.n_route_nodes == 2
    assert _edges(g) == [("X@d>X>p", "p"), ("X@e>X>q", "q"), ("d", "X@d>X>p"), ("e", "X@e>X>q")]
    # strengths add along the shared chain: 1 + 2 on both hops of d's route
    by_edge = dict(zip(_edges(g), [None] * 4))
    ids = g.node_ids
    for u, v, s in zip(g.source.tolist(), g.target.tolist(), g.strength.tolist()):
        by_edge[(str(ids[u]), str(ids[v]))] = s
    assert by_edge[("d", "X@d>X>p")] == by_edge[("X@d>X>p", "p")] == 3.0
    assert by_edge[("e", "X@e>X>q")] == 4.0
    # both route nodes stand for X (node 4); X's own node has no edge
    assert g.model_of.tolist() == [0, 1, 2, 3, 4, 4, 4]
    assert g.nodes_of([4]).tolist() == [4, 5, 6]
    # d does not reach q: the paths of X's routes do not join (on the hub graph they do)
    assert not any(a == "d" and b == "q" for a, b in _edges(g))
    hub = compile_graph(net, paths="hub")
    assert _edges(hub) == [("X", "p"), ("X", "q"), ("d", "X"), ("e", "X")]


def test_an_open_infrastructure_is_one_node_and_routes_mix_open_and_closed():
    net = _net(
        [{"dependent": "d", "provider": "p", "via": ["road", "X"]},
         {"dependent": "e", "provider": "q", "via": ["road"]}],
        [{"id": "road", "transit": "open"}, {"id": "X", "owner": "p"}],
    )
    g = compile_graph(net)
    assert _edges(g) == [("X@d>road>X>p", "p"), ("d", "road"), ("e", "road"), ("road", "X@d>road>X>p"),
                         ("road", "q")]
    assert net.closed_infrastructures().tolist() == [False, True]


def test_lengths_take_the_minimum_and_undirected_graphs_drop_direction():
    net = _net(
        [{"dependent": "d", "provider": "p", "via": ["X"], "w": 3.0},
         {"dependent": "d", "provider": "p", "via": ["X"], "w": 2.0},
         {"dependent": "p", "provider": "d", "via": ["X"], "w": 5.0}],
        [{"id": "X"}],
    )
    g = compile_graph(net, length="w")
    lengths = dict(zip(_edges(g), [None] * 4))
    ids = g.node_ids
    for u, v, w in zip(g.source.tolist(), g.target.tolist(), g.length.tolist()):
        lengths[(str(ids[u]), str(ids[v]))] = w
    assert lengths[("d", "X@d>X>p")] == 2.0 and lengths[("X@p>X>d", "d")] == 5.0
    u = compile_graph(net, length="w", directed=False)
    assert u.n_edges == 4 and (u.source < u.target).all()


def test_no_infrastructure_gives_the_same_graph_in_both_modes():
    net = _net([{"dependent": "d", "provider": "p"}, {"dependent": "p", "provider": "q"}], [])
    a, b = compile_graph(net), compile_graph(net, paths="hub")
    assert _edges(a) == _edges(b) and a.n_nodes == b.n_nodes == 4
    np.testing.assert_array_equal(a.model_of, np.arange(4))


def test_bad_paths_and_transit_are_refused():
    net = _net([{"dependent": "d", "provider": "p"}], [])
    with pytest.raises(UsageError, match="paths must be one of routed, hub, got 'both'"):
        compile_graph(net, paths="both")
    with pytest.raises(InputError, match="transit must be one of closed, open"):
        _net([], [{"id": "X", "transit": "half"}])
