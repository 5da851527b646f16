"""The panel of power measures: one column per measure for every actor, and how far their rankings agree.

No single number is power. Betweenness says who sits on the shortest paths,
dominance who can cut pairs apart, reach who is depended on, traffic share
whose infrastructures carry the declared dependencies, PageRank, Katz and
Bonacich how dependence accumulates along chains, systemic impact how much
fails with an actor. :func:`measures` computes the ones asked for on one
compiled graph per ``paths`` value; :func:`compare` says how far two rankings
agree (Kendall's tau-b and the overlap of their top k) and :func:`movers`
which actors' ranks move most from one measure to another (both in
:mod:`.rankings`, importable from here).

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
['measure_a', 'measure_b', 'kendall_tau', 'top_overlap']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..errors import UsageError
from ..graph.compiled import CompiledGraph, compile_graph
from ..graph.hops import path_mode
from ..network.model import Network
from .rankings import compare, kendall_tau_b, movers, top_k, top_k_overlap  # the agreement of rankings, re-exported

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
    Measure("dependencies", "Actors it depends on directly or transitively",
            "docs/model.md#reach-and-asymmetry", lambda inputs: inputs.reach_frame()["dependencies"]),
    Measure("traffic", "Share of declared dependency strength routed through an infrastructure it controls",
            "dependencia.measures.traffic", _traffic_share),
    Measure("pagerank", "PageRank (damping 0.85), dependents voting for providers by strength, summed over C(a)",
            "Brin and Page 1998, doi:10.1016/S0169-7552(98)00110-X", _pagerank),
    Measure("katz", "Strength-weighted walks of dependence arriving at its nodes, alpha = 0.9 / rho(A)",
            "Katz 1953, doi:10.1007/BF02289026", _katz),
    Measure("bonacich", "Bonacich power, beta = -0.5 / rho(A): dependence counts more from the powerless",
            "Bonacich 1987, doi:10.1086/228631", _bonacich),
    Measure("impact", "Strength-weighted share of actors impaired when it alone fails (DebtRank)",
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
    dependencia.errors.UsageError: unknown measure 'rank'; known: power, power_hub, dominance, ..., impact
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
        ``power``). ``traffic`` and ``impact`` follow the
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
        dependencies), ``dependents``, ``dependencies``, ``traffic`` (the
        traffic share), ``pagerank``, ``katz``, ``bonacich``, ``impact`` (the
        systemic impact, DebtRank). ``attrs``: ``measures``,
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
