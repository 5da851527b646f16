"""Experiments (docs/experiments.md, ``dependencia experiment``): a treatment against a control, over seeds.

An experiment spec names a scenario, a control and a treatment (each a set
of ``--set`` values), the metrics (``steps.parquet`` columns, read at the
last step, ``sum:COLUMN``, summed over the steps, or ``power_share:A+B``,
:mod:`.metrics`), the seeds, and optionally parameter ranges for a global
sensitivity analysis of the effect. The runs go through the sweep's
machinery (:func:`.sweep.run_all`: local processes or Dask, restart after a
kill), and the folder receives:

``runs/<run_id>/``
    one run folder per run (docs/simulation.md). A run's id is
    ``{c|t}-{hash}-s{seed}`` for the main comparison and
    ``{m|s}{point:04d}-{c|t}-{hash}-s{seed}`` for a Morris or Sobol point,
    the hash (8 hex digits of SHA-256) taken over the scenario, steps,
    fixed values and the run's own settings: the same on every restart,
    new when the spec changes.
``runs.parquet``
    ``run_id``, ``design`` (``main``, ``morris``, ``sobol``), ``point``
    (the design's point, 0 for main), ``arm`` (``control``, ``treatment``),
    ``seed``, one column per parameter the arms or ranges set (its value in
    that run; a list, ``policies.debt_brake.exempt``, as its ``--set`` text
    ``["subsidies", "rescue"]``), ``status``, ``error``.
``outcomes.parquet``
    ``run_id``, ``design``, ``point``, ``arm``, ``seed`` and one column per
    metric: its value at the last step (NaN for a failed run).
``differences.parquet``
    the main comparison per metric and pair: ``metric``, ``pair``,
    ``control_seed``, ``treatment_seed``, ``control``, ``treatment``,
    ``difference`` (treatment minus control; pairs of different seeds when
    unpaired, listed only for reading).
``effects.parquet``
    per metric: ``metric`` and :data:`.effects.EFFECT_COLUMNS`.
``sensitivity.parquet``, ``sign_regions.parquet``, ``sensitivity_points.parquet``
    with ``sensitivity:`` only (see :mod:`.sensitivity`): the indices per
    metric, method and parameter; the effect per region of each range; the
    effect at each design point.
``summary.md``, ``effects.svg``, ``sensitivity.svg``
    the summary and figures, made from the tables.

A restart skips complete runs and writes the same bytes. Results do not
depend on the number of workers.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..simulation.run_folder import MANIFEST
from . import sensitivity as sa
from .effects import EFFECT_COLUMNS, arm_effect, point_effect
from .experiment_spec import ExperimentSpec, read_experiment_spec
from .metrics import run_metrics
from .runs import Progress, RunSettings, run_all, write_parquet
from .spec_values import assignment, yaml_text

__all__ = ["ExperimentResult", "experiment", "is_experiment_folder"]

_ARMS = ("control", "treatment")


@dataclass(frozen=True)
class _Run:
    run_id: str
    design: str
    point: int
    arm: str
    seed: int
    settings: dict[str, Any]


@dataclass(frozen=True)
class ExperimentResult:
    """An experiment's tables (as in its folder); ``effects`` is indexed by metric.

    ``sensitivity`` and ``sign_regions`` are None without a sensitivity
    analysis; ``skipped`` counts the runs complete before this call.
    """

    folder: Path
    runs: pd.DataFrame
    effects: pd.DataFrame
    differences: pd.DataFrame
    sensitivity: pd.DataFrame | None
    sign_regions: pd.DataFrame | None
    skipped: int

    def _repr_html_(self) -> str:
        return str(self.effects.to_html())


def is_experiment_folder(path: str | Path) -> bool:
    """Whether ``path`` holds an experiment's tables (``effects.parquet``)."""
    return (Path(path) / "effects.parquet").is_file()


def experiment(spec: str | Path | Mapping[str, Any], *, out: str | Path, workers: int | None = None,
               scheduler: str | None = None, progress: Progress | None = None) -> ExperimentResult:
    """Run an experiment spec's control and treatment arms (and its sensitivity design); write the folder ``out``.

    Parameters
    ----------
    spec : path or mapping
        An experiment spec (docs/experiments.md).
    out : path
        The experiment folder (see the module documentation).
    workers : int, optional
        Worker processes (default: all cores); 1 runs in this process.
        Results do not depend on it.
    scheduler : str, optional
        ``"dask"`` for a local Dask cluster of ``workers`` processes, or the
        address of a running Dask scheduler (the workers must see ``out``).
    progress : callable, optional
        Called with (runs finished, runs failed, runs in all) as runs finish.

    Returns
    -------
    ExperimentResult

    Examples
    --------
    >>> import tempfile
    >>> spec = {"scenario": "platform", "steps": 2, "seeds": 2, "metrics": ["hhi"],
    ...         "control": {"infrastructure.build_cost": 5.0}, "treatment": {"infrastructure.build_cost": 50.0}}
    >>> result = experiment(spec, out=tempfile.mkdtemp(), workers=1)
    >>> int(result.effects.loc["hhi", "n"]), result.effects.loc["hhi", "effect_size_kind"]
    (2, 'cohen_dz')
    """
    checked = read_experiment_spec(spec)
    folder = Path(out)
    if folder.is_symlink():
        raise UsageError(f"{folder} is a symbolic link: give the folder itself (never written through a link)")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder")
    if (folder / MANIFEST).exists():
        raise UsageError(f"{folder} is a run folder; give an experiment its own folder")
    designs = _designs(checked)
    plan = _plan(checked, designs)
    settings = RunSettings(checked.scenario, checked.steps, tuple(assignment(k, v) for k, v in checked.fixed.items()))
    items = [(run.run_id, run.seed, [assignment(k, v) for k, v in run.settings.items()]) for run in plan]
    status, skipped = run_all(folder, settings, items, workers=workers, scheduler=scheduler, progress=progress)
    runs = _runs_table(checked, plan, status)
    outcomes = _outcomes_table(checked, plan, status, folder)
    differences = _differences_table(checked, outcomes)
    effects = _effects_table(checked, outcomes)
    tables = {"runs": runs, "outcomes": outcomes, "differences": differences, "effects": effects}
    if checked.sensitivity is not None:
        points, indices, regions = _sensitivity_tables(checked, designs, outcomes, effects)
        tables.update(sensitivity=indices, sign_regions=regions, sensitivity_points=points)
    for name, table in tables.items():
        write_parquet(folder / f"{name}.parquet", table)
    from .experiment_figure import effects_figure, sensitivity_figure
    from .experiment_summary import summary_markdown

    effects_figure(effects, folder / "effects.svg")
    if checked.sensitivity is not None:
        sensitivity_figure(tables["sensitivity"], folder / "sensitivity.svg")
    else:  # a rerun of a changed spec in the same folder: no sensitivity tables of an earlier spec stay
        for name in ("sensitivity.parquet", "sign_regions.parquet", "sensitivity_points.parquet", "sensitivity.svg"):
            (folder / name).unlink(missing_ok=True)
    from ..base.atomic import write_text_atomic

    write_text_atomic(folder / "summary.md", summary_markdown(checked, tables))
    return ExperimentResult(
        folder=folder, runs=runs.set_index("run_id"), effects=effects.set_index("metric"), differences=differences,
        sensitivity=tables.get("sensitivity"), sign_regions=tables.get("sign_regions"), skipped=skipped)


# ---------------------------------------------------------------- the plan of runs


def _designs(spec: ExperimentSpec) -> dict[str, np.ndarray]:
    """SALib's design per sensitivity method (none without ``sensitivity:``)."""
    sens = spec.sensitivity
    if sens is None:
        return {}
    return {method: sa.sample_design(sens.ranges, method, trajectories=sens.trajectories, levels=sens.levels,
                                     samples=sens.samples, seed=sens.seed) for method in sens.methods}


def _run_id(spec: ExperimentSpec, prefix: str, settings: dict[str, Any], seed: int) -> str:
    identity = json.dumps([spec.scenario, spec.steps, sorted(spec.fixed.items()), sorted(settings.items())],
                          default=str)
    return f"{prefix}-{hashlib.sha256(identity.encode()).hexdigest()[:8]}-s{seed}"


def _arm_runs(spec: ExperimentSpec, design: str, point: int, values: dict[str, Any],
              seeds: tuple[int, ...]) -> list[_Run]:
    runs = []
    for arm in _ARMS:
        settings = {**(spec.control if arm == "control" else spec.treatment), **values}
        prefix = arm[0] if design == "main" else f"{design[0]}{point:04d}-{arm[0]}"
        arm_seeds = seeds if arm == "control" else spec.shifted(seeds)
        runs += [_Run(_run_id(spec, prefix, settings, seed), design, point, arm, seed, settings)
                 for seed in arm_seeds]
    return runs


def _plan(spec: ExperimentSpec, designs: dict[str, np.ndarray]) -> list[_Run]:
    plan = _arm_runs(spec, "main", 0, {}, spec.seeds)
    if spec.sensitivity is not None:
        for method, design in designs.items():
            for point, values in enumerate(sa.decode(spec.sensitivity.ranges, design)):
                plan += _arm_runs(spec, method, point, values, spec.sensitivity.seeds)
    return plan


# ---------------------------------------------------------------- tables


def _runs_table(spec: ExperimentSpec, plan: list[_Run], status: dict[str, tuple[str, str | None]]) -> pd.DataFrame:
    rows = []
    for run in plan:
        values = {key: _cell(run.settings.get(key, spec.base[key])) for key in spec.parameters}
        state, error = status[run.run_id]
        rows.append({"run_id": run.run_id, "design": run.design, "point": run.point, "arm": run.arm,
                     "seed": run.seed, **values, "status": state, "error": error})
    frame = pd.DataFrame(rows, columns=["run_id", "design", "point", "arm", "seed", *spec.parameters, "status",
                                        "error"])
    frame["error"] = frame["error"].astype(object)
    return frame.astype({"point": "int64", "seed": "int64"})


def _cell(value: Any) -> Any:
    """A parameter's value in the runs table: a list (``policies.debt_brake.exempt``) as its ``--set`` text."""
    return yaml_text(value) if isinstance(value, (list, tuple)) else value


def _outcomes_table(spec: ExperimentSpec, plan: list[_Run], status: dict[str, tuple[str, str | None]],
                    folder: Path) -> pd.DataFrame:
    rows = []
    for run in plan:
        values = dict.fromkeys(spec.metrics, math.nan)
        if status[run.run_id][0] == "complete":
            values = run_metrics(folder / "runs" / run.run_id, spec.metrics)
        rows.append({"run_id": run.run_id, "design": run.design, "point": run.point, "arm": run.arm,
                     "seed": run.seed, **values})
    frame = pd.DataFrame(rows, columns=["run_id", "design", "point", "arm", "seed", *spec.metrics])
    return frame.astype({"point": "int64", "seed": "int64", **dict.fromkeys(spec.metrics, "float64")})


def _arms(outcomes: pd.DataFrame, design: str, point: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The control and treatment rows of one design point, each in seed order of the plan."""
    rows = outcomes[(outcomes["design"] == design) & (outcomes["point"] == point)]
    return rows[rows["arm"] == "control"], rows[rows["arm"] == "treatment"]


def _differences_table(spec: ExperimentSpec, outcomes: pd.DataFrame) -> pd.DataFrame:
    control, treatment = _arms(outcomes, "main", 0)
    frames = []
    for metric in spec.metrics:
        c, t = control[metric].to_numpy(), treatment[metric].to_numpy()
        frames.append(pd.DataFrame({
            "metric": metric, "pair": np.arange(len(c), dtype="int64"),
            "control_seed": control["seed"].to_numpy(), "treatment_seed": treatment["seed"].to_numpy(),
            "control": c, "treatment": t, "difference": t - c}))
    return pd.concat(frames, ignore_index=True)


def _effects_table(spec: ExperimentSpec, outcomes: pd.DataFrame) -> pd.DataFrame:
    control, treatment = _arms(outcomes, "main", 0)
    rows = []
    for metric in spec.metrics:
        effect = arm_effect(control[metric].to_numpy(), treatment[metric].to_numpy(), paired=spec.paired,
                            resamples=spec.resamples, seed=spec.bootstrap_seed)
        rows.append({"metric": metric, **effect.row()})
    frame = pd.DataFrame(rows, columns=["metric", *EFFECT_COLUMNS])
    return frame.astype({"n": "int64", "n_control": "int64", "n_treatment": "int64", "paired": "bool"})


def _sensitivity_tables(spec: ExperimentSpec, designs: dict[str, np.ndarray], outcomes: pd.DataFrame,
                        effects: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    sens = spec.sensitivity
    assert sens is not None
    keys = [r.key for r in sens.ranges]
    main = dict(zip(effects["metric"], effects["mean"]))
    point_rows, index_frames, region_frames = [], [], []
    for method, design in designs.items():
        points = sa.decode(sens.ranges, design)
        rows = outcomes[outcomes["design"] == method]
        by_point = {point: group for point, group in rows.groupby("point", sort=True)}
        for metric in spec.metrics:
            y = []
            for point, values in enumerate(points):
                group = by_point[point]
                control, treatment = group[group["arm"] == "control"], group[group["arm"] == "treatment"]
                value = point_effect(control[metric].to_numpy(), treatment[metric].to_numpy(), paired=spec.paired)
                y.append(value)
                point_rows.append({"method": method, "point": point, **values, "metric": metric, "effect": value})
            indices = sa.analyze(sens.ranges, method, design, y, levels=sens.levels, seed=sens.seed)
            index_frames.append(indices.assign(metric=metric, method=method))
            regions = sa.sign_regions(sens.ranges, points, y, main_effect=main[metric], bins=sens.bins)
            region_frames.append(regions.assign(metric=metric, method=method, main_effect=main[metric]))
    points_frame = pd.DataFrame(point_rows, columns=["method", "point", *keys, "metric", "effect"])
    indices_frame = pd.concat(index_frames, ignore_index=True)
    indices_frame = indices_frame[["metric", "method", "parameter", *sa.INDEX_COLUMNS]]
    regions_frame = pd.concat(region_frames, ignore_index=True)
    regions_frame = regions_frame[["metric", "method", "parameter", "region", "low", "high", "n_points",
                                   "mean_effect", "sign", "main_effect", "share_opposite", "flips"]]
    return points_frame.astype({"point": "int64", "effect": "float64"}), indices_frame, regions_frame
