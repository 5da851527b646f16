"""The per-step compilation scope (graph.compiled.compiled_once) never serves a graph of another network."""

from __future__ import annotations

import numpy as np

import dependencia as dp
from dependencia.graph.compiled import compile_graph, compiled_once
from dependencia.network import edits


def _arrays(graph):
    return (graph.node_ids.tolist(), graph.source.tolist(), graph.target.tolist(), graph.strength.tolist(),
            graph.dimensions)


def test_an_edited_network_gets_its_own_graph_inside_the_scope():
    net = dp.examples.load("debt-brake")
    with compiled_once():
        before = compile_graph(net)
        assert compile_graph(net) is before
        assert compile_graph(net, dimensions=["energy"]) is not before
        rows = np.flatnonzero(net.dependencies["via"].map(len).to_numpy() == 0)[:2].tolist()
        dimension = net.dependencies["dimension"].iat[rows[0]]
        changed = edits.add_infrastructure(net, "new-road", owner="state", dimensions=(dimension,)).network
        changed = edits.reroute(changed, [r for r in rows if changed.dependencies["dimension"].iat[r] == dimension],
                                ["new-road"]).network
        inside = compile_graph(changed)
    outside = compile_graph(changed)  # no scope: compiled afresh, the oracle
    assert inside is not before
    assert _arrays(inside) == _arrays(outside)
    assert _arrays(inside) != _arrays(before)
