"""Why an actor has no power: computed on the same graph, not assumed.

Power is the share of shortest paths between other actors that pass a node
the actor controls (docs/model.md#actor-power), so it needs a path that
enters the controlled set from some actor and leaves it for another.
:func:`zero_reason` finds which part is missing: nobody depends on what the
actor controls, what it controls depends on nobody, or every shortest path
between its dependents and the actors beyond it goes around it, and then
through which nodes (:class:`ZeroReason`). :func:`~dependencia.explain`
attaches it to an :class:`~dependencia.measures.explain.Explanation` when
the actor's power is 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..base.executor import Executor
from ..graph.compiled import CompiledGraph
from ._pair_sums import actor_roles, directed_engine, graph_csr

__all__ = ["EXAMPLES", "ZeroReason", "zero_reason"]

#: Pairs a :class:`ZeroReason` of kind ``bypassed`` shows as examples.
EXAMPLES = 3
#: Relative tolerance of tied path lengths (igraph's, as everywhere in the measures).
_TIE = 1e-10


@dataclass(frozen=True)
class ZeroReason:
    """Why an actor has no power (see :func:`explain`).

    Power is the share of shortest paths between other actors that pass a
    node the actor controls, so it needs a path that enters the controlled
    set from some actor and leaves it for another. ``kind`` says which part
    is missing:

    - ``isolated``: no path enters or leaves what it controls;
    - ``no_dependents``: no actor depends on it or on anything it controls,
      directly or indirectly (no path enters);
    - ``no_dependencies``: it and everything it controls depend on no one (no
      path leaves: a pure provider is only ever the end of a path);
    - ``no_pairs``: its only dependent is also its only dependency (a path
      through it would return where it started);
    - ``bypassed``: paths enter and leave, but every shortest path between
      its dependents and the actors beyond it goes around it; ``bypass``
      lists the nodes those pairs run through instead.

    Attributes
    ----------
    kind : str
    text : str
        One sentence for people.
    dependents, dependencies : int
        Actors outside the controlled set with a path into it, and actors
        outside it that a path from it reaches.
    bypass : pandas.DataFrame
        Indexed by node: ``kind`` (actor or infrastructure) and ``pairs``, the
        share of the shortest paths of the (dependent, dependency) pairs that
        the node carries, summed over the pairs (betweenness restricted to
        those sources and targets), the ``top`` largest, largest first. Empty
        unless ``kind`` is ``bypassed``.
    examples : pandas.DataFrame
        Up to :data:`EXAMPLES` pairs nearest the actor: ``dependent``,
        ``provider``, ``through`` (the inner nodes of their shortest paths,
        in path order; empty for a direct dependency), ``length`` (shortest)
        and ``length_through_actor`` (the shortest path that passes a
        controlled node).
    """

    kind: str
    text: str
    dependents: int
    dependencies: int
    bypass: pd.DataFrame
    examples: pd.DataFrame

    def to_dict(self) -> dict:
        """JSON-ready form (the ``zero_reason`` of ``dependencia explain --format json``)."""
        return {
            "kind": self.kind, "text": self.text, "dependents": self.dependents, "dependencies": self.dependencies,
            "bypass": [{"id": str(i), "kind": k, "pairs": float(v)}
                       for i, k, v in zip(self.bypass.index, self.bypass["kind"], self.bypass["pairs"])],
            "examples": [{"dependent": r.dependent, "provider": r.provider, "through": list(r.through),
                          "length": float(r.length), "length_through_actor": float(r.length_through_actor)}
                         for r in self.examples.itertuples()],
        }


def zero_reason(graph: CompiledGraph, actor: str, group: np.ndarray, *, top: int = 10) -> ZeroReason:
    """Why the nodes ``group`` (``actor``'s controlled set, node indices of ``graph``) carry no path.

    Computed on ``graph``, not assumed. Dependents are the actors outside the
    group with a path into it, dependencies the actors outside it that a path
    from it reaches. When both exist, the pairs that matter are the ordered
    pairs (s, t) of distinct actors outside the group with a path from s
    through a node of the group to t; the betweenness of every node over
    those pairs says which nodes carry them instead, and the pairs nearest
    the group are shown with the inner nodes of their shortest paths and
    the length of the shortest path through the group. Meant for a group
    whose power is 0 (every such pair then has a shorter path around it).

    Examples
    --------
    ``b`` sits between ``a`` and ``c``, but ``a`` also depends on ``c`` directly:

    >>> import textwrap
    >>> import dependencia as dp
    >>> from dependencia.graph import compile_graph
    >>> net = dp.Network.from_records(
    ...     [{"id": i} for i in "abc"],
    ...     [{"dependent": "a", "provider": "b"}, {"dependent": "b", "provider": "c"},
    ...      {"dependent": "a", "provider": "c"}])
    >>> reason = zero_reason(compile_graph(net), "b", np.array([1]))
    >>> reason.kind, reason.examples["length"].tolist(), reason.examples["length_through_actor"].tolist()
    ('bypassed', [1.0], [2.0])
    >>> print(textwrap.fill(reason.text, 100))
    b has 1 dependent and 1 dependency, but every shortest path between them goes around it: a depends
    on c directly (1 step, against 2 through b)
    """
    engine, n_actors, weights = directed_engine(graph)
    n = graph.n_nodes
    ids = graph.node_ids[graph.model_of]  # a route node is named by its infrastructure
    member = np.zeros(n, dtype=bool)
    member[group] = True
    lengths = np.asarray(engine.es[weights], dtype=float) if weights else np.ones(engine.ecount())
    to_group = _joined_distances(engine, lengths, group, mode="in")  # d(v, C)
    from_group = _joined_distances(engine, lengths, group, mode="out")  # d(C, v)
    outside = (np.arange(n) < n_actors) & ~member
    dependents = np.flatnonzero(outside & np.isfinite(to_group))
    providers = np.flatnonzero(outside & np.isfinite(from_group))
    others = sorted(str(ids[v]) for v in group if ids[v] != actor)
    controlled = f" ({_names(others)})" if others else ""
    counts = {"dependents": len(dependents), "dependencies": len(providers)}
    if not len(dependents) and not len(providers):
        what = f"{actor} and what it controls{controlled} are" if others else f"{actor} is"
        return _reason("isolated", f"{what} on no path: no one depends on {'them' if others else 'it'} and "
                       f"{'they depend' if others else 'it depends'} on no one", counts)
    if not len(dependents):
        return _reason("no_dependents", f"no one depends on {actor}"
                       + (f" or on anything it controls{controlled}" if others else "")
                       + ", directly or indirectly: no path leads into it, so none passes through it "
                       f"(it depends on {_count(len(providers), 'actor')}, directly or indirectly)", counts)
    if not len(providers):
        subject = f"{actor} and everything it controls{controlled} depend" if others else f"{actor} depends"
        return _reason("no_dependencies", f"{subject} on no one: no path passes through a pure provider; "
                       f"the paths of its {_count(len(dependents), 'dependent')} end at it", counts)
    carried, nearest, back, targets = _through_pairs(engine, lengths, weights, ids, group, dependents, providers)
    have = f"{actor} has {_count(len(dependents), 'dependent')} and {_count(len(providers), 'dependency')}"
    if not nearest:
        return _reason("no_pairs", f"{have}, but no path leads from one actor through it to another: "
                       + ("a path through it only leads back to where it started" if back
                          else "the part of it that others depend on leads on to no one"), counts)
    carried = _per_model_node(graph, carried, targets)
    order = np.lexsort((ids[:graph.n_model_nodes].astype(str), -carried))
    chosen = [v for v in order[:top] if carried[v] > 0]
    bypass = pd.DataFrame(
        {"kind": ["actor" if v < n_actors else "infrastructure" for v in chosen], "pairs": carried[chosen]},
        index=pd.Index([str(ids[v]) for v in chosen], name="node", dtype=object))
    examples = _examples(engine, weights, ids, group, nearest)
    unit = "step" if weights is None else "length"
    shown = []
    for row in examples.itertuples():
        direct = (f"{row.dependent} depends on {row.provider} directly" if graph.directed
                  else f"{row.dependent} and {row.provider} are linked directly")
        route = (f"{row.dependent} -> {row.provider} runs through {_names(list(row.through))}, which is shorter"
                 if row.through else direct)
        shown.append(f"{route} ({_length(row.length, unit)}, against {_length(row.length_through_actor, None)} "
                     f"through {actor})")
    text = f"{have}, but every shortest path between them goes around it: " + "; ".join(shown)
    listed = {node for row in examples.itertuples() for node in row.through}
    if any(node not in listed for node in bypass.index):
        text += f". Most of these pairs run through {_names(list(bypass.index))}"
    return ZeroReason("bypassed", text, **counts, bypass=bypass, examples=examples)


def _per_model_node(graph: CompiledGraph, carried: np.ndarray, targets: dict[int, np.ndarray]) -> np.ndarray:
    """``carried`` per actor and infrastructure: an infrastructure's route nodes as one group (a path counts once).

    ``targets`` gives, per source, the targets of the pairs counted in ``carried``.
    """
    result = carried[:graph.n_model_nodes].copy()
    several = [x for x in range(graph.n_actors, graph.n_model_nodes) if len(graph.nodes_of([x])) > 1]
    if not several or not targets:
        return result
    from ._pair_sums import group_sums

    adjacency, role = graph_csr(graph), actor_roles(graph.n_nodes, graph.n_actors)
    groups = [graph.nodes_of([x]) for x in several]
    total = np.zeros(len(several))
    for s, chosen in sorted(targets.items()):
        target_of = np.full(graph.n_nodes, -1, dtype=np.int64)
        target_of[chosen] = chosen
        total += group_sums(adjacency, np.array([s]), role, target_of, groups, Executor(1))
    result[several] = total
    return result


def _reason(kind: str, text: str, counts: dict) -> ZeroReason:
    bypass = pd.DataFrame({"kind": pd.Series(dtype=object), "pairs": pd.Series(dtype=float)},
                          index=pd.Index([], name="node", dtype=object))
    return ZeroReason(kind, text, **counts, bypass=bypass, examples=_examples_frame([]))


def _examples_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["dependent", "provider", "through", "length", "length_through_actor"])


def _joined_distances(engine, lengths: np.ndarray, group: np.ndarray, *, mode: str) -> np.ndarray:
    """Distance from (``out``) or to (``in``) the nearest node of ``group``: one search from a joined source."""
    joined = engine.copy()
    hub = joined.vcount()
    joined.add_vertices(1)
    edges = [(hub, int(v)) for v in group] if mode == "out" else [(int(v), hub) for v in group]
    joined.add_edges(edges)
    joined.es["joined_length"] = np.concatenate([lengths, np.zeros(len(edges))]).tolist()
    return np.asarray(joined.distances(source=[hub], weights="joined_length", mode=mode)[0][:hub], dtype=float)


#: Source rows of the through-distance matrix computed at once.
_CHUNK = 256


def _through_pairs(engine, lengths, weights, ids, group, dependents, providers) -> tuple[np.ndarray, list, bool, dict]:
    """The pairs with a path through the group, and what carries them.

    For each dependent s, the providers t != s with a path s -> (a node of the group) -> t: on two copies
    of the graph joined at the group's nodes (``(c, before) -> (c, after)``, length 0), a path from
    ``(s, before)`` to ``(t, after)``. Returns the betweenness of every node over those pairs (igraph's
    subset betweenness, source by source), the :data:`EXAMPLES` pairs nearest the group (shortest path
    through it, then ids) as ``(length through it, ids, indices)``, whether some dependent has a
    path through the group back to itself, and the targets counted for each source.
    """
    from ..base.imports import igraph  # imported without matplotlib.pyplot (0.4 s)

    ig = igraph()

    n = len(ids)
    src, dst = np.asarray(engine.get_edgelist(), dtype=np.int64).reshape(-1, 2).T
    edges = np.concatenate([np.column_stack([src, dst]), np.column_stack([src + n, dst + n]),
                            np.column_stack([group, group + n])])
    layered = ig.Graph(n=2 * n, edges=edges.tolist(), directed=True)
    # every path from one copy to the other crosses one joining edge: on hop counts it counts 1 (a breadth-first
    # search, 1 subtracted after), on lengths 0
    layered.es["length"] = np.concatenate([lengths, lengths, np.zeros(len(group))]).tolist()
    joined_weights, joining = ("length", 0.0) if weights else (None, 1.0)
    names = ids[providers].astype(str)
    carried, back = np.zeros(n), False
    nearest: list[tuple[float, str, str, int, int]] = []
    targets: dict[int, np.ndarray] = {}
    for first in range(0, len(dependents), _CHUNK):
        chunk = dependents[first:first + _CHUNK]
        rows = np.asarray(layered.distances(source=chunk.tolist(), target=(providers + n).tolist(),
                                            weights=joined_weights, mode="out"), dtype=float).reshape(len(chunk), -1)
        rows -= joining
        whole = []  # sources that reach every provider through the group: one call for all of them
        for s, row in zip(chunk, rows):
            reached = np.isfinite(row)
            back = back or bool(reached[providers == s].any())
            keep = np.flatnonzero(reached & (providers != s))
            if not len(keep):
                continue
            targets[int(s)] = providers[keep]
            if len(keep) == int(np.sum(providers != s)):
                whole.append(int(s))
            else:
                carried += np.asarray(engine.betweenness(directed=True, weights=weights, sources=[int(s)],
                                                         targets=providers[keep].tolist()), dtype=float)[:n]
            best = keep[np.lexsort((names[keep], row[keep]))[:EXAMPLES]]
            nearest = sorted(nearest + [(float(row[j]), str(ids[s]), names[j], int(s), int(providers[j]))
                                        for j in best])[:EXAMPLES]
        if whole:  # igraph's subset betweenness skips the pairs (s, s)
            carried += np.asarray(engine.betweenness(directed=True, weights=weights, sources=whole,
                                                     targets=providers.tolist()), dtype=float)[:n]
    return carried, nearest, back, targets


def _examples(engine, weights, ids, group, nearest) -> pd.DataFrame:
    """The pairs ``nearest``, with the inner nodes of their shortest paths (in path order) and both lengths."""
    rows = []
    for through, _, _, s, t in nearest:
        ahead = np.asarray(engine.distances(source=[s], weights=weights, mode="out")[0], dtype=float)
        behind = np.asarray(engine.distances(source=[t], weights=weights, mode="in")[0], dtype=float)
        shortest = ahead[t]
        total = ahead + behind
        on_path = np.flatnonzero(np.isfinite(total) & (np.abs(total - shortest) <= _TIE * max(shortest, 1.0)))
        inner = sorted((v for v in on_path if v not in (s, t)), key=lambda v: (ahead[v], str(ids[v])))
        through_ids = tuple(dict.fromkeys(str(ids[v]) for v in inner))  # route nodes: their infrastructure, once
        rows.append({"dependent": str(ids[s]), "provider": str(ids[t]), "through": through_ids,
                     "length": float(shortest), "length_through_actor": float(through)})
    return _examples_frame(rows)


def _names(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _count(k: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{k} {noun if k == 1 else plural}"


def _length(value: float, unit: str | None) -> str:
    number = f"{value:.4g}"
    if unit == "step":
        return f"{number} step" + ("" if value == 1 else "s")
    return number if unit is None else f"length {number}"
