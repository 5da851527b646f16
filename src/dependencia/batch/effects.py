"""The effect of a treatment on one metric: differences, a seeded bootstrap interval, signs and an effect size.

An experiment (docs/experiments.md) runs a control and a treatment arm over
seeds and reads each metric at the last step. This module turns the two
arms' values of one metric into the numbers of ``effects.parquet``:

* **paired** (both arms ran the same seeds): the differences
  ``d_i = treatment_i - control_i``; ``mean`` and ``median`` of d; a 95%
  percentile bootstrap interval of the mean of d (resampling seeds); the
  shares of seeds with d > 0, d < 0 and d = 0; and Cohen's d_z
  (mean of d over its standard deviation, ddof 1).
* **unpaired** (each arm its own seeds): ``mean`` and ``median`` are the
  differences of the arms' means and medians; the bootstrap resamples
  each arm on its own; the sign shares count all (control, treatment)
  combinations (the share with treatment > control is the common-language
  effect size, Mann-Whitney's U over n_c n_t); the effect size is Hedges' g
  (the difference of means over the pooled standard deviation, times
  ``1 - 3 / (4 (n_c + n_t) - 9)``).

A standardized effect size with a standard deviation of 0 is 0 when the
mean difference is 0 and plus or minus infinity otherwise (a difference
that is the same on every seed: often a rule of the model, not a finding).

Examples
--------
>>> effect = paired_effect([1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 5.0, 5.0], resamples=500, seed=0)
>>> effect.mean, effect.median, effect.share_positive, effect.share_zero
(1.0, 1.0, 0.75, 0.25)
>>> round(effect.effect_size, 4)  # d = [1, 0, 2, 1]: mean 1, standard deviation sqrt(2/3)
1.2247
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

__all__ = ["EFFECT_COLUMNS", "Effect", "arm_effect", "paired_effect", "point_effect", "unpaired_effect"]

#: The columns of an effect, in the order of ``effects.parquet`` (after ``metric``).
EFFECT_COLUMNS = ("paired", "n", "n_control", "n_treatment", "control_mean", "treatment_mean", "mean", "median",
                  "low", "high", "share_positive", "share_negative", "share_zero", "effect_size",
                  "effect_size_kind")
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Effect:
    """The effect of the treatment on one metric (treatment minus control); NaN where there are too few runs.

    ``n`` counts the seed pairs (paired) or the runs of both arms together (unpaired).
    """

    paired: bool
    n: int
    n_control: int
    n_treatment: int
    control_mean: float
    treatment_mean: float
    mean: float
    median: float
    low: float
    high: float
    share_positive: float
    share_negative: float
    share_zero: float
    effect_size: float
    effect_size_kind: str

    def row(self) -> dict[str, object]:
        """The effect as a row of ``effects.parquet`` (without the metric)."""
        return asdict(self)


def _finite(values: Sequence[float] | np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[np.isfinite(array)]


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else math.nan


def _standardized(difference: float, spread: float) -> float:
    if not math.isfinite(difference) or not math.isfinite(spread):
        return math.nan
    if spread > 0:
        return difference / spread
    return 0.0 if difference == 0 else math.copysign(math.inf, difference)


def _interval(means: np.ndarray) -> tuple[float, float]:
    tail = (1 - CONFIDENCE) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def paired_effect(control: Sequence[float] | np.ndarray, treatment: Sequence[float] | np.ndarray, *,
                  resamples: int = 2000, seed: int = 0) -> Effect:
    """The effect of paired arms: ``control[i]`` and ``treatment[i]`` ran the same seed.

    Pairs where either value is missing (NaN: a failed run) are left out.
    The interval is the 2.5% and 97.5% quantiles (NumPy's default, linear)
    of the means of ``resamples`` bootstrap samples of the differences,
    drawn with ``numpy.random.default_rng(seed)``; it needs two pairs.

    Examples
    --------
    >>> paired_effect([1.0, 1.0], [3.0, 3.0]).row()["low"]  # every difference is 2
    2.0
    """
    c, t = np.asarray(control, dtype=float), np.asarray(treatment, dtype=float)
    if c.shape != t.shape:
        raise ValueError(f"paired arms need as many values each, got {c.shape} and {t.shape}")
    keep = np.isfinite(c) & np.isfinite(t)
    c, t = c[keep], t[keep]
    differences = t - c
    n = len(differences)
    low = high = math.nan
    if n >= 2:
        rng = np.random.default_rng(seed)
        draws = rng.integers(0, n, size=(resamples, n))
        low, high = _interval(differences[draws].mean(axis=1))
    spread = float(differences.std(ddof=1)) if n >= 2 else math.nan
    mean = _mean(differences)
    return Effect(
        paired=True, n=n, n_control=n, n_treatment=n, control_mean=_mean(c), treatment_mean=_mean(t),
        mean=mean, median=float(np.median(differences)) if n else math.nan, low=low, high=high,
        share_positive=float((differences > 0).mean()) if n else math.nan,
        share_negative=float((differences < 0).mean()) if n else math.nan,
        share_zero=float((differences == 0).mean()) if n else math.nan,
        effect_size=_standardized(mean, spread), effect_size_kind="cohen_dz",
    )


def unpaired_effect(control: Sequence[float] | np.ndarray, treatment: Sequence[float] | np.ndarray, *,
                    resamples: int = 2000, seed: int = 0) -> Effect:
    """The effect of arms that ran different seeds (an A/A check, or where pairing means nothing).

    Missing values (NaN) are left out of each arm. Each bootstrap sample
    draws the control arm, then the treatment arm, with replacement from
    ``numpy.random.default_rng(seed)``; the interval is the 2.5% and 97.5%
    quantiles of the differences of their means. It needs two runs per arm.

    Examples
    --------
    >>> effect = unpaired_effect([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])
    >>> effect.mean, effect.share_positive  # 6 of the 9 combinations have treatment > control
    (1.0, 0.6666666666666666)
    """
    control, treatment = _finite(control), _finite(treatment)
    n_c, n_t = len(control), len(treatment)
    low = high = math.nan
    if n_c >= 2 and n_t >= 2:
        rng = np.random.default_rng(seed)
        control_draws = rng.integers(0, n_c, size=(resamples, n_c))
        treatment_draws = rng.integers(0, n_t, size=(resamples, n_t))
        low, high = _interval(treatment[treatment_draws].mean(axis=1) - control[control_draws].mean(axis=1))
    mean = _mean(treatment) - _mean(control)
    median = float(np.median(treatment) - np.median(control)) if n_c and n_t else math.nan
    if n_c and n_t:
        combinations = treatment[:, None] - control[None, :]
        shares = [float((combinations > 0).mean()), float((combinations < 0).mean()),
                  float((combinations == 0).mean())]
    else:
        shares = [math.nan] * 3
    size = math.nan
    if n_c >= 2 and n_t >= 2:
        pooled = math.sqrt(((n_c - 1) * control.var(ddof=1) + (n_t - 1) * treatment.var(ddof=1)) / (n_c + n_t - 2))
        size = _standardized(mean, pooled) * (1 - 3 / (4 * (n_c + n_t) - 9))
    return Effect(
        paired=False, n=n_c + n_t, n_control=n_c, n_treatment=n_t, control_mean=_mean(control),
        treatment_mean=_mean(treatment), mean=mean, median=median, low=low, high=high,
        share_positive=shares[0], share_negative=shares[1], share_zero=shares[2], effect_size=size,
        effect_size_kind="hedges_g",
    )


def point_effect(control: Sequence[float] | np.ndarray, treatment: Sequence[float] | np.ndarray, *,
                 paired: bool) -> float:
    """The effect at one parameter point: the mean paired difference, or the difference of the arms' means.

    Missing values (NaN) are left out (a pair with one missing, when
    paired); NaN when nothing is left.

    Examples
    --------
    >>> point_effect([1.0, 2.0, float("nan")], [2.0, 4.0, 9.0], paired=True)
    1.5
    >>> point_effect([1.0, 2.0, float("nan")], [2.0, 4.0, 9.0], paired=False)
    3.5
    """
    c, t = np.asarray(control, dtype=float), np.asarray(treatment, dtype=float)
    if paired:
        keep = np.isfinite(c) & np.isfinite(t)
        return _mean(t[keep] - c[keep])
    return _mean(_finite(t)) - _mean(_finite(c))


def arm_effect(control: Sequence[float] | np.ndarray, treatment: Sequence[float] | np.ndarray, *, paired: bool,
               resamples: int = 2000, seed: int = 0) -> Effect:
    """:func:`paired_effect` or :func:`unpaired_effect`, as the experiment pairs its arms (what it calls)."""
    effect = paired_effect if paired else unpaired_effect
    return effect(control, treatment, resamples=resamples, seed=seed)
