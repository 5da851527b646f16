"""Run folders shared by the report tests: the debt-brake scenario with and without the cap."""

from __future__ import annotations

import pytest

import dependencia as dp
from dependencia.simulation.scenario import load_scenario


def _run(folder, brake: bool):
    network, config = load_scenario("debt-brake")
    config = config.with_overrides([f"policies.debt_brake.enabled={str(brake).lower()}", "checkpoint_every=4"])
    return dp.Simulation(network, config, scenario="debt-brake").run(10, out=folder)


@pytest.fixture(scope="session")
def debt_brake_runs(tmp_path_factory):
    """Two complete run folders (10 steps, checkpoints every 4): the cap on and off."""
    root = tmp_path_factory.mktemp("report-runs")
    on, off = root / "brake-on", root / "brake-off"
    return (on, _run(on, True)), (off, _run(off, False))
