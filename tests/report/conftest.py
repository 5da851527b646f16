"""Run folders shared by the report tests: the debt-brake scenario with and without the cap."""

from __future__ import annotations

import pytest

import dependencia as dp
from dependencia.simulation.scenario import load_scenario

HOSTILE = ("<img src=x onerror=\"window.pwned=1\">", "</script><script>window.pwned=2</script>",
           "a&amp;b \u2028 'quoted\" <!--")


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


@pytest.fixture(scope="session")
def hostile_ids():
    """Strings that would run script if a page put them in as HTML (they set window.pwned)."""
    return HOSTILE


@pytest.fixture(scope="session")
def hostile_network():
    """A network whose ids, kinds and labels try to run script in a page."""
    actors = [{"id": HOSTILE[0], "kind": "firm", "label": HOSTILE[2]},
              {"id": HOSTILE[1], "kind": "<b>kind</b>"}, {"id": "plain", "kind": "household"},
              {"id": "hub", "kind": "firm"}]
    deps = [{"dependent": "plain", "provider": HOSTILE[0], "dimension": "<svg onload=alert(1)>"},
            {"dependent": HOSTILE[0], "provider": "hub", "dimension": "money"},
            {"dependent": "plain", "provider": "hub", "dimension": "money"},
            {"dependent": HOSTILE[1], "provider": "hub", "dimension": "money"},
            {"dependent": "hub", "provider": HOSTILE[1], "dimension": "<svg onload=alert(1)>"}]
    return dp.Network.from_records(actors, deps)
