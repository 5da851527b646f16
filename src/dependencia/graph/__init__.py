"""Compiled graphs: a Network as integer graphs, and their update after an edit.

``compiled`` turns a :class:`~dependencia.network.model.Network` into a
:class:`CompiledGraph` in bulk (routes become hops, parallel edges collapse);
``hops`` keeps every hop behind the edges, in the order the collapse sums them;
``update`` follows an edit of :mod:`dependencia.network.operations` without
compiling again. This layer imports ``network`` and ``base``, nothing above.
"""

from .compiled import CompiledGraph, compile_graph

__all__ = ["CompiledGraph", "compile_graph"]
