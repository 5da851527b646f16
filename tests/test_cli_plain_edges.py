"""Issue 19 (memory): ``power`` (by node and by actor) on a plain edge list skips the model's tables, same bytes."""

from __future__ import annotations

import json

import igraph as ig
import numpy as np
import pytest

from dependencia.cli import main
from dependencia.cli import network as command


def _files(folder, seed):
    rng = np.random.default_rng(seed)
    n, m = 30, 120
    source, target = rng.integers(0, n, m), rng.integers(0, n, m)
    keep = source != target
    km = rng.choice([1.0, 2.0, 2.5, 7.0], m)
    rows = "".join(f"n{s},n{t},{w}\n" for s, t, w in zip(source[keep].tolist(), target[keep].tolist(), km[keep].tolist()))
    (folder / "e.csv").write_text("source,target,km\n" + rows)
    (folder / "a.csv").write_text("id\n" + "".join(f"n{i}\n" for i in range(n + 2)))
    return folder / "e.csv", folder / "a.csv", source[keep], target[keep], km[keep], n + 2


def _power(capsys, *args):
    assert main([str(a) for a in args]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("options", [
    ["--by", "node"], ["--by", "node", "--length", "km"], ["--by", "node", "--undirected"],
    ["--by", "node", "--endpoints", "--workers", "2"],
    [], ["--raw", "--length", "km"], ["--undirected"], ["--undirected", "--raw", "--workers", "2"],
    ["--epsilon", "0.05", "--seed", "3"], ["--epsilon", "0.05", "--length", "km", "--undirected"],
    ["--format", "csv", "--top", "7"],
])
def test_the_plain_path_gives_the_same_bytes_as_the_full_reader(capsys, monkeypatch, read_in_full, tmp_path, seed,
                                                                  options):
    edges, actors, *_ = _files(tmp_path, seed)
    exact = [] if "--epsilon" in options else ["--exact"]
    args = ["power", edges, "--actors", actors, *exact, "--format", "json", *options]
    taken = []
    plain_graph = command._plain_graph
    monkeypatch.setattr(command, "_plain_graph", lambda *a: taken.append(plain_graph(*a)) or taken[-1])
    lean = _power(capsys, *args)
    assert taken and taken[-1] is not None  # the plain path ran
    monkeypatch.setattr(command, "_plain_graph", lambda *a: None)
    with read_in_full():  # the Network's tables, as before any lean path
        assert lean == _power(capsys, *args)


def test_the_plain_path_agrees_with_igraph(capsys, tmp_path):
    """The oracle: igraph's betweenness on the same edges (parallel rows collapsed, shortest length kept)."""
    edges, actors, source, target, km, n = _files(tmp_path, 3)
    rows = json.loads(_power(capsys, "power", edges, "--actors", actors, "--by", "node", "--exact", "--raw",
                             "--length", "km", "--format", "json"))["rows"]
    shortest: dict[tuple[int, int], float] = {}
    for s, t, w in zip(source.tolist(), target.tolist(), km.tolist()):
        shortest[(s, t)] = min(w, shortest.get((s, t), np.inf))
    graph = ig.Graph(n=n, edges=list(shortest), directed=True)
    expected = graph.betweenness(directed=True, weights=list(shortest.values()))
    got = {row["id"]: row["betweenness"] for row in rows}
    assert len(got) == n
    assert np.allclose([got[f"n{i}"] for i in range(n)], expected, rtol=1e-12, atol=1e-12)


def test_a_file_beyond_the_plain_case_still_reads_in_full(capsys, tmp_path):
    (tmp_path / "e.csv").write_text("source,target,dimension\na,b,care\nb,c,care\n")
    out = json.loads(_power(capsys, "power", tmp_path / "e.csv", "--by", "node", "--raw", "--format", "json"))
    assert out["dimensions"] == ["care"] and {r["id"]: r["betweenness"] for r in out["rows"]}["b"] == 1.0


def test_plain_actor_power_agrees_with_networkx(capsys, tmp_path):
    """The oracle: with no infrastructure an actor's raw power is its node betweenness (NetworkX), its
    dependents and dependencies its ancestors and descendants, its direct ones its distinct neighbours."""
    import networkx as nx

    edges, actors, source, target, _, n = _files(tmp_path, 4)
    rows = json.loads(_power(capsys, "power", edges, "--actors", actors, "--exact", "--raw", "--format", "json"))["rows"]
    graph = nx.DiGraph()
    graph.add_nodes_from(f"n{i}" for i in range(n))
    graph.add_edges_from((f"n{s}", f"n{t}") for s, t in zip(source.tolist(), target.tolist()))
    expected = nx.betweenness_centrality(graph, normalized=False)
    got = {row["id"]: row for row in rows}
    assert len(got) == n
    for node in graph:
        row = got[node]
        assert row["power"] == pytest.approx(expected[node], rel=1e-12, abs=1e-12)
        assert row["betweenness"] == pytest.approx(expected[node], rel=1e-12, abs=1e-12)
        assert row["dependents"] == len(nx.ancestors(graph, node))
        assert row["dependencies"] == len(nx.descendants(graph, node))
        assert row["direct_dependents"] == graph.in_degree(node)
        assert row["direct_dependencies"] == graph.out_degree(node)
        assert row["kind"] == "actor" and row["controls"] == 0 and row["controlled_by"] is None
        assert row["formal_authority_over"] == []
    total = sum(expected.values())
    assert sum(row["power_share"] for row in rows) == pytest.approx(1.0)
    assert got["n0"]["power_share"] == pytest.approx(expected["n0"] / total)


@pytest.mark.parametrize("options", [["--burt"], ["--multiplex"]])
def test_actor_options_that_need_the_network_read_it(capsys, monkeypatch, tmp_path, options):
    edges, actors, *_ = _files(tmp_path, 5)
    monkeypatch.setattr(command, "_plain_graph", lambda *a: pytest.fail("the plain path ran"))
    assert main([*map(str, ["power", edges, "--actors", actors, "--exact", "--format", "json"]), *options]) == 0
