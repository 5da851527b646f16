"""Global sensitivity (batch/sensitivity.py): functions with known indices through the experiment's code path.

The experiment calls ``sample_design``, ``decode``, ``analyze`` and
``sign_regions`` (batch/experiment.py); these tests call the same four with
test functions whose indices are known in closed form.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from SALib.test_functions import Ishigami

from dependencia.batch.sensitivity import Range, analyze, decode, sample_design, sign_regions

KEYS = ("x1", "x2", "x3")


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[list[float], list[float]]:
    """First- and total-order indices of Ishigami's function, in closed form (Saltelli et al. 2008, Global Sensitivity Analysis: The Primer)."""
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = 8 * b**2 * math.pi**8 / 225
    total = v1 + v2 + v13
    return [v1 / total, v2 / total, 0.0], [(v1 + v13) / total, v2 / total, v13 / total]


def test_closed_form_is_the_one_quoted():
    first, total = ishigami_indices()
    assert np.round(first, 4).tolist() == [0.3139, 0.4424, 0.0]
    assert np.round(total, 4).tolist() == [0.5576, 0.4424, 0.2437]


def test_sobol_indices_of_ishigami():
    ranges = tuple(Range(key, -math.pi, math.pi) for key in KEYS)
    design = sample_design(ranges, "sobol", samples=2048, seed=0)
    assert design.shape == (2048 * (3 + 2), 3)  # Saltelli's scheme without second-order indices
    points = decode(ranges, design)
    outputs = Ishigami.evaluate(np.array([[point[key] for key in KEYS] for point in points]))
    table = analyze(ranges, "sobol", design, outputs, seed=0)
    first, total = ishigami_indices()
    # SALib's own regression test of Sobol on Ishigami uses atol 0.05 and rtol 0.1
    np.testing.assert_allclose(table["s1"], first, atol=5e-2, rtol=1e-1)
    np.testing.assert_allclose(table["st"], total, atol=5e-2, rtol=1e-1)
    # and each estimate lies within its own 95% confidence half-width of the true value
    assert (np.abs(table["s1"] - first) <= table["s1_conf"]).all()
    assert (np.abs(table["st"] - total) <= table["st_conf"]).all()
    assert table[["mu", "mu_star", "sigma"]].isna().all().all()


def test_morris_of_a_linear_function_with_a_switch():
    # y = 3 a + 5 [s] with a in [0, 2], s a switch, b in [0, 1] unused. SALib's elementary effect is the
    # change of y over a step of 2/3 of the unit coordinate (4 levels), divided by 2/3: for a that is
    # 3 * (2/3 * 2) / (2/3) = 6 on every step; the switch turns over on every step of its coordinate
    # (levels 0, 1/3 -> off, 2/3, 1 -> on), so its effect is 5 / (2/3) = 7.5; b's is 0; no spread anywhere.
    ranges = (Range("a", 0.0, 2.0), Range("s", levels=(False, True)), Range("b", 0.0, 1.0))
    design = sample_design(ranges, "morris", trajectories=8, levels=4, seed=3)
    assert design.shape == (8 * 4, 3)
    points = decode(ranges, design)
    assert {type(point["s"]) for point in points} == {bool}
    outputs = [3.0 * point["a"] + 5.0 * point["s"] for point in points]
    table = analyze(ranges, "morris", design, outputs, levels=4, seed=0).set_index("parameter")
    assert table["mu_star"].tolist() == pytest.approx([6.0, 7.5, 0.0])
    assert table["mu"].tolist() == pytest.approx([6.0, 7.5, 0.0])
    assert table["sigma"].tolist() == pytest.approx([0.0, 0.0, 0.0], abs=1e-12)
    assert table[["s1", "st"]].isna().all().all()


def test_levels_cover_equal_shares_of_the_coordinate():
    choice = Range("strategy", levels=("a", "b", "c"))
    assert [choice.value(u) for u in (0.0, 0.33, 0.34, 0.66, 0.67, 0.999, 1.0)] == ["a", "a", "b", "b", "c", "c", "c"]
    assert choice.bounds == [0.0, 1.0] and Range("x", 2.0, 5.0).bounds == [2.0, 5.0]


def test_sign_regions_by_hand():
    ranges = [Range("x", 0.0, 1.0), Range("on", levels=(False, True))]
    points = [{"x": 0.1, "on": False}, {"x": 0.4, "on": True}, {"x": 0.6, "on": False}, {"x": 1.0, "on": True}]
    outputs = [1.0, 3.0, -2.0, float("nan")]  # the last point's runs failed
    table = sign_regions(ranges, points, outputs, main_effect=0.5, bins=2)
    rows = {(r.parameter, r.region): r for r in table.itertuples()}
    assert list(rows) == [("x", "[0, 0.5)"), ("x", "[0.5, 1]"), ("on", "false"), ("on", "true")]
    low, high = rows["x", "[0, 0.5)"], rows["x", "[0.5, 1]"]
    assert (low.n_points, low.mean_effect, low.sign, low.flips) == (2, 2.0, 1, False)
    assert (high.n_points, high.mean_effect, high.sign, high.flips, high.share_opposite) == (1, -2.0, -1, True, 1.0)
    off = rows["on", "false"]  # effects 1 and -2: mean -0.5, opposite to the main effect's sign
    assert (off.n_points, off.mean_effect, off.flips, off.share_opposite) == (2, -0.5, True, 0.5)
    # with no main effect there is nothing to flip
    assert not sign_regions(ranges, points, outputs, main_effect=0.0, bins=2)["flips"].any()
