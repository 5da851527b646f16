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
from dependencia.cli import main


def oracle(net: dp.Network, directed: bool, paths: str = "hub") -> dict:
    graph = records_graph(net, directed=directed, paths=paths)
    pairs = list(dict.fromkeys(zip(net.dependencies["dependent"], net.dependencies["provider"])))
    result = {}
    for v in net.node_ids:  # an actor or infrastructure goes with every node that stands for it (its route nodes)
        reduced = graph.copy()
        reduced.remove_nodes_from([u for u in graph.nodes if stands_for(u) == v])
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


@pytest.mark.parametrize("paths", ["routed", "hub"])
@settings(max_examples=40)
@given(net=networks(), directed=st.booleans())
def test_cut_and_lengthened_shares_equal_networkx(paths, net, directed):
    frame = dp.chokepoints(net, directed=directed, paths=paths)
    for node, (cut, longer) in oracle(net, directed, paths).items():
        assert frame.loc[node, "cut"] == pytest.approx(cut)
        assert frame.loc[node, "lengthened"] == pytest.approx(longer)


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
