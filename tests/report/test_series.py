"""Series shared by the report and the figures, against hand-worked examples and the Gini of measures.concentration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dependencia.errors import UsageError
from dependencia.measures.concentration import gini
from dependencia.simulation.series import by_dimension, last_step, lorenz_points, top_actor_series


def area(x: np.ndarray, y: np.ndarray) -> float:
    """Area under the piecewise-linear curve (trapezoids)."""
    return float(np.sum((y[1:] + y[:-1]) / 2 * np.diff(x)))


def test_lorenz_of_1_1_2_by_hand():
    # sorted 1, 1, 2 (total 4): the first third holds 1/4, the first two thirds 2/4, all of it 4/4
    x, y = lorenz_points([2, 1, 1])
    assert x.tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert y.tolist() == pytest.approx([0, 0.25, 0.5, 1])
    # area = (1/3)(0 + .25)/2 + (1/3)(.25 + .5)/2 + (1/3)(.5 + 1)/2 = 2.5/6 = 5/12; G = 1 - 10/12 = 1/6
    assert area(x, y) == pytest.approx(5 / 12)
    assert 1 - 2 * area(x, y) == pytest.approx(1 / 6) == gini([1, 1, 2])


def test_lorenz_of_one_holder_of_four():
    # 0, 0, 0, 1: nothing until the last quarter; area = (1/4)(0 + 1)/2 = 1/8, G = 3/4 = (n - 1)/n
    x, y = lorenz_points([0, 0, 0, 1])
    assert y.tolist() == [0, 0, 0, 0, 1]
    assert 1 - 2 * area(x, y) == pytest.approx(0.75) == gini([0, 0, 0, 1])


def test_lorenz_of_equal_values_and_of_one_value_is_the_diagonal():
    for values in ([3, 3, 3], [5.0]):
        x, y = lorenz_points(values)
        assert len(x) == len(values) + 1
        assert y == pytest.approx(x)


def test_lorenz_of_all_zeros_is_the_line_of_equality():
    x, y = lorenz_points([0, 0, 0, 0])
    assert x.tolist() == [0, 0.25, 0.5, 0.75, 1] and y.tolist() == x.tolist()


@pytest.mark.parametrize("values", [[], [1, -1], [1, float("nan")], [float("inf"), 1]])
def test_lorenz_rejects_bad_values(values):
    with pytest.raises(ValueError):
        lorenz_points(values)


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=60))
def test_gini_is_one_minus_twice_the_area_under_the_lorenz_curve(values):
    # formula oracle: G = 1 - 2A (Lorenz curve), against G = 2 sum i x_(i) / (n sum x) - (n + 1)/n
    x, y = lorenz_points(values)
    assert x[0] == y[0] == 0 and x[-1] == y[-1] == 1
    assert np.all(np.diff(y) >= -1e-12)
    assert 1 - 2 * area(x, y) == pytest.approx(gini(values), abs=1e-9)


def actors_table() -> pd.DataFrame:
    # steps 0-2 of three actors; 'c' is created at step 1; at step 2: b 0.5, a 0.25, c 0.25 (a before c by id)
    rows = [
        (0, "a", 0.6), (0, "b", 0.4),
        (1, "a", 0.5), (1, "b", 0.3), (1, "c", 0.2),
        (2, "c", 0.25), (2, "b", 0.5), (2, "a", 0.25),
    ]
    frame = pd.DataFrame(rows, columns=["step", "actor", "power_share"])
    frame["dimension"] = "*"
    frame["power"] = frame["power_share"] / 10
    energy = frame.assign(dimension="energy", power_share=1 - frame["power_share"],
                          power=(1 - frame["power_share"]) / 10)
    return pd.concat([frame, energy], ignore_index=True)


def test_top_actor_series_ranks_at_the_last_step_ties_by_id():
    series = top_actor_series(actors_table(), 2)
    assert series.columns.tolist() == ["b", "a"]
    assert series.index.tolist() == [0, 1, 2]
    assert series["b"].tolist() == [0.4, 0.3, 0.5]
    assert series["a"].tolist() == [0.6, 0.5, 0.25]


def test_top_actor_series_late_actor_has_nan_before_it_exists():
    series = top_actor_series(actors_table(), 10)
    assert series.columns.tolist() == ["b", "a", "c"]
    assert np.isnan(series.loc[0, "c"]) and series.loc[1, "c"] == 0.2


def test_top_actor_series_other_column_and_dimension():
    series = top_actor_series(actors_table(), 1, column="power_share", dimension="energy")
    # energy shares at step 2: a 0.75, c 0.75, b 0.5 -> a (tie with c, by id)
    assert series.columns.tolist() == ["a"] and series["a"].tolist() == pytest.approx([0.4, 0.5, 0.75])
    assert top_actor_series(actors_table(), 1, column="power")["b"].tolist() == pytest.approx([0.04, 0.03, 0.05])


def test_ties_within_rounding_noise_are_broken_by_id():
    frame = pd.DataFrame({"step": 0, "actor": ["b", "a"], "dimension": "*",
                          "power_share": [0.1 + 0.2, 0.3], "power": [0.3, 0.1 + 0.2]})
    assert top_actor_series(frame, 2).columns.tolist() == ["a", "b"]
    assert last_step(frame)["actor"].tolist() == ["a", "b"]


def test_series_errors_are_clear():
    with pytest.raises(UsageError, match="dimensions present: \\*, energy"):
        top_actor_series(actors_table(), 3, dimension="care")
    with pytest.raises(UsageError, match="n must be >= 1"):
        top_actor_series(actors_table(), 0)
    with pytest.raises(UsageError, match="lacks the column"):
        top_actor_series(actors_table(), 3, column="nope")
    with pytest.raises(UsageError, match="no per-dimension rows"):
        by_dimension(actors_table()[lambda f: f["dimension"] == "*"])


def test_last_step_sorted_by_power_then_id():
    rows = last_step(actors_table())
    assert rows["actor"].tolist() == ["b", "a", "c"]
    assert set(rows["step"]) == {2} and set(rows["dimension"]) == {"*"}
    assert rows.index.tolist() == [0, 1, 2]
    assert last_step(actors_table(), "energy")["actor"].tolist() == ["a", "c", "b"]


def test_by_dimension_rows_ranked_by_aggregate_share():
    table = actors_table()
    care = table[table["dimension"] == "energy"].assign(dimension="care", power_share=0.1)
    wide = by_dimension(pd.concat([table, care], ignore_index=True), n=2)
    assert wide.index.tolist() == ["b", "a"]
    assert wide.columns.tolist() == ["care", "energy"]  # sorted, the aggregate '*' left out
    assert wide.loc["b"].tolist() == pytest.approx([0.1, 0.5])
    assert wide.loc["a"].tolist() == pytest.approx([0.1, 0.75])
