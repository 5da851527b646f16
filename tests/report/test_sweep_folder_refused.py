"""``report``, ``plot`` and ``resume`` given a sweep folder say so, and what to pass instead (exit 2, one line).

Before, ``dependencia report SWEEP_DIR`` read the folder as a CSV bundle and
said "the CSV bundle has no actors.csv". The oracle for the suggested run
folder is the sweep's own ``runs.parquet``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import dependencia as dp
from dependencia.batch.sweep import is_sweep_folder, refuse_sweep_folder
from dependencia.cli import main
from dependencia.errors import UsageError


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sweep") / "sw"
    dp.sweep({"scenario": "platform", "steps": 1, "seeds": [1, 2]}, out=out, workers=1)
    return out


def one_line(capsys, code: int) -> str:
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert line.startswith("error: ")
    return line


@pytest.mark.parametrize("command", [
    ["report", "{sweep}"],
    ["report", "florentine", "{sweep}"],
    ["plot", "{sweep}", "--kind", "concentration"],
    ["plot", "{sweep}", "--kind", "network"],
])
def test_a_sweep_folder_is_named_and_a_run_folder_suggested(capsys, tmp_path, sweep_folder, command):
    args = [str(sweep_folder) if a == "{sweep}" else a for a in command] + ["-o", str(tmp_path / "out.html")]
    if command[0] == "plot":
        args[-1] = str(tmp_path / "out.png")
    line = one_line(capsys, main(args))
    first_run = sorted(pd.read_parquet(sweep_folder / "runs.parquet")["run_id"])[0]
    assert f"{sweep_folder} is a sweep folder" in line
    assert str(sweep_folder / "runs" / first_run) in line  # a run folder that exists
    assert f"dependencia query {sweep_folder}" in line
    assert "actors.csv" not in line
    assert not (tmp_path / "out.html").exists() and not (tmp_path / "out.png").exists()


def test_the_suggested_run_folder_works(capsys, tmp_path, sweep_folder):
    first_run = sorted(pd.read_parquet(sweep_folder / "runs.parquet")["run_id"])[0]
    assert main(["plot", str(sweep_folder / "runs" / first_run), "--kind", "concentration",
                 "-o", str(tmp_path / "c.png")]) == 0
    assert (tmp_path / "c.png").stat().st_size > 0


def test_a_sweep_still_running_and_a_bare_summary_are_sweep_folders(tmp_path, sweep_folder):
    running = tmp_path / "running"
    (running / "runs").mkdir(parents=True)  # runs.parquet is written at the end
    assert is_sweep_folder(running)
    with pytest.raises(UsageError, match=r"runs/<run_id>"):
        refuse_sweep_folder(running)
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(sweep_folder / "summary.parquet", bare / "summary.parquet")
    assert is_sweep_folder(bare)


def test_run_folders_and_csv_bundles_are_not_sweep_folders(tmp_path, sweep_folder):
    run = next(p for p in sorted((sweep_folder / "runs").iterdir()))
    assert not is_sweep_folder(run)
    refuse_sweep_folder(run)  # no error
    bundle = tmp_path / "bundle"
    from dependencia import examples

    dp.write(dp.read(examples.path("florentine")), bundle)
    assert not is_sweep_folder(bundle)
    assert not is_sweep_folder(tmp_path / "nowhere")


def test_resume_on_a_sweep_folder_says_how_to_resume_the_sweep(capsys, sweep_folder):
    before = sorted(p.name for p in (sweep_folder / "runs").iterdir())
    line = one_line(capsys, main(["resume", str(sweep_folder)]))
    assert f"{sweep_folder} is a sweep folder" in line and f"dependencia sweep SPEC --out {sweep_folder}" in line
    assert sorted(p.name for p in (sweep_folder / "runs").iterdir()) == before
