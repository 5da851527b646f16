"""Chokepoints against NetworkX: remove each node, recompute the declared pairs' distances."""

from __future__ import annotations

import json

import networkx as nx
import numpy as np
import pytest
from _records_graph import records_graph, stands_for
from hypothesis import given, settings
from hypothesis import strategies as st
from test_power import networks

import dependencia as dp
from dependencia.base.executor import Executor
from dependencia.cli import main
from dependencia.graph.compiled import compile_graph
from dependencia.measures import _pair_sums
from dependencia.measures.chokepoints import connected_pair_count, removal_counts


def declared_pairs(net: dp.Network, dimensions=None) -> list[tuple[str, str]]:
    deps = net.dependencies
    if dimensions is not None:
        deps = deps[deps["dimension"].isin(dimensions)]
    return list(dict.fromkeys(zip(deps["dependent"], deps["provider"])))


def oracle(net: dp.Network, directed: bool, paths: str = "hub", *, length: str | None = None, dimensions=None,
           pairs=None, removed=None) -> dict:
    """(cut, lengthened) share of ``pairs`` (the declared ones by default) for each removed actor or infrastructure."""
    graph = records_graph(net, directed=directed, length=length, dimensions=dimensions, paths=paths)
    pairs = declared_pairs(net, dimensions) if pairs is None else pairs
    result = {}
    for v in net.node_ids if removed is None else removed:
        # an actor or infrastructure goes with every node that stands for it (its route nodes)
        reduced = graph.copy()
        reduced.remove_nodes_from([u for u in graph.nodes if stands_for(u) == v])
        cut = longer = 0
        for d, p in pairs:
            if v in (d, p) or not nx.has_path(graph, d, p):
                continue
            before = nx.shortest_path_length(graph, d, p, weight="length")
            if not nx.has_path(reduced, d, p):
                cut += 1
            elif nx.shortest_path_length(reduced, d, p, weight="length") > before:
                longer += 1
        result[v] = (cut / max(len(pairs), 1), longer / max(len(pairs), 1))
    return result


@st.composite
def routed_networks(draw):
    """Actors, open and closed infrastructures, routes of up to 3 hops, two dimensions, integer lengths."""
    n = draw(st.integers(2, 10))
    actors = [f"a{i}" for i in range(n)]
    infras = [{"id": f"x{i}", "transit": draw(st.sampled_from(["open", "closed"]))} for i in range(draw(st.integers(0, 3)))]
    deps = []
    for _ in range(draw(st.integers(0, 20))):
        u, v = draw(st.sampled_from(actors)), draw(st.sampled_from(actors))
        if u == v:
            continue
        route = draw(st.lists(st.sampled_from([i["id"] for i in infras]), max_size=3, unique=True)) if infras else []
        deps.append({"dependent": u, "provider": v, "via": route, "dimension": draw(st.sampled_from("xy")),
                     "w": draw(st.integers(1, 3))})
    return dp.Network.from_records([{"id": a} for a in actors], deps, infrastructures=infras)


@pytest.mark.parametrize("paths", ["routed", "hub"])
@settings(max_examples=40)
@given(net=networks(), directed=st.booleans())
def test_cut_and_lengthened_shares_equal_networkx(paths, net, directed):
    frame = dp.chokepoints(net, directed=directed, paths=paths)
    for node, (cut, longer) in oracle(net, directed, paths).items():
        assert frame.loc[node, "cut"] == pytest.approx(cut)
        assert frame.loc[node, "lengthened"] == pytest.approx(longer)


def _known(net: dp.Network, dimensions):
    chosen = [d for d in dimensions or () if d in net.dimensions.index]
    return chosen or None


@pytest.mark.parametrize("paths", ["routed", "hub"])
@settings(max_examples=25, deadline=None)
@given(net=routed_networks(), directed=st.booleans(), weighted=st.booleans(),
       dimensions=st.sampled_from([None, ["x"], ["y"], ["x", "y"]]))
def test_lengths_dimensions_and_open_infrastructures_equal_networkx(paths, net, directed, weighted, dimensions):
    length = "w" if weighted and len(net.dependencies) else None
    dimensions = _known(net, dimensions)
    frame = dp.chokepoints(net, directed=directed, length=length, dimensions=dimensions, paths=paths)
    for node, (cut, longer) in oracle(net, directed, paths, length=length, dimensions=dimensions).items():
        assert (frame.loc[node, "cut"], frame.loc[node, "lengthened"]) == (cut, longer), node  # the same bytes


@settings(max_examples=40, deadline=None)
@given(net=routed_networks(), directed=st.booleans(), weighted=st.booleans(), paths=st.sampled_from(["routed", "hub"]),
       data=st.data())
def test_removal_counts_of_any_pairs_and_any_nodes_equal_networkx(net, directed, weighted, paths, data):
    # any pairs of actors (unreachable ones and a node with itself included), any actors and infrastructures removed
    length = "w" if weighted and len(net.dependencies) else None
    graph = compile_graph(net, directed=directed, length=length, paths=paths)
    actors = list(net.actors.index)
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(actors), st.sampled_from(actors)), max_size=12, unique=True))
    removed = data.draw(st.lists(st.sampled_from(list(net.node_ids)), max_size=6, unique=True))
    at = graph.index.get_loc
    cut, longer = removal_counts(graph, np.array([[at(d), at(p)] for d, p in pairs], dtype=np.int64).reshape(-1, 2),
                                 [at(v) for v in removed])
    expected = oracle(net, directed, paths, length=length, pairs=pairs, removed=removed)
    assert {v: (c / max(len(pairs), 1), k / max(len(pairs), 1)) for v, c, k in zip(removed, cut, longer)} == expected


def test_tied_lengths_on_a_larger_routed_network_equal_networkx():
    # 120 actors, 220 dependencies, a third of them via one of 6 infrastructures (half open), lengths in halves:
    # many paths tie exactly, and a candidate lengthens a pair only when it is on all of its shortest paths
    rng = np.random.default_rng(5)
    actors = [f"a{i}" for i in range(120)]
    infras = [{"id": f"x{k}", "transit": "open" if k % 2 else "closed"} for k in range(6)]
    deps = []
    for _ in range(220):
        u, v = rng.choice(120, size=2, replace=False)
        via = [f"x{int(k)}" for k in rng.choice(6, size=int(rng.integers(1, 3)), replace=False)] \
            if rng.random() < 0.33 else []
        deps.append({"dependent": actors[u], "provider": actors[v], "via": via,
                     "w": float(rng.choice([0.5, 1.0, 1.5, 2.0]))})
    net = dp.Network.from_records([{"id": a} for a in actors], deps, infrastructures=infras)
    pairs = declared_pairs(net)
    pairs = [pairs[i] for i in sorted(rng.choice(len(pairs), size=80, replace=False))]
    removed = [f"x{k}" for k in range(6)] + [actors[int(i)] for i in rng.choice(120, size=14, replace=False)]
    for directed, length in ((True, "w"), (False, "w"), (True, None)):
        graph = compile_graph(net, directed=directed, length=length)
        at = graph.index.get_loc
        cut, longer = removal_counts(graph, np.array([[at(d), at(p)] for d, p in pairs]), [at(v) for v in removed])
        expected = oracle(net, directed, "routed", length=length, pairs=pairs, removed=removed)
        assert {v: (c / 80, k / 80) for v, c, k in zip(removed, cut, longer)} == expected
        assert cut.sum() > 0 and longer.sum() > 0  # both kinds occur


def test_lengths_can_make_a_node_a_chokepoint_that_hop_counts_do_not():
    # a -> b -> c (lengths 1 + 1) and a -> c (length 3): by lengths every shortest a-c path passes b, by hops none
    net = dp.Network.from_records([{"id": i} for i in "abc"], [
        {"dependent": "a", "provider": "b", "km": 1}, {"dependent": "b", "provider": "c", "km": 1},
        {"dependent": "a", "provider": "c", "km": 3}])
    assert dp.chokepoints(net, length="km").loc["b", ["cut", "lengthened"]].tolist() == [0.0, 1 / 3]
    assert dp.chokepoints(net).loc["b", ["cut", "lengthened"]].tolist() == [0.0, 0.0]
    # a -> c via a closed hub; else only a - b - d - c, against the directions: the hub's removal cuts the
    # pair on the directed graph and lengthens it (2 hops to 3) on the undirected one
    net = dp.Network.from_records([{"id": i} for i in "abcd"], [
        {"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "d"}, {"dependent": "c", "provider": "d"},
        {"dependent": "a", "provider": "c", "via": ["hub"]}], infrastructures=[{"id": "hub"}])
    assert dp.chokepoints(net).loc["hub", ["cut", "lengthened"]].tolist() == [1 / 4, 0.0]
    frame = dp.chokepoints(net, directed=False)
    assert frame.loc["hub", ["cut", "lengthened"]].tolist() == [0.0, 1 / 4]
    assert frame.loc["b", ["cut", "lengthened"]].tolist() == [0.0, 0.0]


def test_removal_counts_are_the_same_with_two_worker_processes(monkeypatch):
    net = dp.examples.load("ai-stack")
    graph = compile_graph(net)
    at = graph.index.get_loc
    pairs = declared_pairs(net)
    array = np.array([[at(d), at(p)] for d, p in pairs])
    removed = list(net.node_ids)
    single = removal_counts(graph, array, [at(v) for v in removed], executor=Executor(1))
    monkeypatch.setattr(_pair_sums, "PARALLEL_MIN_COST", 0)  # worker processes even for this small graph
    double = removal_counts(graph, array, [at(v) for v in removed], executor=Executor(2))
    assert all(np.array_equal(a, b) for a, b in zip(single, double))
    expected = oracle(net, True, "routed", pairs=pairs)
    assert {v: (c / len(pairs), k / len(pairs)) for v, c, k in zip(removed, *double)} == expected
    assert single[0].sum() > 0


@settings(max_examples=25, deadline=None)
@given(net=routed_networks(), directed=st.booleans(), paths=st.sampled_from(["routed", "hub"]))
def test_connected_pairs_are_the_ordered_pairs_with_a_path(net, directed, paths):
    # of actors on the routed graph with infrastructures, of all actors and infrastructures otherwise
    graph = records_graph(net, directed=directed, paths=paths)
    ends = list(net.actors.index) if paths == "routed" and len(net.infrastructures) else list(net.node_ids)
    expected = sum(1 for s in ends for t in ends if s != t and nx.has_path(graph, s, t))
    assert connected_pair_count(compile_graph(net, directed=directed, paths=paths)) == expected


def test_panopticon_is_the_share_of_shortest_paths():
    # path a -> b -> c: 3 connected ordered pairs (a,b), (b,c), (a,c); b is on 1 of them
    net = dp.Network.from_records([{"id": i} for i in "abc"],
                                  [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    frame = dp.chokepoints(net)
    assert frame.loc["b", "panopticon"] == pytest.approx(1 / 3)
    assert frame.loc["b", "cut"] == 0.0  # b is an endpoint of both declared pairs


def test_sampled_shares_vary_centre_on_the_exact_ones_and_keep_their_bound():
    # ai-stack is routed: cutting azure, aws or gcp cuts declared dependencies, so the exact shares are
    # positive, and a sample of 12 of its 21 declared pairs gives estimates that differ from seed to seed.
    net = dp.examples.load("ai-stack")
    exact = dp.chokepoints(net)
    positive = exact.index[exact["chokepoint"] > 0]
    assert len(positive) >= 3
    draws = [dp.chokepoints(net, sample=12, seed=seed) for seed in range(200)]
    assert all(d.attrs["sampled"] and d.attrs["pairs"] == 12 for d in draws)
    values = np.array([[d.loc[node, "chokepoint"] for node in positive] for d in draws])
    assert (values.std(axis=0) > 0).all()                                   # the sample matters
    standard_error = values.std(axis=0, ddof=1) / np.sqrt(len(draws))
    assert (np.abs(values.mean(axis=0) - exact.loc[positive, "chokepoint"].to_numpy()) <= 3 * standard_error).all()
    # the stated epsilon holds for every node at once in at least 1 - delta of the seeds
    within = [all(abs(d.loc[node, column] - exact.loc[node, column]) <= d.attrs["epsilon"]
                  for node in exact.index for column in ("cut", "lengthened"))
              for d in draws]
    assert np.mean(within) >= 1 - draws[0].attrs["delta"]


def test_cli_chokepoints_on_the_ai_stack(capsys):
    assert main(["chokepoints", "ai-stack", "--top", "3", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["measure"] == "chokepoints" and len(doc["rows"]) == 3
    assert doc["rows"][0]["id"] == "azure"  # the cloud most routes run through


def test_sampling_without_any_candidate(capsys):
    # four separate pairs: nobody lies between anybody, so every share is exactly 0
    net = dp.Network.from_records([{"id": i} for i in "abcdefgh"],
                                  [{"dependent": u, "provider": v} for u, v in ("ab", "cd", "ef", "gh")])
    frame = dp.chokepoints(net, sample=2)
    assert frame.attrs["epsilon"] == 0.0 and (frame["chokepoint"] == 0).all()
