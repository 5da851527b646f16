"""Sweeps (docs/cli.md, ``dependencia sweep``): spec checks, designs, run ids, tables, restart, failures, workers, query."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from dependencia import cli
from dependencia.batch.sweep import read_spec, sweep
from dependencia.cli import main
from dependencia.errors import InputError

TINY = {"scenario": "platform", "steps": 2, "seeds": [1, 2],
        "vary": {"infrastructure.build_cost": [5.0, 10.0]}, "outcomes": ["hhi", "top5_share"]}


@pytest.fixture(autouse=True, scope="module")
def registered():
    """The command is registered on the main app."""
    names = {c.name or c.callback.__name__ for c in cli.app.registered_commands}
    assert "sweep" in names


def write_spec(folder: Path, spec: dict, name: str = "spec.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(spec))
    return path


def table_bytes(out: Path) -> dict[str, bytes]:
    found = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.glob("runs/*/*.parquet"))}
    found.update({name: (out / name).read_bytes() for name in ("runs.parquet", "summary.parquet")})
    return found


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "one"
    runs = sweep(TINY, out=out, workers=1)
    return out, runs


def test_grid_expands_in_key_order():
    vary = {"infrastructure.build_cost": [5.0, 10.0], "policies.rent_tax.enabled": [True, False]}
    spec = read_spec({**TINY, "vary": vary})
    assert spec.points == ({"infrastructure.build_cost": 5.0, "policies.rent_tax.enabled": True},
                           {"infrastructure.build_cost": 5.0, "policies.rent_tax.enabled": False},
                           {"infrastructure.build_cost": 10.0, "policies.rent_tax.enabled": True},
                           {"infrastructure.build_cost": 10.0, "policies.rent_tax.enabled": False})
    assert read_spec({**TINY, "vary": {}}).points == ({},)
    assert read_spec({**TINY, "seeds": {"count": 3, "start": 4}}).seeds == (4, 5, 6)


def test_lhs_is_stratified_within_bounds_and_seeded():
    vary = {"infrastructure.build_cost": [2, 10], "policies.rent_tax.rate": [0.0, 0.5]}
    spec = {**TINY, "design": {"lhs": 8}, "vary": vary}
    points = read_spec(spec).points
    assert len(points) == 8
    costs = np.array([p["infrastructure.build_cost"] for p in points])
    rates = np.array([p["policies.rent_tax.rate"] for p in points])
    assert ((costs >= 2) & (costs < 10)).all() and ((rates >= 0) & (rates < 0.5)).all()
    # one point in each of the 8 strata of each range (the Latin property)
    assert sorted(np.floor((costs - 2) / 1.0).astype(int)) == list(range(8))
    assert sorted(np.floor(rates / 0.0625).astype(int)) == list(range(8))
    assert read_spec(spec).points == points  # same first seed, same points
    assert read_spec({**spec, "seeds": [7, 1]}).points != points


def test_run_ids_are_stable_and_tied_to_the_settings():
    spec = read_spec(TINY)
    assert spec.run_id(1, 2) == read_spec(TINY).run_id(1, 2)
    assert spec.run_id(1, 2).startswith("p001-") and spec.run_id(1, 2).endswith("-s2")
    assert read_spec({**TINY, "fixed": {"candidates": 5}}).run_id(1, 2) != spec.run_id(1, 2)


def test_tables(tiny):
    out, runs = tiny
    table = pd.read_parquet(out / "runs.parquet")
    assert list(table.columns) == ["run_id", "seed", "infrastructure.build_cost", "status", "error"]
    assert table["seed"].tolist() == [1, 2, 1, 2]
    assert table["infrastructure.build_cost"].tolist() == [5.0, 5.0, 10.0, 10.0]
    assert (table["status"] == "complete").all() and table["error"].isna().all()
    assert list(runs.index) == table["run_id"].tolist()
    summary = pd.read_parquet(out / "summary.parquet")
    assert list(summary.columns) == ["point", "infrastructure.build_cost", "outcome", "mean", "std", "ci_low",
                                     "ci_high", "n"]
    assert len(summary) == 4 and (summary["n"] == 2).all()
    for row in summary.itertuples():
        ids = table.loc[table["infrastructure.build_cost"] == row._2, "run_id"]
        last = [pd.read_parquet(out / "runs" / i / "steps.parquet").iloc[-1][row.outcome] for i in ids]
        assert row.point == f"infrastructure.build_cost={row._2}"
        assert row.mean == pytest.approx(pd.Series(last).mean())
        assert row.std == pytest.approx(pd.Series(last).std())
        # 95% t interval with 1 degree of freedom: t = 12.706
        assert row.ci_high - row.mean == pytest.approx(12.706 * row.std / np.sqrt(2), rel=1e-4, abs=1e-12)
        assert row.ci_low == pytest.approx(2 * row.mean - row.ci_high)
    for run_id in table["run_id"]:
        manifest = json.loads((out / "runs" / run_id / "manifest.json").read_text())
        assert manifest["status"] == "complete" and manifest["steps_done"] == 2
        assert manifest["seed"] == table.set_index("run_id").loc[run_id, "seed"]


def test_restart_skips_complete_runs_and_resumes_unfinished(tiny, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(tiny[0], out)
    first = sorted(out.glob("runs/*"))[0]
    (first / "steps.parquet").unlink()  # an unfinished run: manifest says running, no tables
    manifest = json.loads((first / "manifest.json").read_text())
    (first / "manifest.json").write_text(json.dumps({**manifest, "status": "running", "checksums": {}}))
    stamps = {p: p.stat().st_mtime_ns for p in out.glob("runs/*/*") if p.parent != first}
    assert len(stamps) == 3 * 6  # manifest, initial and final network and three tables of each complete run
    calls = []
    runs = sweep(TINY, out=out, workers=1, progress=lambda *a: calls.append(a))
    assert runs.attrs["skipped"] == 3 and calls[0] == (3, 0, 4) and calls[-1] == (4, 0, 4)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    assert table_bytes(out) == table_bytes(tiny[0])


def test_a_failed_run_is_recorded_and_the_others_complete(tmp_path):
    spec = {**TINY, "vary": {"infrastructure.build_cost": [5.0, -1.0]}}
    calls = []
    runs = sweep(spec, out=tmp_path, workers=1, progress=lambda *a: calls.append(a))
    assert runs["status"].tolist() == ["complete", "complete", "failed", "failed"]
    assert runs["error"].iloc[2].startswith("ConfigError") and "build_cost" in runs["error"].iloc[2]
    assert calls[-1] == (4, 2, 4)
    summary = pd.read_parquet(tmp_path / "summary.parquet")
    assert summary["n"].tolist() == [2, 2, 0, 0]
    assert pd.read_parquet(tmp_path / "runs.parquet")["status"].tolist() == runs["status"].tolist()


def test_one_and_two_workers_give_byte_identical_tables(tiny, tmp_path):
    sweep(TINY, out=tmp_path / "two", workers=2)
    assert table_bytes(tmp_path / "two") == table_bytes(tiny[0])


@pytest.mark.parametrize("change, key", [
    ({"steps": 0}, "steps"),
    ({"seeds": []}, "seeds"),
    ({"seeds": {"count": 0}}, "seeds.count"),
    ({"design": "random"}, "design"),
    ({"design": {"lhs": 4}, "vary": {"infrastructure.build_cost": [1, 2, 3]}}, "vary.infrastructure.build_cost"),
    ({"design": {"lhs": 4}, "vary": {"infrastructure.build_cost": [3, 1]}}, "vary.infrastructure.build_cost"),
    ({"design": {"lhs": 0}}, "design.lhs"),
    ({"vary": {"nope.x": [1]}}, "vary.nope.x"),
    ({"vary": {"infrastructure.build_cost": 5}}, "vary.infrastructure.build_cost"),
    ({"vary": {"infrastructure.build_cost": [1, "a"]}}, "vary.infrastructure.build_cost"),
    ({"fixed": {"seed": 3}}, "fixed.seed"),
    ({"fixed": {"infrastructure.build_cost": 1}}, "fixed.infrastructure.build_cost"),
    ({"fixed": {"candidates": -1}}, "fixed"),
    ({"outcomes": ["nope"]}, "outcomes"),
    ({"scenario": "no-such"}, "scenario"),
    ({"extra": 1}, "extra"),
])
def test_bad_specs_exit_2_naming_the_key(tmp_path, capsys, change, key):
    path = write_spec(tmp_path, {**TINY, **change})
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}, {key}: ") and err.count("\n") == 1 and "Traceback" not in err
    with pytest.raises(InputError):
        read_spec(path)


def test_cli_and_query(tmp_path, capsys):
    (tmp_path / "nets").mkdir()
    from dependencia.simulation.scenario import scenario_path

    (tmp_path / "nets" / "mine.yaml").write_text(scenario_path("platform").read_text())
    path = write_spec(tmp_path, {**TINY, "scenario": "nets/mine.yaml"})  # relative to the spec file
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "4 runs, 4 complete" in captured.err and "0 failed" in captured.err
    assert main(["query", str(out), "SELECT count(*) AS n FROM runs", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == [{"n": 4}]
    assert main(["query", str(out), 'SELECT count(DISTINCT run_id) AS n FROM steps', "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == [{"n": 4}]
    assert main(["query", str(out), "SELECT count(*) AS n FROM summary WHERE outcome = 'hhi'", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == [{"n": 2}]
    assert main(["sweep", str(path), "--out", str(out), "--scheduler", "tcp://x:1", "--workers", "2"]) == 2


def test_dask_local_cluster_gives_the_same_tables(tiny, tmp_path):
    pytest.importorskip("dask.distributed")
    sweep(TINY, out=tmp_path / "dask", workers=2, scheduler="dask")
    assert table_bytes(tmp_path / "dask") == table_bytes(tiny[0])


def test_a_killed_sweep_loses_nothing_on_restart(tmp_path):
    """SIGKILL a sweep once its first run is complete; running it again gives the undisturbed tables."""
    import os
    import signal
    import subprocess
    import sys
    import time

    spec = write_spec(tmp_path, {**TINY, "steps": 6, "seeds": [1, 2, 3]})
    undisturbed = tmp_path / "undisturbed"
    sweep(spec, out=undisturbed, workers=1)
    out = tmp_path / "killed"
    command = [sys.executable, "-m", "dependencia", "sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        done = [p for p in out.glob("runs/*/manifest.json") if '"complete"' in p.read_text()]
        if done:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the sweep finished before it could be killed; make it longer"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not (out / "runs.parquet").exists()
    runs = sweep(spec, out=out, workers=1)
    assert (runs["status"] == "complete").all()
    assert table_bytes(out) == table_bytes(undisturbed)
