"""Series drawn from a run's tables, shared by the HTML report and the static figures.

Pure functions of the ``actors`` table of a run (docs/simulation.md#results-the-run-folder: one row
per step, actor and dimension, ``*`` for the aggregate, with ``power``,
``power_share``, ``income``, ...) and of plain arrays. Actors are ranked by a
value compared after rounding to 12 significant digits (so that
floating-point noise does not reorder ties), ties broken by id, as the
command line ranks its tables.

Examples
--------
>>> import pandas as pd
>>> actors = pd.DataFrame({
...     "step": [0, 0, 1, 1], "actor": ["a", "b", "a", "b"], "dimension": "*",
...     "power": [0.2, 0.1, 0.1, 0.3], "power_share": [2 / 3, 1 / 3, 0.25, 0.75]})
>>> top_actor_series(actors, 1).columns.tolist()
['b']
>>> last_step(actors)["actor"].tolist()
['b', 'a']
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..base.output import rounded
from ..errors import UsageError

__all__ = ["by_dimension", "last_step", "lorenz_points", "top_actor_series"]

AGGREGATE = "*"


def top_actor_series(actors: pd.DataFrame, n: int = 10, *, column: str = "power_share",
                     dimension: str = AGGREGATE) -> pd.DataFrame:
    """One value of each of the top-``n`` actors at every step, as a wide frame.

    Parameters
    ----------
    actors : pandas.DataFrame
        A run's actors table (``step``, ``actor``, ``dimension`` and ``column``).
    n : int, default 10
        How many actors: those with the highest ``column`` at the last step
        (ties by id).
    column : str, default "power_share"
        The value to follow.
    dimension : str, default "*"
        The dimension's rows to use; ``*`` is the aggregate of all dimensions.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``step`` (every step of that dimension, ascending), one
        column per actor in rank order; NaN where an actor has no row at a
        step (an actor created during the run).

    Raises
    ------
    UsageError
        When ``n < 1``, ``column`` is missing, or there are no rows for
        ``dimension``.

    Examples
    --------
    Three actors over two steps; at the last step ``c`` leads and ``a`` and
    ``b`` tie, so ``a`` comes first by id:

    >>> import pandas as pd
    >>> actors = pd.DataFrame({
    ...     "step": [0, 0, 0, 1, 1, 1], "actor": ["a", "b", "c"] * 2, "dimension": "*",
    ...     "power_share": [0.5, 0.3, 0.2, 0.25, 0.25, 0.5]})
    >>> series = top_actor_series(actors, 2)
    >>> series.columns.tolist(), series.index.tolist()
    (['c', 'a'], [0, 1])
    >>> series.to_numpy().tolist()
    [[0.2, 0.5], [0.5, 0.25]]
    """
    if n < 1:
        raise UsageError(f"n must be >= 1, got {n}")
    rows = _rows(actors, dimension, ("step", "actor", column))
    last = rows[rows["step"] == rows["step"].max()]
    chosen = last["actor"].to_numpy(dtype=object)[order_by_value(last[column], last["actor"])][:n]
    wide = rows.pivot(index="step", columns="actor", values=column).sort_index()
    result = wide.reindex(columns=pd.Index(chosen, name="actor", dtype=object))
    result.index.name = "step"
    return result


def lorenz_points(values: Iterable[float]) -> tuple[np.ndarray, np.ndarray]:
    """The Lorenz curve of non-negative values.

    Parameters
    ----------
    values : iterable of float
        Non-negative, finite; at least one.

    Returns
    -------
    x, y : numpy.ndarray
        ``n + 1`` points: ``x[i] = i / n`` is the share of the population
        holding the ``i`` smallest values, ``y[i]`` their share of the total
        (``x[0] = y[0] = 0``, ``x[n] = y[n] = 1``). When every value is zero
        there is nothing to share unequally, and the curve is the line of
        equality ``y = x``.

    Raises
    ------
    ValueError
        For no values, a negative value, NaN or infinity.

    Notes
    -----
    With values sorted ascending, :math:`y_i = \\sum_{j \\le i} x_{(j)} / \\sum_j x_j`.
    The Gini coefficient is one minus twice the area under the curve (the
    trapezoids between consecutive points), :math:`G = 1 - 2A` (Lorenz 1905,
    DOI 10.2307/2276207; Gini 1912).

    Examples
    --------
    Values 1, 1, 2: the poorer two thirds hold half the total.

    >>> x, y = lorenz_points([2, 1, 1])
    >>> x.tolist(), y.tolist()
    ([0.0, 0.3333333333333333, 0.6666666666666666, 1.0], [0.0, 0.25, 0.5, 1.0])

    The area under it is (0.25 + 0.75 + 1.5) / 6 = 5/12, so G = 1 - 10/12 = 1/6:

    >>> round(1 - 2 * float(((y[1:] + y[:-1]) / 2 * (x[1:] - x[:-1])).sum()), 12)
    0.166666666667
    """
    v = np.asarray(list(values), dtype=float).ravel()
    if len(v) == 0:
        raise ValueError("a Lorenz curve needs at least one value")
    if not np.isfinite(v).all():
        raise ValueError("a Lorenz curve needs finite values (got NaN or infinity)")
    if (v < 0).any():
        raise ValueError(f"a Lorenz curve needs non-negative values (got {v.min():g})")
    n = len(v)
    x = np.arange(n + 1) / n
    total = v.sum()
    if total <= 0:
        return x, x.copy()
    y = np.concatenate([[0.0], np.cumsum(np.sort(v)) / total])
    y[-1] = 1.0  # exactly, whatever the rounding of the running sum
    return x, y


def last_step(actors: pd.DataFrame, dimension: str = AGGREGATE) -> pd.DataFrame:
    """The rows of the final step for one dimension, the most powerful first.

    Parameters
    ----------
    actors : pandas.DataFrame
        A run's actors table.
    dimension : str, default "*"

    Returns
    -------
    pandas.DataFrame
        The table's rows of the last step of that dimension (all columns),
        sorted by ``power`` descending, then by ``actor``; a fresh index.

    Examples
    --------
    >>> import pandas as pd
    >>> actors = pd.DataFrame({"step": [0, 1, 1, 1], "actor": ["a", "a", "b", "c"],
    ...                        "dimension": "*", "power": [0.9, 0.1, 0.4, 0.1]})
    >>> last_step(actors)[["actor", "power"]].values.tolist()
    [['b', 0.4], ['a', 0.1], ['c', 0.1]]
    """
    rows = _rows(actors, dimension, ("step", "actor", "power"))
    last = rows[rows["step"] == rows["step"].max()]
    return last.iloc[order_by_value(last["power"], last["actor"])].reset_index(drop=True)


def by_dimension(actors: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """Power share in each dimension of the top-``n`` actors at the last step.

    Parameters
    ----------
    actors : pandas.DataFrame
        A run's actors table with per-dimension rows.
    n : int, default 10
        How many actors: those with the highest aggregate (``*``) power share
        at the last step, ties by id; without aggregate rows, the highest sum
        over the dimensions.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``actor`` (in rank order), one column per dimension
        (sorted by name, the aggregate ``*`` excluded), values the actors'
        ``power_share`` in that dimension at the last step; NaN where an
        actor has no row.

    Raises
    ------
    UsageError
        When ``n < 1`` or the table has no per-dimension rows.

    Examples
    --------
    >>> import pandas as pd
    >>> actors = pd.DataFrame({
    ...     "step": 0, "actor": ["a", "b", "a", "b", "a", "b"],
    ...     "dimension": ["*", "*", "energy", "energy", "care", "care"],
    ...     "power_share": [0.3, 0.7, 0.0, 1.0, 0.6, 0.4]})
    >>> shares = by_dimension(actors)
    >>> shares.index.tolist(), shares.columns.tolist()
    (['b', 'a'], ['care', 'energy'])
    >>> shares.to_numpy().tolist()
    [[0.4, 1.0], [0.6, 0.0]]
    """
    if n < 1:
        raise UsageError(f"n must be >= 1, got {n}")
    _check_columns(actors, ("step", "actor", "dimension", "power_share"))
    split = actors[actors["dimension"] != AGGREGATE]
    if split.empty:
        raise UsageError("the actors table has no per-dimension rows")
    last = split[split["step"] == split["step"].max()]
    wide = last.pivot(index="actor", columns="dimension", values="power_share")
    wide = wide.reindex(columns=sorted(wide.columns))
    overall = actors[(actors["dimension"] == AGGREGATE) & (actors["step"] == last["step"].iloc[0])]
    if overall.empty:
        score = wide.sum(axis=1)
    else:
        score = overall.set_index("actor")["power_share"].reindex(wide.index).fillna(0.0)
    ids = pd.Series(wide.index.to_numpy(dtype=object))
    chosen = wide.index[order_by_value(score.reset_index(drop=True), ids)][:n]
    result = wide.loc[chosen]
    result.index.name = "actor"
    result.columns.name = "dimension"
    return result


def _rows(actors: pd.DataFrame, dimension: str, columns: tuple[str, ...]) -> pd.DataFrame:
    _check_columns(actors, ("dimension", *columns))
    rows = actors[actors["dimension"] == dimension]
    if rows.empty:
        present = sorted(map(str, actors["dimension"].unique()))
        known = f"; dimensions present: {', '.join(present)}" if present else "; the table is empty"
        raise UsageError(f"no rows for dimension {dimension!r}{known}")
    return rows


def _check_columns(actors: pd.DataFrame, needed: Iterable[str]) -> None:
    missing = [c for c in needed if c not in actors.columns]
    if missing:
        raise UsageError(f"the actors table lacks the column(s) {', '.join(missing)}")


def order_by_value(values: pd.Series, ids: pd.Series) -> np.ndarray:
    """Positions sorted by value descending (rounded to 12 significant digits), then by id."""
    key = rounded(values.astype(float).fillna(-np.inf))
    return np.lexsort((ids.to_numpy(dtype=object).astype(str), -key))
