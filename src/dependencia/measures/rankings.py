"""How far rankings of actors agree: Kendall's tau-b, top-k overlap, and the actors whose rank moves most.

Different measures of power rank the same actors differently (the panel of
:mod:`.panel`). :func:`compare` says how far every pair of rankings agrees and
:func:`movers` which actors' ranks depend most on the measure chosen. Values
are compared after rounding to 12 significant digits, so that floating-point
noise does not break ties (as the command line ranks).

Examples
--------
>>> frame = pd.DataFrame({"m1": [3.0, 2, 1], "m2": [3.0, 1, 2]}, index=list("abc"))
>>> compare(frame, top=1)[["kendall_tau", "top_overlap"]].round(4).values.tolist()
[[0.3333, 1.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from ..base.output import rounded
from ..errors import UsageError

__all__ = ["compare", "kendall_tau_b", "movers", "top_k", "top_k_overlap"]


def kendall_tau_b(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Kendall's tau-b of two rankings (SciPy), NaN when either is constant or has fewer than 2 values.

    tau-b = (concordant - discordant) / sqrt((n0 - n1)(n0 - n2)), n0 the
    pairs, n1 and n2 those tied in x and in y: ties count for neither side.

    Examples
    --------
    >>> kendall_tau_b([1, 2, 3], [3, 2, 1])
    -1.0
    >>> round(kendall_tau_b([1, 2, 3, 4], [1, 1, 2, 2]), 12)
    0.816496580928
    """
    from scipy.stats import kendalltau

    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(a) < 2 or np.all(a == a[0]) or np.all(b == b[0]):
        return float("nan")
    return float(kendalltau(a, b, variant="b").statistic)


def top_k(values: pd.Series, k: int) -> list:
    """The ids of the k highest values (rounded to 12 significant digits), ties by id, NaN last.

    Examples
    --------
    >>> top_k(pd.Series([1.0, 3.0, 3.0, float("nan")], index=["d", "c", "b", "a"]), 3)
    ['b', 'c', 'd']
    """
    key = rounded(values)
    missing = np.isnan(key)
    key = np.where(missing, 0.0, key)
    ids = values.index.to_numpy(dtype=object).astype(str)
    order = np.lexsort((ids, -key, missing))
    return values.index[order[:k]].tolist()


def top_k_overlap(x: pd.Series, y: pd.Series, k: int) -> float:
    """|top_k(x) ∩ top_k(y)| / k, k at most the number of actors (NaN when there is none).

    Examples
    --------
    >>> ids = ["a", "b", "c", "d"]
    >>> top_k_overlap(pd.Series([4.0, 3, 2, 1], index=ids), pd.Series([4.0, 1, 3, 2], index=ids), 2)
    0.5
    """
    k = min(k, len(x))
    if k == 0:
        return float("nan")
    return len(set(top_k(x, k)) & set(top_k(y, k))) / k


def compare(frame: pd.DataFrame, *, top: int = 5) -> pd.DataFrame:
    """How far the rankings of every pair of measures agree: Kendall's tau-b and the overlap of their top k.

    Parameters
    ----------
    frame : pandas.DataFrame
        One numeric column per measure, one row per actor (:func:`measures`).
    top : int, default 5
        k of the top-k overlap.

    Returns
    -------
    pandas.DataFrame
        One row per pair of columns (in column order): ``measure_a``,
        ``measure_b``, ``kendall_tau`` (tau-b over the actors where both
        values are known, values rounded to 12 significant digits; NaN when
        one is constant) and ``top_overlap`` (:func:`top_k_overlap`: the
        share of the k highest actors, ties broken by id, that both rankings
        share). ``attrs``: ``top``.

    Examples
    --------
    >>> frame = pd.DataFrame({"m1": [3.0, 2, 1], "m2": [1.0, 2, 3], "m3": [3.0, 1, 2]}, index=list("abc"))
    >>> compare(frame, top=1).round(4)
      measure_a measure_b  kendall_tau  top_overlap
    0        m1        m2      -1.0000          0.0
    1        m1        m3       0.3333          1.0
    2        m2        m3      -0.3333          0.0
    """
    top = _top(top)
    names = _measure_columns(frame)
    # rounded once per measure (rounding again changes nothing): ties and the top k are those of the values
    values = {name: pd.Series(rounded(frame[name].astype(float)), index=frame.index) for name in names}
    k = min(top, len(frame))
    best = {name: set(top_k(values[name], k)) for name in names}
    rows = []
    for a, b in combinations(names, 2):
        x, y = values[a].to_numpy(), values[b].to_numpy()
        known = ~np.isnan(x) & ~np.isnan(y)
        tau = kendall_tau_b(x[known], y[known])
        overlap = len(best[a] & best[b]) / k if k else float("nan")  # top_k_overlap, each top k found once
        rows.append({"measure_a": a, "measure_b": b, "kendall_tau": tau, "top_overlap": overlap})
    result = pd.DataFrame(rows, columns=["measure_a", "measure_b", "kendall_tau", "top_overlap"])
    result.attrs["top"] = top
    return result


def movers(frame: pd.DataFrame, *, top: int = 5) -> pd.DataFrame:
    """Every actor's rank under each measure, and how far it moves: the actors whose rank depends most on the measure.

    Parameters
    ----------
    frame : pandas.DataFrame
        One numeric column per measure, one row per actor (:func:`measures`).
    top : int, default 5
        How many actors to mark as movers.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id, sorted by ``rank_spread`` (descending) then id:
        one rank column per measure (1 + the number of actors with a
        strictly higher value, rounded to 12 significant digits; NaN for a
        NaN value), ``rank_min``, ``rank_max`` and ``rank_spread`` (max -
        min) over the measures that rank anyone (a measure with one value
        for every actor ties them all and is left out), and ``mover`` (True
        for the first ``top`` rows whose rank moves at all).

    Examples
    --------
    >>> frame = pd.DataFrame({"m1": [3.0, 2, 1], "m2": [1.0, 2, 3]}, index=pd.Index(list("abc"), name="id"))
    >>> movers(frame, top=1)  # doctest: +NORMALIZE_WHITESPACE
        m1  m2  rank_min  rank_max  rank_spread  mover
    id
    a    1   3         1         3            2   True
    c    3   1         1         3            2  False
    b    2   2         2         2            0  False
    """
    top = _top(top)
    names = _measure_columns(frame)
    ranks = pd.DataFrame(index=frame.index)
    for name in names:
        ranks[name] = pd.Series(rounded(frame[name].astype(float)), index=frame.index).rank(method="min",
                                                                                           ascending=False)
    ranking = [name for name in names if frame[name].nunique(dropna=True) > 1]  # a constant column ranks nobody
    ranks["rank_min"] = ranks[ranking].min(axis=1) if ranking else np.nan
    ranks["rank_max"] = ranks[ranking].max(axis=1) if ranking else np.nan
    ranks["rank_spread"] = ranks["rank_max"] - ranks["rank_min"]
    for name in ranks.columns:
        if ranks[name].notna().all():
            ranks[name] = ranks[name].astype(np.int64)
    ids = ranks.index.to_numpy(dtype=object).astype(str)
    spread = ranks["rank_spread"].to_numpy(dtype=float)
    order = np.lexsort((ids, -np.nan_to_num(spread, nan=-1.0)))
    ranks = ranks.iloc[order]
    position = np.arange(len(ranks))
    ranks["mover"] = (position < top) & (ranks["rank_spread"].to_numpy(dtype=float) > 0)
    return ranks


def _top(top: object) -> int:
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise UsageError(f"top must be an int of at least 1, got {top!r}")
    return int(top)


def _measure_columns(frame: pd.DataFrame) -> list[str]:
    return [name for name in frame.columns if pd.api.types.is_numeric_dtype(frame[name])
            and not pd.api.types.is_bool_dtype(frame[name])]
