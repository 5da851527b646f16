"""Parameter sweeps and seed ensembles (docs/cli.md, ``dependencia sweep``): many runs of one scenario, one folder.

A sweep spec (YAML, or the same as a mapping) names a scenario, the steps,
the seeds, the parameters to vary (by their ``--set`` names) and those held
fixed, and the outcomes to summarize::

    scenario: debt-brake          # a shipped name, or a scenario file (relative to the spec file)
    steps: 50
    seeds: [1, 2, 3, 4, 5]        # or {count: 20, start: 1}
    design: grid                  # or {lhs: 16}: a Latin hypercube of 16 points, seeded with the first seed
    vary:                         # grid: a list of values per key; lhs: a [low, high] range per key
      policies.debt_brake.enabled: [true, false]
    fixed:
      policies.rent_tax.rate: 0.1
    outcomes: [top5_share, hhi]   # steps.parquet columns, summarized at the last step (default: these two)

The grid is the product of the value lists, the first key varying slowest.
Every parameter point runs once per seed. A run's id is
``p{index:03d}-{hash}-s{seed}``: the point's index, the first 6 hex digits of
a SHA-256 over the scenario, steps, fixed values and the point's values, and
the seed. It is the same on every restart of the same spec, and a changed
spec gives new ids instead of reusing runs made under other settings.

The sweep folder holds ``runs/<run_id>/`` (a run folder, docs/simulation.md#results-the-run-folder),
``runs.parquet`` (``run_id``, ``seed``, one column per varied parameter named
by its dotted key, ``status`` ``complete`` or ``failed``, ``error``) and
``summary.parquet`` (per point and outcome: ``point`` as ``k=v;k2=v2``, the
varied parameters, ``outcome``, ``mean``, ``std`` (ddof 1), ``ci_low``,
``ci_high`` (a 95% Student t interval over the runs' last-step values; NaN
below two runs), ``n`` (complete runs)). A restart skips complete runs,
resumes (or restarts) unfinished ones and retries failed ones. Runs are
independent, so the tables do not depend on the number of workers.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DependenciaError, UsageError, shown
from ..simulation.results import SCHEMAS
from ..simulation.run_folder import MANIFEST
from .runs import Progress, RunSettings, run_all, write_parquet
from .spec_values import (
    MAX_RUNS,
    assignment,
    check_scalar,
    is_int,
    parameters_of,
    read_spec_document,
    scenario_config,
    scenario_of,
    seeds_of,
    steps_of,
    yaml_text,
)

__all__ = ["SweepSpec", "is_sweep_folder", "read_spec", "refuse_sweep_folder", "sweep"]

_KEYS = ("scenario", "steps", "seeds", "design", "vary", "fixed", "outcomes")
_DEFAULT_OUTCOMES = ("top5_share", "hhi")


@dataclass(frozen=True)
class SweepSpec:
    """A checked sweep spec. ``points`` lists the parameter points, each a dict of dotted key -> value."""

    source: str
    scenario: str
    steps: int
    seeds: tuple[int, ...]
    design: str
    vary: dict[str, Any]
    fixed: dict[str, Any]
    outcomes: tuple[str, ...]
    points: tuple[dict[str, Any], ...]

    def run_id(self, index: int, seed: int) -> str:
        """``p{index:03d}-{hash}-s{seed}``, stable across restarts of the same spec."""
        identity = json.dumps([self.scenario, self.steps, sorted(self.fixed.items()),
                               sorted(self.points[index].items())], default=str)
        return f"p{index:03d}-{hashlib.sha256(identity.encode()).hexdigest()[:6]}-s{seed}"


def read_spec(spec: str | Path | Mapping[str, Any]) -> SweepSpec:
    """Read and check a sweep spec (a YAML file or a mapping); errors name the spec and the key."""
    read = read_spec_document(spec, kind="sweep spec", keys=_KEYS, required=("scenario", "steps", "seeds"))
    document, source, fail = read.document, read.source, read.fail
    scenario = scenario_of(document["scenario"], read.base, fail)
    steps = steps_of(document["steps"], fail)
    seeds = seeds_of(document["seeds"], fail)
    design, size = _design(document.get("design", "grid"), fail)
    config = scenario_config(scenario, fail)
    known = config.to_mapping()
    fixed = parameters_of(document.get("fixed") or {}, "fixed", known, fail)
    vary = parameters_of(document.get("vary") or {}, "vary", known, fail)
    both = sorted(set(fixed) & set(vary))
    if both:
        raise fail(f"fixed.{both[0]}", "is also in vary; a parameter is either varied or fixed")
    for key, value in fixed.items():
        check_scalar(value, f"fixed.{key}", fail)
    try:
        config.with_overrides([assignment(k, v) for k, v in fixed.items()])
    except DependenciaError as problem:
        raise fail("fixed", str(problem)) from None
    if size is None:  # the grid
        points = _grid(vary, fail, len(seeds))
    else:
        if size * len(seeds) > MAX_RUNS:
            raise fail("design.lhs", f"{size:,} points times {len(seeds):,} seeds is more than {MAX_RUNS:,} runs, "
                                     "the most one sweep may have")
        points = _lhs(vary, size, seeds[0], fail)
    outcomes = _outcomes(document.get("outcomes", list(_DEFAULT_OUTCOMES)), fail)
    return SweepSpec(source=source, scenario=scenario, steps=steps, seeds=seeds, design=design, vary=vary,
                     fixed=fixed, outcomes=outcomes, points=tuple(points))


def _design(value: Any, fail) -> tuple[str, int | None]:
    if value == "grid":
        return "grid", None
    if isinstance(value, dict) and set(value) == {"lhs"}:
        size = value["lhs"]
        if not is_int(size) or size < 1:
            raise fail("design.lhs", f"must be an integer >= 1 (the number of points), got {shown(size)}")
        return "lhs", size
    raise fail("design", f"must be grid or {{lhs: N}}, got {shown(value)}")


def _grid(vary: dict[str, Any], fail, n_seeds: int) -> list[dict[str, Any]]:
    for key, values in vary.items():
        where = f"vary.{key}"
        if not isinstance(values, list) or not values:
            raise fail(where, "must be a non-empty list of values (design: grid)")
        for value in values:
            check_scalar(value, where, fail)
        kinds = {"number" if is_int(v) or isinstance(v, float) else type(v).__name__ for v in values if v is not None}
        if len(kinds) > 1:
            raise fail(where, f"mixes kinds of values ({', '.join(sorted(kinds))}); give one kind per parameter")
        if len(set(map(yaml_text, values))) != len(values):
            raise fail(where, "lists a value twice")
    size = math.prod(len(values) for values in vary.values())
    if size * n_seeds > MAX_RUNS:  # counted before the grid is built: a product can be astronomically large
        raise fail("vary", f"the grid has {size:,} points; times {n_seeds:,} seeds that is more than "
                           f"{MAX_RUNS:,} runs, the most one sweep may have")
    return [dict(zip(vary, combo)) for combo in itertools.product(*vary.values())]


def _lhs(vary: dict[str, Any], size: int, seed: int, fail) -> list[dict[str, Any]]:
    """A Latin hypercube: each range cut into ``size`` strata, one uniform draw per stratum, columns shuffled."""
    if not vary:
        raise fail("vary", "design lhs needs at least one [low, high] range")
    bounds = []
    for key, value in vary.items():
        ok = (isinstance(value, list) and len(value) == 2
              and all((is_int(v) or isinstance(v, float)) and math.isfinite(v) for v in value))
        if not ok or not value[0] < value[1]:
            raise fail(f"vary.{key}", f"must be a range [low, high] of finite numbers with low < high (design lhs), "
                                      f"got {shown(value)}")
        bounds.append((float(value[0]), float(value[1])))
    rng = np.random.default_rng(seed)
    columns = []
    for low, high in bounds:
        strata = (rng.permutation(size) + rng.random(size)) / size
        columns.append(low + strata * (high - low))
    return [{key: float(columns[j][i]) for j, key in enumerate(vary)} for i in range(size)]


def _outcomes(value: Any, fail) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise fail("outcomes", "must be a non-empty list of steps.parquet columns")
    numeric = [f.name for f in SCHEMAS["steps"] if f.name != "step"]
    for name in value:
        if name not in numeric:
            raise fail("outcomes", f"{name!r} is not a steps.parquet column ({', '.join(numeric)})")
    if len(set(value)) != len(value):
        raise fail("outcomes", "lists an outcome twice")
    return tuple(value)


def point_label(point: dict[str, Any]) -> str:
    """``k=v;k2=v2`` (``(base)`` when nothing varies)."""
    return ";".join(f"{k}={yaml_text(v)}" for k, v in point.items()) or "(base)"


def sweep(spec: str | Path | Mapping[str, Any], *, out: str | Path, workers: int | None = None,
          scheduler: str | None = None, progress: Progress | None = None) -> pd.DataFrame:
    """Run every parameter point of a sweep spec with every seed; write the sweep folder ``out``.

    Parameters
    ----------
    spec : path or mapping
        A sweep spec (see the module documentation).
    out : path
        The sweep folder: ``runs/<run_id>/``, ``runs.parquet``, ``summary.parquet``.
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
    pandas.DataFrame
        The runs table (as ``runs.parquet``), indexed by ``run_id``.

    Examples
    --------
    >>> import tempfile
    >>> spec = {"scenario": "platform", "steps": 2, "seeds": [1, 2],
    ...         "vary": {"infrastructure.build_cost": [5.0, 10.0]}, "outcomes": ["hhi"]}
    >>> runs = sweep(spec, out=tempfile.mkdtemp(), workers=1)
    >>> runs[["seed", "infrastructure.build_cost", "status"]].values.tolist()
    [[1, 5.0, 'complete'], [2, 5.0, 'complete'], [1, 10.0, 'complete'], [2, 10.0, 'complete']]
    """
    checked = read_spec(spec)
    out = Path(out)
    if out.is_symlink():
        raise UsageError(f"{out} is a symbolic link: give the folder itself (a sweep is never written through a link)")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder")
    plan = [(checked.run_id(i, seed), i, seed) for i in range(len(checked.points)) for seed in checked.seeds]
    fixed = tuple(assignment(k, v) for k, v in checked.fixed.items())
    runs_to_do = [(run_id, seed, [assignment(k, v) for k, v in checked.points[i].items()]) for run_id, i, seed in plan]
    outcome, skipped = run_all(out, RunSettings(checked.scenario, checked.steps, fixed), runs_to_do,
                               workers=workers, scheduler=scheduler, progress=progress)
    runs = _runs_table(checked, plan, outcome)
    write_parquet(out / "runs.parquet", runs)
    write_parquet(out / "summary.parquet", _summary_table(checked, plan, outcome, out))
    runs = runs.set_index("run_id")
    runs.attrs.update(skipped=skipped, out=str(out))
    return runs


def _runs_table(spec: SweepSpec, plan, outcome) -> pd.DataFrame:
    rows = []
    for run_id, index, seed in plan:
        status, error = outcome[run_id]
        rows.append({"run_id": run_id, "seed": seed, **spec.points[index], "status": status, "error": error})
    columns = ["run_id", "seed", *spec.vary, "status", "error"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["error"] = frame["error"].astype(object)
    return frame


def _summary_table(spec: SweepSpec, plan, outcome, out: Path) -> pd.DataFrame:
    from scipy import stats

    last: dict[str, pd.Series] = {}
    for run_id, _, _ in plan:
        if outcome[run_id][0] == "complete":
            steps = pd.read_parquet(out / "runs" / run_id / "steps.parquet", columns=["step", *spec.outcomes])
            last[run_id] = steps.sort_values("step").iloc[-1] if len(steps) else pd.Series(dtype=float)
    rows = []
    for index, point in enumerate(spec.points):
        ids = [run_id for run_id, i, _ in plan if i == index and run_id in last]
        for name in spec.outcomes:
            values = np.array([float(last[run_id].get(name, np.nan)) for run_id in ids], dtype=float)
            n = len(values)
            mean = float(values.mean()) if n else math.nan
            std = float(values.std(ddof=1)) if n > 1 else math.nan
            half = float(stats.t.ppf(0.975, n - 1)) * std / math.sqrt(n) if n > 1 else math.nan
            rows.append({"point": point_label(point), **point, "outcome": name, "mean": mean, "std": std,
                         "ci_low": mean - half, "ci_high": mean + half, "n": n})
    columns = ["point", *spec.vary, "outcome", "mean", "std", "ci_low", "ci_high", "n"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["n"] = frame["n"].astype("int64")
    return frame


# ---------------------------------------------------------------- a sweep folder where a run is expected


def is_sweep_folder(path: str | Path) -> bool:
    """Whether ``path`` is a sweep folder (``runs/``, ``runs.parquet`` or ``summary.parquet``, no manifest)."""
    path = Path(path)
    return (path.is_dir() and not (path / MANIFEST).exists()
            and any((path / name).exists() for name in ("runs.parquet", "summary.parquet", "runs")))


def refuse_sweep_folder(path: str | Path) -> None:
    """Raise :class:`UsageError` when ``path`` is a sweep folder where one run (or a network) is expected.

    The message says what to pass instead: one of its run folders (the first
    one held, or ``runs/<run_id>``), or ``dependencia query`` over all of them.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "runs").mkdir()
    >>> refuse_sweep_folder(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dependencia.errors.UsageError: ... is a sweep folder, not a run folder: pass one of its run folders, ...
    """
    path = Path(path)
    if not is_sweep_folder(path):
        return
    runs = path / "runs"
    held = sorted(p.name for p in runs.iterdir() if (p / MANIFEST).exists()) if runs.is_dir() else []
    example = runs / (held[0] if held else "<run_id>")
    raise UsageError(f"{path} is a sweep folder, not a run folder: pass one of its run folders, e.g. {example}, "
                     f'or query all its runs with dependencia query {path} "SELECT ..."')
