"""Multiplex power against brute force on the multiplex graph built from the definition."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from _records_graph import records_graph, stands_for
from hypothesis import given, settings
from hypothesis import strategies as st

import dependencia as dp


def brute_force(net: dp.Network, *, switch: float, directed: bool, normalized: bool, paths: str = "hub") -> dict:
    """docs/model.md#multiplex-power literally: copies per dimension, switching edges, minimum over copies, paths counted once.

    On the routed graph the route nodes of dimension k are copies in k only (switching joins the copies of each
    actor and infrastructure), and a route node's copy belongs to C(a) when its infrastructure does.
    """
    dims = list(net.dimensions.index)
    nodes = list(net.node_ids)
    multi = nx.DiGraph()
    multi.add_nodes_from((v, k) for v in nodes for k in dims)
    for k in dims:
        layer = records_graph(net, dimensions=[k], directed=directed, paths=paths)
        for u, v in layer.edges():
            multi.add_edge((u, k), (v, k), w=1.0)
            if not directed:
                multi.add_edge((v, k), (u, k), w=1.0)
    for v in nodes:
        for k, k2 in itertools.permutations(dims, 2):
            multi.add_edge((v, k), (v, k2), w=switch)
    actors = list(net.actors.index)
    result = {}
    for actor in actors:
        group = {(v, k) for v, k in multi.nodes if stands_for(v) in net.controls(actor)}
        outside = [a for a in actors if a not in net.controls(actor)]
        total = 0.0
        for s, t in itertools.permutations(outside, 2):
            lengths = {}
            for k, k2 in itertools.product(dims, dims):
                if nx.has_path(multi, (s, k), (t, k2)):
                    lengths[(k, k2)] = nx.shortest_path_length(multi, (s, k), (t, k2), weight="w")
            if not lengths:
                continue
            best = min(lengths.values())
            found = []
            for (k, k2), d in lengths.items():
                if abs(d - best) <= 1e-9:
                    found += list(nx.all_shortest_paths(multi, (s, k), (t, k2), weight="w"))
            through = sum(1 for p in found if any(v in group for v in p[1:-1]))
            total += through / len(found)
        pairs = len(outside) * (len(outside) - 1)
        result[actor] = (total / pairs if pairs else 0.0) if normalized else (total if directed else total / 2)
    return result


@st.composite
def multiplex_networks(draw):
    n = draw(st.integers(2, 6))
    actors = [f"a{i}" for i in range(n)]
    dims = ["d0", "d1", "d2"][: draw(st.integers(1, 3))]
    infras = [{"id": "x0", "owner": draw(st.sampled_from(actors))}] if draw(st.booleans()) else []
    deps = []
    for _ in range(draw(st.integers(0, 10))):
        u, v = draw(st.sampled_from(actors)), draw(st.sampled_from(actors))
        if u != v:
            route = ["x0"] if infras and draw(st.booleans()) else []
            deps.append({"dependent": u, "provider": v, "dimension": draw(st.sampled_from(dims)), "via": route})
    ownership = []
    if n > 2 and draw(st.booleans()):
        ownership.append({"owner": actors[0], "owned": actors[1], "share": 0.6})
    return dp.Network.from_records(
        [{"id": a} for a in actors], deps, dimensions=[{"id": d} for d in dims],
        infrastructures=infras, ownership=ownership,
    )


@pytest.mark.parametrize("paths", ["routed", "hub"])
@settings(max_examples=50)
@given(net=multiplex_networks(), switch=st.sampled_from([1.0, 0.5, 2.0]), directed=st.booleans(),
       normalized=st.booleans())
def test_multiplex_power_equals_brute_force(paths, net, switch, directed, normalized):
    frame = dp.multiplex_power(net, switch_length=switch, directed=directed, normalized=normalized, paths=paths)
    for actor, value in brute_force(net, switch=switch, directed=directed, normalized=normalized,
                                    paths=paths).items():
        assert frame.loc[actor, "power"] == pytest.approx(value, rel=1e-9, abs=1e-12), actor


def test_one_dimension_is_plain_power():
    graph = nx.gnm_random_graph(20, 50, seed=6, directed=True)
    net = dp.from_networkx(graph)
    plain = dp.power(net)["power"]
    multi = dp.multiplex_power(net)["power"]
    assert multi.to_numpy() == pytest.approx(plain.to_numpy(), rel=1e-12, abs=1e-15)


def test_switching_cost_changes_routes():
    # a -> b in dimension x, b -> c in y: reaching c through b switches at b (2 hops + the switch).
    # The other route stays in x: a -> d -> e -> c (3 hops). Switching at 0.5 makes b's route shorter
    # (2.5 < 3) and b carries the pair (a, c); switching at 5 makes it longer (7 > 3), and d and e carry it.
    net = dp.Network.from_records(
        [{"id": i} for i in "abcde"],
        [{"dependent": "a", "provider": "b", "dimension": "x"}, {"dependent": "b", "provider": "c", "dimension": "y"},
         {"dependent": "a", "provider": "d", "dimension": "x"}, {"dependent": "d", "provider": "e", "dimension": "x"},
         {"dependent": "e", "provider": "c", "dimension": "x"}],
    )
    cheap = dp.multiplex_power(net, switch_length=0.5, normalized=False)["power"]
    costly = dp.multiplex_power(net, switch_length=5, normalized=False)["power"]
    assert cheap["b"] == 1.0 and cheap["d"] == 1.0  # d still carries (a, e)
    assert costly["b"] == 0.0 and costly["d"] == 2.0  # d carries (a, e) and (a, c)


def test_bad_switching_length():
    net = dp.examples.load("florentine")
    with pytest.raises(dp.UsageError):
        dp.multiplex_power(net, switch_length=0)
