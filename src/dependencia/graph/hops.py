"""Hops: every hop of every dependency, route nodes, and how parallel hops collapse into edges.

A dependency ``d -> p`` served via ``[X, Y]`` has the hops ``d -> X``,
``X -> Y``, ``Y -> p``. On the **routed** graph (docs/model.md#graphs, the
default) a closed infrastructure on a route is a *route node* of that route
alone (``X@r``: identical routes, same dependent, infrastructures and
provider, share one chain); an open one is the infrastructure's own node,
shared by every route through it. On the **hub** graph every infrastructure
is open. :func:`compile_graph <dependencia.graph.compiled.compile_graph>`
collapses the hops of one (source, target) into an edge (strengths add,
lengths take the minimum).

Examples
--------
>>> import numpy as np
>>> key, strength, length = collapse_sorted(np.array([3, 3, 5]), np.array([1.0, 2.0, 4.0]), None)
>>> key.tolist(), strength.tolist(), length
([3, 5], [3.0, 4.0], None)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ..errors import UsageError
from ..network.fields import fail

if TYPE_CHECKING:  # pandas is imported where a table is read: the plain edge-list path runs without it (issue 19)
    import pandas as pd

    from ..network.model import Network

__all__ = ["PATHS", "Hops", "collapse", "collapse_sorted", "hops", "lengths_of", "path_mode", "sort_hops"]

#: The two ways routes make paths (docs/model.md#graphs): one chain per declared route
#: through closed infrastructures, or every infrastructure one shared node.
PATHS = ("routed", "hub")


def path_mode(paths: str | None) -> str:
    """Check a ``paths`` argument: ``"routed"`` (the default, also for None) or ``"hub"``.

    Examples
    --------
    >>> path_mode(None), path_mode("hub")
    ('routed', 'hub')
    """
    if paths is None:
        return "routed"
    if paths not in PATHS:
        raise UsageError(f"paths must be one of {', '.join(PATHS)}, got {paths!r}")
    return paths


def lengths_of(network: Network, name: str, rows: np.ndarray) -> np.ndarray:
    import pandas as pd

    deps = network.dependencies
    if name not in deps.columns or name in {"dependent", "provider", "dimension", "channel", "via"}:
        extra = [c for c in deps.columns if c not in {"dependent", "provider", "dimension", "channel", "via"}]
        raise UsageError(f"no dependency attribute {name!r} to use as length; numeric attributes: {', '.join(extra)}")
    column = deps[name]
    chosen = column.iloc[rows]
    values = pd.to_numeric(chosen, errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(values) & (values > 0))
    if chosen.dtype == object:
        bad |= chosen.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    bad_rows = rows[bad]
    if len(bad_rows):
        row = int(bad_rows[0])
        raw = column.iloc[row]
        shown = "missing" if raw is None or (isinstance(raw, float) and np.isnan(raw)) else repr(raw)
        raise fail(network.locate, "dependencies", row, name, f"length {name} must be a finite number > 0, got {shown}")
    return values


class Hops(NamedTuple):
    """Every hop of the chosen dependencies, and the route nodes they pass.

    ``source``, ``target``: node indices of each hop; ``hop_of``: the position
    (in the arrays given to :func:`hops`) of the dependency behind each hop;
    ``route_infrastructure``: for route node ``n_model + i``, the node index of
    its infrastructure; ``route_key``: for the same node, the route's key
    (dependent, infrastructures, provider, separated by ``>``).
    """

    source: np.ndarray
    target: np.ndarray
    hop_of: np.ndarray
    route_infrastructure: np.ndarray
    route_key: np.ndarray


def hops(
    dependent: np.ndarray, provider: np.ndarray, via: np.ndarray, index: pd.Index,
    closed: np.ndarray | None = None,
) -> Hops:
    """Every hop of every dependency, with a chain of route nodes for each route through closed infrastructures.

    Parameters
    ----------
    dependent, provider : numpy.ndarray of int
        Node indices in ``index`` (actors).
    via : numpy.ndarray of object
        Each dependency's tuple of infrastructure ids (empty: a direct edge).
    index : pandas.Index
        The model's node ids: actors, then infrastructures. Route nodes get
        the indices ``len(index)``, ``len(index) + 1``, ... in the order their
        routes first appear.
    closed : numpy.ndarray of bool, optional
        Per node of ``index``: whether an infrastructure is closed. None: none
        is (the hub graph).

    Returns
    -------
    Hops
        Direct dependencies' hops first (in row order), then those of routed
        ones (row by row, along the route).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> index = pd.Index(["d", "e", "p", "X"])
    >>> h = hops(np.array([0, 1]), np.array([2, 2]), np.array([("X",), ("X",)], dtype=object), index,
    ...          closed=np.array([False, False, False, True]))
    >>> list(zip(h.source.tolist(), h.target.tolist()))
    [(0, 4), (4, 2), (1, 5), (5, 2)]
    >>> h.route_infrastructure.tolist()
    [3, 3]
    """
    none = np.zeros(0, dtype=np.int64)
    route_len = np.fromiter((len(v) for v in via), dtype=np.int64, count=len(via))
    direct = np.flatnonzero(route_len == 0)
    if len(direct) == len(via):
        return Hops(dependent.astype(np.int64), provider.astype(np.int64), np.arange(len(via)), none,
                    np.zeros(0, dtype=object))
    routed = np.flatnonzero(route_len > 0)
    stops = route_len[routed] + 2  # dependent, the route, provider
    ends = np.cumsum(stops)
    starts = ends - stops
    path = np.empty(int(ends[-1]), dtype=np.int64)
    path[starts] = dependent[routed]
    path[ends - 1] = provider[routed]
    inner = np.ones(len(path), dtype=bool)
    inner[starts] = False
    inner[ends - 1] = False
    flat_via = np.concatenate([np.asarray(v, dtype=object) for v in via[routed]])
    infrastructure = index.get_indexer(flat_via)
    route_infrastructure, route_key = none, np.zeros(0, dtype=object)
    if closed is not None:
        infrastructure, route_infrastructure, route_key = _route_nodes(
            infrastructure, closed, index, dependent[routed], provider[routed], via[routed], route_len[routed],
        )
    path[inner] = infrastructure
    hop_mask = np.ones(len(path) - 1, dtype=bool)
    hop_mask[(ends - 1)[:-1]] = False  # no hop from one route's provider to the next route's dependent
    hop_rows = np.repeat(routed, stops - 1)
    source = np.concatenate([dependent[direct], path[:-1][hop_mask]]).astype(np.int64)
    target = np.concatenate([provider[direct], path[1:][hop_mask]]).astype(np.int64)
    return Hops(source, target, np.concatenate([direct, hop_rows]), route_infrastructure, route_key)


def _route_nodes(
    infrastructure: np.ndarray, closed: np.ndarray, index: pd.Index, dependent: np.ndarray, provider: np.ndarray,
    via: np.ndarray, route_len: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Replace each closed infrastructure on a route by its route node; identical routes share them."""
    import pandas as pd

    is_closed = closed[infrastructure]
    if not is_closed.any():
        return infrastructure, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
    ids = index.to_numpy(dtype=object)
    keys = np.array([f"{ids[d]}>{'>'.join(v)}>{ids[p]}" for d, v, p in zip(dependent, via, provider)], dtype=object)
    code, unique = pd.factorize(keys)  # routes in order of first appearance
    closed_per_row = np.add.reduceat(is_closed.astype(np.int64), np.cumsum(route_len) - route_len)
    first_row = np.zeros(len(unique), dtype=np.int64)
    first_row[code[::-1]] = np.arange(len(code))[::-1]
    per_route = closed_per_row[first_row]
    base = len(index) + np.cumsum(per_route) - per_route
    row_of_stop = np.repeat(np.arange(len(route_len)), route_len)
    rank = np.cumsum(is_closed) - 1
    rank -= np.repeat(np.cumsum(closed_per_row) - closed_per_row, route_len)  # closed rank within the route
    result = infrastructure.copy()
    result[is_closed] = base[code[row_of_stop[is_closed]]] + rank[is_closed]
    first_stops = np.flatnonzero(is_closed & (row_of_stop == first_row[code[row_of_stop]]))
    order = np.argsort(result[first_stops], kind="stable")
    route_infrastructure = infrastructure[first_stops][order].astype(np.int64)
    route_key = unique[code[row_of_stop[first_stops]]][order]
    return result, route_infrastructure, np.asarray(route_key, dtype=object)


def collapse(
    source: np.ndarray, target: np.ndarray, strength: np.ndarray, length: np.ndarray | None, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Collapse parallel edges: strengths add, lengths take the minimum.

    Edges come back sorted by (source, target).
    """
    key, order = sort_hops(source, target, n)
    unique, summed, shortest = collapse_sorted(key, strength[order], None if length is None else length[order])
    return unique // max(n, 1), unique % max(n, 1), summed, shortest


def sort_hops(source: np.ndarray, target: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Edge keys ``source * max(n, 1) + target``, sorted (stable), and the sorting order."""
    key = source.astype(np.int64) * np.int64(max(n, 1)) + target.astype(np.int64)
    order = np.argsort(key, kind="stable")
    return key[order], order


def collapse_sorted(
    key: np.ndarray, strength: np.ndarray, length: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Collapse runs of equal (sorted) keys: (unique keys, summed strengths, minimum lengths)."""
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    starts = np.flatnonzero(first)
    unique = key[starts]
    summed = np.add.reduceat(strength, starts) if len(starts) else np.zeros(0)
    shortest = None
    if length is not None:
        shortest = np.minimum.reduceat(length, starts) if len(starts) else np.zeros(0)
    return unique, summed.astype(float), shortest
