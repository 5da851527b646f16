"""The configuration (dotted names, validation, --set) and the simulate/resume commands (docs/cli.md, docs/simulation.md#results-the-run-folder)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import dependencia as dp
from dependencia.cli import main
from dependencia.errors import InputError, UsageError
from dependencia.simulation import SimulationConfig
from dependencia.simulation.config import DEBT_BRAKE_SHARE
from dependencia.simulation.scenario import load_scenario, scenario_names

FILES = ("manifest.json", "steps.parquet", "actors.parquet", "events.parquet")


def is_summary(err: str, out: Path | None = None) -> bool:
    """stderr is simulate's summary only: 'wrote ...', then one 'name value meaning' line per figure."""
    from dependencia.simulation.results import SUMMARY_COLUMNS

    first, *figures = err.strip().splitlines()
    return (first.startswith(f"wrote {out if out is not None else ''}") and len(figures) == len(SUMMARY_COLUMNS)
            and [line.split()[0] for line in figures] == list(SUMMARY_COLUMNS))


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_clean_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and lines[0].startswith("error: ")
    return lines[0]


# ---------------------------------------------------------------- SimulationConfig.from_mapping
@pytest.mark.parametrize("section, parameter, problem", [
    ({"policies": {"debt_brake": {"borrowing_cap": -1}}}, "policies.debt_brake.borrowing_cap",
     "must be in [0, 1], got -1"),
    ({"policies": {"debt_brake": {"rule": "gdp"}}}, "policies.debt_brake.rule", "budget_share or gdp_share"),
    ({"policies": {"debt_brake": {"exempt": ["police"]}}}, "policies.debt_brake.exempt", "unknown purpose 'police'"),
    ({"policies": {"debt_brake": {"exempt": "investment"}}}, "policies.debt_brake.exempt", "must be a list"),
    ({"policies": {"debt_brake": {"enabled": "yes"}}}, "policies.debt_brake.enabled", "must be true or false"),
    ({"policies": {"rent_tax": {"rate": 1.5}}}, "policies.rent_tax.rate", "must be in [0, 1]"),
    ({"policies": {"antitrust": {"cap": 0}}}, "policies.antitrust.cap", "must be in (0, 1]"),
    ({"policies": {"interoperability": {"threshold": 2}}}, "policies.interoperability.threshold", "(0, 1]"),
    ({"steps": -1}, "steps", "must be >= 0"),
    ({"steps": 2.5}, "steps", "must be an integer"),
    ({"steps": True}, "steps", "must be an integer"),
    ({"checkpoint_every": 0}, "checkpoint_every", "must be >= 1"),
    ({"public_revenue": float("inf")}, "public_revenue", "must be a finite number"),
    ({"insolvency": "bankrupt"}, "insolvency", "must be exit, sell or none"),
    ({"measure": {"epsilon": 2}}, "measure.epsilon", "must be in (0, 1)"),
    ({"spillover": {"probability": -0.1}}, "spillover.probability", "must be in [0, 1]"),
    ({"decay": {"fallback": "drop"}}, "decay.fallback", "must be direct or need"),
    ({"adoption": {"switching_cost": 1}}, "adoption.switching_cost", "must be in [0, 1)"),
    ({"infrastructure": {"move_size": 0}}, "infrastructure.move_size", "must be >= 1"),
    ({"investors": [{"actor": "a", "kind": "firm", "strategy": "greedy"}]}, "investors[0]", "exactly one of"),
    ({"economy": {"pricing": "auction"}}, "economy.pricing", "administered, marginalist"),
    ({"policies": [1]}, "policies", "must be a mapping"),
])
def test_from_mapping_errors_name_the_parameter(section, parameter, problem):
    with pytest.raises(UsageError) as caught:
        SimulationConfig.from_mapping(section)
    message = str(caught.value)
    assert message.startswith(parameter) and problem in message
    with pytest.raises(InputError) as located:
        SimulationConfig.from_mapping(section, source="scenario.yaml")
    assert str(located.value).startswith(f"scenario.yaml, simulation.{parameter}")


def test_missing_investor_strategy_is_named():
    with pytest.raises(UsageError, match=r"^investors\[0\]\.strategy"):
        SimulationConfig.from_mapping({"investors": [{"actor": "a"}]})


@pytest.mark.parametrize("section, where, allowed", [
    ({"stepz": 3}, "simulation", ["steps", "seed", "checkpoint_every", "investors", "policies"]),
    ({"policies": {"debt_brake": {"cap": 0}}}, "policies.debt_brake",
     ["enabled", "borrowing_cap", "rule", "gdp_share", "exempt"]),
    ({"policies": {"wealth_tax": {}}}, "policies",
     ["debt_brake", "rent_tax", "antitrust", "interoperability", "public_option"]),
    ({"economy": {"markup": 1}}, "economy", ["pricing", "markup_base", "rent_tax"]),
])
def test_unknown_keys_list_the_allowed_ones(section, where, allowed):
    with pytest.raises(UsageError, match="unknown parameter") as caught:
        SimulationConfig.from_mapping(section)
    message = str(caught.value)
    assert f"{where} has: " in message
    listed = message.split(" has: ")[1].split(", ")
    assert set(allowed) <= set(listed)


def test_defaults():
    config = SimulationConfig.from_mapping(None)
    assert config == SimulationConfig() == SimulationConfig.from_mapping({})
    assert config.policies.debt_brake.borrowing_cap == DEBT_BRAKE_SHARE == 44 / 481
    assert not config.policies.debt_brake.enabled
    assert SimulationConfig.from_mapping(config.to_mapping()) == config
    json.dumps(config.to_mapping())  # plain data


# ---------------------------------------------------------------- with_overrides
@pytest.mark.parametrize("assignment, dotted, value", [
    ("policies.debt_brake.enabled=true", "policies.debt_brake.enabled", True),
    ("policies.debt_brake.enabled=false", "policies.debt_brake.enabled", False),
    ("policies.debt_brake.borrowing_cap=0", "policies.debt_brake.borrowing_cap", 0.0),
    ("policies.debt_brake.borrowing_cap=0.25", "policies.debt_brake.borrowing_cap", 0.25),
    ("policies.debt_brake.exempt=[investment, operations]", "policies.debt_brake.exempt", ("investment", "operations")),
    ("policies.debt_brake.exempt=[]", "policies.debt_brake.exempt", ()),
    ("steps=7", "steps", 7),
    ("public_revenue=3", "public_revenue", 3.0),
    ("measure.epsilon=0.05", "measure.epsilon", 0.05),
    ("measure.epsilon=null", "measure.epsilon", None),
    ("insolvency=sell", "insolvency", "sell"),
    ("economy.rent_tax=0.2", "economy.rent_tax", 0.2),
    ("spillover.dimensions=[energy]", "spillover.dimensions", ("energy",)),
])
def test_with_overrides_parses_yaml_scalars(assignment, dotted, value):
    base = SimulationConfig.from_mapping({"policies": {"debt_brake": {"enabled": True}}, "steps": 3})
    changed = base.with_overrides([assignment])
    assert changed.get(dotted) == value and type(changed.get(dotted)) is type(value)
    assert base.policies.debt_brake.enabled is True and base.steps == 3  # frozen: the original is unchanged
    if dotted != "steps":
        assert changed.steps == 3


def test_later_overrides_win_and_others_are_kept():
    config = SimulationConfig().with_overrides(["seed=1", "seed=2", "policies.rent_tax.enabled=true"])
    assert config.seed == 2 and config.policies.rent_tax.enabled and config.policies.rent_tax.rate == 0.1


@pytest.mark.parametrize("assignment, fragment", [
    ("policies.debt_brake.cap=0", "policies.debt_brake has: enabled, borrowing_cap, rule, gdp_share, exempt"),
    ("stepz=3", "simulation has: steps, seed"),
    ("policies.wealth_tax.rate=0.1", "policies has: debt_brake"),
    ("steps.x=1", "steps is a value, not a section"),
    ("steps", "expects key=value"),
    ("=3", "expects key=value"),
    ("steps=-1", "--set steps: must be >= 0"),
    ("steps=many", "--set steps: must be an integer"),
    ("policies.debt_brake.enabled=maybe", "--set policies.debt_brake.enabled: must be true or false"),
    ("policies.debt_brake={enabled: true}", "not a mapping"),
])
def test_with_overrides_refuses_bad_assignments(assignment, fragment):
    with pytest.raises(UsageError) as caught:
        SimulationConfig().with_overrides([assignment])
    assert fragment in str(caught.value)
    assert str(caught.value).startswith("--set")


@pytest.mark.parametrize("assignment, dotted, value", [
    ("measure.epsilon=1e-3", "measure.epsilon", 1e-3),
    ("infrastructure.build_cost=1e3", "infrastructure.build_cost", 1e3),
])
def test_with_overrides_reads_exponent_notation(assignment, dotted, value):
    assert SimulationConfig().with_overrides([assignment]).get(dotted) == value


# ---------------------------------------------------------------- simulate on the command line
def test_simulate_shipped_scenario_writes_the_run_folder(capsys, tmp_path):
    out = tmp_path / "run"
    code, stdout, err = run(capsys, "simulate", "debt-brake", "--steps", "2", "--out", out)
    assert code == 0, err
    for name in FILES:
        assert (out / name).is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["steps_done"] == 2 and manifest["status"] == "complete" and manifest["scenario"] == "debt-brake"
    assert manifest["seed"] == 1 and manifest["config"]["policies"]["debt_brake"]["enabled"] is True
    assert stdout == ""
    assert is_summary(err, out) and err.startswith(f"wrote {out}: 2 steps")


def test_simulate_seed_and_set_reach_the_manifest(capsys, tmp_path):
    out = tmp_path / "run"
    code, _, err = run(capsys, "simulate", "debt-brake", "--steps", "1", "--seed", "9", "--out", out,
                       "--set", "policies.debt_brake.enabled=false", "--set", "policies.rent_tax.rate=0.3")
    assert code == 0, err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 9 and manifest["config"]["seed"] == 9
    assert manifest["config"]["policies"]["debt_brake"]["enabled"] is False
    assert manifest["config"]["policies"]["rent_tax"]["rate"] == 0.3


def test_simulate_refuses_a_folder_that_holds_a_run(capsys, tmp_path):
    out = tmp_path / "run"
    assert run(capsys, "simulate", "debt-brake", "--steps", "1", "--out", out)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    code, _, err = run(capsys, "simulate", "debt-brake", "--steps", "1", "--out", out)
    assert code == 2 and "already holds a run" in one_clean_line(err)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before  # untouched


def test_simulate_refuses_an_out_that_is_a_file(capsys, tmp_path):
    out = tmp_path / "file"
    out.write_text("x")
    code, _, err = run(capsys, "simulate", "debt-brake", "--steps", "1", "--out", out)
    assert code == 2 and "not a folder" in one_clean_line(err)


@pytest.mark.parametrize("args, fragment", [
    (["--set", "policies.debt_brake.cap=0"], "policies.debt_brake.cap: unknown parameter"),
    (["--set", "steps=-1"], "steps: must be >= 0"),
    (["--set", "policies.debt_brake.borrowing_cap=-0.5"], "--set policies.debt_brake.borrowing_cap=-0.5: a share"),
    (["--set", "investors=[{actor: nobody, strategy: greedy}]"], "no actor 'nobody'"),
    (["--set", "investors=[{actor: state, strategy: clever}]"], "unknown strategy 'clever'"),
    (["--set", "measure.dimensions=[water]"], "unknown dimension 'water'"),
    (["--set", "steps"], "expects key=value"),
])
def test_simulate_bad_set_exits_2_with_one_line(capsys, tmp_path, args, fragment):
    out = tmp_path / "run"
    code, stdout, err = run(capsys, "simulate", "debt-brake", "--out", out, "--steps", "1", *args)
    assert code == 2
    assert fragment in one_clean_line(err)
    assert not (out / "manifest.json").exists()


def test_simulate_negative_steps_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "simulate", "debt-brake", "--steps", "-1", "--out", tmp_path / "run")
    assert code == 2 and "Traceback" not in err
    assert not (tmp_path / "run").exists()


def test_simulate_unknown_scenario_exits_2_listing_shipped(capsys, tmp_path):
    code, _, err = run(capsys, "simulate", "debt-brakes", "--steps", "1", "--out", tmp_path / "run")
    line = one_clean_line(err)
    assert code == 2 and "debt-brakes" in line
    for name in scenario_names():
        assert name in line


def test_resume_refuses_what_is_not_a_run_folder(capsys, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "resume", empty)
    assert code == 2 and "not a run folder" in one_clean_line(err)
    code, _, err = run(capsys, "resume", tmp_path / "missing")
    assert code == 2 and "not a run folder" in one_clean_line(err)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json")
    code, _, err = run(capsys, "resume", broken)
    assert code == 2 and "manifest" in one_clean_line(err)


# ---------------------------------------------------------------- progress output
def test_quiet_and_piped_print_no_progress_bar(capsys, tmp_path):
    for i, extra in enumerate([["--quiet"], []]):
        code, stdout, err = run(capsys, "simulate", "debt-brake", "--steps", "2", "--out", tmp_path / f"run{i}", *extra)
        assert code == 0 and stdout == ""
        assert "\x1b" not in err and "\r" not in err and "━" not in err
        assert is_summary(err) and err.startswith("wrote ")


def test_progress_bar_on_a_terminal_and_quiet_silences_it(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")  # Rich draws nothing live on a "dumb" terminal
    monkeypatch.delenv("TTY_INTERACTIVE", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    code, _, err = run(capsys, "simulate", "debt-brake", "--steps", "2", "--out", tmp_path / "bar")
    assert code == 0 and "step" in err.split("wrote ")[0]
    code, _, err = run(capsys, "simulate", "debt-brake", "--steps", "2", "--out", tmp_path / "quiet", "--quiet")
    assert code == 0 and err.startswith("wrote ") and is_summary(err)


def test_piped_subprocess_prints_summary_only(tmp_path):
    out = tmp_path / "run"
    done = subprocess.run([sys.executable, "-m", "dependencia", "simulate", "debt-brake", "--steps", "1",
                           "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "\x1b" not in done.stderr and "\r" not in done.stderr
    assert is_summary(done.stderr, out) and done.stderr.startswith(f"wrote {out}")


# ---------------------------------------------------------------- scenario files
MODEL = {
    "dependencia": 1,
    "dimensions": [{"id": "d", "monetized": 1.0}],
    "actors": [{"id": "state", "kind": "state", "budget": 30}, {"id": "plat", "kind": "platform", "budget": 40}]
    + [{"id": f"f{i}", "kind": "firm"} for i in range(4)],
    "infrastructures": [{"id": "road", "owner": "state", "dimensions": ["d"], "build_cost": 10, "upkeep": 1}],
    "dependencies": [{"dependent": f"f{i}", "provider": f"f{(i + 1) % 4}", "dimension": "d"} for i in range(4)]
    + [{"dependent": "f0", "provider": "f2", "dimension": "d", "via": ["road"]}],
    "needs": [{"dependent": "f3", "dimension": "d"}],
}


def scenario_file(tmp_path: Path, simulation: dict | None, name: str = "scenario.yaml") -> Path:
    document = dict(MODEL)
    if simulation is not None:
        document["simulation"] = simulation
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def test_scenario_file_runs(capsys, tmp_path):
    path = scenario_file(tmp_path, {"steps": 3, "seed": 5, "investors": [
        {"actor": "plat", "strategy": "greedy"}, {"actor": "state", "strategy": "public"}],
        "policies": {"debt_brake": {"enabled": True}}})
    out = tmp_path / "run"
    code, _, err = run(capsys, "simulate", path, "--out", out)
    assert code == 0, err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["steps_done"] == 3 and manifest["seed"] == 5  # the file's steps and seed
    assert manifest["config"]["investors"][0] == {"strategy": "greedy", "actor": "plat", "kind": None}
    for name in FILES:
        assert (out / name).is_file()


def test_scenario_file_without_simulation_section_uses_defaults(capsys, tmp_path):
    path = scenario_file(tmp_path, None)
    out = tmp_path / "run"
    code, _, err = run(capsys, "simulate", path, "--out", out, "--steps", "1")
    assert code == 0, err
    manifest = json.loads((out / "manifest.json").read_text())
    # the defaults, with the steps that ran (the manifest records the configuration actually used)
    assert manifest["config"] == {**SimulationConfig().to_mapping(), "steps": 1}


@pytest.mark.parametrize("simulation, fragment", [
    ({"policies": {"debt_brake": {"borrowing_cap": -1}}}, "simulation.policies.debt_brake.borrowing_cap"),
    ({"policies": {"debt_brake": {"cap": 0}}}, "simulation.policies.debt_brake.cap: unknown parameter"),
    ({"steps": "many"}, "simulation.steps: must be an integer"),
    ("just text", "simulation: must be a mapping"),
    ({"investors": [{"actor": "plat"}]}, "simulation.investors[0].strategy"),
])
def test_invalid_simulation_section_exits_2_naming_the_file(capsys, tmp_path, simulation, fragment):
    path = scenario_file(tmp_path, simulation, name="bad-scenario.yaml")
    code, _, err = run(capsys, "simulate", path, "--out", tmp_path / "run", "--steps", "1")
    line = one_clean_line(err)
    assert code == 2 and "bad-scenario.yaml" in line and fragment in line
    assert not (tmp_path / "run").exists()


def test_simulate_without_out_writes_a_default_folder(tmp_path, monkeypatch, capsys):
    from dependencia.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["simulate", "platform", "--steps", "1", "--quiet"]) == 0
    assert main(["simulate", "platform", "--steps", "1", "--quiet"]) == 0  # a second run does not overwrite
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["platform-seed1", "platform-seed1-2"]
    assert (tmp_path / "runs" / "platform-seed1" / "steps.parquet").exists()


def test_scenarios_without_a_subcommand_lists_them(capsys):
    from dependencia.cli import main
    from dependencia.simulation.scenario import scenario_names

    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in scenario_names())


def test_negative_seed_is_refused_before_anything_is_written(tmp_path, capsys):
    from dependencia.cli import main

    assert main(["simulate", "platform", "--steps", "1", "--seed", "-1", "--out", str(tmp_path / "x")]) == 2
    assert "seed: must be >= 0" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_public_option_without_a_state_is_refused():
    network, config = load_scenario("platform")
    with pytest.raises(UsageError, match="public_option needs a public actor"):
        dp.Simulation(network, config.with_overrides(["policies.public_option.enabled=true"]))


def test_out_through_a_symlink_is_refused(tmp_path, capsys):
    from dependencia.cli import main

    (tmp_path / "target").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "target")
    assert main(["simulate", "platform", "--steps", "1", "--out", str(tmp_path / "link")]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert not any((tmp_path / "target").iterdir())


def test_unknown_strategy_names_its_place():
    network, config = load_scenario("platform")
    with pytest.raises(UsageError, match=r"investors\[0\]\.strategy: unknown strategy 'nosuch'"):
        dp.Simulation(network, config.with_overrides(["investors=[{actor: platco, strategy: nosuch}]"]))


def test_resume_of_a_complete_run_reads_it_back(tmp_path, capsys):
    from dependencia.cli import main

    out = tmp_path / "run"
    assert main(["simulate", "platform", "--steps", "2", "--out", str(out), "--quiet"]) == 0
    before = {name: (out / name).read_bytes() for name in ("steps.parquet", "actors.parquet", "events.parquet")}
    stamp = (out / "steps.parquet").stat().st_mtime_ns
    capsys.readouterr()
    assert main(["resume", str(out), "--quiet"]) == 0
    assert "already complete" in capsys.readouterr().err
    assert (out / "steps.parquet").stat().st_mtime_ns == stamp
    run = dp.resume(out)
    assert run.already_complete and len(run.steps) == 2
    assert {name: (out / name).read_bytes() for name in before} == before


def test_rents_errors_name_the_option(capsys):
    from dependencia.cli import main

    assert main(["rents", "ai-stack", "--pricing", "foo"]) == 2
    assert capsys.readouterr().err.startswith("error: --pricing must be one of")


def test_simulate_and_resume_give_the_same_tables_for_any_number_of_workers(tmp_path):
    # the measure phase's power runs on the workers given; the run's tables must not depend on them
    from dependencia.cli import main

    tables = ("steps.parquet", "actors.parquet", "events.parquet")
    for workers in ("1", "2"):
        assert main(["simulate", "ai-stack", "--steps", "3", "--out", str(tmp_path / workers), "--quiet",
                     "--workers", workers]) == 0
    assert all((tmp_path / "1" / t).read_bytes() == (tmp_path / "2" / t).read_bytes() for t in tables)
    assert main(["resume", str(tmp_path / "2"), "--quiet", "--workers", "2"]) == 0
    assert main(["simulate", "ai-stack", "--steps", "1", "--out", str(tmp_path / "x"), "--quiet",
                 "--workers", "2", "--scheduler", "dask"]) == 2
