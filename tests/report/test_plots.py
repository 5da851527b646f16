"""Static figures (`dependencia plot`, `dp.plot`): valid files, plotted data equal the tables, same bytes twice."""

from __future__ import annotations

import json
import os
import shutil
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

import dependencia as dp
from dependencia.cli import main
from dependencia.graph import compile_graph
from dependencia.report import _network_figure
from dependencia.report.plots import plot, save_figure
from dependencia.simulation.series import lorenz_points

KINDS = ("concentration", "power", "lorenz", "network")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """debt-brake, 4 steps, seed 1, a checkpoint after 2 steps: networks held at steps 0, 2 and 4 (the end)."""
    out = tmp_path_factory.mktemp("plots") / "run"
    code = main(["simulate", "debt-brake", "--steps", "4", "--seed", "1", "--set", "checkpoint_every=2",
                 "--out", str(out), "--quiet"])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def tables(run_dir) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(run_dir / f"{name}.parquet") for name in ("steps", "actors")}


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def line(figure, gid: str):
    (found,) = [x for x in figure.axes[0].lines if x.get_gid() == gid]
    return found


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_writes_png_svg_and_pdf(capsys, run_dir, tmp_path, kind):
    for suffix in ("png", "svg", "pdf"):
        target = tmp_path / f"figure.{suffix}"
        code, out, err = run(capsys, "plot", run_dir, "--kind", kind, "-o", target)
        assert code == 0, err
        assert out == "" and str(target) in err
        data = target.read_bytes()
        if suffix == "png":
            width, height = png_size(data)
            assert 600 <= width <= 2400 and 500 <= height <= 2000 and len(data) > 10_000  # 200 dpi, a few inches
        elif suffix == "svg":
            root = ET.fromstring(data)
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
            assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 20
        else:
            assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert sorted(os.listdir(tmp_path)) == ["figure.pdf", "figure.png", "figure.svg"]  # no temp files left


def test_default_output_is_run_dir_kind_png(capsys, run_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(run_dir, copy)
    code, _, err = run(capsys, "plot", copy, "--kind", "power")
    assert code == 0 and (copy / "power.png").read_bytes()[:4] == b"\x89PNG"
    assert str(copy / "power.png") in err


def test_dpi_sets_png_resolution(capsys, run_dir, tmp_path):
    low, high = tmp_path / "low.png", tmp_path / "high.png"
    assert run(capsys, "plot", run_dir, "--kind", "concentration", "-o", low, "--dpi", "100")[0] == 0
    assert run(capsys, "plot", run_dir, "--kind", "concentration", "-o", high, "--dpi", "300")[0] == 0
    (w1, h1), (w3, h3) = png_size(low.read_bytes()), png_size(high.read_bytes())
    assert abs(w3 - 3 * w1) <= 3 and abs(h3 - 3 * h1) <= 3


@pytest.mark.parametrize("suffix", ["svg", "pdf", "png"])
def test_same_input_gives_the_same_bytes(run_dir, tmp_path, suffix):
    for kind in KINDS:
        first, second = tmp_path / f"a-{kind}.{suffix}", tmp_path / f"b-{kind}.{suffix}"
        save_figure(plot(run_dir, kind=kind), first)
        save_figure(plot(run_dir, kind=kind), second)
        assert first.read_bytes() == second.read_bytes(), kind


def test_output_replaces_a_symlink_never_writes_through_it(capsys, run_dir, tmp_path):
    elsewhere = tmp_path / "elsewhere.png"
    elsewhere.write_bytes(b"keep me")
    link = tmp_path / "link.png"
    link.symlink_to(elsewhere)
    code, _, _ = run(capsys, "plot", run_dir, "--kind", "concentration", "-o", link)
    assert code == 0
    assert elsewhere.read_bytes() == b"keep me"
    assert not link.is_symlink() and link.read_bytes()[:4] == b"\x89PNG"


# --------------------------------------------------------------------------- plotted data = table values


def test_concentration_lines_are_the_steps_table(run_dir, tables):
    figure = plot(run_dir, kind="concentration")
    steps = tables["steps"]
    for column in ("gini", "hhi", "top5_share"):
        drawn = line(figure, column)
        assert drawn.get_xdata().tolist() == steps["step"].tolist()
        assert drawn.get_ydata().tolist() == steps[column].tolist()
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()] == ["gini", "hhi", "top5_share"]
    assert figure.axes[0].get_xlabel() == "step" and figure.axes[0].get_ylabel()


@pytest.mark.parametrize("dimension", [None, "energy"])
def test_power_lines_are_the_top_actors_of_the_actors_table(run_dir, tables, dimension):
    figure = plot(run_dir, kind="power", top=3, dimension=dimension)
    actors = tables["actors"]
    rows = actors[actors["dimension"] == (dimension or "*")]
    last = rows[rows["step"] == rows["step"].max()].sort_values(["power_share", "actor"], ascending=[False, True])
    expected = last["actor"].tolist()[:3]
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()] == expected
    for i, actor in enumerate(expected):
        drawn = line(figure, f"actor-{i}")
        mine = rows[rows["actor"] == actor].sort_values("step")
        assert drawn.get_label() == actor
        assert drawn.get_xdata().tolist() == mine["step"].tolist()
        assert drawn.get_ydata().tolist() == mine["power_share"].tolist()


@pytest.mark.parametrize("step", [None, 0, 2])
def test_lorenz_curve_and_its_gini_are_the_runs(run_dir, tables, step):
    figure = plot(run_dir, kind="lorenz", step=step)
    chosen = 3 if step is None else step  # the last recorded step by default
    actors = tables["actors"]
    shares = actors[(actors["step"] == chosen) & (actors["dimension"] == "*")]["power_share"].to_numpy()
    drawn = line(figure, "lorenz")
    x, y = lorenz_points(shares)  # debt-brake has no ownership between actors: all are top-level
    assert drawn.get_xdata().tolist() == x.tolist() and drawn.get_ydata().tolist() == y.tolist()
    xs, ys = np.asarray(drawn.get_xdata()), np.asarray(drawn.get_ydata())
    gini = 1 - 2 * float(np.sum((ys[1:] + ys[:-1]) / 2 * np.diff(xs)))
    recorded = float(tables["steps"].set_index("step").loc[chosen, "gini"])
    assert gini == pytest.approx(recorded, abs=1e-12)
    assert figure.axes[0].get_title() == f"Lorenz curve of power, step {chosen} (Gini {recorded:.3f})"


def test_lorenz_of_a_network_file_matches_dp_concentration(capsys, tmp_path):
    net = dp.examples.load("ai-stack")  # with ownership: controlled actors are left out, as the Gini does
    path = tmp_path / "ai.json"
    dp.write(net, path)
    figure = plot(path, kind="lorenz")
    gini = float(dp.concentration(net).loc["*", "gini"])
    assert figure.axes[0].get_title() == f"Lorenz curve of power (Gini {gini:.3f})"
    top = dp.power(net)
    top = top[top["controlled_by"].isna()]
    assert len(line(figure, "lorenz").get_xdata()) == len(top) + 1
    code, _, err = run(capsys, "plot", path, "--kind", "lorenz")
    assert code == 0 and (tmp_path / "ai-lorenz.png").exists()


def node_collections(figure) -> list:
    return [c for c in figure.axes[0].collections if (c.get_gid() or "").startswith("nodes-")]


@pytest.mark.parametrize("step", [None, 0, 2])
def test_network_nodes_and_edges_are_the_networks(run_dir, tables, step):
    figure = plot(run_dir, kind="network", step=step)
    chosen = 4 if step is None else step
    folder = {0: run_dir / "network.json", 2: run_dir / "checkpoints" / "step-000002" / "network.json",
              4: run_dir / "network-final.json"}[chosen]
    net = dp.read(folder)
    nodes = node_collections(figure)
    assert sum(len(c.get_offsets()) for c in nodes) == net.n_actors + net.n_infrastructures
    by_gid = {c.get_gid(): c for c in nodes}
    assert len(by_gid["nodes-infrastructure"].get_offsets()) == net.n_infrastructures
    # node area is linear in power: the actors table's at a checkpoint step, computed at the end
    if chosen < 4:
        rows = tables["actors"][(tables["actors"]["step"] == chosen) & (tables["actors"]["dimension"] == "*")]
        power = rows.set_index("actor")["power"]
    else:
        power = dp.power(net)["power"]
    expected = sorted(np.round(14.0 + 420.0 * power.to_numpy() / power.max(), 9))
    drawn = sorted(np.round(np.concatenate([c.get_sizes() for g, c in by_gid.items() if g != "nodes-infrastructure"]),
                            9))
    assert drawn == expected
    kinds = [t.get_text() for t in figure.legends[0].get_texts()]
    assert kinds == sorted(set(net.actors["kind"])) + ["infrastructure"]
    edges = {c.get_gid(): c for c in figure.axes[0].collections if (c.get_gid() or "").startswith("edges-")}
    for i, dimension in enumerate(net.dimensions.index):
        assert len(edges[f"edges-{i}"].get_segments()) == compile_graph(net, dimensions=[dimension], paths="hub").n_edges
    assert [t.get_text() for t in figure.legends[1].get_texts()] == [*net.dimensions.index, "owns / controls"]
    label = " (start)" if chosen == 0 else " (end)" if chosen == 4 else ""
    assert figure.axes[0].get_title().startswith(f"Dependency network at step {chosen}{label}: ")


def test_large_network_shows_top_actors_and_neighbours_and_says_so(run_dir, monkeypatch):
    monkeypatch.setattr(_network_figure, "LARGE_NETWORK", 10)
    monkeypatch.setattr(_network_figure, "TOP_ACTORS", 2)
    net = dp.read(run_dir / "network-final.json")
    figure = plot(run_dir, kind="network")
    power = dp.power(net)["power"].sort_values(ascending=False, kind="stable")
    top = list(power.index[:2])
    graph = compile_graph(net, paths="hub")  # the drawing shows actors and infrastructures
    ids = list(graph.node_ids)
    shown = {ids.index(a) for a in top}
    for u, v in zip(graph.source, graph.target):
        if ids[u] in top or ids[v] in top:
            shown |= {u, v}
    drawn = sum(len(c.get_offsets()) for c in node_collections(figure))
    assert drawn == len(shown) < graph.n_nodes
    assert f"showing the top 2 actors by power and their neighbours: {len(shown)} of {graph.n_nodes} nodes" \
        in figure.axes[0].get_title()


def test_network_of_a_file_and_hostile_ids(tmp_path):
    hostile = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "$x^2$ -- a&b"]
    net = dp.Network.from_records(
        [{"id": hostile[0], "kind": "<b>kind</b>"}, {"id": hostile[1]}, {"id": hostile[2]}],
        [{"dependent": hostile[0], "provider": hostile[1], "dimension": "<dim>"},
         {"dependent": hostile[1], "provider": hostile[2], "dimension": "<dim>"}],
        dimensions=[{"id": "<dim>"}])
    path = tmp_path / "hostile.json"
    dp.write(net, path)
    figure = plot(path, kind="network")
    assert hostile[1] in [t.get_text().replace("\\$", "$") for t in figure.axes[0].texts]  # the only one with power
    target = tmp_path / "hostile.svg"
    save_figure(figure, target)
    text = target.read_text()
    ET.fromstring(text.encode())  # still well-formed XML
    assert "<img" not in text and "<script" not in text and "<b>" not in text


def test_plot_accepts_run_objects_without_leaking_pyplot_state(run_dir, tables):
    before = dict(matplotlib.rcParams)
    finished = dp.resume(run_dir)  # read back, with its folder
    assert line(plot(finished, kind="concentration"), "gini").get_ydata().tolist() == tables["steps"]["gini"].tolist()
    net = dp.examples.load("florentine")
    memory = dp.Simulation(net).run(2)  # no folder: the final network at step 2
    figure = plot(memory, kind="network")
    assert figure.axes[0].get_title().startswith("Dependency network at step 2 (end)")
    assert dict(matplotlib.rcParams) == before
    pyplot = __import__("sys").modules.get("matplotlib.pyplot")
    assert pyplot is None or pyplot.get_fignums() == []


# --------------------------------------------------------------------------- errors


def incomplete(run_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "incomplete"
    shutil.copytree(run_dir, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["status"] = "running"
    (copy / "manifest.json").write_text(json.dumps(manifest))
    return copy


def missing_table(run_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "missing"
    shutil.copytree(run_dir, copy)
    (copy / "steps.parquet").unlink()
    return copy


def empty_folder(run_dir: Path, tmp_path: Path) -> Path:
    (tmp_path / "empty").mkdir()
    return tmp_path / "empty"


@pytest.mark.parametrize(
    ("source", "args", "message"),
    [
        (empty_folder, ["--kind", "power"], "not a run folder"),
        (lambda r, t: t / "nowhere", ["--kind", "power"], "no such file"),
        (incomplete, ["--kind", "concentration"], "not complete"),
        (missing_table, ["--kind", "concentration"], "missing or does not match"),
        (None, ["--kind", "bogus"], "bogus"),
        (None, ["--kind", "power", "-o", "{tmp}/figure.jpg"], "one of .png, .svg, .pdf"),
        (None, ["--kind", "power", "-o", "{tmp}/figure"], "one of .png, .svg, .pdf"),
        (None, ["--kind", "lorenz", "--step", "9"], "no step 9"),
        (None, ["--kind", "network", "--step", "1"], "no network of step 1"),
        (None, ["--kind", "lorenz", "--dimension", "care"], "no rows for dimension 'care'"),
        (None, ["--kind", "concentration", "--top", "3"], "--top applies to --kind power"),
        (None, ["--kind", "network", "--dimension", "energy"], "--dimension applies"),
        (None, ["--kind", "power", "--step", "1"], "--step applies"),
        (lambda r, t: "florentine", ["--kind", "concentration"], "needs a run folder"),
        (lambda r, t: "florentine", ["--kind", "network", "--step", "0"], "--step applies to a run folder"),
    ],
)
def test_bad_input_exits_2_with_one_message_and_writes_nothing(capsys, run_dir, tmp_path, source, args, message):
    where = run_dir if source is None else source(run_dir, tmp_path)
    listing = sorted(os.listdir(run_dir))
    target = tmp_path / "out.png"
    filled = [a.format(tmp=tmp_path) for a in args]
    if "-o" not in filled:
        filled += ["-o", str(target)]
    code, out, err = run(capsys, "plot", where, *filled)
    assert code == 2, err
    assert message in err and "Traceback" not in err and out == ""
    assert not target.exists() and not (tmp_path / "figure.jpg").exists() and not (tmp_path / "figure").exists()
    assert sorted(os.listdir(run_dir)) == listing


def test_sweep_folder_is_named_as_such(capsys, tmp_path):
    (tmp_path / "sweep" / "runs").mkdir(parents=True)
    code, _, err = run(capsys, "plot", tmp_path / "sweep", "--kind", "power")
    assert code == 2 and "sweep folder" in err


def test_api_errors_are_usage_errors(run_dir):
    with pytest.raises(dp.UsageError, match="unknown kind"):
        plot(run_dir, kind="pie")
    with pytest.raises(dp.UsageError, match="cannot draw"):
        plot(42, kind="power")  # type: ignore[arg-type]
    with pytest.raises(dp.UsageError, match="one of .png"):
        save_figure(plot(run_dir, kind="concentration"), run_dir / "figure.gif")
    assert not (run_dir / "figure.gif").exists()


@pytest.mark.slow
def test_same_svg_bytes_across_processes_and_hash_seeds(run_dir, tmp_path):
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"network-{seed}.svg"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "dependencia", "plot", str(run_dir), "--kind", "network", "-o",
                        str(target)], check=True, env=env, capture_output=True)
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
