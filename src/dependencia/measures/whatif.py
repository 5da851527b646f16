"""What-if: how power, served dependencies and path lengths change when the network changes.

docs/model.md#what-if-and-chokepoints: the change in every actor's power, the
number of declared dependencies that lose all paths, and the change in mean
path length, when actors or infrastructures are removed or dependencies
removed or added.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..base.arguments import dimension_list
from ..graph.compiled import CompiledGraph, compile_graph
from ..network import edits
from ..network.model import Network
from .power import graph_power

__all__ = ["WhatIf", "whatif"]


@dataclass(frozen=True)
class WhatIf:
    """The outcome of a what-if analysis.

    Attributes
    ----------
    actors : pandas.DataFrame
        Indexed by actor id (actors before and after): ``power_before``,
        ``power_after`` (NaN where the actor does not exist), ``change``,
        ``share_before``, ``share_after``.
    lost : pandas.DataFrame
        Declared dependencies (``dependent``, ``provider``, ``dimension``)
        whose dependent reached the provider before and reaches it no longer;
        dependencies of removed actors are not counted.
    mean_path_length_before, mean_path_length_after : float
        Mean shortest-path length over ordered pairs of nodes that have a
        path (hops, or the chosen length).
    """

    actors: pd.DataFrame
    lost: pd.DataFrame
    mean_path_length_before: float
    mean_path_length_after: float

    @property
    def lost_dependencies(self) -> int:
        """How many declared dependencies lost all paths."""
        return len(self.lost)

    def _repr_html_(self) -> str:
        summary = (
            f"<p>{self.lost_dependencies} declared dependencies lose all paths; mean path length "
            f"{self.mean_path_length_before:.4g} → {self.mean_path_length_after:.4g}</p>"
        )
        return summary + self.actors.to_html(escape=True)  # actor ids come from the user


def whatif(
    network: Network,
    *,
    remove: Sequence[str] = (),
    remove_dependencies: Sequence[tuple[str, str, str]] = (),
    add_dependencies: Sequence[Mapping[str, Any]] = (),
    directed: bool = True,
    length: str | None = None,
    dimensions: str | Sequence[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    paths: str | None = "routed",
) -> WhatIf:
    """Compare the network with a changed copy of it.

    Parameters
    ----------
    network : Network
    remove : sequence of str
        Actors and infrastructures to remove (see :func:`dependencia.network.edits.remove_nodes`:
        dependencies routed via a removed infrastructure become needs).
    remove_dependencies : sequence of (dependent, provider, dimension)
        Dependencies to remove (every matching record).
    add_dependencies : sequence of dict
        Dependency records to add (``dependent``, ``provider``, ``dimension``,
        optional ``via`` and other fields).
    directed, length, dimensions, workers, scheduler, paths :
        As for :func:`~dependencia.power`. The mean path length runs over
        ordered pairs of actors with a path on the routed graph, over all
        node pairs with a path on the hub graph.

    Returns
    -------
    WhatIf

    Examples
    --------
    Removing the only hub between a and b cuts their dependency:

    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": "a"}, {"id": "b"}, {"id": "o"}],
    ...     [{"dependent": "a", "provider": "b", "via": ["hub"]}],
    ...     infrastructures=[{"id": "hub", "owner": "o"}])
    >>> result = dp.whatif(net, remove=["hub"])
    >>> result.lost_dependencies, result.mean_path_length_before, result.mean_path_length_after
    (1, 2.0, 0.0)
    >>> dp.whatif(net, remove=["hub"], paths="hub").mean_path_length_before  # pairs (a, hub), (hub, b), (a, b)
    1.3333333333333333
    """
    dimensions = dimension_list(dimensions)
    after = network
    if remove:
        after = edits.remove_nodes(after, remove).network
    if remove_dependencies:
        after = edits.remove_dependencies(after, remove_dependencies).network
    if add_dependencies:
        after = edits.add_dependencies(after, add_dependencies).network
    graph_before, graph_after = (compile_graph(net, dimensions=dimensions, length=length, directed=directed, paths=paths)
                                 for net in (network, after))
    before_power = graph_power(network, graph_before, workers=workers, scheduler=scheduler)
    after_power = graph_power(after, graph_after, workers=workers, scheduler=scheduler)
    actors = pd.DataFrame(
        {
            "power_before": before_power["power"],
            "power_after": after_power["power"],
            "share_before": before_power["power_share"],
            "share_after": after_power["power_share"],
        }
    )
    actors = actors.reindex(network.actors.index.append(after.actors.index.difference(network.actors.index)))
    actors.insert(2, "change", actors["power_after"] - actors["power_before"])
    actors.index.name = "id"
    return WhatIf(
        actors=actors,
        lost=_lost(network, graph_before, graph_after, dimensions),
        mean_path_length_before=_mean_path_length(graph_before),
        mean_path_length_after=_mean_path_length(graph_after),
    )


def _lost(network: Network, before: CompiledGraph, after: CompiledGraph, dimensions) -> pd.DataFrame:
    deps = network.dependencies[["dependent", "provider", "dimension"]].drop_duplicates()
    if dimensions is not None:
        deps = deps[deps["dimension"].isin(list(dimensions))]
    surviving = set(after.index.tolist())
    deps = deps[deps["dependent"].isin(surviving) & deps["provider"].isin(surviving)]
    served_before = _served(before, deps)
    served_after = _served(after, deps)
    return deps[served_before & ~served_after].reset_index(drop=True)


def _served(graph: CompiledGraph, deps: pd.DataFrame) -> np.ndarray:
    """Whether each dependent reaches its provider in ``graph``."""
    engine = graph.to_igraph()
    dependent = graph.index.get_indexer(deps["dependent"].to_numpy())
    provider = graph.index.get_indexer(deps["provider"].to_numpy())
    served = np.zeros(len(deps), dtype=bool)
    for source in np.unique(dependent):
        rows = np.flatnonzero(dependent == source)
        reach = np.zeros(graph.n_nodes, dtype=bool)
        reach[engine.subcomponent(int(source), mode="out")] = True
        served[rows] = reach[provider[rows]]
    return served


def _mean_path_length(graph: CompiledGraph) -> float:
    if graph.n_edges == 0:
        return 0.0
    engine = graph.to_igraph()
    weights = "length" if graph.length is not None else None
    if graph.paths == "routed" and graph.n_model_nodes > graph.n_actors:
        return _mean_actor_distance(engine, graph.n_actors, weights, graph.directed)
    return float(engine.average_path_length(directed=graph.directed, unconn=True, weights=weights))


#: Source actors whose distances are computed at once.
_CHUNK = 512


def _mean_actor_distance(engine, n_actors: int, weights: str | None, directed: bool) -> float:
    """Mean shortest-path length over ordered pairs of distinct actors with a path (0 when none)."""
    actors = list(range(n_actors))
    total, count = 0.0, 0
    for first in range(0, n_actors, _CHUNK):
        chunk = actors[first:first + _CHUNK]
        rows = np.asarray(engine.distances(source=chunk, target=actors, weights=weights,
                                           mode="out" if directed else "all"), dtype=float)
        rows[np.arange(len(chunk)), chunk] = np.inf
        finite = np.isfinite(rows)
        total += float(rows[finite].sum())
        count += int(finite.sum())
    return total / count if count else 0.0
