"""One name for one number: simulate's summary, the demo and the report show steps.parquet's figures by name.

The oracle is the run's own ``steps.parquet`` read with pandas: every figure
printed must be the last row's value of the column it is named after, and the
steps are numbered 0 to N-1 for ``--steps N``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dependencia.cli import main
from dependencia.simulation.results import SCHEMAS, STEP_COLUMNS, SUMMARY_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
STEPS = 2


def _figures(lines: list[str]) -> dict[str, str]:
    """``  name  value  meaning`` lines -> {name: value}, checking the meaning is the glossary's."""
    figures = {}
    for line in lines:
        name, value, meaning = line.split(maxsplit=2)
        assert meaning == STEP_COLUMNS[name]
        figures[name] = value
    return figures


def _close(text: str, value: float) -> bool:
    return float(text) == pytest.approx(float(value), rel=5e-4, abs=1e-12)


def test_every_steps_column_has_one_meaning():
    assert list(STEP_COLUMNS) == SCHEMAS["steps"].names
    assert set(SUMMARY_COLUMNS) <= set(STEP_COLUMNS)
    assert len(set(STEP_COLUMNS.values())) == len(STEP_COLUMNS)  # no two columns read the same


def test_simulate_summary_names_each_figure_by_its_column(tmp_path, capfd):
    folder = tmp_path / "brake"
    code = main(["simulate", "debt-brake", "--steps", str(STEPS), "--seed", "1", "--quiet", "--out", str(folder),
                 "--set", "policies.debt_brake.enabled=true"])
    _, err = capfd.readouterr()
    assert code == 0, err
    steps = pd.read_parquet(folder / "steps.parquet")
    assert steps["step"].tolist() == list(range(STEPS))  # --steps N: steps 0 to N-1
    first, *lines = err.strip().splitlines()
    assert f"{STEPS} steps (step 0 to {STEPS - 1}); step {STEPS - 1}, the last row of steps.parquet" in first
    figures = _figures(lines)
    assert list(figures) == list(SUMMARY_COLUMNS)
    last = steps.iloc[-1]
    for name, value in figures.items():
        assert _close(value, last[name]), (name, value, last[name])


def test_demo_prints_the_same_names_and_values_as_simulate(tmp_path, capfd):
    """The demo's 'with the debt brake' column equals simulate's summary of the same run."""
    out = tmp_path / "demo"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo_debt_brake.py"), "--steps", str(STEPS),
                           "--seed", "1", "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"step {STEPS - 1}, the last of {STEPS} steps" in done.stdout
    rows = {}
    for line in done.stdout.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) == 4 and cells[0] in STEP_COLUMNS:
            rows[cells[0]] = cells
    assert list(rows) == list(SUMMARY_COLUMNS)
    for name, (_, brake, no_brake, meaning) in rows.items():
        assert meaning == STEP_COLUMNS[name]
        assert _close(brake, pd.read_parquet(out / "brake" / "steps.parquet")[name].iloc[-1])
        assert _close(no_brake, pd.read_parquet(out / "no-brake" / "steps.parquet")[name].iloc[-1])
    # simulate on the same scenario, seed and policy prints the same figures
    folder = tmp_path / "cli"
    assert main(["simulate", "debt-brake", "--steps", str(STEPS), "--seed", "1", "--quiet", "--out", str(folder),
                 "--set", "policies.debt_brake.enabled=true"]) == 0
    figures = _figures(capfd.readouterr().err.strip().splitlines()[1:])
    assert figures == {name: cells[1] for name, cells in rows.items()}


def test_report_summary_shows_the_figures_by_column_name(tmp_path):
    from dependencia.report.data import run_summary
    from dependencia.simulation import Simulation
    from dependencia.simulation.scenario import load_scenario

    network, config = load_scenario("debt-brake")
    run = Simulation(network, config, scenario="debt-brake").run(STEPS, out=tmp_path / "run")
    rows = dict(run_summary(run.manifest, tmp_path / "run", run.steps))
    steps = pd.read_parquet(tmp_path / "run" / "steps.parquet")
    assert rows["last row of steps.parquet"].startswith(f"step {STEPS - 1} ")
    for name in SUMMARY_COLUMNS:
        value, meaning = rows[name].split(" ", 1)
        assert _close(value, steps[name].iloc[-1])
        assert meaning == f"({STEP_COLUMNS[name]})"
