"""explain: decompositions sum exactly to the total and agree with path-by-path brute force."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict

import networkx as nx
import pytest
from _records_graph import records_graph, stands_for
from hypothesis import event, given, settings
from hypothesis import strategies as st
from test_power import networks

import dependencia as dp
from dependencia.cli import main
from dependencia.measures.explain import OTHER_PAIRS


def brute_force(net: dp.Network, actor: str, directed: bool, paths: str = "hub"):
    """Credit every shortest path between actors outside C(a) to the first node of C(a) it meets.

    On the routed graph a route node is its infrastructure: its credit goes to the infrastructure.
    """
    graph = records_graph(net, directed=directed, paths=paths)
    group = net.controls(actor)
    outside = [a for a in net.actors.index if a not in group]
    credit, pairs = defaultdict(float), {}
    for s, t in itertools.permutations(outside, 2):
        if not nx.has_path(graph, s, t):
            continue
        found = list(nx.all_shortest_paths(graph, s, t))
        through = 0
        for path in found:
            first = next((stands_for(v) for v in path[1:-1] if stands_for(v) in group), None)
            if first is not None:
                credit[first] += 1 / len(found)
                through += 1
        pairs[(s, t)] = through / len(found)
    factor = 1.0 if directed else 0.5
    return {k: v * factor for k, v in credit.items()}, {k: v * factor for k, v in pairs.items()}


@pytest.mark.parametrize("paths", ["routed", "hub"])
@settings(max_examples=40)
@given(net=networks(), directed=st.booleans(), data=st.data())
def test_decomposition_equals_brute_force_and_sums_to_the_total(paths, net, directed, data):
    actor = data.draw(st.sampled_from(list(net.actors.index)))
    why = dp.explain(net, actor, directed=directed, top=5, paths=paths)
    credit, pairs = brute_force(net, actor, directed, paths)
    raw = sum(pairs.values())
    assert why.raw_power == pytest.approx(raw, abs=1e-12)
    assert why.by_node["credit"].sum() == pytest.approx(why.raw_power, rel=1e-12, abs=1e-12)
    assert why.top_pairs["share"].sum() == pytest.approx(why.raw_power, rel=1e-12, abs=1e-12)
    for node, row in why.by_node.iterrows():
        assert row["credit"] == pytest.approx(credit.get(node, 0.0), abs=1e-12)
    listed = why.top_pairs[why.top_pairs["dependent"] != OTHER_PAIRS]
    expected_top = sorted((v for v in pairs.values() if v > 0), reverse=True)[: len(listed)]
    assert listed["share"].tolist() == pytest.approx(expected_top)
    for row in listed.itertuples():
        assert row.share == pytest.approx(pairs[(row.dependent, row.provider)])


def test_explain_a_cloud_provider_in_the_ai_stack(capsys):
    assert main(["explain", "ai-stack", "microsoft", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["actor"] == "microsoft"
    nodes = {r["id"]: r["credit"] for r in doc["by_node"]}
    assert set(nodes) == {"microsoft", "azure", "github"}
    assert sum(nodes.values()) == pytest.approx(doc["raw_power"])
    assert nodes["azure"] > 0  # Azure carries Microsoft's power
    assert sum(r["share"] for r in doc["top_pairs"]) == pytest.approx(doc["raw_power"])
    assert {r["id"] for r in doc["by_dimension"]} == {"compute", "capital", "semantic", "material", "financial"}


def test_explain_board_has_authority_but_no_power(capsys):
    assert main(["explain", "ai-stack", "board", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["power"] == 0.0 and doc["authority_held"] == ["openai"]


def test_explain_unknown_actor(capsys):
    assert main(["explain", "ai-stack", "nobody"]) == 2


def test_multiplex_credit_by_dimension_by_hand():
    # a -> b in food, b -> c in credit: the a-c path meets b first at b's food copy and switches
    # there: b's multiplex raw power 1 is credited to food.
    net = dp.Network.from_records(
        [{"id": i} for i in "abc"],
        [{"dependent": "a", "provider": "b", "dimension": "food"},
         {"dependent": "b", "provider": "c", "dimension": "credit"}],
    )
    why = dp.explain(net, "b")
    assert why.by_dimension["multiplex_credit"].to_dict() == {"food": 1.0, "credit": 0.0}
    assert why.by_dimension["multiplex_share"].to_dict() == {"food": 1.0, "credit": 0.0}


@settings(max_examples=25)
@given(net=networks(), directed=st.booleans(), data=st.data())
def test_multiplex_credit_sums_to_multiplex_power(net, directed, data):
    actor = data.draw(st.sampled_from(list(net.actors.index)))
    why = dp.explain(net, actor, directed=directed, switch_length=0.5)
    raw = dp.multiplex_power(net, switch_length=0.5, directed=directed, normalized=False).loc[actor, "power"]
    assert why.by_dimension["multiplex_credit"].sum() == pytest.approx(raw, rel=1e-12, abs=1e-12)


# --- why an actor's power is 0 (issue 21) --------------------------------------------------------------------

def test_zero_reason_no_dependents_by_hand():
    # o depends on p, and owns X, which no route uses: nothing leads into {o, X}.
    net = dp.Network.from_records(
        [{"id": i} for i in ("o", "p", "q")],
        [{"dependent": "o", "provider": "p"}, {"dependent": "p", "provider": "q"}],
        infrastructures=[{"id": "X", "owner": "o"}])
    why = dp.explain(net, "o")
    assert why.power == 0
    reason = why.zero_reason
    assert (reason.kind, reason.dependents, reason.dependencies) == ("no_dependents", 0, 2)
    assert reason.text == ("no one depends on o or on anything it controls (X), directly or indirectly: no path "
                           "leads into it, so none passes through it (it depends on 2 actors, directly or indirectly)")
    assert reason.bypass.empty and reason.examples.empty


def test_zero_reason_no_dependencies_by_hand():
    # a and b need the GPU maker n, which needs nobody: n is only ever the end of a path.
    net = dp.Network.from_records(
        [{"id": i} for i in ("a", "b", "n")],
        [{"dependent": "a", "provider": "n"}, {"dependent": "b", "provider": "n"}, {"dependent": "a", "provider": "b"}])
    reason = dp.explain(net, "n").zero_reason
    assert (reason.kind, reason.dependents, reason.dependencies) == ("no_dependencies", 2, 0)
    assert reason.text == ("n depends on no one: no path passes through a pure provider; "
                           "the paths of its 2 dependents end at it")


def test_no_reason_when_what_it_controls_carries_paths():
    # o itself depends on no one and nobody depends on it, but its platform carries (ann, shop): power > 0.
    net = dp.Network.from_records(
        [{"id": i} for i in ("ann", "shop", "o")],
        [{"dependent": "ann", "provider": "shop", "via": ["platform"]}],
        infrastructures=[{"id": "platform", "owner": "o"}])
    why = dp.explain(net, "o")
    assert why.raw_power == 1.0 and why.zero_reason is None


def test_zero_reason_isolated_and_round_trip_by_hand():
    net = dp.Network.from_records(
        [{"id": i} for i in ("a", "b", "lone")],
        [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "a"}])
    assert dp.explain(net, "lone").zero_reason.kind == "isolated"
    # b's only dependent, a, is also its only dependency: a -> b -> a is no pair of two actors
    reason = dp.explain(net, "b").zero_reason
    assert (reason.kind, reason.dependents, reason.dependencies) == ("no_pairs", 1, 1)
    assert reason.text.endswith("a path through it only leads back to where it started")


BYPASS_EDGES = [("a", "x"), ("x", "y"), ("y", "c"), ("a", "b"), ("b", "c"), ("a", "y")]


def test_zero_reason_bypassed_by_hand():
    # x sits on a -> x -> y (2 steps) and a -> x -> y -> c (3 steps), but a depends on y directly (1 step)
    # and reaches c in 2 steps through b or through y: the pairs (a, y) and (a, c) go around x.
    net = dp.Network.from_records(
        [{"id": i} for i in "abcxy"], [{"dependent": d, "provider": p} for d, p in BYPASS_EDGES])
    why = dp.explain(net, "x")
    assert why.power == 0
    reason = why.zero_reason
    assert (reason.kind, reason.dependents, reason.dependencies) == ("bypassed", 1, 2)
    assert reason.text == (
        "x has 1 dependent and 2 dependencies, but every shortest path between them goes around it: "
        "a depends on y directly (1 step, against 2 through x); "
        "a -> c runs through b, y, which is shorter (2 steps, against 3 through x)")
    # (a, c) has two shortest paths, a-b-c and a-y-c: b and y carry half of the pair each
    assert reason.bypass["pairs"].to_dict() == {"b": 0.5, "y": 0.5}
    assert reason.examples[["dependent", "provider"]].values.tolist() == [["a", "y"], ["a", "c"]]
    assert reason.examples["through"].tolist() == [(), ("b", "y")]


def test_zero_reason_bypassed_in_the_cli(capsys, tmp_path):
    file = tmp_path / "edges.csv"  # the edge list of test_zero_reason_bypassed_by_hand
    file.write_text("source,target\n" + "".join(f"{d},{p}\n" for d, p in BYPASS_EDGES))
    assert main(["explain", str(file), "x", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["zero_reason"]["kind"] == "bypassed"
    assert [b["id"] for b in doc["zero_reason"]["bypass"]] == ["b", "y"]
    assert doc["zero_reason"]["examples"][1] == {"dependent": "a", "provider": "c", "through": ["b", "y"],
                                                 "length": 2.0, "length_through_actor": 3.0}
    assert main(["explain", str(file), "x"]) == 0
    assert "why 0: x has 1 dependent and 2 dependencies" in capsys.readouterr().out
    assert main(["explain", str(file), "b", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["zero_reason"] is None  # b has power: a -> b -> c


@pytest.mark.parametrize("paths", ["routed", "hub"])
@settings(max_examples=80, deadline=None)
@given(net=networks(), directed=st.booleans(), weighted=st.booleans(), data=st.data())
def test_zero_reason_agrees_with_networkx(paths, net, directed, weighted, data):
    length = "w" if weighted and "w" in net.dependencies.columns else None
    actor = data.draw(st.sampled_from(list(net.actors.index)))
    why = dp.explain(net, actor, directed=directed, length=length, top=1000, paths=paths)
    graph = records_graph(net, directed=directed, length=length, paths=paths)  # from the records, not compile_graph
    controlled = set(net.controls(actor))
    group = {v for v in graph.nodes if stands_for(v) in controlled}  # with the route nodes of its infrastructures
    outside = [a for a in net.actors.index if a not in group]
    into = {s for s in outside if any(nx.has_path(graph, s, c) for c in group)}
    beyond = {t for t in outside if any(nx.has_path(graph, c, t) for c in group)}
    pairs = [(s, t) for s in into for t in beyond
             if s != t and any(nx.has_path(graph, s, c) and nx.has_path(graph, c, t) for c in group)]
    carried, through_group = defaultdict(float), False
    for s, t in pairs:
        found = list(nx.all_shortest_paths(graph, s, t, weight="length"))
        through_group |= any(v in group for path in found for v in path[1:-1])
        for path in found:
            for v in {stands_for(u) for u in path[1:-1]}:  # a route node carries for its infrastructure, once a path
                carried[v] += 1 / len(found)
    if through_group:
        event("has power")
        assert why.zero_reason is None and why.raw_power > 0
        return
    assert why.raw_power == 0
    reason = why.zero_reason
    assert (reason.dependents, reason.dependencies) == (len(into), len(beyond))
    expected_kind = ("isolated" if not into and not beyond else "no_dependents" if not into
                     else "no_dependencies" if not beyond else "no_pairs" if not pairs else "bypassed")
    event(expected_kind)
    assert reason.kind == expected_kind
    assert reason.bypass["pairs"].to_dict() == pytest.approx({v: x for v, x in carried.items() if x > 0})
    for row in reason.examples.itertuples():
        assert (row.dependent, row.provider) in pairs
        found = list(nx.all_shortest_paths(graph, row.dependent, row.provider, weight="length"))
        assert set(row.through) == {stands_for(v) for path in found for v in path[1:-1]}
        assert row.length == pytest.approx(nx.shortest_path_length(graph, row.dependent, row.provider, weight="length"))
        assert row.length_through_actor == pytest.approx(min(
            nx.shortest_path_length(graph, row.dependent, c, weight="length")
            + nx.shortest_path_length(graph, c, row.provider, weight="length")
            for c in group if nx.has_path(graph, row.dependent, c) and nx.has_path(graph, c, row.provider)))
        assert row.length < row.length_through_actor
