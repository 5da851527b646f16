"""Compiled graphs: a Network as an integer graph (hub or routed).

``compiled`` turns a :class:`~dependencia.network.model.Network` into a
:class:`CompiledGraph` in bulk (routes become hops or route nodes, parallel
edges collapse); ``hops`` lists every hop behind the edges, in the order the
collapse sums them. This layer imports ``network`` and ``base``, nothing above.
"""

from .compiled import CompiledGraph, compile_graph

__all__ = ["CompiledGraph", "compile_graph"]
