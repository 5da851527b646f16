"""Experiments about named actors: ``power_share:A+B`` metrics and ``investors.ACTOR`` settings (docs/experiments.md).

The oracle of a ``power_share:`` metric is the run's own ``actors.parquet``
read directly with pandas (the aggregate rows of the last step, summed by
hand); that of ``investors.ACTOR=none`` is the run's event log: the actor
builds nothing.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from dependencia.batch.experiment import experiment
from dependencia.batch.metrics import run_metrics
from dependencia.cli import main
from dependencia.errors import UsageError
from dependencia.simulation.config import SimulationConfig
from dependencia.simulation.phases import Phases
from dependencia.simulation.results import Recorder
from dependencia.simulation.scenario import load_scenario

SCENARIO = str(Path(__file__).with_name("aa_scenario.yaml"))
SPEC = {"scenario": SCENARIO, "steps": 2, "seeds": 3, "control": {"investors.platco": "none"},
        "treatment": {"investors.platco": "random"},
        "metrics": ["power_share:platco", "power_share:s1+s2", "power_share:platco+s1+s2", "hhi"]}


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    folder = tmp_path_factory.mktemp("named")
    return folder, experiment(SPEC, out=folder / "out", workers=1)


def test_power_share_metrics_equal_the_actors_table(named):
    folder, result = named
    for _, row in pd.read_parquet(folder / "out" / "outcomes.parquet").iterrows():
        actors = pd.read_parquet(folder / "out" / "runs" / row["run_id"] / "actors.parquet")
        last = actors[(actors["dimension"] == "*") & (actors["step"] == actors["step"].max())]
        share = dict(zip(last["actor"], last["power_share"], strict=True))
        assert row["power_share:platco"] == pytest.approx(share.get("platco", 0.0))
        assert row["power_share:s1+s2"] == pytest.approx(share.get("s1", 0.0) + share.get("s2", 0.0))
        assert row["power_share:platco+s1+s2"] == pytest.approx(sum(share.get(a, 0.0) for a in ("platco", "s1", "s2")))


def test_an_investor_set_to_none_builds_nothing(named):
    folder, result = named
    runs = result.runs
    for run_id, row in runs.iterrows():
        events = pd.read_parquet(folder / "out" / "runs" / run_id / "events.parquet")
        built = events[(events["kind"] == "build") & (events["actor"] == "platco")]
        assert row["investors.platco"] in ("none", "random")
        if row["investors.platco"] == "none":
            assert built.empty
    treated = [i for i, r in runs.iterrows() if r["investors.platco"] == "random"]
    assert any(not pd.read_parquet(folder / "out" / "runs" / i / "events.parquet").query(
        "kind == 'build' and actor == 'platco'").empty for i in treated)


def test_an_actor_absent_at_the_end_counts_zero(tmp_path):
    pd.DataFrame({"step": [0, 1, 1], "actor": ["a", "a", "b"], "dimension": ["*", "*", "*"],
                  "power_share": [1.0, 0.25, 0.75]}).to_parquet(tmp_path / "actors.parquet")
    values = run_metrics(tmp_path, ["power_share:b+gone", "power_share:a"])
    assert values == {"power_share:b+gone": 0.75, "power_share:a": 0.25}
    pd.DataFrame({"step": pd.Series([], dtype="int64"), "hhi": pd.Series([], dtype="float64")}).to_parquet(
        tmp_path / "steps.parquet")
    assert math.isnan(run_metrics(tmp_path, ["hhi"])["hhi"])  # a run that recorded no step


def test_investors_actor_overrides_and_adds():
    config = SimulationConfig.from_mapping({"investors": [{"kind": "firm", "strategy": "random"},
                                                          {"actor": "a", "strategy": "greedy"}]})
    changed = config.with_overrides(["investors.a=none", "investors.s1=greedy"])
    # the named actors come first, so a kind entry does not override them
    assert [(i.actor, i.kind, i.strategy) for i in changed.investors] == [
        ("s1", None, "greedy"), ("a", None, "none"), (None, "firm", "random")]
    assert changed.get("investors.a") == "none" and changed.get("investors.zz") is None
    network, _ = load_scenario(SCENARIO)
    firms = SimulationConfig.from_mapping({"investors": [{"kind": "firm", "strategy": "none"}]}).with_overrides(
        ["investors.s1=random"])
    chosen = Phases(network, Phases.initial_state(network, firms), Recorder(), firms).strategies()
    assert chosen == {"s1": "random", "s2": "none"}


@pytest.mark.parametrize("assignment", ["investors.a=3", "investors.a.b=greedy", "investors.a="])
def test_bad_investor_settings_are_refused(assignment):
    with pytest.raises(UsageError, match=r"^--set investors\.a"):
        SimulationConfig().with_overrides([assignment])


@pytest.mark.parametrize(("change", "key", "message"), [
    ({"control": {"investors.nobody": "none"}}, "control.investors.nobody", "no actor 'nobody'"),
    ({"fixed": {"investors.s1": "clever"}}, "fixed.investors.s1", "unknown strategy 'clever'"),
    ({"metrics": ["power_share:platco+nobody"]}, "metrics", "names 'nobody'"),
    ({"metrics": ["power_share:s1+s1"]}, "metrics", "names an actor twice"),
    ({"sensitivity": {"ranges": {"investors.s1": ["none", "clever"]}}}, "sensitivity.ranges.investors.s1",
     "unknown strategy 'clever'"),
])
def test_bad_named_actors_exit_2_naming_the_key(tmp_path, capsys, change, key, message):
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({**SPEC, **change}))
    assert main(["experiment", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}, {key}:") and message in lines[0]
    assert not (tmp_path / "out").exists()


def test_simulate_refuses_an_unknown_investor(tmp_path, capsys):
    assert main(["simulate", SCENARIO, "--steps", "1", "--set", "investors.nobody=greedy",
                 "--out", str(tmp_path / "run")]) == 2
    assert "no actor 'nobody'" in capsys.readouterr().err
