"""Experiments (docs/experiments.md, ``dependencia experiment``): spec checks, tables, restart, pairing, effects.

The runs use ``aa_scenario.yaml`` beside this file: six actors and an
investor that picks its moves at random, so that two steps cost a fraction
of a second and the outcomes vary with the seed.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import dependencia as dp
from dependencia.batch.experiment import experiment, is_experiment_folder
from dependencia.batch.experiment_spec import read_experiment_spec
from dependencia.cli import main
from dependencia.errors import InputError

SCENARIO = str(Path(__file__).with_name("aa_scenario.yaml"))
# A planted effect: a build cost far above the investor's budget (50) stops every build, so the treatment
# arm ends with no private infrastructure while the control arm builds one or two: the effect is negative.
PLANTED = {"scenario": SCENARIO, "steps": 2, "seeds": 4, "control": {},
           "treatment": {"infrastructure.build_cost": 1000.0}, "metrics": ["private_infrastructures", "total_paid", "sum:total_paid"]}
TOP_FILES = ("runs.parquet", "outcomes.parquet", "differences.parquet", "effects.parquet", "summary.md",
             "effects.svg")


def write_spec(folder: Path, spec: dict, name: str = "spec.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(spec))
    return path


def folder_bytes(out: Path) -> dict[str, bytes]:
    found = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.glob("runs/*/*.parquet"))}
    found.update({p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()})
    return found


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    out = tmp_path_factory.mktemp("experiment") / "planted"
    return out, experiment(PLANTED, out=out, workers=1)


def test_planted_effect_is_found_with_its_sign(planted):
    _, result = planted
    effect = result.effects.loc["private_infrastructures"]
    assert effect["treatment_mean"] == 0.0 and effect["control_mean"] >= 1.0
    assert effect["mean"] < 0 and effect["high"] < 0  # the interval excludes 0, on the right side
    assert effect["share_negative"] == 1.0 and effect["n"] == 4 and effect["effect_size"] < 0
    assert is_experiment_folder(result.folder) and dp.experiment is experiment


def test_tables_agree_with_the_runs(planted):
    out, result = planted
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(runs.columns) == ["run_id", "design", "point", "arm", "seed", "infrastructure.build_cost", "status",
                                  "error"]
    assert runs["arm"].tolist() == ["control"] * 4 + ["treatment"] * 4
    assert runs["seed"].tolist() == [1, 2, 3, 4] * 2  # paired: the same seeds in both arms
    assert runs["infrastructure.build_cost"].tolist() == [5.0] * 4 + [1000.0] * 4  # the scenario's, then the arm's
    assert (runs["status"] == "complete").all() and runs["error"].isna().all()
    assert runs["run_id"].str.match(r"^[ct]-[0-9a-f]{8}-s\d$").all()
    outcomes = pd.read_parquet(out / "outcomes.parquet").set_index("run_id")
    for run_id in runs["run_id"]:  # the metric at the last step of each run
        last = pd.read_parquet(out / "runs" / run_id / "steps.parquet").iloc[-1]
        assert outcomes.loc[run_id, "total_paid"] == last["total_paid"] and last["step"] == 1
        steps = pd.read_parquet(out / "runs" / run_id / "steps.parquet")  # sum: a flow over every step
        assert outcomes.loc[run_id, "sum:total_paid"] == steps["total_paid"].sum() != last["total_paid"]
    differences = pd.read_parquet(out / "differences.parquet")
    assert list(differences.columns) == ["metric", "pair", "control_seed", "treatment_seed", "control", "treatment",
                                         "difference"]
    effects = pd.read_parquet(out / "effects.parquet").set_index("metric")
    for metric in PLANTED["metrics"]:
        rows = differences[differences["metric"] == metric]
        control = outcomes[outcomes["arm"] == "control"][metric].to_numpy()
        treatment = outcomes[outcomes["arm"] == "treatment"][metric].to_numpy()
        assert rows["difference"].tolist() == (treatment - control).tolist()
        d = treatment - control
        assert effects.loc[metric, "mean"] == pytest.approx(d.mean())
        assert effects.loc[metric, "median"] == pytest.approx(np.median(d))
        assert effects.loc[metric, "effect_size"] == pytest.approx(d.mean() / d.std(ddof=1))
        assert effects.loc[metric, "share_negative"] == pytest.approx((d < 0).mean())
        assert d.min() <= effects.loc[metric, "low"] <= effects.loc[metric, "high"] <= d.max()
    summary = (out / "summary.md").read_text()
    assert "| private_infrastructures | 4 |" in summary and "infrastructure.build_cost=1000" in summary
    assert (out / "effects.svg").read_bytes().startswith(b"<?xml")


def test_restart_after_a_kill_gives_the_same_bytes_with_any_workers(planted, tmp_path):
    out = tmp_path / "copy"
    shutil.copytree(planted[0], out)
    before = folder_bytes(out)
    runs = sorted(out.glob("runs/*"))
    unfinished = runs[0]  # killed mid-run: the manifest says running, no tables yet
    (unfinished / "steps.parquet").unlink()
    manifest = json.loads((unfinished / "manifest.json").read_text())
    (unfinished / "manifest.json").write_text(json.dumps({**manifest, "status": "running", "checksums": {}}))
    shutil.rmtree(runs[1])  # killed before its folder was written
    for name in ("effects.parquet", "summary.md", "effects.svg"):
        (out / name).unlink()
    untouched = {p: p.stat().st_mtime_ns for run in runs[2:] for p in run.iterdir() if p.is_file()}
    result = experiment(PLANTED, out=out, workers=2)
    assert result.skipped == 6
    assert {p: p.stat().st_mtime_ns for p in untouched} == untouched  # finished runs were not run again
    assert folder_bytes(out) == before


def test_unpaired_arms_get_their_own_seeds():
    spec = read_experiment_spec({**PLANTED, "paired": False, "seeds": [3, 5, 9]})
    assert spec.seeds == (3, 5, 9) and spec.treatment_seeds == (10, 12, 16)  # shifted past the control's
    assert read_experiment_spec({**PLANTED, "seeds": {"count": 3, "start": 4}}).seeds == (4, 5, 6)
    assert len(read_experiment_spec({k: v for k, v in PLANTED.items() if k != "seeds"}).seeds) == 30
    # an A/A check: the same settings in both arms is refused paired, accepted unpaired
    same = {**PLANTED, "treatment": {}}
    with pytest.raises(InputError, match="treatment: equals the control"):
        read_experiment_spec(same)
    assert read_experiment_spec({**same, "paired": False}).paired is False
    # setting a parameter to the value the scenario already has is no treatment either
    with pytest.raises(InputError, match="treatment: equals the control"):
        read_experiment_spec({**PLANTED, "treatment": {"infrastructure.build_cost": 5.0}})


def test_an_arm_may_set_a_list_parameter(tmp_path):
    """The bypass as arms: ``policies.debt_brake.exempt`` is a list; each run's manifest holds the arm's list."""
    spec = {**PLANTED, "seeds": 2, "control": {"policies.debt_brake.exempt": []},
            "treatment": {"policies.debt_brake.exempt": ["subsidies", "rescue"]}}
    checked = read_experiment_spec(spec)
    assert checked.treatment == {"policies.debt_brake.exempt": ["subsidies", "rescue"]}
    result = experiment(spec, out=tmp_path / "out", workers=1)
    runs = result.runs
    assert sorted(runs["policies.debt_brake.exempt"].unique()) == ['["subsidies", "rescue"]', "[]"]
    for run_id, row in runs.iterrows():
        manifest = json.loads((tmp_path / "out" / "runs" / str(run_id) / "manifest.json").read_text())
        expected = [] if row["arm"] == "control" else ["subsidies", "rescue"]
        assert manifest["config"]["policies"]["debt_brake"]["exempt"] == expected
    summary = (tmp_path / "out" / "summary.md").read_text()
    assert "`policies.debt_brake.exempt=[subsidies, rescue]`" in summary


BAD = [
    ({"scenario": "no-such-scenario"}, "scenario"),
    ({"metrics": ["hhi", "no_such_metric"]}, "metrics"),
    ({"treatment": {"policies.no_such.enabled": True}}, "treatment.policies.no_such.enabled"),
    ({"control": {"infrastructure.no_such": 1}}, "control.infrastructure.no_such"),
    ({"fixed": {"nosuch": 1}}, "fixed.nosuch"),
    ({"sensitivity": {"ranges": {"spillover.probability": [0.8, 0.2]}}}, "sensitivity.ranges.spillover.probability"),
    ({"sensitivity": {"ranges": {"no.such": [0, 1]}}}, "sensitivity.ranges.no.such"),
    ({"seeds": 1}, "seeds"),
    ({"seeds": [7]}, "seeds"),
    ({"paired": False, "seeds": [9223372036854775000, 9223372036854775800]}, "seeds"),
    ({"treatment": {}}, "treatment"),
    ({"treatment": {"infrastructure.build_cost": -1.0}}, "treatment"),
    ({"paired": "yes"}, "paired"),
    ({"treatment": {"public.rescue": [True]}}, "treatment.public.rescue"),  # a list where one value belongs
    ({"treatment": {"policies.debt_brake.exempt": [["rescue"]]}}, "treatment.policies.debt_brake.exempt"),
    ({"treatment": {"policies.debt_brake.exempt": ["bribes"]}}, "treatment"),  # not a spending purpose
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("change", "key"), BAD, ids=[key for _, key in BAD])
def test_bad_specs_exit_2_naming_the_file_and_key(tmp_path, capsys, change, key):
    path = write_spec(tmp_path, {**PLANTED, **change})
    out = tmp_path / "out"
    assert main(["experiment", str(path), "--out", str(out), "--quiet"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}, {key}:")
    assert not out.exists()  # nothing run, nothing written


def test_the_documented_spec_keys_mean_what_the_contract_says():
    """ARCHITECTURE's spec: ``samples`` is Morris' trajectories or Sobol's base samples; ``seeds_per_point``."""
    ranges = {"spillover.probability": [0.0, 1.0]}
    morris = read_experiment_spec({**PLANTED, "sensitivity": {"method": "morris", "samples": 3, "seeds_per_point": 2,
                                                              "ranges": ranges}}).sensitivity
    assert morris is not None and (morris.trajectories, morris.seeds) == (3, (1, 2))
    sobol = read_experiment_spec({**PLANTED, "sensitivity": {"method": "sobol", "samples": 8, "seeds_per_point": 1,
                                                             "ranges": ranges}}).sensitivity
    assert sobol is not None and (sobol.samples, sobol.seeds) == (8, (1,))


def test_sensitivity_tables(tmp_path):
    # one step, two ranges (a continuous one and a switch), two Morris trajectories, one seed per point
    spec = {**PLANTED, "steps": 1, "seeds": 2, "metrics": ["total_paid"],
            "sensitivity": {"method": "morris", "samples": 2, "seeds_per_point": 1,
                            "ranges": {"spillover.probability": [0.0, 1.0], "adoption.exit": [False, True]}}}
    out = tmp_path / "sens"
    result = experiment(spec, out=out, workers=1)
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 2 * 2 + 2 * 3 * 1 * 2  # main arms, then 2 trajectories of 3 points, 1 seed, 2 arms
    morris = runs[runs["design"] == "morris"]
    assert morris["run_id"].str.match(r"^m000[0-5]-[ct]-[0-9a-f]{8}-s1$").all()
    assert set(morris["adoption.exit"]) <= {True, False} and morris["spillover.probability"].between(0, 1).all()
    points = pd.read_parquet(out / "sensitivity_points.parquet")
    outcomes = pd.read_parquet(out / "outcomes.parquet")
    for row in points.itertuples():  # the effect at a point: treatment minus control on the same seed
        at = outcomes[(outcomes["design"] == "morris") & (outcomes["point"] == row.point)].set_index("arm")
        assert row.effect == pytest.approx(at.loc["treatment", "total_paid"] - at.loc["control", "total_paid"])
    from SALib.analyze import morris as salib_morris
    from SALib.sample import morris as salib_design

    # SALib's own design for these ranges (the switch sampled on [0, 1]) and its analysis of the points' effects
    problem = {"num_vars": 2, "names": ["spillover.probability", "adoption.exit"], "bounds": [[0.0, 1.0]] * 2}
    design = salib_design.sample(problem, 2, num_levels=4, seed=0)
    assert points["spillover.probability"].tolist() == pytest.approx(design[:, 0].tolist())
    assert points["adoption.exit"].tolist() == [bool(u >= 0.5) for u in design[:, 1]]
    expected = salib_morris.analyze(problem, design, points["effect"].to_numpy(), num_levels=4, seed=0)
    indices = pd.read_parquet(out / "sensitivity.parquet")
    assert list(indices.columns) == ["metric", "method", "parameter", "mu", "mu_star", "mu_star_conf", "sigma", "s1",
                                     "s1_conf", "st", "st_conf"]
    assert indices["parameter"].tolist() == ["spillover.probability", "adoption.exit"]
    assert indices["mu_star"].tolist() == pytest.approx(list(expected["mu_star"]))
    assert indices["sigma"].tolist() == pytest.approx(list(expected["sigma"]))
    regions = pd.read_parquet(out / "sign_regions.parquet")
    assert set(regions["region"][regions["parameter"] == "adoption.exit"]) == {"false", "true"}
    assert result.sensitivity is not None and (out / "sensitivity.svg").exists()
    assert "### Morris" in (out / "summary.md").read_text()
    # the same folder, the spec without its sensitivity: no table of the earlier spec is left to mislead
    experiment({key: value for key, value in spec.items() if key != "sensitivity"}, out=out, workers=1)
    left = [name for name in ("sensitivity.parquet", "sign_regions.parquet", "sensitivity_points.parquet",
                              "sensitivity.svg") if (out / name).exists()]
    assert left == [] and "### Morris" not in (out / "summary.md").read_text()


def test_command_prints_the_effects_of_the_function(planted, capsys):
    out, result = planted
    path = write_spec(out.parent, PLANTED, "planted.yaml")
    assert main(["experiment", str(path), "--out", str(out), "--quiet", "--format", "json"]) == 0
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert "8 runs, 8 complete (8 already complete before), 0 failed" in captured.err
    # the rows are dp.experiment's effects, every column, the same numbers
    expected = result.effects.reset_index()
    assert [row["metric"] for row in document["effects"]] == expected["metric"].tolist()
    for row, (_, want) in zip(document["effects"], expected.iterrows()):
        assert list(row) == list(expected.columns)
        assert all(row[k] == (want[k].item() if hasattr(want[k], "item") else want[k]) for k in row)
    assert document["sensitivity"] == []
    # CSV: the same columns as the JSON rows, in the same order
    assert main(["experiment", str(path), "--out", str(out), "--quiet", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.split(",") == list(document["effects"][0])


@pytest.mark.slow
def test_unpaired_aa_intervals_cover_zero(tmp_path):
    """40 unpaired A/A experiments (the same settings in both arms, 10 seeds each, none shared) run end to end.

    Each repetition is a real ``experiment`` call with its own block of
    seeds (control 20k+1..20k+10, treatment 20k+11..20k+20); its 95%
    bootstrap interval of a metric should cover 0 in about 95% of them,
    at least 34 of 40.
    """
    covered = {"total_paid": 0, "hhi": 0}
    for k in range(40):
        spec = {"scenario": SCENARIO, "steps": 2, "seeds": {"count": 10, "start": 20 * k + 1}, "paired": False,
                "control": {}, "treatment": {}, "metrics": list(covered)}
        effects = experiment(spec, out=tmp_path / f"aa{k}", workers=2).effects
        for metric in covered:
            covered[metric] += bool(effects.loc[metric, "low"] <= 0 <= effects.loc[metric, "high"])
    assert min(covered.values()) >= 34, covered


def test_report_shows_an_experiment_page(planted, tmp_path, capsys):
    out, result = planted
    page = tmp_path / "page.html"
    assert main(["report", str(out), "-o", str(page), "--title", "<script>alert(1)</script>", "--quiet"]) == 0
    html = page.read_text()
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # escaped, no script at all
    assert "<h2>Effects (treatment minus control)</h2>" in html
    mean = result.effects.loc["private_infrastructures", "mean"]
    assert f"<td>{mean:.4g}</td>" in html  # the table's number, formatted as in summary.md
    assert 'src="data:image/svg+xml;base64,' in html
    assert re.findall(r'(?:src|href)="(?!data:)', html) == []  # self-contained: nothing to fetch
