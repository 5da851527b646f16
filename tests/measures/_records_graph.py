"""The graph of a network built straight from its records, for the brute-force oracles.

The oracles of power, explain, chokepoints, reach and multiplex must not share the code they
check, so this module does not call ``compile_graph``: it reads docs/model.md's definition of
the graph and builds it with NetworkX from the network's tables. Every actor and every
infrastructure is a node; a dependency ``d -> p`` routed via ``[x1, x2]`` is the chain of hops
``d -> x1 -> x2 -> p`` (a direct one the single hop ``d -> p``); each hop carries the
dependency's length; parallel hops are one edge with the smallest length; an undirected graph
forgets the direction of every hop.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

import dependencia as dp


def records_graph(net: dp.Network, *, directed: bool = True, length: str | None = None,
                  dimensions: Iterable[str] | None = None) -> nx.Graph:
    """NetworkX graph on node ids from ``net``'s records; edge attribute ``length`` when ``length`` is given."""
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(net.actors.index)
    graph.add_nodes_from(net.infrastructures.index)
    wanted = None if dimensions is None else set(dimensions)
    for record in net.dependencies.to_dict(orient="records"):
        if wanted is not None and record["dimension"] not in wanted:
            continue
        route = list(record["via"]) if isinstance(record["via"], (list, tuple)) else []
        chain = [record["dependent"], *route, record["provider"]]
        value = float(record[length]) if length else 1.0
        for u, v in zip(chain, chain[1:]):
            if not graph.has_edge(u, v) or value < graph[u][v]["length"]:
                graph.add_edge(u, v, length=value)
    return graph
