"""Dominance (docs/model.md, section "Dominance") against brute force on graphs built from the records.

The oracles do not use ``compile_graph`` nor the kernel: the graph is rebuilt here from the
network's records by the definition of docs/model.md#graphs (on the routed graph each closed
infrastructure of a route is a node of that route alone, identical routes share it; an open
one, or any one on the hub graph, is the infrastructure's own node), and the count per actor is
the definition read literally: for every ordered actor pair (s, t), s != t, both outside C(a),
t reachable from s, is some node of C(a) on every path from s to t? One oracle asks NetworkX's
``immediate_dominators`` (Cooper, Harvey and Kennedy's algorithm, not the kernel's semi-NCA),
the other removes each node of C(a) in turn and checks whether t is still reachable.
"""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from _random_network import dimensions_of, random_network

import dependencia as dp
from dependencia.errors import UsageError
from dependencia.graph.compiled import compile_graph
from dependencia.measures import _pair_sums
from dependencia.measures.dominance import dominance, graph_dominance

PATHS = ("routed", "hub")


# --------------------------------------------------------------------------- the oracles
def records_graph(net: dp.Network, *, directed: bool, paths: str, dimensions) -> tuple[nx.DiGraph, dict]:
    """The graph from the records (both directions of every hop when undirected) and every actor's C(a).

    A route node is ``("route", X, dependent, via, provider)``: one per closed infrastructure per
    distinct route. C(a) is the model's control group with, on the routed graph, the route nodes
    of its infrastructures.
    """
    wanted = None if dimensions is None else ({dimensions} if isinstance(dimensions, str) else set(dimensions))
    closed = {x: (paths == "routed" and t != "open") for x, t in net.infrastructures["transit"].items()}
    graph = nx.DiGraph()
    graph.add_nodes_from(net.actors.index)
    graph.add_nodes_from(net.infrastructures.index)
    route_nodes: dict[str, set] = {x: set() for x in net.infrastructures.index}
    for record in net.dependencies.to_dict(orient="records"):
        if wanted is not None and record["dimension"] not in wanted:
            continue
        via = tuple(record["via"]) if isinstance(record["via"], (list, tuple)) else ()
        d, p = record["dependent"], record["provider"]
        stops = []
        for x in via:
            if closed[x]:
                node = ("route", x, d, via, p)
                route_nodes[x].add(node)
                stops.append(node)
            else:
                stops.append(x)
        chain = [d, *stops, p]
        for u, v in zip(chain, chain[1:]):
            graph.add_edge(u, v)
            if not directed:
                graph.add_edge(v, u)
    groups = {}
    for actor, members in net.control_groups().items():
        group = set(members)
        for x in members:
            if x in route_nodes:
                group |= route_nodes[x]
        groups[actor] = group
    return graph, groups


def brute_force_dominators(net: dp.Network, *, directed: bool, paths: str, dimensions=None) -> pd.DataFrame:
    """The definition with NetworkX's dominator trees: (dominated pairs, pairs counted) per actor."""
    graph, groups = records_graph(net, directed=directed, paths=paths, dimensions=dimensions)
    actors = list(net.actors.index)
    dominated = dict.fromkeys(actors, 0)
    pairs = dict.fromkeys(actors, 0)
    for s in actors:
        idom = nx.immediate_dominators(graph, s)  # NetworkX 3.6 leaves the start out, older ones map it to itself
        for t in actors:
            if t == s or t not in idom:
                continue
            chain = {t}  # every dominator of t: t, idom(t), idom(idom(t)), ... up to s
            v = t
            while v != s:
                v = idom[v]
                chain.add(v)
            for a in actors:
                if s in groups[a] or t in groups[a]:
                    continue
                pairs[a] += 1
                dominated[a] += bool(chain & groups[a])
    return _expected(actors, dominated, pairs)


def brute_force_cuts(net: dp.Network, *, directed: bool, paths: str, dimensions=None) -> pd.DataFrame:
    """The definition with no dominator algorithm: t is cut off from s when one node of C(a) is removed."""
    graph, groups = records_graph(net, directed=directed, paths=paths, dimensions=dimensions)
    actors = list(net.actors.index)
    dominated = dict.fromkeys(actors, 0)
    pairs = dict.fromkeys(actors, 0)
    for a in actors:
        group = groups[a]
        for s, t in itertools.permutations([x for x in actors if x not in group], 2):
            if not nx.has_path(graph, s, t):
                continue
            pairs[a] += 1
            dominated[a] += any(
                not nx.has_path(nx.restricted_view(graph, [c], []), s, t) for c in group if c in graph
            )
    return _expected(actors, dominated, pairs)


def _expected(actors: list[str], dominated: dict, pairs: dict) -> pd.DataFrame:
    frame = pd.DataFrame({"dominated_pairs": dominated, "pairs": pairs}).reindex(actors)
    frame["dominance"] = np.where(frame["pairs"] > 0, frame["dominated_pairs"] / frame["pairs"].clip(lower=1), 0.0)
    return frame


def assert_matches(frame: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert frame["dominated_pairs"].tolist() == expected["dominated_pairs"].tolist()
    np.testing.assert_allclose(frame["dominance"].to_numpy(), expected["dominance"].to_numpy(), rtol=0, atol=1e-15)


# --------------------------------------------------------------------------- random networks
@pytest.mark.parametrize("seed", range(30))
def test_dominance_equals_networkx_dominators(seed):
    net = random_network(seed)
    dimensions = dimensions_of(net, seed)
    for directed, paths in itertools.product((True, False), PATHS):
        frame = dominance(net, paths=paths, directed=directed, dimensions=dimensions)
        assert_matches(frame, brute_force_dominators(net, directed=directed, paths=paths, dimensions=dimensions))


@pytest.mark.parametrize("seed", range(100, 110))
def test_dominance_equals_node_removal(seed):
    net = random_network(seed, n_max=7, deps_max=14)
    for directed, paths in itertools.product((True, False), PATHS):
        frame = dominance(net, paths=paths, directed=directed)
        assert_matches(frame, brute_force_cuts(net, directed=directed, paths=paths))


@pytest.mark.parametrize("directed", [True, False])
def test_a_larger_network_with_cycles_and_groups(directed):
    # deeper dominator trees and longer compressed paths than the small networks give
    rng = np.random.default_rng(5)
    n = 120
    actors = [f"a{i}" for i in range(n)]
    infrastructures = [{"id": f"x{k}", "owner": actors[k], "transit": ("open", "closed")[k % 2]} for k in range(6)]
    deps = []
    for i in range(n):
        for j in rng.choice(n, size=int(rng.integers(0, 3)), replace=False):
            if int(j) != i:
                via = [f"x{int(rng.integers(6))}"] if rng.random() < 0.25 else []
                deps.append({"dependent": actors[i], "provider": actors[int(j)], "via": via})
    ownership = [{"owner": actors[k], "owned": actors[k + 50], "share": 0.6} for k in range(10)]
    net = dp.Network.from_records([{"id": a} for a in actors], deps, infrastructures=infrastructures,
                                  ownership=ownership)
    for paths in PATHS:
        frame = dominance(net, paths=paths, directed=directed)
        expected = brute_force_dominators(net, directed=directed, paths=paths)
        assert_matches(frame, expected)
        assert frame["dominated_pairs"].sum() > 0


# --------------------------------------------------------------------------- worked by hand
def test_chain_the_middle_actor_cuts_the_ends_apart():
    # a -> b -> c (a depends on b, b on c). Actors are the only ends.
    # b: pairs outside C(b) = {b} among {a, c}: (a, c) has a path, (c, a) none -> 1 pair counted;
    #    every a-c path passes b -> 1 dominated; dominance 1/1 = 1.
    # a: pairs among {b, c}: (b, c) has a path that a is not on -> 0 of 1.
    # c: pairs among {a, b}: (a, b), direct -> 0 of 1.
    net = dp.Network.from_records([{"id": i} for i in "abc"],
                                  [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    frame = dominance(net)
    assert frame["dominance"].to_dict() == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert frame["dominated_pairs"].to_dict() == {"a": 0, "b": 1, "c": 0}
    # undirected: (a, c) and (c, a) both have paths and b is on both -> 2 of 2
    undirected = dominance(net, directed=False)
    assert undirected["dominance"].to_dict() == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert undirected["dominated_pairs"].to_dict() == {"a": 0, "b": 2, "c": 0}


def test_a_diamond_has_shortest_paths_through_b_but_no_dominator():
    # a -> b -> d and a -> c -> d: b is on half the shortest a-d paths (raw power 0.5) but
    # a -> c -> d avoids it, so b dominates nothing. b's pairs, among a, c, d, with a path:
    # (a, c), (a, d), (c, d) -> 0 of 3. Likewise c. a's pairs among b, c, d: (b, d), (c, d),
    # direct -> 0 of 2; d's among a, b, c: (a, b), (a, c), direct -> 0 of 2.
    net = dp.Network.from_records(
        [{"id": i} for i in "abcd"],
        [{"dependent": u, "provider": v} for u, v in (("a", "b"), ("b", "d"), ("a", "c"), ("c", "d"))])
    assert dominance(net)["dominated_pairs"].tolist() == [0, 0, 0, 0]
    assert dp.power(net, normalized=False).loc["b", "power"] == pytest.approx(0.5)
    # a -> b -> c -> d and a -> d: b (and c) cut (a, c) apart; (a, d) goes round -> 1 of 3
    chain = dp.Network.from_records(
        [{"id": i} for i in "abcd"],
        [{"dependent": u, "provider": v} for u, v in (("a", "b"), ("b", "c"), ("c", "d"), ("a", "d"))])
    frame = dominance(chain)
    assert frame["dominated_pairs"].tolist() == [0, 1, 1, 0]
    assert frame.loc["b", "dominance"] == pytest.approx(1 / 3)


def test_an_owned_platform_on_the_routed_and_the_hub_graph():
    # ann and bob reach shop via platform (closed, owned by owner); ann also depends on bob.
    # C(owner) = {owner, platform} and, routed, its two route nodes r1 = platform@ann>platform>shop
    # and r2 = platform@bob>platform>shop. Pairs outside C(owner), among ann, bob, shop, with a path:
    # (ann, bob), (ann, shop), (bob, shop) -> 3 (shop reaches no one, bob does not reach ann).
    # Routed: ann -> r1 -> shop and ann -> bob -> r2 -> shop: no single node of C(owner) is on both
    #   paths, so (ann, shop) is not dominated (the group cuts it as a set, not by one node);
    #   (bob, shop) has the one path through r2 -> 1 dominated of 3.
    # Hub: platform is one node on both ann-shop paths and on bob's -> 2 dominated of 3.
    # bob: pairs among ann, shop, owner: (ann, shop), which ann -> r1 -> shop passes without bob
    #   (routed) -> 0 of 1; on the hub graph ann -> platform -> shop avoids bob too -> 0 of 1.
    net = dp.Network.from_records(
        [{"id": i} for i in ("ann", "bob", "shop", "owner")],
        [{"dependent": "ann", "provider": "shop", "via": ["platform"]},
         {"dependent": "bob", "provider": "shop", "via": ["platform"]},
         {"dependent": "ann", "provider": "bob"}],
        infrastructures=[{"id": "platform", "owner": "owner"}])
    routed = dominance(net)
    assert routed.loc["owner", "dominated_pairs"] == 1
    assert routed.loc["owner", "dominance"] == pytest.approx(1 / 3)
    hub = dominance(net, paths="hub")
    assert hub.loc["owner", "dominated_pairs"] == 2
    assert hub.loc["owner", "dominance"] == pytest.approx(2 / 3)
    for frame in (routed, hub):
        assert frame.loc[["ann", "bob", "shop"], "dominated_pairs"].tolist() == [0, 0, 0]


# --------------------------------------------------------------------------- the frame and bad input
def test_frame_layout_and_attributes():
    net = random_network(3)
    frame = dominance(net, directed=False, paths="hub")
    assert frame.index.name == "id" and frame.index.tolist() == list(net.actors.index)
    assert list(frame.columns) == ["dominance", "dominated_pairs"]
    assert frame["dominated_pairs"].dtype == np.int64 and frame["dominance"].dtype == float
    assert ((frame["dominance"] >= 0) & (frame["dominance"] <= 1)).all()
    assert frame.attrs["measure"] == "dominance"
    assert frame.attrs["paths"] == "hub" and frame.attrs["directed"] is False
    graph = compile_graph(net, directed=False, paths="hub")
    pd.testing.assert_frame_equal(graph_dominance(net, graph), frame)


def test_no_dependencies_and_no_pairs():
    net = dp.Network.from_records([{"id": "a"}, {"id": "b"}])
    frame = dominance(net)
    assert frame["dominance"].tolist() == [0.0, 0.0] and frame["dominated_pairs"].tolist() == [0, 0]
    alone = dominance(dp.Network.from_records([{"id": "a"}]))
    assert alone["dominance"].tolist() == [0.0]


def test_the_same_counts_with_workers(monkeypatch):
    monkeypatch.setattr(_pair_sums, "PARALLEL_MIN_COST", 0)  # run the slices in worker processes
    net = random_network(11, n_max=40, deps_max=120)
    serial = dominance(net, workers=1)
    pd.testing.assert_frame_equal(dominance(net, workers=2), serial)


@pytest.mark.parametrize("paths", ["bogus", "Routed", ""])
def test_unknown_paths_is_a_usage_error(paths):
    net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
    with pytest.raises(UsageError, match="paths"):
        dominance(net, paths=paths)


def test_unknown_dimension_is_a_usage_error():
    net = dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])
    with pytest.raises(UsageError, match="dimension"):
        dominance(net, dimensions="nope")
