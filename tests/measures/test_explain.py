"""explain: decompositions sum exactly to the total and agree with path-by-path brute force."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_power import networks

import dependencia as dp
from dependencia.cli import main
from dependencia.measures.explain import OTHER_PAIRS
from _records_graph import records_graph


def brute_force(net: dp.Network, actor: str, directed: bool):
    """Credit every shortest path between actors outside C(a) to the first node of C(a) it meets."""
    graph = records_graph(net, directed=directed)
    group = net.controls(actor)
    outside = [a for a in net.actors.index if a not in group]
    credit, pairs = defaultdict(float), {}
    for s, t in itertools.permutations(outside, 2):
        if not nx.has_path(graph, s, t):
            continue
        paths = list(nx.all_shortest_paths(graph, s, t))
        through = 0
        for path in paths:
            first = next((v for v in path[1:-1] if v in group), None)
            if first is not None:
                credit[first] += 1 / len(paths)
                through += 1
        pairs[(s, t)] = through / len(paths)
    factor = 1.0 if directed else 0.5
    return {k: v * factor for k, v in credit.items()}, {k: v * factor for k, v in pairs.items()}


@settings(max_examples=40)
@given(net=networks(), directed=st.booleans(), data=st.data())
def test_decomposition_equals_brute_force_and_sums_to_the_total(net, directed, data):
    actor = data.draw(st.sampled_from(list(net.actors.index)))
    why = dp.explain(net, actor, directed=directed, top=5)
    credit, pairs = brute_force(net, actor, directed)
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
