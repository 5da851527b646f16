"""The command line contract (docs/cli.md): JSON shape, exit codes, output files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from dependencia.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def path_csv(tmp_path: Path) -> Path:
    path = tmp_path / "path.csv"
    path.write_text("source,target\na,b\nb,c\n")
    return path


def test_path_raw_json_contract(capsys, path_csv):
    # a -> b -> c: b is on the one a-c path, so its raw betweenness is 1.
    code, out, _ = run(capsys, "power", path_csv, "--by", "node", "--exact", "--raw", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    for key in ("measure", "by", "exact", "normalized", "directed", "n_nodes", "n_actors", "epsilon", "delta", "rows"):
        assert key in doc
    assert doc["measure"] == "betweenness" and doc["by"] == "node"
    assert doc["exact"] is True and doc["normalized"] is False and doc["directed"] is True
    assert doc["n_nodes"] == 3 and doc["n_actors"] == 3
    assert doc["epsilon"] is None and doc["delta"] is None
    assert [r["id"] for r in doc["rows"]] == ["b", "a", "c"]  # ties broken by id
    assert {r["id"]: r["betweenness"] for r in doc["rows"]} == {"a": 0.0, "b": 1.0, "c": 0.0}


def test_rows_sorted_and_complete_against_networkx(capsys, tmp_path):
    graph = nx.gnm_random_graph(40, 120, seed=5, directed=True)
    csv = tmp_path / "g.csv"
    csv.write_text("source,target\n" + "".join(f"n{u},n{v}\n" for u, v in graph.edges()))
    code, out, _ = run(capsys, "power", csv, "--by", "node", "--format", "json")
    assert code == 0
    rows = json.loads(out)["rows"]
    expected = nx.betweenness_centrality(graph)
    present = {f"n{v}" for v in graph.nodes() if graph.degree(v) > 0}
    assert {r["id"] for r in rows} == present
    for r in rows:
        assert r["betweenness"] == pytest.approx(expected[int(r["id"][1:])], rel=1e-9, abs=1e-15)
    keys = [(-float(f"{r['betweenness']:.12g}"), r["id"]) for r in rows]
    assert keys == sorted(keys)


def test_isolated_actor_from_actors_file_counts_in_n(capsys, path_csv, tmp_path):
    actors = tmp_path / "actors.csv"
    actors.write_text("id,kind\nb,firm\nc,firm\nz,firm\n")  # every target listed; the source a is added
    code, out, _ = run(capsys, "power", path_csv, "--by", "node", "--actors", actors, "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["n_nodes"] == 4
    # normalized by (n-1)(n-2) = 6 with the isolated node, as NetworkX does
    assert {r["id"]: r["betweenness"] for r in doc["rows"]}["b"] == pytest.approx(1 / 6)


def test_top_and_csv(capsys, path_csv):
    code, out, _ = run(capsys, "power", path_csv, "--by", "node", "--top", "1", "--format", "csv")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].split(",")[:4] == ["id", "rank", "kind", "betweenness"]
    assert lines[1].startswith("b,1,actor,0.5")


def test_table_shows_ranking(capsys):
    code, out, _ = run(capsys, "power", "florentine", "--top", "3")
    assert code == 0
    assert "Medici" in out and "0.522" in out  # shown to 4 significant digits


def test_florentine_medici_figures(capsys):
    # docs/calibration.md (Florentine families): Medici 0.522 normalized, 47.5 raw as an undirected graph, 95 over ordered pairs
    code, out, _ = run(capsys, "power", "florentine", "--format", "json")
    top = json.loads(out)["rows"][0]
    assert code == 0 and top["id"] == "Medici" and round(top["betweenness"], 3) == 0.522
    code, out, _ = run(capsys, "power", "florentine", "--undirected", "--raw", "--format", "json")
    assert json.loads(out)["rows"][0]["betweenness"] == pytest.approx(47.5)
    code, out, _ = run(capsys, "power", "florentine", "--raw", "--format", "json")
    assert json.loads(out)["rows"][0]["betweenness"] == pytest.approx(95.0)


def test_approximate_says_so(capsys, path_csv):
    code, out, _ = run(
        capsys, "power", path_csv, "--by", "node", "--epsilon", "0.05", "--delta", "0.2", "--seed", "3", "--format", "json"
    )
    doc = json.loads(out)
    assert code == 0 and doc["exact"] is False and doc["epsilon"] == 0.05 and doc["delta"] == 0.2


def test_output_file_is_written_exactly_there(capsys, path_csv, tmp_path):
    target = tmp_path / "out" / "power.json"
    target.parent.mkdir()
    code, out, _ = run(capsys, "power", path_csv, "--format", "json", "-o", target.resolve())
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["rows"][0]["id"] == "b"
    assert sorted(os.listdir(target.parent)) == ["power.json"]  # no temp files left


def test_output_never_writes_through_a_symlink(capsys, path_csv, tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me")
    link = tmp_path / "link.json"
    link.symlink_to(elsewhere)
    code, _, _ = run(capsys, "power", path_csv, "--by", "node", "--format", "json", "-o", link)
    assert code == 0
    assert elsewhere.read_text() == "keep me"
    assert not link.is_symlink() and json.loads(link.read_text())["by"] == "node"


def test_failing_command_leaves_no_output_and_keeps_existing(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target\na,a\n")
    out_file = tmp_path / "result.json"
    code, _, err = run(capsys, "power", bad, "--format", "json", "-o", out_file)
    assert code == 2 and not out_file.exists()
    out_file.write_text("earlier result")
    code, _, err = run(capsys, "power", bad, "--format", "json", "-o", out_file)
    assert code == 2 and out_file.read_text() == "earlier result"
    assert "bad.csv" in err and "line 2" in err


@pytest.mark.parametrize(
    "args",
    [
        ["power", "{missing}"],
        ["power", "{path}", "--endpoints"],
        ["power", "{path}", "--multiplex", "--epsilon", "0.1"],
        ["power", "{path}", "--delta", "0.1"],
        ["power", "{path}", "--exact", "--epsilon", "0.1"],
        ["power", "{path}", "--dimension", "nope"],
        ["power", "{path}", "--length", "nope"],
        ["power", "{path}", "--epsilon", "2"],
        ["power", "{path}", "--format", "xml"],
        ["validate", "{missing}"],
    ],
)
def test_bad_usage_exits_2_without_traceback(capsys, path_csv, tmp_path, args):
    filled = [a.format(missing=tmp_path / "missing.csv", path=path_csv) for a in args]
    code, _, err = run(capsys, *filled)
    assert code == 2
    assert "Traceback" not in err and err.strip()


def test_missing_file_message_names_file(capsys, tmp_path):
    code, _, err = run(capsys, "power", tmp_path / "missing.csv", "--format", "json")
    assert code == 2 and "missing.csv" in err


def test_validate(capsys, tmp_path):
    code, out, _ = run(capsys, "validate", "ai-stack", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["valid"] is True and doc["actors"] == 13 and doc["infrastructures"] == 3
    code, out, _ = run(capsys, "validate", "florentine")
    assert code == 0 and "valid" in out


def test_convert_names_what_is_dropped(capsys, tmp_path):
    code, _, err = run(capsys, "convert", "ai-stack", tmp_path / "edges.csv")
    assert code == 0 and (tmp_path / "edges.csv").exists()
    assert "dropped" in err and "ownership" in err
    code, _, err = run(capsys, "convert", "ai-stack", tmp_path / "net.json")
    assert code == 0 and "dropped" not in err


def test_entry_point_subprocess_exit_codes(tmp_path, path_csv):
    ok = subprocess.run([sys.executable, "-m", "dependencia", "power", str(path_csv), "--format", "json"],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["rows"][0]["id"] == "b"
    bad = subprocess.run([sys.executable, "-m", "dependencia", "power", str(tmp_path / "nope.csv")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "nope.csv" in bad.stderr


def test_workers_and_scheduler_exclude_each_other(capsys, path_csv):
    code, _, err = run(capsys, "power", path_csv, "--workers", "2", "--scheduler", "dask")
    assert code == 2 and "exclude" in err


@pytest.mark.parametrize("workers", ["1", "2"])
def test_workers_flag_gives_the_same_output(capsys, workers):
    code, out, _ = run(capsys, "power", "florentine", "--format", "json", "--workers", workers)
    assert code == 0 and json.loads(out)["rows"][0]["id"] == "Medici"


def test_actor_power_is_the_default_and_follows_the_contract(capsys, path_csv):
    # without infrastructure and ownership, power equals betweenness: b carries the pair (a, c)
    code, out, _ = run(capsys, "power", path_csv, "--exact", "--raw", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["measure"] == "power" and doc["by"] == "actor"
    rows = {r["id"]: r for r in doc["rows"]}
    assert {k: r["power"] for k, r in rows.items()} == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert {k: r["betweenness"] for k, r in rows.items()} == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert rows["b"]["power_share"] == 1.0


def test_actor_power_of_the_ai_stack_through_control(capsys):
    code, out, _ = run(capsys, "power", "ai-stack", "--format", "json")
    doc = json.loads(out)
    rows = {r["id"]: r for r in doc["rows"]}
    assert code == 0 and len(rows) == doc["n_actors"] == 13  # actors only: no infrastructure rows
    assert rows["github"]["controlled_by"] == "microsoft"
    assert rows["board"]["formal_authority_over"] == ["openai"] and rows["board"]["power"] == 0.0
    shares = sum(r["power_share"] for r in rows.values() if r["controlled_by"] is None)
    assert shares == pytest.approx(1.0)


def test_actor_csv_joins_lists(capsys):
    code, out, _ = run(capsys, "power", "ai-stack", "--format", "csv")
    line = next(row for row in out.splitlines() if row.startswith("board,"))
    assert code == 0 and line.split(",")[8] == "openai"


def test_multiplex_flag(capsys):
    code, out, _ = run(capsys, "power", "ai-stack", "--multiplex", "--switch-length", "2", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["multiplex"] is True and doc["switch_length"] == 2.0
    assert abs(sum(r["power_share"] for r in doc["rows"] if r["controlled_by"] is None) - 1.0) < 1e-9
    assert run(capsys, "power", "ai-stack", "--multiplex", "--by", "node")[0] == 2
    assert run(capsys, "power", "ai-stack", "--switch-length", "2")[0] == 2


def test_actor_power_approximation_says_so(capsys):
    code, out, _ = run(capsys, "power", "florentine", "--epsilon", "0.5", "--seed", "2", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["by"] == "actor" and doc["epsilon"] == 0.5
    # 15 actors, epsilon 0.5: the Hoeffding sample takes 14 source actors; every value within 0.5
    code, exact_out, _ = run(capsys, "power", "florentine", "--format", "json")
    exact = {r["id"]: r["power"] for r in json.loads(exact_out)["rows"]}
    assert all(abs(r["power"] - exact[r["id"]]) <= 0.5 for r in doc["rows"])


def test_output_errors_name_the_path_given(capsys, path_csv, tmp_path):
    missing = tmp_path / "nodir" / "x.json"
    code, _, err = run(capsys, "power", path_csv, "--format", "json", "-o", missing)
    assert code == 2 and str(missing) in err and ".tmp" not in err
    code, _, err = run(capsys, "power", path_csv, "--format", "json", "-o", tmp_path)
    assert code == 2 and "folder" in err


def test_network_help_points_to_the_list_of_shipped_scenarios(capsys):
    import re

    code, out, _ = run(capsys, "power", "--help")
    text = " ".join(re.sub("[│╭╮╰╯─]", " ", out).split())  # the words, without Rich's box and line breaks
    assert code == 0 and "any shipped scenario" in text and "'dependencia scenarios list' lists them" in text


def test_every_shipped_scenario_name_works_as_network(capsys):
    from dependencia.simulation.scenario import scenario_names

    for name in scenario_names():  # what `dependencia scenarios list` lists
        code, out, err = run(capsys, "validate", name, "--format", "json")
        assert code == 0, (name, err)
        assert json.loads(out)["network"] == name
