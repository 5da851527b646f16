"""Burt's structural holes (constraint and effective size), through NetworkX.

Extra columns for the actor table on request (``power --burt``): NetworkX
computes them on the compiled graph (actors and infrastructures), so they are
slow on large graphs, and they are never on the hot path.

References
----------
R. S. Burt, *Structural Holes: The Social Structure of Competition*, Harvard
University Press (1992).
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import pandas as pd

from ..base.arguments import dimension_list
from ..graph.compiled import compile_graph
from ..network.model import Network

__all__ = ["structural_holes"]


def structural_holes(
    network: Network, *, directed: bool = True, dimensions: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """Burt's constraint and effective size of every actor (NetworkX's definitions).

    Edge weights are the summed dependency strengths. Actors without
    neighbours get NaN constraint, as NetworkX gives. Burt's measures are
    about an actor's neighbourhood, so they are computed on the hub graph
    (docs/model.md#graphs), where an actor's neighbours are the actors and
    infrastructures it is linked with, whatever ``paths`` the other measures use.

    Examples
    --------
    >>> import dependencia as dp
    >>> net = dp.Network.from_records([{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "c", "provider": "b"}])
    >>> dp.structural_holes(net, directed=False).loc["b"].tolist()
    [0.5, 2.0]
    """
    dimensions = dimension_list(dimensions)
    graph = compile_graph(network, dimensions=dimensions, directed=directed, paths="hub").to_networkx()
    actors = list(network.actors.index)
    constraint = nx.constraint(graph, nodes=actors, weight="strength")
    effective = nx.effective_size(graph, nodes=actors, weight="strength")
    return pd.DataFrame(
        {"constraint": [constraint[a] for a in actors], "effective_size": [effective[a] for a in actors]},
        index=pd.Index(actors, name="id", dtype=object),
    )
