"""Global sensitivity of an experiment's effect: Morris screening and Sobol indices through SALib.

The parameters of a sensitivity analysis are declared as :class:`Range`
objects: a continuous ``[low, high]`` range, or a list of *levels* (a
switch such as ``[false, true]``, named choices, whole numbers). SALib
samples the unit hypercube for levels and the range itself for continuous
parameters; a level parameter's coordinate ``u`` in ``[0, 1]`` takes level
``floor(u k)`` of its ``k`` levels (the last one at ``u = 1``), so each
level covers an equal share of the coordinate. With Morris' default of 4
grid levels, a switch is off at 0 and 1/3 and on at 2/3 and 1, and every
elementary effect of a switch turns it over.

The estimators, their confidence intervals and the designs are SALib's,
used as they are (Herman and Usher 2017, doi:10.21105/joss.00097):

* **Morris** (``SALib.sample.morris`` / ``SALib.analyze.morris``):
  ``trajectories`` trajectories of ``d + 1`` points on a grid of ``levels``
  levels; ``mu_star`` is the mean absolute elementary effect (the change
  of the output per full range of the parameter: a slope times ``high -
  low``), ``sigma`` their standard deviation (interactions and
  non-linearity), ``mu`` their signed mean.
* **Sobol** (``SALib.sample.sobol``, Saltelli's scheme, and
  ``SALib.analyze.sobol``, without second-order indices): ``samples``
  base samples (a power of two), ``samples (d + 2)`` points; ``s1`` is the
  share of the output's variance explained by the parameter alone, ``st``
  the share in which it takes part, interactions included.

:func:`sign_regions` cuts each parameter's range into equal bins (one per
level for level parameters) and reports the mean effect in each, flagged
where its sign is opposite to the experiment's main effect.

Examples
--------
>>> ranges = (Range("a", 0.0, 2.0), Range("b", 0.0, 1.0))
>>> design = sample_design(ranges, "morris", trajectories=4, seed=0)
>>> values = [3.0 * point["a"] for point in decode(ranges, design)]  # b does nothing
>>> table = analyze(ranges, "morris", design, values, seed=0)
>>> table[["parameter", "mu_star", "sigma"]].values.tolist()  # 3 per unit of a, times its range of 2
[['a', 6.0, 0.0], ['b', 0.0, 0.0]]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["INDEX_COLUMNS", "METHODS", "Range", "analyze", "decode", "sample_design", "sign_regions"]

METHODS = ("morris", "sobol")
#: The columns of ``sensitivity.parquet`` after ``metric``, ``method`` and ``parameter``; NaN where a method has none.
INDEX_COLUMNS = ("mu", "mu_star", "mu_star_conf", "sigma", "s1", "s1_conf", "st", "st_conf")
CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 100  # SALib's default, for its confidence intervals


@dataclass(frozen=True)
class Range:
    """A parameter's range: ``[low, high]`` (continuous), or ``levels`` (switch-like, choices, whole numbers).

    Examples
    --------
    >>> Range("policies.rent_tax.enabled", levels=(False, True)).value(0.7)
    True
    >>> Range("public_revenue", 1.0, 6.0).value(0.5)  # continuous: the coordinate is the value
    0.5
    """

    key: str
    low: float = 0.0
    high: float = 1.0
    levels: tuple[Any, ...] | None = None

    @property
    def bounds(self) -> list[float]:
        """What SALib samples: the range, or ``[0, 1]`` for levels."""
        return [0.0, 1.0] if self.levels is not None else [float(self.low), float(self.high)]

    def value(self, coordinate: float) -> Any:
        """The parameter's value at a sampled coordinate."""
        if self.levels is None:
            return float(coordinate)
        k = len(self.levels)
        return self.levels[min(int(math.floor(float(coordinate) * k)), k - 1)]


def _problem(ranges: Sequence[Range]) -> dict[str, Any]:
    return {"num_vars": len(ranges), "names": [r.key for r in ranges], "bounds": [r.bounds for r in ranges]}


def sample_design(ranges: Sequence[Range], method: str, *, trajectories: int = 10, levels: int = 4,
                  samples: int = 16, seed: int = 0) -> np.ndarray:
    """SALib's design for ``method``: one row per point, one column per range, in sampled coordinates.

    Morris: ``trajectories (d + 1)`` rows on a grid of ``levels`` levels.
    Sobol: ``samples (d + 2)`` rows (Saltelli, no second order); ``samples``
    should be a power of two.
    """
    problem = _problem(ranges)
    if method == "morris":
        from SALib.sample import morris

        return np.asarray(morris.sample(problem, trajectories, num_levels=levels, seed=seed), dtype=float)
    if method == "sobol":
        from SALib.sample import sobol

        return np.asarray(sobol.sample(problem, samples, calc_second_order=False, seed=seed), dtype=float)
    raise ValueError(f"unknown sensitivity method {method!r}; one of {', '.join(METHODS)}")


def decode(ranges: Sequence[Range], design: np.ndarray) -> list[dict[str, Any]]:
    """The parameter values of each design row, as ``{key: value}`` (levels taken from their coordinates)."""
    return [{r.key: r.value(row[j]) for j, r in enumerate(ranges)} for row in np.asarray(design, dtype=float)]


def analyze(ranges: Sequence[Range], method: str, design: np.ndarray, outputs: Sequence[float] | np.ndarray, *,
            levels: int = 4, seed: int = 0) -> pd.DataFrame:
    """SALib's indices of ``outputs`` (one per design row): one row per parameter, columns :data:`INDEX_COLUMNS`.

    Morris gives ``mu``, ``mu_star``, ``mu_star_conf`` and ``sigma``; Sobol
    ``s1``, ``s1_conf``, ``st`` and ``st_conf`` (95% bootstrap intervals'
    half-widths, SALib's, seeded with ``seed``); the other columns are NaN.
    """
    problem = _problem(ranges)
    y = np.asarray(outputs, dtype=float)
    columns: dict[str, Any] = {name: np.full(len(ranges), np.nan) for name in INDEX_COLUMNS}
    if method == "morris":
        from SALib.analyze import morris

        result = morris.analyze(problem, np.asarray(design, dtype=float), y, num_resamples=BOOTSTRAP_RESAMPLES,
                                conf_level=CONFIDENCE, num_levels=levels, seed=seed)
        for name in ("mu", "mu_star", "mu_star_conf", "sigma"):
            columns[name] = np.ma.filled(np.ma.asarray(result[name], dtype=float), np.nan)
    elif method == "sobol":
        from SALib.analyze import sobol

        with np.errstate(divide="ignore", invalid="ignore"):  # an output that never varies: NaN indices
            result = sobol.analyze(problem, y, calc_second_order=False, num_resamples=BOOTSTRAP_RESAMPLES,
                                   conf_level=CONFIDENCE, seed=seed)
        columns.update(s1=result["S1"], s1_conf=result["S1_conf"], st=result["ST"], st_conf=result["ST_conf"])
    else:
        raise ValueError(f"unknown sensitivity method {method!r}; one of {', '.join(METHODS)}")
    frame = pd.DataFrame({"parameter": [r.key for r in ranges]})
    for name in INDEX_COLUMNS:
        frame[name] = np.asarray(columns[name], dtype=float)
    return frame


def _sign(value: float) -> int:
    return 0 if not math.isfinite(value) or value == 0 else (1 if value > 0 else -1)


def _label(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "true" if value is True else "false" if value is False else "null"
    return str(value)


def sign_regions(ranges: Sequence[Range], points: Sequence[dict[str, Any]], outputs: Sequence[float] | np.ndarray,
                 *, main_effect: float, bins: int = 4) -> pd.DataFrame:
    """The mean effect per region of each parameter, and where its sign is opposite to the main effect's.

    A continuous range is cut into ``bins`` bins of equal width (the last
    one closed); a level parameter has one region per level. Columns:
    ``parameter``, ``region`` (``[low, high)`` or the level), ``low``,
    ``high`` (NaN for levels), ``n_points``, ``mean_effect``, ``sign``
    (-1, 0, 1), ``share_opposite`` (the share of the region's points whose
    effect has the sign opposite to the main effect's) and ``flips``
    (the region's mean effect has the opposite sign of a non-zero main
    effect). Points whose output is NaN (failed runs) are left out.

    Examples
    --------
    >>> ranges = [Range("x", 0.0, 1.0)]
    >>> points = [{"x": 0.1}, {"x": 0.3}, {"x": 0.6}, {"x": 0.9}]
    >>> table = sign_regions(ranges, points, [2.0, 1.0, -1.0, -3.0], main_effect=0.5, bins=2)
    >>> table[["region", "mean_effect", "flips"]].values.tolist()
    [['[0, 0.5)', 1.5, False], ['[0.5, 1]', -2.0, True]]
    """
    y = np.asarray(outputs, dtype=float)
    main = _sign(main_effect)
    rows = []
    for r in ranges:
        values = [point[r.key] for point in points]
        if r.levels is not None:
            regions = [(_label(level), math.nan, math.nan, np.array([v == level and type(v) is type(level)
                                                                     for v in values]))
                       for level in r.levels]
        else:
            edges = np.linspace(r.low, r.high, bins + 1)
            x = np.asarray(values, dtype=float)
            regions = []
            for i in range(bins):
                last = i == bins - 1
                inside = (x >= edges[i]) & ((x <= edges[i + 1]) if last else (x < edges[i + 1]))
                label = f"[{edges[i]:.4g}, {edges[i + 1]:.4g}{']' if last else ')'}"
                regions.append((label, float(edges[i]), float(edges[i + 1]), inside))
        for label, low, high, inside in regions:
            effects = y[inside & np.isfinite(y)]
            mean = float(effects.mean()) if len(effects) else math.nan
            opposite = float((np.sign(effects) == -main).mean()) if len(effects) and main else 0.0
            rows.append({"parameter": r.key, "region": label, "low": low, "high": high, "n_points": len(effects),
                         "mean_effect": mean, "sign": _sign(mean), "share_opposite": opposite,
                         "flips": bool(main != 0 and _sign(mean) == -main)})
    frame = pd.DataFrame(rows, columns=["parameter", "region", "low", "high", "n_points", "mean_effect", "sign",
                                        "share_opposite", "flips"])
    return frame.astype({"n_points": "int64", "sign": "int64", "flips": "bool"})
