"""The panel of power measures: one column per measure for every actor, and how far their rankings agree.

No single number is power. Betweenness says who sits on the shortest paths,
dominance who can cut pairs apart, reach who is depended on, traffic share
whose infrastructures carry the declared dependencies, PageRank, Katz and
Bonacich how dependence accumulates along chains, systemic impact how much
fails with an actor. :func:`measures` computes the ones asked for on one
compiled graph per ``paths`` value; :func:`compare` says how far two rankings
agree (Kendall's tau-b and the overlap of their top k) and :func:`movers`
which actors' ranks move most from one measure to another.

:data:`REGISTRY` names every measure once, with a one-line description and
its reference, for the command line and the docs.

Examples
--------
>>> import dependencia as dp
>>> net = dp.examples.load("florentine")
>>> frame = measures(net, measures=["power", "pagerank", "katz"])
>>> list(frame.columns), frame.index.name
(['power', 'pagerank', 'katz'], 'id')
>>> list(compare(frame, top=3).columns)
['measure_a', 'measure_b', 'kendall_tau', 'top_k_overlap']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..base.output import rounded
from ..errors import UsageError
from ..graph.compiled import CompiledGraph, compile_graph
from ..graph.hops import path_mode
from ..network.model import Network

__all__ = [
    "REGISTRY", "Measure", "compare", "kendall_tau_b", "measure_names", "measures", "movers", "top_k", "top_k_overlap",
]


@dataclass
class _Inputs:
    """The options of one :func:`measures` call, and what its measures share (compiled graphs, reach, rho)."""

    network: Network
    paths: str
    dimensions: list[str] | None
    directed: bool
    workers: int | None
    scheduler: str | None
    graphs: dict[str, CompiledGraph] = field(default_factory=dict)
    reach: pd.DataFrame | None = None
    radius: dict[str, float] = field(default_factory=dict)
    attrs: dict[str, Any] = field(default_factory=dict)

    def graph(self, paths: str | None = None) -> CompiledGraph:
        paths = self.paths if paths is None else paths
        if paths not in self.graphs:
            self.graphs[paths] = compile_graph(self.network, dimensions=self.dimensions, directed=self.directed,
                                               paths=paths)
        return self.graphs[paths]

    def spectral_radius(self) -> float:
        from .spectral import spectral_radius

        if self.paths not in self.radius:
            self.radius[self.paths] = spectral_radius(self.graph())
            self.attrs["spectral_radius"] = self.radius[self.paths]
        return self.radius[self.paths]

    def reach_frame(self) -> pd.DataFrame:
        if self.reach is None:
            from .reach import reach

            self.reach = reach(self.network, directed=self.directed, dimensions=self.dimensions, paths=self.paths)
        return self.reach


@dataclass(frozen=True)
class Measure:
    """One measure of the panel: its column name, what it says, where it comes from, and how to compute it."""

    name: str
    description: str
    reference: str
    compute: Callable[[_Inputs], Any] = field(repr=False)


def _power(inputs: _Inputs, paths: str | None = None):
    from .power import graph_power

    frame = graph_power(inputs.network, inputs.graph(paths), workers=inputs.workers, scheduler=inputs.scheduler,
                        node_betweenness=False)
    return frame["power"]


def _dominance(inputs: _Inputs):
    from .dominance import graph_dominance

    return graph_dominance(inputs.network, inputs.graph(), workers=inputs.workers,
                           scheduler=inputs.scheduler)["dominance"]


def _traffic_share(inputs: _Inputs):
    from .traffic import traffic_share

    return traffic_share(inputs.network, dimensions=inputs.dimensions)["traffic_share"]


def _pagerank(inputs: _Inputs):
    from .centrality import PAGERANK_ALPHA, actor_sums, graph_pagerank

    graph = inputs.graph()
    inputs.attrs["pagerank_alpha"] = PAGERANK_ALPHA
    return actor_sums(inputs.network, graph, graph_pagerank(graph))


def _katz(inputs: _Inputs):
    from .centrality import actor_sums, graph_katz

    graph = inputs.graph()
    values, alpha = graph_katz(graph, radius=inputs.spectral_radius())
    inputs.attrs["katz_alpha"] = alpha
    return actor_sums(inputs.network, graph, values)


def _bonacich(inputs: _Inputs):
    from .centrality import actor_sums, graph_bonacich

    graph = inputs.graph()
    values, beta, _ = graph_bonacich(graph, radius=inputs.spectral_radius())
    inputs.attrs["bonacich_beta"] = beta
    return actor_sums(inputs.network, graph, values)


def _systemic_impact(inputs: _Inputs):
    from .shock import systemic_impact

    frame = systemic_impact(inputs.network, dimensions=inputs.dimensions, workers=inputs.workers,
                            scheduler=inputs.scheduler)
    return frame["systemic_impact"]


#: Every measure of the panel, in the order of the table's columns: name -> :class:`Measure`.
REGISTRY: dict[str, Measure] = {m.name: m for m in (
    Measure("power", "Group betweenness of what the actor controls over actor pairs, on the chosen graph",
            "Everett and Borgatti 1999, doi:10.1080/0022250X.1999.9990219; docs/model.md#actor-power", _power),
    Measure("power_hub", "The same on the hub graph (every infrastructure one shared node), whatever paths says",
            "docs/model.md#graphs", lambda inputs: _power(inputs, "hub")),
    Measure("dominance", "Share of the actor pairs outside its control that it can cut apart (on every path)",
            "Lengauer and Tarjan 1979, doi:10.1145/357062.357071", _dominance),
    Measure("asymmetry", "(dependents - dependencies) / (dependents + dependencies), transitive",
            "docs/model.md#reach-and-asymmetry", lambda inputs: inputs.reach_frame()["asymmetry"]),
    Measure("dependents", "Actors that depend on it directly or transitively",
            "docs/model.md#reach-and-asymmetry", lambda inputs: inputs.reach_frame()["dependents"]),
    Measure("traffic_share", "Share of declared dependency strength routed through an infrastructure it controls",
            "dependencia.measures.traffic", _traffic_share),
    Measure("pagerank", "PageRank (damping 0.85), dependents voting for providers by strength, summed over C(a)",
            "Brin and Page 1998, doi:10.1016/S0169-7552(98)00110-X", _pagerank),
    Measure("katz", "Strength-weighted walks of dependence arriving at its nodes, alpha = 0.9 / rho(A)",
            "Katz 1953, doi:10.1007/BF02289026", _katz),
    Measure("bonacich", "Bonacich power, beta = -0.5 / rho(A): dependence counts more from the powerless",
            "Bonacich 1987, doi:10.1086/228631", _bonacich),
    Measure("systemic_impact", "Strength-weighted share of actors impaired when it alone fails (DebtRank)",
            "Battiston et al. 2012, doi:10.1038/srep00541", _systemic_impact),
)}


def measure_names(names: str | Sequence[str] | None) -> list[str]:
    """The measures asked for, checked against :data:`REGISTRY`, without repeats; all when None.

    Examples
    --------
    >>> measure_names(["katz", "power", "katz"])
    ['katz', 'power']
    >>> measure_names("rank")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dependencia.errors.UsageError: unknown measure 'rank'; known: power, power_hub, dominance, ..., systemic_impact
    """
    if names is None:
        return list(REGISTRY)
    chosen = [names] if isinstance(names, str) else list(names)
    for name in chosen:
        if not isinstance(name, str) or name not in REGISTRY:
            raise UsageError(f"unknown measure {name!r}; known: {', '.join(REGISTRY)}")
    if not chosen:
        raise UsageError(f"no measure chosen; known: {', '.join(REGISTRY)}")
    return list(dict.fromkeys(chosen))


def measures(
    network: Network,
    *,
    measures: str | Sequence[str] | None = None,
    paths: str | None = "routed",
    dimensions: str | Sequence[str] | None = None,
    directed: bool = True,
    workers: int | None = None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """The panel: one column per measure of power, one row per actor.

    Parameters
    ----------
    network : Network
    measures : str or sequence of str, optional
        Names from :data:`REGISTRY`, in the order wanted; all when omitted.
    paths : {"routed", "hub"}, default "routed"
        The graph of every measure that has one (docs/model.md#graphs);
        ``power_hub`` is always on the hub graph (with ``"hub"`` it equals
        ``power``). ``traffic_share`` and ``systemic_impact`` follow the
        declared routes and have no such choice.
    dimensions : str or sequence of str, optional
        The dimensions whose dependencies count; all when omitted.
    directed : bool, default True
        False: every edge goes both ways (traffic share and systemic impact
        follow the declared direction regardless).
    workers, scheduler : optional
        Parallel execution of power, dominance and systemic impact, as for
        :func:`~dependencia.power`; the values do not depend on them.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id (``id``), in actor order, one float column per
        measure: ``power`` and ``power_hub`` (normalized), ``dominance``,
        ``asymmetry`` (NaN for an actor with neither dependents nor
        dependencies), ``dependents``, ``traffic_share``, ``pagerank``,
        ``katz``, ``bonacich``, ``systemic_impact``. ``attrs``: ``measures``,
        ``paths``, ``directed``, ``dimensions``, and the parameters used
        (``pagerank_alpha``, ``katz_alpha``, ``bonacich_beta``,
        ``spectral_radius``) for the measures computed.

    Raises
    ------
    UsageError
        An unknown measure, ``paths`` value or dimension.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"}])
    >>> measures(net, measures=["power", "dependents", "katz"]).round(12)  # doctest: +NORMALIZE_WHITESPACE
        power  dependents  katz
    id
    a     0.0         0.0  0.00
    b     0.5         1.0  0.90
    c     0.0         2.0  1.71
    """
    names = measure_names(measures)
    inputs = _Inputs(network, path_mode(paths), dimension_list(dimensions), bool(directed), workers, scheduler)
    index = pd.Index(network.actors.index, name="id", dtype=object)
    columns = {}
    for name in names:
        values = REGISTRY[name].compute(inputs)
        if isinstance(values, pd.Series):
            values = values.reindex(index).to_numpy(dtype=float)
        columns[name] = np.asarray(values, dtype=float)
    frame = pd.DataFrame(columns, index=index)
    frame.attrs.update(measures=names, paths=inputs.paths, directed=inputs.directed,
                       dimensions=inputs.dimensions, **inputs.attrs)
    return frame


# --------------------------------------------------------------------------- how far rankings agree
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
        one is constant) and ``top_k_overlap`` (the share of the k highest
        actors, ties broken by id, that both rankings share). ``attrs``:
        ``top``.

    Examples
    --------
    >>> frame = pd.DataFrame({"m1": [3.0, 2, 1], "m2": [1.0, 2, 3], "m3": [3.0, 1, 2]}, index=list("abc"))
    >>> compare(frame, top=1).round(4)
      measure_a measure_b  kendall_tau  top_k_overlap
    0        m1        m2      -1.0000            0.0
    1        m1        m3       0.3333            1.0
    2        m2        m3      -0.3333            0.0
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
        rows.append({"measure_a": a, "measure_b": b, "kendall_tau": tau, "top_k_overlap": overlap})
    result = pd.DataFrame(rows, columns=["measure_a", "measure_b", "kendall_tau", "top_k_overlap"])
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
