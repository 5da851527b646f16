"""The HTML report without a browser: what it shows equals the measures, it is safe, it is deterministic."""

from __future__ import annotations

import html
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import dependencia as dp
from dependencia.report.data import network_panel, run_panel
from dependencia.report.html import embed_json


def _embedded(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def _hops(network: dp.Network, dimension: str) -> set[tuple[str, str]]:
    """Edges of one dimension from the dependency rows (dependent -> via ... -> provider), by hand."""
    pairs = set()
    for row in network.dependencies.itertuples():
        if row.dimension == dimension:
            chain = [row.dependent, *row.via, row.provider]
            pairs.update(zip(chain[:-1], chain[1:]))
    return pairs


# --- what the page shows ---------------------------------------------------------------------------------

def test_network_panel_shows_every_node_and_edge():
    net = dp.examples.load("ai-stack")
    panel = network_panel(net, label="ai-stack")
    graph = panel["graph"]
    assert set(graph["nodes"]["id"]) == set(net.actors.index) | set(net.infrastructures.index)
    assert graph["note"] is None and graph["shown_nodes"] == graph["total_nodes"] == net.n_actors + len(
        net.infrastructures)
    (frame,) = graph["frames"]
    ids = graph["nodes"]["id"]
    for dimension in net.dimensions.index:
        flat = frame["edges"].get(dimension, [])
        drawn = {(ids[a], ids[b]) for a, b in zip(flat[::2], flat[1::2])}
        assert drawn == _hops(net, dimension)
    infra = dict(zip(ids, graph["nodes"]["infrastructure"]))
    assert {i for i, flag in infra.items() if flag} == set(net.infrastructures.index)
    owners = dict(zip(ids, graph["nodes"]["owner"]))
    assert owners["azure"] == "microsoft" and owners["github"] == "microsoft"  # microsoft owns github


def test_table_equals_the_measures():
    net = dp.examples.load("ai-stack")
    table = pd.DataFrame(network_panel(net, label="x")["table"]["rows"],
                         columns=network_panel(net, label="x")["table"]["columns"]).set_index("id")
    power, reach, paid = dp.power(net), dp.reach(net), dp.rents(net).actors
    assert list(table.index) == list(power.index)  # sorted by power, as dp.power
    np.testing.assert_allclose(table["power"], power["power"], rtol=1e-11)
    np.testing.assert_allclose(table["power_share"], power["power_share"], rtol=1e-11)
    np.testing.assert_allclose(table["asymmetry"], reach["asymmetry"].loc[table.index], rtol=1e-11)
    np.testing.assert_allclose(table["income"], paid["income"].loc[table.index], rtol=1e-11)
    np.testing.assert_allclose(table["latent_power"], paid["latent_power"].loc[table.index], rtol=1e-11, atol=1e-15)
    assert table.loc["board", "formal_authority"] == "openai"


def test_lorenz_chart_matches_the_gini_of_power():
    net = dp.examples.load("florentine")
    lorenz = network_panel(net, label="f")["charts"]["lorenz"]
    x, y = np.array(lorenz["x"]), np.array(lorenz["y"])
    area = np.trapezoid(y, x)
    assert 1 - 2 * area == pytest.approx(lorenz["gini"], abs=1e-9)
    values = dp.power(net)["power_share"].to_numpy()
    pairs = np.abs(values[:, None] - values[None, :]).sum() / (2 * len(values) ** 2 * values.mean())
    assert lorenz["gini"] == pytest.approx(pairs, abs=1e-9)  # the mean-difference formula
    assert lorenz["gini"] == pytest.approx(dp.concentration(net).loc["*", "gini"], abs=1e-12)


def test_lorenz_counts_top_level_actors_only():
    net = dp.examples.load("ai-stack")  # microsoft controls github
    lorenz = network_panel(net, label="a")["charts"]["lorenz"]
    assert len(lorenz["x"]) == net.n_actors  # n - 1 top-level actors, plus the origin
    assert lorenz["gini"] == pytest.approx(dp.concentration(net).loc["*", "gini"], abs=1e-12)


def test_large_network_keeps_the_top_actors_and_says_so():
    graph = nx.gnm_random_graph(300, 900, seed=3, directed=True)
    net = dp.from_networkx(graph)
    panel = network_panel(net, label="big", max_nodes=60, top=10)["graph"]
    assert panel["shown_nodes"] == 60 and panel["total_nodes"] == 300
    assert "10 most powerful actors" in panel["note"] and "60 of 300" in panel["note"]
    power = dp.power(net)["power"]
    best = set(power.sort_values(ascending=False, kind="mergesort").index[:10])
    assert best <= set(panel["nodes"]["id"])


def test_run_panel_slides_over_checkpoints_and_the_end(debt_brake_runs):
    (folder, run), _ = debt_brake_runs
    panel = run_panel(folder)
    frames = panel["graph"]["frames"]
    assert [f["label"] for f in frames] == ["step 0", "step 4", "step 8", "end (after step 9)"]
    ids = panel["graph"]["nodes"]["id"]
    actors = run.actors[run.actors["dimension"] == "*"]
    for frame, step in zip(frames[:3], (0, 4, 8)):
        rows = actors[actors["step"] == step].set_index("actor")["power"]
        shown = {i: p for i, p in zip(ids, frame["power"]) if p is not None}
        assert set(shown) == set(rows.index)
        np.testing.assert_allclose([shown[a] for a in rows.index], rows.to_numpy(), rtol=1e-11)
    end = dp.power(run.network)["power"]
    np.testing.assert_allclose([frames[-1]["power"][ids.index(a)] for a in end.index], end.to_numpy(), rtol=1e-11)
    present = {i for i, flag in zip(ids, frames[-1]["present"]) if flag}
    assert present == set(run.network.actors.index) | set(run.network.infrastructures.index)
    charts = panel["charts"]
    assert charts["concentration"]["top5_share"] == pytest.approx(run.steps["top5_share"].tolist())
    assert charts["infrastructure"]["private"] == run.steps["private_infrastructures"].tolist()
    summary = dict(panel["summary"])
    assert summary["scenario"] == "debt-brake" and summary["seed"] == str(run.manifest["seed"])
    assert summary["parameter: policies.debt_brake.enabled"] == "true"


def test_two_runs_are_named_by_what_differs(debt_brake_runs, tmp_path):
    (on, _), (off, _) = debt_brake_runs
    page = dp.report(on, off, out=tmp_path / "both.html")
    labels = [p["label"] for p in page.panels]
    assert labels == ["debt-brake (policies.debt_brake.enabled=true)", "debt-brake (policies.debt_brake.enabled=false)"]
    assert len(_embedded((tmp_path / "both.html").read_text())["panels"]) == 2


# --- safety ----------------------------------------------------------------------------------------------

def test_embedded_json_never_closes_the_script_element(hostile_ids):
    HOSTILE = hostile_ids
    text = embed_json({"a": HOSTILE[1], "b": HOSTILE[0], "c": "\u2028\u2029&"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": HOSTILE[1], "b": HOSTILE[0], "c": "\u2028\u2029&"}


def test_hostile_ids_reach_the_page_only_as_escaped_data(hostile_network, hostile_ids):
    page = dp.report(hostile_network).html
    for hostile in hostile_ids:
        assert hostile not in page
    plain = dp.report(dp.Network.from_records([{"id": "a"}, {"id": "b"}], [{"dependent": "a", "provider": "b"}])).html
    for tag in ("<script", "</script", "<img", "<svg onload"):
        assert page.count(tag) == plain.count(tag)  # only our own
    data = _embedded(page)
    assert set(data["panels"][0]["graph"]["nodes"]["id"]) == set(hostile_network.actors.index)
    policy = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy and "unsafe-inline" not in policy.split(
        "style-src")[0]


def test_page_loads_nothing_from_outside():
    page = dp.report(dp.examples.load("florentine")).html
    markup = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)  # the browser test watches the scripts
    assert not re.search(r"(src|href)\s*=", markup)
    assert "<link" not in markup and "@import" not in markup and "url(" not in markup


# --- files, errors, determinism ------------------------------------------------------------------------

def test_same_input_same_bytes_and_global_random_state_untouched(tmp_path):
    net = dp.examples.load("ai-stack")
    random.seed(5)
    np.random.seed(5)
    before = (random.getstate(), np.random.get_state()[1].copy())
    first = dp.report(net, out=tmp_path / "a.html")
    second = dp.report(net, out=tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes() == first.html.encode()
    assert second.path == tmp_path / "b.html"
    assert random.getstate() == before[0] and (np.random.get_state()[1] == before[1]).all()


def test_workers_do_not_change_the_page(debt_brake_runs):
    # as for dp.power: the values, and so the page's bytes, do not depend on the workers that compute power
    (on, _), _ = debt_brake_runs
    for source in ("platform", on):  # a shipped scenario by name, and a run folder
        assert dp.report(source, workers=1).html == dp.report(source, workers=2).html


def test_cli_refuses_workers_beside_a_scheduler(tmp_path):
    from dependencia.cli import main

    out = tmp_path / "r.html"
    assert main(["report", "florentine", "-o", str(out), "--workers", "2", "--scheduler", "dask", "--quiet"]) == 2
    assert not out.exists()


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dependencia", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_cli_writes_the_report_of_a_network_and_of_two_runs(debt_brake_runs, tmp_path):
    (on, _), (off, _) = debt_brake_runs
    done = _cli("report", "florentine", "-o", str(tmp_path / "f.html"))
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stderr and (tmp_path / "f.html").stat().st_size > 1_000_000
    done = _cli("report", str(on), str(off), "-o", str(tmp_path / "both.html"), "--quiet")
    assert done.returncode == 0, done.stderr
    assert len(_embedded((tmp_path / "both.html").read_text())["panels"]) == 2
    done = _cli("report", "florentine", cwd=tmp_path)  # default file name
    assert done.returncode == 0 and (tmp_path / "report.html").exists()


def _empty_folder(d: Path) -> Path:
    (d / "empty").mkdir()
    return d / "empty"


def _duplicate_ids(d: Path) -> Path:
    (d / "bad.yaml").write_text("dependencia: 1\nactors: [{id: a}, {id: a}]\n")
    return d / "bad.yaml"


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.yaml", "no such file"),
    (_empty_folder, "empty"),
    (_duplicate_ids, "bad.yaml"),
])
def test_cli_bad_input_exits_2_and_leaves_the_old_file(tmp_path, make, message):
    out = tmp_path / "report.html"
    out.write_text("earlier report")
    done = _cli("report", str(make(tmp_path)), "-o", str(out))
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and message in done.stderr and done.stderr.startswith("error:")
    assert out.read_text() == "earlier report"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file left


def test_cli_refuses_an_unfinished_run(debt_brake_runs, tmp_path):
    import shutil

    (on, _), _ = debt_brake_runs
    copy = tmp_path / "copy"
    shutil.copytree(on, copy)
    (copy / "steps.parquet").unlink()
    done = _cli("report", str(copy), "-o", str(tmp_path / "r.html"))
    assert done.returncode == 2 and "not complete" in done.stderr and "resume" in done.stderr
    assert not (tmp_path / "r.html").exists()


def test_output_through_a_symlink_replaces_the_link(tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me")
    link = tmp_path / "report.html"
    link.symlink_to(elsewhere)
    dp.report(dp.examples.load("florentine"), out=link)
    assert elsewhere.read_text() == "keep me"
    assert not link.is_symlink() and link.read_text().startswith("<!DOCTYPE html>")


def test_repr_html_is_a_sandboxed_frame():
    page = dp.report(dp.examples.load("florentine"))
    shown = page._repr_html_()
    assert shown.startswith('<iframe sandbox="allow-scripts" srcdoc="') and "<script" not in shown


def test_a_run_of_no_steps_has_one_frame_and_no_history(tmp_path):
    from dependencia.simulation.scenario import load_scenario

    network, config = load_scenario("debt-brake")
    dp.Simulation(network, config).run(0, out=tmp_path / "zero")
    panel = run_panel(tmp_path / "zero")
    assert [f["label"] for f in panel["graph"]["frames"]] == ["start (no steps run)"]
    assert panel["charts"]["concentration"] is None and panel["charts"]["top_power"] is None
    assert len(panel["table"]["rows"]) == network.n_actors


# --- issue 21: infrastructures without an owner, labels, findings first ----------------------------------

def test_infrastructures_named_only_in_via_count_as_no_owner(tmp_path):
    # an edge list whose infrastructures come only from the via column: road and port, owned by no one
    (tmp_path / "edges.csv").write_text("source,target,via\na,b,road;port\nc,b,road\nd,a,\n")
    net = dp.read(tmp_path / "edges.csv")
    panel = network_panel(net, label="edges")
    assert panel["charts"]["infrastructure"] == {"step": None, "public": [0], "private": [0], "unowned": [2]}
    summary = dict(panel["summary"])
    assert summary["infrastructures"] == "2"  # the summary and the chart agree
    assert summary["infrastructures by owner"] == "public 0, private 0, no owner 2"


def test_infrastructure_counts_by_owner_by_hand():
    # road: the state's (public); cable: a firm's (private); port: no one's
    net = dp.Network.from_records(
        [{"id": "a"}, {"id": "b"}, {"id": "firm"}, {"id": "state", "kind": "state"}],
        [{"dependent": "a", "provider": "b", "via": ["road", "port"]}, {"dependent": "b", "provider": "a",
                                                                        "via": ["cable"]}],
        infrastructures=[{"id": "road", "owner": "state"}, {"id": "cable", "owner": "firm"}, {"id": "port"}])
    chart = network_panel(net, label="n")["charts"]["infrastructure"]
    assert (chart["public"], chart["private"], chart["unowned"]) == ([1], [1], [1])


def test_network_view_names_the_top_actors_by_default_and_on_request():
    net = dp.examples.load("florentine")
    assert network_panel(net, label="f")["graph"]["label_top"] == 10
    page = dp.report(net, label_top=3)
    assert page.panels[0]["graph"]["label_top"] == 3
    with pytest.raises(dp.UsageError):
        dp.report(net, label_top=-1)


def test_headline_and_comparison_of_two_networks_by_hand():
    # a -> b -> c: b carries the one pair (a, c): shares b 1, a 0, c 0; gini of (0, 1, 0) = 2/3.
    # a -> b -> c -> d: b carries (a, c), (a, d); c carries (a, d), (b, d): shares 0.5, 0.5;
    # gini of (0, .5, .5, 0) = sum |x_i - x_j| / (2 n^2 mean) = 8 * 0.5 / (2 * 16 * 0.25) = 0.5.
    chain3 = dp.Network.from_records([{"id": i} for i in "abc"],
                                     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    chain4 = dp.Network.from_records([{"id": i} for i in "abcd"],
                                     [{"dependent": u, "provider": v} for u, v in ("ab", "bc", "cd")])
    page = dp.report(chain3, chain4, labels=["three", "four"])
    assert page.panels[0]["headline"] == pytest.approx({"gini": 2 / 3, "hhi": 1.0, "top5_share": 1.0})
    assert page.panels[1]["headline"] == pytest.approx({"gini": 0.5, "hhi": 0.5, "top5_share": 1.0})
    embedded = _embedded(page.html)["comparison"]
    assert embedded["labels"] == ["three", "four"]
    assert embedded["figures"] == [["gini", pytest.approx(2 / 3), 0.5], ["hhi", 1.0, 0.5], ["top5_share", 1.0, 1.0]]
    # actors with power in either, by the larger of the two shares, then id (a and d have none)
    assert embedded["actors"] == [["b", 1.0, 0.5], ["c", 0.0, 0.5]]
    # a -> b -> c -> d -> e: b carries 3 pairs, c 4, d 3 (shares .3, .4, .3); d is not in chain3
    chain5 = dp.Network.from_records([{"id": i} for i in "abcde"],
                                     [{"dependent": u, "provider": v} for u, v in ("ab", "bc", "cd", "de")])
    actors = _embedded(dp.report(chain3, chain5).html)["comparison"]["actors"]
    assert actors == [["b", 1.0, pytest.approx(0.3)], ["c", 0.0, pytest.approx(0.4)], ["d", None, pytest.approx(0.3)]]
    assert _embedded(dp.report(chain3).html)["comparison"] is None


def test_cli_label_top(tmp_path):
    done = _cli("report", "florentine", "-o", str(tmp_path / "f.html"), "--label-top", "4", "--quiet")
    assert done.returncode == 0, done.stderr
    assert _embedded((tmp_path / "f.html").read_text())["panels"][0]["graph"]["label_top"] == 4


def test_run_panel_notes_infrastructures_without_owner(debt_brake_runs):
    (folder, run), _ = debt_brake_runs
    chart = run_panel(folder)["charts"]["infrastructure"]
    owners = run.network.infrastructures["owner"]
    assert chart["unowned_end"] == int(owners.isna().sum())
    assert chart["public"][-1] + chart["private"][-1] == int(owners.notna().sum())
