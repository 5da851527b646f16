"""Chokepoints against NetworkX: remove each node, recompute the declared pairs' distances."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_power import networks

import dependencia as dp
from dependencia.cli import main
from dependencia.graph import compile_graph


def oracle(net: dp.Network, directed: bool) -> dict:
    graph = compile_graph(net, directed=directed).to_networkx()
    pairs = list(dict.fromkeys(zip(net.dependencies["dependent"], net.dependencies["provider"])))
    result = {}
    for v in graph.nodes:
        reduced = graph.copy()
        reduced.remove_node(v)
        cut = longer = 0
        for d, p in pairs:
            if v in (d, p) or not nx.has_path(graph, d, p):
                continue
            before = nx.shortest_path_length(graph, d, p)
            if not nx.has_path(reduced, d, p):
                cut += 1
            elif nx.shortest_path_length(reduced, d, p) > before:
                longer += 1
        result[v] = (cut / max(len(pairs), 1), longer / max(len(pairs), 1))
    return result


@settings(max_examples=40)
@given(net=networks(), directed=st.booleans())
def test_cut_and_lengthened_shares_equal_networkx(net, directed):
    frame = dp.chokepoints(net, directed=directed)
    for node, (cut, longer) in oracle(net, directed).items():
        assert frame.loc[node, "cut"] == pytest.approx(cut)
        assert frame.loc[node, "lengthened"] == pytest.approx(longer)


def test_panopticon_is_the_share_of_shortest_paths():
    # path a -> b -> c: 3 connected ordered pairs (a,b), (b,c), (a,c); b is on 1 of them
    net = dp.Network.from_records([{"id": i} for i in "abc"],
                                  [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    frame = dp.chokepoints(net)
    assert frame.loc["b", "panopticon"] == pytest.approx(1 / 3)
    assert frame.loc["b", "cut"] == 0.0  # b is an endpoint of both declared pairs


def test_sampling_reports_its_error_bound():
    graph = nx.gnm_random_graph(60, 200, seed=4, directed=True)
    frame = dp.chokepoints(dp.from_networkx(graph), sample=50, seed=1, candidates=10)
    assert frame.attrs["sampled"] is True and frame.attrs["pairs"] == 50
    assert 0 < frame.attrs["epsilon"] < 1
    assert frame["chokepoint"].notna().sum() <= 10


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
