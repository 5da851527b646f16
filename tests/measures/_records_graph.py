"""The graph of a network built straight from its records, for the brute-force oracles.

The oracles of power, betweenness, explain, chokepoints, reach and multiplex must not share the code they
check, so this module does not call ``compile_graph``: it reads docs/model.md's definition of the graphs
(section "Graphs") and builds them with NetworkX from the network's tables.

* ``paths="hub"`` (this helper's default, so that older callers keep their graph): every actor and every
  infrastructure is a node; a dependency ``d -> p`` routed via ``[x1, x2]`` is the chain of hops
  ``d -> x1 -> x2 -> p`` (a direct one the single hop ``d -> p``): every infrastructure is open.
* ``paths="routed"``: the same, except that a closed infrastructure X (``transit`` not ``"open"``) on a
  route r is the route node ``("route", r, X)`` of that route alone, r being the route's key
  ``(dependent, infrastructures, provider)``: identical routes (same key) share one chain, different routes
  never meet at a closed infrastructure. An open infrastructure stays the one node X of every route through
  it; a route mixing both takes each hop by its own infrastructure's rule. The infrastructure's own node is
  still a node (isolated when it is closed), as in the compiled graph.

In both, each hop carries the dependency's length; parallel hops are one edge with the smallest length;
an undirected graph forgets the direction of every hop. :func:`stands_for` maps a node to the actor or
infrastructure it stands for (a route node to its infrastructure).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

import dependencia as dp

ROUTE = "route"


def route_node(key: tuple, infrastructure: str) -> tuple:
    """The node of closed ``infrastructure`` on the route ``key = (dependent, infrastructures, provider)``."""
    return (ROUTE, key, infrastructure)


def is_route_node(node: Hashable) -> bool:
    """True for a route node of the routed graph."""
    return isinstance(node, tuple) and len(node) == 3 and node[0] == ROUTE


def stands_for(node: Hashable) -> str:
    """The actor or infrastructure id a node stands for: itself, or a route node's infrastructure."""
    return node[2] if is_route_node(node) else node


def records_graph(net: dp.Network, *, directed: bool = True, length: str | None = None,
                  dimensions: Iterable[str] | None = None, paths: str = "hub") -> nx.Graph:
    """NetworkX graph from ``net``'s records (hub or routed, see the module docs); edge attribute ``length``.

    Without ``length`` every edge has length 1 (hop counts).
    """
    if paths not in ("hub", "routed"):
        raise ValueError(f"paths must be 'hub' or 'routed', got {paths!r}")
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(net.actors.index)
    graph.add_nodes_from(net.infrastructures.index)
    transit = net.infrastructures["transit"] if "transit" in net.infrastructures.columns else {}
    open_ = {x for x in net.infrastructures.index if transit.get(x) == "open"}
    wanted = None if dimensions is None else set(dimensions)
    for record in net.dependencies.to_dict(orient="records"):
        if wanted is not None and record["dimension"] not in wanted:
            continue
        route = list(record["via"]) if isinstance(record["via"], (list, tuple)) else []
        key = (record["dependent"], tuple(route), record["provider"])
        inner = [x if paths == "hub" or x in open_ else route_node(key, x) for x in route]
        chain = [record["dependent"], *inner, record["provider"]]
        value = float(record[length]) if length else 1.0
        for u, v in zip(chain, chain[1:]):
            if not graph.has_edge(u, v) or value < graph[u][v]["length"]:
                graph.add_edge(u, v, length=value)
    return graph
