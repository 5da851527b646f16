"""Faults (issue 10, item 3): kill -9 at chosen points of simulate, sweep and report; a full disk.

Kill tests run the command line in a subprocess (``_kill_driver.py``) that stops dead at a chosen write
(half a temp file written, a complete temp file not yet renamed, a checkpoint half staged, ...) or after a
random delay (fixed seed), then SIGKILL it, as the OOM killer or ``kill -9 PID`` would: the command's own
process only. After each kill:

* every Parquet file a reader would find parses fully, every JSON file parses, and whatever the kill left
  behind is a dot-prefixed temp file or staging folder that readers ignore (``assert_nothing_corrupt``);
* no process the command started (sweep workers) outlives it;
* ``dependencia resume DIR`` (or the same ``simulate``, ``sweep`` or ``report`` again) completes, and the
  result files are byte-identical to an undisturbed run's.

The kill points are listed in ``SIMULATE_POINTS``, ``SWEEP_POINTS`` and ``REPORT_POINTS`` (plus the random
ones); the existing kill tests in tests/simulation/test_runs.py (after the first checkpoint; before any)
and tests/simulation/test_sweep.py (after the first run) add three more.

Full-disk tests inject ENOSPC into every write under a folder (``FullDisk``: at ``write`` or at ``fsync``),
and, where this machine lets the test mount a 2 MiB tmpfs, fill a real file system.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from _hardening import (
    TINY_SCENARIO,
    FullDisk,
    assert_nothing_corrupt,
    kill_after,
    kill_at,
    needs_proc,
    run_folder_bytes,
    sweep_bytes,
)

from dependencia.batch.query import query
from dependencia.cli import main
from dependencia.simulation.run_folder import RunFolder
from dependencia.simulation.state import latest_checkpoint

pytestmark = needs_proc

STEPS = 3  # checkpoints after steps 1 and 2, the tables after step 3
SIMULATE = ["simulate", str(TINY_SCENARIO), "--steps", str(STEPS), "--set", "checkpoint_every=1", "--quiet"]
SPEC = {"scenario": str(TINY_SCENARIO), "steps": STEPS, "seeds": [1, 2],
        "vary": {"infrastructure.build_cost": [4.0, 8.0]}, "fixed": {"checkpoint_every": 1},
        "outcomes": ["hhi", "top5_share"]}


SECONDS: dict[str, float] = {}  # how long the undisturbed commands took here: random kills fall within


@pytest.fixture(scope="module")
def undisturbed(tmp_path_factory):
    """The reference: the same simulate, not interrupted."""
    out = tmp_path_factory.mktemp("undisturbed") / "run"
    started = time.perf_counter()
    assert main([*SIMULATE, "--out", str(out)]) == 0
    SECONDS["simulate"] = time.perf_counter() - started
    return out


# ---------------------------------------------------------------- simulate
# (hook, what a restart needs): "simulate" when the kill came before manifest.json existed, else "resume"
SIMULATE_POINTS = {
    "start: initial network half written": ("write:run/network.json", "simulate"),
    "start: manifest half written": ("write:run/manifest.json", "simulate"),
    "checkpoint 1: staging half written": ("file:.step-000001.partial/actors.parquet", "resume"),
    "checkpoint 2: staged, not renamed": ("rename:checkpoints/step-000002", "resume"),
    "checkpoint 1 done, manifest update half written": ("write:run/manifest.json:2", "resume"),
    "end: final network half written": ("write:run/network-final.json", "resume"),
    "end: steps table half written": ("write:run/steps.parquet", "resume"),
    "end: events table written, not renamed": ("rename:run/events.parquet", "resume"),
    "end: tables complete, final manifest half written": ("write:run/manifest.json:4", "resume"),
}
QUICK_SIMULATE = {"checkpoint 2: staged, not renamed", "end: steps table half written",
                  "end: tables complete, final manifest half written", "checkpoint 1: staging half written"}


def check_killed_run(folder: Path) -> None:
    leftovers = assert_nothing_corrupt(folder)
    manifest = folder / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text())["status"] != "running":
        # killed after the final manifest, before the process ended: complete, every checksum right
        assert RunFolder.open(folder).complete()
    for path in leftovers:  # a temp file or staging folder: named so that no reader takes it for a result
        assert path.name.startswith(".") and path.name.endswith((".tmp", ".partial"))
    # what resume would start from is a complete, verified checkpoint (never the half-staged one)
    checkpoint = latest_checkpoint(folder)
    assert checkpoint is None or not checkpoint.name.startswith(".")


def restart(folder: Path, how: str, capsys) -> None:
    if how == "simulate":
        code = main([*SIMULATE, "--out", str(folder)])
    else:
        code = main(["resume", str(folder), "--quiet"])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()


@pytest.mark.parametrize(
    "point", [pytest.param(p, marks=() if p in QUICK_SIMULATE else pytest.mark.slow) for p in SIMULATE_POINTS])
def test_simulate_killed_at(point, undisturbed, tmp_path, capsys):
    hook, how = SIMULATE_POINTS[point]
    folder = tmp_path / "run"
    kill_at([*SIMULATE, "--out", folder], hook, tmp_path)
    check_killed_run(folder)
    if how == "simulate":
        assert not (folder / "manifest.json").exists()
        assert main(["resume", str(folder)]) == 2  # nothing to resume from: says so (simulate again)
        assert "manifest" in capsys.readouterr().err
    restart(folder, how, capsys)
    assert run_folder_bytes(folder) == run_folder_bytes(undisturbed)
    assert json.loads((folder / "manifest.json").read_text())["status"] == "complete"
    assert_nothing_corrupt(folder)
    assert query(folder, "SELECT count(*) AS n FROM steps")["n"].tolist() == [STEPS]


RANDOM_KILLS = 6  # at random moments after the run folder appears (seeded); the first 2 in the quick run


@pytest.mark.parametrize("index", [pytest.param(i, marks=() if i < 2 else pytest.mark.slow)
                                   for i in range(RANDOM_KILLS)])
def test_simulate_killed_at_random_moment(index, undisturbed, tmp_path, capsys):
    delay = random.Random(20240610 + index).uniform(0.0, 0.8) * SECONDS["simulate"]
    folder = tmp_path / "run"
    kill_after([*SIMULATE, "--out", folder], folder / "manifest.json", delay, tmp_path)
    check_killed_run(folder)  # (if the run ended just before the kill, it is complete: checked the same way)
    restart(folder, "resume", capsys)
    assert run_folder_bytes(folder) == run_folder_bytes(undisturbed)


def test_resume_ignores_and_survives_leftovers_of_several_kills(undisturbed, tmp_path, capsys):
    """Kill, resume, kill again at the next point, resume: temp files of both kills stay ignored."""
    folder = tmp_path / "run"
    kill_at([*SIMULATE, "--out", folder], "file:.step-000002.partial/steps.parquet", tmp_path)
    kill_at(["resume", folder, "--quiet"], "write:run/actors.parquet", tmp_path)
    leftovers = assert_nothing_corrupt(folder)
    # the resume replaced the half-staged checkpoint 2 by a complete one; the second kill left a temp table
    assert [p.name.split(".")[1] for p in leftovers] == ["actors"]
    assert latest_checkpoint(folder).name == "step-000002"
    restart(folder, "resume", capsys)
    assert run_folder_bytes(folder) == run_folder_bytes(undisturbed)


# ---------------------------------------------------------------- sweep
@pytest.fixture(scope="module")
def spec_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "spec.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    return path


@pytest.fixture(scope="module")
def undisturbed_sweep(spec_file):
    out = spec_file.parent / "undisturbed"
    started = time.perf_counter()
    assert main(["sweep", str(spec_file), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    SECONDS["sweep"] = time.perf_counter() - started
    return out


SWEEP_POINTS = {  # (hook, workers)
    "second run's first checkpoint staged": ("rename:checkpoints/step-000001:2", 1),
    "all runs done, runs table half written": ("write:runs.parquet", 1),
    "runs table written, summary half written": ("write:summary.parquet", 1),
    "two worker processes, a run's final table half written": ("write:steps.parquet", 2),
}
QUICK_SWEEP = {"runs table written, summary half written", "two worker processes, a run's final table half written"}


@pytest.mark.parametrize(
    "point", [pytest.param(p, marks=() if p in QUICK_SWEEP else pytest.mark.slow) for p in SWEEP_POINTS])
def test_sweep_killed_at(point, spec_file, undisturbed_sweep, tmp_path, capsys):
    hook, workers = SWEEP_POINTS[point]
    out = tmp_path / "sweep"
    # with 2 workers the stop happens in a worker process; the kill is the parent's, and the workers must end
    kill_at(["sweep", spec_file, "--out", out, "--workers", workers, "--quiet"], hook, tmp_path)
    leftovers = assert_nothing_corrupt(out)
    assert leftovers  # the half-written temp file is still there, and ignored below
    if point != "runs table written, summary half written":
        assert not (out / "runs.parquet").exists()
    assert not (out / "summary.parquet").exists()
    assert main(["sweep", str(spec_file), "--out", str(out), "--workers", str(workers), "--quiet"]) == 0
    capsys.readouterr()
    assert sweep_bytes(out) == sweep_bytes(undisturbed_sweep)
    assert_nothing_corrupt(out)
    # DuckDB reads the tables by their exact names: the temp files the kill left are not in any view
    sql = "SELECT run_id, count(*) AS n FROM steps GROUP BY run_id ORDER BY run_id"
    assert query(out, sql).equals(query(undisturbed_sweep, sql))
    assert query(out, "SELECT count(*) AS n FROM runs")["n"].tolist() == [4]


@pytest.mark.slow
@pytest.mark.parametrize("index", range(3))
def test_sweep_killed_at_random_moment(index, spec_file, undisturbed_sweep, tmp_path, capsys):
    delay = random.Random(777 + index).uniform(0.0, 0.7) * SECONDS["sweep"]  # 2 workers: faster than 1
    out = tmp_path / "sweep"
    kill_after(["sweep", spec_file, "--out", out, "--workers", "2", "--quiet"], out / "runs", delay, tmp_path)
    assert_nothing_corrupt(out)
    assert main(["sweep", str(spec_file), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    capsys.readouterr()
    assert sweep_bytes(out) == sweep_bytes(undisturbed_sweep)


@pytest.mark.slow
def test_sweep_on_a_local_dask_cluster_killed_after_a_run(spec_file, undisturbed_sweep, tmp_path, capsys):
    """Dask's worker processes end with the killed sweep too (Dask watches its parent)."""
    pytest.importorskip("dask.distributed")
    out = tmp_path / "sweep"
    kill_after(["sweep", spec_file, "--out", out, "--workers", "2", "--scheduler", "dask", "--quiet"],
               out / "runs", 4.0, tmp_path)
    assert_nothing_corrupt(out)
    assert main(["sweep", str(spec_file), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    capsys.readouterr()
    assert sweep_bytes(out) == sweep_bytes(undisturbed_sweep)


# ---------------------------------------------------------------- report
REPORT_POINTS = {
    "first write, half written": ("write:report.html", False),
    "over an earlier report, half written": ("write:report.html", True),
    "over an earlier report, complete, not renamed": ("rename:report.html", True),
}


@pytest.fixture(scope="module")
def reports(undisturbed, tmp_path_factory):
    """The report of the reference run, and an earlier report at the same path (another title)."""
    folder = tmp_path_factory.mktemp("reports")
    assert main(["report", str(undisturbed), "-o", str(folder / "expected.html"), "--quiet"]) == 0
    assert main(["report", str(undisturbed), "-o", str(folder / "earlier.html"), "--title", "earlier",
                 "--quiet"]) == 0
    return (folder / "expected.html").read_bytes(), (folder / "earlier.html").read_bytes()


@pytest.mark.parametrize("point", REPORT_POINTS)
def test_report_killed_while_writing(point, undisturbed, reports, tmp_path, capsys):
    hook, earlier = REPORT_POINTS[point]
    expected, before = reports
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    if earlier:
        target.write_bytes(before)
    kill_at(["report", undisturbed, "-o", target, "--quiet"], hook, tmp_path)
    if earlier:
        assert target.read_bytes() == before  # the earlier complete file, untouched
    else:
        assert not target.exists()
    assert [p.name for p in target.parent.iterdir() if p.name != "report.html"] == \
        [p.name for p in target.parent.iterdir() if p.name.startswith(".report.html.") and p.name.endswith(".tmp")]
    assert main(["report", str(undisturbed), "-o", str(target), "--quiet"]) == 0
    capsys.readouterr()
    assert target.read_bytes() == expected


@pytest.mark.parametrize("index", [pytest.param(i, marks=() if i < 1 else pytest.mark.slow) for i in range(4)])
def test_report_killed_at_random_moment(index, undisturbed, reports, tmp_path):
    expected, before = reports
    target = tmp_path / "report.html"
    target.write_bytes(before)
    delay = random.Random(99 + index).uniform(0.5, 4.0)
    kill_after(["report", undisturbed, "-o", target, "--quiet"], target, delay, tmp_path)
    assert target.read_bytes() in (before, expected)  # the earlier file or the new one, never a mix


# ---------------------------------------------------------------- a full disk (fault injection)
NETWORK = "florentine"  # a shipped example: small and fast


def full_disk_error(capsys, code: int, path: Path) -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    assert "No space left on device" in err and str(path) in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


def no_temp_files(folder: Path) -> None:
    left = [str(p) for p in folder.rglob("*") if p.name.endswith((".tmp", ".partial"))]
    assert not left, left


OUTPUT_COMMANDS = {
    "power -o": (["power", NETWORK, "--format", "json"], "out.json"),
    "rents -o": (["rents", NETWORK, "--format", "csv"], "out.csv"),
    "chokepoints -o": (["chokepoints", NETWORK, "--format", "json"], "out.json"),
    "convert (model file)": (["convert", NETWORK], "out.yaml"),
    "convert (GraphML)": (["convert", NETWORK], "out.graphml"),
    "plot -o (SVG)": (["plot", NETWORK, "--kind", "network"], "out.svg"),
    "report -o": (["report", NETWORK, "--quiet"], "out.html"),
}


@pytest.mark.parametrize("fsync", [False, True], ids=["at write", "at fsync"])
@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_full_disk_on_output(command, fsync, tmp_path, monkeypatch, capsys):
    args, name = OUTPUT_COMMANDS[command]
    target = tmp_path / name
    target.write_text("an earlier result\n")
    disk = FullDisk(monkeypatch, tmp_path, fsync=fsync)
    if args[0] == "convert":
        code = main([*args, str(target)])
    else:
        code = main([*args, "-o", str(target)])
    full_disk_error(capsys, code, target)
    assert disk.failures
    assert target.read_text() == "an earlier result\n"  # what was there before is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # and nothing else is left


def test_full_disk_on_csv_bundle(tmp_path, monkeypatch, capsys):
    """A bundle is several files: each is whole or absent (the ones written before the disk filled stay)."""
    folder = tmp_path / "bundle"
    FullDisk(monkeypatch, tmp_path, at="*/bundle/.dependencies.csv.*")
    code = main(["convert", "openai-board", str(folder)])
    full_disk_error(capsys, code, folder / "dependencies.csv")
    no_temp_files(tmp_path)
    assert not (folder / "dependencies.csv").exists() and (folder / "actors.csv").exists()


@pytest.mark.parametrize("at, nth, fails_on", [
    ("*/checkpoints/.step-000002.partial/*", 1, "run/checkpoints/step-000002"),
    ("*/run/.actors.parquet.*", 1, "run/actors.parquet"),
    ("*/run/.manifest.json.*", 3, "run/manifest.json"),  # after checkpoint 2
    ("*/run/.manifest.json.*", 4, "run/manifest.json"),  # the final manifest, tables written
], ids=["checkpoint", "table", "manifest after a checkpoint", "final manifest"])
def test_full_disk_during_a_run_loses_nothing(at, nth, fails_on, undisturbed, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "run"
    disk = FullDisk(monkeypatch, tmp_path, at=at, nth=nth)
    code = main([*SIMULATE, "--out", str(folder)])
    full_disk_error(capsys, code, tmp_path / fails_on)
    no_temp_files(folder)
    assert_nothing_corrupt(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "running"
    checkpoint = latest_checkpoint(folder)
    if checkpoint is not None:  # the checkpoints written before the disk filled are intact and verified
        from dependencia.simulation.state import load_checkpoint

        load_checkpoint(checkpoint)
    disk.free()
    assert main(["resume", str(folder), "--quiet"]) == 0
    assert run_folder_bytes(folder) == run_folder_bytes(undisturbed)


def test_full_disk_at_the_start_of_a_run(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "run"
    FullDisk(monkeypatch, tmp_path, at="*/run/.manifest.json.*")
    code = main([*SIMULATE, "--out", str(folder)])
    full_disk_error(capsys, code, folder / "manifest.json")
    no_temp_files(folder)
    assert not (folder / "manifest.json").exists()


def test_full_disk_during_a_sweep(spec_file, undisturbed_sweep, tmp_path, monkeypatch, capsys):
    """A sweep whose summary cannot be written fails clearly; its runs stay complete; a rerun finishes."""
    out = tmp_path / "sweep"
    disk = FullDisk(monkeypatch, tmp_path, at="*/sweep/.summary.parquet.*")
    code = main(["sweep", str(spec_file), "--out", str(out), "--workers", "1", "--quiet"])
    full_disk_error(capsys, code, out / "summary.parquet")
    no_temp_files(out)
    assert_nothing_corrupt(out)
    assert (out / "runs.parquet").exists() and not (out / "summary.parquet").exists()
    disk.free()
    assert main(["sweep", str(spec_file), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert sweep_bytes(out) == sweep_bytes(undisturbed_sweep)


def test_full_disk_in_a_sweep_run_is_recorded_and_retried(spec_file, undisturbed_sweep, tmp_path, monkeypatch,
                                                          capsys):
    """The disk fills during one run's checkpoint: that run is recorded as failed (the error names the
    path); once there is space, the rerun retries it and the tables equal an undisturbed sweep's."""
    out = tmp_path / "sweep"
    import dependencia.batch.runs as runs_module  # the run loop that sweeps and experiments share

    disk = FullDisk(monkeypatch, tmp_path, at="*/runs/p001-*-s2/checkpoints/.step-000001.partial/*")
    real_run_one = runs_module._run_one

    def run_one(state, item):
        result = real_run_one(state, item)
        if disk.full:
            disk.free()  # space again after the run that filled the disk
        return result

    monkeypatch.setattr(runs_module, "_run_one", run_one)
    code = main(["sweep", str(spec_file), "--out", str(out), "--workers", "1", "--quiet"])
    err = capsys.readouterr().err
    assert code == 0 and "1 failed" in err and "No space left on device" in err, err
    runs = pd.read_parquet(out / "runs.parquet").set_index("run_id")
    failed = runs[runs["status"] == "failed"]
    assert len(failed) == 1 and "No space left on device" in failed["error"].iloc[0]
    assert str(out / "runs" / failed.index[0]) in failed["error"].iloc[0]
    no_temp_files(out)
    assert main(["sweep", str(spec_file), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    assert sweep_bytes(out) == sweep_bytes(undisturbed_sweep)


# ---------------------------------------------------------------- a real full disk (tmpfs)
@pytest.fixture
def small_tmpfs(tmp_path):
    """A 2 MiB tmpfs mounted for the test (skips where mounting is not permitted)."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command here")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path, leave: int) -> Path:
    """Fill the file system of ``folder`` up to ``leave`` bytes."""
    filler = folder / "filler"
    stat = os.statvfs(folder)
    size = max(stat.f_bavail * stat.f_frsize - leave, 0)
    with open(filler, "wb") as stream:
        stream.write(b"\0" * size)
    return filler


def test_real_full_disk(small_tmpfs, undisturbed, capsys):
    """On a real full file system: a run, a PNG figure (written by a C extension) and a report."""
    # a run that fills the disk part way: a clear error, nothing corrupt, resumable once there is space
    folder = small_tmpfs / "run"
    filler = fill(small_tmpfs, 60_000)
    code = main([*SIMULATE, "--out", str(folder)])
    err = capsys.readouterr().err
    assert code == 2 and "No space left on device" in err and str(small_tmpfs) in err, err
    assert "Traceback" not in err
    no_temp_files(folder)
    assert_nothing_corrupt(folder)
    filler.unlink()
    assert main(["resume", str(folder), "--quiet"]) == 0
    assert run_folder_bytes(folder) == run_folder_bytes(undisturbed)

    # outputs over earlier files on a disk with no room left
    png, html = small_tmpfs / "figure.png", small_tmpfs / "report.html"
    png.write_bytes(b"earlier png")
    html.write_bytes(b"earlier html")
    shutil.rmtree(folder)
    filler = fill(small_tmpfs, 0)
    for args, target in ((["plot", NETWORK, "--kind", "network", "-o", str(png)], png),
                         (["report", NETWORK, "-o", str(html), "--quiet"], html)):
        capsys.readouterr()
        full_disk_error(capsys, main(args), target)
    assert png.read_bytes() == b"earlier png" and html.read_bytes() == b"earlier html"
    assert sorted(p.name for p in small_tmpfs.iterdir()) == ["figure.png", "filler", "report.html"]
