"""Effects of a treatment (batch/effects.py) against hand-worked numbers, NumPy and SciPy computed here."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from dependencia.batch.effects import arm_effect, paired_effect, point_effect, unpaired_effect


def test_paired_effect_by_hand():
    # d = treatment - control = [1, 0, 2, 1]: mean 1, median 1, 3 of 4 positive, 1 zero;
    # standard deviation (ddof 1) sqrt(((0)^2 + 1 + 1 + 0) / 3) = sqrt(2/3), so Cohen's d_z = 1 / sqrt(2/3)
    effect = paired_effect([1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 5.0, 5.0])
    assert (effect.mean, effect.median) == (1.0, 1.0)
    assert (effect.share_positive, effect.share_negative, effect.share_zero) == (0.75, 0.0, 0.25)
    assert effect.effect_size == pytest.approx(1 / math.sqrt(2 / 3))
    assert effect.effect_size_kind == "cohen_dz"
    assert (effect.n, effect.control_mean, effect.treatment_mean) == (4, 2.5, 3.5)
    # the bootstrap means of the differences lie between their smallest and largest value
    assert 0.0 <= effect.low <= 1.0 <= effect.high <= 2.0


def test_paired_interval_matches_scipy_percentile_bootstrap():
    rng = np.random.default_rng(7)
    control = rng.normal(10.0, 2.0, 200)
    treatment = control + rng.normal(0.5, 1.0, 200)
    effect = paired_effect(control, treatment, resamples=20_000, seed=1)
    reference = stats.bootstrap((treatment - control,), np.mean, n_resamples=20_000, method="percentile",
                                confidence_level=0.95, rng=np.random.default_rng(3)).confidence_interval
    # two independent Monte Carlo estimates of the same quantiles: they agree to a few hundredths of the width
    width = reference.high - reference.low
    assert effect.low == pytest.approx(reference.low, abs=0.03 * width)
    assert effect.high == pytest.approx(reference.high, abs=0.03 * width)
    # and to the normal theory interval mean +- 1.96 s / sqrt(n) (n = 200), within a tenth of its width
    d = treatment - control
    half = 1.959964 * d.std(ddof=1) / math.sqrt(len(d))
    assert effect.low == pytest.approx(d.mean() - half, abs=0.1 * half)
    assert effect.high == pytest.approx(d.mean() + half, abs=0.1 * half)


def test_unpaired_effect_matches_formulas_and_scipy():
    rng = np.random.default_rng(11)
    control, treatment = rng.normal(0.0, 1.0, 40), rng.normal(0.8, 1.5, 60)
    effect = unpaired_effect(control, treatment, resamples=20_000, seed=2)
    assert effect.mean == pytest.approx(treatment.mean() - control.mean())
    assert effect.median == pytest.approx(np.median(treatment) - np.median(control))
    # Hedges' g: the pooled standard deviation, then the small-sample factor J = 1 - 3 / (4 (n1 + n2) - 9)
    pooled = math.sqrt((39 * control.var(ddof=1) + 59 * treatment.var(ddof=1)) / 98)
    assert effect.effect_size == pytest.approx((treatment.mean() - control.mean()) / pooled * (1 - 3 / (4 * 100 - 9)))
    assert effect.effect_size_kind == "hedges_g"
    # the share of (control, treatment) combinations with treatment > control is Mann-Whitney's U / (n1 n2)
    u = stats.mannwhitneyu(treatment, control).statistic
    assert effect.share_positive == pytest.approx(u / (40 * 60))
    assert effect.share_positive + effect.share_negative + effect.share_zero == pytest.approx(1.0)
    reference = stats.bootstrap((treatment, control), lambda t, c, axis: t.mean(axis) - c.mean(axis),
                                n_resamples=20_000, method="percentile", paired=False, vectorized=True,
                                rng=np.random.default_rng(5)).confidence_interval
    width = reference.high - reference.low
    assert effect.low == pytest.approx(reference.low, abs=0.03 * width)
    assert effect.high == pytest.approx(reference.high, abs=0.03 * width)
    assert (effect.n, effect.n_control, effect.n_treatment) == (100, 40, 60)


def test_degenerate_and_missing_values():
    same = paired_effect([1.0, 2.0, 3.0], [3.0, 4.0, 5.0])  # every difference is 2: a rule, not a distribution
    assert (same.low, same.high, same.effect_size) == (2.0, 2.0, math.inf)
    none = paired_effect([1.0, 2.0], [1.0, 2.0])
    assert (none.mean, none.low, none.high, none.effect_size, none.share_zero) == (0.0, 0.0, 0.0, 0.0, 1.0)
    # a failed run (NaN) drops its pair
    missing = paired_effect([1.0, math.nan, 3.0], [2.0, 5.0, 4.0])
    assert (missing.n, missing.mean) == (2, 1.0)
    one = paired_effect([1.0], [2.0])
    assert one.n == 1 and math.isnan(one.low) and math.isnan(one.effect_size)
    assert math.isnan(paired_effect([], []).mean)
    with pytest.raises(ValueError):
        paired_effect([1.0, 2.0], [1.0])


def test_bootstrap_is_seeded_and_leaves_global_random_state_alone():
    rng = np.random.default_rng(0)
    control, treatment = rng.normal(size=30), rng.normal(size=30)
    state = np.random.get_state()[1].copy()
    first = arm_effect(control, treatment, paired=False, seed=4)
    assert first == arm_effect(control, treatment, paired=False, seed=4)
    assert first.low != arm_effect(control, treatment, paired=False, seed=5).low
    assert (np.random.get_state()[1] == state).all()
    assert arm_effect(control, treatment, paired=True, seed=4) == paired_effect(control, treatment, seed=4)


def test_point_effect():
    assert point_effect([1.0, 2.0], [4.0, 3.0], paired=True) == 2.0
    assert point_effect([1.0, math.nan], [4.0, 3.0], paired=False) == 2.5  # mean(4, 3) - mean(1)
    assert math.isnan(point_effect([math.nan], [1.0], paired=True))
