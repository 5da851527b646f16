"""The ``improve`` command (docs/cli.md): JSON contract, table and CSV, exit codes.

The command runs through :func:`dependencia.cli.main` (its exit codes and
error messages) on a small Typer app that registers only
:func:`dependencia.cli.improve.improve`, so these tests do not depend on
the main app's registration.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
import typer

from dependencia import cli
from dependencia.cli.improve import improve

CONTRACT_KEYS = ["actor", "strategy", "links", "added", "betweenness_before", "betweenness_after",
                 "rank_before", "rank_after"]


@pytest.fixture
def run(monkeypatch, capsys):
    app = typer.Typer(name="dependencia", no_args_is_help=True, add_completion=False,
                      pretty_exceptions_enable=False, rich_markup_mode=None)
    app.callback()(cli._root)
    app.command()(improve)
    monkeypatch.setattr(cli, "app", app)

    def invoke(*args: object) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def path_csv(tmp_path: Path) -> Path:
    path = tmp_path / "path.csv"
    path.write_text("source,target\na,b\nb,c\n")
    return path


def test_json_is_exactly_the_contract_object(run, path_csv):
    # a -> b -> c: b holds the pair (a, c), 0.5; linking c -> a puts a on c -> a -> b (0.5 of
    # the 2 ordered pairs), and the cycle ties all three at rank 1 (a was 2nd).
    code, out, err = run("improve", path_csv, "a", "--links", "1", "--format", "json")
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert list(doc) == CONTRACT_KEYS
    assert doc == {"actor": "a", "strategy": "greedy", "links": 1, "added": [{"dependent": "c", "provider": "a"}],
                   "betweenness_before": 0.0, "betweenness_after": 0.5, "rank_before": 2, "rank_after": 1}


def test_json_agrees_with_networkx_recomputed(run, tmp_path):
    graph = nx.gnm_random_graph(25, 60, seed=8, directed=True)
    csv = tmp_path / "g.csv"
    csv.write_text("source,target\n" + "".join(f"n{u},n{v}\n" for u, v in graph.edges()))
    present = sorted({f"n{v}" for v in graph.nodes() if graph.degree(v) > 0})
    target = present[3]
    for strategy in ("greedy", "top-degree", "random"):
        code, out, _ = run("improve", csv, target, "--links", "3", "--strategy", strategy, "--seed", "2",
                           "--format", "json")
        doc = json.loads(out)
        assert code == 0 and doc["strategy"] == strategy and doc["links"] == 3 and len(doc["added"]) == 3
        relabelled = nx.relabel_nodes(graph.subgraph(int(p[1:]) for p in present), lambda v: f"n{v}")
        before = nx.betweenness_centrality(relabelled)
        after_graph = relabelled.copy()
        after_graph.add_edges_from((a["dependent"], a["provider"]) for a in doc["added"])
        after = nx.betweenness_centrality(after_graph)
        assert all(a["provider"] == target and not relabelled.has_edge(a["dependent"], target) for a in doc["added"])
        assert doc["betweenness_before"] == pytest.approx(before[target], rel=1e-9, abs=1e-15)
        assert doc["betweenness_after"] == pytest.approx(after[target], rel=1e-9, abs=1e-15)
        key = {v: float(f"{b:.12g}") for v, b in after.items()}
        assert doc["rank_after"] == 1 + sum(k > key[target] for k in key.values())


def test_table_shows_links_and_before_after(run, path_csv):
    code, out, _ = run("improve", path_csv, "a")
    assert code == 0
    assert "betweenness of a: 0 -> 0.5 (normalized); rank 2 -> 1 of 3 nodes" in out
    assert "c" in out and "new dependents of a (greedy)" in out


def test_csv_has_a_summary_row_then_the_links(run, path_csv):
    code, out, _ = run("improve", path_csv, "a", "--format", "csv", "--strategy", "top-degree")
    summary, links = out.split("\n\n")
    assert summary.splitlines() == [
        "actor,strategy,links,betweenness_before,betweenness_after,rank_before,rank_after",  # the JSON keys
        "a,top-degree,1,0.0,0.0,2,2",  # b (out-degree 1) beats c (0); b -> a puts a on no shortest path
    ]
    assert links.splitlines() == ["dependent,provider", "b,a"]  # in the order chosen, as JSON's "added"


def test_output_file_is_written(run, path_csv, tmp_path):
    target = tmp_path / "out.json"
    code, out, _ = run("improve", path_csv, "a", "--format", "json", "-o", target)
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["added"] == [{"dependent": "c", "provider": "a"}]
    table = tmp_path / "out.txt"
    assert run("improve", path_csv, "a", "-o", table)[0] == 0
    assert table.read_text().startswith("betweenness of a: 0 -> 0.5")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "error: no actor 'nobody' in the network"),
        (["a", "--links", "3"], "error: only 2 nodes can still link to 'a'; asked for 3 links"),
        (["a", "--dimension", "zz"], "error: unknown dimension 'zz'"),
    ],
)
def test_bad_input_exits_2_with_one_line(run, path_csv, args, message):
    code, out, err = run("improve", path_csv, *args)
    assert code == 2 and out == ""
    assert err.startswith(message) and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bad_option_values_are_usage_errors(run, path_csv):
    assert run("improve", path_csv, "a", "--strategy", "best")[0] == 2
    assert run("improve", path_csv, "a", "--links", "0")[0] == 2


def test_help_names_the_paper_and_the_node_limit(run):
    from dependencia.measures.improve import MAX_NODES

    code, out, _ = run("improve", "--help")
    assert code == 0 and "Bergamini" in out and f"{MAX_NODES:,}" in out


def test_registered_in_the_main_app(capsys, path_csv):
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in cli.app.registered_commands]
    assert "improve" in names
    code = cli.main(["improve", str(path_csv), "a", "--format", "json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["added"] == [{"dependent": "c", "provider": "a"}]
